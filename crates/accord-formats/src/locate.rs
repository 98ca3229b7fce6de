//! Finding where a document path (`actors[2].power`) sits in the source
//! text, for TOML and JSON alike, so that validation can report lines and
//! columns without threading spans through every data type.

use std::ops::Range;

/// One step of a document path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A path into a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocPath(pub Vec<Seg>);

impl DocPath {
    /// The path extended by a key.
    pub fn key(&self, k: &str) -> DocPath {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }

    /// The path extended by an index.
    pub fn index(&self, i: usize) -> DocPath {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl std::fmt::Display for DocPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (k, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(key) if k == 0 => write!(f, "{key}")?,
                Seg::Key(key) => write!(f, ".{key}")?,
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// Byte span of the deepest existing prefix of `path` in a TOML text.
pub fn toml_span(text: &str, path: &DocPath) -> Option<Range<usize>> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut best = None;
    let mut cur: Option<&toml::Spanned<DeValue>> = None;
    let mut table: Option<&DeTable> = Some(root.get_ref());
    for seg in &path.0 {
        let next = match (seg, table, cur.map(|c| c.get_ref())) {
            (Seg::Key(k), Some(t), _) => t.get(k.as_str()),
            (Seg::Index(i), _, Some(DeValue::Array(a))) => a.get(*i),
            _ => None,
        };
        let Some(next) = next else { break };
        best = Some(next.span());
        cur = Some(next);
        table = match next.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    best.or(Some(0..0))
}

/// Byte span of the deepest existing prefix of `path` in a JSON text.
pub fn json_span(text: &str, path: &DocPath) -> Option<Range<usize>> {
    let mut p = JsonScan {
        s: text.as_bytes(),
        i: 0,
    };
    p.find(&path.0)
}

/// A lenient JSON walker (the text has already parsed with serde_json).
struct JsonScan<'a> {
    s: &'a [u8],
    i: usize,
}

impl JsonScan<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn string(&mut self) -> String {
        let start = self.i + 1;
        self.i += 1;
        while self.i < self.s.len() && self.s[self.i] != b'"' {
            if self.s[self.i] == b'\\' {
                self.i += 1;
            }
            self.i += 1;
        }
        let raw = String::from_utf8_lossy(&self.s[start..self.i.min(self.s.len())]).into_owned();
        self.i += 1;
        serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or(raw)
    }

    /// Skips one value, returning its span.
    fn skip(&mut self) -> Range<usize> {
        self.ws();
        let start = self.i;
        match self.s.get(self.i) {
            Some(b'"') => {
                self.string();
            }
            Some(b'{') | Some(b'[') => {
                let mut depth = 0usize;
                while self.i < self.s.len() {
                    match self.s[self.i] {
                        b'"' => {
                            self.string();
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while self.i < self.s.len() && !b",]} \t\r\n".contains(&self.s[self.i]) {
                    self.i += 1;
                }
            }
        }
        start..self.i
    }

    fn find(&mut self, path: &[Seg]) -> Option<Range<usize>> {
        self.ws();
        let here = self.i;
        let Some(seg) = path.first() else {
            return Some(self.skip());
        };
        match (seg, self.s.get(self.i)) {
            (Seg::Key(k), Some(b'{')) => {
                self.i += 1;
                loop {
                    self.ws();
                    if self.s.get(self.i) != Some(&b'"') {
                        break;
                    }
                    let key = self.string();
                    self.ws();
                    self.i += 1; // ':'
                    if &key == k {
                        return self.find(&path[1..]).or(Some(here..here + 1));
                    }
                    self.skip();
                    self.ws();
                    if self.s.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                }
                Some(here..here + 1)
            }
            (Seg::Index(n), Some(b'[')) => {
                self.i += 1;
                for _ in 0..*n {
                    self.skip();
                    self.ws();
                    if self.s.get(self.i) != Some(&b',') {
                        return Some(here..here + 1);
                    }
                    self.i += 1;
                }
                self.find(&path[1..]).or(Some(here..here + 1))
            }
            _ => Some(self.skip()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(segs: &[Seg]) -> DocPath {
        DocPath(segs.to_vec())
    }

    #[test]
    fn json_paths_find_values() {
        let text = r#"{"a": [1, {"b": "x\"y", "c": 42}], "d": true}"#;
        let p = path(&[Seg::Key("a".into()), Seg::Index(1), Seg::Key("c".into())]);
        let span = json_span(text, &p).unwrap();
        assert_eq!(&text[span], "42");
        let p = path(&[Seg::Key("d".into())]);
        assert_eq!(&text[json_span(text, &p).unwrap()], "true");
    }

    #[test]
    fn toml_paths_find_values() {
        let text = "[scenario]\nid = \"x\"\n\n[[actors]]\nid = \"A\"\n\n[[actors]]\nid = \"B\"\npower = 3\n";
        let p = path(&[
            Seg::Key("actors".into()),
            Seg::Index(1),
            Seg::Key("power".into()),
        ]);
        let span = toml_span(text, &p).unwrap();
        assert_eq!(&text[span], "3");
    }
}

//! Reading GENIUS XML with roxmltree: located errors and checked
//! attribute access. Every problem becomes a [`LoadError`] that names the
//! file, line and column and says what was expected.

use crate::diag::{Diagnostic, LoadError};
use roxmltree::{Document, Node};

/// One input file: the name to show in diagnostics and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeniusFile {
    /// File name or path as the user gave it.
    pub name: String,
    /// The XML text.
    pub text: String,
}

impl GeniusFile {
    /// A file from its name and text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        GeniusFile {
            name: name.into(),
            text: text.into(),
        }
    }

    /// The file name without directories and without its extension.
    pub fn stem(&self) -> &str {
        let base = self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name);
        match base.rfind('.') {
            Some(i) if i > 0 => &base[..i],
            _ => base,
        }
    }

    /// The file name without directories.
    pub fn base_name(&self) -> &str {
        self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name)
    }
}

/// A parsed file together with what is needed to locate its problems.
pub(crate) struct Xml<'a> {
    pub file: &'a GeniusFile,
    pub doc: &'a Document<'a>,
}

fn options<'i>() -> roxmltree::ParsingOptions<'i> {
    roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: 5_000_000,
        ..Default::default()
    }
}

/// Parses a file, turning syntax errors into located diagnostics.
pub(crate) fn parse_doc(file: &GeniusFile) -> Result<Document<'_>, LoadError> {
    match Document::parse_with_options(&file.text, options()) {
        Ok(doc) => Ok(doc),
        Err(e) => {
            let p = e.pos();
            let off = offset_of(&file.text, p.row as usize, p.col as usize);
            let msg = format!("not well-formed XML: {e}");
            let msg = msg
                .rsplit_once(" at ")
                .filter(|(_, tail)| tail.contains(':'))
                .map_or(msg.clone(), |(m, _)| m.to_string());
            Err(LoadError::one(Diagnostic::at(
                &file.name,
                &file.text,
                off..off + 1,
                "",
                msg,
            )))
        }
    }
}

impl<'a> Xml<'a> {
    /// The root element.
    pub fn root(&self) -> Node<'a, 'a> {
        self.doc.root_element()
    }

    /// An error located at an element's start tag.
    pub fn at(&self, node: Node, msg: impl Into<String>) -> LoadError {
        let r = node.range();
        let end = self.file.text[r.start.min(self.file.text.len())..]
            .find('>')
            .map_or(r.end, |i| r.start + i + 1)
            .min(r.end);
        self.span(r.start..end, &path_of(node), msg.into())
    }

    /// An error located at an attribute's value (or its element when the
    /// attribute is absent).
    pub fn at_attr(&self, node: Node, name: &str, msg: impl Into<String>) -> LoadError {
        match node.attribute_node(name) {
            Some(a) => self.span(
                a.range_value(),
                &format!("{}@{name}", path_of(node)),
                msg.into(),
            ),
            None => self.at(node, msg),
        }
    }

    fn span(&self, r: std::ops::Range<usize>, path: &str, msg: String) -> LoadError {
        LoadError::one(Diagnostic::at(
            &self.file.name,
            &self.file.text,
            r,
            path,
            msg,
        ))
    }

    /// A required attribute.
    pub fn req<'n>(&self, node: Node<'n, 'n>, name: &str) -> Result<&'n str, LoadError> {
        node.attribute(name).ok_or_else(|| {
            self.at(
                node,
                format!("<{}> needs a `{name}` attribute", node.tag_name().name()),
            )
        })
    }

    /// A required attribute read as a finite number.
    pub fn num(&self, node: Node, name: &str) -> Result<f64, LoadError> {
        let s = self.req(node, name)?;
        parse_f64(s).ok_or_else(|| {
            self.at_attr(
                node,
                name,
                format!("`{name}` must be a number, found `{s}`"),
            )
        })
    }

    /// An optional attribute read as a finite number.
    pub fn opt_num(&self, node: Node, name: &str) -> Result<Option<f64>, LoadError> {
        match node.attribute(name) {
            None => Ok(None),
            Some(_) => self.num(node, name).map(Some),
        }
    }

    /// A required attribute read as an integer.
    pub fn int(&self, node: Node, name: &str) -> Result<i64, LoadError> {
        let s = self.req(node, name)?;
        s.trim().parse::<i64>().map_err(|_| {
            self.at_attr(
                node,
                name,
                format!("`{name}` must be an integer, found `{s}`"),
            )
        })
    }
}

/// Parses a number the way Java's `Double.parseDouble` accepts common
/// GENIUS values (surrounding blanks allowed); rejects NaN and infinities.
pub(crate) fn parse_f64(s: &str) -> Option<f64> {
    let t = s.trim();
    let t = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Element children with a given tag name.
pub(crate) fn children<'a>(
    node: Node<'a, 'a>,
    tag: &'static str,
) -> impl Iterator<Item = Node<'a, 'a>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == tag)
}

/// A readable path of an element, e.g. `utility_space/objective/issue[2]`.
fn path_of(node: Node) -> String {
    let mut parts: Vec<String> = node
        .ancestors()
        .filter(|n| n.is_element())
        .map(|n| match n.attribute("index") {
            Some(i) => format!("{}[{i}]", n.tag_name().name()),
            None => n.tag_name().name().to_string(),
        })
        .collect();
    parts.reverse();
    parts.join("/")
}

/// Byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (k, l) in text.split_inclusive('\n').enumerate() {
        if k + 1 == line {
            let col: usize = l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(l.len(), |(i, _)| i);
            return (off + col).min(text.len());
        }
        off += l.len();
    }
    text.len()
}

/// Whether a file is a GENIUS domain (`<negotiation_template>`), a profile
/// (`<utility_space>`), or something else (e.g. `pareto.xml`), by its root
/// element; `None` when the text is not XML.
pub fn genius_role(text: &str) -> Option<Role> {
    let doc = Document::parse_with_options(text, options()).ok()?;
    Some(match doc.root_element().tag_name().name() {
        "negotiation_template" => Role::Domain,
        "utility_space" => Role::Profile,
        _ => Role::Other,
    })
}

/// What a GENIUS file holds, judged by its root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A domain: `<negotiation_template>`.
    Domain,
    /// A preference profile: `<utility_space>`.
    Profile,
    /// Anything else (GENIUS folders also hold e.g. `pareto.xml`).
    Other,
}

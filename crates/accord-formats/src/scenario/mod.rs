//! Scenario files: TOML (the native format) and JSON with the same schema.

pub mod raw;
mod validate;
mod write;

pub use validate::is_iso_date;
pub use write::{to_raw, to_toml};

use crate::diag::{Diagnostic, LoadError};
use crate::locate::{json_span, toml_span, DocPath};
use accord::Scenario;

/// Which syntax a scenario text uses (`toml` or `json` in JSON and in the
/// web app's store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Syntax {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl Syntax {
    /// Every syntax's name.
    pub const NAMES: &'static [&'static str] = &["toml", "json"];

    /// The lowercase name (`toml`, `json`).
    pub fn name(self) -> &'static str {
        match self {
            Syntax::Toml => "toml",
            Syntax::Json => "json",
        }
    }

    /// Guesses the syntax from a file name (`.json` → JSON, else TOML).
    pub fn from_name(name: &str) -> Syntax {
        if name.to_ascii_lowercase().ends_with(".json") {
            Syntax::Json
        } else {
            Syntax::Toml
        }
    }

    /// Picks the syntax from a file name, and for a name without a known
    /// extension (standard input) from the text: a document whose first
    /// character is `{` is JSON, since no TOML document starts that way.
    pub fn detect(name: &str, text: &str) -> Syntax {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Syntax::Json
        } else if lower.ends_with(".toml") {
            Syntax::Toml
        } else if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
        {
            Syntax::Json
        } else {
            Syntax::Toml
        }
    }
}

impl std::str::FromStr for Syntax {
    type Err = accord::UnknownName;
    fn from_str(s: &str) -> Result<Self, accord::UnknownName> {
        match s {
            "toml" => Ok(Syntax::Toml),
            "json" => Ok(Syntax::Json),
            _ => Err(accord::UnknownName {
                what: "syntax",
                got: s.to_string(),
                expected: Syntax::NAMES,
            }),
        }
    }
}

impl std::fmt::Display for Syntax {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How deeply the TOML reader nests arrays and inline tables before it stops
/// (the `toml` crate's own guard, which keeps its recursion off the stack's end).
pub const TOML_MAX_DEPTH: usize = 80;
/// How deeply the JSON reader nests arrays and objects (serde_json's guard).
pub const JSON_MAX_DEPTH: usize = 128;

/// Parses and checks a scenario text; `file` names it in diagnostics.
///
/// Dated events are checked too (each patch applied and the result
/// validated), so a file that loads has a valid timeline.
pub fn parse_scenario(text: &str, file: &str, syntax: Syntax) -> Result<Scenario, LoadError> {
    let raw = parse_raw(text, file, syntax)?;
    let sc = validate_raw(&raw, text, file, syntax)?;
    if !raw.events.is_empty() {
        crate::timeline::timeline(&raw, text, file, syntax, &Default::default())?;
    }
    Ok(sc)
}

/// Parses a scenario text into its raw (unchecked) form.
pub fn parse_raw(text: &str, file: &str, syntax: Syntax) -> Result<raw::ScenarioFile, LoadError> {
    match syntax {
        Syntax::Toml => toml::from_str::<raw::ScenarioFile>(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let mut msg = e.message().trim().to_string();
            if msg.contains("max recursion depth") {
                msg = format!("nesting deeper than {TOML_MAX_DEPTH} levels");
            }
            LoadError::one(Diagnostic::at(file, text, span, "", msg))
        }),
        Syntax::Json => {
            // A byte-order mark is not JSON, but editors write one and the TOML
            // reader accepts it; three spaces in its place keep every offset.
            let unmarked;
            let body = match text.strip_prefix('\u{feff}') {
                Some(rest) => {
                    unmarked = format!("   {rest}");
                    unmarked.as_str()
                }
                None => text,
            };
            serde_json::from_str::<raw::ScenarioFile>(body).map_err(|e| {
                let off = offset_of(body, e.line(), e.column());
                let msg = e.to_string();
                // serde_json appends " at line L column C"; the location is shown apart.
                let mut msg = msg
                    .rsplit_once(" at line ")
                    .map_or(msg.clone(), |(m, _)| m.to_string());
                if msg.contains("recursion limit exceeded") {
                    msg = format!("nesting deeper than {JSON_MAX_DEPTH} levels");
                }
                LoadError::one(Diagnostic::at(file, text, off..off + 1, "", msg))
            })
        }
    }
}

/// Checks a raw scenario, locating problems in `text`.
pub fn validate_raw(
    raw: &raw::ScenarioFile,
    text: &str,
    file: &str,
    syntax: Syntax,
) -> Result<Scenario, LoadError> {
    validate::validate(raw).map_err(|problems| {
        let mut diagnostics: Vec<Diagnostic> = problems
            .into_iter()
            .map(|p| {
                let span = locate(text, &p.path, syntax);
                let span = match p.inner {
                    Some((off, len)) => {
                        let start = span.start
                            + string_body_offset(&text[span.start.min(text.len())..])
                            + off;
                        start..start + len
                    }
                    None => span,
                };
                Diagnostic::at(file, text, span, &p.path.to_string(), p.message)
            })
            .collect();
        diagnostics.sort_by_key(|d| (d.line, d.column));
        LoadError { diagnostics }
    })
}

/// Byte span of a document path in `text` (the deepest prefix that exists).
pub fn locate_path(text: &str, path: &DocPath, syntax: Syntax) -> std::ops::Range<usize> {
    locate(text, path, syntax)
}

fn locate(text: &str, path: &DocPath, syntax: Syntax) -> std::ops::Range<usize> {
    match syntax {
        Syntax::Toml => toml_span(text, path),
        Syntax::Json => json_span(text, path),
    }
    .unwrap_or(0..0)
}

/// Bytes from the start of a string literal to its first character.
fn string_body_offset(s: &str) -> usize {
    if s.starts_with("\"\"\"") || s.starts_with("'''") {
        3 + usize::from(s[3..].starts_with('\n'))
    } else if s.starts_with('"') || s.starts_with('\'') {
        1
    } else {
        0
    }
}

/// Byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (k, l) in text.split_inclusive('\n').enumerate() {
        if k + 1 == line {
            return (off + column.saturating_sub(1)).min(text.len());
        }
        off += l.len();
    }
    text.len()
}

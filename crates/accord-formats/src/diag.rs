//! Located diagnostics: what is wrong, in which file, at which line and
//! column, rendered with the offending source line underlined.

use std::fmt;

/// One located problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// File name as the user gave it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// Length of the underlined text, in characters (at least 1).
    #[serde(skip)]
    pub width: usize,
    /// What is wrong and what was expected.
    pub message: String,
    /// The path of the entry in the document, e.g. `actors[2].power`.
    pub path: String,
    /// The source line, for display.
    #[serde(skip)]
    pub source_line: String,
}

impl Diagnostic {
    /// Builds a diagnostic for a byte span of `text`.
    pub fn at(
        file: &str,
        text: &str,
        span: std::ops::Range<usize>,
        path: &str,
        message: String,
    ) -> Self {
        let mut start = span.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let (line, column) = line_col(text, start);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let source_line = text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        let end = span.end.clamp(start, line_end.max(start));
        let width = text.get(start..end).map_or(1, |s| s.chars().count()).max(1);
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            width,
            message,
            path: path.to_string(),
            source_line,
        }
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut off = offset.min(text.len());
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        let num = self.line.to_string();
        let pad = " ".repeat(num.len());
        write!(f, "{pad}--> {}:{}:{}", self.file, self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, " (at {})", self.path)?;
        }
        writeln!(f)?;
        writeln!(f, "{pad} |")?;
        writeln!(f, "{num} | {}", self.source_line)?;
        let lead: String = self
            .source_line
            .chars()
            .take(self.column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        write!(f, "{pad} | {lead}{}", "^".repeat(self.width.min(80)))
    }
}

/// A file that could not be loaded, with every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    /// The problems, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, d) in self.diagnostics.iter().enumerate() {
            if k > 0 {
                writeln!(f)?;
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let n = self.diagnostics.len();
        if n > 1 {
            write!(f, "\n\n{n} errors")?;
        }
        Ok(())
    }
}

impl LoadError {
    /// A single-diagnostic error.
    pub fn one(d: Diagnostic) -> Self {
        LoadError {
            diagnostics: vec![d],
        }
    }
}

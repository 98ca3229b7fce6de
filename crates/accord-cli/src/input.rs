//! Where a command's scenario comes from: a file, a bundled scenario by
//! name, or the flagship when nothing is given.

use crate::BadInput;
use accord::Scenario;
use accord_formats::bundled::{bundled, flagship, BUNDLED};
use accord_formats::{parse_scenario, Syntax};
use std::path::Path;

/// A scenario text with the name to show in diagnostics.
pub struct Source {
    /// File name (or bundled file name).
    pub file: String,
    /// The text.
    pub text: String,
}

/// Reads the scenario a command was given (default: the flagship).
pub fn read(file: Option<&str>) -> anyhow::Result<Source> {
    let Some(f) = file else {
        let b = flagship();
        return Ok(Source {
            file: b.file.to_string(),
            text: b.text.to_string(),
        });
    };
    if f == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| BadInput(format!("error: cannot read standard input: {e}")))?;
        return Ok(Source {
            file: "<stdin>".into(),
            text,
        });
    }
    if !Path::new(f).exists() {
        if let Some(b) = bundled(f) {
            return Ok(Source {
                file: b.file.to_string(),
                text: b.text.to_string(),
            });
        }
        let names: Vec<&str> = BUNDLED.iter().map(|b| b.name).collect();
        return Err(BadInput(format!(
            "error: no such file `{f}` (bundled scenarios: {})",
            names.join(", ")
        ))
        .into());
    }
    let bytes = std::fs::read(f).map_err(|e| BadInput(format!("error: cannot read `{f}`: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        BadInput(format!(
            "error: `{f}` is not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(Source {
        file: f.to_string(),
        text,
    })
}

impl Source {
    /// Parses and checks the scenario; located errors become exit code 2.
    pub fn scenario(&self) -> anyhow::Result<Scenario> {
        parse_scenario(&self.text, &self.file, Syntax::from_name(&self.file))
            .map_err(|e| BadInput(e.to_string()).into())
    }
}

/// Loads a scenario in one step.
pub fn load(file: Option<&str>) -> anyhow::Result<Scenario> {
    read(file)?.scenario()
}

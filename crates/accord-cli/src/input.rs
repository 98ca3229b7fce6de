//! Where a command's scenario comes from: a file, a bundled scenario by
//! name, or the flagship when nothing is given.

use crate::BadInput;
use accord::Scenario;
use accord_formats::bundled::{bundled, flagship, BUNDLED};
use accord_formats::{parse_scenario, Syntax};
use std::io::Read;
use std::path::Path;

/// Reads at most 64 MiB from `r` (see
/// [`accord_app::input::read_capped`]); a refusal is exit code 2.
pub fn read_capped(r: impl Read, shown: &str) -> Result<String, BadInput> {
    accord_app::input::read_capped(r, shown).map_err(bad_input)
}

/// Reads a whole text file under the input size limit (see [`read_capped`]).
pub fn read_file(path: &Path) -> Result<String, BadInput> {
    accord_app::input::read_file(path).map_err(bad_input)
}

/// An input the user gave that cannot be read: exit code 2.
pub fn bad_input(e: accord_app::input::InputError) -> BadInput {
    match e {
        // Located diagnostics carry their own `error:` lines.
        accord_app::input::InputError::Genius(l) => BadInput(l.to_string()),
        e => BadInput(format!("error: {e}")),
    }
}

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
        let text = read_capped(std::io::stdin().lock(), "standard input")?;
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
    let text = read_file(Path::new(f))?;
    Ok(Source {
        file: f.to_string(),
        text,
    })
}

impl Source {
    /// Parses and checks the scenario; located errors become exit code 2.
    pub fn scenario(&self) -> anyhow::Result<Scenario> {
        parse_scenario(
            &self.text,
            &self.file,
            Syntax::detect(&self.file, &self.text),
        )
        .map_err(|e| BadInput(e.to_string()).into())
    }
}

/// Loads a scenario in one step.
pub fn load(file: Option<&str>) -> anyhow::Result<Scenario> {
    read(file)?.scenario()
}

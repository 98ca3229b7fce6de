//! Where a command's scenario comes from: a file, a bundled scenario by
//! name, or the flagship when nothing is given.

use crate::BadInput;
use accord::Scenario;
use accord_formats::bundled::{bundled, flagship, BUNDLED};
use accord_formats::{parse_scenario, Syntax};
use std::io::Read;
use std::path::Path;

/// The largest input file or standard input a command reads: 64 MiB.
///
/// Real scenarios are kilobytes and the largest bundled data files a few
/// megabytes; the cap keeps `accord check /dev/zero` (or a runaway pipe)
/// from growing memory without bound.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads at most [`MAX_INPUT_BYTES`] from `r`, refusing anything larger and
/// anything that is not UTF-8; `shown` names the input in the message.
pub fn read_capped(r: impl Read, shown: &str) -> Result<String, BadInput> {
    let mut bytes = Vec::new();
    r.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| BadInput(format!("error: cannot read {shown}: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(BadInput(format!(
            "error: {shown} is larger than the 64 MiB input limit"
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        BadInput(format!(
            "error: {shown} is not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Reads a whole text file under the input size limit (see [`read_capped`]).
pub fn read_file(path: &Path) -> Result<String, BadInput> {
    let shown = format!("`{}`", path.display());
    let f = std::fs::File::open(path)
        .map_err(|e| BadInput(format!("error: cannot read {shown}: {e}")))?;
    read_capped(f, &shown)
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

//! `accord init`: writes a commented template scenario to start from.

use crate::BadInput;
use std::io::Write;

/// The template: small, valid under `check --strict`, and showing actors,
/// both issue kinds, a red line, a ratifier and a source.
pub const TEMPLATE: &str = include_str!("init_template.toml");

/// Arguments of `accord init`.
#[derive(clap::Args)]
pub struct Args {
    /// Where to write the template, or - for standard output.
    #[arg(default_value = "my.toml")]
    pub path: String,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    if a.path == "-" {
        std::io::stdout().lock().write_all(TEMPLATE.as_bytes())?;
        return Ok(0);
    }
    let mut file = std::fs::OpenOptions::new();
    file.write(true);
    if a.force {
        file.create(true).truncate(true);
    } else {
        // create_new: an existing file is never touched, even in a race.
        file.create_new(true);
    }
    let mut f = file.open(&a.path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            BadInput(format!(
                "error: `{}` already exists; use --force to overwrite it",
                a.path
            ))
        } else {
            BadInput(format!("error: cannot write `{}`: {e}", a.path))
        }
    })?;
    f.write_all(TEMPLATE.as_bytes())
        .map_err(|e| BadInput(format!("error: cannot write `{}`: {e}", a.path)))?;
    eprintln!(
        "wrote {}: edit it, then `accord check {} --strict` and `accord analyze {}`",
        a.path, a.path, a.path
    );
    Ok(0)
}

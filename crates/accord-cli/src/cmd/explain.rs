//! `accord explain`: why no deal can close (or why the reference deal is the
//! one it is), in plain words with every link's source and grade.

use crate::progress::Bar;
use accord::AnalyzeOptions;
use accord_app::narrative::{narrative, text_lines, Narrative};

/// Arguments of `accord explain`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON), a bundled name, or - for stdin; default: the flagship.
    pub file: Option<String>,
    /// Print the structured steps as JSON.
    #[arg(long)]
    pub json: bool,
    /// What-ifs (`--drop`, `--set`, `--reading`) applied before the account.
    #[command(flatten)]
    pub whatif: crate::whatif::WhatIf,
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    let (sc, assumed) = a.whatif.load(a.file.as_deref())?;
    let bar = Bar::new();
    let (an, readings) =
        match accord_app::reports::analyze_with_readings(&sc, &AnalyzeOptions::default(), &bar) {
            Err(accord::Error::TooLarge(_)) => {
                return Err(crate::BadInput(format!(
                    "error: {}",
                    accord_app::explain::too_large(&sc, AnalyzeOptions::default().max_outcomes)
                ))
                .into())
            }
            r => r?,
        };
    bar.finish();
    let n = narrative(&sc, &an, readings.as_ref(), &assumed.parts());
    if a.json {
        super::print_json(&n)?;
    } else {
        print_human(&sc, &n)?;
    }
    Ok(0)
}

fn print_human(sc: &accord::model::Scenario, n: &Narrative) -> anyhow::Result<()> {
    // The same lines the web page and the report show.
    for line in text_lines(sc, n) {
        outln!("{line}");
    }
    Ok(())
}

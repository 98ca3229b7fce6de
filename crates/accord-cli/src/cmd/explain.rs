//! `accord explain`: why no deal can close (or why the reference deal is the
//! one it is), in plain words with every link's source and grade.

use crate::progress::Bar;
use accord::AnalyzeOptions;
use accord_app::narrative::{narrative, Link, Narrative};

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

fn grade_words(g: Option<accord::model::Grade>) -> String {
    g.map_or("unsourced".into(), |g| g.name().replace('_', " "))
}

fn provenance(l: &Link) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &l.source {
        let title = l.source_title.as_deref().unwrap_or(s);
        parts.push(format!("Source: {title} [{s}], {}", grade_words(l.grade)));
    }
    if let Some(q) = &l.quote {
        parts.push(format!("“{q}”"));
    }
    if let Some(a) = &l.assumption {
        parts.push(format!("Assumption: {a}"));
    }
    if parts.is_empty() {
        "No source and no stated assumption.".into()
    } else {
        parts.join(" ")
    }
}

fn print_human(sc: &accord::model::Scenario, n: &Narrative) -> anyhow::Result<()> {
    outln!("{} ({}), as of {}", sc.title, sc.id, sc.as_of);
    if !n.assumed.is_empty() {
        outln!("Assuming: {}", n.assumed.join(", "));
    }
    outln!("{}", n.headline);
    for (k, s) in n.steps.iter().enumerate() {
        outln!();
        outln!("{}. {}", k + 1, s.text);
        for l in &s.links {
            outln!("   - {}", l.text);
            outln!("     {}", provenance(l));
        }
        if !s.facts.is_empty() {
            outln!("   Why they clash:");
            for l in &s.facts {
                outln!("   - {}", l.text);
                outln!("     {}", provenance(l));
            }
        }
        let mut conf = format!(
            "   Confidence: {} (its weakest source)",
            grade_words(s.confidence.grade)
        );
        if let Some(p) = s.confidence.probability {
            conf.push_str(&format!(
                "; holds with probability {:.0}% across readings",
                p * 100.0
            ));
        }
        outln!("{conf}.");
    }
    Ok(())
}

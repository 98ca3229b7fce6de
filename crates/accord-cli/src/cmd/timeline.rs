//! `accord timeline`: rerun the deal-space and process analyses after each
//! dated event and report what changed.

use crate::input;
use crate::progress::Bar;
use crate::table;
use accord_app::reports::{timeline_steps, timeline_view};
use accord_formats::scenario::Syntax;
use accord_formats::timeline::{timeline, Choices};

/// Arguments of `accord timeline`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON), a bundled name, or - for stdin; default: the flagship.
    pub file: Option<String>,
    /// Apply this disputed event (repeatable).
    #[arg(long = "assume", value_name = "EVENT")]
    pub assume: Vec<String>,
    /// Do not apply this event (repeatable).
    #[arg(long = "reject", value_name = "EVENT")]
    pub reject: Vec<String>,
    /// Skip every disputed event unless it is assumed.
    #[arg(long)]
    pub reject_disputed: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// What-ifs applied before the analysis.
    #[command(flatten)]
    pub whatif: crate::whatif::WhatIf,
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    let src = input::read(a.file.as_deref())?;
    let syntax = Syntax::detect(&src.file, &src.text);
    let bad = |e: accord_formats::LoadError| crate::BadInput(e.to_string());
    let (raw, _, assumed) = a.whatif.raw(&src, syntax)?;
    let choices = Choices {
        assume: a.assume.iter().cloned().collect(),
        reject: a.reject.iter().cloned().collect(),
        reject_disputed: a.reject_disputed,
    };
    let steps = timeline(&raw, &src.text, &src.file, syntax, &choices).map_err(bad)?;
    let bar = Bar::new();
    let views = timeline_steps(&steps, &bar)?;
    bar.finish();
    let first = &steps[0].scenario;
    if a.json {
        crate::whatif::print_json(&timeline_view(&steps, &views), &assumed)?;
        return Ok(0);
    }
    crate::whatif::echo(&assumed)?;
    outln!(
        "{} ({}): {} dated events after the base positions",
        first.title,
        first.id,
        steps.len() - 1
    );
    let mut t = table::new(&[
        "date",
        "event",
        "ZOPA",
        "blocks",
        "best relaxation",
        "process",
        "what changed",
    ]);
    for (s, v) in steps.iter().zip(&views) {
        let mut event = if s.id == "as_of" {
            "base positions (the file as written)".to_string()
        } else {
            format!("{}: {}", s.id, s.title)
        };
        if let Some(d) = &s.denied_by {
            event.push_str(&format!(
                "\n[disputed: claimed by {}, denied by {d}; {}]",
                s.claimed_by.as_deref().unwrap_or("?"),
                if s.applied { "applied" } else { "not applied" }
            ));
        } else if !s.applied {
            event.push_str("\n[not applied]");
        }
        let relax = v.best_relaxation.as_ref().map_or("—".to_string(), |r| {
            format!("drop {} → {} deals", r.drop.len(), r.zopa_size)
        });
        let process = if v.process.consistent {
            "schedulable".to_string()
        } else {
            format!("{} deadlock(s)", v.process.deadlocks)
        };
        let all: Vec<&str> = v.changes.iter().map(String::as_str).collect();
        // Blocking sets can number dozens: count them here, list them in --json.
        let added = all.iter().filter(|c| c.starts_with("new block")).count();
        let gone = all.iter().filter(|c| c.starts_with("block gone")).count();
        let mut changes: Vec<String> = Vec::new();
        if added + gone > 0 {
            changes.push(format!("blocking sets +{added} −{gone}"));
        }
        changes.extend(
            all.iter()
                .filter(|c| !c.starts_with("new block") && !c.starts_with("block gone"))
                .map(|c| c.to_string()),
        );
        t.add_row(vec![
            s.date.clone(),
            event,
            v.zopa_size.to_string(),
            v.blockers.len().to_string(),
            relax,
            process,
            if changes.is_empty() {
                "—".into()
            } else {
                changes.join("\n")
            },
        ]);
    }
    outln!("{t}");
    Ok(0)
}

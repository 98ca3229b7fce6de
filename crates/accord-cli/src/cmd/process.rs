//! `accord process`: can the steps to a deal be ordered? The schedule of
//! milestones, or every deadlock with its owners and the minimal waivers.

use crate::table;
use accord::process::{analyze_process, ConstraintEdge};
use accord_app::reports::{date_after, process_view};

/// Arguments of `accord process`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON), a bundled name, or - for stdin; default: the flagship.
    pub file: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// What-ifs applied before the analysis.
    #[command(flatten)]
    pub whatif: crate::whatif::WhatIf,
}

fn edge_line(e: &ConstraintEdge) -> String {
    let c = &e.constraint;
    let owner = c
        .owner
        .as_deref()
        .map(|o| format!("{o}: "))
        .unwrap_or_default();
    format!(
        "{} → {}  [{} {}] {}{}",
        e.from, e.to, c.id, c.label, owner, c.rule
    )
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    let (sc, assumed) = a.whatif.load(a.file.as_deref())?;
    let report = analyze_process(&sc.process);
    if a.json {
        crate::whatif::print_json(&process_view(&sc, &report), &assumed)?;
        return Ok(0);
    }
    crate::whatif::echo(&assumed)?;
    outln!("{} ({}), as of {}", sc.title, sc.id, sc.as_of);
    if sc.process.milestones.is_empty() {
        outln!("The scenario defines no process milestones.");
        return Ok(0);
    }
    if sc.process.is_conditional() {
        // Without a deal to read the `when` rules against, every step is
        // shown active: say so, or a deadlock that only some deals meet
        // reads as if no deal could ever run.
        let p = &sc.process;
        let mut ids: Vec<String> = p
            .milestones
            .iter()
            .filter(|m| m.when.is_some())
            .map(|m| format!("milestone {}", m.id))
            .collect();
        ids.extend(
            p.preconditions
                .iter()
                .filter(|c| c.when.is_some())
                .map(|c| c.id.clone()),
        );
        ids.extend(
            p.deadlines
                .iter()
                .filter(|d| d.when.is_some())
                .map(|d| d.id.clone()),
        );
        outln!(
            "Every step is shown active, as on a deal that calls for all of them; {} appl{} only \
             on some deals (`when` rules). `accord analyze` shows the process of its reference deal.",
            ids.join(", "),
            if ids.len() == 1 { "ies" } else { "y" }
        );
    }
    if let Some(r) = accord::process::analyze_precondition_readings(
        &sc,
        &accord::process::ProcessReadingsOptions::default(),
    ) {
        print_readings(&r)?;
    }
    if report.consistent {
        outln!(
            "The process can run: every precondition and deadline can be met ({} milestones).",
            sc.process.milestones.len()
        );
        let mut t = table::new(&["milestone", "earliest", "latest"]);
        for w in &report.schedule {
            t.add_row(vec![
                w.milestone.clone(),
                date_after(&sc.as_of, w.earliest),
                w.latest.map_or("open".into(), |l| date_after(&sc.as_of, l)),
            ]);
        }
        outln!("\nSchedule\n{t}");
        for cp in &report.critical_paths {
            outln!("\nCritical path to {} (day {}):", cp.milestone, cp.earliest);
            for s in &cp.steps {
                outln!("  {}", edge_line(s));
            }
        }
        return Ok(0);
    }
    let owners: std::collections::BTreeSet<&str> = report
        .deadlocks
        .iter()
        .flat_map(|d| d.edges.iter().filter_map(|e| e.constraint.owner.as_deref()))
        .collect();
    outln!(
        "The process cannot run: {} deadlock{} (preconditions that wait on each other), held by {}.",
        report.deadlocks.len(),
        if report.deadlocks.len() == 1 { "" } else { "s" },
        owners.into_iter().collect::<Vec<_>>().join(", ")
    );
    for (i, d) in report.deadlocks.iter().enumerate() {
        outln!("\nDeadlock {} (overruns by {} days):", i + 1, -d.total_days);
        for e in &d.edges {
            outln!("  {}", edge_line(e));
            let c = &e.constraint;
            if let Some(q) = &c.quote {
                outln!(
                    "      “{q}”{}",
                    c.source
                        .as_ref()
                        .map(|s| format!(" [{s}]"))
                        .unwrap_or_default()
                );
            }
        }
    }
    if !report.waivers.is_empty() {
        // One numbered row per waiver set: a set of two is waived together,
        // so its constraints must not read as two separate options.
        let mut t = table::new(&["set", "waive all of", "then earliest dates"]);
        for (k, w) in report.waivers.iter().enumerate() {
            let names: Vec<String> = w
                .waived
                .iter()
                .map(|c| {
                    format!(
                        "{} ({}): {}",
                        c.id,
                        c.owner.as_deref().unwrap_or("—"),
                        c.rule
                    )
                })
                .collect();
            let sched: Vec<String> = w
                .schedule
                .iter()
                .map(|m| format!("{} {}", m.milestone, date_after(&sc.as_of, m.earliest)))
                .collect();
            t.add_row(vec![
                (k + 1).to_string(),
                names.join("\n+ "),
                sched.join("\n"),
            ]);
        }
        outln!("\n{}\n{t}", waiver_header(&report.waivers));
    }
    Ok(0)
}

/// The heading of the waiver table, stating how many constraints each set
/// holds ("waiving any one row" is only true when every set has one).
fn waiver_header(waivers: &[accord::process::Waiver]) -> String {
    let sizes: std::collections::BTreeSet<usize> = waivers.iter().map(|w| w.waived.len()).collect();
    let (lo, hi) = (*sizes.first().unwrap_or(&0), *sizes.last().unwrap_or(&0));
    let n = waivers.len();
    let sets = if n == 1 { "set" } else { "sets" };
    if hi == 1 {
        format!("Minimal waivers ({n} {sets} of one constraint): waiving any one row lets a schedule exist")
    } else {
        let size = if lo == hi {
            format!("{lo} constraints each")
        } else {
            format!("{lo} to {hi} constraints")
        };
        format!(
            "Minimal waivers ({n} {sets} of {size}): waiving every constraint of any one set lets a \
             schedule exist"
        )
    }
}

/// The process under every reading of the preconditions that have some.
fn print_readings(r: &accord::process::ProcessReadingsReport) -> anyhow::Result<()> {
    let lines: Vec<String> = r
        .preconditions
        .iter()
        .map(|p| {
            let rs: Vec<String> = p
                .readings
                .iter()
                .map(|x| {
                    format!(
                        "{} ({} → {}, {:.3})",
                        x.name, x.before, x.then, x.probability
                    )
                })
                .collect();
            format!("{}: {}", p.id, rs.join(", "))
        })
        .collect();
    let how = if r.exact {
        format!("{} combinations, exact", r.combinations)
    } else {
        format!(
            "{} samples, seed {}",
            r.samples.unwrap_or(0),
            r.seed.unwrap_or(0)
        )
    };
    outln!(
        "Precondition readings ({how}): {}\nThe process can be ordered with probability {:.3}.",
        lines.join("; "),
        r.p_consistent
    );
    for d in &r.deadlocks {
        let mark = if d.robust == Some(true) {
            ", robust"
        } else {
            ""
        };
        outln!(
            "  {:.3}{mark}: {} ({} days over)",
            d.probability,
            d.cycle.join(" → "),
            d.overrun_days
        );
    }
    outln!();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::waiver_header;
    use accord::process::{ConstraintKind, ConstraintRef, Waiver};

    fn waiver(k: usize) -> Waiver {
        Waiver {
            waived: (0..k)
                .map(|i| ConstraintRef {
                    kind: ConstraintKind::Precondition,
                    id: format!("P{i}"),
                    label: String::new(),
                    owner: None,
                    rule: String::new(),
                    source: None,
                    quote: None,
                    assumption: None,
                })
                .collect(),
            schedule: vec![],
        }
    }

    #[test]
    fn the_header_states_the_set_sizes() {
        assert_eq!(
            waiver_header(&[waiver(1), waiver(1)]),
            "Minimal waivers (2 sets of one constraint): waiving any one row lets a schedule exist"
        );
        // Regression: sets of two were announced as "waiving any one row".
        assert_eq!(
            waiver_header(&[waiver(2), waiver(2)]),
            "Minimal waivers (2 sets of 2 constraints each): waiving every constraint of any one \
             set lets a schedule exist"
        );
        assert_eq!(
            waiver_header(&[waiver(1), waiver(3)]),
            "Minimal waivers (2 sets of 1 to 3 constraints): waiving every constraint of any one \
             set lets a schedule exist"
        );
    }
}

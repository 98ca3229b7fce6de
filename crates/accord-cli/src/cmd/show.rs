//! `accord show`: the scenario as a reader wants to see it — who wants what,
//! how much they care, their red lines, and where each claim comes from.

use crate::table::{self, u3};
use accord::model::{fmt_num, Provenance, Scenario};

/// Arguments of `accord show`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON), a bundled name, or - for stdin; default: the flagship.
    pub file: Option<String>,
    /// Print the scenario (file schema) and positions as JSON.
    #[arg(long)]
    pub json: bool,
    /// What-ifs applied before showing (the scenario as it would stand).
    #[command(flatten)]
    pub whatif: crate::whatif::WhatIf,
}

/// "source-id (grade): “quote”" or "assumption: …".
pub fn cite(sc: &Scenario, p: &Provenance) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &p.source {
        let grade = sc.source(s).map(|x| x.grade.name()).unwrap_or("?");
        parts.push(format!("[{s}, {grade}]"));
    }
    if let Some(q) = &p.quote {
        parts.push(format!("“{q}”"));
    }
    if let Some(a) = &p.assumption {
        parts.push(format!("assumption: {a}"));
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(" ")
    }
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    let (sc, assumed) = a.whatif.load(a.file.as_deref())?;
    if a.json {
        crate::whatif::print_json(&accord_app::views::show_view(&sc), &assumed)?;
        return Ok(0);
    }
    crate::whatif::echo(&assumed)?;
    outln!("{} ({}), as of {}", sc.title, sc.id, sc.as_of);
    if !sc.description.is_empty() {
        outln!("{}", sc.description);
    }
    outln!();

    let mut t = table::new(&["actor", "name", "power", "basis"]);
    for ac in &sc.actors {
        t.add_row(vec![
            ac.id.clone(),
            ac.name.clone(),
            fmt_num(ac.power.value),
            cite(&sc, &ac.power.provenance),
        ]);
    }
    outln!("Actors\n{t}\n");

    let mut t = table::new(&["issue", "name", "values"]);
    for i in &sc.issues {
        let vals = match &i.kind {
            accord::model::IssueKind::Options { options, ordered } => format!(
                "{}{}",
                options
                    .iter()
                    .map(|o| o.id.as_str())
                    .collect::<Vec<_>>()
                    .join(if *ordered { " < " } else { " | " }),
                if *ordered { "" } else { " (unordered)" }
            ),
            accord::model::IssueKind::Numeric {
                min,
                max,
                step,
                unit,
            } => {
                format!(
                    "{} to {} step {} {unit} ({} values)",
                    fmt_num(*min),
                    fmt_num(*max),
                    fmt_num(*step),
                    i.levels()
                )
            }
        };
        t.add_row(vec![i.id.clone(), i.name.clone(), vals]);
    }
    outln!("Issues ({} outcomes)\n{t}\n", table::count(sc.space_size()));

    let mut header = vec!["issue".to_string()];
    header.extend(sc.actors.iter().map(|a| a.id.clone()));
    let mut t = table::new(&header.iter().map(String::as_str).collect::<Vec<_>>());
    for (k, issue) in sc.issues.iter().enumerate() {
        let mut row = vec![issue.id.clone()];
        for p in &sc.preferences {
            let ip = &p.issues[k];
            if ip.weight.value == 0.0 {
                row.push("—".into());
                continue;
            }
            let ideal = issue.value(ip.value.best_level(issue));
            let stance = ip
                .stance
                .as_deref()
                .map(|s| format!(" {s}"))
                .unwrap_or_default();
            row.push(format!("{ideal} (w {}){stance}", u3(ip.weight.value)));
        }
        t.add_row(row);
    }
    let mut res = vec!["reservation".to_string()];
    res.extend(sc.preferences.iter().map(|p| u3(p.reservation.value)));
    t.add_row(res);
    outln!("Positions: each actor's ideal value (salience, stance)\n{t}\n");

    let mut t = table::new(&["actor", "issue", "source"]);
    for (a, p) in sc.actors.iter().zip(&sc.preferences) {
        for (issue, ip) in sc.issues.iter().zip(&p.issues) {
            if ip.weight.value == 0.0
                || (ip.provenance.source.is_none() && ip.provenance.quote.is_none())
            {
                continue;
            }
            t.add_row(vec![
                a.id.clone(),
                issue.id.clone(),
                cite(&sc, &ip.provenance),
            ]);
        }
    }
    outln!("Where the positions come from\n{t}\n");

    if !sc.red_lines.is_empty() {
        let mut t = table::new(&["actor", "red line", "rule", "source"]);
        for r in &sc.red_lines {
            t.add_row(vec![
                sc.actors[r.actor].id.clone(),
                r.id.clone(),
                r.rule.to_text(&sc.issues),
                cite(&sc, &r.provenance),
            ]);
        }
        outln!("Red lines\n{t}\n");
    }
    if !sc.feasibility.is_empty() {
        let mut t = table::new(&["constraint", "rule", "source"]);
        for f in &sc.feasibility {
            t.add_row(vec![
                f.id.clone(),
                f.rule.to_text(&sc.issues),
                cite(&sc, &f.provenance),
            ]);
        }
        outln!("Feasibility constraints\n{t}\n");
    }
    if !sc.ratifiers.is_empty() {
        let mut t = table::new(&[
            "ratifier",
            "actor",
            "quota",
            "blocs (seats, threshold, condition)",
            "source",
        ]);
        for r in &sc.ratifiers {
            let blocs: Vec<String> = r
                .blocs
                .iter()
                .map(|b| {
                    let cond = b
                        .requires
                        .as_ref()
                        .map(|e| format!(", if {}", e.to_text(&sc.issues)))
                        .unwrap_or_default();
                    let share = b
                        .share
                        .as_ref()
                        .map(|s| format!(", {}% of them yes", fmt_num(100.0 * s.value)))
                        .unwrap_or_default();
                    format!(
                        "{}: {} seats, u ≥ {}{cond}{share}",
                        b.id,
                        fmt_num(b.seats.value),
                        fmt_num(b.threshold.value)
                    )
                })
                .collect();
            t.add_row(vec![
                format!("{} ({})", r.name, r.id),
                sc.actors[r.actor].id.clone(),
                quota_text(&sc, r),
                blocs.join("\n"),
                cite(&sc, &r.provenance),
            ]);
        }
        outln!("Ratifiers\n{t}\n");
    }
    let gaps = sc.provenance_gaps();
    if !gaps.is_empty() {
        outln!("{} numbers carry neither a source nor an assumption label (see `accord check --strict`).", gaps.len());
    }
    Ok(0)
}

/// A ratifier's quota with its deal-dependent quotas and when it votes.
fn quota_text(sc: &accord::Scenario, r: &accord::model::Ratifier) -> String {
    let mut out = fmt_num(r.quota.value);
    for q in &r.quotas {
        out.push_str(&format!(
            "\n{} if {}",
            fmt_num(q.quota.value),
            q.when.to_text(&sc.issues)
        ));
    }
    if let Some(e) = &r.applies {
        out.push_str(&format!("\nvotes only if {}", e.to_text(&sc.issues)));
    }
    out
}

//! `accord forecast [FILE]`: the forecasting models on an Accord scenario,
//! each issue shown in its own units (nearest option for option issues).

use crate::forecast_cmd::{ForecastArgs, ModelChoice};
use crate::table;
use accord::forecast::{run_model, spatial_problem, ModelKind, NeverCancel, Package};
use accord::model::fmt_num;
use accord::sensitivity::{NoDeal, NoDealMethod};
use accord::{ConstraintRef, NoProgress};
use accord_app::views::DealForecasts;

/// The engine models a `--model` choice stands for.
pub fn model_kinds(choice: ModelChoice) -> Vec<ModelKind> {
    match choice {
        ModelChoice::Compromise => vec![ModelKind::Compromise],
        ModelChoice::Median => vec![ModelKind::Median],
        ModelChoice::Eum => vec![ModelKind::Eum],
        ModelChoice::Smp => vec![ModelKind::Smp],
        ModelChoice::All => ModelKind::ALL.to_vec(),
    }
}

/// A value on an issue's own scale, compact: whole numbers bare, others to
/// two decimals.
pub fn short(v: f64) -> String {
    if !v.is_finite() {
        "—".into()
    } else if (v - v.round()).abs() < 1e-9 {
        fmt_num(v.round())
    } else {
        format!("{v:.2}")
    }
}

/// Runs `accord forecast` on a scenario; returns the exit code.
pub fn run(args: &ForecastArgs) -> anyhow::Result<i32> {
    let (sc, assumed) = args.whatif.load(args.file.as_deref())?;
    let sp = spatial_problem(&sc).map_err(|e| crate::BadInput(format!("error: {e}")))?;
    let runs: Vec<_> = match &sp.problem {
        Some(p) => model_kinds(args.model)
            .into_iter()
            .map(|kind| (kind, run_model(kind, p, &NeverCancel)))
            .collect(),
        None => Vec::new(),
    };
    let deal = accord_app::forecast_doc::deal_forecasts(&sc, &sp, &runs, &NoProgress)?;
    let mut text = assumed.line().map_or(String::new(), |l| l + "\n");
    text.push_str(&format!("Forecasts for {} (as of {})\n", sc.id, sc.as_of));
    if let Some(d) = &deal {
        text.push_str(&format!(
            "Every forecast is conditional on a deal. {}\n",
            no_deal_line(d.no_deal.as_ref())
        ));
        text.push_str(&deal_note(d));
    }
    text.push('\n');
    for (kind, f) in &runs {
        let nearest = deal.as_ref().and_then(|d| {
            d.nearest
                .get(kind.name())
                .cloned()
                .flatten()
                .map(|p| (p, "nearest deal"))
                .or_else(|| {
                    let r = d.relaxed.as_ref()?;
                    r.nearest
                        .get(kind.name())
                        .cloned()
                        .flatten()
                        .map(|p| (p, "nearest if relaxed"))
                })
        });
        let mut header = vec!["issue", "raw forecast"];
        if let Some((_, h)) = &nearest {
            header.push(h);
        }
        header.extend(["issue scale", "0–100"]);
        let mut t = table::new(&header);
        for (d, mi) in sp.issues.iter().enumerate() {
            let issue = &sc.issues[mi.issue];
            let x = f.forecast[d];
            let mut row = vec![mi.id.clone(), mi.display(issue, x)];
            if let Some((p, _)) = &nearest {
                row.push(package_cell(p, &mi.id));
            }
            row.extend([short(mi.to_issue_scale(x)), format!("{x:.2}")]);
            t.add_row(row);
        }
        if let Some((p, _)) = &nearest {
            for n in &sp.not_forecastable {
                t.add_row(vec![
                    n.issue.clone(),
                    "—".into(),
                    package_cell(p, &n.issue),
                    String::new(),
                    String::new(),
                ]);
            }
        }
        let dist = nearest.as_ref().map_or(String::new(), |(p, _)| {
            format!(
                " (package at distance {:.3}; moved: {})",
                p.distance,
                moved(p)
            )
        });
        let track = accord::forecast::validation(kind.name())
            .map_or(String::new(), |v| format!("  {}\n", v.summary()));
        text.push_str(&format!("{}{dist}\n{track}{t}\n", kind.name()));
        if !f.rounds.is_empty() {
            let mut header = vec!["round"];
            header.extend(sp.issues.iter().map(|m| m.id.as_str()));
            let mut t = table::new(&header);
            for (r, round) in f.rounds.iter().enumerate() {
                let mut row = vec![r.to_string()];
                row.extend(
                    sp.issues
                        .iter()
                        .enumerate()
                        .map(|(d, mi)| short(mi.to_issue_scale(round.forecast[d]))),
                );
                t.add_row(row);
            }
            text.push_str(&format!(
                "{} trajectory (issue scale; status {:?})\n{t}\n",
                kind.name(),
                f.status
            ));
        }
        text.push('\n');
    }
    if !sp.not_forecastable.is_empty() {
        text.push_str("Not forecastable by spatial models:\n");
        for n in &sp.not_forecastable {
            text.push_str(&format!("  {}: {}\n", n.issue, n.reason));
        }
    }
    if args.json {
        let v = accord_app::forecast_doc::forecast_document(&sc, &sp, &runs, deal.as_ref());
        let doc = accord_formats::whatif::WithAssumed {
            doc: &v,
            assumed: &assumed,
        };
        text = serde_json::to_string_pretty(&doc)? + "\n";
    }
    emit(&text, args.json)?;
    Ok(0)
}

/// The probability of no deal in one sentence.
pub fn no_deal_line(nd: Option<&NoDeal>) -> String {
    match nd {
        Some(n) if n.method == NoDealMethod::RedLines => "P(no deal) = 1: a blocking set of red lines holds whatever the uncertain numbers (no sampling error).".into(),
        Some(n) if n.method == NoDealMethod::NoUncertainty => format!(
            "P(no deal) = {}: the scenario has no uncertain numbers, so the analysis at the point values decides.",
            n.probability
        ),
        Some(n) => format!(
            "P(no deal) = {:.2} (95% Wilson interval {:.2} to {:.2}; {} of {} draws of the uncertain numbers have no ZOPA).",
            n.probability, n.ci[0], n.ci[1], n.no_deal_runs, n.runs
        ),
        None => "P(no deal) not estimated here: the space is too large for enough draws (`accord sensitivity --deal-runs N`).".into(),
    }
}

/// The lines that say what the deal-respecting column means.
pub fn deal_note(d: &DealForecasts) -> String {
    let mut out = String::new();
    if d.acceptable_packages > 0 {
        out.push_str(&format!(
            "Each raw forecast is shown with the nearest of the {} packages every party accepts{}.\n",
            fmt_num(d.acceptable_packages as f64),
            if d.truncated { " (the best 5,000 by Nash product searched)" } else { "" }
        ));
    } else {
        out.push_str("No acceptable package: no package satisfies every red line, feasibility rule, reservation and ratifier.\n");
        if let Some(r) = &d.relaxed {
            out.push_str(&format!(
                "Nearest packages shown once {} dropped: {}.\n",
                if r.drop.len() == 1 {
                    "this constraint is"
                } else {
                    "these constraints are"
                },
                r.drop.iter().map(constraint).collect::<Vec<_>>().join("; ")
            ));
        }
    }
    for x in &d.decided_by {
        out.push_str(&format!(
            "{} is decided by {} alone (models do not vote; its ideal is {}){}.\n",
            x.issue,
            x.actor,
            x.ideal,
            x.quote
                .as_ref()
                .map_or(String::new(), |q| format!(": “{q}”"))
        ));
    }
    out
}

fn constraint(c: &ConstraintRef) -> String {
    format!(
        "{}'s {} `{}`",
        c.actor,
        match c.kind {
            accord::ConstraintKind::RedLine => "red line",
            accord::ConstraintKind::Reservation => "reservation",
            accord::ConstraintKind::Ratification => "ratifier",
            accord::ConstraintKind::Precondition => "precondition",
            accord::ConstraintKind::Deadline => "deadline",
        },
        c.rule
    )
}

fn package_cell(p: &Package, issue: &str) -> String {
    p.outcome.get(issue).map_or("—".into(), |v| v.to_string())
}

fn moved(p: &Package) -> String {
    if p.moved.is_empty() {
        "none".into()
    } else {
        p.moved.join(", ")
    }
}

/// Writes to stdout with the input's control characters escaped
/// ([`crate::visible`], or [`crate::visible_json`] for a JSON document); a
/// closed pipe (e.g. `| head`) is not an error.
pub fn emit(text: &str, json: bool) -> anyhow::Result<()> {
    use std::io::Write;
    let text = if json {
        crate::visible_json(text)
    } else {
        crate::visible(text)
    };
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(crate::OutputError(e).into()),
        _ => Ok(()),
    }
}

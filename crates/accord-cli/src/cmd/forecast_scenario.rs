//! `accord forecast [FILE]`: the forecasting models on an Accord scenario,
//! each issue shown in its own units (nearest option for option issues).

use crate::forecast_cmd::{ForecastArgs, ModelChoice};
use crate::input;
use crate::table;
use accord::forecast::{run_model, spatial_problem, ModelKind, NeverCancel};
use accord::model::fmt_num;
use accord_formats::views::forecast_scenario_view;

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
    let sc = input::load(args.file.as_deref())?;
    let sp = spatial_problem(&sc).map_err(|e| crate::BadInput(format!("error: {e}")))?;
    let runs: Vec<_> = match &sp.problem {
        Some(p) => model_kinds(args.model)
            .into_iter()
            .map(|kind| (kind, run_model(kind, p, &NeverCancel)))
            .collect(),
        None => Vec::new(),
    };
    let mut text = format!("Forecasts for {} (as of {})\n\n", sc.id, sc.as_of);
    for (kind, f) in &runs {
        let mut t = table::new(&["issue", "forecast", "issue scale", "0–100"]);
        for (d, mi) in sp.issues.iter().enumerate() {
            let issue = &sc.issues[mi.issue];
            let x = f.forecast[d];
            t.add_row(vec![
                mi.id.clone(),
                mi.display(issue, x),
                short(mi.to_issue_scale(x)),
                format!("{x:.2}"),
            ]);
        }
        text.push_str(&format!("{}\n{t}\n", kind.name()));
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
        let v = forecast_scenario_view(&sc, &sp, &runs);
        text = serde_json::to_string_pretty(&v)? + "\n";
    }
    emit(&text)?;
    Ok(0)
}

/// Writes to stdout; a closed pipe (e.g. `| head`) is not an error.
pub fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(crate::OutputError(e).into()),
        _ => Ok(()),
    }
}

//! `accord sensitivity`: Monte Carlo over a scenario's uncertain numbers —
//! the spread of each model's forecast, the odds that a ZOPA exists, where
//! the Nash solution lands, and which inputs drive the results.

use super::forecast_scenario::{model_kinds, short};
use crate::forecast_cmd::ModelChoice;
use crate::progress::Bar;
use crate::table;
use accord::model::Dist;
use accord::sensitivity::{sensitivity, IssueForecast, SensitivityOptions, SensitivityReport};
use accord::AnalyzeOptions;

/// Arguments of `accord sensitivity`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON), a bundled name, or - for stdin; default: the flagship.
    pub file: Option<String>,
    /// Monte Carlo runs of the forecasting models.
    #[arg(long, default_value_t = 1000, value_parser = at_least_one_run)]
    pub runs: u64,
    /// Base seed; run i draws from a generator keyed by (seed, i).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// How many runs (the first ones) also analyse the deal space (a full
    /// analysis each; 0 skips it). They cost most of the time: on the
    /// flagship the default 50 take about 55 CPU-seconds in a release
    /// build (1000 forecast runs alone: under 1 s). Progress goes to stderr.
    #[arg(long, default_value_t = 50)]
    pub deal_runs: u64,
    /// Model(s) to run.
    #[arg(long, value_enum, default_value_t = ModelChoice::All)]
    pub model: ModelChoice,
    /// How many input–output rank correlations to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// What-ifs applied before the analysis.
    #[command(flatten)]
    pub whatif: crate::whatif::WhatIf,
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    let (sc, assumed) = a.whatif.load(a.file.as_deref())?;
    let opts = SensitivityOptions {
        runs: a.runs as usize,
        seed: a.seed,
        deal_runs: a.deal_runs.min(a.runs) as usize,
        models: model_kinds(a.model),
        top: a.top,
        analyze: AnalyzeOptions::default(),
        ..SensitivityOptions::default()
    };
    // Long runs in a log or a pipe print a line every 5 s on stderr.
    let bar = Bar::with_lines(std::time::Duration::from_secs(5));
    let result = sensitivity(&sc, &opts, &bar);
    bar.finish();
    let report = match result {
        Err(accord::Error::TooLarge(_)) => {
            return Err(crate::BadInput(format!(
                "error: {} (or use --deal-runs 0 to skip the deal space)",
                accord_app::explain::too_large(&sc, accord::AnalyzeOptions::default().max_outcomes)
            ))
            .into())
        }
        Err(accord::Error::Invalid(m)) => {
            return Err(crate::BadInput(format!("error: invalid scenario or sample: {m}")).into())
        }
        r => r?,
    };
    if a.json {
        crate::whatif::print_json(&report, &assumed)?;
    } else {
        crate::whatif::echo(&assumed)?;
        super::forecast_scenario::emit(&render(&report), false)?;
    }
    if report.cancelled {
        eprintln!(
            "interrupted: the report covers {} of {} runs",
            report.runs_done, report.runs
        );
        return Ok(130);
    }
    Ok(0)
}

fn dist(d: &Dist) -> String {
    match *d {
        Dist::Uniform { lo, hi } => format!("uniform [{}, {}]", short(lo), short(hi)),
        Dist::Normal { mean, sd } => format!("normal ({}, sd {})", short(mean), short(sd)),
        Dist::Triangular { lo, mode, hi } => {
            format!("triangular [{}, {}, {}]", short(lo), short(mode), short(hi))
        }
    }
}

/// The most frequent option (or bin) and its share of the runs.
fn mode(f: &IssueForecast) -> String {
    let n = f.summary.n.max(1) as f64;
    f.summary
        .histogram
        .iter()
        .max_by(|a, b| a.count.cmp(&b.count).then(b.lo.total_cmp(&a.lo)))
        .map_or("—".into(), |b| {
            format!("{} ({:.0}%)", b.label, 100.0 * b.count as f64 / n)
        })
}

/// `writeln!` into a `String`, which cannot fail.
macro_rules! w {
    ($($t:tt)*) => {
        let _ = writeln!($($t)*);
    };
}

fn render(r: &SensitivityReport) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    w!(
        o,
        "Sensitivity of {}: {} forecast runs (seed {}), {} uncertain inputs",
        r.scenario,
        r.runs_done,
        r.seed,
        r.inputs.len()
    );
    w!(o);
    let mut t = table::new(&["input", "point", "distribution"]);
    for i in &r.inputs {
        t.add_row(vec![i.name.clone(), short(i.value), dist(&i.dist)]);
    }
    w!(o, "{t}\n");
    for (model, issues) in &r.forecasts {
        w!(
            o,
            "{model} (issue units; option issues by option index, 0 = first)"
        );
        // sd and the 25/75 % quantiles are in the JSON; the table keeps
        // to what fits a terminal.
        let mut t = table::new(&["issue", "point", "mean", "p5", "p50", "p95", "most often"]);
        for (id, f) in issues {
            let s = &f.summary;
            let q = &s.quantiles;
            t.add_row(vec![
                id.clone(),
                f.point_label.clone(),
                short(s.mean),
                short(q.p5),
                short(q.p50),
                short(q.p95),
                mode(f),
            ]);
        }
        w!(o, "{t}\n");
    }
    if !r.not_forecastable.is_empty() {
        w!(o, "Not forecastable by spatial models:");
        for n in &r.not_forecastable {
            w!(o, "  {}: {}", n.issue, n.reason);
        }
        w!(o);
    }
    if let Some(d) = &r.deal {
        w!(
            o,
            "Deal space over {} runs: a ZOPA exists in {} ({:.1}%).",
            d.runs,
            d.zopa_runs,
            100.0 * d.zopa_probability
        );
        if !d.nash.is_empty() {
            let mut t = table::new(&["issue", "Nash solution: value (share of ZOPA runs)"]);
            for (issue, freq) in &d.nash {
                let vals: Vec<String> = freq
                    .iter()
                    .map(|(v, p)| format!("{v} {:.0}%", 100.0 * p))
                    .collect();
                t.add_row(vec![issue.clone(), vals.join(", ")]);
            }
            w!(o, "{t}");
        }
        w!(o);
    }
    if !r.correlations.is_empty() {
        w!(
            o,
            "Inputs that move the results most (Spearman rank correlation):"
        );
        let mut t = table::new(&["input", "output", "ρ"]);
        for c in &r.correlations {
            t.add_row(vec![
                c.input.clone(),
                c.output.clone(),
                format!("{:+.3}", c.rho),
            ]);
        }
        w!(o, "{t}");
    }
    o
}

/// Parses `--runs`: a whole number of at least 1 (clap's own range message
/// would print `1..18446744073709551615`).
fn at_least_one_run(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(0) => Err("expected at least 1 run".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{s}` is not a whole number of runs")),
    }
}

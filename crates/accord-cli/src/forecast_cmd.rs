//! `accord forecast` and `accord backtest`: forecasting models on KTAB and
//! DEU inputs.

use std::path::PathBuf;

use accord::forecast::{
    backtest, cross_validate, BacktestOptions, CvOptions, Forecast, NeverCancel, SpatialProblem,
};
use accord_app::input::{load_forecast_input, run_forecast_model, ForecastInput, ForecastSource};
use accord_formats::deu::{read_deu_backtest, read_deu_cv};
use anyhow::{bail, Context};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};

/// Which model(s) `accord forecast` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelChoice {
    /// Power × salience weighted mean.
    Compromise,
    /// Power × salience weighted median.
    Median,
    /// Bueno de Mesquita / Scholz expected-utility model.
    Eum,
    /// KTAB Spatial Model of Politics.
    Smp,
    /// All of the above.
    All,
}

/// Arguments of `accord forecast`.
#[derive(Debug, Clone, clap::Args)]
pub struct ForecastArgs {
    /// Scenario file, a bundled name, or - for stdin; default: the flagship.
    #[arg(conflicts_with_all = ["ktab", "deu"])]
    pub file: Option<String>,
    /// KTAB SMP input (.csv or .xml).
    #[arg(long, conflicts_with = "deu")]
    pub ktab: Option<PathBuf>,
    /// DEU CSV file (each issue is one dimension).
    #[arg(long)]
    pub deu: Option<PathBuf>,
    /// Only this DEU issue id (e.g. d00032i1).
    #[arg(long, requires = "deu")]
    pub issue: Option<String>,
    /// Model to run.
    #[arg(long, value_enum, default_value_t = ModelChoice::All)]
    pub model: ModelChoice,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
    /// What-ifs applied to the scenario before forecasting.
    #[command(flatten)]
    pub whatif: crate::whatif::WhatIf,
}

/// Arguments of `accord backtest`.
#[derive(Debug, Clone, clap::Args)]
pub struct BacktestArgs {
    /// DEU CSV file with outcomes.
    #[arg(long)]
    pub deu: PathBuf,
    /// Bootstrap seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Bootstrap resamples.
    #[arg(long, default_value_t = 2000)]
    pub resamples: usize,
    /// Two-sided confidence level of the intervals, between 0 and 1 (e.g.
    /// 0.996 for a Bonferroni correction over twelve comparisons).
    #[arg(long, default_value_t = 0.95, value_parser = parse_level)]
    pub level: f64,
    /// Cross-validate with K folds by proposal (from --seed): models with
    /// parameters, including Council voting power, are fitted on the
    /// training folds only.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(2..=1000))]
    pub cv: Option<u64>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// A confidence level strictly between 0 and 1.
fn parse_level(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
        _ => Err(format!(
            "expected a confidence level between 0 and 1 (e.g. 0.95), not `{text}`"
        )),
    }
}

/// The header of the interval column: `95% CI of Δ`, `99.6% CI of Δ`.
fn ci_header(level: f64) -> String {
    let pct = format!("{:.4}", 100.0 * level);
    let pct = pct.trim_end_matches('0').trim_end_matches('.');
    format!("{pct}% CI of Δ")
}

fn load(args: &ForecastArgs) -> anyhow::Result<ForecastInput> {
    let src = match (&args.ktab, &args.deu) {
        (Some(path), _) => ForecastSource::Ktab(path),
        (None, Some(path)) => ForecastSource::Deu(path, args.issue.as_deref()),
        (None, None) => bail!("give --ktab FILE or --deu FILE"),
    };
    let input = load_forecast_input(src).map_err(crate::input::bad_input)?;
    if input.stochastic {
        eprintln!("note: the file asks for stochastic transitions; running deterministic SMP");
    }
    Ok(input)
}

/// Runs `accord forecast`; returns the process exit code.
pub fn run_forecast(args: &ForecastArgs) -> anyhow::Result<i32> {
    if args.ktab.is_none() && args.deu.is_none() {
        return crate::cmd::forecast_scenario::run(args);
    }
    args.whatif.refuse("--ktab or --deu input")?;
    let input = load(args)?;
    let mut out = accord_app::views::ForecastDoc::default();
    let mut text = String::new();
    for kind in crate::cmd::forecast_scenario::model_kinds(args.model) {
        let model = kind.name();
        for unit in &input.units {
            let (label, p) = (&unit.label, &unit.problem);
            let f = run_forecast_model(kind, p, &unit.smp, &NeverCancel);
            // A model with no one taking part (every salience 0) divides by
            // zero: say so instead of printing NaN with exit 0.
            if f.forecast.iter().any(|x| !x.is_finite()) {
                return Err(crate::BadInput(format!(
                    "error: the {model} model has no forecast for `{label}`: no actor has both a \
                     position and a salience above 0 on every dimension"
                ))
                .into());
            }
            out.add(model, p, &f);
            if !args.json {
                text.push_str(&render(model, label, p, &f));
            }
        }
    }
    if args.json {
        text = serde_json::to_string_pretty(&out)? + "\n";
    }
    emit(&text, args.json)
}

/// Writes to stdout, with the input's control characters escaped (as JSON
/// escapes in a JSON document); a closed pipe (e.g. `| head`) is not an
/// error.
fn emit(text: &str, json: bool) -> anyhow::Result<i32> {
    crate::cmd::forecast_scenario::emit(text, json)?;
    Ok(0)
}

fn render(model: &str, label: &str, p: &SpatialProblem, f: &Forecast) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec!["round".to_string()];
    header.extend(p.dimensions().iter().map(|d| d.name.clone()));
    t.set_header(header);
    for (r, round) in f.rounds.iter().enumerate() {
        let mut row = vec![r.to_string()];
        row.extend(round.forecast.iter().map(|v| format!("{v:.2}")));
        t.add_row(row);
    }
    let mut row = vec!["forecast".to_string()];
    row.extend(f.forecast.iter().map(|v| format!("{v:.2}")));
    t.add_row(row);
    format!("{model} — {label}\n{t}\n\n")
}

/// Runs `accord backtest`; returns the process exit code.
pub fn run_backtest(args: &BacktestArgs) -> anyhow::Result<i32> {
    let text = crate::input::read_file(&args.deu)?;
    if let Some(k) = args.cv {
        return run_cross_validation(args, &text, k as usize);
    }
    let issues = read_deu_backtest(&text).with_context(|| format!("in {}", args.deu.display()))?;
    let opts = BacktestOptions {
        seed: args.seed,
        resamples: args.resamples,
        level: args.level,
        ..BacktestOptions::default()
    };
    let r = backtest(&issues, &opts, &NeverCancel);
    if r.issues_scored == 0 {
        return Err(nothing_scored(args, opts.min_actors, issues.len()));
    }
    if args.json {
        let v = accord_app::views::backtest_view(&r, opts.level);
        emit(&(serde_json::to_string_pretty(&v)? + "\n"), true)
    } else {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(vec![
            "model".to_string(),
            "MAE".into(),
            "Δ vs compromise".into(),
            ci_header(opts.level),
        ]);
        for s in &r.scores {
            let ci = s.ci.map_or("—".to_string(), |c| {
                format!("[{:+.2}, {:+.2}]", c[0], c[1])
            });
            t.add_row(vec![
                s.model.clone(),
                format!("{:.2}", s.mae),
                format!("{:+.2}", s.diff_to_compromise),
                ci,
            ]);
        }
        emit(
            &format!(
                "DEU backtest: {} issues scored (seed {})\n{t}\n",
                r.issues_scored, args.seed
            ),
            false,
        )
    }
}

/// The error when no DEU issue had enough actors to score.
fn nothing_scored(args: &BacktestArgs, min_actors: usize, issues: usize) -> anyhow::Error {
    crate::BadInput(format!(
        "error: {}",
        accord_app::explain::nothing_scored(&args.deu.display().to_string(), min_actors, issues)
    ))
    .into()
}

/// `accord backtest --cv K`: the cross-validated backtest.
fn run_cross_validation(args: &BacktestArgs, text: &str, folds: usize) -> anyhow::Result<i32> {
    let issues = read_deu_cv(text)
        .map_err(|e| crate::BadInput(format!("error: in {}: {e}", args.deu.display())))?;
    let opts = CvOptions {
        folds,
        backtest: BacktestOptions {
            seed: args.seed,
            resamples: args.resamples,
            level: args.level,
            ..BacktestOptions::default()
        },
    };
    let r = cross_validate(&issues, &opts, &NeverCancel);
    if r.issues_scored == 0 {
        return Err(nothing_scored(args, opts.backtest.min_actors, issues.len()));
    }
    if args.json {
        let v = accord_app::views::backtest_cv_view(&r, opts.backtest.level);
        return emit(&(serde_json::to_string_pretty(&v)? + "\n"), true);
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "model".to_string(),
        "MAE".into(),
        "Δ vs compromise".into(),
        ci_header(opts.backtest.level),
        "fold MAE min–max".into(),
    ]);
    for s in &r.scores {
        let ci = s.ci.map_or("—".to_string(), |c| {
            format!("[{:+.2}, {:+.2}]", c[0], c[1])
        });
        let lo = s.fold_mae.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = s.fold_mae.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        t.add_row(vec![
            s.model.clone(),
            format!("{:.2}", s.mae),
            format!("{:+.2}", s.diff_to_compromise),
            ci,
            format!("{lo:.2}–{hi:.2}"),
        ]);
    }
    emit(
        &format!(
            "DEU cross-validated backtest: {} issues, {} folds by proposal (seed {}); \
         CI: paired bootstrap over proposals\n{t}\n",
            r.issues_scored, r.folds, r.seed
        ),
        false,
    )
}

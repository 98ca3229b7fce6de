//! Monte Carlo sensitivity: how the forecasts and the deal space move when
//! every uncertain number of a scenario is drawn from its distribution.
//!
//! Run `i` draws every input ([`uncertain_inputs`]) from a `ChaCha8Rng`
//! keyed by `(seed, i)`, applies the rules of the input module (weights
//! renormalised per actor, reservations/thresholds/quotas clamped to
//! [0, 1], powers kept positive), maps the sampled scenario to its spatial
//! problem ([`spatial_problem`]) and runs every forecasting model. The first
//! `deal_runs` runs also call [`analyze`] on the same sample,
//! for the probability that a ZOPA exists and the distribution of the Nash
//! solution. Runs are independent, so they run in parallel and the report
//! is the same for any number of threads.
//!
//! Forecasts are reported in each issue's own units (option index for
//! option issues, with histograms by nearest option). Which inputs matter
//! is measured by Spearman's rank correlation ρ between each input's draws
//! and each output.
//!
//! # Example
//!
//! ```
//! use accord::forecast::ModelKind;
//! use accord::sensitivity::{sensitivity, SensitivityOptions};
//! # use accord::model::*;
//! # let numeric = IssueKind::Numeric { min: 0.0, max: 100.0, step: 1.0, unit: "".into() };
//! # let pref = |v: ValueFn| Preference { reservation: Param::new(0.0), issues: vec![
//! #     IssuePref { weight: Param::new(1.0), value: v, stance: None, provenance: Provenance::default() }] };
//! # let actor = |id: &str| Actor { id: id.into(), name: id.into(), power: Param::new(1.0) };
//! # let mut sc = Scenario { id: "two".into(), actors: vec![actor("A"), actor("B")],
//! #     issues: vec![Issue { id: "x".into(), name: "x".into(), kind: numeric }],
//! #     preferences: vec![pref(ValueFn::Falling), pref(ValueFn::Rising)], ..Default::default() };
//! // A wants 0 and B 100 on one issue; A's power is uniform on [1, 3].
//! sc.actors[0].power.dist = Some(Dist::Uniform { lo: 1.0, hi: 3.0 });
//! let opts = SensitivityOptions { runs: 2000, deal_runs: 0,
//!     models: vec![ModelKind::Compromise], ..Default::default() };
//! let r = sensitivity(&sc, &opts, &accord::NoProgress)?;
//! // The compromise 100 / (p + 1) has mean 50 ln 2 ≈ 34.66 ...
//! let mean = r.forecasts["compromise"]["x"].summary.mean;
//! assert!((mean - 50.0 * 2f64.ln()).abs() < 0.6);
//! // ... and falls as A's power rises: a rank correlation of exactly −1.
//! assert_eq!(r.correlations[0].rho, -1.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod inputs;
mod no_deal;
mod stats;

pub use inputs::{uncertain_inputs, UncertainInput, MIN_POWER};
pub use no_deal::{no_deal_probability, wilson, NoDeal, NoDealMethod};
pub use stats::{quantile, ranks, spearman, Bin, Quantiles, Summary};

use crate::analysis::zopa_and_nash;
use crate::forecast::{
    run_model_final, spatial_problem, ForecastStatus, ModelKind, NotForecastable, ScenarioProblem,
};
use crate::model::{fmt_num, IssueKind, Scenario};
use crate::{analyze, AnalyzeOptions, Error, Progress};
use indexmap::IndexMap;
use serde::Serialize;

/// What a sensitivity run computes.
#[derive(Debug, Clone)]
pub struct SensitivityOptions {
    /// Monte Carlo runs of the forecasting models.
    pub runs: usize,
    /// Base seed; run `i` is keyed by `(seed, i)`.
    pub seed: u64,
    /// How many of the runs (the first ones) also analyse the deal space;
    /// each is a full [`analyze`], so this is kept lower.
    pub deal_runs: usize,
    /// The forecasting models to run (default options each).
    pub models: Vec<ModelKind>,
    /// Histogram bins for numeric issues (option issues get one per option).
    pub bins: usize,
    /// How many input–output rank correlations to report, strongest first.
    pub top: usize,
    /// Options for the deal-space analyses.
    pub analyze: AnalyzeOptions,
}

impl Default for SensitivityOptions {
    fn default() -> Self {
        SensitivityOptions {
            runs: 1000,
            seed: 0,
            deal_runs: 50,
            models: ModelKind::ALL.to_vec(),
            bins: 10,
            top: 10,
            analyze: AnalyzeOptions::default(),
        }
    }
}

/// One model's forecast of one issue across the runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueForecast {
    /// The forecast at the point values, in the issue's units.
    pub point: f64,
    /// The point forecast in the issue's terms (nearest option, or number).
    pub point_label: String,
    /// The distribution over the runs, in the issue's units.
    pub summary: Summary,
}

/// The deal space across the runs that analysed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealSummary {
    /// Runs analysed.
    pub runs: usize,
    /// Runs in which a ZOPA exists.
    pub zopa_runs: usize,
    /// `zopa_runs / runs`.
    pub zopa_probability: f64,
    /// Issue → value → share of the ZOPA runs whose Nash solution takes it.
    pub nash: IndexMap<String, IndexMap<String, f64>>,
}

/// A rank correlation between one input and one output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    /// Input name (see [`UncertainInput::name`]).
    pub input: String,
    /// Output: `model:issue` for a forecast, `zopa` for whether a ZOPA exists.
    pub output: String,
    /// Spearman's ρ.
    pub rho: f64,
}

/// The result of [`sensitivity`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityReport {
    /// Scenario id.
    pub scenario: String,
    /// Base seed.
    pub seed: u64,
    /// Forecast runs asked for.
    pub runs: usize,
    /// Forecast runs completed (fewer when cancelled).
    pub runs_done: usize,
    /// Whether the caller stopped the work; the report covers what was done.
    pub cancelled: bool,
    /// The sampled inputs.
    pub inputs: Vec<UncertainInput>,
    /// Issues the spatial models cannot forecast, with the reason.
    pub not_forecastable: Vec<NotForecastable>,
    /// Model → issue → forecast distribution.
    pub forecasts: IndexMap<String, IndexMap<String, IssueForecast>>,
    /// The deal space, when `deal_runs > 0`.
    pub deal: Option<DealSummary>,
    /// The strongest input–output rank correlations, |ρ| descending.
    pub correlations: Vec<Correlation>,
}

/// A progress handle that passes on cancellation only, so nested analyses
/// do not replace the Monte Carlo bar.
struct CancelOnly<'a>(&'a dyn Progress);

impl Progress for CancelOnly<'_> {
    fn cancelled(&self) -> bool {
        self.0.cancelled()
    }
}

/// One forecast run: raw draws and, per model, per forecastable issue, the
/// forecast in the issue's units.
struct RunOut {
    draws: Vec<f64>,
    forecasts: Vec<Vec<f64>>,
}

/// One deal-space run: raw draws, whether a ZOPA exists, the Nash outcome.
struct DealOut {
    draws: Vec<f64>,
    zopa: bool,
    nash: Option<Vec<(String, String)>>,
}

fn forecast_run(
    sc: &Scenario,
    models: &[ModelKind],
    progress: &dyn Progress,
) -> Result<Option<Vec<Vec<f64>>>, Error> {
    let sp = spatial_problem(sc)?;
    let Some(problem) = &sp.problem else {
        return Ok(Some(vec![Vec::new(); models.len()]));
    };
    let cancel = || progress.cancelled();
    let mut out = Vec::with_capacity(models.len());
    for &m in models {
        let f = run_model_final(m, problem, &cancel);
        if f.status == ForecastStatus::Cancelled {
            return Ok(None);
        }
        out.push(
            sp.issues
                .iter()
                .zip(&f.forecast)
                .map(|(mi, &x)| mi.to_issue_scale(x))
                .collect(),
        );
    }
    Ok(Some(out))
}

/// Runs the Monte Carlo sensitivity analysis of a scenario (see the module
/// doc). Errors: an invalid scenario (or an invalid sample, e.g. all of an
/// actor's weights drawn as 0), or a space too large to analyse when
/// `deal_runs > 0`. Cancellation is not an error: the report covers the
/// runs completed and says `cancelled`.
pub fn sensitivity(
    sc: &Scenario,
    opts: &SensitivityOptions,
    progress: &dyn Progress,
) -> Result<SensitivityReport, Error> {
    let base = spatial_problem(sc)?;
    let inputs = uncertain_inputs(sc);
    let point =
        forecast_run(sc, &opts.models, &crate::NoProgress)?.expect("NoProgress never cancels");

    progress.start(opts.runs as u64, "Monte Carlo forecasts");
    let runs: Vec<Option<RunOut>> =
        inputs::each_run(sc, &inputs, opts.seed, opts.runs, |sampled, draws| {
            if progress.cancelled() {
                return Ok(None);
            }
            let out = forecast_run(sampled, &opts.models, progress)?;
            progress.advance(1);
            Ok(out.map(|forecasts| RunOut { draws, forecasts }))
        })?;
    let done: Vec<RunOut> = runs.into_iter().flatten().collect();
    let mut cancelled = done.len() < opts.runs;

    let deal_runs = if cancelled { 0 } else { opts.deal_runs };
    let deals: Vec<DealOut> = if deal_runs > 0 {
        if sc.space_size() > opts.analyze.max_outcomes {
            return Err(Error::TooLarge(sc.space_size()));
        }
        progress.start(deal_runs as u64, "Monte Carlo deal space");
        let quiet = CancelOnly(progress);
        let outs: Vec<Option<DealOut>> =
            inputs::each_run(sc, &inputs, opts.seed, deal_runs, |sampled, draws| {
                if progress.cancelled() {
                    return Ok(None);
                }
                // Only the ZOPA and its Nash solution are read: a scan
                // that skips prefixes breaking a red line answers them.
                let (zopa, nash) = match zopa_and_nash(sampled, &opts.analyze, &quiet) {
                    Err(Error::Cancelled) => return Ok(None),
                    Ok(None) => match analyze(sampled, &opts.analyze, &quiet) {
                        Err(Error::Cancelled) => return Ok(None),
                        r => {
                            let a = r?;
                            (a.zopa.size, a.solutions.nash)
                        }
                    },
                    r => r?.expect("matched above"),
                };
                progress.advance(1);
                let nash = nash.as_ref().map(|n| {
                    n.point
                        .outcome
                        .iter()
                        .map(|(k, v)| (k.clone(), v.to_string()))
                        .collect()
                });
                Ok(Some(DealOut {
                    draws,
                    zopa: zopa > 0,
                    nash,
                }))
            })?;
        outs.into_iter().flatten().collect()
    } else {
        Vec::new()
    };
    cancelled |= deals.len() < deal_runs;

    let forecasts = summarise_forecasts(sc, &base, opts, &point, &done);
    let deal = (deal_runs > 0).then(|| summarise_deals(sc, &deals));
    // The correlations are costly (a rank sort per input and output) and
    // a caller that shows none asks for none.
    let correlations = if opts.top > 0 {
        correlate(&inputs, &base, opts, &done, &deals)
    } else {
        Vec::new()
    };
    Ok(SensitivityReport {
        scenario: sc.id.clone(),
        seed: opts.seed,
        runs: opts.runs,
        runs_done: done.len(),
        cancelled,
        inputs,
        not_forecastable: base.not_forecastable,
        forecasts,
        deal,
        correlations,
    })
}

fn summarise_forecasts(
    sc: &Scenario,
    base: &ScenarioProblem,
    opts: &SensitivityOptions,
    point: &[Vec<f64>],
    done: &[RunOut],
) -> IndexMap<String, IndexMap<String, IssueForecast>> {
    let mut out = IndexMap::new();
    for (m, model) in opts.models.iter().enumerate() {
        let mut per_issue = IndexMap::new();
        for (d, mi) in base.issues.iter().enumerate() {
            let issue = &sc.issues[mi.issue];
            let xs: Vec<f64> = done.iter().map(|r| r.forecasts[m][d]).collect();
            let summary = match &issue.kind {
                IssueKind::Options { options, .. } => {
                    let bins = options
                        .iter()
                        .enumerate()
                        .map(|(k, o)| (o.id.clone(), k as f64 - 0.5, k as f64 + 0.5))
                        .collect();
                    stats::summarise(&xs, bins, |x| issue.nearest_level(x))
                }
                IssueKind::Numeric { .. } => {
                    let (lo, hi) = (mi.lo, mi.hi);
                    let nb = opts.bins.max(1);
                    let w = (hi - lo) / nb as f64;
                    let bins = (0..nb)
                        .map(|b| {
                            let (a, z) = (lo + w * b as f64, lo + w * (b + 1) as f64);
                            (format!("{}–{}", fmt_num(a), fmt_num(z)), a, z)
                        })
                        .collect();
                    stats::summarise(&xs, bins, |x| {
                        if w > 0.0 {
                            ((x - lo) / w).floor().max(0.0) as usize
                        } else {
                            0
                        }
                    })
                }
            };
            let p = point[m][d];
            per_issue.insert(
                mi.id.clone(),
                IssueForecast {
                    point: p,
                    point_label: mi.display(issue, mi.to_model_scale(p)),
                    summary,
                },
            );
        }
        out.insert(model.name().to_string(), per_issue);
    }
    out
}

fn summarise_deals(sc: &Scenario, deals: &[DealOut]) -> DealSummary {
    let zopa_runs = deals.iter().filter(|d| d.zopa).count();
    let mut nash: IndexMap<String, IndexMap<String, f64>> = IndexMap::new();
    let with_nash: Vec<&Vec<(String, String)>> =
        deals.iter().filter_map(|d| d.nash.as_ref()).collect();
    for (j, issue) in sc.issues.iter().enumerate() {
        let mut counts: IndexMap<String, f64> = IndexMap::new();
        for n in &with_nash {
            *counts.entry(n[j].1.clone()).or_default() += 1.0;
        }
        // Order values by frequency (then by value) so the mode comes first.
        counts.sort_by(|ka, a, kb, b| b.total_cmp(a).then(ka.cmp(kb)));
        for v in counts.values_mut() {
            *v /= with_nash.len() as f64;
        }
        if !counts.is_empty() {
            nash.insert(issue.id.clone(), counts);
        }
    }
    DealSummary {
        runs: deals.len(),
        zopa_runs,
        zopa_probability: if deals.is_empty() {
            f64::NAN
        } else {
            zopa_runs as f64 / deals.len() as f64
        },
        nash,
    }
}

fn correlate(
    inputs: &[UncertainInput],
    base: &ScenarioProblem,
    opts: &SensitivityOptions,
    done: &[RunOut],
    deals: &[DealOut],
) -> Vec<Correlation> {
    let mut out = Vec::new();
    for (k, inp) in inputs.iter().enumerate() {
        let x: Vec<f64> = done.iter().map(|r| r.draws[k]).collect();
        for (m, model) in opts.models.iter().enumerate() {
            for (d, mi) in base.issues.iter().enumerate() {
                let y: Vec<f64> = done.iter().map(|r| r.forecasts[m][d]).collect();
                if let Some(rho) = spearman(&x, &y) {
                    out.push(Correlation {
                        input: inp.name.clone(),
                        output: format!("{}:{}", model.name(), mi.id),
                        rho,
                    });
                }
            }
        }
        let xd: Vec<f64> = deals.iter().map(|r| r.draws[k]).collect();
        let yd: Vec<f64> = deals.iter().map(|r| f64::from(u8::from(r.zopa))).collect();
        if let Some(rho) = spearman(&xd, &yd) {
            out.push(Correlation {
                input: inp.name.clone(),
                output: "zopa".into(),
                rho,
            });
        }
    }
    out.sort_by(|a, b| {
        b.rho
            .abs()
            .total_cmp(&a.rho.abs())
            .then_with(|| a.input.cmp(&b.input))
            .then_with(|| a.output.cmp(&b.output))
    });
    out.truncate(opts.top);
    out
}

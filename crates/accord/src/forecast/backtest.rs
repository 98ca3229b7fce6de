//! Backtesting forecasting models against observed outcomes.
//!
//! An issue is scored when it has an observed outcome and at least
//! `min_actors` actors with both a position and a salience on its (first)
//! dimension. Each model's error is |forecast − outcome| on 0–100; the
//! report gives the mean absolute error (MAE) and, for every model but the
//! compromise model, a paired percentile-bootstrap confidence interval of
//! the mean of (model error − compromise error). Resample b draws its
//! indices from a `ChaCha8Rng` keyed by (seed, b), so results are
//! deterministic and independent of evaluation order.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;

use super::baseline::weighted_mean;
use super::{compromise, weighted_median, Cancel, EumOptions, SmpOptions, SpatialProblem};

/// One backtest case: a problem, its first dimension scored.
#[derive(Debug, Clone)]
pub struct BacktestIssue {
    /// Identifier shown in reports.
    pub id: String,
    /// The actors' positions and saliences.
    pub problem: SpatialProblem,
    /// Observed outcome on 0–100, if known.
    pub outcome: Option<f64>,
}

/// Backtest settings.
#[derive(Debug, Clone)]
pub struct BacktestOptions {
    /// Minimum number of participating actors (3).
    pub min_actors: usize,
    /// Bootstrap seed.
    pub seed: u64,
    /// Bootstrap resamples (2000).
    pub resamples: usize,
    /// Two-sided confidence level (0.95).
    pub level: f64,
    /// Run the expected-utility model.
    pub eum: Option<EumOptions>,
    /// Run the SMP model.
    pub smp: Option<SmpOptions>,
}

impl Default for BacktestOptions {
    fn default() -> Self {
        BacktestOptions {
            min_actors: 3,
            seed: 0,
            resamples: 2000,
            level: 0.95,
            eum: Some(EumOptions::default()),
            smp: Some(SmpOptions::default()),
        }
    }
}

/// One model's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelScore {
    /// Model name: compromise, mean, median, eum or smp.
    pub model: String,
    /// Mean absolute error on 0–100.
    pub mae: f64,
    /// Mean of (model error − compromise error).
    pub diff_to_compromise: f64,
    /// Bootstrap CI of that difference; `None` for the compromise model.
    pub ci: Option<[f64; 2]>,
    /// Absolute error per scored issue, in issue order.
    pub errors: Vec<f64>,
}

/// The result of a backtest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestReport {
    /// Number of issues scored.
    pub issues_scored: usize,
    /// Ids of the scored issues.
    pub issue_ids: Vec<String>,
    /// Scores, compromise first.
    pub scores: Vec<ModelScore>,
    /// True when the cancel check stopped the run early.
    pub cancelled: bool,
}

/// Scores the models on every issue with an outcome (see module docs).
pub fn backtest(
    issues: &[BacktestIssue],
    options: &BacktestOptions,
    cancel: &dyn Cancel,
) -> BacktestReport {
    let mut ids = Vec::new();
    let mut names: Vec<&str> = vec!["compromise", "mean", "median"];
    if options.eum.is_some() {
        names.push("eum");
    }
    if options.smp.is_some() {
        names.push("smp");
    }
    let mut errors: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let mut cancelled = false;
    for issue in issues {
        let Some(out) = issue.outcome else { continue };
        let parts = issue.problem.participants(0);
        if parts.len() < options.min_actors {
            continue;
        }
        if cancel.cancelled() {
            cancelled = true;
            break;
        }
        let p = &issue.problem;
        let unweighted: Vec<(f64, f64)> = parts.iter().map(|q| (q.1, 1.0)).collect();
        let mut f = vec![
            compromise(p).forecast[0],
            weighted_mean(&unweighted),
            weighted_median(p).forecast[0],
        ];
        if let Some(o) = &options.eum {
            f.push(super::eum::run(p, o, cancel, false).forecast[0]);
        }
        if let Some(o) = &options.smp {
            f.push(super::smp::run(p, o, cancel, false).forecast[0]);
        }
        ids.push(issue.id.clone());
        for (e, v) in errors.iter_mut().zip(f) {
            e.push((v - out).abs());
        }
    }
    let n = ids.len();
    let scores = names
        .iter()
        .zip(&errors)
        .enumerate()
        .map(|(m, (name, e))| {
            let mae = mean(e);
            let diffs: Vec<f64> = e.iter().zip(&errors[0]).map(|(a, b)| a - b).collect();
            let ci = (m > 0 && n > 0)
                .then(|| bootstrap_ci(&diffs, options.seed, options.resamples, options.level));
            ModelScore {
                model: name.to_string(),
                mae,
                diff_to_compromise: mean(&diffs),
                ci,
                errors: e.clone(),
            }
        })
        .collect();
    BacktestReport {
        issues_scored: n,
        issue_ids: ids,
        scores,
        cancelled,
    }
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// The RNG of resample `index` under `seed`.
fn rng_for(seed: u64, index: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&index.to_le_bytes());
    ChaCha8Rng::from_seed(key)
}

/// Percentile bootstrap CI of the mean of `d`.
pub(crate) fn bootstrap_ci(d: &[f64], seed: u64, resamples: usize, level: f64) -> [f64; 2] {
    let n = d.len();
    let mut means: Vec<f64> = (0..resamples.max(1))
        .map(|b| {
            let mut rng = rng_for(seed, b as u64);
            (0..n).map(|_| d[rng.random_range(0..n)]).sum::<f64>() / n as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    let alpha = (1.0 - level) / 2.0;
    let at = |q: f64| {
        let pos = q * (means.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        means[lo] + (means[hi] - means[lo]) * (pos - lo as f64)
    };
    [at(alpha), at(1.0 - alpha)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bootstrap_is_deterministic_and_brackets_the_mean() {
        let d: Vec<f64> = (0..50).map(|i| (i % 7) as f64 - 2.0).collect();
        let a = bootstrap_ci(&d, 7, 500, 0.95);
        let b = bootstrap_ci(&d, 7, 500, 0.95);
        assert_eq!(a, b);
        let m = mean(&d);
        assert!(a[0] < m && m < a[1], "{a:?} {m}");
        let c = bootstrap_ci(&d, 8, 500, 0.95);
        assert_ne!(a, c);
        // A constant difference has a degenerate interval at that value.
        assert_eq!(bootstrap_ci(&[1.5; 10], 1, 100, 0.9), [1.5, 1.5]);
    }
}

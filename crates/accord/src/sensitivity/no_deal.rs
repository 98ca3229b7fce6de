//! The probability that no deal exists, over the scenario's uncertain
//! numbers: every forecast is conditional on a deal, so this is the weight
//! an analyst should put on all of them together.
//!
//! Draw `i` is the same sample as run `i` of [`super::sensitivity`] (keyed
//! by `(seed, i)`); each draw is a full [`analyze`], and a draw has no deal
//! when its ZOPA is empty. The sampling error is the 95% Wilson score
//! interval of the share, which stays inside [0, 1] and is honest at 0 and
//! n draws out of n (where the normal interval collapses to a point).
//!
//! Red lines and feasibility rules are never sampled, so when a blocking set
//! of the point analysis holds only red lines, every draw is blocked: the
//! probability is 1 with no sampling error, and no draw is needed. A
//! scenario without uncertain numbers is decided by its point analysis.

use super::inputs;
use crate::{analyze, Analysis, AnalyzeOptions, ConstraintKind, Error, Progress};
use serde::Serialize;

/// How the probability of no deal was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoDealMethod {
    /// A blocking set of red lines alone, which no draw changes: certain.
    RedLines,
    /// The scenario has no uncertain numbers: the point analysis decides.
    NoUncertainty,
    /// The share of Monte Carlo draws with an empty ZOPA.
    Sampled,
}

/// The probability that no deal exists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoDeal {
    /// How it was found.
    pub method: NoDealMethod,
    /// Draws analysed (0 when certain without sampling).
    pub runs: usize,
    /// Draws with an empty ZOPA.
    pub no_deal_runs: usize,
    /// The probability of no deal (the share of draws when sampled).
    pub probability: f64,
    /// 95% interval: Wilson score when sampled, the point when certain.
    pub ci: [f64; 2],
}

/// The 95% Wilson score interval of `k` successes in `n` trials
/// (`[0, 1]` when `n` is 0).
pub fn wilson(k: usize, n: usize) -> [f64; 2] {
    if n == 0 {
        return [0.0, 1.0];
    }
    let z = 1.959_963_984_540_054_f64;
    let (n, p) = (n as f64, k as f64 / n as f64);
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    [(centre - half).max(0.0), (centre + half).min(1.0)]
}

/// The probability of no deal over `runs` draws of the uncertain inputs
/// (see the module doc); `point` is the analysis at the point values.
pub fn no_deal_probability(
    sc: &crate::Scenario,
    point: &Analysis,
    runs: usize,
    seed: u64,
    opts: &AnalyzeOptions,
    progress: &dyn Progress,
) -> Result<NoDeal, Error> {
    let fixed = point.zopa.size == 0
        && point
            .blockers
            .iter()
            .any(|b| b.iter().all(|c| c.kind == ConstraintKind::RedLine));
    if fixed {
        return Ok(NoDeal {
            method: NoDealMethod::RedLines,
            runs: 0,
            no_deal_runs: 0,
            probability: 1.0,
            ci: [1.0, 1.0],
        });
    }
    let ins = inputs::uncertain_inputs(sc);
    if ins.is_empty() {
        let p = if point.zopa.size == 0 { 1.0 } else { 0.0 };
        return Ok(NoDeal {
            method: NoDealMethod::NoUncertainty,
            runs: 0,
            no_deal_runs: 0,
            probability: p,
            ci: [p, p],
        });
    }
    let opts = AnalyzeOptions {
        top: 0,
        ..opts.clone()
    };
    let quiet = super::CancelOnly(progress);
    let empty: Vec<bool> = inputs::each_run(sc, &ins, seed, runs, |sampled, _| {
        // Only the ZOPA's size is read: see `zopa_and_nash`.
        let size = match crate::analysis::zopa_and_nash(sampled, &opts, &quiet)? {
            Some((size, _)) => size,
            None => analyze(sampled, &opts, &quiet)?.zopa.size,
        };
        Ok(size == 0)
    })?;
    let no_deal = empty.iter().filter(|&&e| e).count();
    Ok(NoDeal {
        method: NoDealMethod::Sampled,
        runs,
        no_deal_runs: no_deal,
        probability: if runs > 0 {
            no_deal as f64 / runs as f64
        } else {
            f64::NAN
        },
        ci: wilson(no_deal, runs),
    })
}

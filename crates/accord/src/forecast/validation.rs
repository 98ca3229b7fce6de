//! How well each model did on held-out real decisions, so that a model's
//! forecast is never shown without its track record.
//!
//! The figures are measured once on DEU III (Arregui & Perarnaud, 351 of
//! 364 EU legislative issues scored, equal capabilities) and embedded here;
//! they are reproduced by
//!
//! ```text
//! accord backtest --deu data/deu/deu3.csv --seed 0 --resamples 2000
//! ```
//!
//! and a test recomputes them from the data file when it is present.

use serde::Serialize;

/// One model's DEU III backtest figures against the compromise model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Validation {
    /// Model name, as in [`super::ModelKind::name`].
    pub model: &'static str,
    /// Mean absolute error on 0–100 over the scored issues.
    pub mae: f64,
    /// MAE of the compromise model on the same issues.
    pub compromise_mae: f64,
    /// Paired 95% bootstrap CI of (model error − compromise error); `None`
    /// for the compromise model itself.
    pub ci: Option<[f64; 2]>,
    /// Issues scored.
    pub issues: usize,
}

/// Issues of DEU III the backtest scores.
pub const DEU3_ISSUES: usize = 351;

/// The measured figures, one per model (see the module doc).
pub const DEU3: [Validation; 4] = [
    Validation {
        model: "compromise",
        mae: 23.641139388864826,
        compromise_mae: 23.641139388864826,
        ci: None,
        issues: DEU3_ISSUES,
    },
    Validation {
        model: "median",
        mae: 28.307692307692307,
        compromise_mae: 23.641139388864826,
        ci: Some([2.2930730995369903, 6.975252781437119]),
        issues: DEU3_ISSUES,
    },
    Validation {
        model: "eum",
        mae: 28.95397091815285,
        compromise_mae: 23.641139388864826,
        ci: Some([2.8540306132904503, 7.74281940278494]),
        issues: DEU3_ISSUES,
    },
    Validation {
        model: "smp",
        mae: 24.959121181069914,
        compromise_mae: 23.641139388864826,
        ci: Some([-0.057724299052456705, 2.6762297534315596]),
        issues: DEU3_ISSUES,
    },
];

/// The DEU III figures of a model by name, if it was backtested.
pub fn validation(model: &str) -> Option<Validation> {
    DEU3.iter().find(|v| v.model == model).copied()
}

impl Validation {
    /// The verdict in words: the reference, worse, better, or not
    /// distinguishable from the compromise model.
    pub fn verdict(&self) -> &'static str {
        match self.ci {
            None => "the reference model",
            Some([lo, _]) if lo > 0.0 => "worse than the compromise model: not validated",
            Some([_, hi]) if hi < 0.0 => "better than the compromise model",
            Some(_) => "not distinguishable from the compromise model",
        }
    }

    /// One line: MAE, difference with its CI, verdict.
    pub fn summary(&self) -> String {
        match self.ci {
            None => format!(
                "DEU III MAE {:.2} on {} issues ({})",
                self.mae,
                self.issues,
                self.verdict()
            ),
            Some([lo, hi]) => format!(
                "DEU III MAE {:.2} vs compromise {:.2}, Δ {:+.2} (95% CI {:+.2} to {:+.2}): {}",
                self.mae,
                self.compromise_mae,
                self.mae - self.compromise_mae,
                lo,
                hi,
                self.verdict()
            ),
        }
    }
}

//! Forecasting models for spatial (position/salience/power) problems.
//!
//! Every model takes a validated [`SpatialProblem`]: actors with a power
//! (capability), and dimensions on a 0–100 scale on which each actor has an
//! optional position and an optional salience (0–100). An actor takes part
//! in a dimension only when both its position and its salience are present;
//! a missing value is `None` (NaN is rejected by the constructor).
//!
//! Models:
//! - [`compromise`]: power × salience weighted mean (Van den Bos; Achen).
//! - [`weighted_median`]: power × salience weighted median.
//! - [`expected_utility`]: Bueno de Mesquita's expected-utility model as
//!   formalised by Scholz, Calbert & Smith (2011), each ambiguity an option.
//! - [`smp`]: KAPSARC KTAB's Spatial Model of Politics (deterministic mode).
//! - [`exchange_model`]: Stokman's exchange model over a bundle of issues.
//!
//! [`nearest_package`] moves a raw forecast to the nearest package every
//! party can accept (see the `deal` module doc).
//!
//! [`backtest`] scores the models against observed outcomes;
//! [`cross_validate`] does so by folds of proposals, with capabilities from
//! Council voting power ([`council_power`]) and models fitted on the
//! training folds only.

mod backtest;
mod baseline;
mod cv;
mod deal;
mod eum;
mod eum_options;
mod exchange;
mod from_scenario;
mod ktab_pce;
mod power;
mod problem;
mod smp;
mod smp_options;
mod validation;

pub use backtest::{backtest, BacktestIssue, BacktestOptions, BacktestReport, ModelScore};
pub use baseline::{compromise, weighted_median};
pub use cv::{
    cluster_bootstrap_ci, cross_validate, fitted_params, proposal_folds, CvIssue, CvOptions,
    CvReport, CvScore, DecisionContext, FittedParams, BLEND_FEATURES,
};
pub use deal::{
    acceptable_options, acceptable_set, issue_weights, nearest_package, relax, relaxed_set,
    AcceptableSet, Package, MAX_PACKAGES,
};
pub use eum::{eum_probability, eum_risk_exponents, expected_utility};
pub use eum_options::{
    EumCompromiseSign, EumOfferRule, EumOptions, EumProbability, EumRange, EumRiskPerspective,
    EumSalience, EumSecurity, EumStop,
};
pub use exchange::{exchange_model, Exchange, ExchangeOptions, ExchangeResult};
pub use from_scenario::{spatial_problem, MappedIssue, NotForecastable, ScenarioProblem};
pub use power::{
    council_at, council_power, council_wins, double_majority_indices, indices_by_size_and_mass,
    weighted_indices, Council, CouncilRule, Member, PowerIndices, AMSTERDAM_QUOTA, MEMBERS,
};
pub use problem::{Dimension, ProblemError, SpatialActor, SpatialProblem};
pub use smp::smp;
pub use smp_options::{
    BargainModel, Interpolation, PceModel, RiskAdjust, RiskRange, SmpOptions, ThirdPartyCommit,
    VictoryModel, VotingRule,
};
pub use validation::{validation, Validation, DEU3, DEU3_ISSUES};

use serde::Serialize;

/// A cooperative cancellation check for long-running models.
pub trait Cancel {
    /// Returns true when the caller wants the computation to stop.
    fn cancelled(&self) -> bool;
}

impl<F: Fn() -> bool> Cancel for F {
    fn cancelled(&self) -> bool {
        self()
    }
}

/// A [`Cancel`] that never cancels.
#[derive(Debug, Clone, Copy, Default)]
pub struct NeverCancel;

impl Cancel for NeverCancel {
    fn cancelled(&self) -> bool {
        false
    }
}

/// How a dynamic model run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastStatus {
    /// A static model: there are no rounds.
    Static,
    /// The model's stopping rule fired.
    Converged,
    /// The round limit was reached first.
    RoundLimit,
    /// The cancel check asked the run to stop; rounds hold what was done.
    Cancelled,
}

/// The state of a dynamic model after one round (round 0 is the input).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Round {
    /// Positions per actor per dimension (0–100), `None` where absent.
    pub positions: Vec<Vec<Option<f64>>>,
    /// The model's forecast per dimension at this round (0–100).
    pub forecast: Vec<f64>,
    /// Per-actor probability that the actor's position prevails (SMP only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probabilities: Option<Vec<f64>>,
}

/// The result of one model on one problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Forecast value per dimension (0–100); NaN when no actor takes part.
    pub forecast: Vec<f64>,
    /// Per-round trajectory for dynamic models; empty for static ones.
    pub rounds: Vec<Round>,
    /// How the run ended.
    pub status: ForecastStatus,
}

/// The forecasting models, for callers that choose one at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Power × salience weighted mean.
    Compromise,
    /// Power × salience weighted median.
    Median,
    /// Bueno de Mesquita / Scholz expected-utility model.
    Eum,
    /// KTAB Spatial Model of Politics.
    Smp,
}

impl ModelKind {
    /// All models, in a stable order.
    pub const ALL: [ModelKind; 4] = [
        ModelKind::Compromise,
        ModelKind::Median,
        ModelKind::Eum,
        ModelKind::Smp,
    ];

    /// Short lowercase name used in tables and JSON.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Compromise => "compromise",
            ModelKind::Median => "median",
            ModelKind::Eum => "eum",
            ModelKind::Smp => "smp",
        }
    }
}

/// Runs one model with its default options on a problem.
pub fn run_model(kind: ModelKind, problem: &SpatialProblem, cancel: &dyn Cancel) -> Forecast {
    run_model_with(kind, problem, cancel, true)
}

/// [`run_model`] for callers that read only the final forecast and status
/// (Monte Carlo runs): the dynamic models keep no rounds.
pub(crate) fn run_model_final(
    kind: ModelKind,
    problem: &SpatialProblem,
    cancel: &dyn Cancel,
) -> Forecast {
    run_model_with(kind, problem, cancel, false)
}

fn run_model_with(
    kind: ModelKind,
    problem: &SpatialProblem,
    cancel: &dyn Cancel,
    record: bool,
) -> Forecast {
    match kind {
        ModelKind::Compromise => compromise(problem),
        ModelKind::Median => weighted_median(problem),
        ModelKind::Eum => eum::run(problem, &EumOptions::default(), cancel, record),
        ModelKind::Smp => smp::run(problem, &SmpOptions::default(), cancel, record),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A problem of 2–6 actors on 1–3 dimensions; a third of the positions
    /// on a 25-point grid, so that actors often share a position.
    fn problem() -> impl Strategy<Value = SpatialProblem> {
        (2usize..=6, 1usize..=3).prop_flat_map(|(na, nd)| {
            let position = prop_oneof![
                (0u8..=4).prop_map(|k| f64::from(k) * 25.0),
                0.0f64..=100.0,
                0.0f64..=100.0,
            ];
            (
                proptest::collection::vec(0.1f64..10.0, na),
                proptest::collection::vec(
                    (
                        proptest::collection::vec(position, na),
                        proptest::collection::vec(0.0f64..=100.0, na),
                    ),
                    nd,
                ),
            )
                .prop_map(|(powers, dims)| {
                    let actors = powers
                        .iter()
                        .enumerate()
                        .map(|(i, &power)| SpatialActor {
                            name: format!("a{i}"),
                            power,
                        })
                        .collect();
                    let dimensions = dims
                        .into_iter()
                        .enumerate()
                        .map(|(d, (x, s))| Dimension {
                            name: format!("d{d}"),
                            positions: x.into_iter().map(Some).collect(),
                            saliences: s.into_iter().map(Some).collect(),
                        })
                        .collect();
                    SpatialProblem::new(actors, dimensions).expect("valid by construction")
                })
        })
    }

    fn bits(xs: &[f64]) -> Vec<u64> {
        xs.iter().map(|x| x.to_bits()).collect()
    }

    proptest! {
        /// A run that keeps no rounds ends with the same bits and status as
        /// the recorded run, whose last round holds that forecast.
        #[test]
        fn unrecorded_runs_end_where_recorded_runs_do(p in problem(), shift in any::<bool>()) {
            let eum = EumOptions {
                stop: if shift {
                    EumStop::MedianShift { tolerance: 0.5, consecutive: 2, max_rounds: 30 }
                } else {
                    EumStop::FixedRounds(10)
                },
                ..EumOptions::default()
            };
            let runs = [
                (eum::run(&p, &eum, &NeverCancel, true), eum::run(&p, &eum, &NeverCancel, false)),
                (
                    smp::run(&p, &SmpOptions::default(), &NeverCancel, true),
                    smp::run(&p, &SmpOptions::default(), &NeverCancel, false),
                ),
            ];
            for (full, last) in runs {
                prop_assert_eq!(bits(&full.forecast), bits(&last.forecast));
                prop_assert_eq!(full.status, last.status);
                prop_assert_eq!(bits(&full.rounds.last().unwrap().forecast), bits(&full.forecast));
                prop_assert!(full.rounds.len() > 1 || full.status == ForecastStatus::Converged);
            }
            for kind in ModelKind::ALL {
                let (full, last) = (run_model(kind, &p, &NeverCancel), run_model_final(kind, &p, &NeverCancel));
                prop_assert_eq!(bits(&full.forecast), bits(&last.forecast));
            }
        }
    }
}

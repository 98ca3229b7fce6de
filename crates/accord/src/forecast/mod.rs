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
    match kind {
        ModelKind::Compromise => compromise(problem),
        ModelKind::Median => weighted_median(problem),
        ModelKind::Eum => expected_utility(problem, &EumOptions::default(), cancel),
        ModelKind::Smp => smp(problem, &SmpOptions::default(), cancel),
    }
}

//! Parameters of KTAB's Spatial Model of Politics; defaults are KTAB's.

use serde::Serialize;

/// How an actor's utility difference becomes a vote (KTAB `VotingRule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum VotingRule {
    /// Sign only (difference / 1e-8, clipped to ±1).
    Binary,
    /// 0.8 × proportional + 0.2 × binary.
    PropBin,
    /// Proportional to the utility difference (KTAB default).
    #[default]
    Proportional,
    /// 0.5 × proportional + 0.5 × cubic.
    PropCbc,
    /// Cube of the utility difference.
    Cubic,
    /// Full weight for losses, two thirds for gains.
    ASymProsp,
}

/// How coalition strengths become a victory probability (KTAB `VPModel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum VictoryModel {
    /// C_ab / (C_ab + C_ba) (KTAB default).
    #[default]
    Linear,
    /// Strengths squared.
    Square,
    /// Strengths to the fourth power.
    Quartic,
    /// Strengths to the eighth power.
    Octic,
    /// Certain victory with a 10% edge, linear in between.
    Binary,
}

/// Probabilistic Condorcet election model (KTAB `PCEModel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum PceModel {
    /// p_a ∝ Π_b V(a, b) (KTAB default).
    #[default]
    Conditional,
    /// Markov chain with uniform challenges.
    MarkovUniform,
    /// Markov chain with incentive-weighted challenges.
    MarkovIncentive,
}

/// Mapping of PCE probabilities to risk attitudes (KTAB `BigRRange`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum RiskRange {
    /// R in [0, 1].
    Min,
    /// R in [-1/2, 1] (KTAB default).
    #[default]
    Mid,
    /// R in [-1, 1].
    Max,
}

/// How actor h perceives actor i's risk attitude (KTAB `BigRAdjust`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum RiskAdjust {
    /// r = R_i.
    Full,
    /// r = (R_h + 2 R_i) / 3.
    TwoThirds,
    /// r = (R_h + R_i) / 2.
    Half,
    /// r = (2 R_h + R_i) / 3 (KTAB default).
    #[default]
    OneThird,
    /// r = R_h.
    None,
}

/// Third-party commitment in little contests (KTAB `ThirdPartyCommit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum ThirdPartyCommit {
    /// The third party adopts the winner's position either way.
    FullCommit,
    /// Keeps its position if its side wins (KTAB default).
    #[default]
    SemiCommit,
    /// Always keeps its position.
    NoCommit,
}

/// Bargain interpolation rule (KTAB `InterVecBrgn`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum Interpolation {
    /// Weights salience × probability.
    S1P1,
    /// Weights salience² × probability² (KTAB default).
    #[default]
    S2P2,
    /// Asymmetric move by the probability edge.
    S2PMax,
}

/// Which bargains are queued (KTAB `SMPBargnModel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum BargainModel {
    /// Only the initiator's interpolation (KTAB default).
    #[default]
    InitOnlyInterp,
    /// Initiator's and receiver's interpolations. Like KTAB, the receiver's
    /// one uses its expected gain where a probability is meant.
    InitRcvrInterp,
    /// Power-weighted compromise of both interpolations (KTAB weights,
    /// including its use of the initiator's capability for both).
    PWCompInterp,
}

/// SMP parameters; `Default` is KTAB's default configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmpOptions {
    /// Voting rule for coalitions over positions and bargains.
    pub voting: VotingRule,
    /// Victory probability model.
    pub victory: VictoryModel,
    /// PCE model.
    pub pce: PceModel,
    /// Risk-attitude range.
    pub risk_range: RiskRange,
    /// Risk misperception rule.
    pub risk_adjust: RiskAdjust,
    /// Third-party commitment.
    pub third_party: ThirdPartyCommit,
    /// Bargain interpolation.
    pub interpolation: Interpolation,
    /// Bargain model.
    pub bargain: BargainModel,
    /// Minimum number of turns before the stop rule applies (KTAB: 2).
    pub min_turns: usize,
    /// Maximum number of turns (KTAB: 100).
    pub max_turns: usize,
    /// Stop when a turn's movement over the first turn's is below this (0.02).
    pub stop_ratio: f64,
    /// Positions closer than this (Euclidean, 0–1 scale) are one (1e-3).
    pub position_tolerance: f64,
}

impl Default for SmpOptions {
    fn default() -> Self {
        SmpOptions {
            voting: VotingRule::default(),
            victory: VictoryModel::default(),
            pce: PceModel::default(),
            risk_range: RiskRange::default(),
            risk_adjust: RiskAdjust::default(),
            third_party: ThirdPartyCommit::default(),
            interpolation: Interpolation::default(),
            bargain: BargainModel::default(),
            min_turns: 2,
            max_turns: 100,
            stop_ratio: 0.02,
            position_tolerance: 1e-3,
        }
    }
}

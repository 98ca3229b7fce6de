//! Variants of the expected-utility model: the research's ambiguities A1–A7,
//! the range and the stopping rule, each with a documented default.

use serde::Serialize;

/// A1: whose salience is the probability that the target resists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum EumSalience {
    /// The target's salience s_j (Scholz eq. 6; default).
    #[default]
    Target,
    /// The challenger's salience s_i.
    Challenger,
}

/// A2: the security sum behind the risk exponents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum EumSecurity {
    /// Sec_i = Σ_j E(U_ji): what others expect from challenging i (default).
    #[default]
    Exposure,
    /// Sec_i = Σ_j E(U_ij): what i expects from challenging others.
    Ambition,
}

/// A3: the compromise condition (the paper's text and figure disagree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum EumCompromiseSign {
    /// As in the figure: the proposer's EU is positive (default).
    #[default]
    Figure,
    /// As printed in the text: the proposer's EU is negative.
    Text,
}

/// A4: which offer an actor accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum EumOfferRule {
    /// Scholz's code: conflicts first (least move), then compromises by the
    /// EU-weighted position key (smallest), then capitulations (default).
    #[default]
    ScholzCode,
    /// The offer that moves the actor least (paper §6.2).
    LeastMove,
    /// The offer whose proposer has the highest expected utility.
    MostEnforceable,
}

/// A5: the probability that i beats j.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum EumProbability {
    /// Paper eqs. 30–31: Σ_{Δ>0} c s Δ / Σ c s |Δ|.
    Paper,
    /// Masad: max(0, Σ c s Δ) / Σ c s |Δ|.
    MasadNet,
    /// Scholz's code (jmckib): risk-curved positive votes over the votes of
    /// all actors on all ordered pairs of positions (default).
    #[default]
    ScholzCode,
}

/// A6: whose risk exponent shapes a utility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum EumRiskPerspective {
    /// The perceiving actor's r for every utility it evaluates (default).
    #[default]
    Perceiver,
    /// Each actor's own r for its own utilities.
    Own,
}

/// The normalising range R.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum EumRange {
    /// R = 100, the whole scale (default).
    #[default]
    Scale,
    /// R = spread of the round-0 positions (jmckib); 100 if they coincide.
    Spread,
}

/// The stopping rule (the model has no canonical one).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum EumStop {
    /// Run exactly this many rounds (default 10).
    FixedRounds(usize),
    /// Stop when the median moves less than `tolerance` for `consecutive`
    /// rounds in a row, or after `max_rounds`.
    MedianShift {
        /// Largest median move counted as still (0–100 scale).
        tolerance: f64,
        /// Still rounds needed.
        consecutive: usize,
        /// Hard cap.
        max_rounds: usize,
    },
}

/// EUM variant; `Default` is Scholz's code as published by jmckib.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EumOptions {
    /// Probability of the status quo when no challenge is made (1.0).
    pub q: f64,
    /// A1 (default `Target`).
    pub salience: EumSalience,
    /// A2 (default `Exposure`).
    pub security: EumSecurity,
    /// A3 (default `Figure`).
    pub compromise: EumCompromiseSign,
    /// A4 (default `ScholzCode`).
    pub offer: EumOfferRule,
    /// A5 (default `ScholzCode`).
    pub probability: EumProbability,
    /// A6 (default `Perceiver`).
    pub perspective: EumRiskPerspective,
    /// A7: whether capitulation offers exist; Scholz's code never makes
    /// them (its condition cannot hold), so the default is false.
    pub capitulation: bool,
    /// The range R (default `Scale`).
    pub range: EumRange,
    /// Stopping rule (default 10 fixed rounds).
    pub stop: EumStop,
}

impl Default for EumOptions {
    fn default() -> Self {
        EumOptions {
            q: 1.0,
            salience: EumSalience::default(),
            security: EumSecurity::default(),
            compromise: EumCompromiseSign::default(),
            offer: EumOfferRule::default(),
            probability: EumProbability::default(),
            perspective: EumRiskPerspective::default(),
            capitulation: false,
            range: EumRange::default(),
            stop: EumStop::FixedRounds(10),
        }
    }
}

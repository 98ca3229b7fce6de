//! Numbers that may be uncertain, and where a datum comes from.

use serde::Serialize;

/// Where a datum comes from: a cited source with a short quote, or a stated
/// modelling assumption.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Provenance {
    /// Id of the cited source, if any.
    pub source: Option<String>,
    /// A short quote from that source.
    pub quote: Option<String>,
    /// Why the author assumed this, when no source gives it.
    pub assumption: Option<String>,
    /// How firmly the holder is bound to it (constraints only): what giving
    /// it up costs in a relaxation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entrenchment: Option<Entrenchment>,
}

/// How firmly a constraint is entrenched. Its cost in a relaxation is
/// [`Entrenchment::base_cost`] times the evidence factor of its source's
/// grade (see [`crate::analysis::constraint_cost`]); a number is the cost
/// itself.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Entrenchment {
    /// Written into a constitution: changing it takes a constitutional amendment.
    Constitutional,
    /// Set in law or a treaty: changing it takes a vote.
    Legal,
    /// Promised in public by the leadership.
    PublicPledge,
    /// A position reported by a named official.
    Reported,
    /// A position known only from anonymous sources.
    Anonymous,
    /// A stated cost (non-negative).
    Cost(f64),
}

impl Entrenchment {
    /// The named levels, firmest first.
    pub const NAMED: [Entrenchment; 5] = [
        Entrenchment::Constitutional,
        Entrenchment::Legal,
        Entrenchment::PublicPledge,
        Entrenchment::Reported,
        Entrenchment::Anonymous,
    ];

    /// The name used in files (`None` for a number).
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Entrenchment::Constitutional => "constitutional",
            Entrenchment::Legal => "legal",
            Entrenchment::PublicPledge => "public_pledge",
            Entrenchment::Reported => "reported",
            Entrenchment::Anonymous => "anonymous",
            Entrenchment::Cost(_) => return None,
        })
    }

    /// Parses a level name as written in files.
    pub fn parse(s: &str) -> Option<Entrenchment> {
        Entrenchment::NAMED
            .into_iter()
            .find(|e| e.name() == Some(s))
    }

    /// The cost before the evidence factor: roughly how many ordinary
    /// political steps undoing it takes (an amendment needs a law's vote
    /// plus more, a law more than breaking a pledge, and so on).
    pub fn base_cost(self) -> f64 {
        match self {
            Entrenchment::Constitutional => 8.0,
            Entrenchment::Legal => 5.0,
            Entrenchment::PublicPledge => 3.0,
            Entrenchment::Reported => 2.0,
            Entrenchment::Anonymous => 1.0,
            Entrenchment::Cost(c) => c,
        }
    }
}

impl Provenance {
    /// A provenance that marks a modelling assumption.
    pub fn assumed(why: impl Into<String>) -> Self {
        Provenance {
            assumption: Some(why.into()),
            ..Default::default()
        }
    }

    /// Whether the datum is either sourced or labelled an assumption.
    pub fn is_accounted(&self) -> bool {
        self.source.is_some() || self.assumption.is_some()
    }
}

/// A probability distribution over an uncertain number.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Dist {
    /// Uniform between `lo` and `hi`.
    Uniform {
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// Normal with a mean and a standard deviation.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Triangular between `lo` and `hi` with its peak at `mode`.
    Triangular {
        /// Lower bound.
        lo: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        hi: f64,
    },
}

impl Dist {
    /// Maps a uniform draw `u` in [0, 1) and a standard-normal draw `z` to a
    /// sample, so callers choose the random source.
    pub fn sample_with(&self, u: f64, z: f64) -> f64 {
        match *self {
            Dist::Uniform { lo, hi } => lo + (hi - lo) * u,
            Dist::Normal { mean, sd } => mean + sd * z,
            Dist::Triangular { lo, mode, hi } => {
                if hi <= lo {
                    return lo;
                }
                let c = (mode - lo) / (hi - lo);
                if u < c {
                    lo + ((hi - lo) * (mode - lo) * u).sqrt()
                } else {
                    hi - ((hi - lo) * (hi - mode) * (1.0 - u)).sqrt()
                }
            }
        }
    }

    /// The range the distribution covers (±3 sd for the normal).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Uniform { lo, hi } | Dist::Triangular { lo, hi, .. } => (lo, hi),
            Dist::Normal { mean, sd } => (mean - 3.0 * sd, mean + 3.0 * sd),
        }
    }
}

/// A number as the scenario states it: a point value used by the analyses,
/// an optional distribution kept for sensitivity runs, and its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// The point value.
    pub value: f64,
    /// Uncertainty around it, if stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dist: Option<Dist>,
    /// Where it comes from.
    pub provenance: Provenance,
}

impl Param {
    /// A bare number with no provenance.
    pub fn new(value: f64) -> Self {
        Param {
            value,
            dist: None,
            provenance: Provenance::default(),
        }
    }
}

impl From<f64> for Param {
    fn from(value: f64) -> Self {
        Param::new(value)
    }
}

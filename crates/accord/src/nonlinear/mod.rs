//! Non-linear (hyper-rectangle) utilities, as in GENIUS's ANAC 2014
//! domains, and their exact analysis by branch and bound over boxes.
//!
//! Each party's utility is a sum of weighted boxes over integer issues.
//! The rules follow GENIUS's `genius.core.utility` classes:
//!
//! | What | Rule | GENIUS class |
//! |---|---|---|
//! | Includes box | worth `weight` when the outcome lies in every listed issue range (`min ≤ x ≤ max`), else 0; a box with no range holds everywhere | `InclusiveHyperRectangle.getUtility` (`isAllBidsAcceptable`) |
//! | Excludes box | worth `weight` when the outcome lies *outside* some listed range, else 0 | `ExclusiveHyperRectangle.getUtility` |
//! | Box weight | the box's `utility` times its `weight` (1 when absent), one `f64` product | `Constraint.weight`, `HyperRectangle.getUtility` |
//! | Raw utility | the boxes' values added in file order (sum aggregation) | `UtilityFunction.getUtility` (`SUM`) |
//! | Utility | `raw / maxutility`, capped at 1 from above (not clamped below) | `NonlinearUtilitySpace.getUtility` |
//! | Reservation | the profile's `<reservation value>`, the disagreement point | `AbstractUtilitySpace` |
//!
//! Results use the engine's generic [`crate::Solution`] and
//! [`crate::Solutions`] over [`BoxPoint`]s (values per issue, utilities per
//! party), and [`BoxUtility`] lets the negotiators bargain over the same
//! problem (see [`crate::negotiate::Domain`]).
//!
//! The analysis ([`analyze_boxes`]) finds the Pareto frontier of the whole
//! outcome space (distinct utility vectors, each with one outcome reaching
//! it) and the Nash, Kalai–Smorodinsky, utilitarian and egalitarian
//! solutions with the same definitions as [`crate::analyze`] (disagreement
//! point = reservations, solutions over the outcomes every party rates at
//! least its reservation). Nothing is approximated: a run stopped by the
//! node budget or by cancellation says so (`exact: false`) and carries a
//! certified `gap`.

mod anytime;
mod search;

pub use search::{analyze_boxes, BoxAnalysis, BoxBound, BoxOptions, BoxPoint, BoxSolution};

use crate::Error;

/// Whether a box rewards being inside it or outside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxKind {
    /// Worth its weight inside the box (GENIUS `INCLUDES`).
    Includes,
    /// Worth its weight outside the box (GENIUS `EXCLUDES`).
    Excludes,
}

/// One weighted hyper-rectangle of a party's utility.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedBox {
    /// What the box adds to the raw utility when it holds.
    pub weight: f64,
    /// Per issue (in problem order), the inclusive range, or `None` for any
    /// value; a range with `lo > hi` is empty.
    pub ranges: Vec<Option<(i64, i64)>>,
    /// Includes or excludes.
    pub kind: BoxKind,
}

impl WeightedBox {
    /// Whether the box holds (adds its weight) at an outcome.
    pub fn holds(&self, outcome: &[i64]) -> bool {
        let inside = self
            .ranges
            .iter()
            .zip(outcome)
            .all(|(r, &x)| r.is_none_or(|(lo, hi)| lo <= x && x <= hi));
        match self.kind {
            BoxKind::Includes => inside,
            BoxKind::Excludes => !inside,
        }
    }
}

/// One party: its boxes, normalisation and reservation.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxParty {
    /// Display name.
    pub name: String,
    /// Reservation value (the disagreement utility).
    pub reservation: f64,
    /// GENIUS's `maxutility`: raw utilities are divided by it (must be > 0).
    pub max_utility: f64,
    /// The boxes, in file order (the order their values are added in).
    pub boxes: Vec<WeightedBox>,
}

impl BoxParty {
    /// The party's utility of an outcome, computed as GENIUS does.
    pub fn utility(&self, outcome: &[i64]) -> f64 {
        let mut raw = 0.0;
        for b in &self.boxes {
            raw += if b.holds(outcome) { b.weight } else { 0.0 };
        }
        normalise(raw, self.max_utility)
    }
}

/// A party's box utility over levels instead of values: level `l` of issue
/// `k` is the value `lows[k] + l`. It adds the same boxes in the same order
/// as [`BoxParty::utility`], so both give the same bits; it lets the
/// negotiators, which move over levels, bargain over a non-linear domain.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxUtility {
    party: BoxParty,
    lows: Vec<i64>,
}

impl BoxUtility {
    /// The utility of party `party` of a checked problem.
    pub fn new(p: &BoxProblem, party: usize) -> BoxUtility {
        BoxUtility {
            party: p.parties[party].clone(),
            lows: p.issues.iter().map(|i| i.1).collect(),
        }
    }

    /// Utility of an outcome given as levels per issue.
    pub fn utility(&self, levels: &[usize]) -> f64 {
        let mut raw = 0.0;
        for b in &self.party.boxes {
            let inside = b
                .ranges
                .iter()
                .zip(levels)
                .zip(&self.lows)
                .all(|((r, &l), &lo)| {
                    r.is_none_or(|(a, z)| {
                        let x = lo.saturating_add(l as i64);
                        a <= x && x <= z
                    })
                });
            let holds = match b.kind {
                BoxKind::Includes => inside,
                BoxKind::Excludes => !inside,
            };
            raw += if holds { b.weight } else { 0.0 };
        }
        normalise(raw, self.party.max_utility)
    }
}

/// `raw / max`, capped at 1 (`NonlinearUtilitySpace.getUtility`).
pub(crate) fn normalise(raw: f64, max: f64) -> f64 {
    let r = raw / max;
    if r > 1.0 {
        1.0
    } else {
        r
    }
}

/// A negotiation over integer issues with box utilities.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxProblem {
    /// Scenario name.
    pub name: String,
    /// Issues: name and inclusive integer range.
    pub issues: Vec<(String, i64, i64)>,
    /// The parties.
    pub parties: Vec<BoxParty>,
}

impl BoxProblem {
    /// Checks the problem up front, so the analysis itself cannot fail.
    pub fn check(&self) -> Result<(), Error> {
        let bad = |m: String| Err(Error::Invalid(m));
        if self.parties.len() < 2 {
            return bad(format!(
                "need at least two parties, found {}",
                self.parties.len()
            ));
        }
        for (name, lo, hi) in &self.issues {
            if lo > hi {
                return bad(format!("issue `{name}` has an empty range {lo}..={hi}"));
            }
        }
        for p in &self.parties {
            if !(p.max_utility.is_finite() && p.max_utility > 0.0) {
                return bad(format!(
                    "party `{}`: maxutility must be a positive number",
                    p.name
                ));
            }
            if !p.reservation.is_finite() {
                return bad(format!(
                    "party `{}`: the reservation must be finite",
                    p.name
                ));
            }
            for (k, b) in p.boxes.iter().enumerate() {
                if !b.weight.is_finite() {
                    return bad(format!(
                        "party `{}`, box {}: weight is not finite",
                        p.name,
                        k + 1
                    ));
                }
                if b.ranges.len() != self.issues.len() {
                    return bad(format!(
                        "party `{}`, box {}: {} ranges for {} issues",
                        p.name,
                        k + 1,
                        b.ranges.len(),
                        self.issues.len()
                    ));
                }
            }
        }
        Ok(())
    }

    /// Number of outcomes (saturating at `u128::MAX`).
    pub fn outcomes(&self) -> u128 {
        self.issues.iter().fold(1u128, |n, (_, lo, hi)| {
            n.saturating_mul((hi - lo) as u128 + 1)
        })
    }

    /// Every party's utility of an outcome.
    pub fn utilities(&self, outcome: &[i64]) -> Vec<f64> {
        self.parties.iter().map(|p| p.utility(outcome)).collect()
    }

    /// The outcome space over levels (level `l` of issue `k` is the value
    /// `lo_k + l`).
    pub fn space(&self) -> crate::model::OutcomeSpace {
        crate::model::OutcomeSpace::new(
            self.issues
                .iter()
                .map(|(_, lo, hi)| {
                    usize::try_from(hi.saturating_sub(*lo))
                        .map_or(usize::MAX, |n| n.saturating_add(1))
                })
                .collect(),
        )
    }

    /// The values of an outcome given as levels.
    pub fn values(&self, levels: &[usize]) -> Vec<i64> {
        self.issues
            .iter()
            .zip(levels)
            .map(|((_, lo, _), &l)| lo.saturating_add(l as i64))
            .collect()
    }
}

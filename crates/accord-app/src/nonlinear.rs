//! The `accord analyze --genius DIR --json` document for a non-linear
//! (hyper-rectangle) GENIUS domain: the keys of the linear document that
//! apply to the box branch and bound (`scenario`, `outcomes`, `method`,
//! `exact`, `gap`, `search`, `disagreement`, `solutions`, `pareto`).

use accord::nonlinear::{BoxAnalysis, BoxPoint, BoxProblem};
use accord::{Solution, Solutions};
use indexmap::IndexMap;
use serde::{Serialize, Serializer};

/// A number that may be infinite: JSON has no infinity (serde_json would
/// write `null`, which reads as "exact"), so infinities are `"inf"` and
/// `"-inf"`.
#[derive(Debug, Clone, Copy)]
pub struct Extended(pub f64);

impl Serialize for Extended {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            x if x.is_finite() => s.serialize_f64(x),
            x if x > 0.0 => s.serialize_str("inf"),
            _ => s.serialize_str("-inf"),
        }
    }
}

/// An outcome count: a JSON number up to `u64::MAX`, the exact decimal
/// digits as a string beyond (JSON readers stop at 64-bit integers).
#[derive(Debug, Clone, Copy)]
pub struct Count(pub u128);

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match u64::try_from(self.0) {
            Ok(n) => s.serialize_u64(n),
            Err(_) => s.serialize_str(&self.0.to_string()),
        }
    }
}

/// One outcome with every party's utility.
#[derive(Debug, Clone, Serialize)]
pub struct BoxPointDoc {
    /// Issue → value.
    pub outcome: IndexMap<String, i64>,
    /// Party → utility.
    pub utilities: IndexMap<String, f64>,
}

/// A bargaining solution: its outcome and its objective's score (the
/// engine's generic solution over the document's point).
pub type BoxSolutionDoc = Solution<BoxPointDoc>;

/// A bound on one figure of a search stopped early.
#[derive(Debug, Clone, Serialize)]
pub struct BoxBoundDoc {
    /// Which figure.
    pub figure: String,
    /// The best value found, if any.
    pub found: Option<f64>,
    /// The certified upper bound.
    pub upper: Extended,
}

/// How the branch and bound went.
#[derive(Debug, Clone, Serialize)]
pub struct BoxSearchDoc {
    /// Nodes visited.
    pub nodes: u64,
    /// Whether the search was cut short.
    pub cancelled: bool,
    /// Bounds on the figures it could not prove.
    pub bounds: Vec<BoxBoundDoc>,
}

/// The `accord analyze --genius DIR --json` document of a non-linear domain.
#[derive(Debug, Clone, Serialize)]
pub struct NonlinearAnalyzeDoc {
    /// The domain's name.
    pub scenario: String,
    /// Outcome-space size.
    pub outcomes: Count,
    /// Always `search`: boxes have no enumeration path.
    pub method: &'static str,
    /// Whether every figure is exact.
    pub exact: bool,
    /// The certified gap when not exact.
    pub gap: Option<Extended>,
    /// How the search went.
    pub search: BoxSearchDoc,
    /// Party → reservation utility.
    pub disagreement: IndexMap<String, f64>,
    /// The four bargaining solutions (`null` when no outcome clears every
    /// reservation).
    pub solutions: Solutions<BoxSolutionDoc>,
    /// The Pareto frontier.
    pub pareto: Vec<BoxPointDoc>,
}

/// The document of the box branch and bound `a` on problem `p`.
pub fn nonlinear_analyze_view(p: &BoxProblem, a: &BoxAnalysis) -> NonlinearAnalyzeDoc {
    let point = |q: &BoxPoint| BoxPointDoc {
        outcome: p
            .issues
            .iter()
            .zip(&q.outcome)
            .map(|((n, ..), v)| (n.clone(), *v))
            .collect(),
        utilities: p
            .parties
            .iter()
            .zip(&q.utilities)
            .map(|(pa, u)| (pa.name.clone(), *u))
            .collect(),
    };
    NonlinearAnalyzeDoc {
        scenario: p.name.clone(),
        outcomes: Count(a.outcomes),
        method: "search",
        exact: a.exact,
        gap: a.gap.map(Extended),
        search: BoxSearchDoc {
            nodes: a.nodes,
            cancelled: a.cancelled,
            bounds: a
                .bounds
                .iter()
                .map(|b| BoxBoundDoc {
                    figure: b.figure.clone(),
                    found: b.found,
                    upper: Extended(b.upper),
                })
                .collect(),
        },
        disagreement: p
            .parties
            .iter()
            .map(|q| (q.name.clone(), q.reservation))
            .collect(),
        solutions: a.solutions.map(|s| Solution {
            point: point(&s.point),
            score: s.score,
        }),
        pareto: a.pareto.iter().map(point).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(v: impl Serialize) -> String {
        serde_json::to_string(&v).unwrap()
    }

    #[test]
    fn infinities_and_huge_counts_stay_readable() {
        assert_eq!(json(Extended(1.5)), "1.5");
        assert_eq!(json(Extended(f64::INFINITY)), "\"inf\"");
        assert_eq!(json(Extended(f64::NEG_INFINITY)), "\"-inf\"");
        assert_eq!(json(Count(u128::from(u64::MAX))), "18446744073709551615");
        assert_eq!(
            json(Count(u128::from(u64::MAX) + 1)),
            "\"18446744073709551616\""
        );
    }
}

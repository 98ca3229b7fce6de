//! Utility functions as objects over the outcome space: the additive table
//! of a linear scenario, or the weighted boxes of a non-linear GENIUS
//! profile, behind one [`Utility`] so that negotiators and analyses take
//! either.

use super::{Issue, IssuePref, Scenario};
use crate::nonlinear::BoxUtility;

/// One additive utility: `weight × value` per issue and level, summed in
/// issue order (the order [`Scenario::utility`] and the exact scan sum in,
/// so every path gets the same bits).
#[derive(Debug, Clone, PartialEq)]
pub struct UtilityTable {
    /// `terms[issue][level]` = weight × value.
    terms: Vec<Vec<f64>>,
}

impl UtilityTable {
    /// The table of per-issue preferences (an actor's or a bloc's) over
    /// `issues`.
    pub fn new(issues: &[Issue], prefs: &[IssuePref]) -> UtilityTable {
        UtilityTable {
            terms: issues
                .iter()
                .zip(prefs)
                .map(|(i, p)| {
                    (0..i.levels())
                        .map(|l| p.weight.value * p.value.at(i, l))
                        .collect()
                })
                .collect(),
        }
    }

    /// The table of actor `actor` of a scenario.
    pub fn of_actor(sc: &Scenario, actor: usize) -> UtilityTable {
        UtilityTable::new(&sc.issues, &sc.preferences[actor].issues)
    }

    /// A table given term by term (`terms[issue][level]`).
    pub fn from_terms(terms: Vec<Vec<f64>>) -> UtilityTable {
        UtilityTable { terms }
    }

    /// Utility of an outcome (levels per issue): the terms added in issue
    /// order, starting from 0.
    #[inline]
    pub fn utility(&self, levels: &[usize]) -> f64 {
        self.terms
            .iter()
            .zip(levels)
            .fold(0.0, |u, (t, &l)| u + t[l])
    }

    /// The `weight × value` terms of one issue, one per level.
    pub fn issue(&self, issue: usize) -> &[f64] {
        &self.terms[issue]
    }

    /// Every issue's terms.
    pub fn terms(&self) -> &[Vec<f64>] {
        &self.terms
    }

    /// Levels per issue.
    pub fn radix(&self) -> Vec<usize> {
        self.terms.iter().map(Vec::len).collect()
    }

    /// The best level of each issue on its own (lowest level on ties): the
    /// outcome of highest utility, since the terms add up.
    pub fn ideal(&self) -> Vec<usize> {
        self.terms
            .iter()
            .map(|t| (0..t.len()).fold(0, |b, l| if t[l] > t[b] { l } else { b }))
            .collect()
    }
}

/// A party's utility over levels: additive, or non-linear boxes.
#[derive(Debug, Clone, PartialEq)]
pub enum Utility {
    /// Linear-additive (a scenario's actor, a linear GENIUS profile).
    Additive(UtilityTable),
    /// Weighted hyper-rectangles (a non-linear GENIUS profile).
    Boxes(BoxUtility),
}

impl Utility {
    /// Utility of an outcome given as levels per issue.
    #[inline]
    pub fn utility(&self, levels: &[usize]) -> f64 {
        match self {
            Utility::Additive(t) => t.utility(levels),
            Utility::Boxes(b) => b.utility(levels),
        }
    }

    /// The outcome of highest utility when it can be read off without a
    /// search (additive utilities: each issue's best level).
    pub fn ideal(&self) -> Option<Vec<usize>> {
        match self {
            Utility::Additive(t) => Some(t.ideal()),
            Utility::Boxes(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IssueKind, OptionDef, Param, Provenance, ValueFn};

    #[test]
    fn a_table_sums_like_the_scenario() {
        let issue = |id: &str, n: usize| Issue {
            id: id.into(),
            name: id.into(),
            kind: IssueKind::Options {
                options: (0..n)
                    .map(|k| OptionDef {
                        id: format!("o{k}"),
                        label: String::new(),
                    })
                    .collect(),
                ordered: true,
            },
        };
        let pref = |w: f64, v: Vec<f64>| IssuePref {
            weight: Param::new(w),
            value: ValueFn::Table { values: v },
            stance: None,
            provenance: Provenance::default(),
        };
        let issues = vec![issue("a", 3), issue("b", 2)];
        let prefs = vec![pref(0.3, vec![0.0, 0.5, 1.0]), pref(0.7, vec![1.0, 0.1])];
        let t = UtilityTable::new(&issues, &prefs);
        // 0.3 × 0.5 + 0.7 × 0.1 = 0.22, summed in issue order.
        assert_eq!(t.utility(&[1, 1]), 0.0 + 0.3 * 0.5 + 0.7 * 0.1);
        assert_eq!(
            t.utility(&[1, 1]),
            crate::model::additive(&issues, &prefs, &[1, 1])
        );
        assert_eq!(t.radix(), vec![3, 2]);
        assert_eq!(t.ideal(), vec![2, 0]);
        assert_eq!(Utility::Additive(t).utility(&[2, 0]), 0.3 + 0.7);
    }
}

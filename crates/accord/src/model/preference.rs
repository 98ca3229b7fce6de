//! Per-actor preferences: issue saliences, value functions, reservation.

use super::{Issue, IssueKind, Param, Provenance};
use serde::Serialize;

/// How much an actor values each level of one issue, on [0, 1].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "shape")]
// `Peak` holds two sourced numbers; there are a handful of value functions
// per scenario, so boxing them would buy nothing but an indirection.
#[allow(clippy::large_enum_variant)]
pub enum ValueFn {
    /// One value per option, in option order.
    Table {
        /// The values.
        values: Vec<f64>,
    },
    /// 0 at the lowest level, 1 at the highest, linear between.
    Rising,
    /// 1 at the lowest level, 0 at the highest, linear between.
    Falling,
    /// 1 at `ideal`, falling linearly to 0 at `tolerance` away.
    Peak {
        /// The most preferred value (option index for option issues).
        ideal: Param,
        /// Distance at which the value reaches 0.
        tolerance: Param,
    },
    /// Linear interpolation through `(x, value)` points, flat outside them.
    Piecewise {
        /// Points sorted by x.
        points: Vec<(f64, f64)>,
    },
}

impl ValueFn {
    /// The value at a level of an issue, clamped to [0, 1] so that rounding
    /// in interpolation never leaves the unit interval.
    pub fn at(&self, issue: &Issue, level: usize) -> f64 {
        self.raw_at(issue, level).clamp(0.0, 1.0)
    }

    fn raw_at(&self, issue: &Issue, level: usize) -> f64 {
        let x = issue.scalar(level);
        let (lo, hi) = issue.range();
        let span = hi - lo;
        match self {
            ValueFn::Table { values } => values.get(level).copied().unwrap_or(0.0),
            ValueFn::Rising => {
                if span > 0.0 {
                    (x - lo) / span
                } else {
                    1.0
                }
            }
            ValueFn::Falling => {
                if span > 0.0 {
                    (hi - x) / span
                } else {
                    1.0
                }
            }
            ValueFn::Peak { ideal, tolerance } => {
                let d = (x - ideal.value).abs();
                if tolerance.value <= 0.0 {
                    if d == 0.0 {
                        1.0
                    } else {
                        0.0
                    }
                } else {
                    (1.0 - d / tolerance.value).max(0.0)
                }
            }
            ValueFn::Piecewise { points } => piecewise(points, x),
        }
    }

    /// The level with the highest value (lowest level on ties): the actor's
    /// ideal position on this issue.
    pub fn best_level(&self, issue: &Issue) -> usize {
        let mut best = 0;
        for l in 1..issue.levels() {
            if self.at(issue, l) > self.at(issue, best) {
                best = l;
            }
        }
        best
    }
}

fn piecewise(points: &[(f64, f64)], x: f64) -> f64 {
    match points {
        [] => 0.0,
        [(_, v)] => *v,
        _ => {
            if x <= points[0].0 {
                return points[0].1;
            }
            for w in points.windows(2) {
                let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                if x <= x1 {
                    if x1 == x0 {
                        return y1;
                    }
                    return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
                }
            }
            points[points.len() - 1].1
        }
    }
}

/// One actor's stance on one issue: salience, value function and source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssuePref {
    /// Salience; the weights of one actor sum to 1.
    pub weight: Param,
    /// Value of each level.
    pub value: ValueFn,
    /// What kind of statement this is (ideal, offer, demand, …), if known.
    pub stance: Option<String>,
    /// Where the position comes from.
    pub provenance: Provenance,
}

impl IssuePref {
    /// An issue the actor does not care about.
    pub fn indifferent() -> Self {
        IssuePref {
            weight: Param::new(0.0),
            value: ValueFn::Rising,
            stance: None,
            provenance: Provenance::default(),
        }
    }
}

/// One actor's preferences over the whole space.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preference {
    /// Utility of no deal: the actor accepts only outcomes at least this good.
    pub reservation: Param,
    /// One entry per issue, in issue order.
    pub issues: Vec<IssuePref>,
}

impl Preference {
    /// Checks weights and value tables against the issues.
    pub fn check(&self, issues: &[Issue]) -> Result<(), String> {
        check_issue_prefs(&self.issues, issues)?;
        if !(0.0..=1.0).contains(&self.reservation.value) {
            return Err(format!(
                "reservation {} is outside [0, 1]",
                self.reservation.value
            ));
        }
        Ok(())
    }
}

/// Checks a list of per-issue preferences (an actor's or a bloc's).
pub(crate) fn check_issue_prefs(prefs: &[IssuePref], issues: &[Issue]) -> Result<(), String> {
    let mut sum = 0.0;
    for (p, issue) in prefs.iter().zip(issues) {
        if p.weight.value.is_nan() || p.weight.value < 0.0 {
            return Err(format!("weight on `{}` is negative", issue.id));
        }
        sum += p.weight.value;
        if let ValueFn::Table { values } = &p.value {
            let n = match &issue.kind {
                IssueKind::Options { options, .. } => options.len(),
                IssueKind::Numeric { .. } => issue.levels(),
            };
            if values.len() != n {
                return Err(format!("value table on `{}` needs {n} entries", issue.id));
            }
        }
        for l in 0..issue.levels() {
            let v = p.value.at(issue, l);
            if !(0.0..=1.0 + 1e-12).contains(&v) {
                return Err(format!("value {v} on `{}` is outside [0, 1]", issue.id));
            }
        }
    }
    if (sum - 1.0).abs() > 1e-6 {
        return Err(format!("weights sum to {sum}, not 1"));
    }
    Ok(())
}

/// Linear-additive utility, summed in issue order so that every code path
/// that evaluates it gets the same bits.
pub(crate) fn additive_utility(issues: &[Issue], prefs: &[IssuePref], levels: &[usize]) -> f64 {
    let mut u = 0.0;
    for ((issue, p), &l) in issues.iter().zip(prefs).zip(levels) {
        u += p.weight.value * p.value.at(issue, l);
    }
    u
}

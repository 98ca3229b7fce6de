//! Maps an Accord [`Scenario`] to the spatial problem the forecasting
//! models read.
//!
//! Rules:
//! - An ordered option issue becomes a dimension on which option `k` of `n`
//!   sits at `100 k / (n − 1)`; a numeric issue's range `[min, max]` is
//!   rescaled linearly to 0–100. Both follow [`Issue::scalar`], so the
//!   mapping is `100 (scalar − lo) / (hi − lo)`.
//! - Each actor's position is its ideal level ([`ValueFn::best_level`]), its
//!   salience is its issue weight × 100 (an actor's weights sum to 1, so its
//!   saliences sum to at most 100, as KTAB expects), and its power is
//!   [`Actor::power`](crate::model::Actor).
//! - Weights are *not* renormalised over the forecastable issues: how much
//!   an actor cares about one issue does not change because another issue
//!   cannot be placed on a line.
//! - An unordered option issue has no line to place positions on, so it is
//!   listed in [`ScenarioProblem::not_forecastable`] with the reason and
//!   never coerced to an order.
//! - An issue decided by one actor ([`crate::model::DecidedBy`]) is not
//!   voted on either: it is listed in `not_forecastable` with its decider,
//!   and [`super::nearest_package`] sets it to that actor's choice.
//!
//! [`ValueFn::best_level`]: crate::model::ValueFn::best_level

use super::SpatialProblem;
use super::{Dimension, SpatialActor};
use crate::model::{fmt_num, Issue, IssueKind, Scenario};
use serde::Serialize;

/// A scenario issue that became a dimension of the spatial problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MappedIssue {
    /// Index of the issue in the scenario.
    pub issue: usize,
    /// Issue id.
    pub id: String,
    /// The issue's scalar at 0 on the 0–100 scale.
    pub lo: f64,
    /// The issue's scalar at 100 on the 0–100 scale.
    pub hi: f64,
}

/// An issue the spatial models cannot forecast, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotForecastable {
    /// Issue id.
    pub issue: String,
    /// Why it was left out.
    pub reason: String,
}

/// A scenario seen as a spatial problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioProblem {
    /// The problem; `None` when no issue is forecastable.
    pub problem: Option<SpatialProblem>,
    /// The forecastable issues, one per dimension, in issue order.
    pub issues: Vec<MappedIssue>,
    /// The issues left out, in issue order.
    pub not_forecastable: Vec<NotForecastable>,
}

impl MappedIssue {
    /// A 0–100 model value in the issue's own units (option index for
    /// option issues, the number for numeric ones).
    pub fn to_issue_scale(&self, x: f64) -> f64 {
        self.lo + (self.hi - self.lo) * x / 100.0
    }

    /// An issue-scale value on 0–100.
    pub fn to_model_scale(&self, v: f64) -> f64 {
        if self.hi > self.lo {
            100.0 * (v - self.lo) / (self.hi - self.lo)
        } else {
            // A one-level issue: every actor sits at the same point.
            0.0
        }
    }

    /// A 0–100 model value shown in the issue's terms: the nearest option's
    /// id for option issues, the number (with its unit) for numeric ones.
    pub fn display(&self, issue: &Issue, x: f64) -> String {
        let v = self.to_issue_scale(x);
        match &issue.kind {
            IssueKind::Options { options, .. } => options[issue.nearest_level(v)].id.clone(),
            IssueKind::Numeric { unit, .. } if unit.is_empty() => fmt_num(round2(v)),
            IssueKind::Numeric { unit, .. } => format!("{} {unit}", fmt_num(round2(v))),
        }
    }
}

/// Rounds to two decimals: a forecast is no more precise than that, and
/// display should never show float noise.
fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Maps a scenario to its spatial problem (see the module doc for the
/// rules). Fails only when the scenario itself is invalid for the models
/// (e.g. an actor's power is not positive).
pub fn spatial_problem(sc: &Scenario) -> Result<ScenarioProblem, crate::Error> {
    sc.check()?;
    let mut issues = Vec::new();
    let mut not_forecastable = Vec::new();
    let mut dimensions = Vec::new();
    for (j, issue) in sc.issues.iter().enumerate() {
        if let Some(d) = sc.decided_by.iter().find(|d| d.issue == j) {
            not_forecastable.push(NotForecastable {
                issue: issue.id.clone(),
                reason: format!(
                    "decided by {} alone: models do not vote; the forecast is its choice within the deal",
                    sc.actors[d.actor].id
                ),
            });
            continue;
        }
        if !issue.is_ordered() {
            not_forecastable.push(NotForecastable {
                issue: issue.id.clone(),
                reason: "unordered options: spatial models need positions on a line".into(),
            });
            continue;
        }
        let (lo, hi) = issue.range();
        let m = MappedIssue {
            issue: j,
            id: issue.id.clone(),
            lo,
            hi,
        };
        let mut positions = Vec::with_capacity(sc.actors.len());
        let mut saliences = Vec::with_capacity(sc.actors.len());
        for p in &sc.preferences {
            let ip = &p.issues[j];
            let ideal = issue.scalar(ip.value.best_level(issue));
            // Clamp away rounding (e.g. 99.99999999) at the ends of the scale.
            positions.push(Some(m.to_model_scale(ideal).clamp(0.0, 100.0)));
            saliences.push(Some((ip.weight.value * 100.0).clamp(0.0, 100.0)));
        }
        dimensions.push(Dimension {
            name: issue.id.clone(),
            positions,
            saliences,
        });
        issues.push(m);
    }
    let problem = if dimensions.is_empty() {
        None
    } else {
        let actors = sc
            .actors
            .iter()
            .map(|a| SpatialActor {
                name: a.id.clone(),
                power: a.power.value,
            })
            .collect();
        Some(
            SpatialProblem::new(actors, dimensions)
                .map_err(|e| crate::Error::Invalid(e.to_string()))?,
        )
    };
    Ok(ScenarioProblem {
        problem,
        issues,
        not_forecastable,
    })
}

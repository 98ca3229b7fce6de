//! Forecasts that respect the deal: each model's raw forecast next to the
//! nearest package every party can accept.
//!
//! A spatial model forecasts each issue on its own line and knows nothing
//! of red lines, feasibility rules, reservations or ratifiers, so its raw
//! forecast can be a package no party would sign. The projection answers
//! "which acceptable package is closest to what the model predicts?":
//!
//! - The acceptable packages are the ZOPA of [`analyze`] (feasible, inside
//!   every red line, reservation and ratifier), read by [`acceptable_set`],
//!   the one place that decides what "acceptable" means.
//! - The distance between the raw forecast `x` and a package `y` is the
//!   salience-weighted Euclidean distance over the forecastable issues, on
//!   the 0–100 scale: `D = √(Σ_d w_d ((x_d − y_d) / 100)²)`, with
//!   `w_d ∝ Σ_i power_i × salience_id` (normalised to sum to 1). Unordered
//!   issues have no line, hence no distance; they follow the package.
//! - An issue decided by one actor ([`crate::model::DecidedBy`]) is not
//!   voted: among the packages at the smallest distance on the other
//!   issues, the deciding actor's most valued level wins.
//! - Ties go to the earlier package in the set, i.e. the higher Nash
//!   product.
//!
//! When the ZOPA is empty there is no acceptable package; [`relaxed_set`]
//! gives the packages the smallest relaxation would open, so a caller can
//! say what the forecast is nearest to once those constraints are dropped.

use super::ScenarioProblem;
use crate::analysis::{analyze, Analysis, AnalyzeOptions, ConstraintKind, ConstraintRef};
use crate::model::{Scenario, Value};
use crate::{Error, Progress};
use indexmap::IndexMap;
use serde::Serialize;

/// Most acceptable packages read from one analysis (the best by Nash
/// product); beyond it the projection covers only those.
pub const MAX_PACKAGES: usize = 5000;

/// The packages a projection may land on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcceptableSet {
    /// Each package as one level per scenario issue, best Nash product first.
    pub packages: Vec<Vec<usize>>,
    /// How many acceptable packages exist (may exceed `packages.len()`).
    pub size: u64,
    /// Constraints dropped to obtain the set; empty for the ZOPA itself.
    pub relaxed: Vec<ConstraintRef>,
}

impl AcceptableSet {
    /// Whether the list holds only the best [`MAX_PACKAGES`] packages.
    pub fn truncated(&self) -> bool {
        (self.packages.len() as u64) < self.size
    }
}

/// Analysis options that make [`analyze`] list enough acceptable packages
/// for [`acceptable_set`]; callers showing `zopa.top` cut it back to
/// `base.top`.
pub fn acceptable_options(base: &AnalyzeOptions) -> AnalyzeOptions {
    AnalyzeOptions {
        top: base.top.max(MAX_PACKAGES),
        ..base.clone()
    }
}

/// The acceptable packages of an analysis run with [`acceptable_options`]:
/// its implementable ZOPA when process steps depend on the deal, else its
/// ZOPA. Every projection reads the deal through this function alone.
pub fn acceptable_set(sc: &Scenario, an: &Analysis) -> AcceptableSet {
    // With deal-dependent process steps, a package must also be
    // implementable (its process can run), not only accepted.
    let (top, size) = match &an.zopa.implementable {
        Some(i) => (&i.top, i.size),
        None => (&an.zopa.top, an.zopa.size),
    };
    AcceptableSet {
        packages: top
            .iter()
            .map(|s| levels_of(sc, &s.point.outcome))
            .collect(),
        size,
        relaxed: Vec::new(),
    }
}

/// The levels of an outcome given as issue id → value.
fn levels_of(sc: &Scenario, outcome: &IndexMap<String, Value>) -> Vec<usize> {
    sc.issues
        .iter()
        .map(|i| match &outcome[&i.id] {
            Value::Option(id) => i.option_index(id).unwrap_or(0),
            Value::Number(x) => i.nearest_level(*x),
        })
        .collect()
}

/// The scenario with a set of constraints dropped: red lines and ratifiers
/// removed, reservations set to 0 (any package beats no deal).
pub fn relax(sc: &Scenario, drop: &[ConstraintRef]) -> Scenario {
    let mut out = sc.clone();
    for c in drop {
        let actor = sc.actor_index(&c.actor);
        match c.kind {
            ConstraintKind::RedLine => {
                out.retain_red_lines(|r| !(r.id == c.id && Some(r.actor) == actor))
            }
            ConstraintKind::Ratification => out
                .ratifiers
                .retain(|r| !(r.id == c.id && Some(r.actor) == actor)),
            ConstraintKind::Reservation => {
                if let Some(a) = actor {
                    out.preferences[a].reservation.value = 0.0;
                    out.preferences[a].reservation.dist = None;
                }
            }
            // Process steps: ids are unique across preconditions and deadlines.
            ConstraintKind::Precondition => out.process.preconditions.retain(|p| p.id != c.id),
            ConstraintKind::Deadline => out.process.deadlines.retain(|d| d.id != c.id),
        }
    }
    out
}

/// When the ZOPA is empty: the acceptable packages under the analysis's
/// smallest relaxation (one more [`analyze`] of the relaxed scenario), or
/// `None` when there is no relaxation or the ZOPA is not empty.
pub fn relaxed_set(
    sc: &Scenario,
    an: &Analysis,
    opts: &AnalyzeOptions,
    progress: &dyn Progress,
) -> Result<Option<AcceptableSet>, Error> {
    let none_open = an
        .zopa
        .implementable
        .as_ref()
        .map_or(an.zopa.size, |i| i.size)
        == 0;
    let Some(r) = an.relaxations.first().filter(|_| none_open) else {
        return Ok(None);
    };
    let relaxed = relax(sc, &r.drop);
    let ra = analyze(&relaxed, &acceptable_options(opts), progress)?;
    let mut set = acceptable_set(&relaxed, &ra);
    set.relaxed = r.drop.clone();
    Ok(Some(set))
}

/// The nearest acceptable package to one raw forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Package {
    /// Issue id → value, for every issue of the scenario.
    pub outcome: IndexMap<String, Value>,
    /// Salience-weighted distance to the raw forecast (0 = identical, 1 =
    /// every issue at the opposite end of its scale).
    pub distance: f64,
    /// Forecastable issues whose value differs from the raw forecast's
    /// nearest level, in issue order.
    pub moved: Vec<String>,
}

/// Per-dimension distance weights of a scenario problem: the power ×
/// salience mass of each dimension, normalised to sum to 1 (equal weights
/// when every salience is 0).
pub fn issue_weights(sp: &ScenarioProblem) -> Vec<f64> {
    let Some(p) = &sp.problem else {
        return Vec::new();
    };
    let mass: Vec<f64> = (0..p.dimensions().len())
        .map(|d| {
            p.participants(d)
                .iter()
                .map(|&(i, _, s)| p.actors()[i].power * s)
                .sum()
        })
        .collect();
    let total: f64 = mass.iter().sum();
    if total > 0.0 {
        mass.iter().map(|m| m / total).collect()
    } else {
        vec![1.0 / mass.len() as f64; mass.len()]
    }
}

/// The acceptable package nearest to a raw forecast (`forecast[d]` on the
/// 0–100 scale of dimension `d` of `sp`), or `None` when the set is empty.
/// See the module doc for the distance, decided issues and ties.
pub fn nearest_package(
    sc: &Scenario,
    sp: &ScenarioProblem,
    forecast: &[f64],
    set: &AcceptableSet,
) -> Option<Package> {
    let w = issue_weights(sp);
    // Decided issues are not part of the distance: the decider picks them.
    let decided: Vec<(usize, usize)> = sc.decided_by.iter().map(|d| (d.issue, d.actor)).collect();
    let voted = |d: usize| !decided.iter().any(|&(j, _)| j == sp.issues[d].issue);
    let distance = |levels: &[usize]| -> f64 {
        sp.issues
            .iter()
            .enumerate()
            .filter(|&(d, _)| voted(d) && forecast[d].is_finite())
            .map(|(d, mi)| {
                let y = mi.to_model_scale(sc.issues[mi.issue].scalar(levels[mi.issue]));
                w[d] * ((forecast[d] - y) / 100.0).powi(2)
            })
            .sum::<f64>()
            .sqrt()
    };
    let decider_value = |levels: &[usize]| -> f64 {
        decided
            .iter()
            .map(|&(j, a)| {
                sc.preferences[a].issues[j]
                    .value
                    .at(&sc.issues[j], levels[j])
            })
            .sum()
    };
    let mut best: Option<(f64, f64, &Vec<usize>)> = None;
    for levels in &set.packages {
        let (dist, val) = (distance(levels), decider_value(levels));
        // Equal distances (packages that differ only on decided or
        // unordered issues) are exact float ties: the decider's value
        // breaks them, then the set's order.
        let take = match best {
            None => true,
            Some((bd, bv, _)) => dist < bd - 1e-12 || (dist <= bd + 1e-12 && val > bv + 1e-12),
        };
        if take {
            best = Some((dist, val, levels));
        }
    }
    let (dist, _, levels) = best?;
    let moved = sp
        .issues
        .iter()
        .enumerate()
        .filter(|&(d, mi)| {
            let issue = &sc.issues[mi.issue];
            forecast[d].is_finite()
                && issue.nearest_level(mi.to_issue_scale(forecast[d])) != levels[mi.issue]
        })
        .map(|(_, mi)| mi.id.clone())
        .collect();
    Some(Package {
        outcome: sc
            .issues
            .iter()
            .zip(levels)
            .map(|(i, &l)| (i.id.clone(), i.value(l)))
            .collect(),
        distance: dist,
        moved,
    })
}

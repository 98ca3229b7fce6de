//! The process engine: milestones and timed preconditions as a simple
//! temporal network (STN, Dechter–Meiri–Pearl 1991).
//!
//! # Model
//!
//! Every milestone `m` gets an integer day `t_m`, counted from day 0, the
//! scenario's `as_of` date. A hidden anchor node `start` is fixed at
//! `t_start = 0`. Every constraint is a difference constraint
//!
//! ```text
//! lo ≤ t_to − t_from ≤ hi        (hi may be +∞)
//! ```
//!
//! and becomes two edges of the *distance graph*: `from → to` with weight
//! `hi` (the upper bound) and `to → from` with weight `−lo` (the lower
//! bound). The shortest-path distance `d(u, v)` is the tightest implied
//! bound `t_v − t_u ≤ d(u, v)`. The network is consistent exactly when the
//! distance graph has no negative cycle; then `t_m = −d(m, start)` is the
//! earliest schedule and `t_m = d(start, m)` the latest one.
//!
//! | [`Timing`]          | meaning                                   | `[lo, hi]`  |
//! |---------------------|-------------------------------------------|-------------|
//! | `Before`            | B no earlier than A                       | `[0, ∞)`    |
//! | `AtLeast(d)`        | B no earlier than `d` days after A        | `[d, ∞)`    |
//! | `Held(d)`           | A must have held `d` days before B        | `[d, ∞)`    |
//! | `Within(d)`         | B after A, and no later than `d` days     | `[0, d]`    |
//! | `Between(lo, hi)`   | B between `lo` and `hi` days after A      | `[lo, hi]`  |
//! | `Never`             | veto: no B before (or without) A          | `[0, ∞)`    |
//!
//! Deadlines bound a milestone against `start`:
//! `not_before_days ≤ t_m − t_start ≤ not_after_days`. In addition every
//! milestone satisfies the *floor* `t_m ≥ 0`: the network plans the future
//! from `as_of`, so nothing in it can happen before day 0. (Milestones that
//! already happened are left out of the network: their conditions hold.)
//!
//! `Never` is a veto ("no ceasefire before a comprehensive settlement").
//! An STN has no disjunction and no non-occurrence: every milestone is
//! assumed to happen at some finite day, so "B never without A" can only
//! mean that when B happens A has already happened, `t_B − t_A ≥ 0`, the
//! same bound as `Before`. The label is kept because waiving a veto is a
//! different political act from shortening a lag, and reports show it.
//!
//! # Analyses
//!
//! [`analyze_process`] reports consistency, the earliest/latest window of
//! every milestone, the critical paths, every deadlock (elementary negative
//! cycle of the distance graph, in cycle order) and the minimal sets of
//! preconditions/deadlines whose waiver makes the network consistent.
//!
//! ```
//! use accord::process::{analyze_process, Milestone, Precondition, ProcessNetwork, Timing};
//! let m = |id: &str| Milestone { id: id.into(), name: id.into(), when: None };
//! let net = ProcessNetwork {
//!     milestones: vec![m("ceasefire"), m("referendum")],
//!     preconditions: vec![Precondition {
//!         id: "P1".into(), from: 0, to: 1, owner: "UA".into(),
//!         rule: "referendum needs a 60-day ceasefire".into(),
//!         source: None, quote: None, assumption: None, timing: Timing::Held(60), when: None,
//!     }],
//!     deadlines: vec![],
//! };
//! let report = analyze_process(&net);
//! assert!(report.consistent);
//! assert_eq!(report.schedule[1].earliest, 60);
//! assert_eq!(report.schedule[1].latest, None);
//! ```

mod analyze;
mod calendar;
mod cycles;
mod graph;
pub(crate) mod readings;
mod waivers;

pub use analyze::{
    analyze_process, analyze_process_with, Bound, ConstraintEdge, ConstraintKind, ConstraintRef,
    CriticalPath, Deadlock, MilestoneWindow, ProcessLimits, ProcessReport, Waiver,
};
pub use calendar::{civil_from_days, days_from_civil};
pub use readings::{
    analyze_precondition_readings, DeadlockUnder, PreconditionLine, PreconditionReadingProb,
    ProcessCombination, ProcessReadingsOptions, ProcessReadingsReport,
};

use crate::model::Expr;
use serde::Serialize;

/// Largest absolute day offset or lag accepted (about 2,700 years).
pub const MAX_ABS_DAYS: i64 = 1_000_000;

/// Id under which the day-0 anchor appears in reports.
pub const START_ID: &str = "start";

/// A process: milestones, timed preconditions between them and deadlines.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ProcessNetwork {
    /// The milestones; preconditions and deadlines refer to them by index.
    pub milestones: Vec<Milestone>,
    /// Timed preconditions between pairs of milestones.
    pub preconditions: Vec<Precondition>,
    /// Bounds on single milestones relative to day 0 (`as_of`).
    pub deadlines: Vec<Deadline>,
}

/// An event in the process (ceasefire, signature, referendum, …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    /// Short unique id, e.g. `"ceasefire"`.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// The outcomes on which the milestone exists (`None`: all); where it
    /// does not, it and every constraint touching it leave the network.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Expr>,
}

/// A sourced condition "B (`to`) only in a given window after A (`from`)".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Precondition {
    /// Unique id, e.g. `"P1"`.
    pub id: String,
    /// Index of milestone A, the prerequisite.
    pub from: usize,
    /// Index of milestone B, the conditioned milestone.
    pub to: usize,
    /// Id of the actor who holds the condition (ids joined by `+` when
    /// several hold it jointly, e.g. `"UA+US"`).
    pub owner: String,
    /// The rule as stated.
    pub rule: String,
    /// Source document id.
    pub source: Option<String>,
    /// Short quote from the source.
    pub quote: Option<String>,
    /// Why the step is assumed, when no source states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
    /// The timing window of B relative to A.
    pub timing: Timing,
    /// The outcomes on which the precondition binds (`None`: all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Expr>,
}

/// The timing window of a precondition, as `t_B − t_A ∈ [lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Timing {
    /// B no earlier than A: `[0, ∞)`.
    Before,
    /// B no earlier than `d` days after A: `[d, ∞)`.
    AtLeast(i64),
    /// B after A and no later than `d` days after it: `[0, d]`.
    Within(i64),
    /// B between `lo` and `hi` days after A: `[lo, hi]`.
    Between(i64, i64),
    /// A must have held at least `d` days before B: `[d, ∞)`.
    Held(i64),
    /// Veto: B may not happen before (or without) A: `[0, ∞)`.
    Never,
}

impl Timing {
    /// The window `(lo, hi)` of `t_B − t_A`; `hi = None` means unbounded.
    pub fn bounds(self) -> (i64, Option<i64>) {
        match self {
            Timing::Before | Timing::Never => (0, None),
            Timing::AtLeast(d) | Timing::Held(d) => (d, None),
            Timing::Within(d) => (0, Some(d)),
            Timing::Between(lo, hi) => (lo, Some(hi)),
        }
    }

    /// A short label for reports (`"before"`, `"held"`, `"veto"`, …).
    pub fn label(self) -> &'static str {
        match self {
            Timing::Before => "before",
            Timing::AtLeast(_) => "at_least",
            Timing::Within(_) => "within",
            Timing::Between(..) => "between",
            Timing::Held(_) => "held",
            Timing::Never => "veto",
        }
    }
}

/// A bound on one milestone's day relative to day 0 (`as_of`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deadline {
    /// Unique id (shared namespace with precondition ids).
    pub id: String,
    /// Index of the bounded milestone.
    pub milestone: usize,
    /// The milestone may not happen before this day.
    pub not_before_days: Option<i64>,
    /// The milestone must happen on or before this day.
    pub not_after_days: Option<i64>,
    /// Id of the actor who sets the deadline, if any.
    pub owner: Option<String>,
    /// The rule as stated.
    pub rule: String,
    /// Source document id.
    pub source: Option<String>,
    /// Short quote from the source.
    pub quote: Option<String>,
    /// Why the step is assumed, when no source states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
    /// The outcomes on which the deadline binds (`None`: all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Expr>,
}

/// Why a [`ProcessNetwork`] cannot be analysed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProcessNetworkError {
    /// A precondition or deadline names a milestone index out of range.
    #[error("{item} refers to milestone index {index}, but there are {count} milestones")]
    MilestoneIndex {
        /// Which item, e.g. `preconditions[2].to`.
        item: String,
        /// The index given.
        index: usize,
        /// The number of milestones.
        count: usize,
    },
    /// A day offset or lag lies outside `±MAX_ABS_DAYS`.
    #[error("{item} = {value} lies outside ±{MAX_ABS_DAYS} days")]
    DaysOutOfRange {
        /// Which item, e.g. `deadlines[0].not_after_days`.
        item: String,
        /// The value given.
        value: i64,
    },
}

impl ProcessNetwork {
    /// Whether any step carries a `when` rule.
    pub fn is_conditional(&self) -> bool {
        self.milestones.iter().any(|m| m.when.is_some())
            || self.preconditions.iter().any(|p| p.when.is_some())
            || self.deadlines.iter().any(|d| d.when.is_some())
    }

    /// The network of the steps active on one outcome (levels per issue of
    /// `issues`): inactive milestones are dropped with every constraint
    /// that touches them, inactive preconditions and deadlines are dropped.
    /// Also returns, per waivable constraint (preconditions then
    /// deadlines), its index in the active network.
    pub fn active(
        &self,
        issues: &[crate::model::Issue],
        levels: &[usize],
    ) -> (ProcessNetwork, Vec<Option<usize>>) {
        let on = |w: &Option<Expr>| w.as_ref().is_none_or(|e| e.eval(issues, levels));
        let mut new_index = vec![None; self.milestones.len()];
        let mut net = ProcessNetwork::default();
        for (i, m) in self.milestones.iter().enumerate() {
            if on(&m.when) {
                new_index[i] = Some(net.milestones.len());
                net.milestones.push(m.clone());
            }
        }
        let mut map = Vec::new();
        for p in &self.preconditions {
            match (on(&p.when), new_index[p.from], new_index[p.to]) {
                (true, Some(from), Some(to)) => {
                    map.push(Some(net.preconditions.len()));
                    net.preconditions.push(Precondition {
                        from,
                        to,
                        ..p.clone()
                    });
                }
                _ => map.push(None),
            }
        }
        for d in &self.deadlines {
            match (on(&d.when), new_index[d.milestone]) {
                (true, Some(milestone)) => {
                    map.push(Some(net.preconditions.len() + net.deadlines.len()));
                    net.deadlines.push(Deadline {
                        milestone,
                        ..d.clone()
                    });
                }
                _ => map.push(None),
            }
        }
        (net, map)
    }

    /// Check indices and day ranges; [`analyze_process`] panics on
    /// networks for which this returns an error.
    pub fn validate(&self) -> Result<(), ProcessNetworkError> {
        let count = self.milestones.len();
        let index = |item: String, index: usize| {
            if index < count {
                Ok(())
            } else {
                Err(ProcessNetworkError::MilestoneIndex { item, index, count })
            }
        };
        let days = |item: String, value: i64| {
            if value.abs() <= MAX_ABS_DAYS {
                Ok(())
            } else {
                Err(ProcessNetworkError::DaysOutOfRange { item, value })
            }
        };
        for (i, p) in self.preconditions.iter().enumerate() {
            index(format!("preconditions[{i}].from"), p.from)?;
            index(format!("preconditions[{i}].to"), p.to)?;
            let (lo, hi) = p.timing.bounds();
            days(format!("preconditions[{i}].timing"), lo)?;
            if let Some(hi) = hi {
                days(format!("preconditions[{i}].timing"), hi)?;
            }
        }
        for (i, d) in self.deadlines.iter().enumerate() {
            index(format!("deadlines[{i}].milestone"), d.milestone)?;
            if let Some(v) = d.not_before_days {
                days(format!("deadlines[{i}].not_before_days"), v)?;
            }
            if let Some(v) = d.not_after_days {
                days(format!("deadlines[{i}].not_after_days"), v)?;
            }
        }
        Ok(())
    }
}

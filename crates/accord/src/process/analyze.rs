//! [`analyze_process`]: consistency, windows, critical paths, deadlocks
//! and minimal waivers of a process network.

use serde::Serialize;

use super::cycles::negative_cycles;
use super::graph::{Apsp, DistanceGraph, Origin};
use super::waivers::{constraint_set, minimal_waivers};
use super::{ProcessNetwork, START_ID};

/// Bounds on the enumerations done for inconsistent networks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessLimits {
    /// Stop listing deadlocks after this many.
    pub max_deadlocks: usize,
    /// Stop after examining this many circuits (node cycles and their
    /// parallel-edge expansions).
    pub cycle_budget: usize,
    /// Give up on waivers when an intermediate family of candidate
    /// hitting sets grows past this size.
    pub max_waivers: usize,
}

impl Default for ProcessLimits {
    fn default() -> Self {
        ProcessLimits {
            max_deadlocks: 1_000,
            cycle_budget: 1_000_000,
            max_waivers: 10_000,
        }
    }
}

/// The result of [`analyze_process`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessReport {
    /// Whether some schedule satisfies every constraint.
    pub consistent: bool,
    /// Window of each milestone, in milestone order (empty if inconsistent).
    pub schedule: Vec<MilestoneWindow>,
    /// Critical path of each final milestone (empty if inconsistent).
    pub critical_paths: Vec<CriticalPath>,
    /// Every elementary negative cycle (empty if consistent).
    pub deadlocks: Vec<Deadlock>,
    /// Whether the deadlock list was cut short by [`ProcessLimits`].
    pub deadlocks_truncated: bool,
    /// Minimal sets of constraints whose waiver restores consistency,
    /// by size then constraint order (empty if consistent).
    pub waivers: Vec<Waiver>,
    /// Whether the waiver search gave up (then `waivers` is empty).
    pub waivers_truncated: bool,
}

/// The feasible days of one milestone, relative to day 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MilestoneWindow {
    /// Milestone id.
    pub milestone: String,
    /// Earliest feasible day (never below 0 because of the floor).
    pub earliest: i64,
    /// Latest feasible day; `None` when unbounded.
    pub latest: Option<i64>,
}

/// The chain of tight constraints that fixes a milestone's earliest day.
///
/// A *final* milestone is one whose earliest day is the largest of all.
/// Its earliest day is `−d(m, start)`; the steps are the edges of one
/// shortest path `m → … → start` in the distance graph, listed from the
/// `start` end, so they read in time order. Along it every constraint is
/// tight in the earliest schedule: the lags add up to `earliest`, so
/// relaxing any step could move the milestone earlier (unless another
/// chain of equal length exists). Ties between paths are broken
/// deterministically by constraint order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriticalPath {
    /// The final milestone's id.
    pub milestone: String,
    /// Its earliest day.
    pub earliest: i64,
    /// The tight constraints, from day 0 to the milestone.
    pub steps: Vec<ConstraintEdge>,
}

/// A deadlock: an elementary negative cycle of the distance graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadlock {
    /// Total weight of the cycle (negative): by how many days the cycle's
    /// requirements overrun each other.
    pub total_days: i64,
    /// The edges in cycle order; each `to` is the next edge's `from`.
    /// A cycle starts at its first node in graph order (`start`, then the
    /// milestones in declaration order), so each cycle is listed once.
    pub edges: Vec<ConstraintEdge>,
}

/// A minimal set of waived constraints and the schedule that results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waiver {
    /// The constraints waived.
    pub waived: Vec<ConstraintRef>,
    /// The milestone windows once they are waived.
    pub schedule: Vec<MilestoneWindow>,
}

/// Which kind of constraint an edge or waiver refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// A [`Precondition`](super::Precondition).
    Precondition,
    /// A [`Deadline`](super::Deadline).
    Deadline,
    /// The implicit floor `t_m ≥ 0` (cannot be waived).
    Floor,
}

/// Which side of a constraint's window an edge encodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// `from` cannot happen until `−weight` days after `to`.
    Lower,
    /// `to` must happen within `weight` days after `from`.
    Upper,
}

/// A sourced constraint, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConstraintRef {
    /// Precondition, deadline or floor.
    pub kind: ConstraintKind,
    /// Precondition or deadline id; the milestone id for a floor.
    pub id: String,
    /// Timing label (`"held"`, `"veto"`, …, `"deadline"`, `"floor"`).
    pub label: String,
    /// Actor who holds the constraint.
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
}

/// One edge of the distance graph: `t_to − t_from ≤ weight`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConstraintEdge {
    /// Tail milestone id (`"start"` for day 0).
    pub from: String,
    /// Head milestone id (`"start"` for day 0).
    pub to: String,
    /// The bound `t_to − t_from ≤ weight`.
    pub weight: i64,
    /// Whether the edge encodes the lower or the upper side.
    pub bound: Bound,
    /// The constraint it comes from.
    #[serde(flatten)]
    pub constraint: ConstraintRef,
}

/// Analyse a process network with the default [`ProcessLimits`].
///
/// Cost: Floyd–Warshall is `O(n³)` in the number of milestones; for an
/// inconsistent network add the cycle enumeration (output-sensitive,
/// bounded by the limits) and one Bellman–Ford and Floyd–Warshall run per
/// candidate waiver.
///
/// # Panics
/// If `net` fails [`ProcessNetwork::validate`].
pub fn analyze_process(net: &ProcessNetwork) -> ProcessReport {
    analyze_process_with(net, &ProcessLimits::default())
}

/// Analyse a process network with explicit enumeration limits.
///
/// # Panics
/// If `net` fails [`ProcessNetwork::validate`].
pub fn analyze_process_with(net: &ProcessNetwork, limits: &ProcessLimits) -> ProcessReport {
    let graph = DistanceGraph::build(net, &[]);
    let apsp = graph.apsp();
    if apsp.consistent {
        let schedule = windows(net, &apsp);
        let critical_paths = critical_paths(net, &graph, &apsp, &schedule);
        return ProcessReport {
            consistent: true,
            schedule,
            critical_paths,
            deadlocks: Vec::new(),
            deadlocks_truncated: false,
            waivers: Vec::new(),
            waivers_truncated: false,
        };
    }
    let search = negative_cycles(&graph, limits.max_deadlocks, limits.cycle_budget);
    let deadlocks = search
        .cycles
        .iter()
        .map(|cycle| Deadlock {
            total_days: cycle.iter().map(|&e| graph.edges[e].weight).sum(),
            edges: cycle.iter().map(|&e| edge(net, &graph, e)).collect(),
        })
        .collect();
    let family = search
        .cycles
        .iter()
        .map(|c| constraint_set(&graph, c))
        .collect();
    let found = minimal_waivers(net, family, limits.max_waivers);
    let count = net.preconditions.len() + net.deadlines.len();
    let waivers = found
        .sets
        .iter()
        .map(|set| {
            let mut waived = vec![false; count];
            set.iter().for_each(|&c| waived[c] = true);
            let apsp = DistanceGraph::build(net, &waived).apsp();
            Waiver {
                waived: set.iter().map(|&c| waivable(net, c)).collect(),
                schedule: windows(net, &apsp),
            }
        })
        .collect();
    ProcessReport {
        consistent: false,
        schedule: Vec::new(),
        critical_paths: Vec::new(),
        deadlocks,
        deadlocks_truncated: search.truncated,
        waivers,
        waivers_truncated: found.truncated,
    }
}

fn windows(net: &ProcessNetwork, apsp: &Apsp) -> Vec<MilestoneWindow> {
    net.milestones
        .iter()
        .enumerate()
        .map(|(i, m)| MilestoneWindow {
            milestone: m.id.clone(),
            earliest: apsp.dist(i + 1, 0).map_or(0, |d| -d),
            latest: apsp.dist(0, i + 1),
        })
        .collect()
}

fn critical_paths(
    net: &ProcessNetwork,
    graph: &DistanceGraph,
    apsp: &Apsp,
    schedule: &[MilestoneWindow],
) -> Vec<CriticalPath> {
    let Some(last) = schedule.iter().map(|w| w.earliest).max() else {
        return Vec::new();
    };
    schedule
        .iter()
        .enumerate()
        .filter(|(_, w)| w.earliest == last)
        .map(|(i, w)| {
            let mut steps: Vec<ConstraintEdge> = apsp
                .path(i + 1, 0, graph)
                .into_iter()
                .map(|e| edge(net, graph, e))
                .collect();
            steps.reverse();
            CriticalPath {
                milestone: w.milestone.clone(),
                earliest: w.earliest,
                steps,
            }
        })
        .collect()
}

fn node_id(net: &ProcessNetwork, node: usize) -> String {
    match node {
        0 => START_ID.to_string(),
        k => net.milestones[k - 1].id.clone(),
    }
}

fn edge(net: &ProcessNetwork, graph: &DistanceGraph, e: usize) -> ConstraintEdge {
    let edge = &graph.edges[e];
    let constraint = match edge.origin {
        Origin::Precondition(i) => waivable(net, i),
        Origin::Deadline(j) => waivable(net, net.preconditions.len() + j),
        Origin::Floor(m) => ConstraintRef {
            kind: ConstraintKind::Floor,
            id: net.milestones[m].id.clone(),
            label: "floor".to_string(),
            owner: None,
            rule: "nothing in the process happens before day 0 (as_of)".to_string(),
            source: None,
            quote: None,
            assumption: None,
        },
    };
    ConstraintEdge {
        from: node_id(net, edge.tail),
        to: node_id(net, edge.head),
        weight: edge.weight,
        bound: if edge.lower {
            Bound::Lower
        } else {
            Bound::Upper
        },
        constraint,
    }
}

/// The report form of waivable constraint `c`.
fn waivable(net: &ProcessNetwork, c: usize) -> ConstraintRef {
    match net.preconditions.get(c) {
        Some(p) => ConstraintRef {
            kind: ConstraintKind::Precondition,
            id: p.id.clone(),
            label: p.timing.label().to_string(),
            owner: Some(p.owner.clone()),
            rule: p.rule.clone(),
            source: p.source.clone(),
            quote: p.quote.clone(),
            assumption: p.assumption.clone(),
        },
        None => {
            let d = &net.deadlines[c - net.preconditions.len()];
            ConstraintRef {
                kind: ConstraintKind::Deadline,
                id: d.id.clone(),
                label: "deadline".to_string(),
                owner: d.owner.clone(),
                rule: d.rule.clone(),
                source: d.source.clone(),
                quote: d.quote.clone(),
                assumption: d.assumption.clone(),
            }
        }
    }
}

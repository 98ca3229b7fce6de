//! Branch and bound over boxes of outcomes for [`BoxProblem`]s.
//!
//! A node is an integer box of candidate outcomes (one range per issue).
//! For each party every weighted box is classified against it as *holds
//! everywhere*, *holds nowhere* or *undecided*; the party's utility over
//! the node then lies between the sums that count undecided boxes at their
//! worse and at their better value. The sums are taken in the party's box
//! order, as GENIUS adds them: floating-point addition is monotone in each
//! argument, so the bounds hold for every outcome's float utility exactly,
//! with no tolerance. A node whose bounds meet has one utility vector for
//! all its outcomes (a leaf, represented by its lowest corner); otherwise
//! it is split at an edge of an undecided box, so one side decides it.
//!
//! The Pareto frontier of the whole space is kept as distinct utility
//! vectors; a node is dropped when a found point weakly exceeds its upper
//! bounds everywhere (it can add nothing new). The bargaining solutions
//! are then read off the frontier, where their maxima lie.

use super::anytime::{local_front, LocalBudget};
use super::{normalise, BoxKind, BoxProblem};
use crate::analysis::objective::{ks_ratio, min_gain, nash_product, utopia};
use crate::analysis::{Solution, Solutions};
use crate::{Error, Progress};
use std::time::{Duration, Instant};

/// Settings of [`analyze_boxes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoxOptions {
    /// Most nodes to visit before stopping with bounds (default 10⁸).
    pub max_nodes: u64,
    /// Wall-clock limit, checked every 1,024 nodes; `None`: nodes only.
    /// A run cut by time depends on the machine; by nodes it repeats.
    pub time_limit: Option<Duration>,
    /// Seed of the local search that seeds large problems' frontier.
    pub seed: u64,
    /// Nodes of the plain depth-first search before the anytime phase
    /// (local search, then ε-frontier passes) starts; every problem the
    /// plain search settles within them answers as it always has.
    pub plain_nodes: u64,
}

impl Default for BoxOptions {
    fn default() -> Self {
        BoxOptions {
            max_nodes: 100_000_000,
            time_limit: None,
            seed: 0,
            plain_nodes: 1_000_000,
        }
    }
}

impl BoxOptions {
    /// The local search's work for this run: fixed counts, so it repeats.
    fn local_budget(&self) -> LocalBudget {
        LocalBudget {
            seed: self.seed,
            directions: 48,
            rounds: 40,
            evaluations: 6_000_000,
        }
    }
}

/// The anytime phase's ε-frontier passes, loosest first; 0 is exact.
const EPSILONS: &[f64] = &[
    0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0002, 0.0001, 0.0,
];

/// How a pass of the walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// Every node was settled.
    Done,
    /// The node budget or the time limit ran out.
    Budget,
    /// The caller cancelled.
    Cancelled,
}

/// An outcome and every party's utility of it.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxPoint {
    /// One value per issue, in problem order.
    pub outcome: Vec<i64>,
    /// One utility per party, in problem order.
    pub utilities: Vec<f64>,
}

/// A bargaining solution of a box problem: its point and objective value.
pub type BoxSolution = Solution<BoxPoint>;

/// On a stopped run: what was found for a figure and a certified bound.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxBound {
    /// `pareto` (the ε below) or `solutions.<name>`.
    pub figure: String,
    /// The value found (`None`: nothing found).
    pub found: Option<f64>,
    /// No outcome does better than this (for `pareto`: every outcome is
    /// within this much, in every party's utility, of a found point).
    pub upper: f64,
}

/// What [`analyze_boxes`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxAnalysis {
    /// Size of the outcome space (saturating).
    pub outcomes: u128,
    /// Whether every figure is exact (the search finished).
    pub exact: bool,
    /// `None` when exact; else the largest of the bounds' `upper − found`
    /// (infinite when a bound has nothing found).
    pub gap: Option<f64>,
    /// Nodes visited.
    pub nodes: u64,
    /// Whether the caller cancelled the run.
    pub cancelled: bool,
    /// The Pareto frontier of the whole space: distinct utility vectors in
    /// increasing lexicographic order, each with one outcome reaching it.
    pub pareto: Vec<BoxPoint>,
    /// The bargaining solutions (over the frontier's points that clear
    /// every reservation; ties go to the larger sum for KS, then to the
    /// lexicographically lowest representative outcome).
    pub solutions: Solutions<BoxSolution>,
    /// Bounds on the unsettled figures of a stopped run (empty if exact).
    pub bounds: Vec<BoxBound>,
}

const NEVER: u8 = 0;
const ALWAYS: u8 = 1;
const MAYBE: u8 = 2;

/// One box, flattened: its party, value and constrained issues.
struct Flat {
    party: usize,
    weight: f64,
    includes: bool,
    ranges: Vec<(usize, i64, i64)>,
}

impl Flat {
    fn status(&self, region: &[(i64, i64)]) -> u8 {
        let mut inside = true;
        for &(i, a, b) in &self.ranges {
            let (lo, hi) = region[i];
            if hi < a || lo > b || a > b {
                return if self.includes { NEVER } else { ALWAYS };
            }
            if lo < a || hi > b {
                inside = false;
            }
        }
        match (self.includes, inside) {
            (true, true) => ALWAYS,
            (false, true) => NEVER,
            _ => MAYBE,
        }
    }

    /// A cut `(issue, at)` splitting the region into `..=at` and `at+1..`
    /// along an edge of this (undecided) box.
    fn cut(&self, region: &[(i64, i64)]) -> Option<(usize, i64)> {
        for &(i, a, b) in &self.ranges {
            let (lo, hi) = region[i];
            if lo < a && a <= hi {
                return Some((i, a - 1));
            }
            if lo <= b && b < hi {
                return Some((i, b));
            }
        }
        None
    }
}

struct Node {
    region: Vec<(i64, i64)>,
    status: Vec<u8>,
    lb: Vec<f64>,
    ub: Vec<f64>,
}

struct Solver<'a> {
    p: &'a BoxProblem,
    flat: Vec<Flat>,
    /// Flat box indices per party, in the party's order.
    by_party: Vec<Vec<usize>>,
    /// Splitting priority: undecided boxes by decreasing normalised |weight|.
    order: Vec<usize>,
}

impl Solver<'_> {
    fn bounds(&self, status: &[u8]) -> (Vec<f64>, Vec<f64>) {
        let n = self.p.parties.len();
        let mut lb = Vec::with_capacity(n);
        let mut ub = Vec::with_capacity(n);
        for (a, party) in self.p.parties.iter().enumerate() {
            let (mut lo, mut hi) = (0.0f64, 0.0f64);
            for &k in &self.by_party[a] {
                let w = self.flat[k].weight;
                let (l, h) = match status[k] {
                    ALWAYS => (w, w),
                    NEVER => (0.0, 0.0),
                    _ => (w.min(0.0), w.max(0.0)),
                };
                lo += l;
                hi += h;
            }
            lb.push(normalise(lo, party.max_utility));
            ub.push(normalise(hi, party.max_utility));
        }
        (lb, ub)
    }

    fn node(&self, region: Vec<(i64, i64)>, parent: Option<&[u8]>) -> Node {
        let status: Vec<u8> = match parent {
            Some(s) => s
                .iter()
                .zip(&self.flat)
                .map(|(&st, f)| if st == MAYBE { f.status(&region) } else { st })
                .collect(),
            None => self.flat.iter().map(|f| f.status(&region)).collect(),
        };
        let (lb, ub) = self.bounds(&status);
        Node {
            region,
            status,
            lb,
            ub,
        }
    }
}

/// Distinct non-dominated utility vectors with a representative each.
#[derive(Default)]
struct Front {
    points: Vec<BoxPoint>,
}

impl Front {
    /// Whether some point is at least `u` for every party.
    fn covers(&self, u: &[f64]) -> bool {
        covered(&self.points, u)
    }

    /// Whether some point is within `eps` of `u`: `uᵢ ≤ qᵢ + ε` for every
    /// party (the sum as the bounds use it).
    fn covers_within(&self, u: &[f64], eps: f64) -> bool {
        self.points
            .iter()
            .any(|q| q.utilities.iter().zip(u).all(|(a, b)| *b <= a + eps))
    }

    /// Whether some point is at least `u` everywhere and differs from it,
    /// so every outcome below `u` is strictly dominated.
    fn strictly_covers(&self, u: &[f64]) -> bool {
        self.points.iter().any(|q| {
            q.utilities.iter().zip(u).all(|(a, b)| a >= b)
                && q.utilities.iter().zip(u).any(|(a, b)| a > b)
        })
    }

    fn insert(&mut self, u: Vec<f64>, outcome: Vec<i64>) {
        if self.covers(&u) {
            return;
        }
        self.points
            .retain(|q| !q.utilities.iter().zip(&u).all(|(a, b)| a <= b));
        self.points.push(BoxPoint {
            outcome,
            utilities: u,
        });
    }
}

/// Whether some point is at least `u` for every party.
fn covered(points: &[BoxPoint], u: &[f64]) -> bool {
    points
        .iter()
        .any(|q| q.utilities.iter().zip(u).all(|(a, b)| a >= b))
}

/// The least ε with every party's `u` within ε of one point.
fn epsilon(points: &[BoxPoint], u: &[f64]) -> f64 {
    points
        .iter()
        .map(|q| {
            q.utilities
                .iter()
                .zip(u)
                .map(|(a, b)| (b - a).max(0.0))
                .fold(0.0, f64::max)
        })
        .fold(f64::INFINITY, f64::min)
}

/// An upper bound on objective `f` over the outcomes one cover holds:
/// those within `eps` of a found point (`uᵢ ≤ qᵢ + ε`) and those of the
/// nodes it left open. Only outcomes that clear every reservation count,
/// and `f` is monotone there.
fn cover_bound(
    points: &[BoxPoint],
    d: &[f64],
    eps: f64,
    open: &[Node],
    f: &dyn Fn(&[f64]) -> f64,
) -> f64 {
    let near = points.iter().filter_map(|q| {
        let top: Vec<f64> = q.utilities.iter().map(|a| a + eps).collect();
        top.iter().zip(d).all(|(u, d)| u >= d).then(|| f(&top))
    });
    let far = open
        .iter()
        .filter(|n| !covered(points, &n.ub) && n.ub.iter().zip(d).all(|(u, d)| u >= d))
        .map(|n| f(&n.ub));
    near.chain(far).fold(f64::NEG_INFINITY, f64::max)
}

/// Progress ticks and cancellation checks come every this many nodes.
const TICK: u64 = 1024;

/// The depth-first walk, its node count and its stopping rules, shared by
/// every pass of one analysis.
struct Walk<'a> {
    s: &'a Solver<'a>,
    nodes: u64,
    deadline: Option<Instant>,
    progress: &'a dyn Progress,
    cancelled: bool,
}

impl Walk<'_> {
    /// Whether the time limit (if any) has not passed.
    fn deadline_left(&self) -> bool {
        self.deadline.is_none_or(|t| Instant::now() < t)
    }

    /// Walks `stack` until it is empty (`Done`) or `budget` total nodes,
    /// the time limit or cancellation stop it (the unsettled nodes stay
    /// on `stack`). A node is dropped when `front` holds a point within
    /// `eps` of its upper bounds, or `seeds` one strictly above them;
    /// leaves join `front`.
    fn run(
        &mut self,
        stack: &mut Vec<Node>,
        front: &mut Front,
        seeds: Option<&Front>,
        eps: f64,
        budget: u64,
    ) -> End {
        let s = self.s;
        while let Some(n) = stack.pop() {
            if self.nodes >= budget {
                stack.push(n);
                return End::Budget;
            }
            if self.nodes.is_multiple_of(TICK) && self.nodes > 0 {
                self.progress.advance(TICK);
                if self.progress.cancelled() {
                    self.cancelled = true;
                    stack.push(n);
                    return End::Cancelled;
                }
                if !self.deadline_left() {
                    stack.push(n);
                    return End::Budget;
                }
            }
            self.nodes += 1;
            let pruned = if eps > 0.0 {
                front.covers_within(&n.ub, eps)
            } else {
                front.covers(&n.ub) || seeds.is_some_and(|f| f.strictly_covers(&n.ub))
            };
            if pruned {
                continue;
            }
            if n.lb == n.ub {
                let corner = n.region.iter().map(|r| r.0).collect();
                front.insert(n.ub, corner);
                continue;
            }
            let (issue, at) = s
                .order
                .iter()
                .find(|&&k| n.status[k] == MAYBE)
                .and_then(|&k| s.flat[k].cut(&n.region))
                .expect(
                    "bounds differ, so some box is undecided and has an edge inside the region",
                );
            let mut left = n.region.clone();
            left[issue].1 = at;
            let mut right = n.region;
            right[issue].0 = at + 1;
            let l = s.node(left, Some(&n.status));
            let r = s.node(right, Some(&n.status));
            // Explore the more promising child first (it is pushed last), so
            // good points are found early and prune more.
            let sl: f64 = l.ub.iter().sum();
            let sr: f64 = r.ub.iter().sum();
            if sl >= sr {
                stack.push(r);
                stack.push(l);
            } else {
                stack.push(l);
                stack.push(r);
            }
        }
        End::Done
    }
}

/// Runs the exact analysis of a box problem: the Pareto frontier of the
/// whole space and the four solutions (see the module docs), visiting at
/// most `opts.max_nodes` nodes; errors only on an invalid problem.
pub fn analyze_boxes(
    p: &BoxProblem,
    opts: &BoxOptions,
    progress: &dyn Progress,
) -> Result<BoxAnalysis, Error> {
    p.check()?;
    let mut flat = Vec::new();
    let mut by_party = vec![Vec::new(); p.parties.len()];
    for (a, party) in p.parties.iter().enumerate() {
        for b in &party.boxes {
            by_party[a].push(flat.len());
            flat.push(Flat {
                party: a,
                weight: b.weight,
                includes: b.kind == BoxKind::Includes,
                ranges: b
                    .ranges
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| r.map(|(lo, hi)| (i, lo, hi)))
                    .collect(),
            });
        }
    }
    let mut order: Vec<usize> = (0..flat.len()).collect();
    let impact = |k: usize| flat[k].weight.abs() / p.parties[flat[k].party].max_utility;
    order.sort_by(|&x, &y| impact(y).total_cmp(&impact(x)).then(x.cmp(&y)));
    let s = Solver {
        p,
        flat,
        by_party,
        order,
    };

    let root: Vec<(i64, i64)> = p.issues.iter().map(|(_, lo, hi)| (*lo, *hi)).collect();
    let d: Vec<f64> = p.parties.iter().map(|q| q.reservation).collect();
    let mut walk = Walk {
        s: &s,
        nodes: 0,
        deadline: opts.time_limit.map(|t| Instant::now() + t),
        progress,
        cancelled: false,
    };
    progress.start(opts.max_nodes, "branch and bound over boxes");

    // Plain depth-first branch and bound first: small problems end here,
    // with the answer (and node count) they have always had.
    let mut front = Front::default();
    let mut stack = vec![s.node(root.clone(), None)];
    let plain = opts.max_nodes.min(opts.plain_nodes);
    let mut end = walk.run(&mut stack, &mut front, None, 0.0, plain);
    // What the run can certify: each cover is a pass's pruning tolerance
    // and the nodes it left open; together they cover every outcome.
    let mut covers: Vec<(f64, Vec<Node>)> = Vec::new();
    let mut exact = end == End::Done;
    if end == End::Budget && walk.nodes < opts.max_nodes && walk.deadline_left() {
        // Anytime phase: seed the front by local search, then tighten a
        // certified ε-frontier pass by pass, ending with an exact pass.
        covers.push((0.0, std::mem::take(&mut stack)));
        for (u, x) in local_front(p, &opts.local_budget()) {
            front.insert(u, x);
        }
        for &eps in EPSILONS {
            let mut pass_stack = vec![s.node(root.clone(), None)];
            if eps > 0.0 {
                end = walk.run(&mut pass_stack, &mut front, None, eps, opts.max_nodes);
                covers.push((eps, pass_stack));
                if end != End::Done {
                    break;
                }
                continue;
            }
            // The exact pass keeps its own front, pruning with the points
            // found so far only where they strictly dominate, so its
            // frontier and representatives are those of a plain search.
            let mut exact_front = Front::default();
            end = walk.run(
                &mut pass_stack,
                &mut exact_front,
                Some(&front),
                0.0,
                opts.max_nodes,
            );
            if end == End::Done {
                front = exact_front;
                exact = true;
            } else {
                for q in exact_front.points {
                    front.insert(q.utilities, q.outcome);
                }
                covers.push((0.0, pass_stack));
            }
            break;
        }
    } else if !exact {
        covers.push((0.0, std::mem::take(&mut stack)));
    }
    let nodes = walk.nodes;
    let cancelled = walk.cancelled;
    progress.advance(nodes % TICK);

    let mut pareto = front.points;
    pareto.sort_by(|x, y| {
        x.utilities
            .iter()
            .zip(&y.utilities)
            .map(|(a, b)| a.total_cmp(b))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let solutions = solve(&pareto, &d);

    let mut bounds = Vec::new();
    if !exact {
        let best = |f: &dyn Fn(&[f64]) -> f64| {
            covers
                .iter()
                .map(|(eps, open)| cover_bound(&pareto, &d, *eps, open, f))
                .fold(f64::INFINITY, f64::min)
        };
        let eps = covers
            .iter()
            .map(|(eps, open)| {
                open.iter()
                    .filter(|n| !covered(&pareto, &n.ub))
                    .map(|n| epsilon(&pareto, &n.ub))
                    .fold(*eps, f64::max)
            })
            .fold(f64::INFINITY, f64::min);
        bounds.push(BoxBound {
            figure: "pareto".into(),
            found: Some(0.0),
            upper: eps,
        });
        let objective = |name: &str, f: &dyn Fn(&[f64]) -> f64, found: &Option<BoxSolution>| {
            let upper = best(f);
            let found = found.as_ref().map(|s| s.score);
            (upper > found.unwrap_or(f64::NEG_INFINITY)).then(|| BoxBound {
                figure: format!("solutions.{name}"),
                found,
                upper,
            })
        };
        bounds.extend(objective("nash", &|u| nash_product(u, &d), &solutions.nash));
        bounds.extend(objective(
            "utilitarian",
            &|u| u.iter().sum(),
            &solutions.utilitarian,
        ));
        bounds.extend(objective(
            "egalitarian",
            &|u| min_gain(u, &d),
            &solutions.egalitarian,
        ));
    }
    let gap = (!exact).then(|| {
        bounds
            .iter()
            .map(|b| match b.found {
                Some(f) => (b.upper - f).max(0.0),
                None => f64::INFINITY,
            })
            .fold(0.0, f64::max)
    });
    Ok(BoxAnalysis {
        outcomes: p.outcomes(),
        exact,
        gap,
        nodes,
        cancelled,
        pareto,
        solutions,
        bounds,
    })
}

/// The four solutions over the frontier points that clear every
/// reservation, with the tie rules of [`BoxAnalysis::solutions`].
fn solve(pareto: &[BoxPoint], d: &[f64]) -> Solutions<BoxSolution> {
    let mut zopa: Vec<&BoxPoint> = pareto
        .iter()
        .filter(|q| q.utilities.iter().zip(d).all(|(u, d)| u >= d))
        .collect();
    // Lowest representative first, so "strictly better wins" breaks ties
    // towards it.
    zopa.sort_by(|a, b| a.outcome.cmp(&b.outcome));
    let utopia = utopia(d.len(), zopa.iter().map(|q| q.utilities.as_slice()));
    let ks = |u: &[f64]| ks_ratio(u, d, &utopia);
    let best = |f: &dyn Fn(&[f64]) -> (f64, f64)| {
        let mut top: Option<(&BoxPoint, (f64, f64))> = None;
        for q in &zopa {
            let s = f(&q.utilities);
            if top.is_none_or(|(_, t)| s.0 > t.0 || (s.0 == t.0 && s.1 > t.1)) {
                top = Some((q, s));
            }
        }
        top.map(|(q, s)| BoxSolution {
            point: q.clone(),
            score: s.0,
        })
    };
    Solutions {
        nash: best(&|u| (nash_product(u, d), f64::NEG_INFINITY)),
        kalai_smorodinsky: best(&|u| (ks(u), u.iter().sum())),
        utilitarian: best(&|u| (u.iter().sum(), f64::NEG_INFINITY)),
        egalitarian: best(&|u| (min_gain(u, d), f64::NEG_INFINITY)),
    }
}

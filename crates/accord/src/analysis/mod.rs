//! Exact deal-space analysis: win-sets, the ZOPA, the Pareto frontier, the
//! bargaining solutions, and — when no deal can close — the minimal blocking
//! sets and the minimal relaxations that would open a deal.

mod additive;
mod costs;
mod implement;
mod masks;
mod notches;
pub(crate) mod objective;
use objective::{min_gain, nash_product};
mod pareto;
mod points;
pub(crate) mod readings;
mod scan;
mod search;
mod sets;

pub(crate) use scan::Compiled;
use scan::{Group, Leaf, SoftKind, Take};

use crate::model::{fmt_num, Scenario, Value};
use crate::{Error, Progress};
use implement::ProcTable;
pub use implement::{process_at, reference_deal};
use indexmap::IndexMap;
pub use objective::{Solution, Solutions};
use pareto::Frontier;
pub use points::Points;
use serde::Serialize;
use sets::Antichain;
use std::sync::atomic::{AtomicU64, Ordering};

pub use costs::{CostedRelaxation, Give, NearMiss};
pub use notches::{NotchChange, NotchMove, Notches, DEFAULT_MAX_NOTCHES, DEFAULT_MAX_NOTCH_MOVES};
pub use readings::{
    analyze_readings, member_label, wilson, BlockingMember, BlockingSet, Combination, ReadingLine,
    ReadingProb, ReadingsOptions, ReadingsReport, ABSENT,
};
pub use search::{Bound, SearchReport};

/// How the analysis visits the outcome space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Enumerate up to [`AnalyzeOptions::enumerate_up_to`] outcomes, search
    /// beyond (when the scenario allows it).
    #[default]
    Auto,
    /// Visit every outcome (parallel scan).
    Enumerate,
    /// Branch and bound over issues; needs every red line and feasibility
    /// rule to concern one issue, and no ratifiers.
    Search,
}

/// What to compute and how far to go.
#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    /// Also compute the Pareto frontier of the whole feasible space.
    pub pareto_all: bool,
    /// How many top outcomes by Nash product to list.
    pub top: usize,
    /// Largest space the exact scan enumerates.
    pub max_outcomes: u128,
    /// Largest number of blocking sets to enumerate.
    pub max_blockers: usize,
    /// Which path to take.
    pub method: Method,
    /// With [`Method::Auto`], the largest space enumerated rather than searched.
    pub enumerate_up_to: u64,
    /// Most branch-and-bound nodes per question on the search path; a
    /// question that needs more is answered with a certified bound.
    pub max_nodes: u64,
    /// Most soft constraints (red lines + reservations) for which the search
    /// path tries every subset to find blockers when no deal exists.
    pub max_soft_subsets: u32,
    /// Most minimal relaxations reported (smallest, then cheapest, first);
    /// `relaxations_truncated` says when there were more.
    pub max_relaxations: usize,
    /// How many near misses to list when no deal exists.
    pub near_misses: usize,
    /// Most notches a graded move may take when no deal exists (0: no
    /// graded moves are sought).
    pub max_notches: u32,
    /// Most graded moves reported; `notches.truncated` says when there
    /// were more.
    pub max_notch_moves: usize,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            pareto_all: false,
            top: 5,
            max_outcomes: 2_000_000_000,
            max_blockers: 10_000,
            method: Method::Auto,
            enumerate_up_to: 20_000_000,
            max_nodes: 200_000_000,
            max_soft_subsets: 16,
            max_relaxations: DEFAULT_MAX_RELAXATIONS,
            near_misses: 5,
            max_notches: DEFAULT_MAX_NOTCHES,
            max_notch_moves: DEFAULT_MAX_NOTCH_MOVES,
        }
    }
}

/// The default of [`AnalyzeOptions::max_relaxations`]: far more than a
/// reader can weigh, few enough that the JSON stays a few megabytes when the
/// relaxations grow exponentially (actors each vetoing one level per issue).
pub const DEFAULT_MAX_RELAXATIONS: usize = 1000;

/// One outcome with every actor's utility.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// Position of the outcome in the space (mixed radix, last issue fastest).
    pub index: u64,
    /// Issue id → value.
    pub outcome: IndexMap<String, Value>,
    /// Actor id → utility.
    pub utilities: IndexMap<String, f64>,
}

/// How many outcomes one actor accepts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WinSet {
    /// Actor id.
    pub actor: String,
    /// Outcomes within its red lines and reservation.
    pub alone: u64,
    /// … that its ratifiers also accept.
    pub with_ratifiers: u64,
}

/// How many outcomes a ratifier accepts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatifierCount {
    /// Ratifier id.
    pub ratifier: String,
    /// Actor whose deals it ratifies.
    pub actor: String,
    /// Feasible outcomes it would ratify.
    pub accepts: u64,
    /// Outcomes its actor accepts (red lines, reservation) that it ratifies.
    pub with_actor: u64,
    /// Outcomes its actor and all the actor's other ratifiers accept.
    pub without_this: u64,
}

/// The zone of possible agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Zopa {
    /// Outcomes every actor and ratifier accepts.
    pub size: u64,
    /// The best of them by Nash product.
    pub top: Vec<Solution>,
    /// The implementable part (only when some process step has a `when`
    /// rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implementable: Option<Implementable>,
}

/// The ZOPA outcomes whose active process network is consistent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Implementable {
    /// How many.
    pub size: u64,
    /// The best of them by Nash product.
    pub top: Vec<Solution>,
    /// Distinct process networks met across the outcome space (each decided
    /// once).
    pub networks: usize,
    /// Whether some network's waiver search hit its limit (its outcomes
    /// then count as never implementable).
    pub waivers_truncated: bool,
}

/// What kind of constraint a blocker member is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// An actor's stated red line.
    RedLine,
    /// An actor's reservation value (no deal is better).
    Reservation,
    /// A ratifier's approval.
    Ratification,
    /// A timed precondition of the process.
    Precondition,
    /// A deadline of the process.
    Deadline,
}

/// One constraint named in a blocker or relaxation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstraintRef {
    /// Its kind.
    pub kind: ConstraintKind,
    /// Its id (red line or ratifier id; `reservation` for reservations).
    pub id: String,
    /// The actor that holds it.
    pub actor: String,
    /// The rule in words.
    pub rule: String,
    /// The source id, if sourced.
    pub source: Option<String>,
    /// The quote from the source.
    pub quote: Option<String>,
    /// The assumption, if the number is assumed.
    pub assumption: Option<String>,
}

/// Dropping a set of constraints, and what that would open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relaxation {
    /// The constraints dropped.
    pub drop: Vec<ConstraintRef>,
    /// The ZOPA size with them dropped.
    pub zopa_size: u64,
    /// The Nash solution then (relaxed reservations count as 0).
    pub nash: Option<Solution>,
}

/// The full result of [`analyze`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Scenario id.
    pub scenario: String,
    /// Size of the product space.
    pub outcomes: u128,
    /// Outcomes that satisfy the feasibility rules.
    pub feasible: u64,
    /// The path taken: [`Method::Enumerate`] or [`Method::Search`].
    pub method: Method,
    /// Whether every figure is exact.
    pub exact: bool,
    /// A bound on what an inexact run may miss (`None` when exact): the
    /// largest `upper − found` over the unsettled bargaining objectives
    /// (Nash, utilitarian, egalitarian), or infinity when counts, frontiers
    /// or blockers are unsettled too; each is listed in `search.bounds`.
    /// JSON has no infinity, so an unbounded gap is written `"inf"`.
    #[serde(serialize_with = "serialize_gap")]
    pub gap: Option<f64>,
    /// What the search path did (`None` on the enumeration path).
    pub search: Option<SearchReport>,
    /// Disagreement point: actor id → reservation value.
    pub disagreement: IndexMap<String, f64>,
    /// Per-actor win-sets.
    pub win_sets: Vec<WinSet>,
    /// Per-ratifier acceptance.
    pub ratifiers: Vec<RatifierCount>,
    /// The zone of possible agreement.
    pub zopa: Zopa,
    /// The bargaining solutions on the ZOPA.
    pub solutions: Solutions,
    /// The same solutions over the implementable set (only with a
    /// conditional process).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implementable_solutions: Option<Solutions>,
    /// Which deals `blockers` and `relaxations` are about: `implementable`
    /// with a conditional process (constraints of every kind, process ones
    /// included); absent otherwise (the ZOPA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blockers_over: Option<String>,
    /// The Pareto frontier of the ZOPA.
    pub pareto: Points,
    /// The Pareto frontier of the whole feasible space, if asked for.
    pub pareto_all: Option<Points>,
    /// Minimal sets of constraints that jointly leave no deal.
    pub blockers: Vec<Vec<ConstraintRef>>,
    /// Whether the blocker list was cut at the limit.
    pub blockers_truncated: bool,
    /// Minimal sets of constraints whose dropping opens a deal.
    pub relaxations: Vec<Relaxation>,
    /// Whether `relaxations` was cut at [`AnalyzeOptions::max_relaxations`]
    /// (written only when true).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub relaxations_truncated: bool,
    /// The relaxations of least total cost (ties listed, at most five),
    /// written only when no deal exists and the scenario declares some
    /// entrenchment (costs are then stated, not only inferred from grades).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cheapest_relaxations: Vec<CostedRelaxation>,
    /// The outcomes closest to a deal, least shortfall first, written only
    /// when no deal exists (enumeration path).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub near_misses: Vec<NearMiss>,
    /// The smallest graded moves (red lines loosened by notches,
    /// reservations lowered by their steps) that open a deal, written only
    /// when no deal exists (enumeration path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notches: Option<Notches>,
}

/// Writes a number JSON can hold as itself and an infinite one as `"inf"`
/// or `"-inf"`: serde_json would print `null`, which reads as "none".
pub(crate) fn serialize_extended<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    if x.is_finite() {
        s.serialize_f64(*x)
    } else if x.is_nan() {
        s.serialize_str("nan")
    } else if *x > 0.0 {
        s.serialize_str("inf")
    } else {
        s.serialize_str("-inf")
    }
}

/// Writes a gap: `null` when exact, else a number or `"inf"` (see
/// [`serialize_extended`]).
fn serialize_gap<S: serde::Serializer>(gap: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match gap {
        None => s.serialize_none(),
        Some(g) => serialize_extended(g, s),
    }
}

/// An outcome by its index and its score under some objective.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Best {
    pub(crate) score: f64,
    pub(crate) index: u64,
}

fn better(best: &mut Option<Best>, score: f64, index: u64) {
    // Strictly greater wins; ties keep the earlier (lower) index because
    // the scan and the merges run in index order.
    if best.is_none_or(|b| score > b.score) {
        *best = Some(Best { score, index });
    }
}

struct Pass1 {
    feasible: u64,
    alone: Vec<u64>,
    with_rat: Vec<u64>,
    rat_accept: Vec<u64>,
    rat_with_actor: Vec<u64>,
    rat_without: Vec<u64>,
    zopa: u64,
    nash: Option<Best>,
    util: Option<Best>,
    egal: Option<Best>,
    top: Vec<Best>,
    /// The scan's running `top` (the search path fills `top` directly).
    top_k: TopK,
    frontier: Frontier,
    frontier_all: Option<Frontier>,
    minimal: Antichain,
    /// Outcome counts and best Nash per violation mask (the scan path).
    masks: masks::MaskTable,
    /// The outcomes of least shortfall (the scan path).
    misses: Vec<costs::Miss>,
    /// The shortfall part and give-up mask of each entry of `masks` met so
    /// far in this chunk (they depend on its mask and network alone), so a
    /// near miss finds them where the table already looked.
    miss_parts: Vec<Option<(f64, u128)>>,
    /// The graded moves of fewest notches (the scan path).
    notch: Option<notches::NotchAcc>,
    /// The implementable set, with a conditional process.
    imp: Option<ImpAcc>,
}

/// Running figures over the implementable outcomes.
#[derive(Default)]
struct ImpAcc {
    size: u64,
    nash: Option<Best>,
    util: Option<Best>,
    egal: Option<Best>,
    top: TopK,
    frontier: Frontier,
}

impl ImpAcc {
    fn add(&mut self, index: u64, u: &[f64], d: &[f64], k: usize) {
        self.size += 1;
        let np = nash_product(u, d);
        better(&mut self.nash, np, index);
        self.top.push(k, Best { score: np, index });
        better(&mut self.util, u.iter().sum(), index);
        better(&mut self.egal, min_gain(u, d), index);
        self.frontier.insert(index, u);
    }

    fn merge(&mut self, q: ImpAcc, k: usize) {
        self.size += q.size;
        for (mine, theirs) in [
            (&mut self.nash, q.nash),
            (&mut self.util, q.util),
            (&mut self.egal, q.egal),
        ] {
            if let Some(b) = theirs {
                better(mine, b.score, b.index);
            }
        }
        self.top.merge(k, q.top);
        self.frontier.merge(q.frontier);
    }
}

/// Kalai–Smorodinsky on a frontier (where its maximum always lies).
fn kalai_smorodinsky(frontier: &[(u64, Vec<f64>)], d: &[f64]) -> Option<Best> {
    let utopia = objective::utopia(d.len(), frontier.iter().map(|(_, u)| u.as_slice()));
    let mut ks: Option<Best> = None;
    let mut ks_sum = f64::NEG_INFINITY;
    for (idx, u) in frontier {
        let r = objective::ks_ratio(u, d, &utopia);
        let s: f64 = u.iter().sum();
        let take = match ks {
            None => true,
            Some(b) => r > b.score || (r == b.score && s > ks_sum),
        };
        if take {
            ks = Some(Best {
                score: r,
                index: *idx,
            });
            ks_sum = s;
        }
    }
    ks
}

/// The `k` outcomes of highest score, ties to the lower index, for outcomes
/// that arrive in index order (a scan chunk, then the chunks in order): the
/// same list as [`push_top`] keeps, without shifting a sorted list of `k`
/// entries at every insertion. Entries gather unsorted; at `2k` the best `k`
/// are selected, and their worst score becomes a floor that later outcomes
/// (all of higher index) must beat.
#[derive(Debug, Default)]
pub(crate) struct TopK {
    items: Vec<Best>,
    floor: Option<f64>,
}

/// Better first: higher score, then lower index.
fn best_first(a: &Best, b: &Best) -> std::cmp::Ordering {
    b.score
        .partial_cmp(&a.score)
        .unwrap_or(std::cmp::Ordering::Equal)
        .then(a.index.cmp(&b.index))
}

impl TopK {
    /// Offers an outcome of higher index than every earlier one.
    #[inline]
    fn push(&mut self, k: usize, b: Best) {
        if k == 0 || self.floor.is_some_and(|f| b.score <= f) {
            return;
        }
        self.items.push(b);
        if self.items.len() >= 2 * k {
            self.items.select_nth_unstable_by(k - 1, best_first);
            self.items.truncate(k);
            self.floor = Some(self.items[k - 1].score);
        }
    }

    /// Adds a later chunk's entries (all of higher index than these).
    fn merge(&mut self, k: usize, mut q: TopK) {
        q.items.sort_unstable_by_key(|b| b.index);
        for b in q.items {
            self.push(k, b);
        }
    }

    /// The best `k`, best first, leaving these in place.
    fn sorted(&self, k: usize) -> Vec<Best> {
        let mut v = self.items.clone();
        v.sort_unstable_by(best_first);
        v.truncate(k);
        v
    }

    /// The best `k`, best first.
    fn into_sorted(mut self, k: usize) -> Vec<Best> {
        self.items.sort_unstable_by(best_first);
        self.items.truncate(k);
        self.items
    }
}

/// The outcome at `index` with its issues' values and actors' utilities
/// (summed as the scan sums them).
fn point_at(sc: &Scenario, c: &Compiled, index: u64) -> Point {
    let levels = c.decode(index);
    let utils = c.utilities(&levels);
    Point {
        index,
        outcome: sc
            .issues
            .iter()
            .zip(&levels)
            .map(|(i, &l)| (i.id.clone(), i.value(l)))
            .collect(),
        utilities: sc
            .actors
            .iter()
            .zip(utils)
            .map(|(a, u)| (a.id.clone(), u))
            .collect(),
    }
}

/// The outcomes at `indices`, in that order, with their actors' utilities
/// summed as the scan sums them (as [`point_at`] gives them).
fn points_at(sc: &Scenario, c: &Compiled, indices: impl Iterator<Item = u64>) -> Points {
    let mut out = Points::new(sc);
    for index in indices {
        out.push(index, &c.utilities(&c.decode(index)));
    }
    out
}

fn push_top(top: &mut Vec<Best>, k: usize, b: Best) {
    // A full list sorted by falling score: most outcomes fall short of its
    // last entry, and that is one comparison, not a walk of the list.
    if k == 0 || (top.len() >= k && top.last().is_some_and(|t| b.score <= t.score)) {
        return;
    }
    let pos = top
        .iter()
        .position(|t| b.score > t.score)
        .unwrap_or(top.len());
    if pos < k {
        top.insert(pos, b);
        top.truncate(k);
    }
}

/// Runs the exact analysis of a scenario.
///
/// The disagreement point `d` is the vector of reservation values; the
/// ZOPA is every feasible outcome that no red line, reservation or
/// ratifier rules out. Ties between outcomes go to the lowest index.
pub fn analyze(
    sc: &Scenario,
    opts: &AnalyzeOptions,
    progress: &dyn Progress,
) -> Result<Analysis, Error> {
    analyze_inner(sc, opts, None, progress).map(|(an, _)| an)
}

/// The ZOPA's size and its Nash solution, as [`analyze`] answers them
/// (`zopa.size`, `solutions.nash`), by a scan that skips every prefix
/// breaking a red line: the question the Monte Carlo draws ask, at a small
/// share of a full analysis's cost. `None` when `analyze` would not
/// enumerate this scenario with these options (the caller then runs it).
pub fn zopa_and_nash(
    sc: &Scenario,
    opts: &AnalyzeOptions,
    progress: &dyn Progress,
) -> Result<Option<(u64, Option<Solution>)>, Error> {
    let c = Compiled::new(sc)?;
    let searchable = c.searchable() && !sc.process.is_conditional();
    let enumerates = match opts.method {
        Method::Auto => !(c.total > opts.enumerate_up_to && searchable),
        Method::Enumerate => true,
        Method::Search => false,
    };
    if !enumerates || c.total as u128 > opts.max_outcomes {
        return Ok(None);
    }
    let d = &c.reservations;
    let chunks = c.scan_unbroken(
        progress,
        || (0u64, None::<Best>),
        |acc, leaf: &Leaf| {
            if leaf.mask == 0 {
                acc.0 += 1;
                better(&mut acc.1, nash_product(leaf.utils, d), leaf.index);
            }
        },
    )?;
    let mut size = 0;
    let mut nash = None;
    for (n, b) in chunks {
        size += n;
        if let Some(b) = b {
            better(&mut nash, b.score, b.index);
        }
    }
    let solution = nash.map(|b: Best| Solution {
        point: point_at(sc, &c, b.index),
        score: b.score,
    });
    Ok(Some((size, solution)))
}

/// The readings analysis beside an [`Analysis`]: its own error (a space too
/// large to scan for readings, say) leaves the analysis standing.
pub type ReadingsResult = Result<Option<ReadingsReport>, Error>;

/// [`analyze`] and [`analyze_readings`] together. When the analysis
/// enumerates, the alternative readings are decided in its own scan as
/// extra bits of the violation masks and the readings report is derived
/// from its mask table: one pass over the outcomes, the same answers as the
/// two functions apart.
pub fn analyze_with_readings(
    sc: &Scenario,
    opts: &AnalyzeOptions,
    ropts: &ReadingsOptions,
    progress: &dyn Progress,
) -> Result<(Analysis, ReadingsResult), Error> {
    let (an, folded) = analyze_inner(sc, opts, Some(ropts), progress)?;
    let readings = match folded {
        Some(r) => r,
        None => analyze_readings(sc, ropts, progress),
    };
    Ok((an, readings))
}

/// The analysis, and the readings report when it could be folded into the
/// analysis's scan (`None`: run [`analyze_readings`] on its own).
fn analyze_inner(
    sc: &Scenario,
    opts: &AnalyzeOptions,
    ropts: Option<&ReadingsOptions>,
    progress: &dyn Progress,
) -> Result<(Analysis, Option<ReadingsResult>), Error> {
    let mut c = Compiled::new(sc)?;
    // Deal-dependent process steps need every outcome's levels: enumerate.
    let searchable = c.searchable() && !sc.process.is_conditional();
    let search = match opts.method {
        Method::Auto => c.total > opts.enumerate_up_to && searchable,
        Method::Enumerate => false,
        Method::Search if searchable => true,
        Method::Search => return Err(Error::Unsupported(
            "the search path needs single-issue red lines and feasibility rules, no ratifiers and no conditional process steps"
                .into(),
        )),
    };
    if !search && c.total as u128 > opts.max_outcomes {
        return Err(Error::TooLarge(c.total as u128));
    }
    // Readings folded into the scan: their alternative rules become extra
    // bits after the soft constraints, when the space is one the readings
    // analysis scans and the bits fit in a mask.
    let plan = match ropts {
        Some(ro) if !search => readings::plan(sc).map(|pl| (ro, pl)),
        _ => None,
    };
    let mut folded: Option<ReadingsResult> = None;
    let mut fold = None;
    if let Some((ro, pl)) = plan {
        let extra = pl.extra_rules(sc);
        // Too many bits: the readings analysis on its own says why.
        if c.soft.len() + extra.len() > scan::MAX_SOFT {
        } else if c.total > ro.max_outcomes {
            folded = Some(Err(Error::TooLarge(c.total as u128)));
        } else {
            c = Compiled::with_extra(sc, &extra)?;
            fold = Some((ro, extra.len(), pl));
        }
    }
    let d = c.reservations.clone();
    let actor_of_rat: Vec<usize> = sc.ratifiers.iter().map(|r| r.actor).collect();
    let proc = if search {
        None
    } else {
        ProcTable::new(sc, &c.soft)?
    };
    let mut searcher = search.then(|| search::Searcher::new(&c, opts.max_nodes, progress));
    let notcher = if search {
        None
    } else {
        notches::Notcher::new(sc, &c, opts.max_notches)
    };
    let mut p = match searcher.as_mut() {
        Some(s) => s.pass1(sc, opts.top, opts.pareto_all, opts.max_soft_subsets),
        None => scan_pass(sc, &c, opts, proc.as_ref(), notcher.as_ref(), progress)?,
    };
    let imp = p.imp.take();
    if let Some((ro, n_extra, pl)) = &fold {
        let to_aug = |m| readings::to_augmented(sc, c.soft.len(), *n_extra, m);
        folded = Some(Ok(Some(readings::report_from_table(
            sc,
            pl,
            p.masks.aggs.iter().map(|a| (a.mask | a.extra, a.net)),
            proc.as_ref(),
            &to_aug,
            ro,
        ))));
    }

    let point = |index: u64| point_at(sc, &c, index);
    let solution = |b: Best| Solution {
        point: point(b.index),
        score: b.score,
    };

    let frontier = p.frontier.into_sorted();
    let ks = kalai_smorodinsky(&frontier, &d);

    let constraint = |bit: usize| constraint_ref(sc, c.soft[bit]);
    // A search stopped by its budget or by the user may have counted no
    // deal only because it looked at too little: then nothing is known to
    // block, and no blocker is reported.
    let zopa_settled = searcher
        .as_ref()
        .is_none_or(|s| !s.unsettled_figure("zopa.size"));
    if let Some(s) = searcher.as_mut() {
        if !zopa_settled {
            s.unknown("blockers");
        }
    }
    // With a conditional process (always enumerated), blockers and
    // relaxations are about implementable deals; otherwise about the ZOPA.
    let none_open = match &imp {
        Some(i) => i.size == 0,
        None => p.zopa == 0 && zopa_settled,
    };
    let soft_costs = costs::soft_costs(sc, &c.soft);
    let (
        blockers,
        truncated,
        relaxations,
        relaxations_truncated,
        cheapest_relaxations,
        near_misses,
    ) = if none_open && p.feasible > 0 {
        let mut mcs = match searcher {
            Some(_) => p.minimal.sets.clone(),
            None => p.masks.minimal(proc.as_ref()),
        };
        mcs.sort_by_key(|&m| (m.count_ones(), m));
        let (mus, truncated) = match sets::minimal_hitting_sets(&mcs, opts.max_blockers) {
            Some(h) => (h, false),
            None => (Vec::new(), true),
        };
        // The blockers are the minimal hitting sets of *all* minimal
        // relaxations; from a partial list they would be guesses.
        let blockers_settled = searcher
            .as_ref()
            .is_none_or(|s| !s.unsettled_figure("blockers"));
        let blockers = if blockers_settled {
            mus.iter()
                .map(|&m| sets::bits(m).into_iter().map(constraint).collect())
                .collect()
        } else {
            Vec::new()
        };
        // Report the smallest, then the cheapest, up to the cap (in the
        // order of `mcs`, so an uncut list is the one always reported).
        let relaxations_truncated = mcs.len() > opts.max_relaxations;
        let reported: Vec<u128> = if relaxations_truncated {
            let mut by_cost: Vec<(u32, f64, u128)> = mcs
                .iter()
                .map(|&m| (m.count_ones(), costs::mask_cost(&soft_costs, m), m))
                .collect();
            by_cost.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
            let mut r: Vec<u128> = by_cost
                .into_iter()
                .take(opts.max_relaxations)
                .map(|t| t.2)
                .collect();
            r.sort_by_key(|&m| (m.count_ones(), m));
            r
        } else {
            mcs.clone()
        };
        // The cheapest relaxations, ties listed (at most five).
        let cheapest: Vec<(f64, u128)> = if costs::declares_entrenchment(sc) {
            let cost_of = |m: u128| costs::mask_cost(&soft_costs, m);
            let least = mcs
                .iter()
                .map(|&m| cost_of(m))
                .fold(f64::INFINITY, f64::min);
            mcs.iter()
                .map(|&m| (cost_of(m), m))
                .filter(|&(x, _)| x <= least + 1e-9 * least.abs().max(1.0))
                .take(5)
                .collect()
        } else {
            Vec::new()
        };
        let asked: Vec<u128> = reported
            .iter()
            .copied()
            .chain(cheapest.iter().map(|t| t.1))
            .collect();
        let mut relaxed = match searcher.as_mut() {
            Some(s) => s.relax(sc.red_lines.len(), &asked),
            None => relax_from_table(sc, &c, &p.masks, &asked, proc.as_ref(), progress)?,
        };
        let cheapest_relaxations: Vec<CostedRelaxation> = relaxed
            .split_off(reported.len())
            .into_iter()
            .zip(&cheapest)
            .map(|((size, best), &(cost, m))| CostedRelaxation {
                cost,
                relaxation: Relaxation {
                    drop: sets::bits(m).into_iter().map(constraint).collect(),
                    zopa_size: size,
                    nash: best.map(solution),
                },
            })
            .collect();
        let mut relaxations: Vec<Relaxation> = relaxed
            .into_iter()
            .zip(&reported)
            .map(|((size, best), &m)| Relaxation {
                drop: sets::bits(m).into_iter().map(constraint).collect(),
                zopa_size: size,
                nash: best.map(solution),
            })
            .collect();
        // Smallest change first; among equals, the one that opens most.
        relaxations.sort_by(|a, b| {
            a.drop
                .len()
                .cmp(&b.drop.len())
                .then(b.zopa_size.cmp(&a.zopa_size))
        });
        let misses = costs::near_misses(sc, &c, &p.misses, &point, &constraint);
        (
            blockers,
            truncated,
            relaxations,
            relaxations_truncated,
            cheapest_relaxations,
            misses,
        )
    } else {
        (Vec::new(), false, Vec::new(), false, Vec::new(), Vec::new())
    };

    let notches = match (notcher, p.notch.take()) {
        (Some(n), Some(acc)) if none_open && p.feasible > 0 => {
            Some(n.report(sc, acc, &soft_costs, opts.max_notch_moves, &solution))
        }
        _ => None,
    };
    let report = searcher.map(search::Searcher::report);
    let an = Analysis {
        scenario: sc.id.clone(),
        outcomes: sc.space_size(),
        feasible: p.feasible,
        method: if search {
            Method::Search
        } else {
            Method::Enumerate
        },
        exact: report.as_ref().is_none_or(|r| r.bounds.is_empty()),
        gap: report.as_ref().and_then(|r| {
            let objectives = [
                "solutions.nash",
                "solutions.utilitarian",
                "solutions.egalitarian",
            ];
            (!r.bounds.is_empty()).then(|| {
                if r.bounds
                    .iter()
                    .all(|b| objectives.contains(&b.figure.as_str()))
                {
                    r.bounds
                        .iter()
                        .map(|b| b.upper - b.found)
                        .fold(0.0, f64::max)
                } else {
                    f64::INFINITY
                }
            })
        }),
        search: report,
        disagreement: sc
            .actors
            .iter()
            .zip(&d)
            .map(|(a, &v)| (a.id.clone(), v))
            .collect(),
        win_sets: sc
            .actors
            .iter()
            .enumerate()
            .map(|(a, actor)| WinSet {
                actor: actor.id.clone(),
                alone: p.alone[a],
                with_ratifiers: p.with_rat[a],
            })
            .collect(),
        ratifiers: sc
            .ratifiers
            .iter()
            .enumerate()
            .map(|(k, r)| RatifierCount {
                ratifier: r.id.clone(),
                actor: sc.actors[actor_of_rat[k]].id.clone(),
                accepts: p.rat_accept[k],
                with_actor: p.rat_with_actor[k],
                without_this: p.rat_without[k],
            })
            .collect(),
        zopa: Zopa {
            size: p.zopa,
            top: p.top.into_iter().map(solution).collect(),
            implementable: imp.as_ref().map(|i| Implementable {
                size: i.size,
                top: i.top.sorted(opts.top).into_iter().map(solution).collect(),
                networks: proc.as_ref().map_or(0, ProcTable::networks),
                waivers_truncated: proc.as_ref().is_some_and(|t| t.truncated),
            }),
        },
        solutions: Solutions {
            nash: p.nash.map(solution),
            kalai_smorodinsky: ks.map(solution),
            utilitarian: p.util.map(solution),
            egalitarian: p.egal.map(solution),
        },
        implementable_solutions: imp.map(|i| {
            let f = i.frontier.into_sorted();
            Solutions {
                nash: i.nash.map(solution),
                kalai_smorodinsky: kalai_smorodinsky(&f, &d).map(solution),
                utilitarian: i.util.map(solution),
                egalitarian: i.egal.map(solution),
            }
        }),
        blockers_over: proc.as_ref().map(|_| "implementable".to_string()),
        pareto: points_at(sc, &c, frontier.iter().map(|(i, _)| *i)),
        pareto_all: p
            .frontier_all
            .map(|f| points_at(sc, &c, f.into_sorted().iter().map(|(i, _)| *i))),
        blockers,
        blockers_truncated: truncated,
        relaxations,
        relaxations_truncated,
        cheapest_relaxations,
        near_misses,
        notches,
    };
    Ok((an, folded))
}

/// The first pass by enumeration: every feasible outcome, in parallel chunks
/// merged in index order.
fn scan_pass(
    sc: &Scenario,
    c: &Compiled,
    opts: &AnalyzeOptions,
    proc: Option<&ProcTable>,
    notcher: Option<&notches::Notcher>,
    progress: &dyn Progress,
) -> Result<Pass1, Error> {
    let na = c.n_actors;
    let nr = sc.ratifiers.len();
    let d = &c.reservations;
    let rat_bit0 = sc.red_lines.len() + na;
    let actor_of_rat: Vec<usize> = sc.ratifiers.iter().map(|r| r.actor).collect();
    let soft_costs = &costs::soft_costs(sc, &c.soft);
    let mask_costs = &costs::MaskCosts::new(soft_costs);
    let res_bits: u128 = (0..na).fold(0, |m, a| m | 1 << (sc.red_lines.len() + a));
    // Each network's cheapest waiver, once rather than per outcome.
    let cheapest: Option<Vec<Option<(f64, u128)>>> = proc.map(|t| {
        (0..t.networks())
            .map(|k| costs::cheapest_waiver(soft_costs, t.net_waivers(k as u32)))
            .collect()
    });
    // Additive spaces build their frontiers issue by issue after the scan.
    let additive = additive::applies(c, sc.process.is_conditional());
    progress.start(c.total, "scanning outcomes");
    // Chunk accumulators are folded in index order as each batch of chunks
    // ends (their frontiers put aside to merge as a parallel tree: their
    // union does not depend on the order), so their candidate lists do not
    // all wait for the end of the scan.
    let mut first: Option<Pass1> = None;
    let mut fronts: Vec<Frontier> = Vec::new();
    let mut alls: Option<Vec<Frontier>> = opts.pareto_all.then(Vec::new);
    let fold = |batch: Vec<Pass1>| {
        for mut q in batch {
            fronts.push(std::mem::take(&mut q.frontier));
            if let (Some(all), Some(f)) = (alls.as_mut(), q.frontier_all.take()) {
                all.push(f);
            }
            match first.as_mut() {
                None => first = Some(q),
                Some(p) => merge_pass(p, q, opts),
            }
        }
    };
    // Outside the ZOPA, an outcome only counts in the mask table, may
    // improve its entry's best Nash product, and may take a notch or a near
    // miss. Unless a notch or a near miss could take one, the table takes
    // them a group at a time: those short of a reservation (a Nash product
    // of 0) whatever their utilities, the others with their best by Nash
    // product.
    let finite_d = d.iter().all(|x| x.is_finite());
    // The greatest shortfall of some chunk's full near-miss list, shared by
    // the chunks (non-negative floats order as their bits): the other
    // outcomes of that list are no worse, so an outcome whose mask's part
    // alone exceeds it is no near miss, in any chunk.
    let near_bound = AtomicU64::new(f64::INFINITY.to_bits());
    // How the table takes a group, given whether the notcher dismisses its
    // mask (from whether its process runs without a waiver) and whether
    // its mask's part of a shortfall is past the near-miss list.
    let take = |g: &Group, dismissed: &dyn Fn(u128, bool) -> bool, past: &dyn Fn(f64) -> bool| {
        let m = g.mask;
        if !finite_d || m == 0 || (opts.pareto_all && !additive) {
            return Take::One;
        }
        let waivers = proc.map(|t| t.net_waivers(g.tag));
        let runs = waivers.is_none_or(|ws| ws.first() == Some(&0));
        if notcher.is_some() && !dismissed(m, runs) {
            return Take::One;
        }
        if opts.near_misses > 0 {
            let waiver = cheapest.as_ref().and_then(|x| x[g.tag as usize]);
            if !past(costs::shortfall_of_mask(mask_costs, res_bits, m, waiver).0) {
                return Take::One;
            }
        }
        if m & res_bits != 0 {
            Take::All
        } else {
            Take::Scored
        }
    };
    // Without the chunk's accumulator: past the shared bound (a NaN part is
    // past nothing), dismissed by every notch accumulator.
    let lasting = |g: &Group| {
        let bound = f64::from_bits(near_bound.load(Ordering::Relaxed));
        take(
            g,
            &|m, runs| notcher.is_some_and(|n| n.dismisses_always(m, runs)),
            &|part| part > bound,
        )
    };
    // As at the leaf: a full list whose last the mask's part alone does not
    // beat (the chunk's outcomes come in index order, so a tie is past).
    let bulk = |acc: &Pass1, g: &Group| {
        take(
            g,
            &|m, runs| match (notcher, acc.notch.as_ref()) {
                (Some(n), Some(a)) => n.dismisses(a, m, runs),
                _ => true,
            },
            &|part| {
                acc.misses
                    .get(opts.near_misses - 1)
                    .is_some_and(|w| part >= w.shortfall)
            },
        )
    };
    let score = |u: &[f64]| nash_product(u, d);
    let add = |acc: &mut Pass1, g: &Group| {
        let top = g.top.unwrap_or(Best {
            score: 0.0,
            index: g.index,
        });
        acc.masks.add_many(g.mask, g.extra, g.tag, g.count, top);
    };
    let grouping = scan::Grouping {
        tags: proc.map(ProcTable::tags),
        bulk: &bulk,
        lasting: &lasting,
        score: &score,
        add: &add,
    };
    c.scan_fold_grouped(
        progress,
        || Pass1 {
            feasible: 0,
            alone: vec![0; na],
            with_rat: vec![0; na],
            rat_accept: vec![0; nr],
            rat_with_actor: vec![0; nr],
            rat_without: vec![0; nr],
            zopa: 0,
            nash: None,
            util: None,
            egal: None,
            top: Vec::new(),
            top_k: TopK::default(),
            frontier: Frontier::default(),
            frontier_all: opts.pareto_all.then(Frontier::default),
            minimal: Antichain::default(),
            masks: masks::MaskTable::default(),
            misses: Vec::new(),
            miss_parts: Vec::new(),
            notch: notcher.map(|_| notches::NotchAcc::new()),
            imp: proc.map(|_| ImpAcc::default()),
        },
        |acc, leaf: &Leaf| {
            // The win-set counts depend on the mask alone: they are read
            // off the mask table after the scan (see `win_set_counts`).
            let m = leaf.mask;
            if let Some(f) = acc.frontier_all.as_mut().filter(|_| !additive) {
                f.insert(leaf.index, leaf.utils);
            }
            let u = leaf.utils;
            let np = nash_product(u, d);
            // Opening this outcome takes its own violations plus one waiver
            // of its process network: the table keeps both.
            let net = proc.map_or(0, |t| t.slot(leaf.levels));
            let slot = acc.masks.add(m, leaf.extra, net, leaf.index, np);
            let waivers = proc.map(|t| t.net_waivers(net));
            if let (Some(n), Some(acc_n)) = (notcher, acc.notch.as_mut()) {
                let runs = waivers.is_none_or(|ws| ws.first() == Some(&0));
                n.visit(acc_n, leaf, runs, d);
            }
            if m != 0 || waivers.is_some_and(|ws| ws.first() != Some(&0)) {
                // The mask's part is the same for every outcome sharing
                // the mask and network: computed once per table entry.
                if slot >= acc.miss_parts.len() {
                    acc.miss_parts.resize(slot + 1, None);
                }
                let (base, give) = *acc.miss_parts[slot].get_or_insert_with(|| {
                    let waiver = cheapest.as_ref().and_then(|w| w[net as usize]);
                    costs::shortfall_of_mask(mask_costs, res_bits, m, waiver)
                });
                // The utilities only add to the mask's part: when the list is
                // full and that part alone does not beat its last (of lower
                // index), the outcome cannot enter it.
                let worst = acc.misses.get(opts.near_misses.wrapping_sub(1));
                let shortfall = match worst {
                    Some(w) if base >= w.shortfall => f64::INFINITY,
                    _ => costs::shortfall_of_utils(c, base, u),
                };
                if acc.misses.len() < opts.near_misses
                    || acc.misses.last().is_some_and(|w| shortfall <= w.shortfall)
                {
                    let miss = costs::Miss {
                        shortfall,
                        index: leaf.index,
                        mask: give,
                    };
                    costs::push_miss(&mut acc.misses, opts.near_misses, miss);
                    if let Some(w) = acc.misses.get(opts.near_misses - 1) {
                        // −0 becomes +0, so that the bits order as the
                        // values do.
                        if w.shortfall >= 0.0 {
                            near_bound.fetch_min((w.shortfall + 0.0).to_bits(), Ordering::Relaxed);
                        }
                    }
                }
            }
            if m != 0 {
                return;
            }
            if let (Some(i), Some(ws)) = (acc.imp.as_mut(), waivers) {
                if ws.first() == Some(&0) {
                    i.add(leaf.index, leaf.utils, d, opts.top);
                }
            }
            acc.zopa += 1;
            better(&mut acc.nash, np, leaf.index);
            acc.top_k.push(
                opts.top,
                Best {
                    score: np,
                    index: leaf.index,
                },
            );
            better(&mut acc.util, u.iter().sum(), leaf.index);
            better(&mut acc.egal, min_gain(u, d), leaf.index);
            if !additive {
                acc.frontier.insert(leaf.index, u);
            }
        },
        &grouping,
        fold,
    )?;
    let mut p = first.expect("at least one chunk");
    if additive {
        (p.frontier, p.frontier_all) = additive::frontiers(c, opts.pareto_all, progress)?;
    } else {
        p.frontier = Frontier::merge_all(fronts);
        p.frontier_all = alls.map(Frontier::merge_all);
    }
    win_set_counts(&mut p, c, &actor_of_rat, rat_bit0);
    p.top = std::mem::take(&mut p.top_k).into_sorted(opts.top);
    Ok(p)
}

/// Adds a later chunk's pass (all of higher index) to `p`, frontiers aside.
fn merge_pass(p: &mut Pass1, q: Pass1, opts: &AnalyzeOptions) {
    p.zopa += q.zopa;
    for (mine, theirs) in [
        (&mut p.nash, q.nash),
        (&mut p.util, q.util),
        (&mut p.egal, q.egal),
    ] {
        if let Some(b) = theirs {
            better(mine, b.score, b.index);
        }
    }
    p.top_k.merge(opts.top, q.top_k);
    p.masks.merge(q.masks);
    for m in q.misses {
        costs::push_miss(&mut p.misses, opts.near_misses, m);
    }
    if let (Some(a), Some(b)) = (p.notch.as_mut(), q.notch) {
        a.merge(b);
    }
    if let (Some(i), Some(j)) = (p.imp.as_mut(), q.imp) {
        i.merge(j, opts.top);
    }
}

/// Fills the pass's feasible count and win-set counts from its mask table:
/// every feasible outcome is counted there under its violation mask, and
/// the counts depend on nothing else, so this is a sum over distinct masks
/// instead of a loop over actors and ratifiers at every outcome.
fn win_set_counts(p: &mut Pass1, c: &Compiled, actor_of_rat: &[usize], rat_bit0: usize) {
    for g in &p.masks.aggs {
        let (m, n) = (g.mask, g.count);
        p.feasible += n;
        for a in 0..c.n_actors {
            if m & c.actor_mask[a] == 0 {
                p.alone[a] += n;
                if m & c.ratifier_mask[a] == 0 {
                    p.with_rat[a] += n;
                }
            }
        }
        for (k, &a) in actor_of_rat.iter().enumerate() {
            let bit = 1u128 << (rat_bit0 + k);
            if m & bit == 0 {
                p.rat_accept[k] += n;
            }
            // Two-level win-sets: this ratifier alone, and all the actor's
            // other ratifiers without it.
            if m & c.actor_mask[a] == 0 {
                if m & bit == 0 {
                    p.rat_with_actor[k] += n;
                }
                if m & (c.ratifier_mask[a] & !bit) == 0 {
                    p.rat_without[k] += n;
                }
            }
        }
    }
}

/// For each relaxation, the ZOPA size and Nash solution with those
/// constraints gone: from the first pass's mask table when the relaxation
/// keeps every reservation (the disagreement point is unchanged), by a scan
/// of the outcomes for the ones that drop a reservation.
fn relax_from_table(
    sc: &Scenario,
    c: &Compiled,
    table: &masks::MaskTable,
    relaxations: &[u128],
    proc: Option<&ProcTable>,
    progress: &dyn Progress,
) -> Result<Vec<(u64, Option<Best>)>, Error> {
    let res_bits: u128 = (0..c.n_actors).fold(0, |m, a| m | 1 << (sc.red_lines.len() + a));
    let (with_res, without): (Vec<usize>, Vec<usize>) =
        (0..relaxations.len()).partition(|&k| relaxations[k] & res_bits != 0);
    let mut out = vec![(0u64, None::<Best>); relaxations.len()];
    let kept: Vec<u128> = without.iter().map(|&k| relaxations[k]).collect();
    for (k, r) in without.into_iter().zip(table.relaxed_all(&kept, proc)) {
        out[k] = r;
    }
    if !with_res.is_empty() {
        let rs: Vec<u128> = with_res.iter().map(|&k| relaxations[k]).collect();
        for (k, r) in with_res.into_iter().zip(relax(sc, c, &rs, proc, progress)?) {
            out[k] = r;
        }
    }
    Ok(out)
}

/// Second pass: for each relaxation (a mask of dropped constraints), the
/// ZOPA size and Nash solution with those constraints gone.
fn relax(
    sc: &Scenario,
    c: &Compiled,
    relaxations: &[u128],
    proc: Option<&ProcTable>,
    progress: &dyn Progress,
) -> Result<Vec<(u64, Option<Best>)>, Error> {
    let na = c.n_actors;
    let res_bit0 = sc.red_lines.len();
    // A dropped reservation leaves that actor's disagreement value at 0.
    let ds: Vec<Vec<f64>> = relaxations
        .iter()
        .map(|&r| {
            (0..na)
                .map(|a| {
                    if r & (1 << (res_bit0 + a)) != 0 {
                        0.0
                    } else {
                        c.reservations[a]
                    }
                })
                .collect()
        })
        .collect();
    progress.start(c.total, "scanning relaxations");
    let mut out = vec![(0u64, None::<Best>); relaxations.len()];
    // Each batch of chunks is added in index order as it ends.
    let fold = |chunks: Vec<Vec<(u64, Option<Best>)>>| {
        for ch in chunks {
            for (o, (n, b)) in out.iter_mut().zip(ch) {
                o.0 += n;
                if let Some(b) = b {
                    better(&mut o.1, b.score, b.index);
                }
            }
        }
    };
    c.scan_fold(
        progress,
        || vec![(0u64, None::<Best>); relaxations.len()],
        |acc, leaf| {
            for (j, &r) in relaxations.iter().enumerate() {
                // With a conditional process the dropped set must also
                // contain a waiver of the outcome's network.
                if leaf.mask & !r == 0
                    && proc.is_none_or(|t| t.waivers(leaf.levels).iter().any(|&w| w & !r == 0))
                {
                    acc[j].0 += 1;
                    better(&mut acc[j].1, nash_product(leaf.utils, &ds[j]), leaf.index);
                }
            }
        },
        fold,
    )?;
    Ok(out)
}

fn constraint_ref(sc: &Scenario, kind: SoftKind) -> ConstraintRef {
    match kind {
        SoftKind::RedLine(k) => {
            let r = &sc.red_lines[k];
            ConstraintRef {
                kind: ConstraintKind::RedLine,
                id: r.id.clone(),
                actor: sc.actors[r.actor].id.clone(),
                rule: r.rule.to_text(&sc.issues),
                source: r.provenance.source.clone(),
                quote: r.provenance.quote.clone(),
                assumption: r.provenance.assumption.clone(),
            }
        }
        SoftKind::Reservation(a) => {
            let res = &sc.preferences[a].reservation;
            ConstraintRef {
                kind: ConstraintKind::Reservation,
                id: "reservation".into(),
                actor: sc.actors[a].id.clone(),
                rule: format!("utility >= {}", fmt_num(res.value)),
                source: res.provenance.source.clone(),
                quote: res.provenance.quote.clone(),
                assumption: res.provenance.assumption.clone(),
            }
        }
        SoftKind::Process(k) => {
            let net = &sc.process;
            match net.preconditions.get(k) {
                Some(p) => ConstraintRef {
                    kind: ConstraintKind::Precondition,
                    id: p.id.clone(),
                    actor: p.owner.clone(),
                    rule: p.rule.clone(),
                    source: p.source.clone(),
                    quote: p.quote.clone(),
                    assumption: p.assumption.clone(),
                },
                None => {
                    let d = &net.deadlines[k - net.preconditions.len()];
                    ConstraintRef {
                        kind: ConstraintKind::Deadline,
                        id: d.id.clone(),
                        actor: d.owner.clone().unwrap_or_default(),
                        rule: d.rule.clone(),
                        source: d.source.clone(),
                        quote: d.quote.clone(),
                        assumption: d.assumption.clone(),
                    }
                }
            }
        }
        SoftKind::Ratification(k) => {
            let r = &sc.ratifiers[k];
            // A body sourced only through its quota (the rule it votes by)
            // is cited by that source rather than shown unsourced.
            let prov = if r.provenance.is_accounted() {
                &r.provenance
            } else {
                &r.quota.provenance
            };
            ConstraintRef {
                kind: ConstraintKind::Ratification,
                id: r.id.clone(),
                actor: sc.actors[r.actor].id.clone(),
                rule: format!("{} approves (quota {})", r.name, fmt_num(r.quota.value)),
                source: prov.source.clone(),
                quote: prov.quote.clone(),
                assumption: prov.assumption.clone(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{push_top, Best, TopK};
    use proptest::prelude::*;

    proptest! {
        /// The scan's top list keeps exactly what the sorted-list insertion
        /// keeps, for outcomes in index order split into chunks merged in
        /// order (scores drawn from a few values, so ties are common).
        #[test]
        fn top_k_keeps_what_the_sorted_list_keeps(
            scores in proptest::collection::vec(0u8..6, 0..300),
            cuts in proptest::collection::vec(0usize..300, 0..6),
            k in 0usize..12,
        ) {
            let outcomes: Vec<Best> = scores
                .iter()
                .enumerate()
                .map(|(i, &s)| Best { score: f64::from(s) / 4.0, index: i as u64 })
                .collect();
            let mut list = Vec::new();
            for &b in &outcomes {
                push_top(&mut list, k, b);
            }
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(outcomes.len())).collect();
            cuts.push(0);
            cuts.push(outcomes.len());
            cuts.sort_unstable();
            let mut total = TopK::default();
            for w in cuts.windows(2) {
                let mut chunk = TopK::default();
                for &b in &outcomes[w[0]..w[1]] {
                    chunk.push(k, b);
                }
                total.merge(k, chunk);
            }
            let got: Vec<(u64, f64)> = total.into_sorted(k).iter().map(|b| (b.index, b.score)).collect();
            let want: Vec<(u64, f64)> = list.iter().map(|b| (b.index, b.score)).collect();
            prop_assert_eq!(got, want);
        }
    }
}

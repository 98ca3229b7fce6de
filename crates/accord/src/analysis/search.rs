//! The search path: exact analysis of spaces too large to enumerate, by
//! branch and bound over issues, for scenarios whose red lines and
//! feasibility rules each concern one issue and that have no ratifiers.
//!
//! Single-issue constraints become level filters, so every question is
//! "over the product of the allowed levels, with `uₐ ≥ rₐ` for some actors,
//! count / maximise / keep the non-dominated". A node fixes a prefix of
//! issues; its utility bounds fold the per-issue best (worst) allowed term
//! onto the prefix sum *in the same order the scan sums*. Floating-point
//! addition is monotone, so these bounds hold exactly for every leaf's
//! float utility: pruning never needs a tolerance and the answers equal the
//! enumeration's bit for bit. Memory is O(issues × actors) plus the
//! frontier; the walk is sequential and visits outcomes in index order, so
//! ties go to the lowest index as in the scan.
//!
//! Every question has a node budget; a walk that runs out (or is
//! cancelled) reports what it found with a certified bound on the rest.

use super::pareto::Frontier;
use super::scan::Compiled;
use super::{min_gain, nash_product, push_top, Best, Pass1};
use crate::Progress;
use serde::Serialize;

/// A figure the search could not settle within its budget, with what was
/// found and a certified bound on the true value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bound {
    /// Which figure: `zopa.size`, `win_sets.<actor>`, `solutions.nash`,
    /// `solutions.utilitarian`, `solutions.egalitarian`, `pareto`,
    /// `pareto_all`, `blockers`, `relaxations`.
    pub figure: String,
    /// The value found (a count, or the best objective found; `"-inf"` in
    /// JSON when nothing was found).
    #[serde(serialize_with = "super::serialize_extended")]
    pub found: f64,
    /// The true value is at most this (a count including every outcome
    /// left undecided, or the best bound of any unexplored subtree);
    /// for frontiers, `found` + outcomes left unexplored; `"inf"` in JSON
    /// when nothing bounds it.
    #[serde(serialize_with = "super::serialize_extended")]
    pub upper: f64,
}

/// How the search path went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchReport {
    /// Branch-and-bound nodes visited over all questions.
    pub nodes: u64,
    /// Whether the user cancelled the run.
    pub cancelled: bool,
    /// Figures left unsettled (empty when the run is exact).
    pub bounds: Vec<Bound>,
}

/// What a visitor decides about a subtree from its bounds.
enum Verdict {
    /// Nothing below can matter.
    Skip,
    /// Every outcome below counts (only for counting).
    All,
    /// Look inside.
    Open,
}

/// One question asked of the walk.
trait Visit {
    /// Decides a subtree from its utility upper bounds; `inside` when every
    /// outcome below meets every floor.
    fn judge(&mut self, ub: &[f64], inside: bool) -> Verdict;
    /// Every one of `n` outcomes below is in.
    fn all(&mut self, _n: u64) {}
    /// One outcome that meets every floor.
    fn leaf(&mut self, index: u64, u: &[f64]);
    /// A subtree of `n` outcomes left unexplored, with its upper bounds.
    fn abandon(&mut self, ub: &[f64], n: u64);
}

/// The allowed levels and utility floors of one question.
struct Space {
    levels: Vec<Vec<usize>>,
    floor: Vec<f64>,
}

impl Space {
    /// Levels surviving feasibility and the soft constraints not in
    /// `dropped`, restricted to `keep` bits (others ignored), with floors
    /// for the actors in `floors`.
    fn new(c: &Compiled, keep: u128, dropped: u128, floors: &[Option<f64>]) -> Space {
        let levels = c
            .radix()
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                (0..r)
                    .filter(|&l| c.level_ok(i, l, !keep | dropped))
                    .collect()
            })
            .collect();
        Space {
            levels,
            floor: floors
                .iter()
                .map(|f| f.unwrap_or(f64::NEG_INFINITY))
                .collect(),
        }
    }

    fn size(&self) -> u64 {
        self.levels.iter().map(|l| l.len() as u64).product()
    }
}

/// Shared state of the walks of one analysis.
pub(crate) struct Searcher<'a> {
    c: &'a Compiled,
    progress: &'a dyn Progress,
    budget: u64,
    nodes: u64,
    cancelled: bool,
    bounds: Vec<Bound>,
}

struct Walk<'a, 'b, V> {
    c: &'a Compiled,
    sp: &'b Space,
    na: usize,
    /// `hi[d * na + a]`: actor a's best allowed term on issue d.
    hi: Vec<f64>,
    lo: Vec<f64>,
    /// Outcomes below a node at depth d.
    size: Vec<u64>,
    partial: Vec<f64>,
    ub: Vec<f64>,
    lb: Vec<f64>,
    nodes: u64,
    budget: u64,
    stopped: bool,
    cancelled: bool,
    progress: &'a dyn Progress,
    pending: u64,
    v: V,
}

impl<V: Visit> Walk<'_, '_, V> {
    fn node(&mut self, d: usize, index: u64) {
        let na = self.na;
        let n = self.c.radix().len();
        self.nodes += 1;
        if self.nodes & 1023 == 0 {
            self.progress.advance(std::mem::take(&mut self.pending));
            if self.progress.cancelled() {
                self.cancelled = true;
                self.stopped = true;
            }
        }
        if self.nodes > self.budget {
            self.stopped = true;
        }
        // Fold the best and worst remaining terms in scan order.
        let mut inside = true;
        let mut out = false;
        for a in 0..na {
            let (mut u, mut l) = (self.partial[d * na + a], self.partial[d * na + a]);
            for e in d..n {
                u += self.hi[e * na + a];
                l += self.lo[e * na + a];
            }
            self.ub[a] = u;
            self.lb[a] = l;
            out |= u < self.sp.floor[a];
            inside &= l >= self.sp.floor[a];
        }
        if out {
            self.pending += self.size[d];
            return;
        }
        if self.stopped {
            self.v.abandon(&self.ub, self.size[d]);
            return;
        }
        if d == n {
            self.v.leaf(index, &self.ub);
            self.pending += 1;
            return;
        }
        match self.v.judge(&self.ub, inside) {
            Verdict::Skip => self.pending += self.size[d],
            Verdict::All => {
                self.v.all(self.size[d]);
                self.pending += self.size[d];
            }
            Verdict::Open => {
                let stride = self.c.space.strides()[d];
                for k in 0..self.sp.levels[d].len() {
                    let l = self.sp.levels[d][k];
                    for a in 0..na {
                        self.partial[(d + 1) * na + a] =
                            self.partial[d * na + a] + self.c.term(d, l, a);
                    }
                    self.node(d + 1, index + l as u64 * stride);
                }
            }
        }
    }
}

impl<'a> Searcher<'a> {
    pub(crate) fn new(c: &'a Compiled, budget: u64, progress: &'a dyn Progress) -> Self {
        Searcher {
            c,
            progress,
            budget,
            nodes: 0,
            cancelled: false,
            bounds: Vec::new(),
        }
    }

    /// Runs one question; returns the visitor and whether it finished.
    fn run<V: Visit>(&mut self, sp: &Space, v: V, what: &str) -> (V, bool) {
        let c = self.c;
        let n = c.radix().len();
        let na = c.n_actors;
        let mut hi = vec![f64::NEG_INFINITY; n * na];
        let mut lo = vec![f64::INFINITY; n * na];
        for d in 0..n {
            for &l in &sp.levels[d] {
                for a in 0..na {
                    let t = c.term(d, l, a);
                    hi[d * na + a] = hi[d * na + a].max(t);
                    lo[d * na + a] = lo[d * na + a].min(t);
                }
            }
        }
        let mut size = vec![1u64; n + 1];
        for d in (0..n).rev() {
            size[d] = size[d + 1] * sp.levels[d].len() as u64;
        }
        if size[0] == 0 {
            return (v, true);
        }
        self.progress.start(size[0], what);
        let mut w = Walk {
            c,
            sp,
            na,
            hi,
            lo,
            size,
            partial: vec![0.0; (n + 1) * na],
            ub: vec![0.0; na],
            lb: vec![0.0; na],
            nodes: 0,
            budget: self.budget,
            stopped: self.cancelled,
            cancelled: self.cancelled,
            progress: self.progress,
            pending: 0,
            v,
        };
        w.node(0, 0);
        self.progress.advance(w.pending);
        self.nodes += w.nodes;
        self.cancelled |= w.cancelled;
        (w.v, !w.stopped)
    }

    fn unsettled(&mut self, figure: impl Into<String>, found: f64, upper: f64) {
        self.bounds.push(Bound {
            figure: figure.into(),
            found,
            upper,
        });
    }

    /// Counts the outcomes of a space; flags the count when unsettled.
    fn count(&mut self, sp: &Space, figure: &str) -> u64 {
        let (v, done) = self.run(sp, Count::default(), figure);
        if !done {
            self.unsettled(figure, v.inside as f64, (v.inside + v.open) as f64);
        }
        v.inside
    }

    /// The best `k` outcomes by a monotone score, plus the bound on the rest.
    fn top(
        &mut self,
        sp: &Space,
        k: usize,
        score: &dyn Fn(&[f64]) -> f64,
        what: &str,
    ) -> (Vec<Best>, Option<f64>) {
        let v = Top {
            k,
            score,
            top: Vec::new(),
            open: f64::NEG_INFINITY,
        };
        let (v, done) = self.run(sp, v, what);
        (v.top, (!done).then_some(v.open))
    }

    /// The Pareto frontier of a space.
    fn frontier(&mut self, sp: &Space, figure: &str) -> Frontier {
        // Seed with the utilitarian optimum, always non-dominated, so that
        // pruning bites from the first node.
        let (best, _) = self.top(sp, 1, &|u: &[f64]| u.iter().sum(), figure);
        let mut f = Frontier::default();
        let seed = best.first().map(|b| b.index);
        if let Some(b) = best.first() {
            let levels = self.c.decode(b.index);
            f.insert(b.index, &self.c.utilities(&levels));
        }
        let (mut v, done) = self.run(sp, Front { f, seed, open: 0 }, figure);
        if !done {
            let found = v.f.len() as f64;
            self.unsettled(figure, found, found + v.open as f64);
        }
        v.f
    }

    /// Whether any outcome of the space exists.
    fn exists(&mut self, sp: &Space) -> Option<bool> {
        let (top, open) = self.top(sp, 1, &|_: &[f64]| 0.0, "searching relaxations");
        match (top.is_empty(), open) {
            (false, _) => Some(true),
            (true, None) => Some(false),
            (true, Some(_)) => None,
        }
    }

    /// The first pass of the analysis, by search.
    pub(crate) fn pass1(
        &mut self,
        sc: &crate::Scenario,
        top_k: usize,
        pareto_all: bool,
        max_soft_subsets: u32,
    ) -> Pass1 {
        let c = self.c;
        let na = c.n_actors;
        let nl = sc.red_lines.len();
        let d = c.reservations.clone();
        let floors: Vec<Option<f64>> = d.iter().map(|&r| Some(r)).collect();
        let none: Vec<Option<f64>> = vec![None; na];
        let red_bits: u128 = (0..nl).fold(0, |m, k| m | 1 << k);

        let feasible = Space::new(c, 0, 0, &none).size();
        let mut alone = vec![0; na];
        for (a, slot) in alone.iter_mut().enumerate() {
            let mut f = none.clone();
            f[a] = Some(d[a]);
            let sp = Space::new(c, c.actor_mask[a] & red_bits, 0, &f);
            *slot = self.count(&sp, &format!("win_sets.{}", sc.actors[a].id));
        }
        let zsp = Space::new(c, red_bits, 0, &floors);
        let zopa = self.count(&zsp, "zopa.size");

        let nash_of = |u: &[f64]| nash_product(u, &d);
        let (top, open) = self.top(&zsp, top_k.max(1), &nash_of, "solutions.nash");
        if let Some(o) = open {
            let found = top.first().map_or(f64::NEG_INFINITY, |b| b.score);
            self.unsettled("solutions.nash", found, o.max(found));
        }
        let nash = top.first().copied();
        let single = |s: &mut Self, figure: &str, score: &dyn Fn(&[f64]) -> f64| {
            let (t, open) = s.top(&zsp, 1, score, figure);
            let best = t.first().copied();
            if let Some(o) = open {
                let found = best.map_or(f64::NEG_INFINITY, |b| b.score);
                s.unsettled(figure, found, o.max(found));
            }
            best
        };
        let util = single(self, "solutions.utilitarian", &|u: &[f64]| u.iter().sum());
        let egal = single(self, "solutions.egalitarian", &|u: &[f64]| min_gain(u, &d));
        let frontier = self.frontier(&zsp, "pareto");
        let frontier_all = pareto_all.then(|| {
            let sp = Space::new(c, 0, 0, &none);
            self.frontier(&sp, "pareto_all")
        });

        // With no deal, the minimal relaxations are the minimal sets of
        // soft constraints whose dropping opens one: try subsets by size.
        let mut minimal = super::sets::Antichain::default();
        if zopa == 0 && feasible > 0 && !self.bounds.iter().any(|b| b.figure == "zopa.size") {
            let n_soft = (nl + na) as u32;
            if n_soft > max_soft_subsets {
                self.unsettled("blockers", 0.0, f64::INFINITY);
            } else {
                let mut subsets: Vec<u128> = (1u128..1 << n_soft).collect();
                subsets.sort_by_key(|&m| (m.count_ones(), m));
                let mut found: Vec<u128> = Vec::new();
                for s in subsets {
                    if found.iter().any(|&f| f & !s == 0) {
                        continue;
                    }
                    let fl: Vec<Option<f64>> = (0..na)
                        .map(|a| (s & 1 << (nl + a) == 0).then_some(d[a]))
                        .collect();
                    let sp = Space::new(c, red_bits, s, &fl);
                    match self.exists(&sp) {
                        Some(true) => found.push(s),
                        Some(false) => {}
                        None => {
                            self.unsettled("blockers", found.len() as f64, f64::INFINITY);
                            break;
                        }
                    }
                }
                for m in found {
                    minimal.insert(m);
                }
            }
        }

        Pass1 {
            feasible,
            with_rat: alone.clone(),
            alone,
            rat_accept: Vec::new(),
            rat_with_actor: Vec::new(),
            rat_without: Vec::new(),
            zopa,
            nash,
            util,
            egal,
            top: top.into_iter().take(top_k).collect(),
            top_k: Default::default(),
            frontier,
            frontier_all,
            minimal,
            masks: Default::default(),
            misses: Vec::new(),
            miss_parts: Vec::new(),
            notch: None,
            imp: None,
        }
    }

    /// For each relaxation, the ZOPA size and Nash solution with those
    /// constraints gone (dropped reservations count as 0).
    pub(crate) fn relax(&mut self, nl: usize, relaxations: &[u128]) -> Vec<(u64, Option<Best>)> {
        let c = self.c;
        let na = c.n_actors;
        let red_bits: u128 = (0..nl).fold(0, |m, k| m | 1 << k);
        relaxations
            .iter()
            .map(|&r| {
                let dropped = |a: usize| r & 1 << (nl + a) != 0;
                let fl: Vec<Option<f64>> = (0..na)
                    .map(|a| (!dropped(a)).then_some(c.reservations[a]))
                    .collect();
                let ds: Vec<f64> = (0..na)
                    .map(|a| if dropped(a) { 0.0 } else { c.reservations[a] })
                    .collect();
                let sp = Space::new(c, red_bits, r, &fl);
                let size = self.count(&sp, "relaxations");
                let score = |u: &[f64]| nash_product(u, &ds);
                let (t, open) = self.top(&sp, 1, &score, "relaxations");
                if let Some(o) = open {
                    let found = t.first().map_or(f64::NEG_INFINITY, |b| b.score);
                    self.unsettled("relaxations", found, o.max(found));
                }
                (size, t.first().copied())
            })
            .collect()
    }

    /// Whether a figure was left unsettled.
    pub(crate) fn unsettled_figure(&self, figure: &str) -> bool {
        self.bounds.iter().any(|b| b.figure == figure)
    }

    /// Flags a figure as unsettled with nothing found and no finite bound,
    /// unless it is flagged already.
    pub(crate) fn unknown(&mut self, figure: &str) {
        if !self.unsettled_figure(figure) {
            self.unsettled(figure, 0.0, f64::INFINITY);
        }
    }

    /// What the searches did.
    pub(crate) fn report(self) -> SearchReport {
        SearchReport {
            nodes: self.nodes,
            cancelled: self.cancelled,
            bounds: self.bounds,
        }
    }
}

#[derive(Default)]
struct Count {
    inside: u64,
    open: u64,
}

impl Visit for Count {
    fn judge(&mut self, _ub: &[f64], inside: bool) -> Verdict {
        if inside {
            Verdict::All
        } else {
            Verdict::Open
        }
    }
    fn all(&mut self, n: u64) {
        self.inside += n;
    }
    fn leaf(&mut self, _index: u64, _u: &[f64]) {
        self.inside += 1;
    }
    fn abandon(&mut self, _ub: &[f64], n: u64) {
        self.open += n;
    }
}

struct Top<'s> {
    k: usize,
    score: &'s dyn Fn(&[f64]) -> f64,
    top: Vec<Best>,
    /// The best bound of any abandoned subtree.
    open: f64,
}

impl Visit for Top<'_> {
    fn judge(&mut self, ub: &[f64], _inside: bool) -> Verdict {
        // The score is monotone in every utility, so its value at the upper
        // bounds bounds every outcome below; a tie cannot enter a full
        // list (later outcomes lose ties), so `<=` prunes.
        if self.top.len() >= self.k && (self.score)(ub) <= self.top[self.k - 1].score {
            Verdict::Skip
        } else {
            Verdict::Open
        }
    }
    fn leaf(&mut self, index: u64, u: &[f64]) {
        let score = (self.score)(u);
        push_top(&mut self.top, self.k, Best { score, index });
    }
    fn abandon(&mut self, ub: &[f64], _n: u64) {
        self.open = self.open.max((self.score)(ub));
    }
}

struct Front {
    f: Frontier,
    seed: Option<u64>,
    open: u64,
}

impl Visit for Front {
    fn judge(&mut self, ub: &[f64], _inside: bool) -> Verdict {
        // A point dominating the bounds dominates every outcome below.
        if self.f.dominated_now(ub) {
            Verdict::Skip
        } else {
            Verdict::Open
        }
    }
    fn leaf(&mut self, index: u64, u: &[f64]) {
        // The seed is already offered (its utilities need not have the same
        // bits along the walk); the walk visits every other index once.
        if self.seed != Some(index) {
            self.f.insert(index, u);
        }
    }
    fn abandon(&mut self, _ub: &[f64], n: u64) {
        self.open += n;
    }
}

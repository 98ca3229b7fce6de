//! One party's private view: its utility (an additive table or, for a
//! non-linear GENIUS profile, weighted boxes), reservation, red lines and
//! the public feasibility rules, with fast search for offers.
//!
//! Finding "an outcome near a target utility" is the hot path. Spaces of at
//! most [`ENUMERATE_LIMIT`] outcomes are enumerated once, lazily, into the
//! list of outcomes the party finds acceptable, sorted by utility, so a
//! query is a binary search (GENIUS domains reach 390,625 outcomes). Larger
//! spaces (the flagship has ~10^7) are searched: a deterministic greedy
//! descent over one-issue changes from the party's best acceptable outcome,
//! which finds a near-target outcome in milliseconds but may miss the
//! closest one. Every search is a pure function of its arguments, so agents
//! stay deterministic whatever else runs.

use crate::model::{Expr, Issue, OutcomeSpace, Scenario, Utility, UtilityTable};
use crate::nonlinear::{BoxProblem, BoxUtility};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::sync::OnceLock;

/// Spaces up to this size are enumerated; larger ones are searched.
pub const ENUMERATE_LIMIT: u128 = 1_000_000;

/// Tolerance for utility comparisons (rounding in sums of weights).
pub(crate) const EPS: f64 = 1e-9;

/// Outcomes scanned above a target when a secondary score picks among them.
const WINDOW: usize = 4096;

/// One party's private view of the scenario.
#[derive(Debug)]
pub struct Own {
    actor: usize,
    issues: Vec<Issue>,
    space: OutcomeSpace,
    /// Additive or box utility over levels.
    utility: Utility,
    reservation: f64,
    red_lines: Vec<Expr>,
    feasibility: Vec<Expr>,
    /// Acceptable outcomes as (utility, index), ascending; built on first use.
    sorted: OnceLock<Vec<(f64, u64)>>,
    best: OnceLock<Option<Vec<usize>>>,
}

impl Own {
    /// The view of actor `actor` of a checked scenario.
    pub fn new(sc: &Scenario, actor: usize) -> Own {
        Own {
            actor,
            issues: sc.issues.clone(),
            space: sc.space(),
            utility: Utility::Additive(UtilityTable::of_actor(sc, actor)),
            reservation: sc.preferences[actor].reservation.value,
            red_lines: sc
                .red_lines
                .iter()
                .filter(|r| r.actor == actor)
                .map(|r| r.rule.clone())
                .collect(),
            feasibility: sc.feasibility.iter().map(|f| f.rule.clone()).collect(),
            sorted: OnceLock::new(),
            best: OnceLock::new(),
        }
    }

    /// The view of party `party` of a checked non-linear problem: its box
    /// utility over levels (level `l` of an issue is its lowest value plus
    /// `l`) and its reservation; such domains have no red lines and no
    /// feasibility rules.
    pub fn from_boxes(p: &BoxProblem, party: usize) -> Own {
        Own {
            actor: party,
            issues: Vec::new(),
            space: p.space(),
            utility: Utility::Boxes(BoxUtility::new(p, party)),
            reservation: p.parties[party].reservation,
            red_lines: Vec::new(),
            feasibility: Vec::new(),
            sorted: OnceLock::new(),
            best: OnceLock::new(),
        }
    }

    /// A copy without the search caches (the mediator uses one for the
    /// public domain and feasibility checks while the parties are busy).
    pub(crate) fn clone_view(&self) -> Own {
        Own {
            actor: self.actor,
            issues: self.issues.clone(),
            space: self.space.clone(),
            utility: self.utility.clone(),
            reservation: self.reservation,
            red_lines: self.red_lines.clone(),
            feasibility: self.feasibility.clone(),
            sorted: OnceLock::new(),
            best: OnceLock::new(),
        }
    }

    /// The actor this view belongs to.
    pub fn actor(&self) -> usize {
        self.actor
    }

    /// Levels per issue.
    pub fn levels(&self) -> Vec<usize> {
        self.space.radix().to_vec()
    }

    /// The outcome space the party bargains over.
    pub fn space(&self) -> &OutcomeSpace {
        &self.space
    }

    /// Utility of an outcome (same bits as [`Scenario::utility`], or as
    /// [`crate::nonlinear::BoxParty::utility`] for a box profile).
    pub fn utility(&self, x: &[usize]) -> f64 {
        self.utility.utility(x)
    }

    /// The party's utility function.
    pub fn utility_fn(&self) -> &Utility {
        &self.utility
    }

    /// Utility of no deal.
    pub fn reservation(&self) -> f64 {
        self.reservation
    }

    /// Whether every level is inside its issue's domain.
    pub fn in_domain(&self, x: &[usize]) -> bool {
        self.space.contains(x)
    }

    /// Whether the outcome exists: in domain and every feasibility rule holds.
    pub fn feasible(&self, x: &[usize]) -> bool {
        self.in_domain(x) && self.feasibility.iter().all(|f| f.eval(&self.issues, x))
    }

    /// Whether the outcome keeps every one of this party's red lines.
    pub fn within_red_lines(&self, x: &[usize]) -> bool {
        self.red_lines.iter().all(|r| r.eval(&self.issues, x))
    }

    /// Whether the party may accept the outcome: feasible, within its red
    /// lines and at least its reservation value.
    pub fn acceptable(&self, x: &[usize]) -> bool {
        self.feasible(x) && self.within_red_lines(x) && self.utility(x) >= self.reservation - EPS
    }

    /// Outcome index (mixed radix, last issue fastest) to levels.
    pub fn decode(&self, i: u64) -> Vec<usize> {
        self.space.decode(i)
    }

    /// A uniform draw of levels, one per issue.
    fn draw(&self, rng: &mut ChaCha8Rng) -> Vec<usize> {
        self.space
            .radix()
            .iter()
            .map(|&r| rng.random_range(0..r))
            .collect()
    }

    fn enumerated(&self) -> Option<&[(f64, u64)]> {
        if self.space.size() > ENUMERATE_LIMIT {
            return None;
        }
        Some(self.sorted.get_or_init(|| {
            let mut v: Vec<(f64, u64)> = (0..self.space.size() as u64)
                .filter_map(|i| {
                    let x = self.decode(i);
                    self.acceptable(&x).then(|| (self.utility(&x), i))
                })
                .collect();
            v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            v
        }))
    }

    /// The party's best acceptable outcome (lowest index on ties), or `None`
    /// when nothing is acceptable to it.
    pub fn best(&self) -> Option<Vec<usize>> {
        self.best
            .get_or_init(|| match self.enumerated() {
                Some(list) => {
                    let top = list.last()?.0;
                    let first = list.partition_point(|e| e.0 < top);
                    Some(self.decode(list[first].1))
                }
                None => self.search_best(),
            })
            .clone()
    }

    /// Utility of [`Own::best`] (the reservation when nothing is acceptable).
    pub fn max_utility(&self) -> f64 {
        self.best().map_or(self.reservation, |x| self.utility(&x))
    }

    /// The acceptable outcome whose utility is the smallest at or above
    /// `target` (lowest index on ties); the best outcome when the target is
    /// above it.
    pub fn at_least(&self, target: f64) -> Option<Vec<usize>> {
        match self.enumerated() {
            // A binary search: the hot path of time-based agents.
            Some(list) => {
                let from = list.partition_point(|e| e.0 < target - EPS);
                match list.get(from) {
                    Some(e) => Some(self.decode(e.1)),
                    None => self.best(),
                }
            }
            None => self.pick(target, |_| 0.0),
        }
    }

    /// Among acceptable outcomes at or above `target`, the one maximising
    /// `score` (then the lowest utility, then the lowest index), looking at
    /// most at the 4,096 outcomes just above the target.
    pub fn pick(&self, target: f64, score: impl Fn(&[usize]) -> f64) -> Option<Vec<usize>> {
        let best = self.best()?;
        if target > self.utility(&best) {
            return Some(best);
        }
        match self.enumerated() {
            Some(list) => {
                let from = list.partition_point(|e| e.0 < target - EPS);
                let mut top: Option<(f64, Vec<usize>)> = None;
                for e in &list[from..(from + WINDOW).min(list.len())] {
                    let x = self.decode(e.1);
                    let s = score(&x);
                    if top.as_ref().is_none_or(|t| s > t.0) {
                        top = Some((s, x));
                    }
                }
                top.map(|t| t.1)
            }
            None => Some(self.descend(best, target, &score)),
        }
    }

    /// The acceptable outcome maximising `score` over the whole enumerated
    /// space (lowest utility, then lowest index, on ties); searched spaces
    /// use the greedy descent from the best outcome.
    pub fn argmax(&self, score: impl Fn(&[usize]) -> f64) -> Option<Vec<usize>> {
        let best = self.best()?;
        match self.enumerated() {
            Some(list) => {
                let mut top: Option<(f64, Vec<usize>)> = None;
                for e in list {
                    let x = self.decode(e.1);
                    let s = score(&x);
                    if top.as_ref().is_none_or(|t| s > t.0) {
                        top = Some((s, x));
                    }
                }
                top.map(|t| t.1)
            }
            None => Some(self.descend(best, self.reservation, &score)),
        }
    }

    /// A uniformly drawn acceptable outcome (enumerated spaces), or the
    /// acceptable one of up to 1000 uniform draws (searched spaces).
    pub fn random_acceptable(&self, rng: &mut ChaCha8Rng) -> Option<Vec<usize>> {
        match self.enumerated() {
            Some(list) if !list.is_empty() => {
                Some(self.decode(list[rng.random_range(0..list.len())].1))
            }
            Some(_) => None,
            None => {
                for _ in 0..1000 {
                    let x = self.draw(rng);
                    if self.acceptable(&x) {
                        return Some(x);
                    }
                }
                self.best()
            }
        }
    }

    /// Greedy search for the best acceptable outcome of a large space: the
    /// per-issue optimum if acceptable (additive utilities), else the best
    /// of seeded random acceptable draws, then one-issue improvements until
    /// none helps.
    fn search_best(&self) -> Option<Vec<usize>> {
        let mut start = self.utility.ideal().filter(|x| self.acceptable(x));
        if start.is_none() {
            let mut rng = ChaCha8Rng::seed_from_u64(self.actor as u64);
            for _ in 0..20_000 {
                let x = self.draw(&mut rng);
                if self.acceptable(&x)
                    && start
                        .as_ref()
                        .is_none_or(|s| self.utility(&x) > self.utility(s))
                {
                    start = Some(x);
                }
            }
        }
        let mut x = start?;
        loop {
            let u = self.utility(&x);
            let mut step: Option<(f64, usize, usize)> = None;
            for (k, &r) in self.space.radix().iter().enumerate() {
                for l in 0..r {
                    let mut y = x.clone();
                    y[k] = l;
                    let v = self.utility(&y);
                    if v > u + EPS && step.is_none_or(|s| v > s.0) && self.acceptable(&y) {
                        step = Some((v, k, l));
                    }
                }
            }
            match step {
                Some((_, k, l)) => x[k] = l,
                None => return Some(x),
            }
        }
    }

    /// Greedy descent from `x` towards `target`: take the one-issue change
    /// that lowers utility the most while staying acceptable and at or above
    /// the target, until none does; then improve `score` at that level.
    fn descend(
        &self,
        mut x: Vec<usize>,
        target: f64,
        score: &impl Fn(&[usize]) -> f64,
    ) -> Vec<usize> {
        loop {
            let u = self.utility(&x);
            let mut step: Option<(f64, usize, usize)> = None;
            for (k, &r) in self.space.radix().iter().enumerate() {
                for l in 0..r {
                    let mut y = x.clone();
                    y[k] = l;
                    let v = self.utility(&y);
                    if v < u - EPS
                        && v >= target - EPS
                        && step.is_none_or(|s| v < s.0)
                        && self.acceptable(&y)
                    {
                        step = Some((v, k, l));
                    }
                }
            }
            match step {
                Some((_, k, l)) => x[k] = l,
                None => break,
            }
        }
        // One-issue moves that keep the target and raise the secondary score.
        for _ in 0..self.space.issues() * 4 {
            let s0 = score(&x);
            let mut step: Option<(f64, usize, usize)> = None;
            for (k, &r) in self.space.radix().iter().enumerate() {
                for l in 0..r {
                    let mut y = x.clone();
                    y[k] = l;
                    if self.utility(&y) < target - EPS || !self.acceptable(&y) {
                        continue;
                    }
                    let s = score(&y);
                    if s > s0 + EPS && step.is_none_or(|b| s > b.0) {
                        step = Some((s, k, l));
                    }
                }
            }
            match step {
                Some((_, k, l)) => x[k] = l,
                None => break,
            }
        }
        x
    }
}

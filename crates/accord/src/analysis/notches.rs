//! Graded relaxations: red lines loosened by notches instead of dropped, and
//! reservations lowered by their stated steps.
//!
//! A red line's rule is put in negation normal form; each comparison in it
//! can be loosened by *notch units*. On an ordered issue (a numeric issue,
//! or options marked ordered) a comparison whose admitted levels form a
//! range moves its ends one level per notch (`army_size >= 800000` →
//! `>= 700000`; `donetsk == freeze` → `donetsk in [mirror_dmz, freeze]`),
//! and the k-th notch of an end needs the k − 1 before it. Any other
//! comparison (unordered options, `!=`, `not in`, a level in a gap of a
//! range) is loosened by admitting one more value per notch. A reservation
//! with a stated `reservation_step` is lowered by that step per notch.
//!
//! A *move* is a set of notch units; it opens an outcome when it contains
//! one of the outcome's alternatives (the unit sets that let the outcome
//! past every constraint it breaks). The first pass computes, per outcome
//! that breaks only red lines and reservations and whose process can be
//! ordered, its alternatives of fewest notches, and keeps only the outcomes
//! of the fewest notches met so far: a violated constraint costs at least
//! one notch, so most outcomes are dismissed by the popcount of their mask.
//! The smallest moves are then exactly the alternatives of least size, and
//! the outcomes a smallest move opens are exactly those having it as an
//! alternative (a proper subset would be a smaller move), so the opened
//! ZOPA and its Nash deal come out of the same pass.

use super::objective::nash_product;
use super::scan::{Compiled, Leaf, SoftKind};
use super::{Best, ConstraintKind, Solution};
use crate::model::{fmt_num, Atom, CmpOp, Expr, Issue, Rhs, Scenario};
use serde::Serialize;
use std::collections::HashMap;

/// The default of [`super::AnalyzeOptions::max_notches`].
pub const DEFAULT_MAX_NOTCHES: u32 = 3;
/// The default of [`super::AnalyzeOptions::max_notch_moves`].
pub const DEFAULT_MAX_NOTCH_MOVES: usize = 10;
/// Most alternatives kept per outcome (products over several broken red
/// lines with disjunctions can grow; `alternatives_truncated` says so).
const MAX_ALTERNATIVES: usize = 64;

const INF: u32 = u32::MAX;

/// The smallest graded moves that open a deal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notches {
    /// Most notches a move may take (moves needing more are not sought).
    pub max_notches: u32,
    /// Notches of the smallest moves (`None` when no move within the cap
    /// opens a deal).
    pub fewest: Option<u32>,
    /// The smallest moves, least cost first, then the one opening most.
    pub moves: Vec<NotchMove>,
    /// How many smallest moves there are in all.
    pub moves_total: usize,
    /// Whether `moves` was cut at the limit.
    pub truncated: bool,
    /// Whether some outcome had more alternatives than were kept (a move
    /// could then be missing, never a wrong one reported).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub alternatives_truncated: bool,
}

/// One graded move and the deal it opens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotchMove {
    /// Notches it takes in all.
    pub notches: u32,
    /// Σ notches × the cost of each loosened constraint (the cost a
    /// relaxation dropping it would count).
    pub cost: f64,
    /// Who gives what, red lines in file order, then reservations.
    pub changes: Vec<NotchChange>,
    /// Outcomes it opens.
    pub zopa_size: u64,
    /// The Nash deal of the opened outcomes, under the lowered reservations.
    pub nash: Option<Solution>,
}

/// One constraint loosened by a move.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotchChange {
    /// A red line or a reservation.
    pub kind: ConstraintKind,
    /// Red line id, or `reservation`.
    pub id: String,
    /// The actor that gives.
    pub actor: String,
    /// Notches on this constraint.
    pub notches: u32,
    /// The constraint as stated, in the rule language.
    pub from: String,
    /// The constraint after the move.
    pub to: String,
    /// The source id, if sourced.
    pub source: Option<String>,
    /// The rule as stated (red lines), for rendering in words.
    #[serde(skip)]
    pub from_rule: Option<Expr>,
    /// The loosened rule (red lines), for rendering in words.
    #[serde(skip)]
    pub to_rule: Option<Expr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    RedLine(usize),
    Reservation(usize),
}

#[derive(Debug, Clone, Copy)]
enum UnitKind {
    /// The k-th level below the range.
    Down(u32),
    /// The k-th level above the range.
    Up(u32),
    /// One more admitted level.
    Admit(usize),
    /// One step down of a reservation.
    Step,
}

#[derive(Debug, Clone, Copy)]
struct Unit {
    owner: Owner,
    /// Index into `atoms` (red lines only).
    atom: usize,
    kind: UnitKind,
}

/// A comparison of a red line in negation normal form.
struct NAtom {
    issue: usize,
    allowed: Vec<bool>,
    /// The admitted range, when its ends move by steps.
    range: Option<(usize, usize)>,
    down: Vec<u32>,
    up: Vec<u32>,
    /// Per level: its admit unit, or `INF`.
    admit: Vec<u32>,
    /// The comparison as it stands (negation pushed in).
    atom: Atom,
}

enum NRule {
    Const(bool),
    Atom(usize),
    And(Vec<NRule>),
    Or(Vec<NRule>),
}

/// The notch units of a scenario, compiled once before the scan.
pub(crate) struct Notcher {
    max: u32,
    n_red: usize,
    atoms: Vec<NAtom>,
    rules: Vec<NRule>,
    units: Vec<Unit>,
    res_units: Vec<Vec<u32>>,
    res_step: Vec<f64>,
    /// Soft bits no notch loosens (ratifiers, process constraints,
    /// reservations without a step).
    hard: u128,
}

/// Per chunk: the fewest notches met and, per alternative of that size, the
/// outcomes it opens and their best by Nash product.
#[derive(Debug, Default)]
pub(crate) struct NotchAcc {
    best: u32,
    table: HashMap<Vec<u32>, (u64, Best)>,
    truncated: bool,
}

impl NotchAcc {
    pub(crate) fn new() -> NotchAcc {
        NotchAcc {
            best: INF,
            table: HashMap::new(),
            truncated: false,
        }
    }

    /// Merges a later chunk's accumulator.
    pub(crate) fn merge(&mut self, q: NotchAcc) {
        self.truncated |= q.truncated;
        if q.best < self.best {
            self.best = q.best;
            self.table = q.table;
            return;
        }
        if q.best > self.best {
            return;
        }
        for (k, (n, b)) in q.table {
            match self.table.get_mut(&k) {
                Some(mine) => {
                    mine.0 += n;
                    // Strictly greater: the earlier chunk keeps ties.
                    if b.score > mine.1.score {
                        mine.1 = b;
                    }
                }
                None => {
                    self.table.insert(k, (n, b));
                }
            }
        }
    }
}

fn negate(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Eq => CmpOp::Ne,
        CmpOp::Ne => CmpOp::Eq,
        CmpOp::Lt => CmpOp::Ge,
        CmpOp::Le => CmpOp::Gt,
        CmpOp::Gt => CmpOp::Le,
        CmpOp::Ge => CmpOp::Lt,
        CmpOp::In => CmpOp::NotIn,
        CmpOp::NotIn => CmpOp::In,
    }
}

impl Notcher {
    /// `None` when notches are switched off (`max == 0`).
    pub(crate) fn new(sc: &Scenario, c: &Compiled, max: u32) -> Option<Notcher> {
        if max == 0 {
            return None;
        }
        let mut n = Notcher {
            max,
            n_red: sc.red_lines.len(),
            atoms: Vec::new(),
            rules: Vec::new(),
            units: Vec::new(),
            res_units: vec![Vec::new(); sc.actors.len()],
            res_step: vec![0.0; sc.actors.len()],
            hard: 0,
        };
        for (r, rl) in sc.red_lines.iter().enumerate() {
            let rule = n.nnf(sc, &rl.rule, false, r);
            n.rules.push(rule);
        }
        for s in &sc.reservation_steps {
            n.res_step[s.actor] = s.step.value;
            // A reservation is never lowered below 0, the worst outcome.
            let d = sc.preferences[s.actor].reservation.value;
            let room = ((d / s.step.value) + 1e-9).floor().max(0.0) as u32;
            let units: Vec<u32> = (1..=max.min(room))
                .map(|_| {
                    n.units.push(Unit {
                        owner: Owner::Reservation(s.actor),
                        atom: 0,
                        kind: UnitKind::Step,
                    });
                    (n.units.len() - 1) as u32
                })
                .collect();
            n.res_units[s.actor] = units;
        }
        for (bit, k) in c.soft.iter().enumerate() {
            let soft = match *k {
                SoftKind::RedLine(_) => true,
                SoftKind::Reservation(a) => !n.res_units[a].is_empty(),
                SoftKind::Ratification(_) | SoftKind::Process(_) => false,
            };
            if !soft {
                n.hard |= 1u128 << bit;
            }
        }
        Some(n)
    }

    fn unit(&mut self, owner: Owner, atom: usize, kind: UnitKind) -> u32 {
        self.units.push(Unit { owner, atom, kind });
        (self.units.len() - 1) as u32
    }

    fn nnf(&mut self, sc: &Scenario, e: &Expr, neg: bool, r: usize) -> NRule {
        match e {
            Expr::True => NRule::Const(!neg),
            Expr::False => NRule::Const(neg),
            Expr::Not(x) => self.nnf(sc, x, !neg, r),
            Expr::And(xs) | Expr::Or(xs) => {
                let kids = xs.iter().map(|x| self.nnf(sc, x, neg, r)).collect();
                if matches!(e, Expr::And(_)) != neg {
                    NRule::And(kids)
                } else {
                    NRule::Or(kids)
                }
            }
            Expr::Implies(a, b) => {
                // a → b is ¬a ∨ b; negated, a ∧ ¬b.
                let (x, y) = (self.nnf(sc, a, !neg, r), self.nnf(sc, b, neg, r));
                if neg {
                    NRule::And(vec![x, y])
                } else {
                    NRule::Or(vec![x, y])
                }
            }
            Expr::Atom(a) => {
                let issue = &sc.issues[a.issue];
                let mut allowed = a.mask(issue);
                let mut atom = a.clone();
                if neg {
                    allowed.iter_mut().for_each(|x| *x = !*x);
                    atom.op = negate(a.op);
                }
                let k = self.atoms.len();
                let owner = Owner::RedLine(r);
                let ranged = issue.is_ordered()
                    && !matches!(atom.op, CmpOp::Ne | CmpOp::NotIn)
                    && allowed.iter().any(|&x| x);
                let n = allowed.len();
                let range = ranged.then(|| {
                    let lo = allowed.iter().position(|&x| x).unwrap_or(0);
                    let hi = allowed.iter().rposition(|&x| x).unwrap_or(0);
                    (lo, hi)
                });
                let max = self.max as usize;
                let (down, up) = match range {
                    Some((lo, hi)) => (
                        (1..=lo.min(max))
                            .map(|s| self.unit(owner, k, UnitKind::Down(s as u32)))
                            .collect(),
                        (1..=(n - 1 - hi).min(max))
                            .map(|s| self.unit(owner, k, UnitKind::Up(s as u32)))
                            .collect(),
                    ),
                    None => (Vec::new(), Vec::new()),
                };
                let admit = (0..n)
                    .map(|l| {
                        let inside = range.is_none_or(|(lo, hi)| lo < l && l < hi);
                        if !allowed[l] && inside {
                            self.unit(owner, k, UnitKind::Admit(l))
                        } else {
                            INF
                        }
                    })
                    .collect();
                self.atoms.push(NAtom {
                    issue: a.issue,
                    allowed,
                    range,
                    down,
                    up,
                    admit,
                    atom,
                });
                NRule::Atom(k)
            }
        }
    }

    fn atom_size(&self, a: &NAtom, l: usize) -> u32 {
        if a.allowed[l] {
            return 0;
        }
        match a.range {
            Some((lo, _)) if l < lo => {
                let k = lo - l;
                if k <= a.down.len() {
                    k as u32
                } else {
                    INF
                }
            }
            Some((_, hi)) if l > hi => {
                let k = l - hi;
                if k <= a.up.len() {
                    k as u32
                } else {
                    INF
                }
            }
            _ if a.admit[l] != INF => 1,
            _ => INF,
        }
    }

    fn size(&self, r: &NRule, levels: &[usize]) -> u32 {
        match r {
            NRule::Const(b) => {
                if *b {
                    0
                } else {
                    INF
                }
            }
            NRule::Atom(k) => {
                let a = &self.atoms[*k];
                self.atom_size(a, levels[a.issue])
            }
            NRule::And(xs) => xs
                .iter()
                .try_fold(0u32, |s, x| match self.size(x, levels) {
                    INF => None,
                    v => Some(s.saturating_add(v)),
                })
                .unwrap_or(INF),
            NRule::Or(xs) => xs.iter().map(|x| self.size(x, levels)).min().unwrap_or(INF),
        }
    }

    /// The alternatives of least size (all of size `self.size(r)`).
    fn alts(&self, r: &NRule, levels: &[usize], cut: &mut bool) -> Vec<Vec<u32>> {
        match r {
            NRule::Const(_) => vec![Vec::new()],
            NRule::Atom(k) => {
                let a = &self.atoms[*k];
                let l = levels[a.issue];
                let units = if a.allowed[l] {
                    Vec::new()
                } else {
                    match a.range {
                        Some((lo, _)) if l < lo => a.down[..lo - l].to_vec(),
                        Some((_, hi)) if l > hi => a.up[..l - hi].to_vec(),
                        _ => vec![a.admit[l]],
                    }
                };
                vec![units]
            }
            NRule::And(xs) => {
                let mut out = vec![Vec::new()];
                for x in xs {
                    out = product(&out, &self.alts(x, levels, cut), cut);
                }
                out
            }
            NRule::Or(xs) => {
                let best = self.size(r, levels);
                let mut out: Vec<Vec<u32>> = Vec::new();
                for x in xs.iter().filter(|x| self.size(x, levels) == best) {
                    for alt in self.alts(x, levels, cut) {
                        if !out.contains(&alt) {
                            out.push(alt);
                        }
                    }
                }
                if out.len() > MAX_ALTERNATIVES {
                    out.truncate(MAX_ALTERNATIVES);
                    *cut = true;
                }
                out
            }
        }
    }

    /// Notches that lower actor `a`'s reservation `d` to utility `u`.
    fn res_size(&self, a: usize, u: f64, d: f64) -> u32 {
        let step = self.res_step[a];
        if self.res_units[a].is_empty() || step <= 0.0 {
            return INF;
        }
        let mut k = (((d - u) / step) - 1e-9).ceil().max(1.0) as u32;
        while u < d - k as f64 * step && k as usize <= self.res_units[a].len() {
            k += 1;
        }
        if k as usize <= self.res_units[a].len() {
            k
        } else {
            INF
        }
    }

    /// Whether [`Notcher::visit`] dismisses an outcome of mask `m` whatever
    /// its utilities: broken hard constraints, or more broken constraints
    /// than the fewest notches met (which only fall, so a dismissal stays).
    #[inline]
    pub(crate) fn dismisses(&self, acc: &NotchAcc, m: u128, runs: bool) -> bool {
        self.dismisses_always(m, runs)
            || acc.best == 0
            || (m != 0 && m.count_ones() > acc.best.min(self.max))
    }

    /// Whether [`Notcher::dismisses`] holds for every accumulator, whatever
    /// notches it has met: a process that needs a waiver, broken hard
    /// constraints, or more broken constraints than the most notches.
    #[inline]
    pub(crate) fn dismisses_always(&self, m: u128, runs: bool) -> bool {
        !runs || (m != 0 && (m & self.hard != 0 || m.count_ones() > self.max))
    }

    /// Looks at one outcome of the first pass. `runs` says whether its
    /// process can be ordered without a waiver.
    pub(crate) fn visit(&self, acc: &mut NotchAcc, leaf: &Leaf, runs: bool, d: &[f64]) {
        let m = leaf.mask;
        if self.dismisses(acc, m, runs) {
            return;
        }
        if m == 0 {
            // A deal exists: no move is needed.
            acc.best = 0;
            acc.table.clear();
            return;
        }
        let bound = acc.best.min(self.max);
        let mut total = 0u32;
        let mut bits = m;
        while bits != 0 {
            let b = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let s = if b < self.n_red {
                self.size(&self.rules[b], leaf.levels)
            } else {
                let a = b - self.n_red;
                self.res_size(a, leaf.utils[a], d[a])
            };
            total = total.saturating_add(s);
            if total > bound {
                return;
            }
        }
        if total < acc.best {
            acc.best = total;
            acc.table.clear();
        }
        let mut cut = false;
        let mut alts = vec![Vec::new()];
        let mut bits = m;
        while bits != 0 {
            let b = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let mine = if b < self.n_red {
                self.alts(&self.rules[b], leaf.levels, &mut cut)
            } else {
                let a = b - self.n_red;
                let k = self.res_size(a, leaf.utils[a], d[a]) as usize;
                vec![self.res_units[a][..k].to_vec()]
            };
            alts = product(&alts, &mine, &mut cut);
        }
        acc.truncated |= cut;
        let mut dd = d.to_vec();
        let mut steps = vec![0u32; d.len()];
        for alt in alts {
            steps.iter_mut().for_each(|k| *k = 0);
            for &u in &alt {
                if let Unit {
                    owner: Owner::Reservation(a),
                    kind: UnitKind::Step,
                    ..
                } = self.units[u as usize]
                {
                    steps[a] += 1;
                }
            }
            for (a, x) in dd.iter_mut().enumerate() {
                *x = (d[a] - steps[a] as f64 * self.res_step[a]).max(0.0);
            }
            let score = nash_product(leaf.utils, &dd);
            let e = acc.table.entry(alt).or_insert((
                0,
                Best {
                    score,
                    index: leaf.index,
                },
            ));
            e.0 += 1;
            if score > e.1.score {
                e.1 = Best {
                    score,
                    index: leaf.index,
                };
            }
        }
    }

    /// The report: the smallest moves, least cost first.
    pub(crate) fn report(
        &self,
        sc: &Scenario,
        acc: NotchAcc,
        costs: &[f64],
        max_moves: usize,
        solution: &dyn Fn(Best) -> Solution,
    ) -> Notches {
        let fewest = (acc.best != INF && acc.best <= self.max && acc.best > 0).then_some(acc.best);
        let cost_of = |alt: &[u32]| -> f64 {
            alt.iter()
                .map(|&u| match self.units[u as usize].owner {
                    Owner::RedLine(r) => costs[r],
                    Owner::Reservation(a) => costs[self.n_red + a],
                })
                .sum()
        };
        let mut moves: Vec<(f64, Vec<u32>, u64, Best)> = match fewest {
            Some(_) => acc
                .table
                .into_iter()
                .map(|(alt, (n, b))| (cost_of(&alt), alt, n, b))
                .collect(),
            None => Vec::new(),
        };
        moves.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(&b.1)));
        let total = moves.len();
        moves.truncate(max_moves);
        Notches {
            max_notches: self.max,
            fewest,
            moves: moves
                .into_iter()
                .map(|(cost, alt, n, b)| NotchMove {
                    notches: alt.len() as u32,
                    cost,
                    changes: self.changes(sc, &alt),
                    zopa_size: n,
                    nash: Some(solution(b)),
                })
                .collect(),
            moves_total: total,
            truncated: total > max_moves,
            alternatives_truncated: acc.truncated,
        }
    }

    fn changes(&self, sc: &Scenario, alt: &[u32]) -> Vec<NotchChange> {
        let mut owners: Vec<Owner> = Vec::new();
        for &u in alt {
            let o = self.units[u as usize].owner;
            if !owners.contains(&o) {
                owners.push(o);
            }
        }
        owners.sort_by_key(|o| match *o {
            Owner::RedLine(r) => (0, r),
            Owner::Reservation(a) => (1, a),
        });
        owners
            .into_iter()
            .map(|o| {
                let mine: Vec<Unit> = alt
                    .iter()
                    .map(|&u| self.units[u as usize])
                    .filter(|u| u.owner == o)
                    .collect();
                let notches = mine.len() as u32;
                match o {
                    Owner::RedLine(r) => {
                        let rl = &sc.red_lines[r];
                        let to = self.relaxed(sc, &self.rules[r], &mine);
                        NotchChange {
                            kind: ConstraintKind::RedLine,
                            id: rl.id.clone(),
                            actor: sc.actors[rl.actor].id.clone(),
                            notches,
                            from: rl.rule.to_text(&sc.issues),
                            to: to.to_text(&sc.issues),
                            source: rl.provenance.source.clone(),
                            from_rule: Some(rl.rule.clone()),
                            to_rule: Some(to),
                        }
                    }
                    Owner::Reservation(a) => {
                        let res = &sc.preferences[a].reservation;
                        let lowered = res.value - notches as f64 * self.res_step[a];
                        NotchChange {
                            kind: ConstraintKind::Reservation,
                            id: "reservation".into(),
                            actor: sc.actors[a].id.clone(),
                            notches,
                            from: format!("utility >= {}", fmt_num(res.value)),
                            to: format!("utility >= {}", fmt_num(round9(lowered))),
                            source: res.provenance.source.clone(),
                            from_rule: None,
                            to_rule: None,
                        }
                    }
                }
            })
            .collect()
    }

    /// The red line's rule with the move's units applied.
    fn relaxed(&self, sc: &Scenario, r: &NRule, units: &[Unit]) -> Expr {
        match r {
            NRule::Const(true) => Expr::True,
            NRule::Const(false) => Expr::False,
            NRule::And(xs) => {
                // A part loosened to "anything" leaves the conjunction.
                let kept: Vec<Expr> = xs
                    .iter()
                    .map(|x| self.relaxed(sc, x, units))
                    .filter(|e| *e != Expr::True)
                    .collect();
                match kept.len() {
                    0 => Expr::True,
                    1 => kept.into_iter().next().unwrap_or(Expr::True),
                    _ => Expr::And(kept),
                }
            }
            NRule::Or(xs) => {
                let parts: Vec<Expr> = xs.iter().map(|x| self.relaxed(sc, x, units)).collect();
                if parts.contains(&Expr::True) {
                    Expr::True
                } else {
                    Expr::Or(parts)
                }
            }
            NRule::Atom(k) => {
                let a = &self.atoms[*k];
                let mut allowed = a.allowed.clone();
                let mut changed = false;
                for u in units.iter().filter(|u| u.atom == *k) {
                    let l = match (u.kind, a.range) {
                        (UnitKind::Down(s), Some((lo, _))) => lo - s as usize,
                        (UnitKind::Up(s), Some((_, hi))) => hi + s as usize,
                        (UnitKind::Admit(l), _) => l,
                        _ => continue,
                    };
                    allowed[l] = true;
                    changed = true;
                }
                if changed {
                    let falling = matches!(a.atom.op, CmpOp::Le | CmpOp::Lt);
                    render_allowed(&sc.issues[a.issue], a.issue, &allowed, falling)
                } else {
                    Expr::Atom(a.atom.clone())
                }
            }
        }
    }
}

fn round9(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// The shortest rule admitting exactly the given levels of one issue (an
/// upper bound rather than a lower one, when every level is admitted and
/// the rule was `<=`).
fn render_allowed(issue: &Issue, i: usize, allowed: &[bool], falling: bool) -> Expr {
    let n = allowed.len();
    let rhs = |l: usize| match issue.kind {
        crate::model::IssueKind::Options { .. } => Rhs::Option(l),
        crate::model::IssueKind::Numeric { .. } => Rhs::Number(issue.scalar(l)),
    };
    let atom = |op: CmpOp, rhs: Rhs| Expr::Atom(Atom { issue: i, op, rhs });
    let lo = allowed.iter().position(|&x| x).unwrap_or(0);
    let hi = allowed.iter().rposition(|&x| x).unwrap_or(0);
    let contiguous = allowed[lo..=hi].iter().all(|&x| x);
    if contiguous && issue.is_ordered() && hi > lo {
        return match (lo == 0, hi == n - 1) {
            (true, true) if falling => atom(CmpOp::Le, rhs(hi)),
            (true, true) => atom(CmpOp::Ge, rhs(lo)),
            (true, false) => atom(CmpOp::Le, rhs(hi)),
            (false, true) => atom(CmpOp::Ge, rhs(lo)),
            (false, false) => Expr::And(vec![atom(CmpOp::Ge, rhs(lo)), atom(CmpOp::Le, rhs(hi))]),
        };
    }
    let set = |want: bool| -> Vec<f64> {
        (0..n)
            .filter(|&l| allowed[l] == want)
            .map(|l| issue.scalar(l))
            .collect()
    };
    let yes = set(true);
    if yes.len() == n {
        return Expr::True;
    }
    if yes.len() == 1 {
        return atom(CmpOp::Eq, rhs(lo));
    }
    let no = set(false);
    if no.len() < yes.len() {
        if no.len() == 1 {
            let l = allowed.iter().position(|&x| !x).unwrap_or(0);
            return atom(CmpOp::Ne, rhs(l));
        }
        return atom(CmpOp::NotIn, Rhs::Set(no));
    }
    atom(CmpOp::In, Rhs::Set(yes))
}

/// Every union of one alternative from each side, without repeats.
fn product(a: &[Vec<u32>], b: &[Vec<u32>], cut: &mut bool) -> Vec<Vec<u32>> {
    let mut out: Vec<Vec<u32>> = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut z: Vec<u32> = x.iter().chain(y).copied().collect();
            z.sort_unstable();
            z.dedup();
            if !out.contains(&z) {
                if out.len() == MAX_ALTERNATIVES {
                    *cut = true;
                    return out;
                }
                out.push(z);
            }
        }
    }
    out
}

//! The exact scan: a depth-first walk over the outcome space, split into
//! chunks that rayon runs in parallel. Utilities are accumulated issue by
//! issue along the walk, so a leaf costs O(actors) rather than
//! O(actors × issues), and infeasible prefixes are skipped whole.

use super::masks::MaskHasher;
use super::Best;
use crate::model::{Atom, Expr, IssuePref, OutcomeSpace, Scenario};
use crate::{Error, Progress};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// A compiled expression: atoms become per-level truth tables.
pub(crate) enum CExpr {
    Const(bool),
    Atom { issue: usize, mask: Vec<bool> },
    Not(Box<CExpr>),
    And(Vec<CExpr>),
    Or(Vec<CExpr>),
    Implies(Box<CExpr>, Box<CExpr>),
}

impl CExpr {
    pub(crate) fn compile(e: &Expr, sc: &Scenario) -> CExpr {
        let atom = |a: &Atom| CExpr::Atom {
            issue: a.issue,
            mask: a.mask(&sc.issues[a.issue]),
        };
        match e {
            Expr::True => CExpr::Const(true),
            Expr::False => CExpr::Const(false),
            Expr::Atom(a) => atom(a),
            Expr::Not(x) => CExpr::Not(Box::new(CExpr::compile(x, sc))),
            Expr::And(xs) => CExpr::And(xs.iter().map(|x| CExpr::compile(x, sc)).collect()),
            Expr::Or(xs) => CExpr::Or(xs.iter().map(|x| CExpr::compile(x, sc)).collect()),
            Expr::Implies(a, b) => CExpr::Implies(
                Box::new(CExpr::compile(a, sc)),
                Box::new(CExpr::compile(b, sc)),
            ),
        }
    }

    pub(crate) fn eval(&self, levels: &[usize]) -> bool {
        match self {
            CExpr::Const(b) => *b,
            CExpr::Atom { issue, mask } => mask[levels[*issue]],
            CExpr::Not(e) => !e.eval(levels),
            CExpr::And(es) => es.iter().all(|e| e.eval(levels)),
            CExpr::Or(es) => es.iter().any(|e| e.eval(levels)),
            CExpr::Implies(a, b) => !a.eval(levels) || b.eval(levels),
        }
    }
}

/// What one soft constraint (a bit of the violation mask) stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SoftKind {
    RedLine(usize),
    Reservation(usize),
    Ratification(usize),
    /// A process constraint: precondition `c`, or deadline `c − P`.
    Process(usize),
}

struct Deferred {
    expr: CExpr,
    /// The issues it names.
    issues: Vec<usize>,
    /// `None` for a feasibility rule, `Some(bit)` for a soft constraint.
    bit: Option<usize>,
}

struct CBloc {
    row: usize,
    threshold: f64,
    seats: f64,
    /// Index of its condition in `Compiled::conds`.
    requires: Option<usize>,
}

struct CRatifier {
    bit: usize,
    needed: f64,
    /// When the body votes (a condition index); it neither accepts nor
    /// blocks elsewhere.
    applies: Option<usize>,
    /// Deal-dependent seat counts needed, first match wins.
    quotas: Vec<(usize, f64)>,
    blocs: Vec<CBloc>,
}

/// The fewest leaves a subtree needs for its node to try settling the
/// leaves' utility tests (flagship instructions from 4, 8 and 16 leaves:
/// 8.6, 8.2 and 8.0·10⁹; with the near-miss parts, from 32 and 128: 7.8
/// and 7.9·10⁹).
const SETTLE_LEAVES: usize = 32;

/// The fewest chunks of a scan, and the most outcomes in one.
const CHUNKS: u64 = 256;
const CHUNK_OUTCOMES: u64 = 1 << 16;

/// The same for a grouped scan (see [`Compiled::scan_fold_grouped`]). On
/// the flagship, 32 chunks take a tenth less CPU than 273 and the two
/// threads' wall time falls with it; 16 and 8 chunks gain nothing more.
const GROUPED_CHUNKS: u64 = 32;
const GROUPED_CHUNK_OUTCOMES: u64 = 1 << 21;

/// The most entries a depth's rule table may have; beyond, its rules are
/// evaluated as trees.
const MAX_TABLE: usize = 1 << 12;

/// The most outcomes below a node whose subtree a grouped scan memoises
/// (see [`Suffix`]): the deepest issues whose levels multiply to at most
/// this (at most 16, the groups' bit set in [`PairCount::scored`]). On the
/// flagship: its last three issues, 12 outcomes below each of 1.1 M nodes
/// (suffixes of 36 and 108 outcomes were no faster: fewer nodes, but each
/// fills more often and hands over nearly as many groups).
const SUFFIX_LEAVES: usize = 16;
const _: () = assert!(SUFFIX_LEAVES <= 16);

/// The most key slots of a scan state's [`SuffixMemo`] (48 bytes each, and
/// twice as many counts of 48 bytes). On the flagship (25,321 distinct
/// keys) 2¹⁵ slots fill one node in 26, 2¹⁴ one in 19 for 7% more
/// instructions.
const SUFFIX_SLOTS: usize = 1 << 15;

/// A label of each outcome read off a table over some of its issues (its
/// process network): a grouped scan hands it with each group, so that the
/// groups it hands are uniform in it.
pub(crate) struct Tags<'a> {
    /// The issues the table reads, with their strides in it.
    pub issues: Vec<(usize, usize)>,
    /// The label per combination of their levels.
    pub table: &'a [u32],
}

impl Tags<'_> {
    /// The label of an outcome.
    #[inline]
    fn of(&self, levels: &[usize]) -> u32 {
        self.table[self
            .issues
            .iter()
            .map(|&(i, s)| levels[i] * s)
            .sum::<usize>()]
    }
}

/// How a grouped scan's consumer takes a group (see [`Grouping::bulk`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Take {
    /// Outcome by outcome.
    One,
    /// At once, whatever its outcomes' utilities.
    All,
    /// At once, with its best outcome by [`Grouping::score`] in
    /// [`Group::top`]: the scan sums its outcomes' utilities but hands
    /// none of them to `leaf`.
    Scored,
}

/// Outcomes of one subtree that break the same soft constraints and extra
/// rules and share their tag, handed to a grouped scan's consumer at once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Group {
    /// The violated soft constraints of `soft` (as [`Leaf::mask`]).
    pub mask: u128,
    /// The violated extra rules (as [`Leaf::extra`]).
    pub extra: u128,
    /// Their tag (0 without [`Tags`]).
    pub tag: u32,
    /// How many outcomes.
    pub count: u64,
    /// The lowest index among them.
    pub index: u64,
    /// Their best by [`Grouping::score`], ties to the lowest index, when
    /// the consumer asked for it ([`Take::Scored`]).
    pub top: Option<Best>,
}

/// How a grouped scan's consumer takes groups of outcomes instead of one
/// outcome at a time.
pub(crate) struct Grouping<'a, A> {
    /// The label each group is uniform in.
    pub tags: Option<Tags<'a>>,
    /// Whether the consumer can take a group's outcomes by `add` without
    /// seeing each (else `leaf` sees each of them). It is asked for the
    /// groups below a node that `lasting` cannot answer, before any outcome
    /// below it is taken, and a node whose groups were all taken so is
    /// counted, unasked, with later nodes of the same groups and prefix
    /// violations in the chunk: an answer other than [`Take::One`] must
    /// stay true while the chunk's accumulator takes more outcomes.
    pub bulk: &'a (dyn Fn(&A, &Group) -> Take + Sync),
    /// How the consumer takes a group in this chunk and every later one,
    /// whatever its accumulators, when it can tell without them ([`Take::One`]
    /// when it cannot: `bulk` is then asked). The scan keeps these answers
    /// across chunks, so an answer other than
    /// [`Take::One`] must stay true for the rest of the scan; it may rest on
    /// state the chunks share that only ever allows more (a bound that only
    /// falls).
    pub lasting: &'a (dyn Fn(&Group) -> Take + Sync),
    /// A score of an outcome's actors' utilities, for the groups the
    /// consumer takes with their best outcome by it ([`Take::Scored`]).
    pub score: &'a (dyn Fn(&[f64]) -> f64 + Sync),
    /// Takes a group's outcomes. Groups come when convenient (before the
    /// chunk's accumulator is returned), not in index order: what `add`
    /// does must not depend on the order.
    pub add: &'a (dyn Fn(&mut A, &Group) + Sync),
}

/// The deepest issues of the walk, below a node where a grouped scan takes
/// the node's outcomes in groups. Which outcomes below the node fall in
/// which group depends on the node only through its violations and
/// conditions, the levels of the earlier issues the suffix's tables and
/// the tags read, and, per test row, where the node's partial utility
/// falls among the row's *breakpoints*: for each outcome of the suffix and
/// each threshold of the row, the least partial utility from which the
/// outcome's utility, summed issue by issue as the walk sums it, reaches
/// the threshold (rounded addition is monotone, so the outcome reaches it
/// exactly from there up). Nodes that agree on these share their groups,
/// which a memo keeps.
struct Suffix {
    /// The depth of the nodes it hangs below.
    start: usize,
    /// How many outcomes below each such node.
    leaves: usize,
    /// Per outcome below, in index order, its suffix levels (flat, one run
    /// of `radix.len() − start` per outcome).
    levels: Vec<usize>,
    /// The earlier issues the suffix's tables and the tags read, with their
    /// multipliers in the memo key.
    rel: Vec<(usize, u64)>,
    /// Per combination of the earlier levels `rel` reads (one combination
    /// for all when they are too many) and test row, the breakpoints of its
    /// feasible outcomes in ascending order: `breaks[r * rows + k]`.
    breaks: Vec<Vec<f64>>,
    /// Whether `breaks` has one combination per value of the `rel` key.
    per_rel: bool,
    /// When `breaks` has one combination per value of the `rel` key and
    /// the table is small: per combination and test row, the outcome (its
    /// offset below the node) of each breakpoint; and per combination and
    /// outcome, what the walk below a node finds besides the tests. A
    /// node's groups are then read off its key (see
    /// [`Compiled::fill_from_key`]) instead of walked.
    owners: Option<(Vec<Vec<u8>>, Vec<SuffixLeaf>)>,
    /// Per test row, where its breakpoint count sits in the memo key.
    shifts: Vec<u32>,
    /// The slots of a memo of its nodes (a power of two): a sixteenth of
    /// the nodes, from 16 up to [`SUFFIX_SLOTS`], so that a small space
    /// does not clear megabytes for a few hundred nodes.
    slots: usize,
}

/// `p` plus each run of `terms` in turn, element by element (the first `N`
/// of each): a suffix outcome's utilities as the walk sums them.
#[inline(always)]
fn sum_terms<'a, const N: usize>(p: &[f64], terms: impl Iterator<Item = &'a [f64]>) -> [f64; N] {
    let mut u: [f64; N] = p[..N].try_into().expect("N utilities");
    for t in terms {
        for (a, x) in u.iter_mut().zip(&t[..N]) {
            *a += x;
        }
    }
    u
}

/// The least `p` (in the total order of floats) from which `sum(p)`
/// reaches `threshold`, for a monotone `sum`: `+∞` when none does.
fn least_reaching(threshold: f64, sum: impl Fn(f64) -> f64) -> f64 {
    // Floats mapped to integers in the same order (negatives below
    // positives, −0 just below +0), so the search is a bisection on them.
    let key = |x: f64| {
        let b = x.to_bits();
        if b >> 63 == 1 {
            !b
        } else {
            b | 1 << 63
        }
    };
    let float = |k: u64| f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k });
    let reaches = |k: u64| sum(float(k)) >= threshold;
    let (mut lo, mut hi) = (key(f64::NEG_INFINITY), key(f64::INFINITY));
    if reaches(lo) {
        return f64::NEG_INFINITY;
    }
    if !reaches(hi) {
        return f64::INFINITY;
    }
    // `lo` does not reach, `hi` does.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reaches(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    float(hi)
}

/// How many of the ascending breakpoints `b` a partial utility `p`
/// reaches (`x ≤ p`), by a bisection without branches: each step's
/// comparison picks the next base by a conditional move. `≤` on floats
/// agrees with the total order the breakpoints are sorted in here: a sum
/// reaches a threshold from −0 exactly when from +0, so no breakpoint is +0
/// (the search for them finds −0 first), and none is NaN.
#[inline]
fn count_reached(b: &[f64], p: f64) -> usize {
    let Some(&last) = b.last() else {
        return 0;
    };
    if last <= p {
        return b.len();
    }
    // The answer lies in `base..base + size`.
    let (mut base, mut size) = (0usize, b.len());
    while size > 1 {
        let half = size / 2;
        if b[base + half - 1] <= p {
            base += half;
        }
        size -= half;
    }
    base
}

impl Suffix {
    /// The suffix of a grouped scan whose chunks fix `prefix` issues, or
    /// `None` when it does not apply: no grouped tests, a multi-issue rule
    /// left as a tree below it, a term that is not finite, or a memo key
    /// that would not fit.
    fn new(c: &Compiled, tags: Option<&Tags>, prefix: usize) -> Option<Suffix> {
        let radix = c.radix();
        let n = radix.len();
        if c.tests.is_empty() || c.terms.iter().flatten().any(|x| !x.is_finite()) {
            return None;
        }
        let mut start = n;
        let mut leaves = 1usize;
        while start > prefix {
            match leaves.checked_mul(radix[start - 1]) {
                Some(z) if z <= SUFFIX_LEAVES => leaves = z,
                _ => break,
            }
            start -= 1;
        }
        if start == n || c.deferred[start..].iter().any(|d| !d.is_empty()) {
            return None;
        }
        let mut read: Vec<usize> = c.walk[start..]
            .iter()
            .flat_map(|w| w.earlier.iter().map(|&(i, _)| i))
            .chain(tags.iter().flat_map(|t| t.issues.iter().map(|&(i, _)| i)))
            .filter(|&i| i < start)
            .collect();
        read.sort_unstable();
        read.dedup();
        let mut rel = Vec::with_capacity(read.len());
        let mut m = 1u64;
        for i in read {
            rel.push((i, m));
            m = m.checked_mul(radix[i] as u64)?;
        }
        let w = n - start;
        let mut levels = Vec::with_capacity(leaves * w);
        let mut lv = vec![0usize; w];
        for _ in 0..leaves {
            levels.extend_from_slice(&lv);
            for k in (0..w).rev() {
                lv[k] += 1;
                if lv[k] < radix[start + k] {
                    break;
                }
                lv[k] = 0;
            }
        }
        // Each suffix outcome's breakpoints, per test row and threshold.
        let points: Vec<Vec<f64>> = c
            .tests
            .iter()
            .map(|t| {
                let mut b = Vec::with_capacity(leaves * t.thresholds.len());
                for q in levels.chunks(w) {
                    let sum = |p: f64| {
                        q.iter()
                            .enumerate()
                            .fold(p, |u, (k, &l)| u + c.terms[start + k][l * c.n_rows + t.row])
                    };
                    b.extend(t.thresholds.iter().map(|&thr| least_reaching(thr, sum)));
                }
                b
            })
            .collect();
        // Only the outcomes feasible under a node's earlier levels tell its
        // nodes apart: with few combinations of those levels, each gets the
        // breakpoints of its feasible outcomes alone.
        let exact = m <= MAX_TABLE as u64;
        let combos = if exact { m as usize } else { 1 };
        let mut feasible = vec![true; combos * leaves];
        let mut found = Vec::new();
        if exact {
            let mut lv = vec![0usize; n];
            for r in 0..combos {
                for &(i, mult) in &rel {
                    lv[i] = (r as u64 / mult) as usize % radix[i];
                }
                for (q, ql) in levels.chunks(w).enumerate() {
                    lv[start..].copy_from_slice(ql);
                    let mut x = SuffixLeaf {
                        infeasible: false,
                        viol: 0,
                        cond: 0,
                        tag: tags.map_or(0, |t| t.of(&lv)),
                    };
                    for d in start..n {
                        let e = &c.walk[d].entries[c.walk_base_of(&lv, d) + lv[d]];
                        if e.infeasible {
                            x.infeasible = true;
                            break;
                        }
                        x.viol |= e.viol;
                        x.cond |= e.cond;
                    }
                    feasible[r * leaves + q] = !x.infeasible;
                    found.push(x);
                }
            }
        }
        let mut breaks = Vec::with_capacity(combos * c.tests.len());
        let mut owners = Vec::with_capacity(combos * c.tests.len());
        let mut longest = vec![0usize; c.tests.len()];
        for r in 0..combos {
            for (k, t) in c.tests.iter().enumerate() {
                let nt = t.thresholds.len();
                // Each breakpoint with its outcome, in ascending order (a
                // stable sort: ties keep the outcomes' order).
                let mut b: Vec<(f64, u8)> = (0..leaves)
                    .filter(|&q| feasible[r * leaves + q])
                    .flat_map(|q| {
                        points[k][q * nt..(q + 1) * nt]
                            .iter()
                            .map(move |&x| (x, q as u8))
                    })
                    .collect();
                b.sort_by(|x, y| x.0.total_cmp(&y.0));
                longest[k] = longest[k].max(b.len());
                breaks.push(b.iter().map(|x| x.0).collect());
                owners.push(b.iter().map(|x| x.1).collect());
            }
        }
        let mut shifts = Vec::with_capacity(c.tests.len());
        let mut bits = 0u32;
        for &z in &longest {
            shifts.push(bits);
            bits += u64::BITS - (z as u64).leading_zeros();
        }
        if bits > u64::BITS {
            return None;
        }
        Some(Suffix {
            start,
            leaves,
            levels,
            rel,
            breaks,
            per_rel: combos > 1,
            owners: (exact && found.len() <= MAX_SUFFIX_TABLE).then_some((owners, found)),
            shifts,
            slots: usize::try_from(c.total / leaves as u64 / 16)
                .unwrap_or(usize::MAX)
                .clamp(16, SUFFIX_SLOTS)
                .next_power_of_two(),
        })
    }
}

/// What the walk finds at one outcome below a suffix's node, for one
/// combination of the earlier levels the suffix reads, besides its tests.
#[derive(Clone, Copy)]
struct SuffixLeaf {
    /// A feasibility rule fails on the way.
    infeasible: bool,
    /// The soft constraints and extra rules violated on the way.
    viol: u128,
    /// The ratifier conditions found to hold on the way.
    cond: u128,
    /// The outcome's tag (0 without [`Tags`]).
    tag: u32,
}

/// The most entries of [`Suffix::owners`]' per-outcome table.
const MAX_SUFFIX_TABLE: usize = 1 << 14;

/// A node's memo key below which a [`Suffix`] is taken in groups.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
struct SuffixKey {
    cond: u128,
    /// The levels of the suffix's earlier issues, mixed radix.
    rel: u64,
    /// Per test row, how many of its breakpoints the node's partial
    /// utility reaches, packed.
    reached: u64,
}

/// One group of a memoised suffix, relative to its node, its violations
/// left out (they are the same for every outcome below a node, and keying
/// the memo on them would split it for nothing).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
struct SuffixGroup {
    mask: u128,
    extra: u128,
    tag: u32,
    count: u32,
    /// The suffix offset of its first outcome.
    first: u32,
    /// Where its outcomes start in its fill's run of
    /// [`SuffixMemo::members`] (set when the fill is interned).
    at: u8,
}

impl SuffixGroup {
    /// The group below a node whose prefix violates `viol` and whose first
    /// outcome has index `base`, counted for `nodes` such nodes.
    #[inline]
    fn below(&self, viol: u128, base: u64, nodes: u64, main_bits: u128) -> Group {
        Group {
            mask: self.mask | (viol & main_bits),
            extra: self.extra | (viol & !main_bits),
            tag: self.tag,
            count: u64::from(self.count) * nodes,
            index: base + u64::from(self.first),
            top: None,
        }
    }
}

/// Nodes whose suffix has one fill and whose prefixes break the same soft
/// constraints, every group of which was found taken in bulk: counted
/// rather than handed over one at a time. Keyed by the fill, not by the
/// node's key, since many keys share a fill (on the flagship 25,321 keys,
/// 4,934 fills, 30,599 pairs of a fill and violations).
#[derive(Clone, Copy)]
struct PairCount {
    /// The violations of their prefixes.
    viol: u128,
    /// How many nodes (0: none since the count was last handed over).
    hits: u64,
    /// The least index of the first outcome below one of them.
    first_base: u64,
    /// The fill (`NO_FILL`: the entry is free).
    fill: u32,
    /// The chunk (its serial, see `State::chunk`) whose nodes it counts,
    /// unless `lasting`.
    chunk: u32,
    /// The groups (a bit each) taken with their best outcome
    /// ([`Take::Scored`]): each node's best of each joins the count's in
    /// [`SuffixMemo::tops`].
    scored: u16,
    /// Whether every group's answer came from [`Grouping::lasting`]: the
    /// count then holds in every chunk and is handed over when evicted or
    /// at the end of the scan; otherwise at the end of its chunk.
    lasting: bool,
    /// Where the best outcomes of its scored groups start in
    /// [`SuffixMemo::tops`], one per group in order.
    tops: u32,
}

/// A free [`PairCount`] or key slot.
const NO_FILL: u32 = u32::MAX;

/// No best outcome yet: any score beats it.
const NO_BEST: Best = Best {
    score: f64::NEG_INFINITY,
    index: 0,
};

impl PairCount {
    const FREE: PairCount = PairCount {
        viol: 0,
        hits: 0,
        first_base: 0,
        fill: NO_FILL,
        chunk: 0,
        scored: 0,
        lasting: false,
        tops: 0,
    };

    /// Whether a node of chunk `chunk` is counted here.
    #[inline]
    fn counts_in(&self, chunk: u32) -> bool {
        self.lasting || self.chunk == chunk
    }
}

/// The groups below one node as the walk finds them, and which group each
/// outcome below is in (`u8::MAX`: infeasible): a fill, interned by its
/// content.
#[derive(Default, Clone, PartialEq, Eq, Hash)]
struct SuffixFill {
    groups: Vec<SuffixGroup>,
    group_of: Vec<u8>,
}

impl SuffixFill {
    /// Empties it for a suffix of `leaves` outcomes, none feasible yet.
    fn reset(&mut self, leaves: usize) {
        self.groups.clear();
        self.group_of.clear();
        self.group_of.resize(leaves, u8::MAX);
    }

    /// Puts outcome `q` (outcomes come in index order) in the group of its
    /// violations and tag, a new one if none has them yet.
    fn add(&mut self, q: usize, mask: u128, extra: u128, tag: u32) {
        let same = |sg: &SuffixGroup| sg.mask == mask && sg.extra == extra && sg.tag == tag;
        let j = match self.groups.iter().position(same) {
            Some(j) => j,
            None => {
                self.groups.push(SuffixGroup {
                    mask,
                    extra,
                    tag,
                    count: 0,
                    first: q as u32,
                    at: 0,
                });
                self.groups.len() - 1
            }
        };
        self.groups[j].count += 1;
        self.group_of[q] = j as u8;
    }
}

/// The most fills a [`SuffixMemo`] interns per key slot before it starts
/// afresh (its counts handed over first), so that memory stays bounded on
/// spaces whose suffixes rarely repeat.
const FILLS_PER_SLOT: usize = 4;

/// The most probes of [`SuffixMemo::keys`] before a key's slot is taken
/// by another.
const KEY_PROBES: usize = 4;

/// The most probes of [`SuffixMemo::counts`] before a count is evicted.
const PROBES: usize = 8;

/// Memoised suffixes. A node's key finds its fill in `keys` (probed
/// [`KEY_PROBES`] deep); the fills sit interned in arenas of `leaves` outcomes
/// each; the nodes are counted per fill and prefix violations in `counts`
/// (open addressing, evicting after [`PROBES`] probes).
#[derive(Default)]
struct SuffixMemo {
    keys: Vec<(SuffixKey, u32)>,
    /// Per fill: where its groups start in `groups`, and how many.
    spans: Vec<(u32, u8)>,
    groups: Vec<SuffixGroup>,
    /// Per fill, `leaves` entries: each outcome's group.
    group_of: Vec<u8>,
    /// Per fill, `leaves` entries: its feasible outcomes group by group,
    /// in index order within each (see [`SuffixGroup::at`]).
    members: Vec<u8>,
    /// The fills' ids by content (hashed a word at a time, as the mask
    /// table's keys: the default hasher took half of a fill's cost).
    interned: HashMap<SuffixFill, u32, BuildHasherDefault<MaskHasher>>,
    counts: Vec<PairCount>,
    /// The counts' best outcomes of their scored groups so far (see
    /// [`PairCount::tops`]).
    tops: Vec<Best>,
    /// The counts that hold only in the current chunk, to hand over at its
    /// end (an index may repeat or name a count since reused).
    pending: Vec<usize>,
    /// Where a missing key's groups are gathered.
    fill: SuffixFill,
    /// The lasting answers met so far (see [`LastingMemo`]).
    lasting: LastingMemo,
}

/// Slots of a [`LastingMemo`].
const LASTING_SLOTS: usize = 1 << 12;

/// [`Grouping::lasting`]'s answers other than [`Take::One`] by group,
/// direct-mapped: they hold for the rest of the scan, and one group (its
/// violations and tag) recurs below many fills and prefixes, so most are
/// looked up rather than asked again.
#[derive(Default)]
struct LastingMemo {
    /// Per slot: the group's violations (soft constraints and extra rules
    /// together, their bits disjoint), its tag and the answer.
    slots: Vec<(u128, u32, Take)>,
}

impl LastingMemo {
    /// The lasting answer for `x`, asked of `lasting` unless known.
    #[inline]
    fn get(&mut self, x: &Group, lasting: &(dyn Fn(&Group) -> Take + Sync)) -> Take {
        if self.slots.is_empty() {
            self.slots = vec![(0, 0, Take::One); LASTING_SLOTS];
        }
        let key = x.mask | x.extra;
        let h = (key as u64 ^ (key >> 64) as u64 ^ u64::from(x.tag) << 40)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let slot = &mut self.slots[(h >> 52) as usize % LASTING_SLOTS];
        if slot.2 != Take::One && slot.0 == key && slot.1 == x.tag {
            return slot.2;
        }
        let take = lasting(x);
        if take != Take::One {
            *slot = (key, x.tag, take);
        }
        take
    }
}

impl SuffixMemo {
    /// Makes the tables for `slots` key slots (and twice as many counts),
    /// on first use.
    #[inline(always)]
    fn ready(&mut self, slots: usize) {
        if self.keys.is_empty() {
            self.make(slots);
        }
    }

    /// [`SuffixMemo::ready`]'s first use.
    #[cold]
    fn make(&mut self, slots: usize) {
        self.keys = vec![(SuffixKey::default(), NO_FILL); slots];
        self.counts = vec![PairCount::FREE; 2 * slots];
    }

    /// The fill of `key`, or the slot to put it in: the first free one of
    /// [`KEY_PROBES`] from its home, else its home.
    #[inline(always)]
    fn key_fill(&self, key: &SuffixKey) -> Result<u32, usize> {
        let n = self.keys.len();
        let home = key.slot(n);
        for p in 0..KEY_PROBES {
            let k = (home + p) & (n - 1);
            match &self.keys[k] {
                (x, f) if *f != NO_FILL && x == key => return Ok(*f),
                (_, f) if *f == NO_FILL => return Err(k),
                _ => {}
            }
        }
        Err(home)
    }

    /// The groups of fill `f`.
    #[inline]
    fn groups_of(&self, f: u32) -> &[SuffixGroup] {
        let (at, n) = self.spans[f as usize];
        &self.groups[at as usize..at as usize + usize::from(n)]
    }

    /// The interned id of the fill in `self.fill`.
    fn intern(&mut self) -> u32 {
        if let Some(&f) = self.interned.get(&self.fill) {
            return f;
        }
        let f = self.spans.len() as u32;
        let first = self.groups.len();
        self.spans
            .push((first as u32, self.fill.groups.len() as u8));
        self.groups.extend_from_slice(&self.fill.groups);
        self.group_of.extend_from_slice(&self.fill.group_of);
        let mut at = 0u8;
        for (j, sg) in self.groups[first..].iter_mut().enumerate() {
            sg.at = at;
            at += sg.count as u8;
            let of_j = self.fill.group_of.iter().enumerate();
            self.members.extend(
                of_j.filter(|&(_, &x)| usize::from(x) == j)
                    .map(|(q, _)| q as u8),
            );
        }
        let leaves = self.fill.group_of.len();
        self.members.resize(self.group_of.len(), u8::MAX);
        debug_assert_eq!(self.members.len(), (f as usize + 1) * leaves);
        self.interned.insert(self.fill.clone(), f);
        f
    }

    /// Whether the fills should start afresh before one more is interned.
    fn full(&self) -> bool {
        self.spans.len() >= FILLS_PER_SLOT * self.keys.len()
    }

    /// Whether the room the counts' best outcomes take (counts since
    /// replaced included) has grown large enough that the memo should start
    /// afresh before a node may add more.
    #[inline]
    fn tops_full(&self) -> bool {
        self.tops.len() + SUFFIX_LEAVES > SUFFIX_LEAVES * self.counts.len()
    }

    /// Room for `n` best outcomes of a new count (see
    /// [`SuffixMemo::tops_full`]).
    fn new_tops(&mut self, n: usize) -> u32 {
        let at = self.tops.len() as u32;
        self.tops.resize(self.tops.len() + n, NO_BEST);
        at
    }

    /// Hands every count over and forgets every key and fill.
    fn clear<A>(&mut self, main_bits: u128, acc: &mut A, grouping: &Grouping<A>) {
        self.hand_over(main_bits, acc, grouping);
        self.keys.fill((SuffixKey::default(), NO_FILL));
        self.counts.fill(PairCount::FREE);
        self.spans.clear();
        self.groups.clear();
        self.group_of.clear();
        self.members.clear();
        self.interned.clear();
        self.tops.clear();
        self.pending.clear();
    }

    /// Hands every count over.
    fn hand_over<A>(&mut self, main_bits: u128, acc: &mut A, grouping: &Grouping<A>) {
        for k in 0..self.counts.len() {
            self.flush(k, main_bits, acc, grouping);
        }
    }

    /// Hands the nodes of count `k` to the consumer, a group at a time,
    /// and zeroes it.
    fn flush<A>(&mut self, k: usize, main_bits: u128, acc: &mut A, grouping: &Grouping<A>) {
        let c = self.counts[k];
        if c.hits == 0 || c.fill == NO_FILL {
            return;
        }
        let mut top = c.tops as usize;
        for (j, sg) in self.groups_of(c.fill).iter().enumerate() {
            let mut x = sg.below(c.viol, c.first_base, c.hits, main_bits);
            if c.scored >> j & 1 != 0 {
                x.top = Some(self.tops[top]);
                top += 1;
            }
            (grouping.add)(acc, &x);
        }
        self.counts[k].hits = 0;
    }

    /// The count of fill `f` and violations `viol`, or a place for it (its
    /// former count handed over): the index and whether it was found.
    #[inline]
    fn find<A>(
        &mut self,
        f: u32,
        viol: u128,
        main_bits: u128,
        acc: &mut A,
        grouping: &Grouping<A>,
    ) -> (usize, bool) {
        let n = self.counts.len();
        let h = (viol as u64 ^ ((viol >> 64) as u64).rotate_left(29) ^ u64::from(f) << 40)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let home = (h >> 32) as usize & (n - 1);
        for p in 0..PROBES {
            let k = (home + p) & (n - 1);
            let c = &self.counts[k];
            if c.fill == f && c.viol == viol {
                return (k, true);
            }
            if c.fill == NO_FILL {
                return (k, false);
            }
        }
        self.flush(home, main_bits, acc, grouping);
        (home, false)
    }
}

/// A grouped scan's consumer and the suffix it groups.
struct Grouped<'a, A> {
    suffix: Suffix,
    grouping: &'a Grouping<'a, A>,
}

/// Everything decided when one issue is assigned and no earlier: the
/// multi-issue rules and the ratifiers' conditions whose deepest issue it
/// is, tabulated over the issues they name, so the scan looks one entry up
/// per node instead of walking rule trees.
struct DepthTable {
    /// The issues the table ranges over and their strides in it.
    issues: Vec<(usize, usize)>,
    /// Per joint level combination: whether a feasibility rule fails.
    infeasible: Vec<bool>,
    /// … the soft constraints violated.
    viol: Vec<u128>,
    /// … the ratifier conditions that hold.
    cond: Vec<u128>,
}

/// What one level of a depth's issue decides with the earlier levels
/// its rules name.
#[derive(Clone, Copy, Default)]
struct WalkEntry {
    /// A feasibility rule fails.
    infeasible: bool,
    /// The soft constraints violated (single-issue ones on the level
    /// included).
    viol: u128,
    /// The ratifier conditions that hold.
    cond: u128,
}

/// A depth's [`DepthTable`] with its issue's single-issue rules folded in,
/// laid out so a node finds its children's entries side by side: the walk
/// looks one entry up per node.
struct WalkTable {
    /// The earlier issues the entries range over, with their strides.
    earlier: Vec<(usize, usize)>,
    entries: Vec<WalkEntry>,
}

impl WalkTable {
    fn new(
        d: usize,
        levels: usize,
        table: Option<DepthTable>,
        viol1: &[u128],
        infeasible1: &[bool],
    ) -> WalkTable {
        let Some(t) = table else {
            return WalkTable {
                earlier: Vec::new(),
                entries: (0..levels)
                    .map(|l| WalkEntry {
                        infeasible: infeasible1[l],
                        viol: viol1[l],
                        cond: 0,
                    })
                    .collect(),
            };
        };
        let entry = |k: usize, l: usize| WalkEntry {
            infeasible: t.infeasible[k] || infeasible1[l],
            viol: t.viol[k] | viol1[l],
            cond: t.cond[k],
        };
        // The table's issues are sorted, so `d`, the deepest, is last with
        // stride 1, unless the table names no issue (conditions naming
        // none are decided with the first): then each entry is repeated
        // for every level.
        if t.issues.last().is_some_and(|&(i, _)| i == d) {
            WalkTable {
                earlier: t.issues[..t.issues.len() - 1].to_vec(),
                entries: (0..t.viol.len()).map(|k| entry(k, k % levels)).collect(),
            }
        } else {
            WalkTable {
                earlier: t.issues.iter().map(|&(i, s)| (i, s * levels)).collect(),
                entries: (0..t.viol.len())
                    .flat_map(|k| (0..levels).map(move |l| (k, l)))
                    .map(|(k, l)| entry(k, l))
                    .collect(),
            }
        }
    }
}

/// The utility tests one row meets at the leaf: its thresholds in
/// ascending order, and per bucket (how many thresholds a utility
/// reaches) the reservation bits and the blocs' pass bits that follow.
/// A utility's bucket decides every test on its row, and the bucket is
/// monotone in the utility: a subtree whose least and greatest utility
/// fall in one bucket has every test of the row decided for all its
/// leaves.
struct RowTests {
    row: usize,
    thresholds: Vec<f64>,
    /// Per bucket: the pass bits (bit `j`: bloc `j` of `vote_rows`).
    pass: Vec<u64>,
    /// Per bucket: the reservation bits (the actor is below it).
    res: Vec<u128>,
}

impl RowTests {
    /// Groups the reservations `(row, value, bit)` and the blocs' rows and
    /// thresholds by row; empty (no settling) when some threshold is not a
    /// number or there are more than 64 rows to test.
    fn build(
        n_rows: usize,
        reservations: &[(usize, f64, usize)],
        vote_rows: &[usize],
        vote_thresholds: &[f64],
    ) -> Vec<RowTests> {
        let all = reservations
            .iter()
            .map(|r| r.1)
            .chain(vote_thresholds.iter().copied());
        if all.clone().any(f64::is_nan) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for row in 0..n_rows {
            let res: Vec<&(usize, f64, usize)> =
                reservations.iter().filter(|r| r.0 == row).collect();
            let blocs: Vec<(usize, f64)> = vote_rows
                .iter()
                .zip(vote_thresholds)
                .enumerate()
                .filter(|(_, (&r, _))| r == row)
                .map(|(j, (_, &t))| (j, t))
                .collect();
            if res.is_empty() && blocs.is_empty() {
                continue;
            }
            let mut thresholds: Vec<f64> = res
                .iter()
                .map(|r| r.1)
                .chain(blocs.iter().map(|b| b.1))
                .collect();
            thresholds.sort_by(f64::total_cmp);
            thresholds.dedup();
            // A utility in bucket `b` reaches exactly the first `b`
            // thresholds: it passes a bloc whose threshold is among them and
            // is below a reservation that is not.
            let reached = |b: usize, t: f64| thresholds[..b].contains(&t);
            let buckets = 0..=thresholds.len();
            let pass = buckets
                .clone()
                .map(|b| {
                    blocs
                        .iter()
                        .filter(|&&(_, t)| reached(b, t))
                        .fold(0u64, |m, &(j, _)| m | 1 << j)
                })
                .collect();
            let res = buckets
                .map(|b| {
                    res.iter()
                        .filter(|r| !reached(b, r.1))
                        .fold(0u128, |m, r| m | 1 << r.2)
                })
                .collect();
            out.push(RowTests {
                row,
                thresholds,
                pass,
                res,
            });
        }
        if out.len() > 64 {
            return Vec::new();
        }
        out
    }

    /// How many thresholds `u` reaches.
    #[inline]
    fn bucket(&self, u: f64) -> usize {
        self.thresholds.iter().map(|&t| usize::from(u >= t)).sum()
    }
}

/// The least and greatest term of each test row on each issue (see
/// `Compiled::bounds`).
fn terms_bounds(
    terms: &[Vec<f64>],
    n_rows: usize,
    radix: &[usize],
    tests: &[RowTests],
) -> Vec<(f64, f64)> {
    tests
        .iter()
        .flat_map(|rt| {
            terms.iter().zip(radix).map(move |(t, &levels)| {
                let col = (0..levels).map(|l| t[l * n_rows + rt.row]);
                (
                    col.clone().fold(f64::INFINITY, f64::min),
                    col.fold(f64::NEG_INFINITY, f64::max),
                )
            })
        })
        .collect()
}

/// The soft constraints of a scenario in bit order: red lines,
/// reservations, ratifiers, then (with deal-dependent steps) process
/// constraints.
pub(crate) fn soft_kinds(sc: &Scenario) -> Vec<SoftKind> {
    let mut soft = Vec::new();
    soft.extend((0..sc.red_lines.len()).map(SoftKind::RedLine));
    soft.extend((0..sc.actors.len()).map(SoftKind::Reservation));
    soft.extend((0..sc.ratifiers.len()).map(SoftKind::Ratification));
    // With deal-dependent steps, preconditions and deadlines can block
    // a deal too, so they get bits after the ratifiers.
    if sc.process.is_conditional() {
        let n = sc.process.preconditions.len() + sc.process.deadlines.len();
        soft.extend((0..n).map(SoftKind::Process));
    }
    soft
}

/// The most soft constraints a mask can carry.
pub(crate) const MAX_SOFT: usize = 128;

/// A scenario compiled for scanning.
pub(crate) struct Compiled {
    /// The outcome space, numbered as every other path numbers it.
    pub space: OutcomeSpace,
    /// Its size, which fits in a `u64` (checked when compiling).
    pub total: u64,
    pub n_actors: usize,
    n_rows: usize,
    /// `terms[issue][level * n_rows + row]`: weight × value.
    terms: Vec<Vec<f64>>,
    pub soft: Vec<SoftKind>,
    /// Bits of single-issue soft constraints violated at each level.
    viol1: Vec<Vec<u128>>,
    /// Levels that single-issue feasibility rules exclude.
    infeasible1: Vec<Vec<bool>>,
    /// Multi-issue rules, checked once their deepest issue is assigned
    /// (those of depths without a table).
    deferred: Vec<Vec<Deferred>>,
    /// Per depth, everything its issue's level decides with the earlier
    /// levels: one entry per combination (see [`WalkTable`]).
    walk: Vec<WalkTable>,
    /// The ratifiers' conditions (`applies`, quota `when`, bloc `requires`).
    conds: Vec<CExpr>,
    /// Whether every condition is in some depth table (else the leaf
    /// evaluates `conds`).
    conds_tabled: bool,
    pub reservations: Vec<f64>,
    res_bits: Vec<usize>,
    ratifiers: Vec<CRatifier>,
    /// Every bloc's utility row and threshold, flattened over the
    /// ratifiers in order: the leaf turns them into one word of pass bits
    /// and looks the ratifiers' verdict up in a [`VoteMemo`]. Empty when
    /// the memo does not apply (conditions not all tabulated, or more than
    /// 64 blocs); the leaf then votes bloc by bloc.
    vote_rows: Vec<usize>,
    vote_thresholds: Vec<f64>,
    /// The utility tests of the leaf (reservations, and the blocs' pass
    /// bits when the memo applies), grouped by row, so that a subtree
    /// whose utility bounds settle a row's tests skips them at its leaves.
    /// Empty when the leaf votes bloc by bloc (see `vote_rows`).
    tests: Vec<RowTests>,
    /// `bounds[k * issues + issue]`: the least and greatest term of test
    /// row `k` on the issue (a row's issues side by side, as `settle`
    /// reads them).
    bounds: Vec<(f64, f64)>,
    /// Per depth, whether a node there tries to settle its open rows: only
    /// where its subtree holds enough leaves to repay the bounds.
    settle_at: Vec<bool>,
    /// Mask of each actor's own red lines and reservation.
    pub actor_mask: Vec<u128>,
    /// Mask of each actor's ratifiers.
    pub ratifier_mask: Vec<u128>,
    /// The bits of `soft`: a leaf's `mask` keeps these, its `extra` the rest.
    main_bits: u128,
    /// Whether some feasibility rule or soft constraint of the scenario
    /// itself (extra rules aside) names several issues.
    multi_issue: bool,
}

/// One outcome as the scan sees it.
pub(crate) struct Leaf<'a> {
    pub index: u64,
    pub levels: &'a [usize],
    pub utils: &'a [f64],
    /// The violated soft constraints of `soft`.
    pub mask: u128,
    /// The violated extra rules (bits from `soft.len()` up), see
    /// [`Compiled::with_extra`].
    pub extra: u128,
}

impl Compiled {
    pub(crate) fn new(sc: &Scenario) -> Result<Compiled, Error> {
        Compiled::with_extra(sc, &[])
    }

    /// Compiles a scenario with extra soft rules (alternative readings of
    /// red lines) on the bits after its own constraints, so one scan decides
    /// them beside the scenario's own; the leaf's `mask` never carries them.
    pub(crate) fn with_extra(sc: &Scenario, extra: &[&Expr]) -> Result<Compiled, Error> {
        sc.check()?;
        let space = OutcomeSpace::of(sc);
        let total = space.checked_size()?;
        let n = space.issues();
        let radix = space.radix().to_vec();
        let n_actors = sc.actors.len();

        // Utility rows: one per actor, then one per bloc with its own preferences.
        let mut rows: Vec<&[IssuePref]> = sc.preferences.iter().map(|p| &p.issues[..]).collect();
        let mut bloc_rows = Vec::new();
        for r in &sc.ratifiers {
            let mut per = Vec::new();
            for b in &r.blocs {
                per.push(match &b.own {
                    Some(own) => {
                        rows.push(own);
                        rows.len() - 1
                    }
                    None => r.actor,
                });
            }
            bloc_rows.push(per);
        }
        let n_rows = rows.len();
        let terms: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                let issue = &sc.issues[i];
                let mut t = Vec::with_capacity(radix[i] * n_rows);
                for l in 0..radix[i] {
                    for row in &rows {
                        t.push(row[i].weight.value * row[i].value.at(issue, l));
                    }
                }
                t
            })
            .collect();

        let soft = soft_kinds(sc);
        if soft.len() > MAX_SOFT {
            return Err(Error::Invalid(format!(
                "{} red lines, reservations, ratifiers and process constraints: the analysis handles at most {MAX_SOFT}",
                soft.len()
            )));
        }
        if soft.len() + extra.len() > MAX_SOFT {
            return Err(Error::Invalid(format!(
                "{} soft constraints and {} extra rules: the scan handles at most {MAX_SOFT}",
                soft.len(),
                extra.len()
            )));
        }
        let multi_issue = sc
            .red_lines
            .iter()
            .map(|r| &r.rule)
            .chain(sc.feasibility.iter().map(|f| &f.rule))
            .any(|e| e.issues().len() > 1);
        let main_bits = if soft.len() == MAX_SOFT {
            u128::MAX
        } else {
            (1u128 << soft.len()) - 1
        };
        let res_base = sc.red_lines.len();
        let rat_base = res_base + n_actors;

        let mut viol1: Vec<Vec<u128>> = radix.iter().map(|&r| vec![0; r]).collect();
        let mut infeasible1: Vec<Vec<bool>> = radix.iter().map(|&r| vec![false; r]).collect();
        let mut deferred: Vec<Vec<Deferred>> = (0..n).map(|_| Vec::new()).collect();
        let mut place = |e: &Expr, bit: Option<usize>| {
            let issues = e.issues();
            let c = CExpr::compile(e, sc);
            match issues.as_slice() {
                [] => {
                    // A constant rule: decide it on the first issue.
                    let holds = c.eval(&vec![0; n]);
                    for l in 0..radix[0] {
                        if !holds {
                            match bit {
                                Some(b) => viol1[0][l] |= 1u128 << b,
                                None => infeasible1[0][l] = true,
                            }
                        }
                    }
                }
                [i] => {
                    let mut lv = vec![0; n];
                    for l in 0..radix[*i] {
                        lv[*i] = l;
                        if !c.eval(&lv) {
                            match bit {
                                Some(b) => viol1[*i][l] |= 1u128 << b,
                                None => infeasible1[*i][l] = true,
                            }
                        }
                    }
                }
                many => deferred[*many.last().unwrap_or(&0)].push(Deferred {
                    expr: c,
                    issues: many.to_vec(),
                    bit,
                }),
            }
        };
        for (k, r) in sc.red_lines.iter().enumerate() {
            place(&r.rule, Some(k));
        }
        for f in &sc.feasibility {
            place(&f.rule, None);
        }
        for (k, e) in extra.iter().enumerate() {
            place(e, Some(soft.len() + k));
        }

        let mut cond_exprs: Vec<&Expr> = Vec::new();
        let mut cond = |e| {
            cond_exprs.push(e);
            cond_exprs.len() - 1
        };
        let ratifiers: Vec<CRatifier> = sc
            .ratifiers
            .iter()
            .enumerate()
            .map(|(k, r)| {
                let total: f64 = r.blocs.iter().map(|b| b.seats.value).sum();
                CRatifier {
                    bit: rat_base + k,
                    // A hair below the quota so that e.g. 2/3 of 3 seats passes.
                    needed: r.quota.value * total - 1e-9,
                    applies: r.applies.as_ref().map(&mut cond),
                    quotas: r
                        .quotas
                        .iter()
                        .map(|q| (cond(&q.when), q.quota.value * total - 1e-9))
                        .collect(),
                    blocs: r
                        .blocs
                        .iter()
                        .zip(&bloc_rows[k])
                        .map(|(b, &row)| CBloc {
                            row,
                            threshold: b.threshold.value,
                            seats: b.yes_seats(),
                            requires: b.requires.as_ref().map(&mut cond),
                        })
                        .collect(),
                }
            })
            .collect();

        let (tables, conds, conds_tabled) = tabulate(sc, &radix, &mut deferred, &cond_exprs);
        let walk = tables
            .into_iter()
            .enumerate()
            .map(|(d, t)| WalkTable::new(d, radix[d], t, &viol1[d], &infeasible1[d]))
            .collect();
        let blocs = ratifiers.iter().flat_map(|r: &CRatifier| &r.blocs);
        let (vote_rows, vote_thresholds) = if conds_tabled && blocs.clone().count() <= 64 {
            blocs.map(|b| (b.row, b.threshold)).unzip()
        } else {
            (Vec::new(), Vec::new())
        };

        let tests = if ratifiers.is_empty() || !vote_rows.is_empty() {
            RowTests::build(
                n_rows,
                &sc.preferences
                    .iter()
                    .enumerate()
                    .map(|(a, p)| (a, p.reservation.value, res_base + a))
                    .collect::<Vec<_>>(),
                &vote_rows,
                &vote_thresholds,
            )
        } else {
            Vec::new()
        };
        let bounds = terms_bounds(&terms, n_rows, &radix, &tests);
        // A node settles rows for its whole subtree, but a try costs two
        // sums over the remaining issues: deep nodes leave it to the leaves.
        let settle_at = (0..n)
            .map(|d| {
                radix[d..]
                    .iter()
                    .try_fold(1usize, |z, &r| z.checked_mul(r))
                    .is_none_or(|z| z >= SETTLE_LEAVES)
            })
            .collect();

        let mut actor_mask = vec![0u128; n_actors];
        let mut ratifier_mask = vec![0u128; n_actors];
        for (k, r) in sc.red_lines.iter().enumerate() {
            actor_mask[r.actor] |= 1 << k;
        }
        for (a, m) in actor_mask.iter_mut().enumerate() {
            *m |= 1 << (res_base + a);
        }
        for (k, r) in sc.ratifiers.iter().enumerate() {
            ratifier_mask[r.actor] |= 1 << (rat_base + k);
        }

        Ok(Compiled {
            space,
            total,
            n_actors,
            n_rows,
            terms,
            soft,
            viol1,
            infeasible1,
            deferred,
            walk,
            conds,
            conds_tabled,
            reservations: sc.preferences.iter().map(|p| p.reservation.value).collect(),
            res_bits: (0..n_actors).map(|a| res_base + a).collect(),
            ratifiers,
            vote_rows,
            vote_thresholds,
            tests,
            bounds,
            settle_at,
            actor_mask,
            ratifier_mask,
            main_bits,
            multi_issue,
        })
    }

    /// Whether every constraint is a single-issue rule and there are no
    /// ratifiers: then the search path can filter levels instead of
    /// visiting outcomes.
    pub(crate) fn searchable(&self) -> bool {
        self.ratifiers.is_empty() && !self.multi_issue
    }

    /// Actor `a`'s utility contribution of `level` on `issue`.
    #[inline]
    pub(crate) fn term(&self, issue: usize, level: usize, a: usize) -> f64 {
        self.terms[issue][level * self.n_rows + a]
    }

    /// Whether a level survives the feasibility rules and every soft
    /// constraint outside `dropped`.
    pub(crate) fn level_ok(&self, issue: usize, level: usize, dropped: u128) -> bool {
        !self.infeasible1[issue][level] && self.viol1[issue][level] & !dropped == 0
    }

    /// Levels of the outcome with a given index.
    pub(crate) fn decode(&self, index: u64) -> Vec<usize> {
        self.space.decode(index)
    }

    /// Levels per issue.
    #[inline]
    pub(crate) fn radix(&self) -> &[usize] {
        self.space.radix()
    }

    /// Utilities of every actor at an outcome, summed as the scan sums them.
    pub(crate) fn utilities(&self, levels: &[usize]) -> Vec<f64> {
        let mut u = vec![0.0; self.n_actors];
        for (i, &l) in levels.iter().enumerate() {
            for (a, ua) in u.iter_mut().enumerate() {
                *ua += self.terms[i][l * self.n_rows + a];
            }
        }
        u
    }

    /// Runs `leaf` on every feasible outcome, one accumulator per chunk;
    /// returns the accumulators in index order.
    pub(crate) fn scan<A, I, F>(
        &self,
        progress: &dyn Progress,
        init: I,
        leaf: F,
    ) -> Result<Vec<A>, Error>
    where
        A: Send,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, &Leaf) + Sync,
    {
        self.scan_with::<false, A, I, F>(progress, init, leaf)
    }

    /// [`Compiled::scan`] over the outcomes that break no red line (nor
    /// extra rule): a prefix that breaks one is skipped whole, so a question
    /// about the ZOPA alone visits only what could be in it.
    pub(crate) fn scan_unbroken<A, I, F>(
        &self,
        progress: &dyn Progress,
        init: I,
        leaf: F,
    ) -> Result<Vec<A>, Error>
    where
        A: Send,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, &Leaf) + Sync,
    {
        self.scan_with::<true, A, I, F>(progress, init, leaf)
    }

    /// [`Compiled::scan`], handing the accumulators to `fold` in index
    /// order a batch of chunks at a time instead of returning them all: at
    /// most one batch of accumulators is alive at once (each can hold a
    /// chunk's candidate lists, e.g. the best `2k` ZOPA outcomes).
    pub(crate) fn scan_fold<A, I, F, G>(
        &self,
        progress: &dyn Progress,
        init: I,
        leaf: F,
        fold: G,
    ) -> Result<(), Error>
    where
        A: Send,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, &Leaf) + Sync,
        G: FnMut(Vec<A>),
    {
        self.fold_chunks(
            &self.chunk_plan(CHUNKS, CHUNK_OUTCOMES),
            progress,
            init,
            leaf,
            None,
            fold,
        )
    }

    /// [`Compiled::scan_fold`], handing the outcomes below the nodes of a
    /// [`Suffix`] to `grouping` a group at a time where its consumer can
    /// take them so (see [`Grouping`]): the consumer sees each outcome
    /// once, either in `leaf` (those in index order) or within a group
    /// (groups before the chunk's end, in no set order).
    pub(crate) fn scan_fold_grouped<A, I, F, G>(
        &self,
        progress: &dyn Progress,
        init: I,
        leaf: F,
        grouping: &Grouping<A>,
        fold: G,
    ) -> Result<(), Error>
    where
        A: Send,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, &Leaf) + Sync,
        G: FnMut(Vec<A>),
    {
        // Fewer, larger chunks than a plain scan: each chunk starts its
        // counts, decisions and accumulator afresh, and grouped outcomes
        // cost a fraction of plain ones, so a chunk still ends promptly.
        let plan = self.chunk_plan(GROUPED_CHUNKS, GROUPED_CHUNK_OUTCOMES);
        match Suffix::new(self, grouping.tags.as_ref(), plan.prefix) {
            Some(suffix) => {
                let grouped = Grouped { suffix, grouping };
                self.fold_chunks(&plan, progress, init, leaf, Some(&grouped), fold)
            }
            None => {
                let plan = self.chunk_plan(CHUNKS, CHUNK_OUTCOMES);
                self.fold_chunks(&plan, progress, init, leaf, None, fold)
            }
        }
    }

    /// Runs the chunks of `plan` a batch at a time, folding each batch.
    fn fold_chunks<A, I, F, G>(
        &self,
        plan: &ChunkPlan,
        progress: &dyn Progress,
        init: I,
        leaf: F,
        grouped: Option<&Grouped<A>>,
        mut fold: G,
    ) -> Result<(), Error>
    where
        A: Send,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, &Leaf) + Sync,
        G: FnMut(Vec<A>),
    {
        // Enough chunks per batch that both threads stay busy to its end.
        let batch = (8 * rayon::current_num_threads() as u64).max(64);
        let mut start = 0;
        while start < plan.chunks {
            let end = plan.chunks.min(start + batch);
            fold(self.run_chunks::<false, A, I, F>(
                plan,
                start..end,
                progress,
                &init,
                &leaf,
                grouped,
            )?);
            start = end;
        }
        // The counts that outlive their chunks, handed to one more
        // accumulator: `add` does not depend on which.
        if let Some(g) = grouped {
            let mut acc = init();
            for st in &plan.states {
                let mut st = st.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                st.suffix.hand_over(self.main_bits, &mut acc, g.grouping);
            }
            fold(vec![acc]);
        }
        Ok(())
    }

    fn scan_with<const PRUNE: bool, A, I, F>(
        &self,
        progress: &dyn Progress,
        init: I,
        leaf: F,
    ) -> Result<Vec<A>, Error>
    where
        A: Send,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, &Leaf) + Sync,
    {
        let plan = self.chunk_plan(CHUNKS, CHUNK_OUTCOMES);
        self.run_chunks::<PRUNE, A, I, F>(&plan, 0..plan.chunks, progress, &init, &leaf, None)
    }

    /// How the space splits into chunks: on the shortest prefix of issues
    /// that gives at least `min_chunks` chunks (to share the work and report
    /// progress) of at most `max_outcomes` outcomes each (to cancel
    /// promptly), up to 2²⁰ chunks.
    fn chunk_plan(&self, min_chunks: u64, max_outcomes: u64) -> ChunkPlan {
        let n = self.radix().len();
        let mut k = 0;
        let mut chunks: u64 = 1;
        while k < n
            && (chunks < min_chunks || self.total / chunks > max_outcomes)
            && chunks < 1 << 20
        {
            chunks *= self.radix()[k] as u64;
            k += 1;
        }
        let states = (0..rayon::current_num_threads())
            .map(|_| std::sync::Mutex::new(State::new(n, self.n_rows)))
            .collect();
        ChunkPlan {
            prefix: k,
            chunks,
            per_chunk: self.total / chunks,
            states,
        }
    }

    /// Scans chunks `range` of `plan` in parallel; their accumulators in
    /// index order, or `Cancelled`.
    fn run_chunks<const PRUNE: bool, A, I, F>(
        &self,
        plan: &ChunkPlan,
        range: std::ops::Range<u64>,
        progress: &dyn Progress,
        init: &I,
        leaf: &F,
        grouped: Option<&Grouped<A>>,
    ) -> Result<Vec<A>, Error>
    where
        A: Send,
        I: Fn() -> A + Sync,
        F: Fn(&mut A, &Leaf) + Sync,
    {
        let n = self.radix().len();
        let (k, per_chunk) = (plan.prefix, plan.per_chunk);
        let results: Vec<Option<A>> = range
            .into_par_iter()
            .map(|c| {
                if progress.cancelled() {
                    return None;
                }
                // The worker's own state, so its memos carry over from
                // chunk to chunk (a fresh one should it be taken).
                let mut mine = rayon::current_thread_index()
                    .and_then(|i| plan.states.get(i))
                    .and_then(|m| m.try_lock().ok());
                let mut fresh = None;
                let is_fresh = mine.is_none();
                let st: &mut State = match mine.as_deref_mut() {
                    Some(st) => st,
                    None => fresh.insert(State::new(n, self.n_rows)),
                };
                let mut acc = init();
                // Fix the prefix levels of this chunk.
                let mut rest = c;
                for d in (0..k).rev() {
                    st.levels[d] = (rest % self.radix()[d] as u64) as usize;
                    rest /= self.radix()[d] as u64;
                }
                let mut node = Some(self.root());
                for d in 0..k {
                    let l = st.levels[d];
                    let b = self.walk_base(st, d);
                    node = node
                        .and_then(|x| self.step(st, d, l, b, &x))
                        .filter(|x| !(PRUNE && x.viol != 0));
                }
                st.chunk = c + 1;
                st.suffix.pending.clear();
                if let Some(node) = node {
                    self.dfs::<PRUNE, A, F>(st, k, c * per_chunk, node, &mut acc, leaf, grouped);
                }
                if let Some(g) = grouped {
                    // The counts that hold in this chunk alone; all of a
                    // fresh state's, which ends here.
                    let m = &mut st.suffix;
                    let chunk = st.chunk as u32;
                    let mut pending = std::mem::take(&mut m.pending);
                    for &k in &pending {
                        let c = &m.counts[k];
                        if !c.lasting && c.chunk == chunk {
                            m.flush(k, self.main_bits, &mut acc, g.grouping);
                        }
                    }
                    pending.clear();
                    m.pending = pending;
                    if is_fresh {
                        m.hand_over(self.main_bits, &mut acc, g.grouping);
                    }
                }
                progress.advance(per_chunk);
                Some(acc)
            })
            .collect();
        results
            .into_iter()
            .map(|r| r.ok_or(Error::Cancelled))
            .collect()
    }

    /// Where the entries of depth `d` for the current prefix start in its
    /// walk table (the levels of issue `d` itself follow with stride 1).
    #[inline]
    fn walk_base(&self, st: &State, d: usize) -> usize {
        self.walk_base_of(&st.levels, d)
    }

    /// [`Compiled::walk_base`] for the levels of an outcome.
    #[inline]
    fn walk_base_of(&self, levels: &[usize], d: usize) -> usize {
        self.walk[d]
            .earlier
            .iter()
            .map(|&(i, s)| levels[i] * s)
            .sum()
    }

    /// Assigns `level` to issue `d` below `node`, updating the partial sums
    /// of depth `d + 1`; the child node, or `None` if the prefix is
    /// infeasible. `base` is [`Compiled::walk_base`] for the prefix.
    #[inline(always)]
    fn step(
        &self,
        st: &mut State,
        d: usize,
        level: usize,
        base: usize,
        node: &Node,
    ) -> Option<Node> {
        let e = &self.walk[d].entries[base + level];
        if e.infeasible {
            return None;
        }
        st.levels[d] = level;
        let mut viol = node.viol | e.viol;
        for def in &self.deferred[d] {
            if !def.expr.eval(&st.levels) {
                match def.bit {
                    None => return None,
                    Some(b) => viol |= 1 << b,
                }
            }
        }
        let r = self.n_rows;
        let (head, tail) = st.partial.split_at_mut((d + 1) * r);
        let prev = &head[d * r..];
        let t = &self.terms[d][level * r..(level + 1) * r];
        for ((out, p), x) in tail[..r].iter_mut().zip(prev).zip(t) {
            *out = p + x;
        }
        Some(Node {
            viol,
            cond: node.cond | e.cond,
            ..*node
        })
    }

    /// The bits of the ratifiers that reject, given which conditions hold
    /// and which blocs clear their thresholds (`passes(j, bloc)`, `j`
    /// counting the blocs over the ratifiers in order). Seats are summed
    /// bloc by bloc in order, whichever way `passes` is answered.
    #[inline]
    fn verdicts(
        &self,
        holds: impl Fn(usize) -> bool,
        passes: impl Fn(usize, &CBloc) -> bool,
    ) -> u128 {
        let mut mask = 0u128;
        let mut first = 0;
        for rat in &self.ratifiers {
            let base = first;
            first += rat.blocs.len();
            if rat.applies.is_some_and(|k| !holds(k)) {
                continue;
            }
            let needed = rat
                .quotas
                .iter()
                .find(|&&(k, _)| holds(k))
                .map_or(rat.needed, |&(_, n)| n);
            let mut yes = 0.0;
            for (i, b) in rat.blocs.iter().enumerate() {
                if passes(base + i, b) && b.requires.is_none_or(&holds) {
                    yes += b.seats;
                }
            }
            if yes < needed {
                mask |= 1 << rat.bit;
            }
        }
        mask
    }

    /// The ratifiers' verdict bits at a leaf whose utility tests are not
    /// grouped by row (see `Compiled::tests`): pass bits by the memo when it
    /// applies, else bloc by bloc.
    fn votes_of(&self, votes: &mut VoteMemo, levels: &[usize], cond: u128, rows: &[f64]) -> u128 {
        if !self.vote_rows.is_empty() {
            let mut pass = 0u64;
            for (j, (&row, &thr)) in self.vote_rows.iter().zip(&self.vote_thresholds).enumerate() {
                pass |= u64::from(rows[row] >= thr) << j;
            }
            votes.get(cond, pass, || {
                self.verdicts(|k| cond >> k & 1 != 0, |j, _| pass >> j & 1 != 0)
            })
        } else if !self.ratifiers.is_empty() {
            let holds = |k: usize| {
                if self.conds_tabled {
                    cond >> k & 1 != 0
                } else {
                    self.conds[k].eval(levels)
                }
            };
            self.verdicts(holds, |_, b| rows[b.row] >= b.threshold)
        } else {
            0
        }
    }

    /// Settles the open test rows of depth `d` whose tests are the same
    /// at every leaf below: their least and greatest utilities there fall
    /// in one bucket. The bounds add each remaining issue's least (greatest)
    /// term in the order the walk adds terms, so they bound the leaves'
    /// sums exactly: rounded addition is monotone in both operands.
    fn settle(&self, st: &State, d: usize, node: &mut Node) {
        let r = self.n_rows;
        let n = self.radix().len();
        let partial = &st.partial[d * r..(d + 1) * r];
        let mut bits = node.open;
        while bits != 0 {
            let k = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let t = &self.tests[k];
            let (mut lo, mut hi) = (partial[t.row], partial[t.row]);
            for &(l, h) in &self.bounds[k * n + d..(k + 1) * n] {
                lo += l;
                hi += h;
            }
            let bucket = t.bucket(lo);
            if bucket == t.bucket(hi) {
                node.open &= !(1 << k);
                node.pass |= t.pass[bucket];
                node.res |= t.res[bucket];
            }
        }
    }

    /// The soft constraints and extra rules a leaf breaks (its node's
    /// violations, and the utility tests and votes at its utilities).
    #[inline(always)]
    fn leaf_mask(&self, st: &mut State, node: &Node) -> u128 {
        let n = self.radix().len();
        let r = self.n_rows;
        let rows = &st.partial[n * r..(n + 1) * r];
        let mut mask = node.viol;
        let cond = node.cond;
        if !self.tests.is_empty() {
            // The settled rows' bits come from the subtree; the open
            // ones are decided by their bucket.
            let (mut pass, mut res) = (node.pass, node.res);
            let mut open = node.open;
            while open != 0 {
                let t = &self.tests[open.trailing_zeros() as usize];
                open &= open - 1;
                let b = t.bucket(rows[t.row]);
                pass |= t.pass[b];
                res |= t.res[b];
            }
            mask |= res;
            if !self.vote_rows.is_empty() {
                mask |= st.votes.get(cond, pass, || {
                    self.verdicts(|k| cond >> k & 1 != 0, |j, _| pass >> j & 1 != 0)
                });
            }
        } else {
            for (a, &bit) in self.res_bits.iter().enumerate() {
                if rows[a] < self.reservations[a] {
                    mask |= 1 << bit;
                }
            }
            mask |= self.votes_of(&mut st.votes, &st.levels, cond, rows);
        }
        mask
    }

    /// The walk's root: nothing assigned, every test row open.
    fn root(&self) -> Node {
        Node {
            viol: 0,
            cond: 0,
            open: if self.tests.len() == 64 {
                u64::MAX
            } else {
                (1u64 << self.tests.len()) - 1
            },
            pass: 0,
            res: 0,
        }
    }

    /// Hands the outcomes below `node`, a node of the suffix's depth, to
    /// the consumer: the groups it takes whole by `add` (counted with later
    /// nodes of the same fill and prefix violations, scored groups with
    /// their best outcome), the others one by one by `leaf`, in index order.
    fn suffix_node<A, F>(
        &self,
        st: &mut State,
        base: u64,
        node: &Node,
        acc: &mut A,
        leaf: &F,
        g: &Grouped<A>,
    ) where
        F: Fn(&mut A, &Leaf),
    {
        let sx = &g.suffix;
        let r = self.n_rows;
        let row0 = sx.start * r;
        let rel: u64 = sx.rel.iter().map(|&(i, m)| st.levels[i] as u64 * m).sum();
        let nt = self.tests.len();
        let first = if sx.per_rel { rel as usize * nt } else { 0 };
        let mut reached = 0u64;
        for ((t, b), &shift) in self
            .tests
            .iter()
            .zip(&sx.breaks[first..first + nt])
            .zip(&sx.shifts)
        {
            let z = count_reached(b, st.partial[row0 + t.row]);
            reached |= (z as u64) << shift;
        }
        let key = SuffixKey {
            cond: node.cond,
            rel,
            reached,
        };
        let main_bits = self.main_bits;
        st.suffix.ready(sx.slots);
        if st.suffix.tops_full() {
            st.suffix.clear(main_bits, acc, g.grouping);
        }
        let f = match st.suffix.key_fill(&key) {
            Ok(f) => f,
            Err(slot) => {
                let mut fill = std::mem::take(&mut st.suffix.fill);
                let tags = g.grouping.tags.as_ref();
                if !self.fill_from_key(st, node, sx, rel, &mut fill) {
                    self.fill_suffix(st, node, sx, tags, &mut fill);
                } else if cfg!(debug_assertions) {
                    let mut walked = SuffixFill::default();
                    self.fill_suffix(st, node, sx, tags, &mut walked);
                    assert!(
                        walked == fill,
                        "a fill read off its key differs from the walk's"
                    );
                }
                st.suffix.fill = fill;
                if st.suffix.full() {
                    st.suffix.clear(main_bits, acc, g.grouping);
                }
                let f = st.suffix.intern();
                st.suffix.keys[slot] = (key, f);
                f
            }
        };
        // Every group of this fill was found taken in bulk below a prefix
        // of the same violations, earlier in the chunk or, by lasting
        // answers, in any chunk, and stays so: count the node, and score
        // the groups taken with their best outcome.
        let chunk = st.chunk as u32;
        let m = &mut st.suffix;
        let (k, found) = m.find(f, node.viol, main_bits, acc, g.grouping);
        let c = &mut m.counts[k];
        if found && c.counts_in(chunk) {
            let restart = c.hits == 0;
            if restart || base < c.first_base {
                c.first_base = base;
            }
            c.hits += 1;
            let (scored, at) = (u64::from(c.scored), c.tops as usize);
            if scored != 0 {
                self.count_tops(st, base, scored, f, at, restart, g);
            }
            return;
        }
        // Groups the consumer must see outcome by outcome, and those it
        // takes with their best outcome (a bit each: a suffix holds at most
        // `SUFFIX_LEAVES` outcomes).
        let group = |sg: &SuffixGroup| sg.below(node.viol, base, 1, main_bits);
        let (mut lone, mut scored, mut lasting) = (0u64, 0u64, true);
        for j in 0..usize::from(m.spans[f as usize].1) {
            let x = group(&m.groups_of(f)[j]);
            let take = match m.lasting.get(&x, g.grouping.lasting) {
                Take::One => {
                    lasting = false;
                    (g.grouping.bulk)(acc, &x)
                }
                t => t,
            };
            match take {
                Take::One => lone |= 1 << j,
                Take::All => {}
                Take::Scored => scored |= 1 << j,
            }
        }
        if lone == 0 {
            // A new count, or one of an earlier chunk started again (handed
            // over at that chunk's end).
            debug_assert!(m.counts[k].hits == 0, "a count handed over with its chunk");
            let n = scored.count_ones() as usize;
            let tops = if n > 0 { m.new_tops(n) } else { 0 };
            m.counts[k] = PairCount {
                viol: node.viol,
                hits: 1,
                first_base: base,
                fill: f,
                chunk,
                scored: scored as u16,
                lasting,
                tops,
            };
            if !lasting {
                m.pending.push(k);
            }
            if n > 0 {
                self.count_tops(st, base, scored, f, tops as usize, false, g);
            }
            return;
        }
        self.suffix_leaves(st, base, node, lone, scored, f, acc, leaf, g);
    }

    /// Joins each scored group's best outcome below a node (the first of
    /// the greatest score, its actors' utilities summed as the walk sums
    /// them) to its count's, which starts at `at` in [`SuffixMemo::tops`]
    /// and is reset first when the count `restart`s.
    #[allow(clippy::too_many_arguments)]
    fn count_tops<A>(
        &self,
        st: &mut State,
        base: u64,
        scored: u64,
        f: u32,
        at: usize,
        restart: bool,
        g: &Grouped<A>,
    ) {
        let sx = &g.suffix;
        let r = self.n_rows;
        let row0 = sx.start * r;
        let w = self.radix().len() - sx.start;
        let na = self.n_actors;
        let State {
            partial,
            utils,
            suffix: m,
            ..
        } = st;
        let SuffixMemo {
            spans,
            groups,
            members,
            tops,
            ..
        } = m;
        let (from, n) = spans[f as usize];
        let groups = &groups[from as usize..from as usize + usize::from(n)];
        let members = &members[f as usize * sx.leaves..(f as usize + 1) * sx.leaves];
        let tops = &mut tops[at..at + scored.count_ones() as usize];
        if restart {
            tops.fill(NO_BEST);
        }
        if utils.len() < na {
            utils.resize(na, 0.0);
        }
        let u = &mut utils[..na];
        let p = &partial[row0..row0 + na];
        let mut bits = scored;
        for top in tops.iter_mut() {
            let sg = &groups[bits.trailing_zeros() as usize];
            bits &= bits - 1;
            let from = usize::from(sg.at);
            for &q in &members[from..from + sg.count as usize] {
                let q = usize::from(q);
                let terms = sx.levels[q * w..(q + 1) * w]
                    .iter()
                    .enumerate()
                    .map(|(k, &l)| &self.terms[sx.start + k][l * r..]);
                // Four actors or fewer in registers, in the same order.
                let x = match na {
                    2 => (g.grouping.score)(&sum_terms::<2>(p, terms)),
                    3 => (g.grouping.score)(&sum_terms::<3>(p, terms)),
                    4 => (g.grouping.score)(&sum_terms::<4>(p, terms)),
                    _ => {
                        u.copy_from_slice(p);
                        for t in terms {
                            u.iter_mut().zip(t).for_each(|(a, x)| *a += x);
                        }
                        (g.grouping.score)(u)
                    }
                };
                // Ties keep the lower index: a count's nodes come from its
                // chunks in any order.
                if x > top.score || (x == top.score && base + (q as u64) < top.index) {
                    *top = Best {
                        score: x,
                        index: base + q as u64,
                    };
                }
            }
        }
    }

    /// Hands the consumer what a suffix node's count does not: each outcome
    /// of the groups `lone` (a bit per group) by `leaf`, each group of
    /// `scored` with its best outcome, and, when some group is lone, the
    /// other groups whole.
    #[allow(clippy::too_many_arguments)]
    fn suffix_leaves<A, F>(
        &self,
        st: &mut State,
        base: u64,
        node: &Node,
        lone: u64,
        scored: u64,
        f: u32,
        acc: &mut A,
        leaf: &F,
        g: &Grouped<A>,
    ) where
        F: Fn(&mut A, &Leaf),
    {
        let sx = &g.suffix;
        let r = self.n_rows;
        let row0 = sx.start * r;
        let n = self.radix().len();
        let w = n - sx.start;
        let na = self.n_actors;
        let State {
            levels,
            partial,
            suffix: m,
            utils,
            ..
        } = st;
        let groups = m.groups_of(f);
        let at = f as usize * sx.leaves;
        let group = |sg: &SuffixGroup| sg.below(node.viol, base, 1, self.main_bits);
        let mut tops = [Best {
            score: f64::NEG_INFINITY,
            index: 0,
        }; SUFFIX_LEAVES];
        for (q, &j) in m.group_of[at..at + sx.leaves].iter().enumerate() {
            if j == u8::MAX {
                continue;
            }
            let sg = &groups[usize::from(j)];
            let bit = 1u64 << j;
            let suffix_levels = &sx.levels[q * w..(q + 1) * w];
            if scored & bit != 0 {
                // The actors' utilities alone, summed as the walk sums
                // them; the first of the greatest score stays.
                utils.clear();
                utils.extend_from_slice(&partial[row0..row0 + na]);
                for (k, &l) in suffix_levels.iter().enumerate() {
                    let t = &self.terms[sx.start + k][l * r..l * r + na];
                    utils.iter_mut().zip(t).for_each(|(u, x)| *u += x);
                }
                let x = (g.grouping.score)(utils);
                let top = &mut tops[usize::from(j)];
                if x > top.score {
                    *top = Best {
                        score: x,
                        index: base + q as u64,
                    };
                }
                continue;
            }
            if lone & bit == 0 {
                if lone != 0 && sg.first as usize == q {
                    (g.grouping.add)(acc, &group(sg));
                }
                continue;
            }
            // The outcome itself, its utilities summed as the walk sums
            // them.
            for (k, &l) in suffix_levels.iter().enumerate() {
                let d = sx.start + k;
                levels[d] = l;
                let (head, tail) = partial.split_at_mut((d + 1) * r);
                let t = &self.terms[d][l * r..(l + 1) * r];
                for ((out, p), x) in tail[..r].iter_mut().zip(&head[d * r..]).zip(t) {
                    *out = p + x;
                }
            }
            let x = group(sg);
            leaf(
                acc,
                &Leaf {
                    index: base + q as u64,
                    levels,
                    utils: &partial[n * r..n * r + na],
                    mask: x.mask,
                    extra: x.extra,
                },
            );
        }
        let mut bits = scored;
        while bits != 0 {
            let j = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let x = Group {
                top: Some(tops[j]),
                ..group(&groups[j])
            };
            (g.grouping.add)(acc, &x);
        }
    }

    /// Computes the groups below `node` into `fill` from what decides them,
    /// as [`Compiled::fill_suffix`] would walk them, when the suffix has its
    /// tables (see [`Suffix::owners`]); `false` when it has not. An
    /// outcome reaches a row's threshold exactly when the node's partial
    /// utility reaches that breakpoint, so its bucket on the row is how
    /// many of its breakpoints are among the first ones the partial
    /// utility reaches.
    fn fill_from_key(
        &self,
        st: &mut State,
        node: &Node,
        sx: &Suffix,
        rel: u64,
        fill: &mut SuffixFill,
    ) -> bool {
        let Some((owners, found)) = &sx.owners else {
            return false;
        };
        let nt = self.tests.len();
        let combo = if sx.per_rel { rel as usize } else { 0 };
        let row0 = sx.start * self.n_rows;
        // Per test row and outcome below, its bucket.
        let buckets = &mut st.buckets;
        buckets.clear();
        buckets.resize(nt * SUFFIX_LEAVES, 0);
        for (k, t) in self.tests.iter().enumerate() {
            let b = &sx.breaks[combo * nt + k];
            let z = count_reached(b, st.partial[row0 + t.row]);
            for &q in &owners[combo * nt + k][..z] {
                buckets[k * SUFFIX_LEAVES + usize::from(q)] += 1;
            }
        }
        fill.reset(sx.leaves);
        let leaves = &found[combo * sx.leaves..(combo + 1) * sx.leaves];
        for (q, x) in leaves.iter().enumerate() {
            if x.infeasible {
                continue;
            }
            // As `leaf_mask`, below a node that breaks nothing.
            let (mut pass, mut res) = (node.pass, node.res);
            let mut open = node.open;
            while open != 0 {
                let k = open.trailing_zeros() as usize;
                open &= open - 1;
                let t = &self.tests[k];
                let b = usize::from(buckets[k * SUFFIX_LEAVES + q]);
                pass |= t.pass[b];
                res |= t.res[b];
            }
            let cond = node.cond | x.cond;
            let mut mask = x.viol | res;
            if !self.vote_rows.is_empty() {
                mask |= st.votes.get(cond, pass, || {
                    self.verdicts(|k| cond >> k & 1 != 0, |j, _| pass >> j & 1 != 0)
                });
            }
            fill.add(q, mask & self.main_bits, mask & !self.main_bits, x.tag);
        }
        true
    }

    /// Computes the groups below `node` into `fill`: walks the node's
    /// subtree as the scan would and groups its outcomes by violations and
    /// tag. The node's own settled rows are exact for every node of its
    /// key, which the leaves below it reach alike.
    fn fill_suffix(
        &self,
        st: &mut State,
        node: &Node,
        sx: &Suffix,
        tags: Option<&Tags>,
        fill: &mut SuffixFill,
    ) {
        fill.reset(sx.leaves);
        let collect = |e: &mut SuffixFill, leaf: &Leaf| {
            let tag = tags.map_or(0, |t| t.of(leaf.levels));
            e.add(leaf.index as usize, leaf.mask, leaf.extra, tag);
        };
        let top = Node { viol: 0, ..*node };
        self.dfs::<false, SuffixFill, _>(st, sx.start, 0, top, fill, &collect, None);
    }

    #[allow(clippy::too_many_arguments)]
    fn dfs<const PRUNE: bool, A, F>(
        &self,
        st: &mut State,
        d: usize,
        base: u64,
        mut node: Node,
        acc: &mut A,
        leaf: &F,
        grouped: Option<&Grouped<A>>,
    ) where
        F: Fn(&mut A, &Leaf),
    {
        let n = self.radix().len();
        if d == n {
            let mask = self.leaf_mask(st, &node);
            let r = self.n_rows;
            leaf(
                acc,
                &Leaf {
                    index: base,
                    levels: &st.levels,
                    utils: &st.partial[n * r..n * r + self.n_actors],
                    mask: mask & self.main_bits,
                    extra: mask & !self.main_bits,
                },
            );
            return;
        }
        if let Some(g) = grouped.filter(|g| g.suffix.start == d) {
            self.suffix_node(st, base, &node, acc, leaf, g);
            return;
        }
        // A grouped scan leaves its rows open: its leaves' tests are decided
        // once per memoised suffix, at a fraction of the nodes it would
        // settle.
        if node.open != 0 && self.settle_at[d] && grouped.is_none() {
            self.settle(st, d, &mut node);
        }
        let stride = self.space.strides()[d];
        let wb = self.walk_base(st, d);
        for l in 0..self.radix()[d] {
            if let Some(child) = self.step(st, d, l, wb, &node) {
                if !(PRUNE && child.viol != 0) {
                    let b = base + l as u64 * stride;
                    self.dfs::<PRUNE, A, F>(st, d + 1, b, child, acc, leaf, grouped);
                }
            }
        }
    }
}

/// Builds each depth's rule table (see [`DepthTable`]) from the deferred
/// multi-issue rules and the ratifier conditions; a depth whose table would
/// exceed [`MAX_TABLE`] entries keeps its rules in `deferred`, and then the
/// conditions are evaluated at the leaves. Returns the tables, the
/// compiled conditions and whether every condition is tabulated.
fn tabulate(
    sc: &Scenario,
    radix: &[usize],
    deferred: &mut [Vec<Deferred>],
    cond_exprs: &[&Expr],
) -> (Vec<Option<DepthTable>>, Vec<CExpr>, bool) {
    let n = radix.len();
    let conds: Vec<CExpr> = cond_exprs.iter().map(|e| CExpr::compile(e, sc)).collect();
    let cond_issues: Vec<Vec<usize>> = cond_exprs.iter().map(|e| e.issues()).collect();
    let mut conds_tabled = conds.len() <= MAX_SOFT;
    let mut tables: Vec<Option<DepthTable>> = (0..n).map(|_| None).collect();
    for d in 0..n {
        // Conditions naming no issue are decided with the first issue.
        let here: Vec<usize> = (0..conds.len())
            .filter(|&k| cond_issues[k].last().copied().unwrap_or(0) == d)
            .collect();
        if deferred[d].is_empty() && (here.is_empty() || !conds_tabled) {
            continue;
        }
        let mut issues: Vec<usize> = deferred[d]
            .iter()
            .flat_map(|r| r.issues.iter().copied())
            .chain(here.iter().flat_map(|&k| cond_issues[k].iter().copied()))
            .collect();
        issues.sort_unstable();
        issues.dedup();
        let size = issues
            .iter()
            .try_fold(1usize, |acc, &i| acc.checked_mul(radix[i]))
            .filter(|&z| z <= MAX_TABLE);
        let Some(size) = size else {
            conds_tabled &= here.is_empty();
            continue;
        };
        let mut strided = Vec::with_capacity(issues.len());
        let mut stride = 1;
        for &i in issues.iter().rev() {
            strided.push((i, stride));
            stride *= radix[i];
        }
        strided.reverse();
        let mut t = DepthTable {
            issues: strided,
            infeasible: vec![false; size],
            viol: vec![0; size],
            cond: vec![0; size],
        };
        let mut levels = vec![0; n];
        for idx in 0..size {
            for &(i, s) in &t.issues {
                levels[i] = (idx / s) % radix[i];
            }
            for r in &deferred[d] {
                if !r.expr.eval(&levels) {
                    match r.bit {
                        None => t.infeasible[idx] = true,
                        Some(b) => t.viol[idx] |= 1u128 << b,
                    }
                }
            }
            if conds_tabled {
                for &k in &here {
                    if conds[k].eval(&levels) {
                        t.cond[idx] |= 1u128 << k;
                    }
                }
            }
        }
        deferred[d].clear();
        tables[d] = Some(t);
    }
    (tables, conds, conds_tabled)
}

struct State {
    levels: Vec<usize>,
    partial: Vec<f64>,
    votes: VoteMemo,
    suffix: SuffixMemo,
    /// The serial of the chunk being scanned (its number plus one).
    chunk: u64,
    /// Scratch for a suffix outcome's actors' utilities.
    utils: Vec<f64>,
    /// Scratch for the suffix outcomes' buckets (see
    /// [`Compiled::fill_from_key`]).
    buckets: Vec<u16>,
}

impl State {
    fn new(n: usize, rows: usize) -> State {
        State {
            levels: vec![0; n],
            partial: vec![0.0; (n + 1) * rows],
            votes: VoteMemo::default(),
            suffix: SuffixMemo::default(),
            chunk: 0,
            utils: Vec::new(),
            buckets: Vec::new(),
        }
    }
}

impl SuffixKey {
    /// Its slot in a [`SuffixMemo`].
    #[inline]
    fn slot(&self, slots: usize) -> usize {
        let h = [
            self.cond as u64,
            (self.cond >> 64) as u64,
            self.rel,
            self.reached,
        ]
        .iter()
        .fold(0u64, |h, &x| {
            (h.rotate_left(23) ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15)
        });
        (h >> 40) as usize & (slots - 1)
    }
}

/// The split of the space into scan chunks (see `Compiled::chunk_plan`).
struct ChunkPlan {
    /// How many leading issues fix a chunk.
    prefix: usize,
    /// How many chunks (the product of the prefix issues' levels).
    chunks: u64,
    /// Outcomes per chunk.
    per_chunk: u64,
    /// A scan state per worker thread, kept for the whole scan.
    states: Vec<std::sync::Mutex<State>>,
}

/// What a node of the walk hands down to its subtree: the soft
/// constraints its prefix violates and the tabulated ratifier conditions
/// that hold on it, the test rows its utility bounds leave open (bits over
/// `Compiled::tests`), and the pass bits and reservation bits of the rows
/// they settle.
#[derive(Clone, Copy)]
struct Node {
    viol: u128,
    cond: u128,
    open: u64,
    pass: u64,
    res: u128,
}

/// Slots of a [`VoteMemo`].
const VOTE_SLOTS: usize = 256;

/// The ratifiers' verdicts by (conditions, pass bits), direct-mapped: a
/// leaf's verdicts depend on nothing else, and the outcomes of one chunk
/// repeat few combinations, so most leaves vote by one lookup.
struct VoteMemo {
    slots: Vec<Option<(u128, u64, u128)>>,
}

impl Default for VoteMemo {
    fn default() -> Self {
        VoteMemo {
            slots: vec![None; VOTE_SLOTS],
        }
    }
}

impl VoteMemo {
    /// The verdicts for `(cond, pass)`, computed by `f` on a miss.
    #[inline]
    fn get(&mut self, cond: u128, pass: u64, f: impl FnOnce() -> u128) -> u128 {
        let h = (cond as u64 ^ ((cond >> 64) as u64).rotate_left(29) ^ pass.rotate_left(41))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let slot = (h >> 56) as usize % VOTE_SLOTS;
        match self.slots[slot] {
            Some((c, p, v)) if c == cond && p == pass => v,
            _ => {
                let v = f();
                self.slots[slot] = Some((cond, pass, v));
                v
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{count_reached, least_reaching, DepthTable, RowTests, VoteMemo, WalkTable};
    use std::cell::Cell;

    #[test]
    fn a_rows_bucket_decides_its_tests_as_the_comparisons_do() {
        // Row 0: a reservation at 0.45 (bit 7) and blocs 0, 2, 3 at 0.45,
        // 0.55 and 0.0; row 1: bloc 1 at 0.3 and a reservation at 0.3
        // (bit 8); row 2 has no test.
        let reservations = [(0, 0.45, 7), (1, 0.3, 8)];
        let vote_rows = [0, 1, 0, 0];
        let vote_thresholds = [0.45, 0.3, 0.55, 0.0];
        let tests = RowTests::build(3, &reservations, &vote_rows, &vote_thresholds);
        assert_eq!(tests.len(), 2);
        assert_eq!(tests[0].thresholds, vec![0.0, 0.45, 0.55]);
        assert_eq!(tests[1].thresholds, vec![0.3]);
        let probes = [-1.0, 0.0, 0.2, 0.3, 0.45, 0.5, 0.55, 0.9];
        for t in &tests {
            for &p in &probes {
                for u in [p, f64::next_down(p), f64::next_up(p)] {
                    let b = t.bucket(u);
                    let mut pass = 0u64;
                    for (j, (&row, &thr)) in vote_rows.iter().zip(&vote_thresholds).enumerate() {
                        if row == t.row && u >= thr {
                            pass |= 1 << j;
                        }
                    }
                    let mut res = 0u128;
                    for &(row, value, bit) in &reservations {
                        if row == t.row && u < value {
                            res |= 1 << bit;
                        }
                    }
                    assert_eq!(t.pass[b], pass, "row {}, u = {u}", t.row);
                    assert_eq!(t.res[b], res, "row {}, u = {u}", t.row);
                }
            }
        }
        // A threshold that is not a number turns the grouping off: the leaf
        // then compares as before.
        assert!(RowTests::build(1, &[(0, f64::NAN, 0)], &[], &[]).is_empty());
    }

    #[test]
    fn a_breakpoint_is_the_least_partial_sum_that_reaches_its_threshold() {
        // The sum as the walk rounds it, two terms added in turn.
        let sum = |p: f64| (p + 0.1) + 0.2;
        for thr in [0.3, 0.45, 0.6, -0.2, 1e-17] {
            let b = least_reaching(thr, sum);
            assert!(sum(b) >= thr, "{thr}: {b} reaches");
            assert!(
                sum(f64::next_down(b)) < thr,
                "{thr}: nothing below {b} does"
            );
        }
        // Every partial sum reaches, or none does.
        assert_eq!(least_reaching(-1.0, |_| 0.0), f64::NEG_INFINITY);
        assert_eq!(least_reaching(1.0, |_| 0.0), f64::INFINITY);
        // −0 reaches 0 as +0 does, so a breakpoint is never +0 and `≤`
        // counts breakpoints as the total order does.
        assert_eq!(least_reaching(0.0, |p| p).to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn the_bisection_counts_the_breakpoints_a_partial_sum_reaches() {
        // Every length up to 40 (the flagship's rows hold 4 to 16), with
        // repeats, infinities and −0, probed at each breakpoint, between
        // them and beyond both ends.
        let pool = [
            f64::NEG_INFINITY,
            -2.5,
            -0.0,
            0.125,
            0.125,
            0.3,
            0.7,
            1.0,
            f64::INFINITY,
        ];
        for len in 0..=40usize {
            let mut b: Vec<f64> = (0..len).map(|i| pool[(i * 7 + len) % pool.len()]).collect();
            b.sort_by(f64::total_cmp);
            let mut probes = vec![-3.0, 0.0, 0.2, 0.5, 2.0, f64::MAX];
            for &x in &b {
                if x.is_finite() {
                    probes.extend([x, f64::next_down(x), f64::next_up(x)]);
                }
            }
            for p in probes {
                let z = b.iter().filter(|&&x| x <= p).count();
                assert_eq!(count_reached(&b, p), z, "{b:?} at {p}");
            }
        }
    }

    #[test]
    fn a_walk_table_puts_a_nodes_children_side_by_side() {
        // Depth 2 of radix 3 with a rule over issues 0 (radix 2) and 2:
        // entry index = level₀ · 3 + level₂, the issue's own single-issue
        // bits folded in by its level.
        let t = DepthTable {
            issues: vec![(0, 3), (2, 1)],
            infeasible: vec![false, false, true, false, false, false],
            viol: vec![0, 1, 0, 0, 0, 1],
            cond: vec![4, 0, 0, 0, 4, 0],
        };
        let w = WalkTable::new(2, 3, Some(t), &[0, 2, 0], &[false, false, false]);
        assert_eq!(w.earlier, vec![(0, 3)]);
        let got: Vec<(bool, u128, u128)> = w
            .entries
            .iter()
            .map(|e| (e.infeasible, e.viol, e.cond))
            .collect();
        assert_eq!(
            got,
            vec![
                (false, 0, 4),
                (false, 3, 0),
                (true, 0, 0),
                (false, 0, 0),
                (false, 2, 4),
                (false, 1, 0),
            ]
        );
        // A table over no issue (a condition naming none, decided with the
        // first issue) is repeated for each level of the issue.
        let t = DepthTable {
            issues: Vec::new(),
            infeasible: vec![false],
            viol: vec![0],
            cond: vec![1],
        };
        let w = WalkTable::new(0, 2, Some(t), &[0, 8], &[true, false]);
        assert!(w.earlier.is_empty());
        let got: Vec<(bool, u128, u128)> = w
            .entries
            .iter()
            .map(|e| (e.infeasible, e.viol, e.cond))
            .collect();
        assert_eq!(got, vec![(true, 0, 1), (false, 8, 1)]);
    }

    #[test]
    fn vote_memo_answers_each_key_with_its_own_verdict() {
        // Far more keys than slots, met twice each in an interleaved order:
        // every answer must be the key's own, whether hit or recomputed
        // after an eviction, and the second round must hit at least once.
        let mut memo = VoteMemo::default();
        let verdict = |cond: u128, pass: u64| cond.rotate_left(7) ^ u128::from(pass) ^ 0x5a;
        let calls = Cell::new(0);
        let keys: Vec<(u128, u64)> = (0..2000u64)
            .map(|k| {
                (
                    u128::from(k % 37) << (k % 90),
                    k.wrapping_mul(0x2545_f491) % 4096,
                )
            })
            .collect();
        for round in 0..2 {
            for &(c, p) in &keys {
                let got = memo.get(c, p, || {
                    calls.set(calls.get() + 1);
                    verdict(c, p)
                });
                assert_eq!(got, verdict(c, p), "round {round}, key ({c}, {p})");
            }
        }
        assert!(calls.get() < 2 * keys.len());
        // A repeated key right after its computation is always a hit.
        let before = calls.get();
        memo.get(3, 9, || verdict(3, 9));
        memo.get(3, 9, || unreachable!("a hit"));
        assert_eq!(calls.get(), before);
    }
}

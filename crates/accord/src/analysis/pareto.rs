//! The Pareto frontier (maximisation) of a stream of outcomes, for any number
//! of parties.
//!
//! The answer is the set of outcomes no other offered outcome dominates, so
//! it does not depend on the order outcomes arrive in: chunk frontiers can be
//! merged in any tree. Three choices keep it output-sensitive:
//!
//! - Outcomes with bit-identical utility vectors share one *group*, so ties
//!   (often most of a frontier) cost one dominance test, not one each.
//! - Offered outcomes not dominated by the current skyline wait in a buffer;
//!   a *sift* sorts buffer and skyline together so a vector can only be
//!   dominated by an earlier one, then sweeps once with a dominance index:
//!   the running maximum for two parties, a staircase for three, and a k-d
//!   tree with subtree maxima beyond.
//! - The skyline test of a new outcome tries the vector that rejected the
//!   previous one first, which settles most dominated outcomes at once,
//!   then a k-d tree of the skyline once it is more than a few vectors.
//!
//! Utilities are finite, so `==` on them is an equivalence and dominance a
//! strict partial order; the outcome of every operation is then fixed by the
//! set of outcomes offered.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rayon::prelude::*;

/// Buffered outcomes that trigger a sift, at the least; beyond, twice the
/// skyline, so a sift's cost is spread over the outcomes it settles. Small,
/// because chunks are small and an early skyline rejects most outcomes.
const MIN_PENDING: usize = 64;

/// Outcomes no other offered outcome dominates, ties included.
#[derive(Debug, Default, Clone)]
pub(crate) struct Frontier {
    /// Number of parties (0 until the first outcome).
    k: usize,
    /// Skyline vectors, `k` each: distinct, mutually non-dominated, sorted
    /// by [`order`].
    coords: Vec<f64>,
    /// The outcome indices sharing each skyline vector, ascending.
    members: Vec<Vec<u64>>,
    /// Outcomes offered since the last sift, `k` utilities each.
    pending_u: Vec<f64>,
    /// Indices of the pending outcomes.
    pending_i: Vec<u64>,
    /// The skyline group that rejected the last outcome.
    hint: usize,
    /// The skyline in a k-d tree, once it is too large to scan.
    tree: Option<KdTree>,
    /// The skyline group at each node of `tree`.
    tree_group: Vec<usize>,
}

/// Skyline groups beyond which the dominance test uses the k-d tree.
const SCAN_MAX: usize = 48;

/// Whether `a` weakly exceeds `b` everywhere and strictly somewhere.
pub(crate) fn dominates(a: &[f64], b: &[f64]) -> bool {
    let mut strict = false;
    for (x, y) in a.iter().zip(b) {
        if x < y {
            return false;
        }
        if x > y {
            strict = true;
        }
    }
    strict
}

/// Whether `a` is at least `b` everywhere.
fn weakly_ge(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x >= y)
}

/// Sift order: descending by value, coordinate by coordinate, then by bit
/// pattern so bit-identical vectors are adjacent. A dominating vector is
/// greater at its first differing coordinate, hence always earlier.
pub(super) fn order(a: &[f64], b: &[f64]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        // `+ 0.0` turns -0.0 into 0.0, which `==` treats alike.
        match (y + 0.0).total_cmp(&(x + 0.0)) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    a.iter()
        .map(|x| x.to_bits())
        .cmp(b.iter().map(|y| y.to_bits()))
}

/// Whether two vectors have the same bits.
fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// A totally ordered finite float (with -0.0 read as 0.0).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64);

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.0 + 0.0).total_cmp(&(other.0 + 0.0))
    }
}

/// Points in a k-d tree whose nodes also keep the componentwise maximum of
/// their subtree, for "is some stored point at least `q` everywhere?"
/// queries: a subtree whose maximum falls short of `q` anywhere is skipped,
/// and so is the low side of a split below `q`.
#[derive(Debug, Default, Clone)]
pub(super) struct KdTree {
    k: usize,
    /// The point at each node, `k` each.
    at: Vec<f64>,
    /// The componentwise maximum of each node's subtree, `k` each.
    max: Vec<f64>,
    /// Children of each node (`NONE`: none): below, then at or above the
    /// node's coordinate on its split dimension (depth mod `k`).
    kids: Vec<[u32; 2]>,
}

const NONE: u32 = u32::MAX;

impl KdTree {
    /// An empty tree of `k`-dimensional points.
    pub(super) fn new(k: usize) -> KdTree {
        KdTree {
            k,
            ..KdTree::default()
        }
    }

    /// Stores a point.
    pub(super) fn insert(&mut self, p: &[f64]) {
        let k = self.k;
        let new = self.kids.len() as u32;
        self.at.extend_from_slice(p);
        self.max.extend_from_slice(p);
        self.kids.push([NONE, NONE]);
        if new == 0 {
            return;
        }
        let (mut n, mut depth) = (0usize, 0usize);
        loop {
            for (m, &x) in self.max[n * k..(n + 1) * k].iter_mut().zip(p) {
                if x > *m {
                    *m = x;
                }
            }
            let d = depth % k;
            let side = usize::from(p[d] >= self.at[n * k + d]);
            match self.kids[n][side] {
                NONE => {
                    self.kids[n][side] = new;
                    return;
                }
                c => {
                    n = c as usize;
                    depth += 1;
                }
            }
        }
    }

    /// The node of a stored point at least `q` everywhere and, if `strict`,
    /// above it somewhere.
    pub(super) fn covers(&self, q: &[f64], strict: bool) -> Option<usize> {
        if self.kids.is_empty() {
            None
        } else {
            self.covers_at(0, 0, q, strict)
        }
    }

    /// The point stored at a node.
    pub(super) fn point(&self, n: usize) -> &[f64] {
        &self.at[n * self.k..(n + 1) * self.k]
    }

    fn covers_at(&self, n: usize, depth: usize, q: &[f64], strict: bool) -> Option<usize> {
        let k = self.k;
        if !weakly_ge(&self.max[n * k..(n + 1) * k], q) {
            return None;
        }
        let p = &self.at[n * k..(n + 1) * k];
        if if strict {
            dominates(p, q)
        } else {
            weakly_ge(p, q)
        } {
            return Some(n);
        }
        let d = depth % k;
        let [lo, hi] = self.kids[n];
        if hi != NONE {
            if let Some(f) = self.covers_at(hi as usize, depth + 1, q, strict) {
                return Some(f);
            }
        }
        // The low side holds points below p[d]; useful only if q is too.
        if lo != NONE && q[d] < p[d] {
            return self.covers_at(lo as usize, depth + 1, q, strict);
        }
        None
    }
}

/// Answers "does a stored vector weakly exceed this one everywhere?" for
/// vectors added in sift order, so every stored vector already weakly
/// exceeds the query's first coordinate.
enum Index {
    /// One party: any stored vector exceeds.
    One(bool),
    /// Two parties: the largest second coordinate stored.
    Two(Option<f64>),
    /// Three parties: the maxima of the stored (second, third) pairs, with
    /// the third falling as the second rises.
    Three(BTreeMap<Key, f64>),
    /// More parties: the stored vectors in a k-d tree.
    Many(KdTree),
}

impl Index {
    fn new(k: usize) -> Index {
        match k {
            0 | 1 => Index::One(false),
            2 => Index::Two(None),
            3 => Index::Three(BTreeMap::new()),
            _ => Index::Many(KdTree::new(k)),
        }
    }

    fn covers(&self, u: &[f64]) -> bool {
        match self {
            Index::One(any) => *any,
            Index::Two(best) => best.is_some_and(|y| y >= u[1]),
            Index::Three(stairs) => stairs
                .range(Key(u[1])..)
                .next()
                .is_some_and(|(_, &z)| z >= u[2]),
            Index::Many(tree) => tree.covers(u, false).is_some(),
        }
    }

    /// Stores a vector [`Index::covers`] has just refused.
    fn add(&mut self, u: &[f64]) {
        match self {
            Index::One(any) => *any = true,
            Index::Two(best) => *best = Some(best.map_or(u[1], |y| y.max(u[1]))),
            Index::Three(stairs) => {
                // Steps below and left of the new one are now covered by it.
                let (y, z) = (Key(u[1]), u[2]);
                let gone: Vec<Key> = stairs
                    .range(..=y)
                    .rev()
                    .take_while(|(_, &z2)| z2 <= z)
                    .map(|(&y2, _)| y2)
                    .collect();
                for g in gone {
                    stairs.remove(&g);
                }
                stairs.insert(y, z);
            }
            Index::Many(tree) => tree.insert(u),
        }
    }
}

/// Merges two ascending index lists, dropping repeats.
fn union(a: Vec<u64>, b: Vec<u64>) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

impl Frontier {
    /// Offers an outcome to the frontier (offering one twice is harmless).
    pub(crate) fn insert(&mut self, index: u64, u: &[f64]) {
        if self.k == 0 {
            self.k = u.len();
        }
        if self.dominated(u) {
            return;
        }
        self.pending_u.extend_from_slice(u);
        self.pending_i.push(index);
        if self.pending_i.len() >= MIN_PENDING.max(2 * self.members.len()) {
            self.sift();
        }
    }

    /// Whether a skyline vector weakly exceeds `u` everywhere and strictly
    /// somewhere; outcomes still pending are not consulted (they are sifted
    /// later anyway), [`Frontier::dominated_now`] consults them too.
    pub(crate) fn dominated(&mut self, u: &[f64]) -> bool {
        let k = self.k;
        if k == 0 {
            return false;
        }
        if self.hint < self.members.len()
            && dominates(&self.coords[self.hint * k..(self.hint + 1) * k], u)
        {
            return true;
        }
        if let Some(tree) = &self.tree {
            return match tree.covers(u, true) {
                Some(node) => {
                    self.hint = self.tree_group[node];
                    true
                }
                None => false,
            };
        }
        match self.coords.chunks_exact(k).position(|p| dominates(p, u)) {
            Some(g) => {
                self.hint = g;
                true
            }
            None => false,
        }
    }

    /// Whether some offered outcome dominates `u`, pending ones included
    /// (they are few: a sift runs before they outnumber twice the skyline).
    pub(crate) fn dominated_now(&mut self, u: &[f64]) -> bool {
        if self.dominated(u) {
            return true;
        }
        let k = self.k;
        k > 0 && self.pending_u.chunks_exact(k).any(|p| dominates(p, u))
    }

    /// Number of outcomes on the frontier.
    pub(crate) fn len(&mut self) -> usize {
        self.sift();
        self.members.iter().map(Vec::len).sum()
    }

    /// Merges another frontier into this one.
    pub(crate) fn merge(&mut self, mut other: Frontier) {
        if other.k == 0 {
            return;
        }
        if self.k == 0 {
            *self = other;
            return;
        }
        other.sift();
        // Skyline groups go in as pending outcomes of their first member;
        // the remaining members rejoin by bit pattern below.
        let k = self.k;
        let mut extra: Vec<(usize, Vec<u64>)> = Vec::new();
        for (g, m) in other.members.into_iter().enumerate() {
            let u = &other.coords[g * k..(g + 1) * k];
            self.pending_u.extend_from_slice(u);
            self.pending_i.push(m[0]);
            if m.len() > 1 {
                extra.push((self.pending_i.len() - 1, m));
            }
        }
        self.sift_with(extra);
    }

    /// Merges many frontiers as a parallel tree.
    pub(crate) fn merge_all(parts: Vec<Frontier>) -> Frontier {
        parts.into_par_iter().reduce(Frontier::default, |mut a, b| {
            a.merge(b);
            a
        })
    }

    /// The frontier sorted by outcome index.
    pub(crate) fn into_sorted(mut self) -> Vec<(u64, Vec<f64>)> {
        self.sift();
        let k = self.k;
        let mut out: Vec<(u64, Vec<f64>)> =
            Vec::with_capacity(self.members.iter().map(Vec::len).sum());
        for (g, m) in self.members.iter().enumerate() {
            let u = &self.coords[g * k..(g + 1) * k];
            out.extend(m.iter().map(|&i| (i, u.to_vec())));
        }
        out.sort_unstable_by_key(|(i, _)| *i);
        out
    }

    /// Folds the pending outcomes into the skyline.
    fn sift(&mut self) {
        if !self.pending_i.is_empty() {
            self.sift_with(Vec::new());
        }
    }

    /// Folds the pending outcomes into the skyline; `extra` lists further
    /// members (ascending) of the pending outcome at each position.
    fn sift_with(&mut self, extra: Vec<(usize, Vec<u64>)>) {
        let k = self.k;
        // Candidates: skyline groups (tagged by group) and pending outcomes
        // (tagged past the groups), in sift order.
        let ng = self.members.len();
        let np = self.pending_i.len();
        let vec_of = |c: usize| -> &[f64] {
            if c < ng {
                &self.coords[c * k..(c + 1) * k]
            } else {
                &self.pending_u[(c - ng) * k..(c - ng + 1) * k]
            }
        };
        let mut cand: Vec<usize> = (0..ng + np).collect();
        cand.sort_unstable_by(|&a, &b| order(vec_of(a), vec_of(b)));

        let mut old_members = std::mem::take(&mut self.members);
        let mut extra: Vec<Option<Vec<u64>>> = {
            let mut e = vec![None; np];
            for (p, m) in extra {
                e[p] = Some(m);
            }
            e
        };
        let mut coords = Vec::new();
        let mut members: Vec<Vec<u64>> = Vec::new();
        let mut index = Index::new(k);
        let mut i = 0;
        while i < cand.len() {
            // A run of equal vectors stands or falls together.
            let first = vec_of(cand[i]);
            let mut j = i + 1;
            while j < cand.len() && order_eq(vec_of(cand[j]), first) {
                j += 1;
            }
            if !index.covers(first) {
                index.add(first);
                // Within the run, bit-identical vectors form one group.
                let mut s = i;
                while s < j {
                    let u = vec_of(cand[s]);
                    let mut t = s + 1;
                    while t < j && same_bits(vec_of(cand[t]), u) {
                        t += 1;
                    }
                    let mut m: Vec<u64> = Vec::new();
                    let mut loose: Vec<u64> = Vec::new();
                    for &c in &cand[s..t] {
                        if c < ng {
                            m = union(m, std::mem::take(&mut old_members[c]));
                        } else {
                            loose.push(self.pending_i[c - ng]);
                            if let Some(e) = extra[c - ng].take() {
                                m = union(m, e);
                            }
                        }
                    }
                    loose.sort_unstable();
                    loose.dedup();
                    m = union(m, loose);
                    coords.extend_from_slice(u);
                    members.push(m);
                    s = t;
                }
            }
            i = j;
        }
        self.set_skyline(coords, members);
        self.pending_u.clear();
        self.pending_i.clear();
        self.hint = 0;
    }

    /// A frontier of `k` parties whose skyline is known: `coords` distinct,
    /// mutually non-dominated vectors in [`order`], `members` their outcome
    /// indices (ascending).
    pub(super) fn from_skyline(k: usize, coords: Vec<f64>, members: Vec<Vec<u64>>) -> Frontier {
        let mut f = Frontier {
            k,
            ..Frontier::default()
        };
        f.set_skyline(coords, members);
        f
    }

    /// The part of a sifted frontier whose vectors pass `keep`.
    pub(super) fn filtered(&self, keep: impl Fn(&[f64]) -> bool) -> Frontier {
        debug_assert!(self.pending_i.is_empty(), "sift first");
        let k = self.k;
        let mut coords = Vec::new();
        let mut members = Vec::new();
        for (g, m) in self.members.iter().enumerate() {
            let u = &self.coords[g * k..(g + 1) * k];
            if keep(u) {
                coords.extend_from_slice(u);
                members.push(m.clone());
            }
        }
        Frontier::from_skyline(k, coords, members)
    }

    /// Installs a sifted skyline and its dominance index.
    fn set_skyline(&mut self, coords: Vec<f64>, members: Vec<Vec<u64>>) {
        let k = self.k;
        let n = members.len();
        self.tree = (n > SCAN_MAX).then(|| {
            // A scrambled insertion order keeps the tree shallow (the sift
            // order is sorted on the first coordinate).
            let mut t = KdTree::new(k);
            let step = (0..)
                .map(|j| n / 2 + 1 + j)
                .find(|&s| gcd(s, n) == 1)
                .unwrap_or(1);
            self.tree_group.clear();
            for j in 0..n {
                let g = (j * step) % n;
                t.insert(&coords[g * k..(g + 1) * k]);
                self.tree_group.push(g);
            }
            t
        });
        self.coords = coords;
        self.members = members;
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Whether two vectors are equal by value (`==` on every coordinate).
fn order_eq(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The frontier by definition: every outcome no other one dominates.
    fn reference(points: &[Vec<f64>]) -> Vec<(u64, Vec<f64>)> {
        points
            .iter()
            .enumerate()
            .filter(|(_, u)| !points.iter().any(|p| dominates(p, u)))
            .map(|(i, u)| (i as u64, u.clone()))
            .collect()
    }

    /// Bit patterns, so -0.0 and 0.0 count as different answers.
    fn bits(f: &[(u64, Vec<f64>)]) -> Vec<(u64, Vec<u64>)> {
        f.iter()
            .map(|(i, u)| (*i, u.iter().map(|x| x.to_bits()).collect()))
            .collect()
    }

    /// Frontier of `points` offered in `order`, split into `parts` streams
    /// merged as a tree.
    fn streamed(points: &[Vec<f64>], seq: &[usize], parts: usize) -> Vec<(u64, Vec<f64>)> {
        let mut fs = vec![Frontier::default(); parts];
        for (n, &i) in seq.iter().enumerate() {
            fs[n % parts].insert(i as u64, &points[i]);
        }
        Frontier::merge_all(fs).into_sorted()
    }

    #[test]
    fn hand_computed_three_parties() {
        // (3,1,1) and (1,3,1) are incomparable; (1,1,1) is dominated by
        // both; (3,1,1) twice is a tie kept under both indices; (2,2,2) is
        // dominated by nothing.
        let pts = [
            vec![1.0, 1.0, 1.0],
            vec![3.0, 1.0, 1.0],
            vec![1.0, 3.0, 1.0],
            vec![3.0, 1.0, 1.0],
            vec![2.0, 2.0, 2.0],
            vec![2.0, 2.0, 1.0],
        ];
        let got = streamed(&pts, &[0, 1, 2, 3, 4, 5], 1);
        let idx: Vec<u64> = got.iter().map(|(i, _)| *i).collect();
        assert_eq!(idx, vec![1, 2, 3, 4]);
    }

    #[test]
    fn signed_zeros_are_ties_kept_apart() {
        let pts = [vec![0.0, 1.0], vec![-0.0, 1.0], vec![-1.0, 1.0]];
        let got = streamed(&pts, &[2, 1, 0], 1);
        assert_eq!(bits(&got), bits(&reference(&pts)));
        assert_eq!(got.len(), 2);
        assert!(got[1].1[0].is_sign_negative());
    }

    #[test]
    fn search_style_queries() {
        let mut f = Frontier::default();
        f.insert(0, &[1.0, 2.0, 3.0]);
        f.insert(0, &[1.0, 2.0, 3.0]);
        assert!(f.dominated_now(&[1.0, 2.0, 2.5]));
        assert!(!f.dominated_now(&[1.0, 2.0, 3.0]));
        assert_eq!(f.len(), 1);
    }

    /// Utility sets with many ties: coordinates from a few levels.
    fn cloud() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<usize>, usize)> {
        (2usize..=6, 1usize..600, 1u32..6).prop_flat_map(|(k, n, levels)| {
            let pt = proptest::collection::vec(
                (0..=levels).prop_map(move |l| match l {
                    0 => -0.0,
                    l => l as f64 / levels as f64,
                }),
                k,
            );
            (
                proptest::collection::vec(pt, n),
                Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
                1usize..8,
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 300,
            max_shrink_iters: if std::env::var_os("CI").is_some() { 0 } else { 1024 },
            ..ProptestConfig::default()
        })]

        #[test]
        fn matches_the_definition((pts, seq, parts) in cloud()) {
            prop_assert_eq!(bits(&streamed(&pts, &seq, parts)), bits(&reference(&pts)));
        }

        #[test]
        fn kd_tree_answers_like_a_scan((pts, seq, _) in cloud(), probe in proptest::collection::vec(0usize..300, 1..20)) {
            let k = pts[0].len();
            let mut t = KdTree::new(k);
            for &i in &seq {
                t.insert(&pts[i]);
            }
            for j in probe {
                let q = &pts[j % pts.len()];
                for strict in [false, true] {
                    let want = pts.iter().any(|p| if strict { dominates(p, q) } else { weakly_ge(p, q) });
                    let got = t.covers(q, strict);
                    prop_assert_eq!(got.is_some(), want);
                    if let Some(n) = got {
                        let p = &t.at[n * k..(n + 1) * k];
                        let ok = if strict { dominates(p, q) } else { weakly_ge(p, q) };
                        prop_assert!(ok);
                    }
                }
            }
        }

        #[test]
        fn dominated_matches_the_definition((pts, seq, _) in cloud(), probe in 0usize..300) {
            let mut f = Frontier::default();
            for &i in &seq {
                f.insert(i as u64, &pts[i]);
            }
            let q = &pts[probe % pts.len()];
            prop_assert_eq!(f.dominated_now(q), pts.iter().any(|p| dominates(p, q)));
        }
    }
}

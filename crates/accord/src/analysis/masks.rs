//! The violation-mask table: per distinct (violation mask, process network)
//! pair met in the first pass, how many outcomes carry it and the best of
//! them by Nash product. Every relaxation that keeps the reservations (so
//! keeps the disagreement point) is answered from this table alone, and the
//! minimal relaxations are its minimal masks: no second scan over the
//! outcomes, and memory O(distinct masks) rather than O(relaxations × chunks).

use super::{Best, ProcTable};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A multiply-rotate hasher for the table's keys: the table is looked up
/// in the scan's inner loop whenever the key changes, keys are not chosen
/// by an adversary, and no answer depends on the hash (entries keep their
/// insertion order).
#[derive(Default, Clone, Copy)]
pub(crate) struct MaskHasher(u64);

impl MaskHasher {
    #[inline]
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for MaskHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(b));
        }
    }
    #[inline]
    fn write_u32(&mut self, x: u32) {
        self.add(u64::from(x));
    }
    #[inline]
    fn write_u64(&mut self, x: u64) {
        self.add(x);
    }
    #[inline]
    fn write_u128(&mut self, x: u128) {
        self.add(x as u64);
        self.add((x >> 64) as u64);
    }
    #[inline]
    fn write_usize(&mut self, x: usize) {
        self.add(x as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Outcomes sharing one violation mask and one process network.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MaskAgg {
    /// The soft constraints these outcomes violate.
    pub mask: u128,
    /// The extra rules they violate (alternative readings of red lines,
    /// on the bits after the soft constraints; 0 without readings). Two
    /// entries may share `mask` and `net` and differ here.
    pub extra: u128,
    /// The process network slot (0 without a conditional process).
    pub net: u32,
    /// How many outcomes.
    pub count: u64,
    /// The best of them by Nash product (ties: lowest index).
    pub best: Best,
}

/// The table, filled per chunk in index order and merged in index order.
#[derive(Debug, Default)]
pub(crate) struct MaskTable {
    slot: HashMap<(u128, u32), usize, BuildHasherDefault<MaskHasher>>,
    pub aggs: Vec<MaskAgg>,
    /// Keys met lately and their entries, direct-mapped ([`FRONT`] slots,
    /// made at the first add): a grouped scan hands over a few thousand
    /// keys in turn, and a slot here is one multiply and one comparison
    /// where `slot` hashes three words and probes.
    front: Vec<((u128, u32), usize)>,
}

/// Slots of [`MaskTable::front`].
const FRONT: usize = 1 << 10;

/// Keeps `b` if it beats `best`: a higher score, or the same score at a lower
/// index (entries from different masks arrive in no particular order).
pub(crate) fn better_any(best: &mut Option<Best>, b: Best) {
    if best.is_none_or(|x| b.score > x.score || (b.score == x.score && b.index < x.index)) {
        *best = Some(b);
    }
}

impl MaskTable {
    /// Counts one outcome; outcomes arrive in index order within a chunk.
    /// Returns its entry's position in `aggs` (new entries go last).
    #[inline]
    pub(crate) fn add(
        &mut self,
        mask: u128,
        extra: u128,
        net: u32,
        index: u64,
        nash: f64,
    ) -> usize {
        self.add_many(mask, extra, net, 1, Best { score: nash, index })
    }

    /// Counts `count` outcomes at once, `best` the first of the greatest
    /// Nash product among them, in any order.
    #[inline]
    pub(crate) fn add_many(
        &mut self,
        mask: u128,
        extra: u128,
        net: u32,
        count: u64,
        best: Best,
    ) -> usize {
        // Mask and extra bits are disjoint, so their union is a key.
        let key = (mask | extra, net);
        if self.front.is_empty() {
            self.front = vec![((0, 0), usize::MAX); FRONT];
        }
        let h = ((key.0 as u64) ^ (key.0 >> 64) as u64 ^ u64::from(net) << 40)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let f = (h >> 54) as usize % FRONT;
        let s = match self.front[f] {
            (k, s) if k == key && s != usize::MAX => s,
            _ => {
                let n = self.aggs.len();
                let s = *self.slot.entry(key).or_insert(n);
                if s == n {
                    self.aggs.push(MaskAgg {
                        mask,
                        extra,
                        net,
                        count: 0,
                        best,
                    });
                }
                self.front[f] = (key, s);
                s
            }
        };
        let a = &mut self.aggs[s];
        a.count += count;
        // Ties keep the lower index (groups of outcomes come out of order).
        if best.score > a.best.score || (best.score == a.best.score && best.index < a.best.index) {
            a.best = best;
        }
        s
    }

    /// Merges another table into this one (ties keep the lower index: a
    /// grouped scan hands some groups to an accumulator after the chunks').
    pub(crate) fn merge(&mut self, q: MaskTable) {
        for a in q.aggs {
            let n = self.aggs.len();
            let s = *self.slot.entry((a.mask | a.extra, a.net)).or_insert(n);
            if s == n {
                self.aggs.push(a);
            } else {
                let mine = &mut self.aggs[s];
                mine.count += a.count;
                let b = a.best;
                if b.score > mine.best.score
                    || (b.score == mine.best.score && b.index < mine.best.index)
                {
                    mine.best = b;
                }
            }
        }
    }

    /// The masks an outcome's opening needs: its violations plus one waiver
    /// of its process network (each alternative waiver gives one mask).
    fn opening_masks<'a>(&'a self, proc: Option<&'a ProcTable>) -> impl Iterator<Item = u128> + 'a {
        self.aggs.iter().flat_map(move |a| {
            let ws: &[u128] = match proc {
                Some(t) => t.net_waivers(a.net),
                None => &[0],
            };
            ws.iter().map(move |&w| a.mask | w)
        })
    }

    /// The inclusion-minimal opening masks: the minimal relaxations.
    pub(crate) fn minimal(&self, proc: Option<&ProcTable>) -> Vec<u128> {
        let distinct: HashSet<u128, BuildHasherDefault<MaskHasher>> =
            self.opening_masks(proc).collect();
        minimal_sets(distinct.into_iter().collect())
    }

    /// Outcomes opened by dropping `r` (no reservation in it), and the best
    /// of them by Nash product under the unchanged disagreement point.
    pub(crate) fn relaxed(&self, r: u128, proc: Option<&ProcTable>) -> (u64, Option<Best>) {
        let opens = |a: &MaskAgg| {
            a.mask & !r == 0
                && proc.is_none_or(|t| t.net_waivers(a.net).iter().any(|&w| w & !r == 0))
        };
        let mut n = 0;
        let mut best = None;
        for a in self.aggs.iter().filter(|a| opens(a)) {
            n += a.count;
            better_any(&mut best, a.best);
        }
        (n, best)
    }

    /// [`MaskTable::relaxed`] for many relaxations: looks up the subsets of
    /// each when that is cheaper than walking the table.
    pub(crate) fn relaxed_all(
        &self,
        rs: &[u128],
        proc: Option<&ProcTable>,
    ) -> Vec<(u64, Option<Best>)> {
        let mut by_mask: HashMap<u128, Vec<usize>> = HashMap::new();
        for (k, a) in self.aggs.iter().enumerate() {
            by_mask.entry(a.mask).or_default().push(k);
        }
        rs.iter()
            .map(|&r| {
                let pc = r.count_ones();
                if pc >= 24 || (1usize << pc) > self.aggs.len() {
                    return self.relaxed(r, proc);
                }
                let mut n = 0;
                let mut best = None;
                // Every subset of r, 0 included (Gosper-free submask walk).
                let mut sub = r;
                loop {
                    for &k in by_mask.get(&sub).map_or(&[][..], |v| &v[..]) {
                        let a = &self.aggs[k];
                        if proc.is_none_or(|t| t.net_waivers(a.net).iter().any(|&w| w & !r == 0)) {
                            n += a.count;
                            better_any(&mut best, a.best);
                        }
                    }
                    if sub == 0 {
                        break;
                    }
                    sub = (sub - 1) & r;
                }
                (n, best)
            })
            .collect()
    }
}

/// The inclusion-minimal members of a set of masks (repeats allowed),
/// sorted by size then value. A member is checked against the minimal ones found so far
/// (smaller first), by looking up its subsets when it has few bits, so an
/// antichain of 10⁵–10⁶ masks costs seconds rather than hours.
pub(crate) fn minimal_sets(masks: Vec<u128>) -> Vec<u128> {
    // Sizes counted once rather than at every comparison.
    let mut sized: Vec<(u32, u128)> = masks.into_iter().map(|m| (m.count_ones(), m)).collect();
    sized.sort_unstable();
    sized.dedup();
    let mut kept: Vec<u128> = Vec::new();
    let mut kept_set: HashSet<u128, BuildHasherDefault<MaskHasher>> = HashSet::default();
    // Masks arrive by size, so while every kept mask is as large as this
    // one, none can be a proper subset of it (the veto series: all equal).
    let mut smallest_kept = u32::MAX;
    for (pc, m) in sized {
        let dominated = if smallest_kept >= pc {
            false
        } else if pc < 20 && (1usize << pc) < kept.len() {
            // Proper subsets of m, 0 included.
            let mut sub = (m.wrapping_sub(1)) & m;
            loop {
                if kept_set.contains(&sub) {
                    break true;
                }
                if sub == 0 {
                    break false;
                }
                sub = (sub - 1) & m;
            }
        } else {
            kept.iter().any(|&k| k & !m == 0 && k != m)
        };
        if !dominated {
            smallest_kept = smallest_kept.min(pc);
            kept.push(m);
            kept_set.insert(m);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_sets_match_brute_force() {
        let mut x: u64 = 99;
        for round in 0..200 {
            let mut fam: Vec<u128> = Vec::new();
            let n = 1 + round % 40;
            for _ in 0..n {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                fam.push((x >> 30) as u128 & 0x3ff);
            }
            // Repeats are kept in the input (one at least): each minimal
            // mask comes out once.
            fam.push(fam[fam.len() / 2]);
            let mut want: Vec<u128> = fam
                .iter()
                .copied()
                .filter(|&m| !fam.iter().any(|&o| o != m && o & !m == 0))
                .collect();
            want.sort_by_key(|&m| (m.count_ones(), m));
            want.dedup();
            assert_eq!(minimal_sets(fam.clone()), want, "family {fam:?}");
        }
    }
}

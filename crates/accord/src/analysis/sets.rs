//! Set algebra on violation masks: antichains of minimal sets and their
//! minimal hitting sets (the duality between relaxations and blockers).

/// Keeps only inclusion-minimal masks.
#[derive(Debug, Default, Clone)]
pub(crate) struct Antichain {
    pub sets: Vec<u128>,
    last: Option<u128>,
}

impl Antichain {
    /// Adds a mask, dropping it if a subset is present and dropping present
    /// supersets of it.
    pub(crate) fn insert(&mut self, m: u128) {
        if self.last == Some(m) {
            return;
        }
        self.last = Some(m);
        if self.sets.iter().any(|&s| subset(s, m)) {
            return;
        }
        self.sets.retain(|&s| !subset(m, s));
        self.sets.push(m);
    }
}

/// All inclusion-minimal hitting sets of a family (Berge's algorithm), or
/// `None` when there would be more than `limit`.
pub(crate) fn minimal_hitting_sets(family: &[u128], limit: usize) -> Option<Vec<u128>> {
    let mut hs: Vec<u128> = vec![0];
    for &s in family {
        let mut next: Vec<u128> = Vec::new();
        for &h in &hs {
            if h & s != 0 {
                next.push(h);
            }
        }
        let keep = next.clone();
        for &h in &hs {
            if h & s != 0 {
                continue;
            }
            let mut bits = s;
            while bits != 0 {
                let b = bits & bits.wrapping_neg();
                bits &= bits - 1;
                let cand = h | b;
                // Minimal only if no kept set is a subset of it.
                if !keep.iter().any(|&k| subset(k, cand)) && !next.contains(&cand) {
                    next.push(cand);
                }
            }
        }
        // Remove non-minimal among the new ones.
        let mut out: Vec<u128> = Vec::with_capacity(next.len());
        for &c in &next {
            if !next.iter().any(|&o| o != c && subset(o, c)) {
                out.push(c);
            }
        }
        if out.len() > limit {
            return None;
        }
        hs = out;
    }
    hs.sort_by_key(|&h| (h.count_ones(), h));
    Some(hs)
}

/// Whether every bit of `a` is set in `b`.
fn subset(a: u128, b: u128) -> bool {
    a & !b == 0
}

/// The bit positions of a mask, lowest first.
pub(crate) fn bits(mut m: u128) -> Vec<usize> {
    let mut out = Vec::new();
    while m != 0 {
        out.push(m.trailing_zeros() as usize);
        m &= m - 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn antichain_keeps_minimal_sets() {
        let mut a = Antichain::default();
        for m in [0b111, 0b011, 0b110, 0b010, 0b101] {
            a.insert(m);
        }
        let mut s = a.sets.clone();
        s.sort();
        assert_eq!(s, vec![0b010, 0b101]);
    }

    #[test]
    fn hitting_sets_of_two_disjoint_pairs() {
        // {a,b} and {c,d}: minimal transversals are ac, ad, bc, bd.
        let hs = minimal_hitting_sets(&[0b0011, 0b1100], 100).unwrap();
        assert_eq!(hs, vec![0b0101, 0b0110, 0b1001, 0b1010]);
    }

    #[test]
    fn hitting_sets_brute_force() {
        // Compare with exhaustive search on every family of subsets of 5 bits
        // drawn by a fixed pseudo-random sequence.
        let mut x: u64 = 12345;
        for _ in 0..300 {
            let mut fam = Vec::new();
            for _ in 0..4 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let m = ((x >> 33) as u128 & 0b11111).max(1);
                fam.push(m);
            }
            let got = minimal_hitting_sets(&fam, 1000).unwrap();
            let hits = |h: u128| fam.iter().all(|&s| s & h != 0);
            let mut want: Vec<u128> = (0u128..32)
                .filter(|&h| hits(h) && !(0u128..32).any(|g| g != h && g & h == g && hits(g)))
                .collect();
            want.sort_by_key(|&h| (h.count_ones(), h));
            assert_eq!(got, want, "family {fam:?}");
        }
    }
}

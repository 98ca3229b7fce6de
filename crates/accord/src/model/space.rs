//! The outcome space: the product of the issues' levels, numbered in mixed
//! radix with the last issue varying fastest.
//!
//! Every path that turns an outcome index into levels (the negotiators'
//! candidate lists, the ratification vote on the reference deal, the process
//! active on a deal, the analysis' points) goes through one [`OutcomeSpace`],
//! so "index `i`" means the same outcome everywhere and ties that go "to the
//! lowest index" go to the same outcome whichever path breaks them.

use crate::Error;

/// The outcome space of a list of issues: levels per issue (the radix), the
/// stride of each issue in the outcome index, and the number of outcomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeSpace {
    radix: Vec<usize>,
    /// `strides[k]` = Π radix[k+1..]: how far the index moves when issue `k`
    /// moves one level. Saturates at `u64::MAX` when the space is not
    /// [indexable](OutcomeSpace::indexable).
    strides: Vec<u64>,
    /// Π radix, saturating at `u128::MAX`.
    size: u128,
}

impl OutcomeSpace {
    /// The space of issues with `radix[k]` levels each (every radix at
    /// least 1; a zero radix gives an empty space).
    pub fn new(radix: Vec<usize>) -> OutcomeSpace {
        let size = radix
            .iter()
            .fold(1u128, |n, &r| n.saturating_mul(r as u128));
        let mut strides = vec![1u64; radix.len()];
        for k in (0..radix.len().saturating_sub(1)).rev() {
            strides[k] = strides[k + 1].saturating_mul(radix[k + 1] as u64);
        }
        OutcomeSpace {
            radix,
            strides,
            size,
        }
    }

    /// The space of a scenario's issues.
    pub fn of(sc: &super::Scenario) -> OutcomeSpace {
        OutcomeSpace::new(sc.issues.iter().map(super::Issue::levels).collect())
    }

    /// Levels per issue.
    pub fn radix(&self) -> &[usize] {
        &self.radix
    }

    /// Index stride per issue (the last issue's is 1).
    pub fn strides(&self) -> &[u64] {
        &self.strides
    }

    /// Number of issues.
    pub fn issues(&self) -> usize {
        self.radix.len()
    }

    /// Number of outcomes (saturating at `u128::MAX`).
    pub fn size(&self) -> u128 {
        self.size
    }

    /// Whether every outcome has a `u64` index ([`OutcomeSpace::decode`] and
    /// [`OutcomeSpace::encode`] need it).
    pub fn indexable(&self) -> bool {
        self.size <= u64::MAX as u128
    }

    /// The number of outcomes as a `u64`, or [`Error::TooLarge`] when the
    /// space has more outcomes than a `u64` index can number.
    pub fn checked_size(&self) -> Result<u64, Error> {
        u64::try_from(self.size).map_err(|_| Error::TooLarge(self.size))
    }

    /// Whether `levels` names an outcome: one level per issue, each in range.
    pub fn contains(&self, levels: &[usize]) -> bool {
        levels.len() == self.radix.len() && levels.iter().zip(&self.radix).all(|(&l, &r)| l < r)
    }

    /// Levels of the outcome with index `index` (< [`OutcomeSpace::size`],
    /// in an [indexable](OutcomeSpace::indexable) space).
    pub fn decode(&self, index: u64) -> Vec<usize> {
        let mut levels = vec![0; self.radix.len()];
        self.decode_into(index, &mut levels);
        levels
    }

    /// As [`OutcomeSpace::decode`], into a buffer of one level per issue.
    pub fn decode_into(&self, mut index: u64, levels: &mut [usize]) {
        // Last issue first: one division per issue, no stride needed.
        for (l, &r) in levels.iter_mut().zip(&self.radix).rev() {
            *l = (index % r as u64) as usize;
            index /= r as u64;
        }
    }

    /// Index of the outcome with these levels, or `None` when they name no
    /// outcome of the space (wrong length or a level out of range) or the
    /// space is not indexable.
    pub fn encode(&self, levels: &[usize]) -> Option<u64> {
        if !self.indexable() || !self.contains(levels) {
            return None;
        }
        Some(
            levels
                .iter()
                .zip(&self.strides)
                .map(|(&l, &s)| l as u64 * s)
                .sum(),
        )
    }

    /// Every outcome's levels in index order (an indexable space).
    pub fn iter(&self) -> impl Iterator<Item = Vec<usize>> + '_ {
        let n = u64::try_from(self.size).unwrap_or(u64::MAX);
        (0..n).map(|i| self.decode(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hand_computed_strides_and_indices() {
        let s = OutcomeSpace::new(vec![3, 4, 2]);
        assert_eq!(s.size(), 24);
        assert_eq!(s.strides(), &[8, 2, 1]);
        // 1·8 + 3·2 + 1 = 15: the last issue varies fastest.
        assert_eq!(s.decode(15), vec![1, 3, 1]);
        assert_eq!(s.encode(&[1, 3, 1]), Some(15));
        assert_eq!(s.encode(&[1, 4, 1]), None);
        assert_eq!(s.encode(&[1, 3]), None);
        assert_eq!(s.iter().count(), 24);
        assert_eq!(s.iter().nth(5), Some(vec![0, 2, 1]));
        assert_eq!(s.checked_size().unwrap(), 24);
    }

    #[test]
    fn too_large_spaces_say_so() {
        let s = OutcomeSpace::new(vec![1 << 20; 4]);
        assert_eq!(s.size(), 1u128 << 80);
        assert!(!s.indexable());
        assert!(matches!(s.checked_size(), Err(Error::TooLarge(n)) if n == 1u128 << 80));
        assert_eq!(s.encode(&[0, 0, 0, 0]), None);
        // Empty issue list: one (empty) outcome.
        assert_eq!(OutcomeSpace::new(vec![]).size(), 1);
    }

    proptest! {
        #[test]
        fn decode_and_encode_are_inverse(
            radix in prop::collection::vec(1usize..9, 0..7),
            pick in any::<u64>(),
        ) {
            let s = OutcomeSpace::new(radix.clone());
            let size = s.checked_size().unwrap();
            let i = pick % size;
            let x = s.decode(i);
            prop_assert!(s.contains(&x));
            prop_assert_eq!(s.encode(&x), Some(i));
            // The odometer: index i + 1 is the next levels, last fastest.
            if i + 1 < size {
                let mut y = x.clone();
                for k in (0..y.len()).rev() {
                    y[k] += 1;
                    if y[k] < radix[k] { break; }
                    y[k] = 0;
                }
                prop_assert_eq!(s.decode(i + 1), y);
            }
        }

        #[test]
        fn encode_and_decode_are_inverse(
            levels in prop::collection::vec((1usize..12, any::<u32>()), 0..6),
        ) {
            let radix: Vec<usize> = levels.iter().map(|p| p.0).collect();
            let x: Vec<usize> = levels.iter().map(|&(r, v)| v as usize % r).collect();
            let s = OutcomeSpace::new(radix);
            let i = s.encode(&x).unwrap();
            prop_assert!((i as u128) < s.size());
            prop_assert_eq!(s.decode(i), x);
        }
    }
}

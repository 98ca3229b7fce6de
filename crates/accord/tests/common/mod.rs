//! Helpers shared by the randomised test files.

/// A small deterministic generator, so a failing case is its seed.
pub struct Gen(pub u64);

impl Gen {
    /// The next 53 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A multiple of 1/20 in [0, 1]: exact ties are common, which is what
    /// the tie-breaking and pruning rules must survive.
    pub fn unit(&mut self) -> f64 {
        self.below(21) as f64 / 20.0
    }
}

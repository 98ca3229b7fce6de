//! An incrementally maintained Pareto frontier (maximisation).

/// Outcomes no other inserted outcome dominates.
#[derive(Debug, Default, Clone)]
pub(crate) struct Frontier {
    points: Vec<(u64, Vec<f64>)>,
}

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

impl Frontier {
    /// Offers an outcome to the frontier.
    pub(crate) fn insert(&mut self, index: u64, u: &[f64]) {
        if self.points.iter().any(|(_, p)| dominates(p, u)) {
            return;
        }
        self.points.retain(|(_, p)| !dominates(u, p));
        self.points.push((index, u.to_vec()));
    }

    /// Whether some point weakly exceeds `u` everywhere and strictly somewhere.
    pub(crate) fn dominated(&self, u: &[f64]) -> bool {
        self.points.iter().any(|(_, p)| dominates(p, u))
    }

    /// Whether an outcome is already held.
    pub(crate) fn holds(&self, index: u64) -> bool {
        self.points.iter().any(|(i, _)| *i == index)
    }

    /// Number of points held.
    pub(crate) fn len(&self) -> usize {
        self.points.len()
    }

    /// Merges another frontier into this one.
    pub(crate) fn merge(&mut self, other: Frontier) {
        for (i, u) in other.points {
            self.insert(i, &u);
        }
    }

    /// The frontier sorted by outcome index.
    pub(crate) fn into_sorted(mut self) -> Vec<(u64, Vec<f64>)> {
        self.points.sort_by_key(|(i, _)| *i);
        self.points
    }
}

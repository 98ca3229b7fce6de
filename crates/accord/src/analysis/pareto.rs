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

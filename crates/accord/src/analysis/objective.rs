//! The bargaining solutions, written once: their result types, generic
//! over how an outcome is represented (a [`Point`] of a scenario, a
//! [`crate::nonlinear::BoxPoint`] of a box problem), and their objectives,
//! shared by the exact scan, the search over issues and the non-linear
//! branch and bound, so that all three score an outcome with the same
//! arithmetic (and so agree bit for bit).

use super::Point;
use serde::Serialize;

/// A bargaining solution: an outcome chosen by a named rule, with the score
/// the rule maximised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution<P = Point> {
    /// The chosen outcome.
    #[serde(flatten)]
    pub point: P,
    /// The value of the rule's objective at that outcome.
    pub score: f64,
}

/// The four classic solutions, each `None` when no outcome clears every
/// reservation (the ZOPA is empty) or, on a stopped search, none was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solutions<S = Solution> {
    /// Maximises Π (uᵢ − dᵢ).
    pub nash: Option<S>,
    /// Maximises minᵢ (uᵢ − dᵢ)/(Uᵢ − dᵢ), Uᵢ the best ZOPA utility.
    pub kalai_smorodinsky: Option<S>,
    /// Maximises Σ uᵢ.
    pub utilitarian: Option<S>,
    /// Maximises minᵢ (uᵢ − dᵢ).
    pub egalitarian: Option<S>,
}

impl<S> Default for Solutions<S> {
    fn default() -> Self {
        Solutions {
            nash: None,
            kalai_smorodinsky: None,
            utilitarian: None,
            egalitarian: None,
        }
    }
}

impl<S> Solutions<S> {
    /// The same solutions with each one mapped (e.g. to a document form).
    pub fn map<T>(&self, mut f: impl FnMut(&S) -> T) -> Solutions<T> {
        Solutions {
            nash: self.nash.as_ref().map(&mut f),
            kalai_smorodinsky: self.kalai_smorodinsky.as_ref().map(&mut f),
            utilitarian: self.utilitarian.as_ref().map(&mut f),
            egalitarian: self.egalitarian.as_ref().map(&mut f),
        }
    }
}

/// The Nash product `Π max(uᵢ − dᵢ, 0)`.
pub(crate) fn nash_product(u: &[f64], d: &[f64]) -> f64 {
    u.iter().zip(d).map(|(u, d)| (u - d).max(0.0)).product()
}

/// The egalitarian objective: the smallest gain `minᵢ (uᵢ − dᵢ)`.
pub(crate) fn min_gain(u: &[f64], d: &[f64]) -> f64 {
    u.iter()
        .zip(d)
        .map(|(u, d)| u - d)
        .fold(f64::INFINITY, f64::min)
}

/// The best utility each of `n` actors reaches over `points` (the utopia
/// point `U` of Kalai–Smorodinsky).
pub(crate) fn utopia<'a>(n: usize, points: impl IntoIterator<Item = &'a [f64]>) -> Vec<f64> {
    let mut top = vec![f64::NEG_INFINITY; n];
    for u in points {
        for (t, x) in top.iter_mut().zip(u) {
            *t = t.max(*x);
        }
    }
    top
}

/// The Kalai–Smorodinsky ratio `minᵢ (uᵢ − dᵢ)/(Uᵢ − dᵢ)`; an actor whose
/// utopia does not exceed its disagreement value counts as fully served (1).
pub(crate) fn ks_ratio(u: &[f64], d: &[f64], utopia: &[f64]) -> f64 {
    (0..d.len())
        .map(|a| {
            let span = utopia[a] - d[a];
            if span > 0.0 {
                (u[a] - d[a]) / span
            } else {
                1.0
            }
        })
        .fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_objectives() {
        let d = [0.2, 0.5];
        let u = [0.6, 0.7];
        assert!((nash_product(&u, &d) - 0.4 * 0.2).abs() < 1e-12);
        assert_eq!(nash_product(&[0.1, 0.9], &d), 0.0);
        assert!((min_gain(&u, &d) - 0.2).abs() < 1e-12);
        let pts: [&[f64]; 2] = [&[0.6, 0.7], &[1.0, 0.5]];
        let top = utopia(2, pts);
        assert_eq!(top, vec![1.0, 0.7]);
        // (0.6-0.2)/(1.0-0.2) = 0.5, (0.7-0.5)/(0.7-0.5) = 1 → 0.5
        assert!((ks_ratio(&u, &d, &top) - 0.5).abs() < 1e-12);
        // No room above d for the second actor: it counts as 1.
        assert!((ks_ratio(&u, &d, &[1.0, 0.5]) - 0.5).abs() < 1e-12);
    }
}

//! Static baselines: the compromise model and the weighted median.
//!
//! Both weight actor i on a dimension by w_i = power_i × salience_i, over
//! the actors that have both a position and a salience there. When every
//! participant has zero weight, all participants get equal weight. With no
//! participants the forecast is NaN.

use super::{Forecast, ForecastStatus, SpatialProblem};

/// Weighted mean Σ w_i x_i / Σ w_i of `(position, weight)` pairs.
pub(crate) fn weighted_mean(points: &[(f64, f64)]) -> f64 {
    if points.is_empty() {
        return f64::NAN;
    }
    let total: f64 = points.iter().map(|p| p.1).sum();
    if total <= 0.0 {
        return points.iter().map(|p| p.0).sum::<f64>() / points.len() as f64;
    }
    points.iter().map(|p| p.0 * p.1).sum::<f64>() / total
}

/// Lower weighted median: the smallest position at which the cumulative
/// weight (positions ascending) reaches half the total weight.
pub(crate) fn weighted_median_of(points: &[(f64, f64)]) -> f64 {
    if points.is_empty() {
        return f64::NAN;
    }
    let mut total: f64 = points.iter().map(|p| p.1).sum();
    let mut sorted: Vec<(f64, f64)> = points.to_vec();
    if total <= 0.0 {
        for p in &mut sorted {
            p.1 = 1.0;
        }
        total = sorted.len() as f64;
    }
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut cum = 0.0;
    for (x, w) in &sorted {
        cum += w;
        if cum >= total / 2.0 {
            return *x;
        }
    }
    sorted[sorted.len() - 1].0
}

fn per_dimension(problem: &SpatialProblem, f: fn(&[(f64, f64)]) -> f64) -> Forecast {
    let forecast = (0..problem.dimensions().len())
        .map(|d| {
            let pts: Vec<(f64, f64)> = problem
                .participants(d)
                .into_iter()
                .map(|(i, x, s)| (x, problem.actors()[i].power * s))
                .collect();
            f(&pts)
        })
        .collect();
    Forecast {
        forecast,
        rounds: Vec::new(),
        status: ForecastStatus::Static,
    }
}

/// The compromise model: power × salience weighted mean per dimension.
pub fn compromise(problem: &SpatialProblem) -> Forecast {
    per_dimension(problem, weighted_mean)
}

/// The power × salience weighted (lower) median per dimension.
pub fn weighted_median(problem: &SpatialProblem) -> Forecast {
    per_dimension(problem, weighted_median_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_median_by_hand() {
        let pts = [(0.0, 1.0), (50.0, 1.0), (100.0, 2.0)];
        assert!((weighted_mean(&pts) - 62.5).abs() < 1e-12);
        // cumulative 1, 2, 4 against half of 4: reaches 2 at 50.
        assert_eq!(weighted_median_of(&pts), 50.0);
        let zero = [(10.0, 0.0), (30.0, 0.0)];
        assert_eq!(weighted_mean(&zero), 20.0);
        assert_eq!(weighted_median_of(&zero), 10.0);
        assert!(weighted_mean(&[]).is_nan());
    }
}

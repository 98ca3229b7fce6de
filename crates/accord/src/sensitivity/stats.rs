//! Summaries of Monte Carlo samples: mean, quantiles, histograms and
//! Spearman rank correlation.

use serde::Serialize;

/// The 5/25/50/75/95 % quantiles of a sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantiles {
    /// 5 % quantile.
    pub p5: f64,
    /// 25 % quantile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75 % quantile.
    pub p75: f64,
    /// 95 % quantile.
    pub p95: f64,
}

/// One histogram bin: values in `[lo, hi)` (the last bin also holds `hi`),
/// or, for option issues, the runs whose value is nearest that option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    /// The option id, or the range written `lo–hi`.
    pub label: String,
    /// Lower edge.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Runs that fell in the bin.
    pub count: usize,
}

/// The distribution of one output over the Monte Carlo runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Runs with a finite value.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Standard deviation (divisor n − 1; 0 for a single run).
    pub sd: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Quantiles (linear interpolation between order statistics).
    pub quantiles: Quantiles,
    /// Histogram.
    pub histogram: Vec<Bin>,
}

/// Quantile `p` of sorted values, interpolating linearly between order
/// statistics (Hyndman & Fan type 7, R's default).
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Summarises the finite values of `xs` into bins given by `bins`
/// (`(label, lo, hi)`); a value goes to the bin `binner` picks.
pub(crate) fn summarise(
    xs: &[f64],
    bins: Vec<(String, f64, f64)>,
    binner: impl Fn(f64) -> usize,
) -> Summary {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    // Shifted by the smallest value: better conditioned, and identical
    // runs give exactly that value and a spread of exactly 0.
    let mean = match v.first() {
        None => f64::NAN,
        Some(&x0) => x0 + v.iter().map(|x| x - x0).sum::<f64>() / n as f64,
    };
    let sd = if n < 2 {
        0.0
    } else {
        (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    };
    let mut histogram: Vec<Bin> = bins
        .into_iter()
        .map(|(label, lo, hi)| Bin {
            label,
            lo,
            hi,
            count: 0,
        })
        .collect();
    for &x in &v {
        let b = binner(x).min(histogram.len().saturating_sub(1));
        if let Some(bin) = histogram.get_mut(b) {
            bin.count += 1;
        }
    }
    Summary {
        n,
        mean,
        sd,
        min: v.first().copied().unwrap_or(f64::NAN),
        max: v.last().copied().unwrap_or(f64::NAN),
        quantiles: Quantiles {
            p5: quantile(&v, 0.05),
            p25: quantile(&v, 0.25),
            p50: quantile(&v, 0.50),
            p75: quantile(&v, 0.75),
            p95: quantile(&v, 0.95),
        },
        histogram,
    }
}

/// Ranks 1..=n with ties given their average rank.
pub fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]).then(a.cmp(&b)));
    let mut r = vec![0.0; xs.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && xs[idx[j + 1]] == xs[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation: the Pearson correlation of the average
/// ranks. `None` when fewer than 3 pairs or either side is constant
/// (the correlation is undefined, not zero).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 3 {
        return None;
    }
    let (rx, ry) = (ranks(x), ranks(y));
    let n = rx.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_and_ranks_by_hand() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.25), 2.0);
        // h = 4 × 0.05 = 0.2: 1 + 0.2 × (2 − 1).
        assert!((quantile(&v, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(ranks(&[10.0, 20.0, 10.0, 5.0]), vec![2.5, 4.0, 2.5, 1.0]);
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), None);
        // Reversed order: −1 exactly.
        assert_eq!(
            spearman(&[1.0, 2.0, 3.0, 4.0], &[9.0, 4.0, 1.0, 0.0]),
            Some(-1.0)
        );
    }
}

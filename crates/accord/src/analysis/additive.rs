//! Pareto frontiers of additive spaces, issue by issue, without visiting
//! every outcome.
//!
//! When utilities are sums of per-issue terms and every rule names one
//! issue, the outcomes are the product of each issue's allowed levels, and
//! an outcome whose partial sum over the first issues is dominated by
//! another prefix's is dominated overall (extend both by the same rest).
//! So the frontier is built by dynamic programming over the issues in scan
//! order: the candidates after issue `i` are the surviving prefixes of issue
//! `i − 1` extended by each allowed level, and only prefixes no other one
//! dominates survive. Prefixes with bit-identical sums stay one group (they
//! remain identical), so ties cost one vector.
//!
//! The partial sums are the scan's own: the same floats added in the same
//! order from `0.0`, so the last stage holds exactly the vectors the scan
//! would offer. Rounding could still make a strict partial domination a tie
//! at the end, so an intermediate prefix is dropped only when its dominator
//! exceeds it somewhere by more than the rounding the remaining additions
//! can cost ([`margin`]); rounding to nearest is monotone, so the other
//! coordinates stay weakly ordered. The last stage is the plain frontier.

use super::pareto::{order, Frontier, KdTree};
use super::scan::Compiled;
use crate::{Error, Progress};
use rayon::prelude::*;

/// Which outcomes a frontier ranges over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Over {
    /// Every feasible outcome.
    All,
    /// Outcomes that break no soft constraint (the ZOPA).
    Zopa,
}

/// Whether the frontier of `c` can be built issue by issue: single-issue
/// rules only, no ratifiers, no deal-dependent process (the conditions of
/// the search path) and at least one issue and party.
pub(crate) fn applies(c: &Compiled, conditional_process: bool) -> bool {
    c.searchable() && !conditional_process && !c.radix().is_empty() && c.n_actors > 0
}

/// How far apart two partial sums must be on a coordinate so that `rest`
/// more additions, each rounding by at most half an ulp of a sum no larger
/// than `2 · big`, cannot close the gap: `2 · rest · 2⁻⁵² · big`, taken
/// four times over (and a floor for subnormal sums).
fn margin(rest: usize, big: f64) -> f64 {
    if rest == 0 {
        0.0
    } else {
        rest as f64 * (big * f64::EPSILON * 8.0 + f64::MIN_POSITIVE)
    }
}

/// The ZOPA's frontier and, if `all`, the whole feasible space's, as the
/// scan would find them (same outcomes, same vectors).
pub(crate) fn frontiers(
    c: &Compiled,
    all: bool,
    progress: &dyn Progress,
) -> Result<(Frontier, Option<Frontier>), Error> {
    let zopa_levels = allowed(c, Over::Zopa);
    if !all {
        return Ok((frontier(c, Over::Zopa, &zopa_levels, progress)?, None));
    }
    let all_levels = allowed(c, Over::All);
    let whole = frontier(c, Over::All, &all_levels, progress)?;
    if zopa_levels == all_levels {
        // The ZOPA is then the outcomes meeting every reservation, and a
        // dominator of one meets them too: its frontier is the whole
        // frontier's part in it.
        let d = &c.reservations;
        let zopa = whole.filtered(|u| u.iter().zip(d).all(|(x, r)| x >= r));
        return Ok((zopa, Some(whole)));
    }
    Ok((
        frontier(c, Over::Zopa, &zopa_levels, progress)?,
        Some(whole),
    ))
}

/// Each issue's levels the outcomes `over` selects may take.
fn allowed(c: &Compiled, over: Over) -> Vec<Vec<usize>> {
    // Soft constraints other than the scenario's own (alternative readings)
    // do not decide membership of the ZOPA.
    let own = c.soft.len();
    let dropped = match over {
        Over::All => u128::MAX,
        Over::Zopa if own >= 128 => 0,
        Over::Zopa => !((1u128 << own) - 1),
    };
    (0..c.radix().len())
        .map(|i| {
            (0..c.radix()[i])
                .filter(|&l| c.level_ok(i, l, dropped))
                .collect()
        })
        .collect()
}

/// The frontier of the outcomes `over` selects, whose levels are among
/// `allowed`.
fn frontier(
    c: &Compiled,
    over: Over,
    allowed: &[Vec<usize>],
    progress: &dyn Progress,
) -> Result<Frontier, Error> {
    let k = c.n_actors;
    let n = c.radix().len();
    if allowed.iter().any(Vec::is_empty) {
        return Ok(Frontier::default());
    }
    // A bound on any partial sum's magnitude.
    let big: f64 = (0..n)
        .map(|i| {
            (0..c.radix()[i])
                .flat_map(|l| (0..k).map(move |a| c.term(i, l, a).abs()))
                .fold(0.0, f64::max)
        })
        .sum();
    let mut coords = vec![0.0; k];
    let mut members: Vec<Vec<u64>> = vec![vec![0]];
    for (i, levels) in allowed.iter().enumerate() {
        if progress.cancelled() {
            return Err(Error::Cancelled);
        }
        let nl = levels.len();
        let stride = c.space.strides()[i];
        // Candidate `g * nl + j`: group `g` extended by level `levels[j]`,
        // summed as the scan sums (`partial + term`).
        let cand_u: Vec<f64> = (0..members.len())
            .into_par_iter()
            .flat_map_iter(|g| {
                let p = &coords[g * k..(g + 1) * k];
                levels
                    .iter()
                    .flat_map(move |&l| (0..k).map(move |a| p[a] + c.term(i, l, a)))
            })
            .collect();
        let last = i + 1 == n;
        let mut cand: Vec<usize> = (0..members.len() * nl)
            .filter(|&x| {
                // The ZOPA's reservations: a dominator of an outcome meets
                // them if it does, so filtering at the end is enough.
                !(last && over == Over::Zopa)
                    || cand_u[x * k..(x + 1) * k]
                        .iter()
                        .zip(&c.reservations)
                        .all(|(u, r)| u >= r)
            })
            .collect();
        let vec_of = |x: usize| &cand_u[x * k..(x + 1) * k];
        cand.par_sort_unstable_by(|&a, &b| order(vec_of(a), vec_of(b)));
        let keep = survivors(k, &cand, &cand_u, margin(n - 1 - i, big));
        let mut next_coords = Vec::new();
        let mut next_members: Vec<Vec<u64>> = Vec::new();
        for run in keep {
            let u = vec_of(cand[run.start]);
            let mut m: Vec<u64> = Vec::new();
            for &x in &cand[run] {
                let (g, j) = (x / nl, x % nl);
                let add = levels[j] as u64 * stride;
                m.extend(members[g].iter().map(|&p| p + add));
            }
            next_coords.extend_from_slice(u);
            next_members.push(m);
        }
        coords = next_coords;
        members = next_members;
    }
    for m in &mut members {
        m.sort_unstable();
    }
    Ok(Frontier::from_skyline(k, coords, members))
}

/// The surviving groups of candidates sorted by [`order`]: ranges of `cand`
/// holding bit-identical vectors, in order. A run of value-equal vectors
/// survives unless an earlier survivor is at least it everywhere and more
/// than `margin` above it somewhere (with `margin` 0: dominates it).
fn survivors(k: usize, cand: &[usize], u: &[f64], margin: f64) -> Vec<std::ops::Range<usize>> {
    let vec_of = |x: usize| &u[x * k..(x + 1) * k];
    let mut tree = KdTree::new(k);
    let mut out = Vec::new();
    let mut probe = vec![0.0; k];
    let mut i = 0;
    while i < cand.len() {
        let first = vec_of(cand[i]);
        let mut j = i + 1;
        while j < cand.len() && vec_of(cand[j]).iter().zip(first).all(|(x, y)| x == y) {
            j += 1;
        }
        if !covered(&tree, first, margin, &mut probe) {
            tree.insert(first);
            let mut s = i;
            while s < j {
                let a = vec_of(cand[s]);
                let mut t = s + 1;
                while t < j
                    && vec_of(cand[t])
                        .iter()
                        .zip(a)
                        .all(|(x, y)| x.to_bits() == y.to_bits())
                {
                    t += 1;
                }
                out.push(s..t);
                s = t;
            }
        }
        i = j;
    }
    out
}

/// Whether a stored vector is at least `q` everywhere and more than
/// `margin` above it somewhere. Stored vectors are value-distinct and
/// precede `q` in sift order, so with `margin` 0 any one at least `q`
/// qualifies.
fn covered(tree: &KdTree, q: &[f64], margin: f64, probe: &mut [f64]) -> bool {
    let Some(p) = tree.covers(q, false) else {
        return false;
    };
    if tree.point(p).iter().zip(q).any(|(x, y)| x - y > margin) {
        return true;
    }
    // The first vector found may be within the margin while another one is
    // clear of it on some coordinate: ask per coordinate.
    (0..q.len()).any(|j| {
        probe.copy_from_slice(q);
        probe[j] += margin;
        probe[j] > q[j]
            && tree
                .covers(probe, false)
                .is_some_and(|p| tree.point(p)[j] - q[j] > margin)
    })
}

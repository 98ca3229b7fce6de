//! KTAB's voting, coalition, victory-probability and probabilistic
//! Condorcet election (PCE) kernels (KTAB/kmodel/libsrc/kmodel.cpp), plus
//! the SMP distance and utility functions (smp.cpp).

use super::smp_options::{PceModel, SmpOptions, VictoryModel, VotingRule};

pub(super) fn vote(vr: VotingRule, w: f64, u1: f64, u2: f64) -> f64 {
    let du = u1 - u2;
    let r_bin = (du / 1e-8).clamp(-1.0, 1.0);
    match vr {
        VotingRule::Binary => w * r_bin,
        VotingRule::PropBin => w * ((1.0 - 0.2) * du + 0.2 * r_bin),
        VotingRule::Proportional => w * du,
        VotingRule::PropCbc => w * ((1.0 - 0.5) * du + 0.5 * (du * du * du)),
        VotingRule::Cubic => w * (du * du * du),
        VotingRule::ASymProsp => {
            if du < 0.0 {
                w * du
            } else if du > 0.0 {
                (2.0 * w * du) / 3.0
            } else {
                0.0
            }
        }
    }
}

pub(super) fn vprob(vpm: VictoryModel, s1: f64, s2: f64) -> (f64, f64) {
    let (x1, x2) = match vpm {
        VictoryModel::Linear => (s1, s2),
        VictoryModel::Square => (s1 * s1, s2 * s2),
        VictoryModel::Quartic => (s1.powi(4), s2.powi(4)),
        VictoryModel::Octic => (s1.powi(4).powi(2), s2.powi(4).powi(2)),
        VictoryModel::Binary => {
            let t = 1.10;
            if s1 >= t * s2 {
                (1.0, 1e-6)
            } else if s2 >= t * s1 {
                (1e-6, 1.0)
            } else {
                let r12 = s1 / (s1 + s2);
                let p12 = (r12 * (t + 1.0) - 1.0) / (t - 1.0);
                (p12, 1.0 - p12)
            }
        }
    };
    (x1 / (x1 + x2), x2 / (x1 + x2))
}

/// Coalition strengths c[i][j] for option i against j (KTAB `coalitions`).
pub(super) fn coalitions(
    vfn: impl Fn(usize, usize, usize) -> f64,
    n_act: usize,
    n_opt: usize,
) -> Vec<f64> {
    let mut c = vec![0.0; n_opt * n_opt];
    for i in 0..n_opt {
        for j in 0..i {
            let (mut cij, mut cji) = (1e-8, 1e-8);
            for k in 0..n_act {
                let v = vfn(k, i, j);
                if v > 0.0 {
                    cij += v;
                }
                if v < 0.0 {
                    cji -= v;
                }
            }
            c[i * n_opt + j] = cij;
            c[j * n_opt + i] = cji;
        }
        c[i * n_opt + i] = 1e-8;
    }
    c
}

pub(super) fn victory_matrix(vpm: VictoryModel, c: &[f64], n: usize) -> Vec<f64> {
    let mut p = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..i {
            let (a, b) = vprob(vpm, c[i * n + j], c[j * n + i]);
            p[i * n + j] = a;
            p[j * n + i] = b;
        }
        p[i * n + i] = 0.5;
    }
    p
}

pub(super) fn pce(pcem: PceModel, vpm: VictoryModel, c: &[f64], n: usize) -> Vec<f64> {
    let pv = victory_matrix(vpm, c, n);
    match pcem {
        PceModel::Conditional => {
            let mut p: Vec<f64> = (0..n)
                .map(|i| (0..n).fold(1.0, |acc, j| acc * pv[i * n + j]))
                .collect();
            let total: f64 = p.iter().sum();
            for x in &mut p {
                *x /= total;
            }
            p
        }
        PceModel::MarkovUniform => {
            let mut p = vec![1.0 / n as f64; n];
            let mut q = p.clone();
            for _ in 0..1000 {
                let mut change: f64 = 0.0;
                for i in 0..n {
                    let s: f64 = (0..n).map(|j| pv[i * n + j] * (p[i] + p[j])).sum();
                    q[i] = s / n as f64;
                    change = change.max((q[i] - p[i]).abs());
                }
                for i in 0..n {
                    p[i] = (p[i] + q[i]) / 2.0;
                }
                if change <= 1e-6 {
                    break;
                }
            }
            p
        }
        PceModel::MarkovIncentive => {
            let inc: Vec<f64> = (0..n * n)
                .map(|ij| {
                    let v = c[ij] * pv[ij];
                    if ij / n == ij % n {
                        v + 1e-10
                    } else {
                        v
                    }
                })
                .collect();
            let col: Vec<f64> = (0..n)
                .map(|j| (0..n).map(|k| inc[k * n + j]).sum())
                .collect();
            let chlg = |i: usize, j: usize| inc[i * n + j] / col[j];
            let mut p = vec![1.0 / n as f64; n];
            let mut q = p.clone();
            for _ in 0..1000 {
                let ct = |i: usize, j: usize| p[i] * chlg(j, i);
                let mut change: f64 = 0.0;
                for i in 0..n {
                    let qi: f64 = (0..n).map(|j| pv[i * n + j] * (ct(i, j) + ct(j, i))).sum();
                    q[i] = qi;
                    change = change.max((qi - p[i]).abs());
                }
                for i in 0..n {
                    p[i] = (p[i] + q[i]) / 2.0;
                }
                if change <= 1e-8 {
                    break;
                }
            }
            p
        }
    }
}

/// KTAB `scalarPCE`: u is n_act × n_opt (row-major), w the capabilities.
pub(super) fn scalar_pce(
    w: &[f64],
    u: &[f64],
    n_opt: usize,
    vr: VotingRule,
    o: &SmpOptions,
) -> Vec<f64> {
    let n_act = w.len();
    let c = coalitions(
        |k, i, j| vote(vr, w[k], u[k * n_opt + i], u[k * n_opt + j]),
        n_act,
        n_opt,
    );
    pce(o.pce, o.victory, &c, n_opt)
}

/// Index of the first maximum.
pub(super) fn first_max(p: &[f64]) -> usize {
    let mut best = 0;
    for (i, x) in p.iter().enumerate() {
        if x.abs() > p[best].abs() {
            best = i;
        }
    }
    best
}

pub(super) fn bs_util(d: f64, r: f64) -> f64 {
    if d <= 1.0 {
        (1.0 - d) * (1.0 + d * r)
    } else {
        (1.0 - d) * (1.0 + r)
    }
}

/// KTAB's salience-weighted distance between positions `a` and `b`, with
/// `s2` the sum of the squared saliences `s` (constant per actor, so the
/// caller sums it once; the same sum in the same order).
pub(super) fn bv_diff(a: &[f64], b: &[f64], s: &[f64], s2: f64) -> f64 {
    let mut ds2 = 0.0;
    for k in 0..a.len() {
        let ds = (a[k] - b[k]) * s[k];
        ds2 += ds * ds;
    }
    (ds2 / s2).sqrt()
}

/// The `s2` of [`bv_diff`].
pub(super) fn sum_sq(s: &[f64]) -> f64 {
    let mut s2 = 0.0;
    for x in s {
        s2 += x * x;
    }
    s2
}

pub(super) fn norm_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

pub(super) fn round4(x: f64) -> f64 {
    ((0.5 + x * 10000.0) as i64) as f64 / 10000.0
}

//! KTAB's Spatial Model of Politics (SMP), deterministic mode.
//!
//! A re-implementation of KAPSARC KTAB's `smp` library (MIT licence,
//! examples/smp/libsrc/smp.cpp, smpbcn.cpp, KTAB/kmodel/libsrc/kmodel.cpp)
//! with KTAB's defaults, its rounding (`round4`) and its tie rules (first
//! maximum). Positions and saliences are divided by 100 internally.
//!
//! Each turn: (1) infer risk attitudes from a risk-neutral probabilistic
//! Condorcet election (PCE) over all positions; (2) every actor picks the
//! most profitable target by its own estimate of challenge outcome
//! (third parties join little contests); (3) it interpolates a bargain;
//! (4) every actor adopts its side of the bargain, among those involving it
//! plus the status quo, that wins a PCE over those bargains. The run stops
//! when the turn's total movement falls below `stop_ratio` of the first
//! turn's (after `min_turns`), or after `max_turns`.
//!
//! Actors that lack a position or salience on any dimension, or whose
//! saliences sum to zero, do not take part; their positions are reported
//! unchanged and their probability is 0. KTAB expects each actor's
//! saliences to sum to at most 100.

use super::ktab_pce::{
    bs_util, bv_diff, coalitions, first_max, norm_diff, pce, round4, scalar_pce, sum_sq, vote,
};
use super::smp_options::{
    BargainModel, Interpolation, RiskAdjust, RiskRange, SmpOptions, ThirdPartyCommit, VotingRule,
};
use super::{Cancel, Forecast, ForecastStatus, Round, SpatialProblem};

/// Fixed actor data of a run (participants only, 0–1 scale).
struct Actors<'a> {
    cap: Vec<f64>,
    sal: Vec<Vec<f64>>,
    sal_sum: Vec<f64>,
    /// Each actor's sum of squared saliences (see `bv_diff`).
    sal_sq: Vec<f64>,
    o: &'a SmpOptions,
}

/// One SMP state with its derived utilities.
struct State {
    pos: Vec<Vec<f64>>,
    nra: Vec<f64>,
    vdiff: Vec<f64>,
    rhi: Vec<f64>,
    unique: Vec<usize>,
}

impl State {
    fn new(a: &Actors, pos: Vec<Vec<f64>>) -> State {
        let n = pos.len();
        let o = a.o;
        let mut unique: Vec<usize> = Vec::new();
        for i in 0..n {
            if !unique
                .iter()
                .any(|&u| norm_diff(&pos[i], &pos[u]) < o.position_tolerance)
            {
                unique.push(i);
            }
        }
        let mut vdiff = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                vdiff[i * n + j] = bv_diff(&pos[i], &pos[j], &a.sal[i], a.sal_sq[i]);
            }
        }
        let rn: Vec<f64> = vdiff.iter().map(|&d| bs_util(d, 0.0)).collect();
        let c = coalitions(
            |k, i, j| vote(o.voting, a.cap[k], rn[k * n + i], rn[k * n + j]),
            n,
            n,
        );
        let p = pce(o.pce, o.victory, &c, n);
        let pmin = p.iter().cloned().fold(1.0, f64::min);
        let pmax = p.iter().cloned().fold(0.0, f64::max);
        let nra: Vec<f64> = p
            .iter()
            .map(|&pi| {
                if pmax - pmin <= 0.0 {
                    return 0.0;
                }
                match o.risk_range {
                    RiskRange::Min => (pi - pmin) / (pmax - pmin),
                    RiskRange::Mid => (3.0 * pi - (pmax + 2.0 * pmin)) / (2.0 * (pmax - pmin)),
                    RiskRange::Max => (2.0 * pi - (pmax + pmin)) / (pmax - pmin),
                }
            })
            .collect();
        let mut rhi = vec![0.0; n * n];
        for h in 0..n {
            for i in 0..n {
                let (rh, ri) = (nra[h], nra[i]);
                rhi[h * n + i] = match o.risk_adjust {
                    RiskAdjust::Full => ri,
                    RiskAdjust::TwoThirds => (rh + (2.0 * ri)) / 3.0,
                    RiskAdjust::Half => (rh + ri) / 2.0,
                    RiskAdjust::OneThird => ((2.0 * rh) + ri) / 3.0,
                    RiskAdjust::None => rh,
                };
            }
        }
        State {
            pos,
            nra,
            vdiff,
            rhi,
            unique,
        }
    }

    fn n(&self) -> usize {
        self.pos.len()
    }

    /// h's estimate of the utility to i of j's position (KTAB aUtil[h](i,j)).
    fn util(&self, h: usize, i: usize, j: usize) -> f64 {
        let n = self.n();
        bs_util(self.vdiff[i * n + j], self.rhi[h * n + i])
    }

    /// Utility to actor a of a position p, with a's own risk attitude.
    fn pos_util(&self, a: &Actors, ai: usize, p: &[f64]) -> f64 {
        bs_util(
            bv_diff(&self.pos[ai], p, &a.sal[ai], a.sal_sq[ai]),
            self.nra[ai],
        )
    }

    /// h's estimate of P(i beats j) and of k's expected gain from i → j.
    fn prob_edu_chlg(&self, a: &Actors, h: usize, k: usize, i: usize, j: usize) -> (f64, f64) {
        let vr = a.o.voting;
        let (uii, uij) = (self.util(h, i, i), self.util(h, i, j));
        let (uji, ujj) = (self.util(h, j, i), self.util(h, j, j));
        let eu_sq = self.util(h, k, i) + self.util(h, k, j);
        let uhkij = self.util(h, k, i) + self.util(h, k, i);
        let uhkji = self.util(h, k, j) + self.util(h, k, j);
        let (si, ci) = (a.sal_sum[i], a.cap[i]);
        let (sj, cj) = (a.sal_sum[j], a.cap[j]);
        let ci_ij = vote(vr, si * ci, uii, uij);
        let cj_ij = vote(vr, sj * cj, uji, ujj);
        let (mut chij, mut chji) = (1e-10, 1e-10);
        for c in [ci_ij, cj_ij] {
            if c > 0.0 {
                chij += c;
            }
            if c < 0.0 {
                chji -= c;
            }
        }
        let (ci_ij, cj_ij) = (chij, chji);
        for nn in 0..self.n() {
            if nn == i || nn == j {
                continue;
            }
            let wn = a.sal_sum[nn] * a.cap[nn];
            let (uni, unj) = (self.util(h, nn, i), self.util(h, nn, j));
            let unn = self.util(h, nn, nn);
            let cn = vote(vr, wn, uni, unj);
            let cni = if cn > 0.0 { ci_ij + cn } else { ci_ij };
            let cnj = if cn < 0.0 { cj_ij - cn } else { cj_ij };
            let pin = cni / (cni + cnj);
            let pjn = 1.0 - pin;
            let (u_ik_def_j, u_j_def_ik, u_i_def_jk, u_jk_def_i) = match a.o.third_party {
                ThirdPartyCommit::FullCommit => (
                    uni + uni + uni,
                    unj + unj + unj,
                    uni + uni + uni,
                    unj + unj + unj,
                ),
                ThirdPartyCommit::SemiCommit => (
                    uni + uni + unn,
                    unj + unj + unj,
                    uni + uni + uni,
                    unj + unj + unn,
                ),
                ThirdPartyCommit::NoCommit => (
                    uni + uni + unn,
                    unj + unj + unn,
                    uni + uni + unn,
                    unj + unj + unn,
                ),
            };
            let u_ik_j = (pin * u_ik_def_j) + (pjn * u_j_def_ik);
            let u_i_jk = (pin * u_i_def_jk) + (pjn * u_jk_def_i);
            let v = vote(vr, wn, u_ik_j, u_i_jk);
            if v > 0.0 {
                chij += v;
            }
            if v < 0.0 {
                chji -= v;
            }
        }
        let phij = chij / (chij + chji);
        let phji = chji / (chij + chji);
        let eu_cntst = phij * uhkij + phji * uhkji;
        let eu_chlg = (1.0 - sj) * uhkij + sj * eu_cntst;
        (phij, eu_chlg - eu_sq)
    }

    /// Probability of each unique position and of each actor's position
    /// prevailing (KTAB `pDist(-1)` and `posProb`).
    fn probabilities(&self, a: &Actors) -> (Vec<f64>, Vec<f64>) {
        let n = self.n();
        let nu = self.unique.len();
        let mut u = vec![0.0; n * nu];
        for i in 0..n {
            for (m, &j) in self.unique.iter().enumerate() {
                u[i * nu + m] = self.util(i, i, j);
            }
        }
        let p = scalar_pce(&a.cap, &u, nu, VotingRule::Proportional, a.o);
        let per_actor = (0..n)
            .map(|i| {
                let mut k = 0;
                for (m, &j) in self.unique.iter().enumerate() {
                    if norm_diff(&self.pos[i], &self.pos[j]) < a.o.position_tolerance {
                        k = m;
                    }
                }
                p[k]
            })
            .collect();
        (p, per_actor)
    }
}

/// A proposed bargain: initiator, receiver and the positions they adopt.
struct Bargain {
    init: usize,
    rcvr: usize,
    pos_init: Vec<f64>,
    pos_rcvr: Vec<f64>,
}

fn interpolate(
    a: &Actors,
    i: usize,
    j: usize,
    pi: &[f64],
    pj: &[f64],
    prb_i: f64,
    prb_j: f64,
) -> Bargain {
    let nd = pi.len();
    let (mut bi, mut bj) = (vec![0.0; nd], vec![0.0; nd]);
    for k in 0..nd {
        let (tik, sik, tjk, sjk) = (pi[k], a.sal[i][k], pj[k], a.sal[j][k]);
        let snpm = |n: i32, m: i32| {
            let wik = sik.powi(n) * prb_i.powi(m);
            let wjk = sjk.powi(n) * prb_j.powi(m);
            let min_w = 1e-6;
            (
                round4(((wik + min_w) * tik + wjk * tjk) / (wik + min_w + wjk)),
                round4((wik * tik + (min_w + wjk) * tjk) / (wik + min_w + wjk)),
            )
        };
        let (x, y) = match a.o.interpolation {
            Interpolation::S1P1 => snpm(1, 1),
            Interpolation::S2P2 => snpm(2, 2),
            Interpolation::S2PMax => {
                let di = if prb_j > prb_i { prb_j - prb_i } else { 0.0 };
                let dj = if prb_i > prb_j { prb_i - prb_j } else { 0.0 };
                let (sik2, sjk2) = (sik * sik, sjk * sjk);
                let dik = (di * sjk2) / ((di * sjk2) + 1e-6 + ((1.0 - di) * sik2));
                let djk = (dj * sik2) / ((dj * sik2) + 1e-6 + ((1.0 - dj) * sjk2));
                (tik + dik * (tjk - tik), tjk + djk * (tik - tjk))
            }
        };
        bi[k] = x;
        bj[k] = y;
    }
    Bargain {
        init: i,
        rcvr: j,
        pos_init: bi,
        pos_rcvr: bj,
    }
}

/// One bargaining turn (KTAB `doBCN`): the next positions.
fn step(a: &Actors, s: &State) -> Vec<Vec<f64>> {
    let n = s.n();
    let mut all: Vec<Bargain> = Vec::new();
    let mut queues: Vec<Vec<Option<usize>>> = vec![vec![None]; n];
    for i in 0..n {
        let mut best: Option<(usize, f64, f64)> = None;
        let mut best_eu = -1.0;
        for j in (0..n).filter(|&j| j != i) {
            let (p, edu) = s.prob_edu_chlg(a, i, i, i, j);
            if 1e-5 < edu && best_eu < edu {
                best = Some((j, p, edu));
                best_eu = edu;
            }
        }
        let Some((j, piij, _)) = best else { continue };
        let brgn_iij = interpolate(a, i, j, &s.pos[i], &s.pos[j], piij, 1.0 - piij);
        let mut new: Vec<Bargain> = Vec::new();
        match a.o.bargain {
            BargainModel::InitOnlyInterp => new.push(brgn_iij),
            BargainModel::InitRcvrInterp | BargainModel::PWCompInterp => {
                // KTAB takes the receiver's expected gain here.
                let pjij = s.prob_edu_chlg(a, j, i, i, j).1;
                let brgn_jij = interpolate(a, i, j, &s.pos[i], &s.pos[j], pjij, 1.0 - pjij);
                if a.o.bargain == BargainModel::InitRcvrInterp {
                    new.push(brgn_iij);
                    new.push(brgn_jij);
                } else {
                    let wi = a.cap[i] * a.sal_sum[i];
                    let wj = a.cap[i] * a.sal_sum[j];
                    let mix = |x: &[f64], y: &[f64]| -> Vec<f64> {
                        x.iter()
                            .zip(y)
                            .map(|(p, q)| (wi * p + wj * q) / (wi + wj))
                            .collect()
                    };
                    new.push(Bargain {
                        init: i,
                        rcvr: j,
                        pos_init: mix(&brgn_iij.pos_init, &brgn_jij.pos_init),
                        pos_rcvr: mix(&brgn_iij.pos_rcvr, &brgn_jij.pos_rcvr),
                    });
                }
            }
        }
        for b in new {
            queues[i].push(Some(all.len()));
            queues[j].push(Some(all.len()));
            all.push(b);
        }
    }
    let own: Vec<f64> = (0..n)
        .map(|m| (0..n).map(|nn| s.util(m, m, nn)).sum::<f64>())
        .collect();
    (0..n)
        .map(|k| {
            let q = &queues[k];
            let nb = q.len();
            let mut u = vec![0.0; n * nb];
            for m in 0..n {
                for (bi, entry) in q.iter().enumerate() {
                    let v = match entry {
                        None => own[m],
                        Some(idx) => {
                            let b = &all[*idx];
                            let mut v = s.pos_util(a, m, &b.pos_init);
                            v += s.pos_util(a, m, &b.pos_rcvr);
                            for nn in 0..n {
                                if b.init != nn && b.rcvr != nn {
                                    v += s.util(m, m, nn);
                                }
                            }
                            v
                        }
                    };
                    u[m * nb + bi] = v / n as f64;
                }
            }
            let p = scalar_pce(&a.cap, &u, nb, a.o.voting, a.o);
            match q[first_max(&p)] {
                None => s.pos[k].clone(),
                Some(idx) => {
                    let b = &all[idx];
                    if b.init == k {
                        b.pos_init.clone()
                    } else {
                        b.pos_rcvr.clone()
                    }
                }
            }
        })
        .collect()
}

fn state_dist(x: &[Vec<f64>], y: &[Vec<f64>]) -> f64 {
    x.iter().zip(y).map(|(a, b)| norm_diff(a, b)).sum()
}

/// Runs KTAB's SMP on a problem; see the module documentation.
pub fn smp(problem: &SpatialProblem, options: &SmpOptions, cancel: &dyn Cancel) -> Forecast {
    run(problem, options, cancel, true)
}

/// [`smp`]; with `record` false only the last turn's round is built and
/// kept (the final forecast and status are the same).
pub(crate) fn run(
    problem: &SpatialProblem,
    options: &SmpOptions,
    cancel: &dyn Cancel,
    record: bool,
) -> Forecast {
    let nd = problem.dimensions().len();
    let na_all = problem.actors().len();
    let dims = problem.dimensions();
    let mut part: Vec<usize> = Vec::new();
    for i in 0..na_all {
        let ok = dims
            .iter()
            .all(|d| d.positions[i].is_some() && d.saliences[i].is_some());
        if ok
            && dims
                .iter()
                .map(|d| d.saliences[i].unwrap_or(0.0))
                .sum::<f64>()
                > 0.0
        {
            part.push(i);
        }
    }
    // Each participant's values per dimension, on the 0–1 scale.
    let per_actor = |values: &dyn Fn(&super::Dimension) -> &[Option<f64>]| -> Vec<Vec<f64>> {
        part.iter()
            .map(|&i| {
                dims.iter()
                    .map(|d| values(d)[i].unwrap_or(0.0) / 100.0)
                    .collect()
            })
            .collect()
    };
    let sal = per_actor(&|d| &d.saliences);
    let pos0 = per_actor(&|d| &d.positions);
    let a = Actors {
        cap: part.iter().map(|&i| problem.actors()[i].power).collect(),
        sal_sq: sal.iter().map(|s| sum_sq(s)).collect(),
        sal_sum: sal.iter().map(|s| s.iter().sum()).collect(),
        sal,
        o: options,
    };
    let base = problem.position_table();
    let make_round = |s: &State| -> Round {
        let mut positions = base.clone();
        let mut probs = vec![0.0; na_all];
        let (pu, p) = if s.n() > 0 {
            s.probabilities(&a)
        } else {
            (Vec::new(), Vec::new())
        };
        for (k, &i) in part.iter().enumerate() {
            for (slot, x) in positions[i].iter_mut().zip(&s.pos[k]) {
                *slot = Some(x * 100.0);
            }
            probs[i] = p[k];
        }
        let mut forecast = vec![f64::NAN; nd];
        if s.n() > 0 {
            for (d, f) in forecast.iter_mut().enumerate() {
                *f = s
                    .unique
                    .iter()
                    .zip(&pu)
                    .map(|(&j, pj)| pj * s.pos[j][d] * 100.0)
                    .sum::<f64>();
            }
        }
        Round {
            positions,
            forecast,
            probabilities: Some(probs),
        }
    };
    let mut prev = State::new(&a, pos0);
    let mut rounds = Vec::new();
    if record {
        rounds.push(make_round(&prev));
    }
    let mut status = ForecastStatus::RoundLimit;
    if part.len() < 2 {
        status = ForecastStatus::Converged;
    } else {
        let mut iter = 0;
        // The first turn's movement, the yardstick of the stopping rule.
        let mut d01 = f64::NAN;
        loop {
            if cancel.cancelled() {
                status = ForecastStatus::Cancelled;
                break;
            }
            iter += 1;
            let next = step(&a, &prev);
            let s1 = State::new(&a, next);
            if record {
                rounds.push(make_round(&s1));
            }
            let dxy = state_dist(&s1.pos, &prev.pos);
            if iter == 1 {
                d01 = dxy + 1e-4;
            }
            prev = s1;
            let quiet = dxy / d01 < options.stop_ratio;
            if options.max_turns <= iter {
                break;
            }
            if options.min_turns <= iter && quiet {
                status = ForecastStatus::Converged;
                break;
            }
        }
    }
    if !record {
        rounds.push(make_round(&prev));
    }
    let forecast = rounds
        .last()
        .map(|r| r.forecast.clone())
        .unwrap_or_default();
    Forecast {
        forecast,
        rounds,
        status,
    }
}

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

use serde::Serialize;

use super::{Cancel, Forecast, ForecastStatus, Round, SpatialProblem};

/// How an actor's utility difference becomes a vote (KTAB `VotingRule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum VotingRule {
    /// Sign only (difference / 1e-8, clipped to ±1).
    Binary,
    /// 0.8 × proportional + 0.2 × binary.
    PropBin,
    /// Proportional to the utility difference (KTAB default).
    #[default]
    Proportional,
    /// 0.5 × proportional + 0.5 × cubic.
    PropCbc,
    /// Cube of the utility difference.
    Cubic,
    /// Full weight for losses, two thirds for gains.
    ASymProsp,
}

/// How coalition strengths become a victory probability (KTAB `VPModel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum VictoryModel {
    /// C_ab / (C_ab + C_ba) (KTAB default).
    #[default]
    Linear,
    /// Strengths squared.
    Square,
    /// Strengths to the fourth power.
    Quartic,
    /// Strengths to the eighth power.
    Octic,
    /// Certain victory with a 10% edge, linear in between.
    Binary,
}

/// Probabilistic Condorcet election model (KTAB `PCEModel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum PceModel {
    /// p_a ∝ Π_b V(a, b) (KTAB default).
    #[default]
    Conditional,
    /// Markov chain with uniform challenges.
    MarkovUniform,
    /// Markov chain with incentive-weighted challenges.
    MarkovIncentive,
}

/// Mapping of PCE probabilities to risk attitudes (KTAB `BigRRange`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum RiskRange {
    /// R in [0, 1].
    Min,
    /// R in [-1/2, 1] (KTAB default).
    #[default]
    Mid,
    /// R in [-1, 1].
    Max,
}

/// How actor h perceives actor i's risk attitude (KTAB `BigRAdjust`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum RiskAdjust {
    /// r = R_i.
    Full,
    /// r = (R_h + 2 R_i) / 3.
    TwoThirds,
    /// r = (R_h + R_i) / 2.
    Half,
    /// r = (2 R_h + R_i) / 3 (KTAB default).
    #[default]
    OneThird,
    /// r = R_h.
    None,
}

/// Third-party commitment in little contests (KTAB `ThirdPartyCommit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum ThirdPartyCommit {
    /// The third party adopts the winner's position either way.
    FullCommit,
    /// Keeps its position if its side wins (KTAB default).
    #[default]
    SemiCommit,
    /// Always keeps its position.
    NoCommit,
}

/// Bargain interpolation rule (KTAB `InterVecBrgn`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum Interpolation {
    /// Weights salience × probability.
    S1P1,
    /// Weights salience² × probability² (KTAB default).
    #[default]
    S2P2,
    /// Asymmetric move by the probability edge.
    S2PMax,
}

/// Which bargains are queued (KTAB `SMPBargnModel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum BargainModel {
    /// Only the initiator's interpolation (KTAB default).
    #[default]
    InitOnlyInterp,
    /// Initiator's and receiver's interpolations. Like KTAB, the receiver's
    /// one uses its expected gain where a probability is meant.
    InitRcvrInterp,
    /// Power-weighted compromise of both interpolations (KTAB weights,
    /// including its use of the initiator's capability for both).
    PWCompInterp,
}

/// SMP parameters; `Default` is KTAB's default configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmpOptions {
    /// Voting rule for coalitions over positions and bargains.
    pub voting: VotingRule,
    /// Victory probability model.
    pub victory: VictoryModel,
    /// PCE model.
    pub pce: PceModel,
    /// Risk-attitude range.
    pub risk_range: RiskRange,
    /// Risk misperception rule.
    pub risk_adjust: RiskAdjust,
    /// Third-party commitment.
    pub third_party: ThirdPartyCommit,
    /// Bargain interpolation.
    pub interpolation: Interpolation,
    /// Bargain model.
    pub bargain: BargainModel,
    /// Minimum number of turns before the stop rule applies (KTAB: 2).
    pub min_turns: usize,
    /// Maximum number of turns (KTAB: 100).
    pub max_turns: usize,
    /// Stop when a turn's movement over the first turn's is below this (0.02).
    pub stop_ratio: f64,
    /// Positions closer than this (Euclidean, 0–1 scale) are one (1e-3).
    pub position_tolerance: f64,
}

impl Default for SmpOptions {
    fn default() -> Self {
        SmpOptions {
            voting: VotingRule::default(),
            victory: VictoryModel::default(),
            pce: PceModel::default(),
            risk_range: RiskRange::default(),
            risk_adjust: RiskAdjust::default(),
            third_party: ThirdPartyCommit::default(),
            interpolation: Interpolation::default(),
            bargain: BargainModel::default(),
            min_turns: 2,
            max_turns: 100,
            stop_ratio: 0.02,
            position_tolerance: 1e-3,
        }
    }
}

fn vote(vr: VotingRule, w: f64, u1: f64, u2: f64) -> f64 {
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

fn vprob(vpm: VictoryModel, s1: f64, s2: f64) -> (f64, f64) {
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
fn coalitions(vfn: impl Fn(usize, usize, usize) -> f64, n_act: usize, n_opt: usize) -> Vec<f64> {
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

fn victory_matrix(vpm: VictoryModel, c: &[f64], n: usize) -> Vec<f64> {
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

fn pce(pcem: PceModel, vpm: VictoryModel, c: &[f64], n: usize) -> Vec<f64> {
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
fn scalar_pce(w: &[f64], u: &[f64], n_opt: usize, vr: VotingRule, o: &SmpOptions) -> Vec<f64> {
    let n_act = w.len();
    let c = coalitions(
        |k, i, j| vote(vr, w[k], u[k * n_opt + i], u[k * n_opt + j]),
        n_act,
        n_opt,
    );
    pce(o.pce, o.victory, &c, n_opt)
}

/// Index of the first maximum.
fn first_max(p: &[f64]) -> usize {
    let mut best = 0;
    for (i, x) in p.iter().enumerate() {
        if x.abs() > p[best].abs() {
            best = i;
        }
    }
    best
}

fn bs_util(d: f64, r: f64) -> f64 {
    if d <= 1.0 {
        (1.0 - d) * (1.0 + d * r)
    } else {
        (1.0 - d) * (1.0 + r)
    }
}

fn bv_diff(a: &[f64], b: &[f64], s: &[f64]) -> f64 {
    let (mut ds2, mut s2) = (0.0, 0.0);
    for k in 0..a.len() {
        let ds = (a[k] - b[k]) * s[k];
        ds2 += ds * ds;
        s2 += s[k] * s[k];
    }
    (ds2 / s2).sqrt()
}

fn norm_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

fn round4(x: f64) -> f64 {
    ((0.5 + x * 10000.0) as i64) as f64 / 10000.0
}

/// Fixed actor data of a run (participants only, 0–1 scale).
struct Actors<'a> {
    cap: Vec<f64>,
    sal: Vec<Vec<f64>>,
    sal_sum: Vec<f64>,
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
                vdiff[i * n + j] = bv_diff(&pos[i], &pos[j], &a.sal[i]);
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
        bs_util(bv_diff(&self.pos[ai], p, &a.sal[ai]), self.nra[ai])
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
    let a = Actors {
        cap: part.iter().map(|&i| problem.actors()[i].power).collect(),
        sal: part
            .iter()
            .map(|&i| {
                dims.iter()
                    .map(|d| d.saliences[i].unwrap_or(0.0) / 100.0)
                    .collect()
            })
            .collect(),
        sal_sum: part
            .iter()
            .map(|&i| {
                dims.iter()
                    .map(|d| d.saliences[i].unwrap_or(0.0) / 100.0)
                    .sum()
            })
            .collect(),
        o: options,
    };
    let pos0: Vec<Vec<f64>> = part
        .iter()
        .map(|&i| {
            dims.iter()
                .map(|d| d.positions[i].unwrap_or(0.0) / 100.0)
                .collect()
        })
        .collect();
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
    let mut history = vec![State::new(&a, pos0)];
    let mut rounds = vec![make_round(&history[0])];
    let mut status = ForecastStatus::RoundLimit;
    if part.len() < 2 {
        status = ForecastStatus::Converged;
    } else {
        let mut iter = 0;
        loop {
            if cancel.cancelled() {
                status = ForecastStatus::Cancelled;
                break;
            }
            iter += 1;
            let next = step(&a, &history[iter - 1]);
            let s1 = State::new(&a, next);
            rounds.push(make_round(&s1));
            history.push(s1);
            let d01 = state_dist(&history[0].pos, &history[1].pos) + 1e-4;
            let dxy = state_dist(&history[iter].pos, &history[iter - 1].pos);
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

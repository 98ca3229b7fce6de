//! Cross-validated backtest on EU legislative decisions, with capabilities
//! from Council voting power and the procedure's roles.
//!
//! Folds are drawn by proposal (issues of one proposal share a fold) from a
//! seed. Every model with parameters is fitted on the training folds only,
//! then scored on the held-out fold; nothing is tuned on a test fold. The
//! models (docs/forecast.md says what each one is):
//! - `compromise`, `mean`, `median`, `eum`, `smp`: as in [`super::backtest`]
//!   (equal capabilities, nothing fitted);
//! - `power_ssi`, `power_banzhaf`: the compromise with capabilities: each
//!   member state its Council index under the rule in force at the
//!   proposal's date (unanimity: 1/n each), the Commission (agenda setter)
//!   and the Parliament (co-legislator under COD, consulted under CNS)
//!   weights fitted on the training folds;
//! - `nash`: Achen's asymmetric Nash bargaining solution with those
//!   capabilities times salience, the reference point as disagreement
//!   point, quadratic utilities and a fitted cost of no agreement;
//! - `procedural`: the Commission proposes the point nearest its ideal
//!   that a qualified majority (all, under unanimity) and, under COD, the
//!   Parliament prefer to the reference point;
//! - `reference_pull`: the compromise pulled towards the reference point
//!   by a fitted share;
//! - `choice`: a conditional logit over the candidate outcomes (every
//!   distinct position and the compromise) whose features are the
//!   candidate's support (salience, actors, capability-weighted), its
//!   distance to the compromise, whether the Commission, the Parliament
//!   (by procedure) or the reference point sit there and whether it is an
//!   extreme; fitted by maximum likelihood on the training folds, it
//!   forecasts the median of its predictive distribution (the forecast
//!   with the least expected absolute error);
//! - `blend`: a least-absolute-deviation combination of the above, fitted
//!   on the training folds;
//! - `exchange`: Stokman's exchange model ([`super::exchange_model`]) on
//!   the issues of each proposal, equal capabilities (nothing fitted; it
//!   reads no outcome);
//! - `shrink`: the compromise moved towards the `choice` forecast by a
//!   fitted share;
//! - `choice_exchange`: `choice` with the exchange forecast as one more
//!   candidate and two more features;
//! - `choice_ridge`: `choice` with its ridge strength chosen by an inner
//!   cross-validation over the training folds alone;
//! - `choice_bagged`: `choice` fitted on bootstrap resamples of the
//!   training proposals, its predictive distributions averaged, the median
//!   forecast;
//! - `choice_procedure`: `choice` with a second set of coefficients for
//!   co-decision issues, shrunk towards the shared ones by a stronger
//!   ridge (partial pooling across procedures).
//!
//! Issues without a reference point fall back to `power_ssi` in the models
//! that need one. The CI of each model's MAE difference to the compromise
//! model is a paired bootstrap over proposals (issues of one proposal are
//! not independent), seeded like [`super::backtest`].

use std::collections::BTreeMap;

use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use serde::Serialize;

use super::baseline::{weighted_mean, weighted_median_of};
use super::power::{council_at, council_power, council_wins, Council};
use super::{exchange_model, BacktestOptions, Cancel, ExchangeOptions, SpatialProblem};

/// When and how an issue was decided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecisionContext {
    /// Co-decision (COD): the Parliament can veto.
    pub codecision: bool,
    /// The Council decides by unanimity.
    pub unanimity: bool,
    /// The proposal's date (year, month, day).
    pub date: (i32, u32, u32),
}

/// One issue of the cross-validated backtest. Actors are named as in DEU
/// III: `com` (Commission), `ep` (Parliament), member-state codes.
#[derive(Debug, Clone)]
pub struct CvIssue {
    /// Issue id.
    pub id: String,
    /// Proposal id: the unit of the folds.
    pub proposal: String,
    /// Positions and saliences (the actors' own powers are ignored).
    pub problem: SpatialProblem,
    /// Observed outcome on 0–100.
    pub outcome: f64,
    /// Reference point (the status quo) on 0–100, if known.
    pub reference_point: Option<f64>,
    /// Procedure, voting rule and date.
    pub context: DecisionContext,
}

/// Settings of the cross-validated backtest.
#[derive(Debug, Clone)]
pub struct CvOptions {
    /// Number of folds (≥ 2).
    pub folds: usize,
    /// Seed (of the folds too), resamples, confidence level, minimum
    /// number of actors and the dynamic models, as for the plain backtest.
    pub backtest: BacktestOptions,
}

impl Default for CvOptions {
    fn default() -> Self {
        CvOptions {
            folds: 10,
            backtest: BacktestOptions::default(),
        }
    }
}

/// Parameters fitted on one fold's training issues.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FittedParams {
    /// Commission, Parliament (COD), Parliament (CNS) weights with
    /// Shapley–Shubik capabilities.
    pub ssi_roles: [f64; 3],
    /// The same with Banzhaf capabilities.
    pub banzhaf_roles: [f64; 3],
    /// Nash: the cost of no agreement added to every gain (0–100 scale²).
    pub nash_cost: f64,
    /// Share of the pull towards the reference point.
    pub reference_pull: f64,
    /// Choice-model coefficients, one per [`CHOICE_FEATURES`].
    pub choice: Vec<f64>,
    /// `choice_exchange` coefficients: one per [`CHOICE_FEATURES`], then
    /// `exchange` (the candidate is the exchange forecast) and
    /// `distance_to_exchange`.
    pub choice_exchange: Vec<f64>,
    /// `shrink`: the share of the way from the compromise to the choice
    /// forecast.
    pub shrink: f64,
    /// `choice_ridge`: the ridge strength chosen by the inner
    /// cross-validation.
    pub choice_ridge: f64,
    /// `choice_ridge`: its coefficients, one per [`CHOICE_FEATURES`].
    pub choice_ridge_coefficients: Vec<f64>,
    /// Blend coefficients: intercept, then [`BLEND_FEATURES`].
    pub blend: Vec<f64>,
    /// `choice_bagged`: the coefficients fitted on each bootstrap
    /// resample of the training proposals, one per [`CHOICE_FEATURES`].
    pub choice_bagged: Vec<Vec<f64>>,
    /// `choice_procedure`: the shared coefficients (one per
    /// [`CHOICE_FEATURES`]), then the co-decision deviations (the same
    /// features again, times 1 under COD).
    pub choice_procedure: Vec<f64>,
}

/// The features of a candidate outcome in the `choice` model.
pub const CHOICE_FEATURES: [&str; 12] = [
    "salience_share",
    "actor_share",
    "distance_to_compromise",
    "squared_distance_to_compromise",
    "commission",
    "parliament_cod",
    "parliament_other",
    "reference_point",
    "extreme",
    "compromise",
    "distance_to_centre",
    "capability_share",
];
const NF: usize = CHOICE_FEATURES.len();

/// The forecasts the blend combines, in coefficient order.
pub const BLEND_FEATURES: [&str; 9] = [
    "compromise",
    "power_ssi",
    "nash",
    "procedural",
    "reference_point",
    "commission",
    "parliament",
    "nearest_position",
    "choice",
];

/// One model's cross-validated score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CvScore {
    /// Model name.
    pub model: String,
    /// Mean absolute error over all held-out issues.
    pub mae: f64,
    /// Mean of (model error − compromise error).
    pub diff_to_compromise: f64,
    /// Paired bootstrap CI (by proposal) of that difference; `None` for the
    /// compromise model.
    pub ci: Option<[f64; 2]>,
    /// MAE per fold.
    pub fold_mae: Vec<f64>,
}

/// The result of a cross-validated backtest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CvReport {
    /// Number of folds.
    pub folds: usize,
    /// Seed of the folds and the bootstrap.
    pub seed: u64,
    /// Issues scored.
    pub issues_scored: usize,
    /// Issues per fold.
    pub fold_sizes: Vec<usize>,
    /// Scores, compromise first.
    pub scores: Vec<CvScore>,
    /// Parameters fitted on each fold's training issues.
    pub fitted: Vec<FittedParams>,
    /// True when the cancel check stopped the run early.
    pub cancelled: bool,
}

/// What a model needs of one issue, precomputed once.
struct Case {
    /// (position, salience, role) of each participant.
    actors: Vec<(f64, f64, Role)>,
    /// The participants' names, in `actors` order (the exchange model
    /// matches actors across the issues of a proposal by name).
    names: Vec<String>,
    /// Stokman's exchange forecast of this issue (the `choice_exchange`
    /// model's extra candidate); NaN until computed.
    exchange: f64,
    outcome: f64,
    rp: Option<f64>,
    ctx: DecisionContext,
    council: usize,
    proposal: String,
}

#[derive(Debug, Clone, Copy)]
enum Role {
    Commission,
    Parliament,
    /// A member state with its Shapley–Shubik and Banzhaf indices and its
    /// index in the council.
    State(f64, f64, usize),
    /// Not a Council member at the date, or unknown.
    None,
}

/// The councils met, with each one's indices under QMV and unanimity.
struct Councils(Vec<(Council, [super::PowerIndices; 2])>);

impl Councils {
    fn get(&mut self, date: (i32, u32, u32)) -> usize {
        let c = council_at(date);
        if let Some(i) = self.0.iter().position(|(k, _)| *k == c) {
            return i;
        }
        let q = council_power(&c, false);
        let u = council_power(&c, true);
        self.0.push((c, [q, u]));
        self.0.len() - 1
    }
}

fn case(issue: &CvIssue, councils: &mut Councils) -> Case {
    let ci = councils.get(issue.context.date);
    let (council, idx) = &councils.0[ci];
    let idx = &idx[usize::from(issue.context.unanimity)];
    let participants = issue.problem.participants(0);
    let names = participants
        .iter()
        .map(|&(a, _, _)| issue.problem.actors()[a].name.clone())
        .collect();
    let actors = participants
        .into_iter()
        .map(|(a, x, s)| {
            let name = issue.problem.actors()[a].name.as_str();
            let role = match name {
                "com" => Role::Commission,
                "ep" => Role::Parliament,
                _ => match council.members.iter().position(|m| m.code == name) {
                    Some(m) => Role::State(idx.shapley_shubik[m], idx.banzhaf[m], m),
                    None => Role::None,
                },
            };
            (x, s, role)
        })
        .collect();
    Case {
        actors,
        names,
        exchange: f64::NAN,
        outcome: issue.outcome,
        rp: issue.reference_point,
        ctx: issue.context,
        council: ci,
        proposal: issue.proposal.clone(),
    }
}

/// Capability-weighted compromise; `banzhaf` picks the index.
fn power_compromise(c: &Case, roles: [f64; 3], banzhaf: bool) -> f64 {
    let pts: Vec<(f64, f64)> = c
        .actors
        .iter()
        .map(|&(x, s, r)| (x, s * capability(c, r, roles, banzhaf)))
        .collect();
    weighted_mean(&pts)
}

fn capability(c: &Case, r: Role, roles: [f64; 3], banzhaf: bool) -> f64 {
    match r {
        Role::Commission => roles[0],
        Role::Parliament if c.ctx.codecision => roles[1],
        Role::Parliament => roles[2],
        Role::State(ss, bz, _) => {
            if banzhaf {
                bz
            } else {
                ss
            }
        }
        Role::None => 0.0,
    }
}

/// Achen's asymmetric Nash bargaining solution: maximise
/// Σ wᵢ sᵢ ln(gᵢ(x) + cost), gᵢ(x) = (r − pᵢ)² − (x − pᵢ)², over the
/// interval where every term is positive; the reference point if empty.
/// The objective is concave, so a ternary search finds the maximum.
fn nash(c: &Case, roles: [f64; 3], cost: f64) -> f64 {
    let Some(r) = c.rp else {
        return power_compromise(c, roles, false);
    };
    let terms: Vec<(f64, f64)> = c
        .actors
        .iter()
        .map(|&(x, s, role)| (x, s * capability(c, role, roles, false)))
        .filter(|t| t.1 > 0.0)
        .collect();
    if terms.is_empty() {
        return r;
    }
    let (mut lo, mut hi) = (0.0f64, 100.0f64);
    for &(p, _) in &terms {
        let reach = ((r - p).powi(2) + cost).sqrt();
        lo = lo.max(p - reach);
        hi = hi.min(p + reach);
    }
    if lo >= hi {
        return r;
    }
    let f = |x: f64| -> f64 {
        terms
            .iter()
            .map(|&(p, w)| w * ((r - p).powi(2) - (x - p).powi(2) + cost).max(1e-300).ln())
            .sum()
    };
    for _ in 0..100 {
        let (a, b) = (lo + (hi - lo) / 3.0, hi - (hi - lo) / 3.0);
        if f(a) < f(b) {
            lo = a;
        } else {
            hi = b;
        }
    }
    (lo + hi) / 2.0
}

/// The agenda-setter / pivot model (see the module doc). Member states
/// without a position are taken to go along with the proposal.
fn procedural(c: &Case, councils: &Councils, fallback: f64) -> f64 {
    let Some(r) = c.rp else { return fallback };
    let Some(&(ideal, _, _)) = c.actors.iter().find(|a| matches!(a.2, Role::Commission)) else {
        return fallback;
    };
    if ideal == r {
        return r;
    }
    let council = &councils.0[c.council].0;
    // Whether `x` (on the Commission's side of r) beats r.
    let beats = |x: f64| -> bool {
        let mid = (r + x) / 2.0;
        let prefers = |p: f64| if x > r { p >= mid } else { p <= mid };
        let mut members = vec![true; council.members.len()];
        for &(p, _, role) in &c.actors {
            match role {
                Role::State(_, _, m) => members[m] = prefers(p),
                Role::Parliament if c.ctx.codecision && !prefers(p) => return false,
                _ => {}
            }
        }
        if c.ctx.unanimity {
            members.iter().all(|&b| b)
        } else {
            council_wins(council, &members)
        }
    };
    // The win-set's edge is at a reflection 2p − r of some actor p.
    let mut candidates: Vec<f64> = c
        .actors
        .iter()
        .map(|a| 2.0 * a.0 - r)
        .filter(|&x| (x - r) * (ideal - r) > 0.0 && (x - r).abs() < (ideal - r).abs())
        .collect();
    candidates.push(ideal);
    candidates.sort_by(|a, b| (b - r).abs().total_cmp(&(a - r).abs()));
    candidates.into_iter().find(|&x| beats(x)).unwrap_or(r)
}

/// Stokman's exchange model on every proposal (issues grouped by
/// proposal, actors matched by name), equal capabilities: the forecast of
/// each case. It reads no outcome, so it needs no fold.
fn exchange_forecasts(cases: &[Case], options: &ExchangeOptions) -> Vec<f64> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (j, c) in cases.iter().enumerate() {
        groups.entry(c.proposal.as_str()).or_default().push(j);
    }
    let mut out = vec![f64::NAN; cases.len()];
    for members in groups.values() {
        let mut names: Vec<&str> = members
            .iter()
            .flat_map(|&j| cases[j].names.iter().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        let mut pos = vec![vec![None; names.len()]; members.len()];
        let mut sal = vec![vec![None; names.len()]; members.len()];
        for (q, &j) in members.iter().enumerate() {
            for (name, &(x, s, _)) in cases[j].names.iter().zip(&cases[j].actors) {
                if let Ok(i) = names.binary_search(&name.as_str()) {
                    pos[q][i] = Some(x);
                    sal[q][i] = Some(s);
                }
            }
        }
        let r = exchange_model(&pos, &sal, &vec![1.0; names.len()], options);
        for (q, &j) in members.iter().enumerate() {
            out[j] = r.outcomes[q];
        }
    }
    out
}

fn nearest_position(c: &Case, x: f64) -> f64 {
    c.actors
        .iter()
        .map(|a| a.0)
        .min_by(|a, b| (a - x).abs().total_cmp(&(b - x).abs()))
        .unwrap_or(x)
}

fn role_position(c: &Case, want: fn(Role) -> bool, fallback: f64) -> f64 {
    c.actors
        .iter()
        .find(|a| want(a.2))
        .map_or(fallback, |a| a.0)
}

/// The candidate outcomes of an issue and their choice-model features.
/// With `extended`, the exchange forecast is one more candidate and two
/// features follow the [`CHOICE_FEATURES`]: whether the candidate is the
/// exchange forecast, and its distance to it.
fn candidates(c: &Case, roles: [f64; 3], extended: bool) -> (Vec<f64>, Vec<Vec<f64>>) {
    let comp = weighted_mean(&c.actors.iter().map(|a| (a.0, a.1)).collect::<Vec<_>>());
    let mut qs: Vec<f64> = c.actors.iter().map(|a| a.0).collect();
    qs.push(comp);
    let ex = c.exchange;
    if extended && ex.is_finite() {
        qs.push(ex);
    }
    qs.sort_by(f64::total_cmp);
    qs.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    let total_s: f64 = c.actors.iter().map(|a| a.1).sum::<f64>().max(1e-12);
    let cap = |a: &(f64, f64, Role)| a.1 * capability(c, a.2, roles, false);
    let total_c: f64 = c.actors.iter().map(cap).sum::<f64>().max(1e-12);
    let n = c.actors.len().max(1) as f64;
    let (lo, hi) = (qs[0], qs[qs.len() - 1]);
    let at = |q: f64, a: &(f64, f64, Role)| (a.0 - q).abs() < 1e-9;
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let feats = qs
        .iter()
        .map(|&q| {
            let here = c.actors.iter().filter(|a| at(q, a));
            let role_here =
                |want: fn(Role) -> bool| flag(c.actors.iter().any(|a| at(q, a) && want(a.2)));
            let ep = role_here(|r| matches!(r, Role::Parliament));
            let mut f = vec![
                here.clone().map(|a| a.1).sum::<f64>() / total_s,
                here.clone().count() as f64 / n,
                (q - comp).abs() / 100.0,
                (q - comp).powi(2) / 1e4,
                role_here(|r| matches!(r, Role::Commission)),
                ep * flag(c.ctx.codecision),
                ep * flag(!c.ctx.codecision),
                flag(c.rp.is_some_and(|r| (r - q).abs() < 1e-9)),
                flag(q == lo || q == hi),
                flag((q - comp).abs() < 1e-9),
                (q - 50.0).abs() / 50.0,
                here.map(cap).sum::<f64>() / total_c,
            ];
            if extended {
                let ex = if ex.is_finite() { ex } else { comp };
                f.push(flag((q - ex).abs() < 1e-9));
                f.push((q - ex).abs() / 100.0);
            }
            f
        })
        .collect();
    (qs, feats)
}

fn softmax(feats: &[Vec<f64>], b: &[f64]) -> Vec<f64> {
    let sc: Vec<f64> = feats
        .iter()
        .map(|f| f.iter().zip(b).map(|(x, w)| x * w).sum())
        .collect();
    let m = sc.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = sc.iter().map(|s| (s - m).exp()).collect();
    let z: f64 = e.iter().sum();
    e.into_iter().map(|x| x / z).collect()
}

/// The observed outcome as weights on the candidates: split linearly
/// between the two that bracket it.
fn choice_target(qs: &[f64], out: f64) -> Vec<f64> {
    let mut t = vec![0.0; qs.len()];
    match qs.iter().position(|&q| q >= out) {
        None => *t.last_mut().unwrap_or(&mut 0.0) = 1.0,
        Some(0) => t[0] = 1.0,
        Some(i) => {
            let f = (out - qs[i - 1]) / (qs[i] - qs[i - 1]);
            t[i - 1] = 1.0 - f;
            t[i] = f;
        }
    }
    t
}

/// Maximum likelihood by plain gradient ascent from zero (deterministic),
/// with a light ridge.
fn fit_choice(train: &[&Case], roles: [f64; 3], extended: bool) -> Vec<f64> {
    fit_choice_with(train, roles, extended, 0.001)
}

/// The ridge strengths `choice_ridge` chooses from.
const RIDGE_GRID: [f64; 4] = [0.001, 0.01, 0.03, 0.1];

/// Inner folds of `choice_ridge`'s ridge choice.
const INNER_FOLDS: usize = 5;

/// `choice_ridge`: the ridge strength with the least MAE in an inner
/// cross-validation by proposal over the training issues alone (folds from
/// the same seed), then the choice model refitted on all of them with it.
fn fit_choice_ridge(train: &[&Case], roles: [f64; 3], seed: u64) -> (f64, Vec<f64>) {
    let props: Vec<&str> = train.iter().map(|c| c.proposal.as_str()).collect();
    let inner = proposal_folds(&props, INNER_FOLDS, seed);
    let fold: Vec<usize> = train.iter().map(|c| inner[&c.proposal]).collect();
    let ridge = RIDGE_GRID
        .iter()
        .map(|&r| {
            let mut err = 0.0;
            for k in 0..INNER_FOLDS {
                let part = |held: bool| -> Vec<&Case> {
                    train
                        .iter()
                        .zip(&fold)
                        .filter(|&(_, &f)| (f == k) == held)
                        .map(|(c, _)| *c)
                        .collect()
                };
                let b = fit_choice_with(&part(false), roles, false, r);
                err += part(true)
                    .iter()
                    .map(|c| (choice(c, roles, &b) - c.outcome).abs())
                    .sum::<f64>();
            }
            (r, err)
        })
        .fold((RIDGE_GRID[0], f64::INFINITY), |b, x| {
            if x.1 < b.1 {
                x
            } else {
                b
            }
        })
        .0;
    (ridge, fit_choice_with(train, roles, false, ridge))
}

fn fit_choice_with(train: &[&Case], roles: [f64; 3], extended: bool, ridge: f64) -> Vec<f64> {
    let data: Vec<_> = train
        .iter()
        .map(|c| {
            let (qs, f) = candidates(c, roles, extended);
            let t = choice_target(&qs, c.outcome);
            (f, t)
        })
        .collect();
    let nf = if extended { NF + 2 } else { NF };
    let mut b = vec![0.0; nf];
    let rate = 2.0;
    for _ in 0..600 {
        let mut g = vec![0.0; nf];
        for (f, t) in &data {
            let p = softmax(f, &b);
            for ((fi, ti), pi) in f.iter().zip(t).zip(&p) {
                for j in 0..nf {
                    g[j] += (ti - pi) * fi[j];
                }
            }
        }
        for j in 0..nf {
            b[j] += rate * g[j] / data.len().max(1) as f64 - rate * ridge * b[j];
        }
    }
    b
}

/// The median of the choice model's predictive distribution.
fn choice(c: &Case, roles: [f64; 3], b: &[f64]) -> f64 {
    let (qs, f) = candidates(c, roles, b.len() > NF);
    median_of(&qs, &softmax(&f, b))
}

/// The median of a distribution `p` over the sorted candidates `qs`.
fn median_of(qs: &[f64], p: &[f64]) -> f64 {
    let mut cum = 0.0;
    for (q, pi) in qs.iter().zip(p) {
        cum += pi;
        if cum >= 0.5 {
            return *q;
        }
    }
    qs[qs.len() - 1]
}

/// Bootstrap resamples of the training proposals in `choice_bagged`.
const BAGS: usize = 20;

/// `choice_procedure`'s ridge on its co-decision deviations; the shared
/// coefficients keep `choice`'s 0.001. Fixed before any held-out run (see
/// docs/forecast.md), not tuned.
const PROCEDURE_RIDGE: f64 = 0.03;

/// One training issue of a conditional logit: the candidates' features
/// and the observed outcome as weights on the candidates.
type LogitCase = (Vec<Vec<f64>>, Vec<f64>);

/// An issue's candidate outcomes (sorted) and their features.
type Candidates = (Vec<f64>, Vec<Vec<f64>>);

/// Weighted maximum likelihood of a conditional logit by the same plain
/// gradient ascent as [`fit_choice_with`], with one ridge per coefficient:
/// `weight[i]` counts issue i (a bootstrap multiplicity, or 1).
fn fit_logit(data: &[LogitCase], weight: &[f64], ridge: &[f64]) -> Vec<f64> {
    let nf = ridge.len();
    let total = weight.iter().sum::<f64>().max(1.0);
    let mut b = vec![0.0; nf];
    let rate = 2.0;
    for _ in 0..600 {
        let mut g = vec![0.0; nf];
        for ((f, t), &w) in data.iter().zip(weight) {
            if w == 0.0 {
                continue;
            }
            let p = softmax(f, &b);
            for ((fi, ti), pi) in f.iter().zip(t).zip(&p) {
                let d = w * (ti - pi);
                for (gj, x) in g.iter_mut().zip(fi) {
                    *gj += d * x;
                }
            }
        }
        for ((bj, gj), rj) in b.iter_mut().zip(&g).zip(ridge) {
            *bj += rate * gj / total - rate * rj * *bj;
        }
    }
    b
}

fn logit_data(
    train: &[&Case],
    roles: [f64; 3],
    cands: fn(&Case, [f64; 3]) -> Candidates,
) -> Vec<LogitCase> {
    train
        .iter()
        .map(|c| {
            let (qs, f) = cands(c, roles);
            let t = choice_target(&qs, c.outcome);
            (f, t)
        })
        .collect()
}

fn plain_candidates(c: &Case, roles: [f64; 3]) -> (Vec<f64>, Vec<Vec<f64>>) {
    candidates(c, roles, false)
}

/// `choice_bagged`: the choice model fitted on [`BAGS`] bootstrap
/// resamples of the training proposals (whole proposals drawn with
/// replacement; resample b keyed by (seed, b) and a tag that keeps it
/// apart from the CI's resamples). Bagging steadies a learner whose
/// forecast, a median over discrete candidates, jumps with its
/// coefficients.
fn fit_choice_bagged(train: &[&Case], roles: [f64; 3], seed: u64) -> Vec<Vec<f64>> {
    let data = logit_data(train, roles, plain_candidates);
    let mut props: Vec<&str> = train.iter().map(|c| c.proposal.as_str()).collect();
    props.sort_unstable();
    props.dedup();
    let index: Vec<usize> = train
        .iter()
        .map(|c| props.binary_search(&c.proposal.as_str()).unwrap_or(0))
        .collect();
    (0..BAGS)
        .map(|bag| {
            let mut key = [0u8; 32];
            key[..8].copy_from_slice(&seed.to_le_bytes());
            key[8..16].copy_from_slice(&(bag as u64).to_le_bytes());
            key[16] = 0xba;
            let mut rng = ChaCha8Rng::from_seed(key);
            let mut count = vec![0.0; props.len()];
            for _ in 0..props.len() {
                count[rng.random_range(0..props.len())] += 1.0;
            }
            let w: Vec<f64> = index.iter().map(|&i| count[i]).collect();
            fit_logit(&data, &w, &[0.001; NF])
        })
        .collect()
}

/// The median of the bagged models' averaged predictive distribution.
fn choice_bagged(c: &Case, roles: [f64; 3], bags: &[Vec<f64>]) -> f64 {
    let (qs, f) = candidates(c, roles, false);
    let mut p = vec![0.0; qs.len()];
    for b in bags {
        for (a, x) in p.iter_mut().zip(softmax(&f, b)) {
            *a += x / bags.len() as f64;
        }
    }
    median_of(&qs, &p)
}

/// `choice_procedure`'s candidates: the [`CHOICE_FEATURES`], then the
/// same features again under co-decision (0 under consultation).
fn procedure_candidates(c: &Case, roles: [f64; 3]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let (qs, mut f) = candidates(c, roles, false);
    let cod = if c.ctx.codecision { 1.0 } else { 0.0 };
    for row in &mut f {
        let extra: Vec<f64> = row.iter().map(|x| x * cod).collect();
        row.extend(extra);
    }
    (qs, f)
}

/// `choice_procedure`: shared coefficients with `choice`'s light ridge,
/// co-decision deviations with [`PROCEDURE_RIDGE`], so that a deviation
/// must earn its keep on the training issues.
fn fit_choice_procedure(train: &[&Case], roles: [f64; 3]) -> Vec<f64> {
    let data = logit_data(train, roles, procedure_candidates);
    let mut ridge = vec![0.001; NF];
    ridge.extend([PROCEDURE_RIDGE; NF]);
    fit_logit(&data, &vec![1.0; data.len()], &ridge)
}

/// The median of `choice_procedure`'s predictive distribution.
fn choice_procedure(c: &Case, roles: [f64; 3], b: &[f64]) -> f64 {
    let (qs, f) = procedure_candidates(c, roles);
    median_of(&qs, &softmax(&f, b))
}

/// The blend's input forecasts of one issue under fitted parameters.
fn features(c: &Case, councils: &Councils, p: &FittedParams) -> [f64; 9] {
    let comp = weighted_mean(&c.actors.iter().map(|a| (a.0, a.1)).collect::<Vec<_>>());
    let pw = power_compromise(c, p.ssi_roles, false);
    [
        comp,
        pw,
        nash(c, p.ssi_roles, p.nash_cost),
        procedural(c, councils, pw),
        c.rp.unwrap_or(pw),
        role_position(c, |r| matches!(r, Role::Commission), pw),
        role_position(c, |r| matches!(r, Role::Parliament), pw),
        nearest_position(c, comp),
        choice(c, p.ssi_roles, &p.choice),
    ]
}

fn blend_value(f: &[f64; 9], b: &[f64]) -> f64 {
    let v = b[0] + f.iter().zip(&b[1..]).map(|(x, w)| x * w).sum::<f64>();
    v.clamp(0.0, 100.0)
}

fn mae_of(cases: &[&Case], f: impl Fn(&Case) -> f64) -> f64 {
    cases.iter().map(|c| (f(c) - c.outcome).abs()).sum::<f64>() / cases.len().max(1) as f64
}

const ROLE_GRID: [f64; 8] = [0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0];

fn fit_roles(train: &[&Case], banzhaf: bool) -> [f64; 3] {
    let mut best = ([0.0; 3], f64::INFINITY);
    for &a in &ROLE_GRID {
        for &b in &ROLE_GRID {
            for &c in &ROLE_GRID {
                let m = mae_of(train, |k| power_compromise(k, [a, b, c], banzhaf));
                // Strict improvement keeps the first (smallest) minimiser.
                if m < best.1 {
                    best = ([a, b, c], m);
                }
            }
        }
    }
    best.0
}

/// Least absolute deviations by iteratively reweighted least squares,
/// with a small ridge so that collinear forecasts stay solvable.
fn lad(x: &[Vec<f64>], y: &[f64], iterations: usize) -> Vec<f64> {
    let k = x.first().map_or(0, Vec::len);
    let mut w = vec![1.0; y.len()];
    let mut beta = vec![0.0; k];
    for _ in 0..iterations {
        let mut a = vec![vec![0.0; k + 1]; k];
        for ((xi, &yi), &wi) in x.iter().zip(y).zip(&w) {
            for j in 0..k {
                a[j][k] += wi * xi[j] * yi;
                for l in 0..k {
                    a[j][l] += wi * xi[j] * xi[l];
                }
            }
        }
        for (j, row) in a.iter_mut().enumerate() {
            row[j] += 1e-6 * y.len() as f64;
        }
        // Gauss–Jordan elimination with partial pivoting.
        for i in 0..k {
            let piv = (i..k)
                .max_by(|&p, &q| a[p][i].abs().total_cmp(&a[q][i].abs()))
                .unwrap_or(i);
            a.swap(i, piv);
            if a[i][i].abs() < 1e-12 {
                continue;
            }
            let pivot_row = a[i].clone();
            for (r, row) in a.iter_mut().enumerate() {
                if r != i {
                    let f = row[i] / pivot_row[i];
                    for (x, p) in row.iter_mut().zip(&pivot_row).skip(i) {
                        *x -= f * p;
                    }
                }
            }
        }
        beta = (0..k)
            .map(|i| {
                if a[i][i].abs() < 1e-12 {
                    0.0
                } else {
                    a[i][k] / a[i][i]
                }
            })
            .collect();
        for ((xi, &yi), wi) in x.iter().zip(y).zip(w.iter_mut()) {
            let fit: f64 = xi.iter().zip(&beta).map(|(a, b)| a * b).sum();
            *wi = 1.0 / (yi - fit).abs().max(0.5);
        }
    }
    beta
}

fn fit(train: &[&Case], councils: &Councils, seed: u64) -> FittedParams {
    let ssi_roles = fit_roles(train, false);
    let banzhaf_roles = fit_roles(train, true);
    let nash_cost = [0.0, 100.0, 400.0, 1600.0, 10000.0, 1e6]
        .into_iter()
        .map(|cost| (cost, mae_of(train, |c| nash(c, ssi_roles, cost))))
        .fold((0.0, f64::INFINITY), |b, x| if x.1 < b.1 { x } else { b })
        .0;
    let reference_pull = (0..=10)
        .map(|i| i as f64 * 0.05)
        .map(|l| {
            let m = mae_of(train, |c| {
                let pw = power_compromise(c, ssi_roles, false);
                pw + l * (c.rp.unwrap_or(pw) - pw)
            });
            (l, m)
        })
        .fold((0.0, f64::INFINITY), |b, x| if x.1 < b.1 { x } else { b })
        .0;
    let mut p = FittedParams {
        ssi_roles,
        banzhaf_roles,
        nash_cost,
        reference_pull,
        choice: fit_choice(train, ssi_roles, false),
        choice_exchange: fit_choice(train, ssi_roles, true),
        shrink: 0.0,
        choice_ridge: 0.0,
        choice_ridge_coefficients: Vec::new(),
        blend: Vec::new(),
        choice_bagged: fit_choice_bagged(train, ssi_roles, seed),
        choice_procedure: fit_choice_procedure(train, ssi_roles),
    };
    (p.choice_ridge, p.choice_ridge_coefficients) = fit_choice_ridge(train, ssi_roles, seed);
    p.shrink = (0..=10)
        .map(|i| i as f64 * 0.1)
        .map(|a| {
            let m = mae_of(train, |c| {
                let comp = weighted_mean(&c.actors.iter().map(|a| (a.0, a.1)).collect::<Vec<_>>());
                comp + a * (choice(c, ssi_roles, &p.choice) - comp)
            });
            (a, m)
        })
        .fold((0.0, f64::INFINITY), |b, x| if x.1 < b.1 { x } else { b })
        .0;
    let x: Vec<Vec<f64>> = train
        .iter()
        .map(|c| {
            let mut row = vec![1.0];
            row.extend(features(c, councils, &p));
            row
        })
        .collect();
    let y: Vec<f64> = train.iter().map(|c| c.outcome).collect();
    p.blend = lad(&x, &y, 50);
    p
}

/// The names of the models scored, in report order.
fn model_names(o: &CvOptions) -> Vec<&'static str> {
    let mut v = vec!["compromise", "mean", "median"];
    if o.backtest.eum.is_some() {
        v.push("eum");
    }
    if o.backtest.smp.is_some() {
        v.push("smp");
    }
    v.extend([
        "power_ssi",
        "power_banzhaf",
        "nash",
        "procedural",
        "reference_pull",
        "choice",
        "blend",
        "exchange",
        "shrink",
        "choice_exchange",
        "choice_ridge",
        "choice_bagged",
        "choice_procedure",
    ]);
    v
}

/// Assigns each proposal a fold: proposals sorted, shuffled from the seed,
/// dealt round-robin.
pub fn proposal_folds(proposals: &[&str], folds: usize, seed: u64) -> BTreeMap<String, usize> {
    let mut ps: Vec<&str> = proposals.to_vec();
    ps.sort_unstable();
    ps.dedup();
    ps.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    ps.into_iter()
        .enumerate()
        .map(|(i, p)| (p.to_string(), i % folds.max(1)))
        .collect()
}

/// The parameters fitted on each fold's training issues (what
/// [`cross_validate`] uses), for inspection and leakage tests.
pub fn fitted_params(issues: &[CvIssue], options: &CvOptions) -> Vec<FittedParams> {
    let mut councils = Councils(Vec::new());
    let cases = scored_cases(issues, options, &mut councils);
    let fold = fold_of(&cases, options);
    (0..options.folds)
        .map(|k| {
            let train: Vec<&Case> = cases
                .iter()
                .zip(&fold)
                .filter(|(_, &f)| f != k)
                .map(|(c, _)| c)
                .collect();
            fit(&train, &councils, options.backtest.seed)
        })
        .collect()
}

fn scored_cases(issues: &[CvIssue], o: &CvOptions, councils: &mut Councils) -> Vec<Case> {
    let mut cases: Vec<Case> = issues
        .iter()
        .filter(|i| i.problem.participants(0).len() >= o.backtest.min_actors)
        .map(|i| case(i, councils))
        .collect();
    let ex = exchange_forecasts(&cases, &ExchangeOptions::default());
    for (c, x) in cases.iter_mut().zip(ex) {
        c.exchange = x;
    }
    cases
}

fn fold_of(cases: &[Case], o: &CvOptions) -> Vec<usize> {
    let props: Vec<&str> = cases.iter().map(|c| c.proposal.as_str()).collect();
    let map = proposal_folds(&props, o.folds, o.backtest.seed);
    cases.iter().map(|c| map[&c.proposal]).collect()
}

/// Runs the cross-validated backtest (see the module doc).
pub fn cross_validate(issues: &[CvIssue], options: &CvOptions, cancel: &dyn Cancel) -> CvReport {
    let mut councils = Councils(Vec::new());
    let kept: Vec<&CvIssue> = issues
        .iter()
        .filter(|i| i.problem.participants(0).len() >= options.backtest.min_actors)
        .collect();
    let cases = scored_cases(issues, options, &mut councils);
    let fold = fold_of(&cases, options);
    let names = model_names(options);
    let mut forecasts: Vec<Vec<f64>> = vec![vec![f64::NAN; cases.len()]; names.len()];
    let mut fitted = Vec::new();
    let mut cancelled = false;
    // Models without parameters: once per issue.
    for (j, (issue, c)) in kept.iter().zip(&cases).enumerate() {
        if cancel.cancelled() {
            cancelled = true;
            break;
        }
        let pts: Vec<(f64, f64)> = c.actors.iter().map(|a| (a.0, a.1)).collect();
        let unweighted: Vec<(f64, f64)> = c.actors.iter().map(|a| (a.0, 1.0)).collect();
        let mut f = vec![
            weighted_mean(&pts),
            weighted_mean(&unweighted),
            weighted_median_of(&pts),
        ];
        let equal = equal_power(&issue.problem);
        if let Some(o) = &options.backtest.eum {
            f.push(super::eum::run(&equal, o, cancel, false).forecast[0]);
        }
        if let Some(o) = &options.backtest.smp {
            f.push(super::smp::run(&equal, o, cancel, false).forecast[0]);
        }
        for (m, v) in f.into_iter().enumerate() {
            forecasts[m][j] = v;
        }
    }
    if let Some(m) = names.iter().position(|n| *n == "exchange") {
        forecasts[m] = cases.iter().map(|c| c.exchange).collect();
    }
    let first_fitted = names.iter().position(|n| *n == "power_ssi").unwrap_or(0);
    for k in 0..options.folds {
        if cancelled {
            break;
        }
        let train: Vec<&Case> = cases
            .iter()
            .zip(&fold)
            .filter(|(_, &f)| f != k)
            .map(|(c, _)| c)
            .collect();
        let p = fit(&train, &councils, options.backtest.seed);
        for (j, c) in cases.iter().enumerate() {
            if fold[j] != k {
                continue;
            }
            let feats = features(c, &councils, &p);
            let pw = feats[1];
            let v = [
                pw,
                power_compromise(c, p.banzhaf_roles, true),
                feats[2],
                feats[3],
                pw + p.reference_pull * (c.rp.unwrap_or(pw) - pw),
                feats[8],
                blend_value(&feats, &p.blend),
                f64::NAN,
                feats[0] + p.shrink * (feats[8] - feats[0]),
                choice(c, p.ssi_roles, &p.choice_exchange),
                choice(c, p.ssi_roles, &p.choice_ridge_coefficients),
                choice_bagged(c, p.ssi_roles, &p.choice_bagged),
                choice_procedure(c, p.ssi_roles, &p.choice_procedure),
            ];
            for (m, x) in v.into_iter().enumerate() {
                // The exchange model (NaN here) fits nothing: set above.
                if !x.is_nan() {
                    forecasts[first_fitted + m][j] = x;
                }
            }
        }
        fitted.push(p);
    }
    let errors: Vec<Vec<f64>> = forecasts
        .iter()
        .map(|f| {
            f.iter()
                .zip(&cases)
                .map(|(x, c)| (x - c.outcome).abs())
                .collect()
        })
        .collect();
    let fold_sizes: Vec<usize> = (0..options.folds)
        .map(|k| fold.iter().filter(|&&f| f == k).count())
        .collect();
    let proposals: Vec<&str> = cases.iter().map(|c| c.proposal.as_str()).collect();
    let scores = names
        .iter()
        .zip(&errors)
        .enumerate()
        .map(|(m, (name, e))| {
            let diffs: Vec<f64> = e.iter().zip(&errors[0]).map(|(a, b)| a - b).collect();
            CvScore {
                model: name.to_string(),
                mae: mean(e),
                diff_to_compromise: mean(&diffs),
                ci: (m > 0 && !cases.is_empty()).then(|| {
                    cluster_bootstrap_ci(
                        &diffs,
                        &proposals,
                        options.backtest.seed,
                        options.backtest.resamples,
                        options.backtest.level,
                    )
                }),
                fold_mae: (0..options.folds)
                    .map(|k| {
                        let v: Vec<f64> = e
                            .iter()
                            .zip(&fold)
                            .filter(|(_, &f)| f == k)
                            .map(|(x, _)| *x)
                            .collect();
                        mean(&v)
                    })
                    .collect(),
            }
        })
        .collect();
    CvReport {
        folds: options.folds,
        seed: options.backtest.seed,
        issues_scored: cases.len(),
        fold_sizes,
        scores,
        fitted,
        cancelled,
    }
}

fn equal_power(p: &SpatialProblem) -> SpatialProblem {
    // The DEU reader already gives every actor power 1; kept explicit so
    // that callers' powers never leak into the equal-capability models.
    if p.actors().iter().all(|a| a.power == 1.0) {
        return p.clone();
    }
    let actors = p
        .actors()
        .iter()
        .map(|a| super::SpatialActor {
            name: a.name.clone(),
            power: 1.0,
        })
        .collect();
    SpatialProblem::new(actors, p.dimensions().to_vec()).unwrap_or_else(|_| p.clone())
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// Percentile bootstrap CI of the mean of `d`, resampling whole clusters
/// (`cluster[i]` names the cluster of `d[i]`); resample b is keyed by
/// (seed, b), as in [`super::backtest`].
pub fn cluster_bootstrap_ci(
    d: &[f64],
    cluster: &[&str],
    seed: u64,
    resamples: usize,
    level: f64,
) -> [f64; 2] {
    let mut sums: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for (x, c) in d.iter().zip(cluster) {
        let e = sums.entry(c).or_insert((0.0, 0));
        e.0 += x;
        e.1 += 1;
    }
    let groups: Vec<(f64, usize)> = sums.into_values().collect();
    let g = groups.len();
    let mut means: Vec<f64> = (0..resamples.max(1))
        .map(|b| {
            let mut key = [0u8; 32];
            key[..8].copy_from_slice(&seed.to_le_bytes());
            key[8..16].copy_from_slice(&(b as u64).to_le_bytes());
            let mut rng = ChaCha8Rng::from_seed(key);
            let (mut s, mut n) = (0.0, 0usize);
            for _ in 0..g {
                let (gs, gn) = groups[rng.random_range(0..g)];
                s += gs;
                n += gn;
            }
            s / n.max(1) as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    let alpha = (1.0 - level) / 2.0;
    let at = |q: f64| {
        let pos = q * (means.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        means[lo] + (means[hi] - means[lo]) * (pos - lo as f64)
    };
    [at(alpha), at(1.0 - alpha)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::{Dimension, SpatialActor};

    /// Synthetic DEU-like issues from a fixed linear congruential sequence.
    fn issues(n: usize) -> Vec<CvIssue> {
        let mut x: u64 = 99;
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        let names = ["com", "ep", "de", "fr", "it", "es", "nl", "lu", "pl"];
        (0..n)
            .map(|i| {
                let positions = names.iter().map(|_| Some(next(5) as f64 * 25.0)).collect();
                let saliences = names.iter().map(|_| Some(10.0 + next(90) as f64)).collect();
                let actors = names
                    .iter()
                    .map(|a| SpatialActor {
                        name: a.to_string(),
                        power: 1.0,
                    })
                    .collect();
                let problem = SpatialProblem::new(
                    actors,
                    vec![Dimension {
                        name: format!("i{i}"),
                        positions,
                        saliences,
                    }],
                )
                .unwrap();
                let year = [1999, 2005, 2008, 2016][next(4) as usize];
                CvIssue {
                    id: format!("i{i}"),
                    proposal: format!("p{}", i / 3),
                    problem,
                    outcome: next(101) as f64,
                    reference_point: (next(3) > 0).then(|| next(5) as f64 * 25.0),
                    context: DecisionContext {
                        codecision: next(2) == 0,
                        unanimity: next(5) == 0,
                        date: (year, 6, 1),
                    },
                }
            })
            .collect()
    }

    fn quick() -> CvOptions {
        CvOptions {
            folds: 4,
            backtest: BacktestOptions {
                seed: 3,
                resamples: 200,
                eum: None,
                smp: None,
                ..BacktestOptions::default()
            },
        }
    }

    #[test]
    fn test_fold_outcomes_never_reach_its_fitted_parameters() {
        let mut data = issues(60);
        let o = quick();
        let before = fitted_params(&data, &o);
        let props: Vec<&str> = data.iter().map(|i| i.proposal.as_str()).collect();
        let folds = proposal_folds(&props, o.folds, o.backtest.seed);
        // Reverse (a shuffle with no fixed point for distinct values) the
        // outcomes of fold 0's issues.
        let test: Vec<usize> = (0..data.len())
            .filter(|&i| folds[&data[i].proposal] == 0)
            .collect();
        assert!(test.len() >= 3);
        let outs: Vec<f64> = test.iter().map(|&i| data[i].outcome).collect();
        for (&i, v) in test.iter().zip(outs.iter().rev()) {
            data[i].outcome = 100.0 - v;
        }
        let after = fitted_params(&data, &o);
        // Every fitted parameter of every model (roles, Nash cost, pull,
        // choice, choice_exchange, shrink, choice_ridge with its inner
        // cross-validation, blend, every bag of choice_bagged,
        // choice_procedure) is compared.
        assert_eq!(before[0], after[0], "fold 0 saw its own test outcomes");
        // The other folds train on fold 0, so they must notice, the two
        // latest candidates included (their parameters do read outcomes).
        assert!((1..o.folds).any(|k| before[k] != after[k]));
        assert_eq!(before[0].choice_bagged.len(), BAGS);
        assert_eq!(before[0].choice_procedure.len(), 2 * NF);
        assert!((1..o.folds).any(|k| before[k].choice_bagged != after[k].choice_bagged));
        assert!((1..o.folds).any(|k| before[k].choice_procedure != after[k].choice_procedure));
    }

    #[test]
    fn weighted_logit_counts_an_issue_as_its_copies() {
        let mut councils = Councils(Vec::new());
        let cases = scored_cases(&issues(12), &quick(), &mut councils);
        let train: Vec<&Case> = cases.iter().collect();
        let roles = [0.1, 0.2, 0.0];
        let data = logit_data(&train, roles, plain_candidates);
        // Unit weights and a light ridge: exactly the choice model's fit.
        let unit = fit_logit(&data, &vec![1.0; data.len()], &[0.001; NF]);
        assert_eq!(unit, fit_choice_with(&train, roles, false, 0.001));
        // Weight 2 on the first issue and 0 on the last equals the first
        // issue written twice and the last left out.
        let mut w = vec![1.0; data.len()];
        w[0] = 2.0;
        *w.last_mut().unwrap() = 0.0;
        let mut copies = data.clone();
        copies.pop();
        copies.push(data[0].clone());
        let a = fit_logit(&data, &w, &[0.001; NF]);
        let b = fit_logit(&copies, &vec![1.0; copies.len()], &[0.001; NF]);
        for (x, y) in a.iter().zip(&b) {
            assert!((x - y).abs() < 1e-9, "{x} {y}");
        }
    }

    #[test]
    fn exchange_forecasts_read_no_outcome_and_stay_within_proposals() {
        let mut data = issues(30);
        let o = quick();
        let ex = |d: &[CvIssue]| -> Vec<f64> {
            let mut councils = Councils(Vec::new());
            scored_cases(d, &o, &mut councils)
                .iter()
                .map(|c| c.exchange)
                .collect()
        };
        let before = ex(&data);
        // Synthetic proposals bundle three issues: some exchange happens,
        // so the model is not the compromise everywhere.
        let mut councils = Councils(Vec::new());
        let comp: Vec<f64> = scored_cases(&data, &o, &mut councils)
            .iter()
            .map(|c| weighted_mean(&c.actors.iter().map(|a| (a.0, a.1)).collect::<Vec<_>>()))
            .collect();
        assert!(before.iter().zip(&comp).any(|(a, b)| (a - b).abs() > 1e-6));
        for d in &mut data {
            d.outcome = 100.0 - d.outcome;
        }
        assert_eq!(before, ex(&data), "the exchange model read an outcome");
        // Moving every position of proposal p0 leaves the other proposals'
        // forecasts alone.
        for d in data.iter_mut().filter(|d| d.proposal == "p0") {
            let dim = &d.problem.dimensions()[0];
            let moved: Vec<Option<f64>> =
                dim.positions.iter().map(|x| x.map(|v| 100.0 - v)).collect();
            d.problem = SpatialProblem::new(
                d.problem.actors().to_vec(),
                vec![Dimension {
                    positions: moved,
                    ..dim.clone()
                }],
            )
            .unwrap();
        }
        let after = ex(&data);
        for (j, d) in data.iter().enumerate() {
            if d.proposal != "p0" {
                assert_eq!(before[j], after[j], "{}", d.id);
            }
        }
        assert!((0..3).any(|j| before[j] != after[j]));
    }

    #[test]
    fn folds_keep_proposals_together_and_follow_the_seed() {
        let props = ["a", "b", "a", "c", "d", "e", "b"];
        let f = proposal_folds(&props, 2, 7);
        assert_eq!(f.len(), 5);
        assert_eq!(f, proposal_folds(&props, 2, 7));
        let sizes = (0..2).map(|k| f.values().filter(|&&v| v == k).count());
        assert_eq!(sizes.collect::<Vec<_>>().iter().sum::<usize>(), 5);
        assert!(f.values().all(|&v| v < 2));
    }

    #[test]
    fn cross_validation_is_deterministic_with_a_seed() {
        let data = issues(45);
        let o = quick();
        let a = cross_validate(&data, &o, &super::super::NeverCancel);
        let b = cross_validate(&data, &o, &super::super::NeverCancel);
        assert_eq!(a, b);
        assert_eq!(a.issues_scored, 45);
        assert_eq!(a.fold_sizes.iter().sum::<usize>(), 45);
        assert_eq!(a.scores[0].model, "compromise");
        assert!(a.scores[0].ci.is_none() && a.scores[1].ci.is_some());
        let c = cross_validate(
            &data,
            &CvOptions {
                backtest: BacktestOptions {
                    seed: 4,
                    ..o.backtest.clone()
                },
                ..o
            },
            &super::super::NeverCancel,
        );
        // The compromise model has nothing to fit: its MAE is fold-free.
        assert!((a.scores[0].mae - c.scores[0].mae).abs() < 1e-12);
    }

    #[test]
    fn cluster_bootstrap_resamples_whole_proposals() {
        let d = [1.0, 1.0, 5.0, -2.0, 0.5];
        let cl = ["a", "a", "b", "c", "c"];
        let x = cluster_bootstrap_ci(&d, &cl, 11, 300, 0.9);
        assert_eq!(x, cluster_bootstrap_ci(&d, &cl, 11, 300, 0.9));
        let many: Vec<f64> = (0..40).map(|i| ((i * 37) % 11) as f64 - 4.0).collect();
        let names: Vec<String> = (0..40).map(|i| format!("p{}", i / 2)).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_ne!(
            cluster_bootstrap_ci(&many, &refs, 11, 300, 0.9),
            cluster_bootstrap_ci(&many, &refs, 12, 300, 0.9)
        );
        // Every resample is a ratio of cluster sums: bounded by the
        // extreme cluster means (a: 1, b: 5, c: −0.75).
        assert!(x[0] >= -0.75 && x[1] <= 5.0 && x[0] < x[1], "{x:?}");
        assert_eq!(
            cluster_bootstrap_ci(&[2.0; 4], &cl[..4], 1, 50, 0.95),
            [2.0, 2.0]
        );
    }

    #[test]
    fn choice_target_splits_between_neighbours() {
        assert_eq!(
            choice_target(&[0.0, 50.0, 100.0], 60.0),
            vec![0.0, 0.8, 0.2]
        );
        assert_eq!(choice_target(&[0.0, 50.0], 0.0), vec![1.0, 0.0]);
        assert_eq!(choice_target(&[10.0, 50.0], 70.0), vec![0.0, 1.0]);
    }

    #[test]
    fn procedural_model_stops_at_the_qmv_pivot() {
        // EU-15 under Amsterdam, consultation, reference point 0, the
        // Commission at 100. States at 40 make up 10+10+10+10+8+5 = 53
        // votes, the rest (34) sit at 100: a proposal x beats 0 for the
        // states at 40 only while x ≤ 80, and 34 votes alone cannot pass
        // it, so the outcome is 2·40 − 0 = 80.
        let names = [
            "com", "de", "fr", "it", "uk", "es", "be", "el", "nl", "pt", "at", "se", "dk", "ie",
            "fi", "lu",
        ];
        let pos: Vec<Option<f64>> = names
            .iter()
            .map(|n| {
                Some(if ["de", "fr", "it", "uk", "es", "be"].contains(n) {
                    40.0
                } else {
                    100.0
                })
            })
            .collect();
        let problem = SpatialProblem::new(
            names
                .iter()
                .map(|n| SpatialActor {
                    name: n.to_string(),
                    power: 1.0,
                })
                .collect(),
            vec![Dimension {
                name: "x".into(),
                positions: pos,
                saliences: vec![Some(50.0); names.len()],
            }],
        )
        .unwrap();
        let issue = CvIssue {
            id: "x".into(),
            proposal: "p".into(),
            problem,
            outcome: 0.0,
            reference_point: Some(0.0),
            context: DecisionContext {
                codecision: false,
                unanimity: false,
                date: (1999, 1, 1),
            },
        };
        let mut councils = Councils(Vec::new());
        let c = case(&issue, &mut councils);
        assert_eq!(procedural(&c, &councils, f64::NAN), 80.0);
        // Under unanimity the least keen state (at 40) is the pivot too.
        let mut u = issue.clone();
        u.context.unanimity = true;
        let c = case(&u, &mut councils);
        assert_eq!(procedural(&c, &councils, f64::NAN), 80.0);
    }
}

//! Bueno de Mesquita's expected-utility model ("Policon", the old model)
//! as formalised by Scholz, Calbert & Smith (2011), "Unravelling Bueno De
//! Mesquita's group decision model", J. Theor. Politics 23(4).
//!
//! Each dimension is run on its own, over the actors with a position and a
//! salience there. Positions are on 0–100, saliences are divided by 100.
//! Per round: risk exponents r_i come from a first pass with r = 1; a second
//! pass with those r gives the expected utilities that drive the offers;
//! every actor then accepts one offer, simultaneously. The round forecast is
//! the power × salience weighted median (the Condorcet winner under BDM's
//! linear votes).
//!
//! The paper leaves several points open (the research's ambiguities A1–A7);
//! each is an option in [`EumOptions`]. The default is the variant of
//! Scholz's own code as published by jmckib (2014), which comes closest to
//! Scholz's Table 2 trajectory on the emission-standards case.

use super::baseline::weighted_median_of;
use super::eum_options::{
    EumCompromiseSign, EumOfferRule, EumOptions, EumProbability, EumRange, EumRiskPerspective,
    EumSalience, EumSecurity, EumStop,
};
use super::{Cancel, Forecast, ForecastStatus, Round, SpatialProblem};

/// An offer to an actor: (kind 0 conflict / 1 compromise / 2 capitulation,
/// new position, receiver's EU a, proposer's EU b, proposer index).
type Offer = (u8, f64, f64, f64, usize);

/// `v^r`, without the power when `r` is 1: the first pass of every round
/// runs at r = 1, and `powf(v, 1)` is `v` exactly (the power is accurate to
/// under one ulp and `v` is representable), so the answer is the same bits.
fn curve(v: f64, r: f64) -> f64 {
    if r == 1.0 {
        v
    } else {
        v.powf(r)
    }
}

/// The utilities an expected utility is built from (see [`Issue::stakes`]).
#[derive(Clone, Copy)]
struct Stakes {
    r: f64,
    dij: f64,
    us: f64,
    uf: f64,
    usq: f64,
}

/// One dimension's actors: capability, salience (0–1), position, risk r.
struct Issue<'a> {
    c: Vec<f64>,
    s: Vec<f64>,
    x: Vec<f64>,
    r: Vec<f64>,
    range: f64,
    o: &'a EumOptions,
    /// Cached denominator of the Scholz-code probability.
    all_votes: f64,
    /// Cached with it: actor k's risk-curved distance to actor a's
    /// position, `(|x_k − x_a| / range)^r_k`, at `k * n + a` (every vote
    /// compares two of them, and `powf` was most of the model's time).
    dist: Vec<f64>,
    /// The weighted median of the current positions: a round's risk pass,
    /// its offers and the next snapshot all read it, and only new positions
    /// change it.
    mu: f64,
}

impl<'a> Issue<'a> {
    /// An issue at positions `x` with every risk exponent 1.
    fn new(c: Vec<f64>, s: Vec<f64>, x: Vec<f64>, range: f64, o: &'a EumOptions) -> Self {
        let mut issue = Issue {
            c,
            s,
            r: vec![1.0; x.len()],
            x: Vec::new(),
            range,
            o,
            all_votes: 0.0,
            dist: Vec::new(),
            mu: f64::NAN,
        };
        issue.move_to(x);
        issue
    }

    /// Moves the actors to new positions.
    fn move_to(&mut self, x: Vec<f64>) {
        self.x = x;
        let pts: Vec<(f64, f64)> = (0..self.n())
            .map(|i| (self.x[i], self.c[i] * self.s[i]))
            .collect();
        self.mu = weighted_median_of(&pts);
    }
}

impl Issue<'_> {
    fn n(&self) -> usize {
        self.x.len()
    }

    /// Actor k's risk-curved vote for the position of actor `a` over that
    /// of actor `b`, from the distances [`Issue::refresh_votes`] cached.
    fn compare(&self, k: usize, a: usize, b: usize) -> f64 {
        let n = self.n();
        self.c[k] * self.s[k] * (self.dist[k * n + b] - self.dist[k * n + a])
    }

    fn refresh_votes(&mut self) {
        if self.o.probability != EumProbability::ScholzCode {
            return;
        }
        let n = self.n();
        self.dist.clear();
        for k in 0..n {
            let r = self.r[k];
            for a in 0..n {
                self.dist
                    .push(curve((self.x[k] - self.x[a]).abs() / self.range, r));
            }
        }
        // Every vote of every actor, as `compare` weighs it, in the same
        // order: a diagonal vote is +0, which leaves the sum as it is.
        let mut total = 0.0;
        for k in 0..n {
            let w = self.c[k] * self.s[k];
            let row = &self.dist[k * n..(k + 1) * n];
            for (a, &da) in row.iter().enumerate() {
                for (b, &db) in row.iter().enumerate() {
                    if a != b {
                        total += (w * (db - da)).abs();
                    }
                }
            }
        }
        self.all_votes = total;
    }

    /// Probability that position i beats position j (A5).
    pub(crate) fn probability(&self, i: usize, j: usize) -> f64 {
        let (xi, xj) = (self.x[i], self.x[j]);
        if xi == xj {
            return 0.0;
        }
        let n = self.n();
        match self.o.probability {
            EumProbability::ScholzCode => {
                let num: f64 = (0..n).map(|k| self.compare(k, i, j).max(0.0)).sum();
                if self.all_votes > 0.0 {
                    num / self.all_votes
                } else {
                    0.0
                }
            }
            EumProbability::Paper | EumProbability::MasadNet => {
                let (mut pos, mut net, mut abs) = (0.0, 0.0, 0.0);
                for k in 0..n {
                    let d = (self.x[k] - xj).abs() - (self.x[k] - xi).abs();
                    let w = self.c[k] * self.s[k] * d;
                    if d > 0.0 {
                        pos += w;
                    }
                    net += w;
                    abs += w.abs();
                }
                if abs <= 0.0 {
                    0.5
                } else if self.o.probability == EumProbability::Paper {
                    pos / abs
                } else {
                    net.max(0.0) / abs
                }
            }
        }
    }

    /// The risk exponent with which `h` perceives a challenge by `i`.
    fn risk(&self, h: usize, i: usize) -> f64 {
        match self.o.perspective {
            EumRiskPerspective::Perceiver => self.r[h],
            EumRiskPerspective::Own => self.r[i],
        }
    }

    /// The utilities of success, failure and the status quo of a challenge
    /// between i and j under risk exponent r: the powers of an
    /// expected utility, which both sides' utilities share when their
    /// exponents are equal.
    fn stakes(&self, r: f64, i: usize, j: usize) -> Stakes {
        let dij = (self.x[i] - self.x[j]).abs() / self.range;
        let u = |v: f64| 2.0 - 4.0 * curve(v, r);
        Stakes {
            r,
            dij,
            us: u(0.5 - 0.5 * dij),
            uf: u(0.5 + 0.5 * dij),
            usq: u(0.5),
        }
    }

    /// Expected utility to i of challenging j, as perceived by `h`.
    fn eu(&self, h: usize, i: usize, j: usize, mu: f64) -> f64 {
        self.eu_with(&self.stakes(self.risk(h, i), i, j), i, j, mu)
    }

    /// [`Issue::eu`] from the stakes of its exponent.
    fn eu_with(&self, st: &Stakes, i: usize, j: usize, mu: f64) -> f64 {
        let Stakes {
            r,
            dij,
            us,
            uf,
            usq,
        } = *st;
        let dim = (self.x[i] - mu).abs() / self.range;
        let p = self.probability(i, j);
        let s = match self.o.salience {
            EumSalience::Target => self.s[j],
            EumSalience::Challenger => self.s[i],
        };
        let q = self.o.q;
        let mut eu = s * (p * us + (1.0 - p) * uf) + (1.0 - s) * us - q * usq;
        if q < 1.0 {
            let u = |v: f64| 2.0 - 4.0 * curve(v, r);
            let t = if dim < dij { 1.0 } else { 0.0 };
            let ub = u(0.5 - 0.25 * (dim + dij));
            let uw = u(0.5 + 0.25 * (dim + dij));
            eu -= (1.0 - q) * (t * ub + (1.0 - t) * uw);
        }
        eu
    }

    /// Risk exponents from the first pass with r = 1 (eqs. 32–34).
    fn update_risk(&mut self) {
        let n = self.n();
        self.r = vec![1.0; n];
        self.refresh_votes();
        let mu = self.mu;
        let sec: Vec<f64> = (0..n)
            .map(|i| {
                (0..n)
                    .filter(|&j| j != i)
                    .map(|j| match self.o.security {
                        EumSecurity::Exposure => self.eu(i, j, i, mu),
                        EumSecurity::Ambition => self.eu(i, i, j, mu),
                    })
                    .sum()
            })
            .collect();
        let max = sec.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let min = sec.iter().cloned().fold(f64::INFINITY, f64::min);
        self.r = sec
            .iter()
            .map(|&v| {
                let big_r = if max > min {
                    (2.0 * v - max - min) / (max - min)
                } else {
                    0.0
                };
                (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
            })
            .collect();
        self.refresh_votes();
    }

    /// Every actor's new position after accepting its chosen offer.
    fn offers(&self) -> Vec<f64> {
        let n = self.n();
        let mu = self.mu;
        (0..n)
            .map(|i| {
                // (kind 0 conflict / 1 compromise / 2 capitulation, pos, a, b, j)
                let mut offers: Vec<Offer> = Vec::new();
                for j in 0..n {
                    if self.x[i] == self.x[j] {
                        continue;
                    }
                    // i's and j's challenges as i sees them: one set of
                    // powers when both are seen with the same exponent.
                    let st = self.stakes(self.risk(i, i), i, j);
                    let a = self.eu_with(&st, i, j, mu);
                    let rb = self.risk(i, j);
                    let b = if rb.to_bits() == st.r.to_bits() {
                        self.eu_with(&st, j, i, mu)
                    } else {
                        self.eu_with(&self.stakes(rb, j, i), j, i, mu)
                    };
                    let comp_b = match self.o.compromise {
                        EumCompromiseSign::Figure => b > 0.0,
                        EumCompromiseSign::Text => b < 0.0,
                    };
                    if b > a && a > 0.0 {
                        offers.push((0, self.x[j], a, b, j));
                    } else if comp_b && 0.0 > a && b.abs() > a.abs() {
                        let pos = self.x[i] + (self.x[j] - self.x[i]) * (a / b).abs();
                        offers.push((1, pos, a, b, j));
                    } else if self.o.capitulation && b > 0.0 && 0.0 > a && b < a.abs() {
                        offers.push((2, self.x[j], a, b, j));
                    }
                }
                let xi = self.x[i];
                let pick = |it: &mut dyn Iterator<Item = &Offer>, key: &dyn Fn(&Offer) -> f64| {
                    let mut best: Option<(f64, f64)> = None;
                    for o in it {
                        let k = key(o);
                        if best.is_none_or(|(bk, _)| k < bk) {
                            best = Some((k, o.1));
                        }
                    }
                    best.map(|b| b.1)
                };
                let least = |o: &Offer| (xi - o.1).abs();
                let chosen = match self.o.offer {
                    EumOfferRule::ScholzCode => {
                        let key = |o: &Offer| {
                            (o.2.abs() * xi + o.3.abs() * self.x[o.4]) / (o.2.abs() + o.3.abs())
                        };
                        pick(&mut offers.iter().filter(|o| o.0 == 0), &least)
                            .or_else(|| pick(&mut offers.iter().filter(|o| o.0 == 1), &key))
                            .or_else(|| pick(&mut offers.iter().filter(|o| o.0 == 2), &least))
                    }
                    EumOfferRule::LeastMove => pick(&mut offers.iter(), &least),
                    EumOfferRule::MostEnforceable => pick(&mut offers.iter(), &|o: &Offer| -o.3),
                };
                chosen.unwrap_or(xi)
            })
            .collect()
    }
}

/// The probability that actor `i` beats actor `j` on a one-dimensional
/// issue with all r = 1, for the chosen probability form (a test hook for
/// the research's worked values).
pub fn eum_probability(
    capabilities: &[f64],
    saliences: &[f64],
    positions: &[f64],
    range: f64,
    form: EumProbability,
    i: usize,
    j: usize,
) -> f64 {
    let o = EumOptions {
        probability: form,
        ..EumOptions::default()
    };
    let mut issue = Issue::new(
        capabilities.to_vec(),
        saliences.to_vec(),
        positions.to_vec(),
        range,
        &o,
    );
    issue.refresh_votes();
    issue.probability(i, j)
}

/// The risk exponents r_i (eq. 33) of a one-dimensional issue at its
/// current positions, as the first pass of a round computes them.
pub fn eum_risk_exponents(
    capabilities: &[f64],
    saliences: &[f64],
    positions: &[f64],
    range: f64,
    options: &EumOptions,
) -> Vec<f64> {
    let mut issue = Issue::new(
        capabilities.to_vec(),
        saliences.to_vec(),
        positions.to_vec(),
        range,
        options,
    );
    issue.update_risk();
    issue.r
}

/// Runs the expected-utility model on every dimension of a problem.
pub fn expected_utility(
    problem: &SpatialProblem,
    options: &EumOptions,
    cancel: &dyn Cancel,
) -> Forecast {
    run(problem, options, cancel, true)
}

/// [`expected_utility`]; with `record` false the rounds are not kept (the
/// final forecast and status are the same).
pub(crate) fn run(
    problem: &SpatialProblem,
    options: &EumOptions,
    cancel: &dyn Cancel,
    record: bool,
) -> Forecast {
    let nd = problem.dimensions().len();
    let (max_rounds, still) = match options.stop {
        EumStop::FixedRounds(n) => (n, None),
        EumStop::MedianShift {
            tolerance,
            consecutive,
            max_rounds,
        } => (max_rounds, Some((tolerance, consecutive))),
    };
    let mut issues: Vec<(Vec<usize>, Issue)> = (0..nd)
        .map(|d| {
            let parts = problem.participants(d);
            let x: Vec<f64> = parts.iter().map(|p| p.1).collect();
            let spread = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
                - x.iter().cloned().fold(f64::INFINITY, f64::min);
            let range = match options.range {
                EumRange::Scale => 100.0,
                EumRange::Spread if spread > 0.0 => spread,
                EumRange::Spread => 100.0,
            };
            let issue = Issue::new(
                parts.iter().map(|p| problem.actors()[p.0].power).collect(),
                parts.iter().map(|p| p.2 / 100.0).collect(),
                x,
                range,
                options,
            );
            (parts.iter().map(|p| p.0).collect(), issue)
        })
        .collect();
    let forecast_of =
        |issues: &[(Vec<usize>, Issue)]| -> Vec<f64> { issues.iter().map(|(_, i)| i.mu).collect() };
    let base = if record {
        problem.position_table()
    } else {
        Vec::new()
    };
    let snapshot = |issues: &[(Vec<usize>, Issue)]| -> Round {
        let mut positions = base.clone();
        for (d, (idx, issue)) in issues.iter().enumerate() {
            for (k, &i) in idx.iter().enumerate() {
                positions[i][d] = Some(issue.x[k]);
            }
        }
        Round {
            positions,
            forecast: forecast_of(issues),
            probabilities: None,
        }
    };
    let mut last = forecast_of(&issues);
    let mut rounds = Vec::new();
    if record {
        rounds.push(snapshot(&issues));
    }
    let mut status = ForecastStatus::RoundLimit;
    let mut still_rounds = 0;
    for _ in 0..max_rounds {
        if cancel.cancelled() {
            status = ForecastStatus::Cancelled;
            break;
        }
        for (_, issue) in issues.iter_mut() {
            if issue.n() < 2 {
                continue;
            }
            issue.update_risk();
            let x = issue.offers();
            issue.move_to(x);
        }
        let now = forecast_of(&issues);
        let shift = now
            .iter()
            .zip(&last)
            .map(|(a, b)| (a - b).abs())
            .filter(|v| !v.is_nan())
            .fold(0.0, f64::max);
        if record {
            rounds.push(snapshot(&issues));
        }
        last = now;
        if let Some((tol, need)) = still {
            still_rounds = if shift < tol { still_rounds + 1 } else { 0 };
            if still_rounds >= need {
                status = ForecastStatus::Converged;
                break;
            }
        }
    }
    Forecast {
        forecast: last,
        rounds,
        status,
    }
}

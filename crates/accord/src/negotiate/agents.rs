//! The built-in negotiators.

use super::negotiator::{Context, Negotiator, Response};
use super::own::{Own, EPS};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Accepts an offer acceptable to `own` whose utility reaches `target`.
fn accept_at(own: &Own, offer: &[usize], target: f64) -> Response {
    if own.acceptable(offer) && own.utility(offer) >= target - EPS {
        Response::Accept
    } else {
        Response::Reject
    }
}

/// Faratin time-dependent tactic: `target(t) = max − (max − r)·t^(1/e)`
/// with `max` the party's best acceptable utility and `r` its reservation.
/// Offers the acceptable outcome closest to the target from above; accepts
/// any acceptable offer at or above the current target.
pub struct TimeBased {
    own: Arc<Own>,
    e: f64,
}

impl TimeBased {
    /// A time-based agent with concession exponent `e` (> 0).
    pub fn new(own: Arc<Own>, e: f64) -> Self {
        TimeBased { own, e }
    }

    /// The utility it aims for at relative time `t`.
    pub fn target(&self, t: f64) -> f64 {
        let (max, r) = (self.own.max_utility(), self.own.reservation());
        max - (max - r).max(0.0) * t.powf(1.0 / self.e)
    }
}

impl Negotiator for TimeBased {
    fn name(&self) -> String {
        super::NegotiatorKind::TimeBased(self.e).name()
    }
    fn own(&self) -> &Own {
        &self.own
    }
    fn propose(&mut self, ctx: &Context) -> Option<Vec<usize>> {
        self.own.at_least(self.target(ctx.time))
    }
    fn respond(&mut self, ctx: &Context, offer: &[usize]) -> Response {
        accept_at(&self.own, offer, self.target(ctx.time))
    }
}

/// Offers its best outcome every time and accepts nothing less.
pub struct HardLiner {
    own: Arc<Own>,
}

impl HardLiner {
    /// A hard-liner for the party `own`.
    pub fn new(own: Arc<Own>) -> Self {
        HardLiner { own }
    }
}

impl Negotiator for HardLiner {
    fn name(&self) -> String {
        "hardliner".into()
    }
    fn own(&self) -> &Own {
        &self.own
    }
    fn propose(&mut self, _ctx: &Context) -> Option<Vec<usize>> {
        self.own.best()
    }
    fn respond(&mut self, _ctx: &Context, offer: &[usize]) -> Response {
        accept_at(&self.own, offer, self.own.max_utility())
    }
}

/// Random acceptable offers; accepts an acceptable offer whose utility
/// reaches a threshold drawn uniformly between reservation and best.
pub struct RandomAgent {
    own: Arc<Own>,
    rng: ChaCha8Rng,
}

impl RandomAgent {
    /// A random agent with its own seeded generator.
    pub fn new(own: Arc<Own>, seed: u64) -> Self {
        RandomAgent {
            own,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }
}

impl Negotiator for RandomAgent {
    fn name(&self) -> String {
        "random".into()
    }
    fn own(&self) -> &Own {
        &self.own
    }
    fn propose(&mut self, _ctx: &Context) -> Option<Vec<usize>> {
        self.own.random_acceptable(&mut self.rng)
    }
    fn respond(&mut self, _ctx: &Context, offer: &[usize]) -> Response {
        let (r, max) = (self.own.reservation(), self.own.max_utility());
        let u: f64 = self.rng.random();
        accept_at(&self.own, offer, r + u * (max - r).max(0.0))
    }
}

/// Relative tit-for-tat: concedes the same share of its own range
/// (best − reservation) as the opponents have conceded towards it, measured
/// in its own utility from their first offer to their best offer so far.
pub struct TitForTat {
    own: Arc<Own>,
    first: Option<f64>,
    best_seen: f64,
}

impl TitForTat {
    /// A tit-for-tat agent for the party `own`.
    pub fn new(own: Arc<Own>) -> Self {
        TitForTat {
            own,
            first: None,
            best_seen: 0.0,
        }
    }

    fn target(&self) -> f64 {
        let (max, r) = (self.own.max_utility(), self.own.reservation());
        let share = match self.first {
            None => 0.0,
            Some(f) if max - f <= EPS => 1.0,
            Some(f) => ((self.best_seen - f) / (max - f)).clamp(0.0, 1.0),
        };
        max - (max - r).max(0.0) * share
    }
}

impl Negotiator for TitForTat {
    fn name(&self) -> String {
        "tit-for-tat".into()
    }
    fn own(&self) -> &Own {
        &self.own
    }
    fn propose(&mut self, _ctx: &Context) -> Option<Vec<usize>> {
        self.own.at_least(self.target())
    }
    fn respond(&mut self, _ctx: &Context, offer: &[usize]) -> Response {
        accept_at(&self.own, offer, self.target())
    }
    fn observe(&mut self, _from: usize, offer: &[usize]) {
        let u = self.own.utility(offer);
        if self.first.is_none() {
            self.first = Some(u);
            self.best_seen = u;
        }
        self.best_seen = self.best_seen.max(u);
    }
}

/// Concedes linearly from its best utility to its utility at the Nash point
/// `max Π (uᵢ − dᵢ)` over outcomes every party finds acceptable, computed
/// with a model of the other parties (the true preferences when built by
/// [`super::NegotiatorKind`]); among outcomes at its target it offers the
/// one with the highest Nash product.
pub struct NashSeeker {
    own: Arc<Own>,
    others: Vec<Arc<Own>>,
    nash: Option<Vec<usize>>,
}

impl NashSeeker {
    /// A Nash-seeker with opponent models `others`.
    pub fn new(own: Arc<Own>, others: Vec<Arc<Own>>) -> Self {
        let score = |x: &[usize]| nash_product(&own, &others, x);
        let nash = own.argmax(score).filter(|x| score(x) >= 0.0);
        NashSeeker { own, others, nash }
    }

    /// The Nash point it found, if the parties share an acceptable outcome.
    pub fn nash_point(&self) -> Option<&[usize]> {
        self.nash.as_deref()
    }

    fn target(&self, t: f64) -> f64 {
        let max = self.own.max_utility();
        let floor = self
            .nash
            .as_ref()
            .map_or(self.own.reservation(), |x| self.own.utility(x));
        max - (max - floor).max(0.0) * t
    }
}

/// `Π (uᵢ − dᵢ)` over `own` and `others`, or −1 when someone would refuse.
pub(crate) fn nash_product(own: &Own, others: &[Arc<Own>], x: &[usize]) -> f64 {
    let mut p = own.utility(x) - own.reservation();
    for o in others {
        if !o.acceptable(x) {
            return -1.0;
        }
        p *= o.utility(x) - o.reservation();
    }
    p
}

impl Negotiator for NashSeeker {
    fn name(&self) -> String {
        "nash".into()
    }
    fn own(&self) -> &Own {
        &self.own
    }
    fn propose(&mut self, ctx: &Context) -> Option<Vec<usize>> {
        let (own, others) = (&self.own, &self.others);
        own.pick(self.target(ctx.time), |x| nash_product(own, others, x))
    }
    fn respond(&mut self, ctx: &Context, offer: &[usize]) -> Response {
        accept_at(&self.own, offer, self.target(ctx.time))
    }
}

/// One opponent's frequency model.
#[derive(Debug, Clone, Default)]
struct Model {
    counts: Vec<Vec<u32>>,
    weights: Vec<f64>,
    last: Option<Vec<usize>>,
}

/// An ANAC-style opponent modeller (after HardHeaded): from each opponent's
/// offers it counts how often every value appears (value estimate =
/// count / largest count on that issue) and raises an issue's weight each
/// time the opponent keeps it unchanged between consecutive offers. It
/// concedes like a Boulware agent (e = 0.2) and, among the outcomes just
/// above its target, offers the one the modelled opponents like most.
pub struct FrequencyModel {
    own: Arc<Own>,
    models: BTreeMap<usize, Model>,
}

/// Weight added to an issue each time an opponent keeps its value.
const WEIGHT_STEP: f64 = 0.1;

impl FrequencyModel {
    /// A frequency-model agent for the party `own`.
    pub fn new(own: Arc<Own>) -> Self {
        FrequencyModel {
            own,
            models: BTreeMap::new(),
        }
    }

    /// The learned issue weights of party `from` (summing to 1), if it has
    /// made an offer.
    pub fn learned_weights(&self, from: usize) -> Option<Vec<f64>> {
        let m = self.models.get(&from)?;
        let sum: f64 = m.weights.iter().sum();
        Some(m.weights.iter().map(|w| w / sum).collect())
    }

    /// The modelled utility of `x` for party `from` (0 before any offer).
    pub fn estimate(&self, from: usize, x: &[usize]) -> f64 {
        let Some(m) = self.models.get(&from) else {
            return 0.0;
        };
        let sum: f64 = m.weights.iter().sum();
        m.counts
            .iter()
            .zip(&m.weights)
            .zip(x)
            .map(|((c, w), &l)| {
                let top = c.iter().copied().max().unwrap_or(0).max(1);
                w / sum * c[l] as f64 / top as f64
            })
            .sum()
    }

    fn target(&self, t: f64) -> f64 {
        let (max, r) = (self.own.max_utility(), self.own.reservation());
        max - (max - r).max(0.0) * t.powf(5.0)
    }
}

impl Negotiator for FrequencyModel {
    fn name(&self) -> String {
        "frequency".into()
    }
    fn own(&self) -> &Own {
        &self.own
    }
    fn propose(&mut self, ctx: &Context) -> Option<Vec<usize>> {
        let froms: Vec<usize> = self.models.keys().copied().collect();
        let score = |x: &[usize]| froms.iter().map(|&f| self.estimate(f, x)).sum::<f64>();
        self.own.pick(self.target(ctx.time), score)
    }
    fn respond(&mut self, ctx: &Context, offer: &[usize]) -> Response {
        accept_at(&self.own, offer, self.target(ctx.time))
    }
    fn observe(&mut self, from: usize, offer: &[usize]) {
        let levels = self.own.levels();
        let m = self.models.entry(from).or_insert_with(|| Model {
            counts: levels.iter().map(|&n| vec![0; n]).collect(),
            weights: vec![1.0; levels.len()],
            last: None,
        });
        for (k, &l) in offer.iter().enumerate() {
            if let Some(c) = m.counts.get_mut(k).and_then(|c| c.get_mut(l)) {
                *c += 1;
            }
            if m.last.as_ref().is_some_and(|p| p.get(k) == Some(&l)) {
                m.weights[k] += WEIGHT_STEP;
            }
        }
        m.last = Some(offer.to_vec());
    }
}

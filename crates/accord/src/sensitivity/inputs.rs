//! The uncertain numbers of a scenario, and drawing one Monte Carlo sample
//! of them.
//!
//! Every [`Param`] with a [`Dist`] is an input. A run draws each input in a
//! fixed order (the order of [`visit`]) from its own generator, then applies
//! these rules so the sampled scenario stays valid:
//! - powers are raised to at least [`MIN_POWER`] (the models need power > 0);
//! - weights are raised to at least 0, then each actor's (and each bloc's
//!   own) weights are renormalised to sum to 1 — a sampled weight therefore
//!   moves the others in the opposite direction;
//! - reservations, bloc thresholds and ratifier quotas are clamped to [0, 1];
//! - seats and peak tolerances are raised to at least 0, peak ideals are
//!   clamped to the issue's range.
//!
//! The recorded input value of a run is the raw draw, before these rules.

use crate::model::{Dist, IssuePref, Param, Scenario, ValueFn};
use crate::Error;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;
use serde::Serialize;

/// The smallest power a sampled actor gets.
pub const MIN_POWER: f64 = 1e-6;

/// One uncertain number of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UncertainInput {
    /// Where it sits, e.g. `actors.UA.power` or `preferences.RU.nato.weight`.
    pub name: String,
    /// Its point value.
    pub value: f64,
    /// Its distribution.
    pub dist: Dist,
}

/// A parameter's name, built only when asked for: a Monte Carlo run visits
/// every parameter and never reads the names.
type Name<'a> = &'a dyn Fn() -> String;

/// Calls `f(name, lo, hi, param)` on every number of the scenario that a
/// sensitivity run may sample, in a fixed order; `[lo, hi]` is the range the
/// sampled value is clamped to.
fn visit(sc: &mut Scenario, f: &mut dyn FnMut(Name, f64, f64, &mut Param)) {
    let actor_ids: Vec<String> = sc.actors.iter().map(|a| a.id.clone()).collect();
    let issue_ids: Vec<String> = sc.issues.iter().map(|i| i.id.clone()).collect();
    let ranges: Vec<(f64, f64)> = sc.issues.iter().map(|i| i.range()).collect();
    let inf = f64::INFINITY;
    for a in &mut sc.actors {
        f(
            &|| format!("actors.{}.power", a.id),
            MIN_POWER,
            inf,
            &mut a.power,
        );
    }
    let issue_prefs =
        |prefix: Name, prefs: &mut [IssuePref], f: &mut dyn FnMut(Name, f64, f64, &mut Param)| {
            for ((ip, id), &(lo, hi)) in prefs.iter_mut().zip(&issue_ids).zip(&ranges) {
                f(
                    &|| format!("{}.{id}.weight", prefix()),
                    0.0,
                    inf,
                    &mut ip.weight,
                );
                if let ValueFn::Peak { ideal, tolerance } = &mut ip.value {
                    f(&|| format!("{}.{id}.ideal", prefix()), lo, hi, ideal);
                    f(
                        &|| format!("{}.{id}.tolerance", prefix()),
                        0.0,
                        inf,
                        tolerance,
                    );
                }
            }
        };
    for (p, id) in sc.preferences.iter_mut().zip(&actor_ids) {
        f(
            &|| format!("preferences.{id}.reservation"),
            0.0,
            1.0,
            &mut p.reservation,
        );
        issue_prefs(&|| format!("preferences.{id}"), &mut p.issues, f);
    }
    for r in &mut sc.ratifiers {
        let rid = &r.id;
        f(&|| format!("ratifiers.{rid}.quota"), 0.0, 1.0, &mut r.quota);
        for (k, q) in r.quotas.iter_mut().enumerate() {
            f(
                &|| format!("ratifiers.{rid}.quotas[{k}]"),
                0.0,
                1.0,
                &mut q.quota,
            );
        }
        for b in &mut r.blocs {
            let bid = &b.id;
            let prefix = || format!("ratifiers.{rid}.{bid}");
            f(&|| format!("{}.seats", prefix()), 0.0, inf, &mut b.seats);
            f(
                &|| format!("{}.threshold", prefix()),
                0.0,
                1.0,
                &mut b.threshold,
            );
            if let Some(share) = &mut b.share {
                f(&|| format!("{}.share", prefix()), 0.0, 1.0, share);
            }
            if let Some(own) = &mut b.own {
                issue_prefs(&prefix, own, f);
            }
        }
    }
}

/// The uncertain numbers of a scenario, in sampling order.
pub fn uncertain_inputs(sc: &Scenario) -> Vec<UncertainInput> {
    let mut out = Vec::new();
    let mut copy = sc.clone();
    visit(&mut copy, &mut |name, _, _, p| {
        if let Some(dist) = p.dist {
            out.push(UncertainInput {
                name: name(),
                value: p.value,
                dist,
            });
        }
    });
    out
}

/// The generator of run `index` under `seed`: independent of every other
/// run, so the order in which threads execute runs cannot change results.
pub(crate) fn rng_for(seed: u64, index: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&index.to_le_bytes());
    // Distinct from the backtest's keys for the same (seed, index).
    key[16..24].copy_from_slice(b"sensitiv");
    ChaCha8Rng::from_seed(key)
}

/// Draws one sample of every input (raw draws, in input order).
pub(crate) fn draw(inputs: &[UncertainInput], rng: &mut ChaCha8Rng) -> Vec<f64> {
    inputs
        .iter()
        .map(|inp| {
            // Two uniforms per input whatever its kind, so adding a
            // distribution to one input never shifts another's draws.
            let u: f64 = rng.random();
            let v: f64 = rng.random();
            // Box–Muller; 1 − u is in (0, 1], so the log is finite.
            let z = (-2.0 * (1.0 - u).ln()).sqrt() * (std::f64::consts::TAU * v).cos();
            inp.dist.sample_with(u, z)
        })
        .collect()
}

/// Runs `f(sampled scenario, draws)` for runs `0..n` in parallel and
/// returns the answers in run order: run `i` draws every input from its own
/// generator under `seed`, and each worker thread writes the draws into its
/// one copy of the scenario.
pub(crate) fn each_run<T: Send>(
    sc: &Scenario,
    inputs: &[UncertainInput],
    seed: u64,
    n: usize,
    f: impl Fn(&Scenario, Vec<f64>) -> Result<T, Error> + Sync + Send,
) -> Result<Vec<T>, Error> {
    (0..n)
        .into_par_iter()
        .map_init(
            || Sampler::new(sc),
            |sampler, i| {
                let draws = draw(inputs, &mut rng_for(seed, i as u64));
                f(sampler.apply(&draws), draws)
            },
        )
        .collect()
}

/// Applies draws to one reusable copy of a scenario: every run of a thread
/// writes the same parameters, so the copy is made once, not once per run.
pub(crate) struct Sampler {
    /// The scenario with the last draws applied.
    sampled: Scenario,
    /// Every visited parameter's point value, in [`visit`] order: the
    /// unsampled ones are restored from it, since renormalising moves them.
    base: Vec<f64>,
}

impl Sampler {
    /// A sampler for `sc`.
    pub(crate) fn new(sc: &Scenario) -> Self {
        let mut sampled = sc.clone();
        let mut base = Vec::new();
        visit(&mut sampled, &mut |_, _, _, p| base.push(p.value));
        Sampler { sampled, base }
    }

    /// The scenario with `draws` applied under the module's rules.
    pub(crate) fn apply(&mut self, draws: &[f64]) -> &Scenario {
        let (mut k, mut at) = (0, 0);
        let base = &self.base;
        visit(&mut self.sampled, &mut |_, lo, hi, p| {
            p.value = if p.dist.is_some() {
                k += 1;
                draws[k - 1].clamp(lo, hi)
            } else {
                base[at]
            };
            at += 1;
        });
        for p in &mut self.sampled.preferences {
            renormalise(&mut p.issues);
        }
        for r in &mut self.sampled.ratifiers {
            for b in &mut r.blocs {
                if let Some(own) = &mut b.own {
                    renormalise(own);
                }
            }
        }
        &self.sampled
    }
}

/// Rescales weights to sum to 1 when one of them was sampled; other lists
/// are left bit-for-bit alone, and so is an all-zero draw (which the
/// scenario check then rejects rather than this guessing a split).
fn renormalise(prefs: &mut [IssuePref]) {
    if !prefs.iter().any(|p| p.weight.dist.is_some()) {
        return;
    }
    let sum: f64 = prefs.iter().map(|p| p.weight.value).sum();
    if sum > 0.0 {
        for p in prefs {
            p.weight.value /= sum;
        }
    }
}

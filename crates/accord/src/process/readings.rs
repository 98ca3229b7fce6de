//! Preconditions read more than one way, and preconditions that may not
//! hold at all: whether the process can be ordered, and its deadlock
//! cycles, under every combination of readings.
//!
//! A combination chooses, per precondition with readings or a firmness
//! below 1, one reading or "absent"; the network is the scenario's process
//! (every step active, as `accord process` shows it) with each such
//! precondition replaced by its chosen reading or left out. Combinations
//! are enumerated when few and sampled (seeded) beyond, as the red lines'
//! readings are; each distinct network is analysed once.

use super::{analyze_process, ConstraintKind, ProcessNetwork};
use crate::analysis::readings::odometer;
use crate::model::{PreconditionReadings, Scenario};
use indexmap::IndexMap;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;
use std::collections::HashMap;

/// How far the precondition readings analysis goes.
#[derive(Debug, Clone)]
pub struct ProcessReadingsOptions {
    /// Most combinations enumerated exactly; beyond, they are sampled.
    pub exact_limit: u64,
    /// Number of sampled combinations when there are too many.
    pub samples: u64,
    /// Seed of the sampling.
    pub seed: u64,
    /// Most combinations listed one by one.
    pub list_limit: usize,
}

impl Default for ProcessReadingsOptions {
    fn default() -> Self {
        ProcessReadingsOptions {
            exact_limit: 4096,
            samples: 10_000,
            seed: 1,
            list_limit: 32,
        }
    }
}

/// What the readings and firmness of the preconditions do to the process.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcessReadingsReport {
    /// The preconditions that have readings or a firmness below 1.
    pub preconditions: Vec<PreconditionLine>,
    /// Number of combinations with a positive probability.
    pub combinations: u64,
    /// Whether every combination was visited (else `samples` were drawn).
    pub exact: bool,
    /// Sampled combinations (`None` when exact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<u64>,
    /// Seed of the sampling (`None` when exact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Probability that the process (every step active) can be ordered.
    pub p_consistent: f64,
    /// 95 % Wilson interval of `p_consistent` when sampled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_consistent_interval: Option<[f64; 2]>,
    /// Combinations one by one, most probable first (exact runs only, at
    /// most the list limit).
    pub listed: Vec<ProcessCombination>,
    /// Whether `listed` leaves combinations out.
    pub listed_truncated: bool,
    /// Every deadlock cycle met in some combination, most probable first.
    pub deadlocks: Vec<DeadlockUnder>,
}

/// One precondition's readings and their probabilities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreconditionLine {
    /// Precondition id.
    pub id: String,
    /// Who holds it.
    pub owner: String,
    /// Probability that it holds at all.
    pub firmness: f64,
    /// Its readings, the default first.
    pub readings: Vec<PreconditionReadingProb>,
}

/// One reading of a precondition and its probability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreconditionReadingProb {
    /// Reading name.
    pub name: String,
    /// Milestone A under this reading.
    pub before: String,
    /// Milestone B under this reading.
    pub then: String,
    /// Timing label (`before`, `held`, `veto`, …).
    pub kind: String,
    /// The rule as stated under this reading.
    pub rule: String,
    /// Firmness × normalised weight.
    pub probability: f64,
}

/// One choice of readings and what the process does under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcessCombination {
    /// Precondition id → reading name (or `absent`).
    pub choice: IndexMap<String, String>,
    /// Its probability.
    pub probability: f64,
    /// Whether the process can be ordered.
    pub consistent: bool,
    /// Its deadlock cycles, each as the constraints in cycle order
    /// (`id`, or `id[reading]` for a precondition with readings).
    pub deadlocks: Vec<Vec<String>>,
}

/// A deadlock cycle and the readings under which it occurs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeadlockUnder {
    /// The constraints in cycle order (see [`ProcessCombination`]).
    pub cycle: Vec<String>,
    /// By how many days the cycle overruns itself.
    pub overrun_days: i64,
    /// Probability of the combinations under which it occurs (an estimate
    /// when sampled).
    pub probability: f64,
    /// Whether it occurs under every combination in which every
    /// precondition holds (firmness aside); `None` when sampled.
    pub robust: Option<bool>,
    /// Whether it is a deadlock of the default readings.
    pub default: bool,
    /// The readings (precondition id → names) under which it occurs, for
    /// the preconditions in the cycle that have readings.
    pub under: IndexMap<String, Vec<String>>,
}

struct Line {
    precondition: usize,
    names: Vec<String>,
    /// Probabilities of the readings, then of "absent".
    probs: Vec<f64>,
}

/// A network's consistency and its cycles (label, overrun).
type Judged = (bool, Vec<(Vec<String>, i64)>);

/// The preconditions whose readings or firmness make a difference (those
/// with alternative readings or a firmness below 1).
pub(crate) fn with_readings(sc: &Scenario) -> Vec<&PreconditionReadings> {
    sc.precondition_readings
        .iter()
        .filter(|r| {
            (!r.alternatives.is_empty() || r.firmness.value < 1.0)
                && r.precondition < sc.process.preconditions.len()
        })
        .collect()
}

/// The process with each precondition of `with` read as `pick` says: `0`
/// its own form, `k` its `k`-th alternative, past the alternatives left
/// out (it does not hold).
pub(crate) fn network_under(
    process: &ProcessNetwork,
    with: &[&PreconditionReadings],
    pick: &[usize],
) -> ProcessNetwork {
    let mut net = process.clone();
    let mut drop = Vec::new();
    for (rs, &k) in with.iter().zip(pick) {
        match k {
            0 => {}
            k if k <= rs.alternatives.len() => {
                net.preconditions[rs.precondition] = rs.alternatives[k - 1].precondition.clone();
            }
            _ => drop.push(rs.precondition),
        }
    }
    let mut i = 0;
    net.preconditions.retain(|_| {
        i += 1;
        !drop.contains(&(i - 1))
    });
    net
}

/// One precondition's readings as the reports list them.
pub(crate) fn precondition_line(sc: &Scenario, rs: &PreconditionReadings) -> PreconditionLine {
    let own = &sc.process.preconditions[rs.precondition];
    let forms = std::iter::once(own).chain(rs.alternatives.iter().map(|a| &a.precondition));
    let milestone = |i: usize| sc.process.milestones[i].id.clone();
    PreconditionLine {
        id: own.id.clone(),
        owner: own.owner.clone(),
        firmness: rs.firmness.value,
        readings: forms
            .zip(rs.names())
            .zip(rs.probabilities())
            .map(|((p, name), probability)| PreconditionReadingProb {
                name: name.to_string(),
                before: milestone(p.from),
                then: milestone(p.to),
                kind: p.timing.label().into(),
                rule: p.rule.clone(),
                probability,
            })
            .collect(),
    }
}

/// The analysis; `None` when no precondition has readings or a firmness
/// below 1.
pub fn analyze_precondition_readings(
    sc: &Scenario,
    opts: &ProcessReadingsOptions,
) -> Option<ProcessReadingsReport> {
    let with = with_readings(sc);
    if with.is_empty() {
        return None;
    }
    let lines: Vec<Line> = with
        .iter()
        .map(|rs| {
            let mut probs = rs.probabilities();
            probs.push(1.0 - rs.firmness.value);
            Line {
                precondition: rs.precondition,
                names: rs.names().into_iter().map(String::from).collect(),
                probs,
            }
        })
        .collect();
    let reading_of: HashMap<&str, usize> = lines
        .iter()
        .enumerate()
        .map(|(k, l)| (sc.process.preconditions[l.precondition].id.as_str(), k))
        .collect();
    let network = |pick: &[usize]| network_under(&sc.process, &with, pick);
    let label = |pick: &[usize], id: &str, kind: ConstraintKind| -> String {
        match (kind, reading_of.get(id)) {
            (ConstraintKind::Floor, _) => format!("floor({id})"),
            (ConstraintKind::Precondition, Some(&k)) => {
                format!("{id}[{}]", lines[k].names[pick[k]])
            }
            _ => id.to_string(),
        }
    };
    let mut cache: HashMap<Vec<usize>, Judged> = HashMap::new();
    let mut judge = |pick: &[usize]| -> Judged {
        // Absent preconditions and the chosen readings define the network.
        cache
            .entry(pick.to_vec())
            .or_insert_with(|| {
                let report = analyze_process(&network(pick));
                let cycles = report
                    .deadlocks
                    .iter()
                    .map(|d| {
                        (
                            d.edges
                                .iter()
                                .map(|e| label(pick, &e.constraint.id, e.constraint.kind))
                                .collect(),
                            -d.total_days,
                        )
                    })
                    .collect();
                (report.consistent, cycles)
            })
            .clone()
    };
    let choices: Vec<Vec<usize>> = lines
        .iter()
        .map(|l| (0..l.probs.len()).filter(|&k| l.probs[k] > 0.0).collect())
        .collect();
    let combinations = choices
        .iter()
        .try_fold(1u64, |acc, ch| acc.checked_mul(ch.len() as u64))
        .unwrap_or(u64::MAX);
    let prob_of =
        |pick: &[usize]| -> f64 { lines.iter().zip(pick).map(|(l, &k)| l.probs[k]).product() };
    let name_of = |l: &Line, k: usize| l.names.get(k).map_or("absent", String::as_str).to_string();
    let default_pick = vec![0; lines.len()];
    let default_cycles: Vec<Vec<String>> =
        judge(&default_pick).1.into_iter().map(|c| c.0).collect();

    // Cycle → (overrun, probability mass or sample count, picks).
    type Tally = IndexMap<Vec<String>, (i64, f64, Vec<Vec<usize>>)>;
    let mut tally: Tally = IndexMap::new();
    let mut p_consistent = 0.0;
    let mut listed = Vec::new();
    let exact = combinations <= opts.exact_limit;
    if exact {
        for pick in odometer(&choices) {
            let p = prob_of(&pick);
            let (consistent, cycles) = judge(&pick);
            if consistent {
                p_consistent += p;
            }
            for (c, days) in &cycles {
                let e = tally.entry(c.clone()).or_insert((*days, 0.0, Vec::new()));
                e.1 += p;
                e.2.push(pick.clone());
            }
            listed.push(ProcessCombination {
                choice: lines
                    .iter()
                    .zip(&pick)
                    .map(|(l, &k)| {
                        (
                            sc.process.preconditions[l.precondition].id.clone(),
                            name_of(l, k),
                        )
                    })
                    .collect(),
                probability: p,
                consistent,
                deadlocks: cycles.into_iter().map(|c| c.0).collect(),
            });
        }
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
        let mut hits = 0u64;
        for _ in 0..opts.samples {
            let pick: Vec<usize> = lines
                .iter()
                .map(|l| {
                    let u: f64 = rng.random();
                    let mut acc = 0.0;
                    let last = l.probs.iter().rposition(|&p| p > 0.0).unwrap_or(0);
                    (0..l.probs.len())
                        .find(|&k| {
                            acc += l.probs[k];
                            l.probs[k] > 0.0 && u < acc
                        })
                        .unwrap_or(last)
                })
                .collect();
            let (consistent, cycles) = judge(&pick);
            if consistent {
                hits += 1;
            }
            for (c, days) in cycles {
                let e = tally.entry(c).or_insert((days, 0.0, Vec::new()));
                e.1 += 1.0;
                if !e.2.contains(&pick) {
                    e.2.push(pick.clone());
                }
            }
        }
        let n = opts.samples.max(1) as f64;
        p_consistent = hits as f64 / n;
        for v in tally.values_mut() {
            v.1 /= n;
        }
    }
    // Robust: occurs under every combination with every precondition
    // present, decided exactly when few.
    let present: Vec<Vec<usize>> = lines.iter().map(|l| (0..l.names.len()).collect()).collect();
    let n_present: u64 = present.iter().map(|p| p.len() as u64).product();
    let all_present: Option<Vec<Vec<Vec<String>>>> = (n_present <= opts.exact_limit).then(|| {
        odometer(&present)
            .into_iter()
            .map(|pick| judge(&pick).1.into_iter().map(|c| c.0).collect())
            .collect()
    });
    let mut deadlocks: Vec<DeadlockUnder> = tally
        .into_iter()
        .map(|(cycle, (days, p, picks))| {
            let mut under: IndexMap<String, Vec<String>> = IndexMap::new();
            for (i, l) in lines.iter().enumerate() {
                let id = &sc.process.preconditions[l.precondition].id;
                let prefix = format!("{id}[");
                if !cycle.iter().any(|c| c.starts_with(&prefix)) {
                    continue;
                }
                let mut names: Vec<String> = Vec::new();
                for pick in &picks {
                    let n = name_of(l, pick[i]);
                    if !names.contains(&n) {
                        names.push(n);
                    }
                }
                under.insert(id.clone(), names);
            }
            DeadlockUnder {
                robust: all_present
                    .as_ref()
                    .map(|all| all.iter().all(|cs| cs.contains(&cycle))),
                default: default_cycles.contains(&cycle),
                cycle,
                overrun_days: days,
                probability: p,
                under,
            }
        })
        .collect();
    deadlocks.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then(a.cycle.len().cmp(&b.cycle.len()))
    });
    listed.sort_by(|a, b| b.probability.total_cmp(&a.probability));
    let listed_truncated = listed.len() > opts.list_limit;
    listed.truncate(opts.list_limit);
    Some(ProcessReadingsReport {
        preconditions: with.iter().map(|rs| precondition_line(sc, rs)).collect(),
        combinations,
        exact,
        samples: (!exact).then_some(opts.samples),
        seed: (!exact).then_some(opts.seed),
        p_consistent,
        p_consistent_interval: (!exact)
            .then(|| crate::analysis::wilson(p_consistent, opts.samples)),
        listed,
        listed_truncated,
        deadlocks,
    })
}

//! Tournaments: every ordered pair of negotiators (so each pair meets in
//! both roles, and each negotiator meets itself) on every scenario, with
//! repetitions, under bilateral SAOP between each scenario's first two
//! actors. Runs execute in parallel; run `i` is seeded from `(seed, i)`, so
//! results do not depend on scheduling.
//!
//! Metrics per run: the utilities (reservation values without agreement),
//! social welfare (their sum), and for an agreement its Euclidean distance
//! in utility space to the Pareto frontier of the whole feasible space and
//! to the Nash point (`max Π (uᵢ − dᵢ)` over outcomes both parties accept:
//! red lines and reservations, ratifiers ignored). Both references come
//! from enumerating the space, so they are `None` for spaces larger than
//! [`super::own::ENUMERATE_LIMIT`].

use super::own::{Own, ENUMERATE_LIMIT};
use super::{
    run_seed, simulate_with, Domain, Mechanism, NegotiatorKind, NoClock, Settings, Status,
};
use crate::Progress;
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

/// What a tournament runs.
#[derive(Debug, Clone)]
pub struct TournamentSettings {
    /// The competing negotiators (distinct names).
    pub negotiators: Vec<NegotiatorKind>,
    /// Repetitions of each pairing.
    pub reps: u32,
    /// Per-run settings; its seed is the tournament's base seed.
    pub run: Settings,
}

/// One scenario (or non-linear domain) of a tournament, by name.
#[derive(Debug, Clone)]
pub struct TournamentEntry {
    /// Name shown in results.
    pub name: String,
    /// The scenario or non-linear problem (its first two parties negotiate).
    pub domain: Domain,
}

/// One run's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRecord {
    /// Run index (the seed's second key).
    pub index: u64,
    /// Scenario name.
    pub scenario: String,
    /// Negotiator of the first and second party.
    pub negotiators: Vec<String>,
    /// Actor ids of the two parties.
    pub parties: Vec<String>,
    /// Repetition number.
    pub rep: u32,
    /// `agreement`, `deadline` or `ended_by`.
    pub status: String,
    /// The agreement's levels per issue, if any.
    pub agreement: Option<Vec<usize>>,
    /// Rounds used.
    pub rounds: u32,
    /// Utilities of the two parties (discounted; reservation without agreement).
    pub utilities: Vec<f64>,
    /// Sum of the utilities.
    pub welfare: f64,
    /// Distance of the agreement to the Pareto frontier.
    pub pareto_distance: Option<f64>,
    /// Distance of the agreement to the Nash point.
    pub nash_distance: Option<f64>,
}

/// Metrics of one negotiator over every run it took part in (a self-play
/// run counts once per side).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Aggregate {
    /// Runs taken part in.
    pub runs: u64,
    /// Of which ended in agreement.
    pub agreements: u64,
    /// `agreements / runs`.
    pub agreement_rate: f64,
    /// Mean of its own utility.
    pub mean_utility: f64,
    /// Mean social welfare of its runs.
    pub mean_welfare: f64,
    /// Mean distance to the Pareto frontier over its measured agreements.
    pub mean_pareto_distance: Option<f64>,
    /// Mean distance to the Nash point over its measured agreements.
    pub mean_nash_distance: Option<f64>,
    /// Mean rounds used.
    pub mean_rounds: f64,
}

/// A tournament's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tournament {
    /// Every run, in index order.
    pub runs: Vec<RunRecord>,
    /// Per negotiator name, in the order given.
    pub negotiators: IndexMap<String, Aggregate>,
}

/// Enumerated references of one scenario: frontier points and Nash utilities.
struct Reference {
    frontier: Vec<[f64; 2]>,
    nash: Option<[f64; 2]>,
}

fn reference(a: &Own, b: &Own) -> Option<Reference> {
    if a.space().size() > ENUMERATE_LIMIT {
        return None;
    }
    let mut pts = Vec::new();
    let mut nash: Option<(f64, [f64; 2])> = None;
    for x in a.space().iter() {
        if !a.feasible(&x) {
            continue;
        }
        let u = [a.utility(&x), b.utility(&x)];
        pts.push(u);
        if a.acceptable(&x) && b.acceptable(&x) {
            let p = (u[0] - a.reservation()) * (u[1] - b.reservation());
            if nash.is_none_or(|n| p > n.0) {
                nash = Some((p, u));
            }
        }
    }
    // Sweep by the first utility, descending: a point is on the frontier
    // when its second utility beats every point before it.
    pts.sort_by(|p, q| q[0].total_cmp(&p[0]).then(q[1].total_cmp(&p[1])));
    let mut frontier = Vec::new();
    let mut top = f64::NEG_INFINITY;
    for p in pts {
        if p[1] > top {
            top = p[1];
            frontier.push(p);
        }
    }
    Some(Reference {
        frontier,
        nash: nash.map(|n| n.1),
    })
}

fn dist(p: [f64; 2], q: [f64; 2]) -> f64 {
    ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt()
}

/// Runs a tournament. Errors are for bad settings (fewer than two actors,
/// repeated negotiator names) and cancellation.
pub fn tournament(
    entries: &[TournamentEntry],
    settings: &TournamentSettings,
    progress: &dyn Progress,
) -> Result<Tournament, crate::Error> {
    settings.run.check()?;
    let names: Vec<String> = settings
        .negotiators
        .iter()
        .map(NegotiatorKind::name)
        .collect();
    if names.is_empty() {
        return Err(crate::Error::Invalid("no negotiators".into()));
    }
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            return Err(crate::Error::Invalid(format!(
                "negotiator `{n}` is listed twice"
            )));
        }
    }
    let mut prepared = Vec::new();
    for e in entries {
        e.domain.check()?;
        if e.domain.party_ids().len() < 2 {
            return Err(crate::Error::Invalid(format!(
                "scenario `{}` has fewer than two actors",
                e.name
            )));
        }
        let owns = vec![Arc::new(e.domain.own(0)), Arc::new(e.domain.own(1))];
        let r = reference(&owns[0], &owns[1]);
        prepared.push((e, owns, r));
    }
    let k = settings.negotiators.len();
    let mut jobs = Vec::new();
    for (s, _) in entries.iter().enumerate() {
        for i in 0..k {
            for j in 0..k {
                for rep in 0..settings.reps {
                    jobs.push((s, i, j, rep));
                }
            }
        }
    }
    progress.start(jobs.len() as u64, "negotiations");
    let runs: Vec<Option<Result<RunRecord, crate::Error>>> = jobs
        .par_iter()
        .enumerate()
        .map(|(index, &(s, i, j, rep))| {
            if progress.cancelled() {
                return None;
            }
            let (e, owns, r) = &prepared[s];
            let run_settings = Settings {
                seed: run_seed(settings.run.seed, index as u64),
                ..settings.run.clone()
            };
            let kinds = [
                settings.negotiators[i].clone(),
                settings.negotiators[j].clone(),
            ];
            let out =
                simulate_with(Mechanism::Saop, owns, &kinds, &run_settings, &NoClock).map(|run| {
                    let raw = run
                        .agreement()
                        .map(|x| [owns[0].utility(x), owns[1].utility(x)]);
                    let pareto = raw.zip(r.as_ref()).map(|(u, r)| {
                        r.frontier
                            .iter()
                            .map(|&f| dist(u, f))
                            .fold(f64::INFINITY, f64::min)
                    });
                    let nash = raw
                        .zip(r.as_ref().and_then(|r| r.nash))
                        .map(|(u, n)| dist(u, n));
                    RunRecord {
                        index: index as u64,
                        scenario: e.name.clone(),
                        negotiators: vec![names[i].clone(), names[j].clone()],
                        parties: e.domain.party_ids()[..2]
                            .iter()
                            .map(|p| p.to_string())
                            .collect(),
                        rep,
                        status: match &run.status {
                            Status::Agreement { .. } => "agreement",
                            Status::Deadline => "deadline",
                            Status::EndedBy { .. } => "ended_by",
                        }
                        .into(),
                        agreement: run.agreement().map(<[usize]>::to_vec),
                        rounds: run.rounds,
                        welfare: run.utilities.iter().sum(),
                        utilities: run.utilities,
                        pareto_distance: pareto,
                        nash_distance: nash,
                    }
                });
            progress.advance(1);
            Some(out)
        })
        .collect();
    let mut records = Vec::with_capacity(runs.len());
    for r in runs {
        records.push(r.ok_or(crate::Error::Cancelled)??);
    }
    Ok(Tournament {
        negotiators: aggregate(&names, &records),
        runs: records,
    })
}

/// Per-negotiator means over the runs (each side of a run counts once).
pub fn aggregate(names: &[String], runs: &[RunRecord]) -> IndexMap<String, Aggregate> {
    let mut out = IndexMap::new();
    for name in names {
        let mut a = Aggregate::default();
        let (mut pd, mut pn, mut nd, mut nn) = (0.0, 0u64, 0.0, 0u64);
        for r in runs {
            for (side, n) in r.negotiators.iter().enumerate() {
                if n != name {
                    continue;
                }
                a.runs += 1;
                a.agreements += r.agreement.is_some() as u64;
                a.mean_utility += r.utilities[side];
                a.mean_welfare += r.welfare;
                a.mean_rounds += r.rounds as f64;
                if let Some(d) = r.pareto_distance {
                    pd += d;
                    pn += 1;
                }
                if let Some(d) = r.nash_distance {
                    nd += d;
                    nn += 1;
                }
            }
        }
        if a.runs > 0 {
            let n = a.runs as f64;
            a.agreement_rate = a.agreements as f64 / n;
            a.mean_utility /= n;
            a.mean_welfare /= n;
            a.mean_rounds /= n;
        }
        a.mean_pareto_distance = (pn > 0).then(|| pd / pn as f64);
        a.mean_nash_distance = (nn > 0).then(|| nd / nn as f64);
        out.insert(name.clone(), a);
    }
    out
}

//! Red lines read more than one way, and red lines that may not hold at all.
//!
//! Every alternative reading becomes one more soft constraint of the
//! violation mask (a red line of its own, placed after the scenario's red
//! lines), so one scan collects the inclusion-minimal masks of every
//! outcome. A combination chooses, per red line, one reading or "absent";
//! it turns on one bit per present red line plus every other constraint
//! (reservations, ratifiers, process). A deal exists under a combination
//! iff some minimal mask avoids every active bit, and its blocking sets are
//! the minimal hitting sets of the minimal masks cut down to the active
//! bits. The default analysis never sees the extra bits, so its answers do
//! not change.
//!
//! With a deal-dependent process, a combination also chooses a reading (or
//! "absent") for every precondition with readings or a firmness below 1.
//! Those change no violation mask, only which waivers each process network
//! needs: the masks are kept per network (one scan), and each distinct
//! choice of precondition readings re-decides the few networks and ORs
//! their waivers into the masks, giving that choice's own family.

use super::masks::minimal_sets;
use super::scan::{soft_kinds, Compiled, SoftKind};
use super::sets::{self, Antichain};
use super::{constraint_ref, implement::ProcTable, ConstraintKind};
use crate::model::{Expr, PreconditionReadings, Readings, RedLine, Scenario};
use crate::process::readings::{network_under, precondition_line, with_readings};
use crate::process::PreconditionLine;
use crate::{Error, Progress};
use indexmap::IndexMap;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;
use std::collections::HashMap;

/// How far the readings analysis goes.
#[derive(Debug, Clone)]
pub struct ReadingsOptions {
    /// Most combinations enumerated exactly; beyond, they are sampled.
    pub exact_limit: u64,
    /// Number of sampled combinations when there are too many to enumerate.
    pub samples: u64,
    /// Seed of the sampling.
    pub seed: u64,
    /// Most combinations listed one by one in the report.
    pub list_limit: usize,
    /// Largest outcome space scanned (the readings need every outcome).
    pub max_outcomes: u64,
    /// Most blocking sets computed per combination.
    pub max_blockers: usize,
}

impl Default for ReadingsOptions {
    fn default() -> Self {
        ReadingsOptions {
            exact_limit: 4096,
            samples: 10_000,
            seed: 1,
            list_limit: 32,
            max_outcomes: 20_000_000,
            max_blockers: 10_000,
        }
    }
}

/// The name a red line gets in a combination when it does not hold at all.
pub const ABSENT: &str = "absent";

/// What the readings and firmness of the red lines do to the answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadingsReport {
    /// The red lines that have readings or a firmness below 1.
    pub red_lines: Vec<ReadingLine>,
    /// The preconditions that have readings or a firmness below 1, when
    /// the process depends on the deal (so they decide which deals are
    /// implementable); omitted when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub preconditions: Vec<PreconditionLine>,
    /// Which deals the answer is about: `implementable` with a conditional
    /// process, else `zopa`.
    pub deals_over: String,
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
    /// Probability that a deal exists, under the weights and firmness.
    pub p_deal: f64,
    /// 95 % Wilson interval of `p_deal` when sampled (`None` when exact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_deal_interval: Option<[f64; 2]>,
    /// Combinations one by one, most probable first (exact runs only, at
    /// most the list limit).
    pub listed: Vec<Combination>,
    /// Whether `listed` leaves combinations out.
    pub listed_truncated: bool,
    /// Every blocking set met in some combination, most probable first.
    pub blocking_sets: Vec<BlockingSet>,
}

/// One red line's readings and their probabilities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadingLine {
    /// Red line id.
    pub id: String,
    /// Actor holding it.
    pub actor: String,
    /// Probability that it holds at all.
    pub firmness: f64,
    /// Its readings, the default first.
    pub readings: Vec<ReadingProb>,
}

/// One reading and its probability (firmness × normalised weight).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadingProb {
    /// Reading name.
    pub name: String,
    /// The rule under this reading.
    pub rule: String,
    /// Probability that this reading is the one that holds.
    pub probability: f64,
}

/// One choice of readings, and what it leaves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Combination {
    /// Red line id → reading name (or `absent`).
    pub choice: IndexMap<String, String>,
    /// Precondition id → reading name (or `absent`); omitted when no
    /// precondition of a deal-dependent process has readings.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub preconditions: IndexMap<String, String>,
    /// Its probability.
    pub probability: f64,
    /// Whether a deal exists under it.
    pub deal: bool,
    /// Its minimal blocking sets (empty when a deal exists), as member
    /// labels (`id`, or `id[reading]` for a red line or precondition with
    /// readings).
    pub blockers: Vec<Vec<String>>,
    /// Whether the blocker list was cut at the limit.
    pub blockers_truncated: bool,
}

/// A blocking set, with the readings under which it blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockingSet {
    /// Its members.
    pub members: Vec<BlockingMember>,
    /// Probability of the combinations under which it is a minimal blocking
    /// set (an estimate when sampled).
    pub probability: f64,
    /// Whether it blocks under every combination in which every red line
    /// and precondition holds (firmness aside); `None` when sampled.
    pub robust: Option<bool>,
    /// Whether it is a blocking set of the default answer.
    pub default: bool,
    /// The readings (red line id → names) under which it blocks, for the
    /// red lines whose reading matters to it.
    pub under: IndexMap<String, Vec<String>>,
    /// The readings (precondition id → names, `absent` included) under
    /// which it blocks, for the preconditions in it and those whose reading
    /// decides whether it blocks; omitted when empty.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub under_preconditions: IndexMap<String, Vec<String>>,
}

/// A member of a blocking set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockingMember {
    /// Its kind.
    pub kind: ConstraintKind,
    /// Its id.
    pub id: String,
    /// The actor that holds it.
    pub actor: String,
    /// The reading, for a red line that has readings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// The rule in the rule language.
    pub rule: String,
}

/// Per red line with readings: the mask bit of each reading (default first).
struct Line {
    red_line: usize,
    bits: Vec<usize>,
    names: Vec<String>,
    /// Probabilities of the readings, then of "absent"; zeros kept so
    /// indices match `bits`.
    probs: Vec<f64>,
}

/// The red lines with readings or a firmness below 1, and the augmented
/// scenario in which every alternative reading is a red line of its own
/// (appended after the scenario's red lines).
pub(crate) struct Plan<'a> {
    with: Vec<&'a Readings>,
    aug: Scenario,
    lines: Vec<Line>,
    /// The preconditions with readings or a firmness below 1, when the
    /// process depends on the deal (else empty).
    pre: Vec<&'a PreconditionReadings>,
    /// Per such precondition: probabilities of its readings, then of
    /// "absent".
    pre_probs: Vec<Vec<f64>>,
    /// Per such precondition: its bit in the augmented scenario's masks.
    pre_bits: Vec<u128>,
}

impl Plan<'_> {
    /// The alternative readings' rules, in the order of their red lines in
    /// the augmented scenario.
    pub(crate) fn extra_rules(&self, sc: &Scenario) -> Vec<&Expr> {
        self.aug.red_lines[sc.red_lines.len()..]
            .iter()
            .map(|r| &r.rule)
            .collect()
    }
}

/// The plan of the readings analysis; `None` when no red line (nor, with a
/// deal-dependent process, no precondition) has readings or a firmness
/// below 1.
pub(crate) fn plan(sc: &Scenario) -> Option<Plan<'_>> {
    let with: Vec<_> = sc
        .readings
        .iter()
        .filter(|r| !r.alternatives.is_empty() || r.firmness.value < 1.0)
        .collect();
    let pre = if sc.process.is_conditional() {
        with_readings(sc)
    } else {
        Vec::new()
    };
    if with.is_empty() && pre.is_empty() {
        return None;
    }
    // The augmented scenario: alternative readings appended as red lines.
    let mut aug = sc.clone();
    aug.readings.clear();
    let mut lines = Vec::new();
    for rs in &with {
        let base = &sc.red_lines[rs.red_line];
        let mut bits = vec![rs.red_line];
        for a in &rs.alternatives {
            bits.push(aug.red_lines.len());
            aug.red_lines.push(RedLine {
                id: base.id.clone(),
                actor: base.actor,
                rule: a.rule.clone(),
                provenance: a.provenance.clone(),
            });
        }
        let mut probs = rs.probabilities();
        probs.push(1.0 - rs.firmness.value);
        lines.push(Line {
            red_line: rs.red_line,
            bits,
            names: rs.names().into_iter().map(String::from).collect(),
            probs,
        });
    }
    let pre_probs = pre
        .iter()
        .map(|rs| {
            let mut p = rs.probabilities();
            p.push(1.0 - rs.firmness.value);
            p
        })
        .collect();
    let soft = soft_kinds(&aug);
    let pre_bits = pre
        .iter()
        .map(|rs| {
            soft.iter()
                .position(|k| matches!(k, SoftKind::Process(c) if *c == rs.precondition))
                .map_or(0, |b| 1u128 << b)
        })
        .collect();
    Some(Plan {
        with,
        aug,
        lines,
        pre,
        pre_probs,
        pre_bits,
    })
}

/// The inclusion-minimal violation masks met on each process network (in
/// the augmented scenario's bit order; one slot without a deal-dependent
/// process), and how to read waivers into that order.
pub(crate) struct Openings<'a> {
    by_slot: Vec<Vec<u128>>,
    proc: Option<&'a ProcTable>,
    to_aug: &'a dyn Fn(u128) -> u128,
}

impl Openings<'_> {
    /// The inclusion-minimal opening masks (violations plus one waiver of
    /// the outcome's network) with the preconditions read as `pick` says.
    fn family(&self, sc: &Scenario, pre: &[&PreconditionReadings], pick: &[usize]) -> Vec<u128> {
        let Some(t) = self.proc else {
            return self.by_slot.first().cloned().unwrap_or_default();
        };
        let variant = pick
            .iter()
            .any(|&k| k != 0)
            .then(|| network_under(&sc.process, pre, pick));
        let mut all: Vec<u128> = Vec::new();
        for (slot, ms) in self.by_slot.iter().enumerate() {
            if ms.is_empty() {
                continue;
            }
            let ws = match &variant {
                None => t.net_waivers(slot as u32).to_vec(),
                Some(v) => t.waivers_under(&sc.issues, v, slot as u32),
            };
            for w in ws {
                let w = (self.to_aug)(w);
                all.extend(ms.iter().map(|&m| m | w));
            }
        }
        minimal_sets(all)
    }
}

/// The readings report from the analysis's own mask table: its distinct
/// (violation mask with extra bits, network slot) pairs; `to_aug` puts the
/// scan's bits, extra rules included, in the augmented order.
pub(crate) fn report_from_table(
    sc: &Scenario,
    plan: &Plan,
    table: impl Iterator<Item = (u128, u32)>,
    proc: Option<&ProcTable>,
    to_aug: &dyn Fn(u128) -> u128,
    opts: &ReadingsOptions,
) -> ReadingsReport {
    let n = proc.map_or(1, ProcTable::networks);
    let mut by: Vec<Vec<u128>> = vec![Vec::new(); n];
    for (m, net) in table {
        by[net as usize].push(to_aug(m));
    }
    let by_slot = by.into_iter().map(minimal_sets).collect();
    let open = Openings {
        by_slot,
        proc,
        to_aug,
    };
    report(sc, plan, &open, opts)
}

/// The analysis of readings and firmness; `None` when no red line has
/// readings or a firmness below 1. [`crate::analyze_with_readings`] gives
/// the same report from the analysis's own scan.
pub fn analyze_readings(
    sc: &Scenario,
    opts: &ReadingsOptions,
    progress: &dyn Progress,
) -> Result<Option<ReadingsReport>, Error> {
    sc.check()?;
    let Some(plan) = plan(sc) else {
        return Ok(None);
    };
    let c = Compiled::new(&plan.aug)?;
    if c.total > opts.max_outcomes {
        return Err(Error::TooLarge(c.total as u128));
    }
    let proc = ProcTable::new(&plan.aug, &c.soft)?;
    let by_slot = minimal_masks(&c, proc.as_ref(), progress)?;
    let open = Openings {
        by_slot,
        proc: proc.as_ref(),
        to_aug: &|m| m,
    };
    Ok(Some(report(sc, &plan, &open, opts)))
}

/// The opening masks of the analysis's own scan (soft constraints of the
/// scenario, then its extra rules: the alternative readings) written in
/// the augmented scenario's bit order (red lines, alternative readings,
/// then reservations, ratifiers and process constraints).
pub(crate) fn to_augmented(sc: &Scenario, n_soft: usize, n_extra: usize, m: u128) -> u128 {
    // Shifts by 128 or more empty the mask (`u128` shifts would overflow).
    let shr = |m: u128, k: usize| m.checked_shr(k as u32).unwrap_or(0);
    let shl = |m: u128, k: usize| m.checked_shl(k as u32).unwrap_or(0);
    let low = |k: usize| shl(1, k).wrapping_sub(1);
    let r = sc.red_lines.len();
    let red = m & low(r);
    let rest = shr(m, r) & low(n_soft - r);
    let alt = shr(m, n_soft) & low(n_extra);
    red | shl(alt, r) | shl(rest, r + n_extra)
}

/// Draws one choice from probabilities that sum to 1 (zeros never drawn).
fn draw(rng: &mut ChaCha8Rng, probs: &[f64]) -> usize {
    let u: f64 = rng.random();
    let mut acc = 0.0;
    let last = probs.iter().rposition(|&p| p > 0.0).unwrap_or(0);
    (0..probs.len())
        .find(|&k| {
            acc += probs[k];
            probs[k] > 0.0 && u < acc
        })
        .unwrap_or(last)
}

/// A combination's answer: whether a deal exists, its minimal blocking sets
/// and whether they were cut at the limit.
type Judged = (bool, Vec<u128>, bool);

/// The readings report from the opening masks per process network. A
/// combination's pick lists the red lines' choices, then the
/// preconditions'.
pub(crate) fn report(
    sc: &Scenario,
    plan: &Plan,
    open: &Openings,
    opts: &ReadingsOptions,
) -> ReadingsReport {
    let Plan {
        with,
        aug,
        lines,
        pre,
        pre_probs,
        pre_bits,
    } = plan;
    let conditional = open.proc.is_some();
    let nl = lines.len();
    let soft = soft_kinds(aug);
    let n_red = aug.red_lines.len();
    // Every bit that is not a red line with readings is always on.
    let mut always: u128 = 0;
    for b in 0..soft.len() {
        let reading_bit = lines.iter().any(|l| l.bits.contains(&b));
        if !reading_bit && (b >= n_red || b < sc.red_lines.len()) {
            always |= 1u128 << b;
        }
    }
    let label = |b: usize| -> BlockingMember {
        let r = constraint_ref(aug, soft[b]);
        let reading = lines.iter().find_map(|l| {
            l.bits
                .iter()
                .position(|&x| x == b)
                .map(|k| l.names[k].clone())
        });
        BlockingMember {
            kind: r.kind,
            id: r.id,
            actor: r.actor,
            reading,
            rule: r.rule,
        }
    };
    // Each bit's member and its text, made once: combinations list the
    // same few members thousands of times.
    let labels: Vec<BlockingMember> = (0..soft.len()).map(label).collect();
    let texts: Vec<String> = labels.iter().map(member_label).collect();
    let pre_names: Vec<Vec<&str>> = pre.iter().map(|rs| rs.names()).collect();
    let pre_id = |i: usize| sc.process.preconditions[pre[i].precondition].id.clone();
    let name_of = |names: &[&str], k: usize| names.get(k).copied().unwrap_or(ABSENT).to_string();
    let default_active = lines.iter().fold(always, |m, l| m | 1u128 << l.bits[0]);

    // Each distinct choice of precondition readings has its own family of
    // opening masks, built once.
    let mut families: HashMap<Vec<usize>, Vec<u128>> = HashMap::new();
    let mut cache: HashMap<(u128, Vec<usize>), Judged> = HashMap::new();
    let mut hitting = HashMap::new();
    let mut judge = |active: u128, pp: &[usize]| -> Judged {
        let key = (active, pp.to_vec());
        if let Some(v) = cache.get(&key) {
            return v.clone();
        }
        let fam = families
            .entry(pp.to_vec())
            .or_insert_with(|| open.family(sc, pre, pp));
        let v = decide(fam, active, opts.max_blockers, &mut hitting);
        cache.insert(key, v.clone());
        v
    };
    let default_blockers = judge(default_active, &vec![0; pre.len()]).1;

    // Choices per line: indices into bits (readings) or bits.len() (absent),
    // keeping those of positive probability; red lines first.
    let choices: Vec<Vec<usize>> = lines
        .iter()
        .map(|l| &l.probs)
        .chain(pre_probs.iter())
        .map(|p| (0..p.len()).filter(|&k| p[k] > 0.0).collect())
        .collect();
    let combinations = choices
        .iter()
        .try_fold(1u64, |acc, ch| acc.checked_mul(ch.len() as u64))
        .unwrap_or(u64::MAX);
    let active_of = |pick: &[usize]| -> u128 {
        lines
            .iter()
            .zip(pick)
            .fold(always, |m, (l, &k)| match l.bits.get(k) {
                Some(&b) => m | 1u128 << b,
                None => m,
            })
    };
    let prob_of = |pick: &[usize]| -> f64 {
        let red: f64 = lines.iter().zip(pick).map(|(l, &k)| l.probs[k]).product();
        let pro: f64 = pre_probs
            .iter()
            .zip(&pick[nl..])
            .map(|(p, &k)| p[k])
            .product();
        red * pro
    };
    // A blocking-set member as a combination lists it: a precondition with
    // readings names the one it has there.
    let member_in = |b: usize, pick: &[usize]| -> String {
        let text = texts[b].clone();
        match pre_bits.iter().position(|&pb| pb == 1u128 << b) {
            Some(i) => format!("{text}[{}]", name_of(&pre_names[i], pick[nl + i])),
            None => text,
        }
    };

    // Blocking set mask → (probability mass or sample count, pick sets).
    let mut tally: IndexMap<u128, (f64, Vec<Vec<usize>>)> = IndexMap::new();
    let mut p_deal = 0.0;
    let mut listed = Vec::new();
    let exact = combinations <= opts.exact_limit;
    if exact {
        for pick in odometer(&choices) {
            let p = prob_of(&pick);
            let (deal, blockers, truncated) = judge(active_of(&pick), &pick[nl..]);
            if deal {
                p_deal += p;
            }
            for &m in &blockers {
                let e = tally.entry(m).or_insert((0.0, Vec::new()));
                e.0 += p;
                e.1.push(pick.clone());
            }
            listed.push(Combination {
                choice: lines
                    .iter()
                    .zip(&pick)
                    .map(|(l, &k)| {
                        let name = l.names.get(k).map_or(ABSENT, String::as_str);
                        (sc.red_lines[l.red_line].id.clone(), name.to_string())
                    })
                    .collect(),
                preconditions: (0..pre.len())
                    .map(|i| (pre_id(i), name_of(&pre_names[i], pick[nl + i])))
                    .collect(),
                probability: p,
                deal,
                blockers: blockers
                    .iter()
                    .map(|&m| {
                        sets::bits(m)
                            .into_iter()
                            .map(|b| member_in(b, &pick))
                            .collect()
                    })
                    .collect(),
                blockers_truncated: truncated,
            });
        }
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
        let mut deals = 0u64;
        for _ in 0..opts.samples {
            let pick: Vec<usize> = lines
                .iter()
                .map(|l| &l.probs)
                .chain(pre_probs.iter())
                .map(|p| draw(&mut rng, p))
                .collect();
            let (deal, blockers, _) = judge(active_of(&pick), &pick[nl..]);
            if deal {
                deals += 1;
            }
            for &m in &blockers {
                let e = tally.entry(m).or_insert((0.0, Vec::new()));
                e.0 += 1.0;
                if !e.1.contains(&pick) {
                    e.1.push(pick.clone());
                }
            }
        }
        let n = opts.samples.max(1) as f64;
        p_deal = deals as f64 / n;
        for v in tally.values_mut() {
            v.0 /= n;
        }
    }
    // Robustness: blocks under every combination with every red line and
    // precondition present (absent choices left out), decided exactly
    // when few.
    let present: Vec<Vec<usize>> = lines
        .iter()
        .map(|l| (0..l.bits.len()).collect())
        .chain(pre_names.iter().map(|n| (0..n.len()).collect()))
        .collect();
    let n_present = present
        .iter()
        .try_fold(1u64, |acc, p| acc.checked_mul(p.len() as u64))
        .unwrap_or(u64::MAX);
    let all_present: Option<Vec<Vec<u128>>> = (n_present <= opts.exact_limit).then(|| {
        odometer(&present)
            .into_iter()
            .map(|pick| judge(active_of(&pick), &pick[nl..]).1)
            .collect()
    });

    let mut blocking_sets: Vec<BlockingSet> = tally
        .into_iter()
        .map(|(m, (p, picks))| {
            let members: Vec<BlockingMember> = sets::bits(m)
                .into_iter()
                .map(|b| labels[b].clone())
                .collect();
            let mut under: IndexMap<String, Vec<String>> = IndexMap::new();
            for (i, l) in lines.iter().enumerate() {
                if !l.bits.iter().any(|&b| m & (1u128 << b) != 0) {
                    continue;
                }
                let mut names: Vec<String> = Vec::new();
                for pick in &picks {
                    let name = l.names.get(pick[i]).map_or(ABSENT, String::as_str);
                    if !names.iter().any(|n| n == name) {
                        names.push(name.to_string());
                    }
                }
                under.insert(sc.red_lines[l.red_line].id.clone(), names);
            }
            // A precondition's reading changes the waivers every network
            // needs, so it can decide a set it is no member of.
            let mut under_preconditions: IndexMap<String, Vec<String>> = IndexMap::new();
            for i in 0..pre.len() {
                let mut ks: Vec<usize> = picks.iter().map(|pick| pick[nl + i]).collect();
                ks.sort_unstable();
                ks.dedup();
                if m & pre_bits[i] != 0 || ks.len() < choices[nl + i].len() {
                    let names = ks.iter().map(|&k| name_of(&pre_names[i], k)).collect();
                    under_preconditions.insert(pre_id(i), names);
                }
            }
            BlockingSet {
                members,
                probability: p,
                robust: all_present
                    .as_ref()
                    .map(|all| all.iter().all(|bs| bs.contains(&m))),
                default: default_blockers.contains(&m),
                under,
                under_preconditions,
            }
        })
        .collect();
    blocking_sets.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then(a.members.len().cmp(&b.members.len()))
    });
    listed.sort_by(|a, b| b.probability.total_cmp(&a.probability));
    let listed_truncated = listed.len() > opts.list_limit;
    listed.truncate(opts.list_limit);

    ReadingsReport {
        red_lines: lines
            .iter()
            .map(|l| {
                let r = &sc.red_lines[l.red_line];
                let rs = with.iter().find(|x| x.red_line == l.red_line);
                ReadingLine {
                    id: r.id.clone(),
                    actor: sc.actors[r.actor].id.clone(),
                    firmness: rs.map_or(1.0, |x| x.firmness.value),
                    readings: l
                        .bits
                        .iter()
                        .enumerate()
                        .map(|(k, &b)| ReadingProb {
                            name: l.names[k].clone(),
                            rule: aug.red_lines[b].rule.to_text(&sc.issues),
                            probability: l.probs[k],
                        })
                        .collect(),
                }
            })
            .collect(),
        preconditions: pre.iter().map(|rs| precondition_line(sc, rs)).collect(),
        deals_over: if conditional { "implementable" } else { "zopa" }.into(),
        combinations,
        exact,
        samples: (!exact).then_some(opts.samples),
        seed: (!exact).then_some(opts.seed),
        p_deal,
        p_deal_interval: (!exact).then(|| wilson(p_deal, opts.samples)),
        listed,
        listed_truncated,
        blocking_sets,
    }
}

/// How a blocking-set member is written in a combination: its id, with the
/// reading in brackets when the red line has readings.
pub fn member_label(m: &BlockingMember) -> String {
    match &m.reading {
        Some(r) => format!("{}[{r}]", m.id),
        None if m.kind == ConstraintKind::Reservation => format!("{}.reservation", m.actor),
        None => m.id.clone(),
    }
}

/// Every combination of the given choices, last position fastest (also
/// the precondition readings' combinations).
pub(crate) fn odometer(choices: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new()];
    for ch in choices {
        out = out
            .into_iter()
            .flat_map(|p| {
                ch.iter().map(move |&k| {
                    let mut q = p.clone();
                    q.push(k);
                    q
                })
            })
            .collect();
    }
    out
}

/// Whether a deal exists with `active` constraints on, and if not the
/// minimal blocking sets (and whether they were cut at `limit`). Many
/// choices of readings leave the same family of cut masks, so `hitting`
/// keeps each family's hitting sets.
fn decide(
    minimal: &[u128],
    active: u128,
    limit: usize,
    hitting: &mut HashMap<Vec<u128>, Option<Vec<u128>>>,
) -> (bool, Vec<u128>, bool) {
    if minimal.is_empty() {
        // No feasible outcome at all: nothing blocks, nothing opens.
        return (false, Vec::new(), false);
    }
    let mut fam = Antichain::default();
    for &m in minimal {
        let cut = m & active;
        if cut == 0 {
            return (true, Vec::new(), false);
        }
        fam.insert(cut);
    }
    let mut f = fam.sets;
    f.sort_by_key(|&m| (m.count_ones(), m));
    let h = match hitting.get(&f) {
        Some(h) => h.clone(),
        None => {
            let h = sets::minimal_hitting_sets(&f, limit);
            hitting.insert(f, h.clone());
            h
        }
    };
    match h {
        Some(h) => (false, h, false),
        None => (false, Vec::new(), true),
    }
}

/// The inclusion-minimal violation masks over every feasible outcome, per
/// process network slot (one slot without a conditional process).
fn minimal_masks(
    c: &Compiled,
    proc: Option<&ProcTable>,
    progress: &dyn Progress,
) -> Result<Vec<Vec<u128>>, Error> {
    progress.start(c.total, "scanning outcomes under every reading");
    let n = proc.map_or(1, ProcTable::networks);
    let chunks = c.scan(
        progress,
        || vec![Antichain::default(); n],
        |acc, leaf| {
            let slot = proc.map_or(0, |t| t.slot(leaf.levels));
            acc[slot as usize].insert(leaf.mask);
        },
    )?;
    let mut all = vec![Antichain::default(); n];
    for ch in &chunks {
        for (a, part) in all.iter_mut().zip(ch) {
            for &m in &part.sets {
                a.insert(m);
            }
        }
    }
    Ok(all.into_iter().map(|a| minimal_sets(a.sets)).collect())
}

/// The 95 % Wilson score interval of a proportion `p` over `n` draws.
pub fn wilson(p: f64, n: u64) -> [f64; 2] {
    let n = n.max(1) as f64;
    let z = 1.959_963_984_540_054_f64;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // The interval always holds `p`; rounding alone could leave 0 or 1
    // just outside.
    [
        (centre - half).max(0.0).min(p),
        (centre + half).min(1.0).max(p),
    ]
}

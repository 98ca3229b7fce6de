//! Implementability: a deal in the ZOPA can be carried out only when the
//! process network of the steps active on it (milestones, preconditions and
//! deadlines whose `when` rule holds) is consistent.
//!
//! The active network depends only on the issues that `when` rules name, so
//! every combination of their levels is mapped, before the scan, to one of
//! the distinct networks (found by their active-step mask), and each
//! distinct network is decided once: its minimal waivers become masks over
//! the process bits of the soft-constraint mask. An outcome with violation
//! mask `m` is then opened by dropping exactly the sets `D ⊇ m ∪ w` for some
//! waiver `w` (`w = ∅` when its network is consistent), which is what the
//! blockers and relaxations range over.

use super::scan::SoftKind;
use crate::model::{Expr, OutcomeSpace, Scenario};
use crate::process::{analyze_process, ProcessNetwork};
use crate::ratify::Reference;
use crate::Error;
use std::collections::HashMap;

/// Most combinations of condition-issue levels mapped before the scan.
const MAX_COMBINATIONS: usize = 1 << 20;

/// The distinct active networks of a conditional process, and which one
/// each outcome meets.
pub(crate) struct ProcTable {
    /// Issues named by `when` rules.
    issues: Vec<usize>,
    /// Stride of each of those issues in `table` (their own outcome space's).
    strides: Vec<usize>,
    /// Per combination of their levels: index into `nets`.
    table: Vec<u32>,
    /// Per distinct network: its minimal waivers as soft masks (`[0]` when
    /// it is consistent, empty when no waiver was found within the limits).
    nets: Vec<Vec<u128>>,
    /// Per distinct network: the levels of one outcome that meets it, so
    /// another reading of the process can be made active on it.
    reps: Vec<Vec<usize>>,
    /// Process constraint id → its soft bit.
    bit_of: HashMap<String, u128>,
    /// Whether some network's waiver search gave up.
    pub truncated: bool,
}

/// The minimal waivers of an active network as soft masks (`[0]` when it
/// is consistent), and whether the waiver search gave up.
fn waivers_of(active: &ProcessNetwork, bit_of: &HashMap<String, u128>) -> (Vec<u128>, bool) {
    let report = analyze_process(active);
    if report.consistent {
        return (vec![0], false);
    }
    let ws = report
        .waivers
        .iter()
        .map(|w| w.waived.iter().fold(0, |m, c| m | bit_of[c.id.as_str()]))
        .collect();
    (ws, report.waivers_truncated)
}

impl ProcTable {
    /// `None` when no step of the process is conditional.
    pub(crate) fn new(sc: &Scenario, soft: &[SoftKind]) -> Result<Option<ProcTable>, Error> {
        let net = &sc.process;
        if !net.is_conditional() {
            return Ok(None);
        }
        let rules: Vec<&Expr> = net
            .milestones
            .iter()
            .map(|m| &m.when)
            .chain(net.preconditions.iter().map(|p| &p.when))
            .chain(net.deadlines.iter().map(|d| &d.when))
            // Another reading of a precondition may bind on other deals.
            .chain(
                sc.precondition_readings
                    .iter()
                    .flat_map(|r| &r.alternatives)
                    .map(|a| &a.precondition.when),
            )
            .filter_map(|w| w.as_ref())
            .collect();
        let mut issues: Vec<usize> = rules.iter().flat_map(|e| e.issues()).collect();
        issues.sort_unstable();
        issues.dedup();
        let space = OutcomeSpace::new(issues.iter().map(|&i| sc.issues[i].levels()).collect());
        if space.size() > MAX_COMBINATIONS as u128 {
            return Err(Error::Invalid(format!(
                "the process's `when` rules name issues with {} combinations of values; at most {MAX_COMBINATIONS} are supported",
                space.size()
            )));
        }
        let combos = space.size() as usize;
        let strides: Vec<usize> = space.strides().iter().map(|&s| s as usize).collect();
        // Constraint id → its soft bit.
        let bit_of: HashMap<String, u128> = soft
            .iter()
            .enumerate()
            .filter_map(|(bit, k)| match k {
                SoftKind::Process(c) => {
                    let id = match net.preconditions.get(*c) {
                        Some(p) => p.id.as_str(),
                        None => net.deadlines[c - net.preconditions.len()].id.as_str(),
                    };
                    Some((id.to_string(), 1u128 << bit))
                }
                _ => None,
            })
            .collect();
        let mut by_mask: HashMap<Vec<bool>, u32> = HashMap::new();
        let mut nets = Vec::new();
        let mut reps = Vec::new();
        let mut table = Vec::with_capacity(combos);
        let mut truncated = false;
        let mut levels = vec![0; sc.issues.len()];
        let mut sub = vec![0; issues.len()];
        for combo in 0..combos {
            space.decode_into(combo as u64, &mut sub);
            for (&i, &l) in issues.iter().zip(&sub) {
                levels[i] = l;
            }
            let mask: Vec<bool> = rules.iter().map(|e| e.eval(&sc.issues, &levels)).collect();
            let slot = match by_mask.get(&mask) {
                Some(&s) => s,
                None => {
                    let (active, _) = net.active(&sc.issues, &levels);
                    let (waivers, cut) = waivers_of(&active, &bit_of);
                    truncated |= cut;
                    nets.push(waivers);
                    reps.push(levels.clone());
                    let s = (nets.len() - 1) as u32;
                    by_mask.insert(mask, s);
                    s
                }
            };
            table.push(slot);
        }
        Ok(Some(ProcTable {
            issues,
            strides,
            table,
            nets,
            reps,
            bit_of,
            truncated,
        }))
    }

    /// The minimal waivers of one network slot when the process reads
    /// otherwise (`net`: the scenario's process with some preconditions
    /// read another way or left out; the same milestones and `when`
    /// rules, so the slot still names which steps are active).
    pub(crate) fn waivers_under(
        &self,
        issues: &[crate::model::Issue],
        net: &ProcessNetwork,
        slot: u32,
    ) -> Vec<u128> {
        let (active, _) = net.active(issues, &self.reps[slot as usize]);
        waivers_of(&active, &self.bit_of).0
    }

    /// The minimal waivers of the network active on an outcome.
    #[inline]
    pub(crate) fn waivers(&self, levels: &[usize]) -> &[u128] {
        let slot: usize = self
            .issues
            .iter()
            .zip(&self.strides)
            .map(|(&i, &s)| levels[i] * s)
            .sum();
        &self.nets[self.table[slot] as usize]
    }

    /// The network slot of an outcome (see [`ProcTable::net_waivers`]).
    #[inline]
    pub(crate) fn slot(&self, levels: &[usize]) -> u32 {
        let slot: usize = self
            .issues
            .iter()
            .zip(&self.strides)
            .map(|(&i, &s)| levels[i] * s)
            .sum();
        self.table[slot]
    }

    /// The network slot of each outcome as a grouped scan reads it.
    pub(crate) fn tags(&self) -> super::scan::Tags<'_> {
        super::scan::Tags {
            issues: self
                .issues
                .iter()
                .copied()
                .zip(self.strides.iter().copied())
                .collect(),
            table: &self.table,
        }
    }

    /// The waivers of one network slot (`[0]` when it is consistent).
    pub(crate) fn net_waivers(&self, slot: u32) -> &[u128] {
        &self.nets[slot as usize]
    }

    /// Number of distinct active networks (the slots).
    pub(crate) fn networks(&self) -> usize {
        self.nets.len()
    }
}

/// The deal that per-deal outputs (ratification votes, the process
/// schedule) describe: the Nash solution over the implementable set when the
/// process is conditional and one exists, else the ZOPA's Nash solution,
/// else the smallest relaxation's. Returns which one it is and its index.
pub fn reference_deal(an: &super::Analysis) -> Option<(Reference, u64)> {
    if let Some(n) = an
        .implementable_solutions
        .as_ref()
        .and_then(|s| s.nash.as_ref())
    {
        return Some((Reference::ImplementableNash, n.point.index));
    }
    if let Some(n) = &an.solutions.nash {
        return Some((Reference::Nash, n.point.index));
    }
    an.relaxations
        .first()
        .and_then(|r| r.nash.as_ref())
        .map(|n| (Reference::Relaxation, n.point.index))
}

/// The process network active on an outcome given by its index (mixed
/// radix, last issue fastest).
pub fn process_at(sc: &Scenario, index: u64) -> crate::process::ProcessNetwork {
    let levels = sc.space().decode(index);
    sc.process.active(&sc.issues, &levels).0
}

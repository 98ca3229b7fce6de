//! What giving up a constraint costs, and the near misses: the outcomes that
//! come closest to a deal when none exists.

use super::scan::{Compiled, SoftKind};
use super::{ConstraintRef, Point};
use crate::model::{Entrenchment, Grade, Provenance, Scenario};
use indexmap::IndexMap;
use serde::Serialize;

/// How much a source's grade lets a constraint weigh: a position only
/// weakly evidenced is more likely an opening bid or a misreading, so giving
/// it up is expected to cost less.
pub fn grade_factor(grade: Option<Grade>) -> f64 {
    match grade {
        Some(Grade::Reported) => 1.0,
        Some(Grade::Secondary) | Some(Grade::OnePartyClaim) | Some(Grade::Partisan) => 0.75,
        Some(Grade::Anonymous)
        | Some(Grade::LowConfidence)
        | Some(Grade::Speculation)
        | Some(Grade::Assumption)
        | None => 0.5,
    }
}

/// The cost of one constraint in a relaxation: a stated number as is;
/// otherwise the entrenchment's base cost (`reported`, 2, when none is
/// declared) times the grade factor of its source (0.5 with no source).
pub fn constraint_cost(
    sc: &Scenario,
    entrenchment: Option<Entrenchment>,
    source: Option<&str>,
) -> f64 {
    match entrenchment {
        Some(Entrenchment::Cost(c)) => c,
        e => {
            let grade = source.and_then(|s| sc.source(s)).map(|s| s.grade);
            e.unwrap_or(Entrenchment::Reported).base_cost() * grade_factor(grade)
        }
    }
}

fn prov_cost(sc: &Scenario, p: &Provenance) -> f64 {
    constraint_cost(sc, p.entrenchment, p.source.as_deref())
}

/// The cost of each soft constraint, by mask bit.
pub(crate) fn soft_costs(sc: &Scenario, soft: &[SoftKind]) -> Vec<f64> {
    soft.iter()
        .map(|k| match *k {
            SoftKind::RedLine(i) => prov_cost(sc, &sc.red_lines[i].provenance),
            SoftKind::Reservation(a) => prov_cost(sc, &sc.preferences[a].reservation.provenance),
            SoftKind::Ratification(i) => prov_cost(sc, &sc.ratifiers[i].provenance),
            SoftKind::Process(i) => {
                let net = &sc.process;
                let source = match net.preconditions.get(i) {
                    Some(p) => p.source.as_deref(),
                    None => net.deadlines[i - net.preconditions.len()].source.as_deref(),
                };
                constraint_cost(sc, None, source)
            }
        })
        .collect()
}

/// Whether the scenario states any entrenchment (then costs are reported).
pub(crate) fn declares_entrenchment(sc: &Scenario) -> bool {
    sc.red_lines
        .iter()
        .any(|r| r.provenance.entrenchment.is_some())
        || sc
            .preferences
            .iter()
            .any(|p| p.reservation.provenance.entrenchment.is_some())
        || sc
            .ratifiers
            .iter()
            .any(|r| r.provenance.entrenchment.is_some())
}

/// The total cost of the constraints in a mask.
pub(crate) fn mask_cost(costs: &[f64], mut m: u128) -> f64 {
    let mut total = 0.0;
    while m != 0 {
        total += costs[m.trailing_zeros() as usize];
        m &= m - 1;
    }
    total
}

/// The soft constraints' costs by mask bit, totalled a byte of the mask at
/// a time when that gives the same total as [`mask_cost`]: the scan totals
/// a mask for every group of outcomes it decides.
pub(crate) struct MaskCosts {
    costs: Vec<f64>,
    /// Per byte of a mask, the total of each of its 256 values. Present when
    /// every cost is a multiple of 2⁻³² and their magnitudes sum below 2²⁰:
    /// every partial sum is then exact (a multiple of 2⁻³² below 2²⁰ needs
    /// 52 bits), so no order of addition changes a total.
    bytes: Option<Vec<[f64; 256]>>,
}

impl MaskCosts {
    /// The costs of `costs`, tabulated by byte when exact.
    pub(crate) fn new(costs: &[f64]) -> MaskCosts {
        let scale = 2f64.powi(32);
        let exact = costs
            .iter()
            .all(|c| c.is_finite() && (c * scale).fract() == 0.0)
            && costs.iter().map(|c| c.abs()).sum::<f64>() < 2f64.powi(20);
        let bytes = exact.then(|| {
            costs
                .chunks(8)
                .map(|byte| {
                    // Only the values of its bits that name a constraint.
                    let mut t = [0.0; 256];
                    for (v, x) in t.iter_mut().enumerate().take(1 << byte.len()) {
                        *x = mask_cost(byte, v as u128);
                    }
                    t
                })
                .collect()
        });
        MaskCosts {
            costs: costs.to_vec(),
            bytes,
        }
    }

    /// The total cost of the constraints in `m`, equal to [`mask_cost`].
    #[inline]
    pub(crate) fn total(&self, m: u128) -> f64 {
        let Some(bytes) = &self.bytes else {
            return mask_cost(&self.costs, m);
        };
        let mut total = 0.0;
        let mut rest = m;
        while rest != 0 {
            let i = rest.trailing_zeros() as usize / 8;
            total += bytes[i][(m >> (8 * i)) as usize & 0xff];
            rest &= !(0xff << (8 * i));
        }
        total
    }
}

/// A relaxation with its total cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostedRelaxation {
    /// The sum of the dropped constraints' costs.
    pub cost: f64,
    /// The relaxation.
    #[serde(flatten)]
    pub relaxation: super::Relaxation,
}

/// What one actor would have to give for a near miss to become a deal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Give {
    /// Actor id.
    pub actor: String,
    /// How far below its reservation the outcome leaves it (0 if not).
    pub below_reservation: f64,
    /// Ids of its red lines and ratifiers the outcome breaks, and of the
    /// process constraints it owns that must be waived.
    pub breaks: Vec<String>,
}

/// An outcome close to a deal when none exists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearMiss {
    /// The outcome.
    #[serde(flatten)]
    pub point: Point,
    /// Σ over actors of how far below its reservation the outcome is, plus
    /// the cost of every other constraint it breaks (with a conditional
    /// process, plus the cheapest waiver of its network).
    pub shortfall: f64,
    /// The constraints it breaks, reservations included.
    pub breaks: Vec<ConstraintRef>,
    /// Who must give what, actors in file order (only those who give).
    pub gives: Vec<Give>,
}

/// A candidate near miss in the scan: shortfall, index and the mask of
/// constraints to give up (violations plus the cheapest waiver).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Miss {
    pub shortfall: f64,
    pub index: u64,
    pub mask: u128,
}

/// Keeps the `k` smallest shortfalls, ties to the lowest index.
pub(crate) fn push_miss(top: &mut Vec<Miss>, k: usize, m: Miss) {
    if k == 0 {
        return;
    }
    let pos = top
        .iter()
        .position(|t| {
            m.shortfall < t.shortfall || (m.shortfall == t.shortfall && m.index < t.index)
        })
        .unwrap_or(top.len());
    if pos < k {
        top.insert(pos, m);
        top.truncate(k);
    }
}

/// The shortfall of one outcome is this part, which depends on its mask
/// and network alone (the same for every outcome sharing them), plus
/// [`shortfall_of_utils`]; also returns the mask to give up.
#[inline]
pub(crate) fn shortfall_of_mask(
    costs: &MaskCosts,
    res_bits: u128,
    mask: u128,
    waiver: Option<(f64, u128)>,
) -> (f64, u128) {
    let mut s = costs.total(mask & !res_bits);
    let mut give = mask;
    if let Some((x, w)) = waiver {
        s += x;
        give |= w;
    }
    (s, give)
}

/// The cheapest waiver of a process network (the first of least cost), by
/// the costs of the constraints it waives; `None` when it has none.
pub(crate) fn cheapest_waiver(costs: &[f64], waivers: &[u128]) -> Option<(f64, u128)> {
    let mut best: Option<(f64, u128)> = None;
    for &w in waivers {
        let x = mask_cost(costs, w);
        if best.is_none_or(|(b, _)| x < b) {
            best = Some((x, w));
        }
    }
    best
}

/// An outcome's shortfall from [`shortfall_of_mask`]'s part: adds each
/// reservation's shortfall in actor order.
#[inline]
pub(crate) fn shortfall_of_utils(c: &Compiled, mut s: f64, utils: &[f64]) -> f64 {
    for (u, d) in utils.iter().zip(&c.reservations) {
        if u < d {
            s += d - u;
        }
    }
    s
}

/// Builds the near-miss documents.
pub(crate) fn near_misses(
    sc: &Scenario,
    c: &Compiled,
    misses: &[Miss],
    point: &dyn Fn(u64) -> Point,
    constraint: &dyn Fn(usize) -> ConstraintRef,
) -> Vec<NearMiss> {
    misses
        .iter()
        .map(|m| {
            let p = point(m.index);
            let bits = super::sets::bits(m.mask);
            let mut gives: IndexMap<String, Give> = IndexMap::new();
            for a in &sc.actors {
                gives.insert(
                    a.id.clone(),
                    Give {
                        actor: a.id.clone(),
                        below_reservation: 0.0,
                        breaks: Vec::new(),
                    },
                );
            }
            for (a, (u, d)) in p.utilities.values().zip(&c.reservations).enumerate() {
                if u < d {
                    gives[a].below_reservation = d - u;
                }
            }
            let breaks: Vec<ConstraintRef> = bits.iter().map(|&b| constraint(b)).collect();
            for r in &breaks {
                if r.kind == super::ConstraintKind::Reservation {
                    continue;
                }
                if let Some(g) = gives.get_mut(&r.actor) {
                    g.breaks.push(r.id.clone());
                }
            }
            NearMiss {
                point: p,
                shortfall: m.shortfall,
                breaks,
                gives: gives
                    .into_values()
                    .filter(|g| g.below_reservation > 0.0 || !g.breaks.is_empty())
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{mask_cost, MaskCosts};

    #[test]
    fn a_masks_total_by_byte_is_its_total_bit_by_bit() {
        // Graded costs (2 × 0.75, 0.5, …) over 19 bits: the byte tables
        // apply, and every total is the bit-by-bit one to the last bit.
        let graded: Vec<f64> = (0..19).map(|i| [2.0, 1.5, 1.0, 0.5, 3.0][i % 5]).collect();
        let fast = MaskCosts::new(&graded);
        assert!(fast.bytes.is_some());
        // Costs of a tenth are not exact sums: the tables stay off, and
        // totals still match since they are then added bit by bit.
        let tenths: Vec<f64> = (0..19).map(|i| 0.1 * (1 + i % 3) as f64).collect();
        let slow = MaskCosts::new(&tenths);
        assert!(slow.bytes.is_none());
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..2000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let m = u128::from(x >> 20) & ((1 << 19) - 1);
            assert_eq!(fast.total(m).to_bits(), mask_cost(&graded, m).to_bits());
            assert_eq!(slow.total(m).to_bits(), mask_cost(&tenths, m).to_bits());
        }
        // Bits 0, 1 and 14 (the fifth cost, 3), across two bytes.
        assert_eq!(fast.total(0b100_0000_0000_0011), 2.0 + 1.5 + 3.0);
        assert_eq!(fast.total(0).to_bits(), 0.0f64.to_bits());
    }
}

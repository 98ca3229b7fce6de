//! A seeded local search that finds good frontier points of a box problem
//! quickly, so the branch and bound of [`super::search`] starts with a
//! front that prunes most of a large space.
//!
//! The search only *proposes* outcomes: every point it returns carries the
//! utilities [`BoxProblem::utilities`] computes (GENIUS's order of
//! addition), and no claim about the frontier rests on it — the certified
//! figures come from the branch and bound. Guidance uses running raw sums
//! updated move by move, which may differ from the exact sums in the last
//! bits; that only steers the search.
//!
//! Two stages, both deterministic for a given seed:
//! 1. **Iterated local search per direction.** For a spread of directions
//!    `w` on the simplex, climb from a random outcome by the best
//!    single-issue change of the augmented Chebyshev score
//!    `minᵢ uᵢ / wᵢ + ρ Σᵢ uᵢ` (which can reach every Pareto point, unlike a
//!    weighted sum), then repeatedly perturb a few issues and climb again,
//!    keeping the better outcome. Every local optimum is offered to the
//!    archive.
//! 2. **Pareto local search.** Each archive point's single-issue
//!    neighbours are offered to the archive until none is left unexplored
//!    or the evaluation budget is spent.

use super::BoxProblem;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// How much work the local search may do (all counts, so runs repeat).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LocalBudget {
    /// Seed of the random starts and perturbations.
    pub seed: u64,
    /// Directions searched in stage 1.
    pub directions: usize,
    /// Perturb-and-climb rounds per direction.
    pub rounds: usize,
    /// Single-issue moves evaluated in all, over both stages.
    pub evaluations: u64,
}

/// One box, flattened for move-by-move updates.
struct LBox {
    party: usize,
    weight: f64,
    includes: bool,
}

/// The problem in the shape the moves need.
struct Model<'a> {
    p: &'a BoxProblem,
    boxes: Vec<LBox>,
    /// Per issue: `(box, lo, hi)` for every box constraining it.
    by_issue: Vec<Vec<(usize, i64, i64)>>,
    /// Per box: how many ranges it has.
    ranges: Vec<u32>,
}

impl<'a> Model<'a> {
    fn new(p: &'a BoxProblem) -> Self {
        let mut boxes = Vec::new();
        let mut ranges = Vec::new();
        let mut by_issue = vec![Vec::new(); p.issues.len()];
        for (a, party) in p.parties.iter().enumerate() {
            for b in &party.boxes {
                let k = boxes.len();
                let mut n = 0;
                for (i, r) in b.ranges.iter().enumerate() {
                    if let Some((lo, hi)) = *r {
                        by_issue[i].push((k, lo, hi));
                        n += 1;
                    }
                }
                ranges.push(n);
                boxes.push(LBox {
                    party: a,
                    weight: b.weight,
                    includes: b.kind == super::BoxKind::Includes,
                });
            }
        }
        Model {
            p,
            boxes,
            by_issue,
            ranges,
        }
    }

    fn holds(&self, k: usize, missed: u32) -> bool {
        if self.boxes[k].includes {
            missed == 0
        } else {
            missed > 0
        }
    }
}

/// An outcome with, per box, how many of its ranges the outcome misses,
/// and the running raw sum per party.
#[derive(Clone)]
struct State {
    x: Vec<i64>,
    missed: Vec<u32>,
    raw: Vec<f64>,
}

impl State {
    fn new(m: &Model, x: Vec<i64>) -> Self {
        let mut missed = m.ranges.clone();
        for (i, list) in m.by_issue.iter().enumerate() {
            for &(k, lo, hi) in list {
                if lo <= x[i] && x[i] <= hi {
                    missed[k] -= 1;
                }
            }
        }
        let mut raw = vec![0.0; m.p.parties.len()];
        for (k, b) in m.boxes.iter().enumerate() {
            if m.holds(k, missed[k]) {
                raw[b.party] += b.weight;
            }
        }
        State { x, missed, raw }
    }

    /// The raw sums after setting issue `i` to `v` (into `out`).
    fn moved(&self, m: &Model, i: usize, v: i64, out: &mut [f64]) {
        out.copy_from_slice(&self.raw);
        let old = self.x[i];
        for &(k, lo, hi) in &m.by_issue[i] {
            let was = lo <= old && old <= hi;
            let now = lo <= v && v <= hi;
            if was == now {
                continue;
            }
            let missed = if now {
                self.missed[k] - 1
            } else {
                self.missed[k] + 1
            };
            let (before, after) = (m.holds(k, self.missed[k]), m.holds(k, missed));
            if before != after {
                let b = &m.boxes[k];
                out[b.party] += if after { b.weight } else { -b.weight };
            }
        }
    }

    fn apply(&mut self, m: &Model, i: usize, v: i64) {
        let mut raw = vec![0.0; self.raw.len()];
        self.moved(m, i, v, &mut raw);
        let old = self.x[i];
        for &(k, lo, hi) in &m.by_issue[i] {
            let was = lo <= old && old <= hi;
            let now = lo <= v && v <= hi;
            if was != now {
                if now {
                    self.missed[k] -= 1;
                } else {
                    self.missed[k] += 1;
                }
            }
        }
        self.x[i] = v;
        self.raw = raw;
    }
}

/// Utilities from raw sums (`raw / max`, capped at 1, as GENIUS does).
fn utilities(m: &Model, raw: &[f64], out: &mut [f64]) {
    for ((o, r), party) in out.iter_mut().zip(raw).zip(&m.p.parties) {
        *o = super::normalise(*r, party.max_utility);
    }
}

/// The augmented Chebyshev score towards direction weights `inv` (`1/wᵢ`).
fn score(u: &[f64], inv: &[f64]) -> f64 {
    let min = u
        .iter()
        .zip(inv)
        .map(|(u, i)| u * i)
        .fold(f64::INFINITY, f64::min);
    min + 1e-3 * u.iter().sum::<f64>()
}

/// Points offered so far: distinct non-dominated exact utility vectors,
/// each with the first outcome that reached it, and whether its
/// neighbours have been tried.
struct Archive {
    points: Vec<(Vec<f64>, Vec<i64>, bool)>,
}

impl Archive {
    fn covers(&self, u: &[f64]) -> bool {
        self.points
            .iter()
            .any(|(q, _, _)| q.iter().zip(u).all(|(a, b)| a >= b))
    }

    /// Offers an outcome with its exact utilities; true when it was added.
    fn offer(&mut self, u: Vec<f64>, x: &[i64]) -> bool {
        if self.covers(&u) {
            return false;
        }
        self.points
            .retain(|(q, _, _)| !q.iter().zip(&u).all(|(a, b)| a <= b));
        self.points.push((u, x.to_vec(), false));
        true
    }
}

/// Runs both stages and returns the archive: exact utility vectors, none
/// dominated by another, each with an outcome reaching it.
pub(crate) fn local_front(p: &BoxProblem, budget: &LocalBudget) -> Vec<(Vec<f64>, Vec<i64>)> {
    let m = Model::new(p);
    let n = p.parties.len();
    let mut rng = ChaCha8Rng::seed_from_u64(budget.seed);
    let mut archive = Archive { points: Vec::new() };
    let mut evals = 0u64;
    let mut raw = vec![0.0; n];
    let mut u = vec![0.0; n];

    let random_outcome = |rng: &mut ChaCha8Rng| -> Vec<i64> {
        p.issues
            .iter()
            .map(|&(_, lo, hi)| rng.random_range(lo..=hi))
            .collect()
    };

    // Stage 1: iterated local search along each direction.
    let directions: Vec<Vec<f64>> = (0..budget.directions)
        .map(|d| {
            let w: Vec<f64> = if n == 2 {
                let t = (d as f64 + 0.5) / budget.directions as f64;
                vec![t, 1.0 - t]
            } else {
                let e: Vec<f64> = (0..n).map(|_| -(1.0 - rng.random::<f64>()).ln()).collect();
                let s: f64 = e.iter().sum();
                e.iter().map(|x| x / s).collect()
            };
            w.iter().map(|w| 1.0 / w.max(1e-6)).collect()
        })
        .collect();
    let per_direction = budget.evaluations / 2 / budget.directions.max(1) as u64;
    for inv in &directions {
        let spent_before = evals;
        let climb = |s: &mut State, evals: &mut u64, raw: &mut [f64], u: &mut [f64]| {
            utilities(&m, &s.raw, u);
            let mut cur = score(u, inv);
            loop {
                let mut best: Option<(usize, i64, f64)> = None;
                for (i, &(_, lo, hi)) in p.issues.iter().enumerate() {
                    for v in lo..=hi {
                        if v == s.x[i] {
                            continue;
                        }
                        *evals += 1;
                        s.moved(&m, i, v, raw);
                        utilities(&m, raw, u);
                        let f = score(u, inv);
                        if f > best.map_or(cur, |b| b.2) {
                            best = Some((i, v, f));
                        }
                    }
                }
                match best {
                    Some((i, v, f)) if f > cur + 1e-12 => {
                        s.apply(&m, i, v);
                        cur = f;
                    }
                    _ => return cur,
                }
            }
        };
        let mut s = State::new(&m, random_outcome(&mut rng));
        let mut f = climb(&mut s, &mut evals, &mut raw, &mut u);
        archive.offer(p.utilities(&s.x), &s.x);
        for _ in 0..budget.rounds {
            if evals - spent_before >= per_direction {
                break;
            }
            let mut t = s.clone();
            let k = rng.random_range(2..=4usize).min(p.issues.len());
            for _ in 0..k {
                let i = rng.random_range(0..p.issues.len());
                let (_, lo, hi) = p.issues[i];
                let v = rng.random_range(lo..=hi);
                t.apply(&m, i, v);
            }
            let g = climb(&mut t, &mut evals, &mut raw, &mut u);
            archive.offer(p.utilities(&t.x), &t.x);
            if g >= f {
                s = t;
                f = g;
            }
        }
    }

    // Stage 2: Pareto local search from the archive.
    while evals < budget.evaluations {
        let Some(j) = archive.points.iter().position(|q| !q.2) else {
            break;
        };
        archive.points[j].2 = true;
        let s = State::new(&m, archive.points[j].1.clone());
        for (i, &(_, lo, hi)) in p.issues.iter().enumerate() {
            for v in lo..=hi {
                if v == s.x[i] {
                    continue;
                }
                evals += 1;
                s.moved(&m, i, v, &mut raw);
                utilities(&m, &raw, &mut u);
                // Guidance first: only outcomes that look new get the
                // exact evaluation (the archive decides on exact values).
                if archive.covers(&u) {
                    continue;
                }
                let mut y = s.x.clone();
                y[i] = v;
                archive.offer(p.utilities(&y), &y);
            }
        }
    }
    archive.points.into_iter().map(|(u, x, _)| (u, x)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nonlinear::{BoxKind, BoxParty, WeightedBox};

    /// A box's weight and its range per issue.
    type Spec = (f64, Vec<Option<(i64, i64)>>);

    fn party(name: &str, boxes: Vec<Spec>) -> BoxParty {
        BoxParty {
            name: name.into(),
            reservation: 0.0,
            max_utility: 10.0,
            boxes: boxes
                .into_iter()
                .map(|(weight, ranges)| WeightedBox {
                    weight,
                    ranges,
                    kind: BoxKind::Includes,
                })
                .collect(),
        }
    }

    /// Two parties who each want both issues at their own end: the
    /// frontier is {(1, 0), (0.5, 0.5), (0, 1)} (one issue each way), and
    /// the search finds all three, with exact utilities.
    #[test]
    fn finds_the_three_point_frontier() {
        let p = BoxProblem {
            name: "t".into(),
            issues: vec![("a".into(), 0, 9), ("b".into(), 0, 9)],
            parties: vec![
                party(
                    "x",
                    vec![
                        (5.0, vec![Some((0, 0)), None]),
                        (5.0, vec![None, Some((0, 0))]),
                    ],
                ),
                party(
                    "y",
                    vec![
                        (5.0, vec![Some((9, 9)), None]),
                        (5.0, vec![None, Some((9, 9))]),
                    ],
                ),
            ],
        };
        let budget = LocalBudget {
            seed: 7,
            directions: 8,
            rounds: 20,
            evaluations: 100_000,
        };
        let mut got: Vec<Vec<f64>> = local_front(&p, &budget).into_iter().map(|x| x.0).collect();
        got.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(got, vec![vec![0.0, 1.0], vec![0.5, 0.5], vec![1.0, 0.0]]);
        // Same seed, same outcomes.
        let run =
            || -> Vec<Vec<i64>> { local_front(&p, &budget).into_iter().map(|x| x.1).collect() };
        assert_eq!(run(), run());
    }

    /// Move-by-move raw sums equal a fresh evaluation after any moves.
    #[test]
    fn incremental_sums_match_a_fresh_state() {
        let p = BoxProblem {
            name: "t".into(),
            issues: vec![("a".into(), 0, 4), ("b".into(), 0, 4), ("c".into(), 0, 4)],
            parties: vec![
                party(
                    "x",
                    vec![
                        (3.0, vec![Some((1, 3)), Some((0, 2)), None]),
                        (2.0, vec![None, Some((2, 4)), Some((1, 1))]),
                    ],
                ),
                BoxParty {
                    boxes: vec![WeightedBox {
                        weight: 4.0,
                        ranges: vec![Some((0, 1)), None, Some((3, 4))],
                        kind: BoxKind::Excludes,
                    }],
                    ..party("y", vec![])
                },
            ],
        };
        let m = Model::new(&p);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut s = State::new(&m, vec![0, 0, 0]);
        for _ in 0..200 {
            let i = rng.random_range(0..3);
            let v = rng.random_range(0..=4);
            s.apply(&m, i, v);
            let fresh = State::new(&m, s.x.clone());
            assert_eq!(s.missed, fresh.missed);
            assert_eq!(s.raw, fresh.raw, "at {:?}", s.x);
            let mut u = vec![0.0; 2];
            utilities(&m, &s.raw, &mut u);
            assert_eq!(u, p.utilities(&s.x));
        }
    }
}

//! Minimal waivers: the minimal correction sets of an inconsistent network.
//!
//! Waiving a constraint deletes its edges. A set `S` of constraints is a
//! correction set exactly when it meets the constraint set of every
//! elementary negative cycle: a simple cycle of the reduced graph is a
//! simple cycle of the full graph avoiding `S`, and vice versa. So the
//! minimal correction sets are the minimal hitting sets (minimal
//! transversals) of the cycles' constraint sets.
//!
//! The cycle list may be truncated, so the hitting sets are computed
//! lazily (implicit hitting-set loop): take the minimal hitting sets of
//! the cycles known so far (Berge's algorithm), check each by Bellman–Ford
//! on the reduced network, and when one still has a negative cycle, add
//! that cycle's constraint set and start again. Each added set is new (it
//! avoids a set that meets all known ones), so the loop ends, and at the
//! end every reported set is a correction set and minimal.

use super::graph::DistanceGraph;
use super::ProcessNetwork;

/// Minimal correction sets as sorted constraint indices.
#[derive(Debug, Clone, Default)]
pub(crate) struct WaiverSearch {
    pub sets: Vec<Vec<usize>>,
    /// `true` when the number of candidate sets passed the limit; then
    /// `sets` is empty.
    pub truncated: bool,
}

/// The minimal correction sets of `net`, seeded with known cycle sets.
pub(crate) fn minimal_waivers(
    net: &ProcessNetwork,
    mut family: Vec<Vec<usize>>,
    max_sets: usize,
) -> WaiverSearch {
    let count = net.preconditions.len() + net.deadlines.len();
    loop {
        if family.iter().any(Vec::is_empty) {
            // A cycle without any waivable constraint: nothing helps.
            return WaiverSearch::default();
        }
        let Some(sets) = minimal_hitting_sets(&family, max_sets) else {
            return WaiverSearch {
                sets: Vec::new(),
                truncated: true,
            };
        };
        let mut missed = None;
        for h in &sets {
            let mut waived = vec![false; count];
            h.iter().for_each(|&c| waived[c] = true);
            let graph = DistanceGraph::build(net, &waived);
            if let Some(cycle) = graph.negative_cycle() {
                missed = Some(constraint_set(&graph, &cycle));
                break;
            }
        }
        match missed {
            Some(set) => family.push(set),
            None => {
                return WaiverSearch {
                    sets,
                    truncated: false,
                }
            }
        }
    }
}

/// The sorted, distinct waivable constraints on a cycle.
pub(crate) fn constraint_set(graph: &DistanceGraph, cycle: &[usize]) -> Vec<usize> {
    let mut set: Vec<usize> = cycle.iter().filter_map(|&e| graph.constraint(e)).collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// All minimal hitting sets of `family` (Berge's algorithm), sorted by
/// size then lexicographically; `None` if an intermediate step holds more
/// than `max_sets` sets.
pub(crate) fn minimal_hitting_sets(
    family: &[Vec<usize>],
    max_sets: usize,
) -> Option<Vec<Vec<usize>>> {
    let mut edges = minimize(family.to_vec());
    edges.sort_by_key(Vec::len);
    let mut current: Vec<Vec<usize>> = vec![Vec::new()];
    for edge in &edges {
        let mut next = Vec::new();
        for h in &current {
            if h.iter().any(|c| edge.binary_search(c).is_ok()) {
                next.push(h.clone());
            } else {
                for &c in edge {
                    let mut grown = h.clone();
                    let at = grown.binary_search(&c).unwrap_or_else(|i| i);
                    grown.insert(at, c);
                    next.push(grown);
                }
            }
        }
        current = minimize(next);
        if current.len() > max_sets {
            return None;
        }
    }
    Some(current)
}

/// Drop duplicates and proper supersets; sort by size, then lexically.
fn minimize(mut sets: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    sets.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    sets.dedup();
    let mut kept: Vec<Vec<usize>> = Vec::new();
    for s in sets {
        if !kept.iter().any(|k| is_subset(k, &s)) {
            kept.push(s);
        }
    }
    kept
}

/// `a ⊆ b` for sorted slices.
fn is_subset(a: &[usize], b: &[usize]) -> bool {
    a.iter().all(|x| b.binary_search(x).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hitting_sets_of_two_overlapping_sets() {
        let family = vec![vec![0, 1], vec![1, 2]];
        let hs = minimal_hitting_sets(&family, 100).unwrap();
        assert_eq!(hs, vec![vec![1], vec![0, 2]]);
    }

    #[test]
    fn hitting_sets_of_disjoint_pairs() {
        let family = vec![vec![0, 1], vec![2, 3]];
        let hs = minimal_hitting_sets(&family, 100).unwrap();
        assert_eq!(hs, vec![vec![0, 2], vec![0, 3], vec![1, 2], vec![1, 3]]);
        assert_eq!(minimal_hitting_sets(&family, 3), None);
    }

    #[test]
    fn empty_family_needs_nothing() {
        assert_eq!(minimal_hitting_sets(&[], 10).unwrap(), vec![Vec::new()]);
    }
}

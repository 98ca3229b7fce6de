//! The distance graph of a process network and shortest paths on it.
//!
//! Node 0 is the `start` anchor (day 0); milestone `i` is node `i + 1`.
//! Constraint index `c` numbers the waivable constraints: preconditions
//! first (`c = i`), then deadlines (`c = P + j`).

use super::ProcessNetwork;

/// Where a distance-graph edge comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Precondition `i`.
    Precondition(usize),
    /// Deadline `j`.
    Deadline(usize),
    /// The floor `t_m ≥ 0` of milestone `m` (not waivable).
    Floor(usize),
}

/// One distance-graph edge: `t_head − t_tail ≤ weight`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Edge {
    pub tail: usize,
    pub head: usize,
    pub weight: i64,
    pub origin: Origin,
    /// `true` for the edge that encodes a lower bound (`−lo`).
    pub lower: bool,
}

/// The distance graph, built with some constraints waived.
#[derive(Debug, Clone)]
pub(crate) struct DistanceGraph {
    pub nodes: usize,
    pub edges: Vec<Edge>,
    pub preconditions: usize,
}

/// All-pairs shortest paths (Floyd–Warshall) with first-edge pointers.
#[derive(Debug, Clone)]
pub(crate) struct Apsp {
    nodes: usize,
    dist: Vec<Option<i64>>,
    next: Vec<Option<usize>>,
    pub consistent: bool,
}

impl DistanceGraph {
    /// Build the graph; `waived[c]` drops waivable constraint `c`.
    ///
    /// # Panics
    /// If the network does not pass [`ProcessNetwork::validate`].
    pub fn build(net: &ProcessNetwork, waived: &[bool]) -> Self {
        if let Err(e) = net.validate() {
            panic!("invalid process network: {e}");
        }
        let is_waived = |c: usize| waived.get(c).copied().unwrap_or(false);
        let mut edges = Vec::new();
        let mut push = |tail, head, weight, origin, lower| {
            edges.push(Edge {
                tail,
                head,
                weight,
                origin,
                lower,
            });
        };
        for (i, p) in net.preconditions.iter().enumerate() {
            if is_waived(i) {
                continue;
            }
            let (lo, hi) = p.timing.bounds();
            let (a, b) = (p.from + 1, p.to + 1);
            push(b, a, -lo, Origin::Precondition(i), true);
            if let Some(hi) = hi {
                push(a, b, hi, Origin::Precondition(i), false);
            }
        }
        let base = net.preconditions.len();
        for (j, d) in net.deadlines.iter().enumerate() {
            if is_waived(base + j) {
                continue;
            }
            let m = d.milestone + 1;
            if let Some(lo) = d.not_before_days {
                push(m, 0, -lo, Origin::Deadline(j), true);
            }
            if let Some(hi) = d.not_after_days {
                push(0, m, hi, Origin::Deadline(j), false);
            }
        }
        for m in 0..net.milestones.len() {
            push(m + 1, 0, 0, Origin::Floor(m), true);
        }
        DistanceGraph {
            nodes: net.milestones.len() + 1,
            edges,
            preconditions: base,
        }
    }

    /// The waivable constraint index of an edge, if it has one.
    pub fn constraint(&self, e: usize) -> Option<usize> {
        match self.edges[e].origin {
            Origin::Precondition(i) => Some(i),
            Origin::Deadline(j) => Some(self.preconditions + j),
            Origin::Floor(_) => None,
        }
    }

    /// Floyd–Warshall over the graph; `O(n³)`.
    pub fn apsp(&self) -> Apsp {
        let n = self.nodes;
        let mut dist: Vec<Option<i64>> = vec![None; n * n];
        let mut next: Vec<Option<usize>> = vec![None; n * n];
        for i in 0..n {
            dist[i * n + i] = Some(0);
        }
        for (k, e) in self.edges.iter().enumerate() {
            let ix = e.tail * n + e.head;
            if dist[ix].is_none_or(|d| e.weight < d) {
                dist[ix] = Some(e.weight);
                next[ix] = Some(k);
            }
        }
        for k in 0..n {
            for i in 0..n {
                let Some(ik) = dist[i * n + k] else { continue };
                for j in 0..n {
                    let Some(kj) = dist[k * n + j] else { continue };
                    let via = ik + kj;
                    if dist[i * n + j].is_none_or(|d| via < d) {
                        dist[i * n + j] = Some(via);
                        next[i * n + j] = next[i * n + k];
                    }
                }
            }
        }
        let consistent = (0..n).all(|i| dist[i * n + i] == Some(0));
        Apsp {
            nodes: n,
            dist,
            next,
            consistent,
        }
    }

    /// Some negative cycle as edge indices in cycle order (Bellman–Ford
    /// from a virtual source joined to every node), or `None`.
    pub fn negative_cycle(&self) -> Option<Vec<usize>> {
        let n = self.nodes;
        let mut dist = vec![0i64; n];
        let mut pred: Vec<Option<usize>> = vec![None; n];
        let mut last = None;
        for _ in 0..n {
            last = None;
            for (k, e) in self.edges.iter().enumerate() {
                let via = dist[e.tail] + e.weight;
                if via < dist[e.head] {
                    dist[e.head] = via;
                    pred[e.head] = Some(k);
                    last = Some(e.head);
                }
            }
            last?;
        }
        // A relaxation in pass n: walking back n steps lands on the cycle.
        let mut v = last?;
        for _ in 0..n {
            v = self.edges[pred[v]?].tail;
        }
        let mut cycle = Vec::new();
        let mut u = v;
        loop {
            let e = pred[u]?;
            cycle.push(e);
            u = self.edges[e].tail;
            if u == v {
                break;
            }
        }
        cycle.reverse();
        Some(cycle)
    }
}

impl Apsp {
    /// The tightest bound on `t_j − t_i`, `None` when unbounded.
    pub fn dist(&self, i: usize, j: usize) -> Option<i64> {
        self.dist[i * self.nodes + j]
    }

    /// Edge indices of a shortest path from `i` to `j` (consistent graphs).
    pub fn path(&self, i: usize, j: usize, graph: &DistanceGraph) -> Vec<usize> {
        let mut out = Vec::new();
        let mut u = i;
        while u != j && out.len() <= self.nodes {
            let Some(e) = self.next[u * self.nodes + j] else {
                break;
            };
            out.push(e);
            u = graph.edges[e].head;
        }
        out
    }
}

//! Enumeration of the elementary negative cycles of a distance graph.
//!
//! Johnson's algorithm (1975) lists every elementary circuit of the node
//! graph (parallel edges merged) once, rooted at its least node. Each node
//! circuit is then expanded over the choices of parallel edges, and the
//! expansions with negative total weight are kept: these are exactly the
//! edge-simple negative cycles, i.e. the deadlocks.

use super::graph::DistanceGraph;

/// The negative cycles found, as edge indices in cycle order.
#[derive(Debug, Clone, Default)]
pub(crate) struct CycleSearch {
    pub cycles: Vec<Vec<usize>>,
    /// `true` when a limit stopped the search early.
    pub truncated: bool,
}

/// List the elementary negative cycles of `graph`.
///
/// Stops after `max_cycles` negative cycles or after examining `budget`
/// circuits (node circuits and their edge expansions), whichever is first.
pub(crate) fn negative_cycles(
    graph: &DistanceGraph,
    max_cycles: usize,
    budget: usize,
) -> CycleSearch {
    let n = graph.nodes;
    // parallel[u][v]: edges u → v (u ≠ v); succ[u]: sorted distinct heads.
    let mut parallel = vec![vec![Vec::new(); n]; n];
    let mut out = CycleSearch::default();
    for (k, e) in graph.edges.iter().enumerate() {
        if e.tail == e.head {
            if e.weight < 0 {
                out.cycles.push(vec![k]);
            }
        } else {
            parallel[e.tail][e.head].push(k);
        }
    }
    let succ: Vec<Vec<usize>> = (0..n)
        .map(|u| (0..n).filter(|&v| !parallel[u][v].is_empty()).collect())
        .collect();
    let mut search = Johnson {
        graph,
        parallel: &parallel,
        succ: &succ,
        root: 0,
        in_scc: vec![false; n],
        blocked: vec![false; n],
        blocked_by: vec![Vec::new(); n],
        stack: Vec::new(),
        max_cycles,
        budget,
        out,
    };
    for root in 0..n {
        if search.stop() {
            break;
        }
        search.root = root;
        search.in_scc = strongly_connected_with(root, &succ);
        search.blocked.iter_mut().for_each(|b| *b = false);
        search.blocked_by.iter_mut().for_each(Vec::clear);
        search.circuit(root);
    }
    let mut out = search.out;
    out.cycles.truncate(max_cycles);
    out
}

/// Nodes `≥ root` in the same strongly connected component as `root`
/// within the subgraph induced by nodes `≥ root`.
fn strongly_connected_with(root: usize, succ: &[Vec<usize>]) -> Vec<bool> {
    let n = succ.len();
    let reach = |forward: bool| {
        let mut seen = vec![false; n];
        let mut todo = vec![root];
        seen[root] = true;
        while let Some(u) = todo.pop() {
            for v in root..n {
                let linked = if forward {
                    succ[u].binary_search(&v).is_ok()
                } else {
                    succ[v].binary_search(&u).is_ok()
                };
                if linked && !seen[v] {
                    seen[v] = true;
                    todo.push(v);
                }
            }
        }
        seen
    };
    let fwd = reach(true);
    let bwd = reach(false);
    (0..n).map(|v| fwd[v] && bwd[v]).collect()
}

struct Johnson<'a> {
    graph: &'a DistanceGraph,
    parallel: &'a [Vec<Vec<usize>>],
    succ: &'a [Vec<usize>],
    root: usize,
    in_scc: Vec<bool>,
    blocked: Vec<bool>,
    blocked_by: Vec<Vec<usize>>,
    stack: Vec<usize>,
    max_cycles: usize,
    budget: usize,
    out: CycleSearch,
}

impl Johnson<'_> {
    fn stop(&self) -> bool {
        self.out.truncated || self.out.cycles.len() >= self.max_cycles
    }

    fn spend(&mut self) -> bool {
        if self.budget == 0 {
            self.out.truncated = true;
            return false;
        }
        self.budget -= 1;
        true
    }

    fn circuit(&mut self, v: usize) -> bool {
        let mut found = false;
        self.stack.push(v);
        self.blocked[v] = true;
        for &w in &self.succ[v] {
            if self.stop() {
                break;
            }
            if w < self.root || !self.in_scc[w] {
                continue;
            }
            if w == self.root {
                found = true;
                self.emit();
            } else if !self.blocked[w] && self.circuit(w) {
                found = true;
            }
        }
        if found {
            self.unblock(v);
        } else {
            for &w in &self.succ[v] {
                if w >= self.root && !self.blocked_by[w].contains(&v) {
                    self.blocked_by[w].push(v);
                }
            }
        }
        self.stack.pop();
        found
    }

    fn unblock(&mut self, u: usize) {
        self.blocked[u] = false;
        let waiting = std::mem::take(&mut self.blocked_by[u]);
        for w in waiting {
            if self.blocked[w] {
                self.unblock(w);
            }
        }
    }

    /// Expand the node circuit on the stack over parallel edges.
    fn emit(&mut self) {
        let hops: Vec<&[usize]> = (0..self.stack.len())
            .map(|i| {
                let u = self.stack[i];
                let v = self.stack.get(i + 1).copied().unwrap_or(self.root);
                self.parallel[u][v].as_slice()
            })
            .collect();
        let mut choice = vec![0usize; hops.len()];
        loop {
            if !self.spend() || self.out.cycles.len() >= self.max_cycles {
                return;
            }
            let edges: Vec<usize> = choice.iter().zip(&hops).map(|(&c, h)| h[c]).collect();
            let weight: i64 = edges.iter().map(|&e| self.graph.edges[e].weight).sum();
            if weight < 0 {
                self.out.cycles.push(edges);
            }
            // Odometer over the parallel-edge choices.
            let mut i = choice.len();
            loop {
                if i == 0 {
                    return;
                }
                i -= 1;
                choice[i] += 1;
                if choice[i] < hops[i].len() {
                    break;
                }
                choice[i] = 0;
            }
        }
    }
}

//! Random small process networks checked against brute force: schedules
//! enumerated over integer days in a bounded horizon, cycles enumerated by
//! plain depth-first search, waivers by trying every subset.
//!
//! Horizon argument. Let `W` be one more than the sum of the absolute
//! values of all bounds. In a consistent network the earliest day of every
//! milestone is minus a simple-path length, so it lies in `[0, W]`; a
//! finite latest day is a simple-path length, so it is at most `W`. In the
//! box `[0, H]` with `H = 2W + 1`, a milestone with unbounded latest day
//! can still reach at least `H − W > W`. So brute force over `[0, W]`
//! decides consistency and earliest days, and over `[0, H]` it decides
//! latest days (equal to the engine's when finite, above `W` when not).

use accord::process::{
    analyze_process, Deadline, Milestone, Precondition, ProcessNetwork, ProcessReport, Timing,
};
use proptest::prelude::*;

/// `lo ≤ t_b − t_a ≤ hi` between nodes (0 = start, milestone i = i + 1).
#[derive(Debug, Clone)]
struct Con {
    id: String,
    a: usize,
    b: usize,
    lo: Option<i64>,
    hi: Option<i64>,
}

/// The documented meaning of each timing, written out independently.
fn window(t: Timing) -> (Option<i64>, Option<i64>) {
    match t {
        Timing::Before | Timing::Never => (Some(0), None),
        Timing::AtLeast(d) | Timing::Held(d) => (Some(d), None),
        Timing::Within(d) => (Some(0), Some(d)),
        Timing::Between(lo, hi) => (Some(lo), Some(hi)),
    }
}

/// Waivable constraints in engine order: preconditions, then deadlines.
fn constraints(net: &ProcessNetwork) -> Vec<Con> {
    let mut out: Vec<Con> = net
        .preconditions
        .iter()
        .map(|p| {
            let (lo, hi) = window(p.timing);
            Con {
                id: p.id.clone(),
                a: p.from + 1,
                b: p.to + 1,
                lo,
                hi,
            }
        })
        .collect();
    out.extend(net.deadlines.iter().map(|d| Con {
        id: d.id.clone(),
        a: 0,
        b: d.milestone + 1,
        lo: d.not_before_days,
        hi: d.not_after_days,
    }));
    out
}

fn weight_bound(cons: &[Con]) -> i64 {
    1 + cons
        .iter()
        .map(|c| c.lo.map_or(0, i64::abs) + c.hi.map_or(0, i64::abs))
        .sum::<i64>()
}

/// Per milestone `(min, max)` day over all schedules in `[0, horizon]`
/// satisfying the constraints not waived; `None` if there is none.
fn brute_windows(
    nodes: usize,
    cons: &[Con],
    waived: u32,
    horizon: i64,
    first_only: bool,
) -> Option<Vec<(i64, i64)>> {
    let active: Vec<&Con> = cons
        .iter()
        .enumerate()
        .filter(|(k, _)| waived & (1 << k) == 0)
        .map(|(_, c)| c)
        .collect();
    let ok = |c: &Con, t: &[i64]| {
        let diff = t[c.b] - t[c.a];
        c.lo.is_none_or(|lo| diff >= lo) && c.hi.is_none_or(|hi| diff <= hi)
    };
    let mut t = vec![0i64; nodes];
    let mut best: Option<Vec<(i64, i64)>> = None;
    // Odometer over [0, horizon]^(nodes − 1), checking constraints as soon
    // as both endpoints are set.
    fn go(
        k: usize,
        t: &mut Vec<i64>,
        horizon: i64,
        active: &[&Con],
        ok: &dyn Fn(&Con, &[i64]) -> bool,
        best: &mut Option<Vec<(i64, i64)>>,
        first_only: bool,
    ) {
        if first_only && best.is_some() {
            return;
        }
        if k == t.len() {
            let b = best.get_or_insert_with(|| vec![(i64::MAX, i64::MIN); t.len() - 1]);
            for (m, w) in b.iter_mut().enumerate() {
                w.0 = w.0.min(t[m + 1]);
                w.1 = w.1.max(t[m + 1]);
            }
            return;
        }
        for v in 0..=horizon {
            t[k] = v;
            let fine = active
                .iter()
                .filter(|c| c.a.max(c.b) == k)
                .all(|c| ok(c, t));
            if fine {
                go(k + 1, t, horizon, active, ok, best, first_only);
            }
        }
    }
    go(1, &mut t, horizon, &active, &ok, &mut best, first_only);
    best
}

type EdgeKey = (String, String, i64, bool, String);

/// Every elementary negative cycle by DFS from each least node.
fn brute_cycles(net: &ProcessNetwork, cons: &[Con]) -> Vec<Vec<EdgeKey>> {
    let name = |v: usize| {
        if v == 0 {
            "start".to_string()
        } else {
            net.milestones[v - 1].id.clone()
        }
    };
    let mut edges: Vec<(usize, usize, i64, bool, String)> = Vec::new();
    for c in cons {
        if let Some(lo) = c.lo {
            edges.push((c.b, c.a, -lo, true, c.id.clone()));
        }
        if let Some(hi) = c.hi {
            edges.push((c.a, c.b, hi, false, c.id.clone()));
        }
    }
    for (m, ms) in net.milestones.iter().enumerate() {
        edges.push((m + 1, 0, 0, true, ms.id.clone()));
    }
    let n = net.milestones.len() + 1;
    let mut found = Vec::new();
    fn dfs(
        s: usize,
        u: usize,
        path: &mut Vec<usize>,
        seen: &mut Vec<bool>,
        edges: &[(usize, usize, i64, bool, String)],
        found: &mut Vec<Vec<usize>>,
    ) {
        for (k, e) in edges.iter().enumerate() {
            if e.0 != u || e.1 < s {
                continue;
            }
            if e.1 == s {
                let mut cycle = path.clone();
                cycle.push(k);
                found.push(cycle);
            } else if !seen[e.1] {
                seen[e.1] = true;
                path.push(k);
                dfs(s, e.1, path, seen, edges, found);
                path.pop();
                seen[e.1] = false;
            }
        }
    }
    for s in 0..n {
        let mut seen = vec![false; n];
        seen[s] = true;
        dfs(s, s, &mut Vec::new(), &mut seen, &edges, &mut found);
    }
    let mut out: Vec<Vec<EdgeKey>> = found
        .into_iter()
        .filter(|c| c.iter().map(|&k| edges[k].2).sum::<i64>() < 0)
        .map(|c| {
            c.into_iter()
                .map(|k| {
                    let e = &edges[k];
                    (name(e.0), name(e.1), e.2, e.3, e.4.clone())
                })
                .collect()
        })
        .collect();
    out.sort();
    out
}

fn engine_cycles(r: &ProcessReport) -> Vec<Vec<EdgeKey>> {
    let mut out: Vec<Vec<EdgeKey>> = r
        .deadlocks
        .iter()
        .map(|d| {
            d.edges
                .iter()
                .map(|e| {
                    let lower = e.bound == accord::process::Bound::Lower;
                    (
                        e.from.clone(),
                        e.to.clone(),
                        e.weight,
                        lower,
                        e.constraint.id.clone(),
                    )
                })
                .collect()
        })
        .collect();
    out.sort();
    out
}

fn timing() -> impl Strategy<Value = Timing> {
    prop_oneof![
        Just(Timing::Before),
        (-2i64..=3).prop_map(Timing::AtLeast),
        (-1i64..=4).prop_map(Timing::Within),
        (-2i64..=3, -1i64..=3).prop_map(|(lo, w)| Timing::Between(lo, lo + w)),
        (0i64..=3).prop_map(Timing::Held),
        Just(Timing::Never),
    ]
}

fn network() -> impl Strategy<Value = ProcessNetwork> {
    (1usize..=4)
        .prop_flat_map(|n| {
            let pre = prop::collection::vec((0..n, 0..n, timing()), 0..=5);
            let dl = prop::collection::vec(
                (0..n, prop::option::of(0i64..=4), prop::option::of(0i64..=6)),
                0..=2,
            );
            (Just(n), pre, dl)
        })
        .prop_map(|(n, pre, dl)| ProcessNetwork {
            milestones: (0..n)
                .map(|i| Milestone {
                    id: format!("m{i}"),
                    name: format!("M{i}"),
                    when: None,
                })
                .collect(),
            preconditions: pre
                .into_iter()
                .enumerate()
                .map(|(i, (from, to, timing))| Precondition {
                    id: format!("P{i}"),
                    from,
                    to,
                    owner: "UA".into(),
                    rule: String::new(),
                    source: None,
                    quote: None,
                    assumption: None,
                    timing,
                    when: None,
                })
                .collect(),
            deadlines: dl
                .into_iter()
                .enumerate()
                .map(|(j, (m, nb, na))| Deadline {
                    id: format!("D{j}"),
                    milestone: m,
                    not_before_days: nb,
                    not_after_days: na,
                    owner: None,
                    rule: String::new(),
                    source: None,
                    quote: None,
                    assumption: None,
                    when: None,
                })
                .collect(),
        })
}

fn config() -> ProptestConfig {
    let mut c = ProptestConfig::with_cases(500);
    if std::env::var_os("CI").is_some() {
        c.max_shrink_iters = 0;
    }
    c
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn engine_matches_brute_force(net in network()) {
        let r = analyze_process(&net);
        let cons = constraints(&net);
        let nodes = net.milestones.len() + 1;
        let w = weight_bound(&cons);
        let feasible = brute_windows(nodes, &cons, 0, w, true).is_some();
        prop_assert_eq!(r.consistent, feasible);
        prop_assert_eq!(engine_cycles(&r), brute_cycles(&net, &cons));
        prop_assert!(!r.deadlocks_truncated && !r.waivers_truncated);
        if r.consistent {
            let boxed = brute_windows(nodes, &cons, 0, 2 * w + 1, false).unwrap();
            for (win, (lo, hi)) in r.schedule.iter().zip(&boxed) {
                prop_assert_eq!(win.earliest, *lo);
                match win.latest {
                    Some(l) => prop_assert_eq!(l, *hi),
                    None => prop_assert!(*hi > w),
                }
            }
            check_critical_paths(&r)?;
            prop_assert!(r.waivers.is_empty());
        } else {
            // Every subset of constraints, by brute-force feasibility.
            let k = cons.len();
            let ok: Vec<bool> = (0..1u32 << k)
                .map(|mask| brute_windows(nodes, &cons, mask, w, true).is_some())
                .collect();
            let mut minimal: Vec<Vec<usize>> = (0..1u32 << k)
                .filter(|&m| ok[m as usize])
                .filter(|&m| (0..k).all(|b| m & (1 << b) == 0 || !ok[(m & !(1 << b)) as usize]))
                .map(|m| (0..k).filter(|b| m & (1 << b) != 0).collect())
                .collect();
            minimal.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
            let got: Vec<Vec<usize>> = r
                .waivers
                .iter()
                .map(|wv| {
                    wv.waived
                        .iter()
                        .map(|c| cons.iter().position(|x| x.id == c.id).unwrap())
                        .collect()
                })
                .collect();
            prop_assert_eq!(&got, &minimal);
            for (wv, set) in r.waivers.iter().zip(&minimal) {
                let mask = set.iter().fold(0u32, |m, &b| m | (1 << b));
                let boxed = brute_windows(nodes, &cons, mask, 2 * w + 1, false).unwrap();
                for (win, (lo, hi)) in wv.schedule.iter().zip(&boxed) {
                    prop_assert_eq!(win.earliest, *lo);
                    match win.latest {
                        Some(l) => prop_assert_eq!(l, *hi),
                        None => prop_assert!(*hi > w),
                    }
                }
            }
        }
    }
}

/// Each critical path runs from day 0 to a latest-starting milestone
/// through edges that are tight in the earliest schedule.
fn check_critical_paths(r: &ProcessReport) -> Result<(), TestCaseError> {
    let earliest = |id: &str| -> i64 {
        if id == "start" {
            0
        } else {
            r.schedule
                .iter()
                .find(|w| w.milestone == id)
                .unwrap()
                .earliest
        }
    };
    let last = r.schedule.iter().map(|w| w.earliest).max().unwrap();
    let finals: Vec<&str> = r
        .schedule
        .iter()
        .filter(|w| w.earliest == last)
        .map(|w| w.milestone.as_str())
        .collect();
    let got: Vec<&str> = r
        .critical_paths
        .iter()
        .map(|c| c.milestone.as_str())
        .collect();
    prop_assert_eq!(got, finals);
    for c in &r.critical_paths {
        let mut at = "start";
        for s in &c.steps {
            prop_assert_eq!(s.to.as_str(), at);
            prop_assert_eq!(earliest(&s.to) - earliest(&s.from), s.weight);
            at = &s.from;
        }
        prop_assert_eq!(at, c.milestone.as_str());
        let lags: i64 = c.steps.iter().map(|s| -s.weight).sum();
        prop_assert_eq!(lags, c.earliest);
    }
    Ok(())
}

/// The generator reaches both branches often enough to matter: a fixed
/// sample holds consistent and inconsistent networks, some with several
/// deadlocks and some with waivers of two constraints or more.
#[test]
fn generator_covers_both_branches() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut inconsistent, mut multi_cycle, mut big_waiver) = (0, 0, 0);
    for _ in 0..500 {
        let net = network().new_tree(&mut runner).unwrap().current();
        let r = analyze_process(&net);
        inconsistent += usize::from(!r.consistent);
        multi_cycle += usize::from(r.deadlocks.len() > 1);
        big_waiver += usize::from(r.waivers.iter().any(|w| w.waived.len() > 1));
    }
    assert!((150..=350).contains(&inconsistent), "{inconsistent}");
    assert!(multi_cycle >= 50, "{multi_cycle}");
    assert!(big_waiver >= 40, "{big_waiver}");
}

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

/// A small network (at most three milestones and four preconditions) with
/// readings and firmness on some of its preconditions: alternatives
/// between other milestones or with another timing, weights 1–3, and a
/// firmness of 1, 0.75, 0.5 or 0.
fn readings_scenario() -> impl Strategy<Value = accord::Scenario> {
    network()
        .prop_filter("small enough to enumerate", |n| {
            n.milestones.len() <= 3 && n.preconditions.len() <= 4
        })
        .prop_flat_map(|net| {
            let n = net.milestones.len();
            let k = net.preconditions.len();
            let alternatives = prop::collection::vec((0..n, 0..n, timing(), 1u8..=3), 0..=2);
            let spec = prop::collection::vec((0usize..3, alternatives, 1u8..=3, 0usize..4), k..=k);
            (Just(net), spec)
        })
        .prop_map(|(net, spec)| {
            let mut readings = Vec::new();
            for (i, (has, alts, w, f)) in spec.into_iter().enumerate() {
                if has == 0 {
                    continue;
                }
                let own = net.preconditions[i].clone();
                readings.push(accord::model::PreconditionReadings {
                    precondition: i,
                    default_name: "own".into(),
                    default_weight: f64::from(w),
                    alternatives: alts
                        .into_iter()
                        .enumerate()
                        .map(
                            |(j, (from, to, timing, w))| accord::model::PreconditionReading {
                                name: format!("alt{j}"),
                                precondition: Precondition {
                                    from,
                                    to,
                                    timing,
                                    ..own.clone()
                                },
                                weight: f64::from(w),
                                grade: None,
                                note: None,
                            },
                        )
                        .collect(),
                    firmness: accord::model::Param::new([1.0, 0.75, 0.5, 0.0][f]),
                });
            }
            accord::Scenario {
                process: net,
                precondition_readings: readings,
                ..Default::default()
            }
        })
}

/// Every combination of the preconditions' readings (positive probability
/// only): the reading names by precondition id, the probability, and the
/// network it amounts to, written out without the engine's help.
fn reading_combinations(
    sc: &accord::Scenario,
) -> Vec<(indexmap::IndexMap<String, String>, f64, ProcessNetwork)> {
    let mut out = vec![(indexmap::IndexMap::new(), 1.0, sc.process.clone())];
    for rs in &sc.precondition_readings {
        if rs.alternatives.is_empty() && rs.firmness.value >= 1.0 {
            continue;
        }
        let id = sc.process.preconditions[rs.precondition].id.clone();
        let total: f64 = rs.default_weight + rs.alternatives.iter().map(|a| a.weight).sum::<f64>();
        let f = rs.firmness.value;
        let mut next = Vec::new();
        for (choice, p, net) in &out {
            // Own reading, each alternative, absent.
            for k in 0..=rs.alternatives.len() + 1 {
                let (name, q) = match k {
                    0 => (rs.default_name.clone(), f * rs.default_weight / total),
                    k if k <= rs.alternatives.len() => {
                        let a = &rs.alternatives[k - 1];
                        (a.name.clone(), f * a.weight / total)
                    }
                    _ => ("absent".to_string(), 1.0 - f),
                };
                if q <= 0.0 {
                    continue;
                }
                let mut net = net.clone();
                match k {
                    0 => {}
                    k if k <= rs.alternatives.len() => {
                        net.preconditions[rs.precondition] =
                            rs.alternatives[k - 1].precondition.clone();
                    }
                    // Marked for removal after every choice is made, so
                    // indices stay put meanwhile.
                    _ => net.preconditions[rs.precondition].id = String::new(),
                }
                let mut choice = choice.clone();
                choice.insert(id.clone(), name);
                next.push((choice, p * q, net));
            }
        }
        out = next;
    }
    for (_, _, net) in &mut out {
        net.preconditions.retain(|p| !p.id.is_empty());
    }
    out
}

/// Whether a network can be scheduled (brute force over the horizon) and
/// how many deadlock cycles it has (plain depth-first search).
fn brute_verdict(net: &ProcessNetwork) -> (bool, usize) {
    let cons = constraints(net);
    let w = weight_bound(&cons);
    let consistent = brute_windows(net.milestones.len() + 1, &cons, 0, w, true).is_some();
    (consistent, brute_cycles(net, &cons).len())
}

proptest! {
    #![proptest_config(config())]

    /// Exact probabilities of the precondition readings analysis equal the
    /// enumeration of every combination, each network decided by brute
    /// force; a cycle's probability is the mass of the combinations that
    /// list it.
    #[test]
    fn precondition_readings_match_enumeration(sc in readings_scenario()) {
        let opts = accord::process::ProcessReadingsOptions {
            list_limit: usize::MAX,
            ..Default::default()
        };
        let combos = reading_combinations(&sc);
        let Some(r) = accord::process::analyze_precondition_readings(&sc, &opts) else {
            prop_assert_eq!(combos.len(), 1);
            return Ok(());
        };
        prop_assert!(r.exact);
        prop_assert_eq!(r.combinations as usize, combos.len());
        prop_assert_eq!(r.listed.len(), combos.len());
        let mut p_consistent = 0.0;
        for (choice, p, net) in &combos {
            let got = r.listed.iter().find(|c| &c.choice == choice);
            prop_assert!(got.is_some(), "combination {:?} not listed", choice);
            let got = got.unwrap();
            let (consistent, cycles) = brute_verdict(net);
            prop_assert!((got.probability - p).abs() < 1e-12);
            prop_assert_eq!(got.consistent, consistent, "{:?}", choice);
            prop_assert_eq!(got.deadlocks.len(), cycles, "{:?}", choice);
            if consistent {
                p_consistent += p;
            }
        }
        prop_assert!((r.p_consistent - p_consistent).abs() < 1e-9);
        let total: f64 = r.listed.iter().map(|c| c.probability).sum();
        prop_assert!((total - 1.0).abs() < 1e-9);
        // Robust: in every combination where each precondition holds,
        // firmness aside: those of the same readings with every firmness
        // one half (so each reading has a positive probability).
        let mut half = sc.clone();
        for rs in &mut half.precondition_readings {
            if !rs.alternatives.is_empty() || rs.firmness.value < 1.0 {
                rs.firmness = accord::model::Param::new(0.5);
            }
        }
        let half = accord::process::analyze_precondition_readings(&half, &opts).unwrap();
        for d in &r.deadlocks {
            let holding: Vec<_> = r.listed.iter().filter(|c| c.deadlocks.contains(&d.cycle)).collect();
            let mass: f64 = holding.iter().map(|c| c.probability).sum();
            prop_assert!((d.probability - mass).abs() < 1e-9);
            let robust = half
                .listed
                .iter()
                .filter(|c| c.choice.values().all(|v| v != "absent"))
                .all(|c| c.deadlocks.contains(&d.cycle));
            prop_assert_eq!(d.robust, Some(robust));
        }
    }
}

/// Sampled probabilities on a fixed seed: within five standard errors of
/// the exact value always, and inside the stated 95 % Wilson interval for
/// at least nine cases in ten.
#[test]
fn sampled_precondition_readings_lie_within_their_interval() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut cases, mut misses, mut between) = (0, 0, 0);
    let n = 2000;
    for _ in 0..200 {
        let sc = readings_scenario().new_tree(&mut runner).unwrap().current();
        let opts = accord::process::ProcessReadingsOptions::default();
        let Some(exact) = accord::process::analyze_precondition_readings(&sc, &opts) else {
            continue;
        };
        let sampled = accord::process::analyze_precondition_readings(
            &sc,
            &accord::process::ProcessReadingsOptions {
                exact_limit: 0,
                samples: n,
                seed: 11,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(!sampled.exact);
        assert_eq!(sampled.samples, Some(n));
        let p = exact.p_consistent;
        let [lo, hi] = sampled.p_consistent_interval.unwrap();
        assert!(lo <= sampled.p_consistent && sampled.p_consistent <= hi);
        let sd = (p * (1.0 - p) / n as f64).sqrt();
        assert!(
            (sampled.p_consistent - p).abs() <= 5.0 * sd + 1e-12,
            "{p} {}",
            sampled.p_consistent
        );
        if !(lo - 1e-12..=hi + 1e-12).contains(&p) {
            misses += 1;
        }
        between += usize::from(p > 0.0 && p < 1.0);
        cases += 1;
    }
    assert!(cases >= 60, "{cases}");
    assert!(between >= 30, "{between}");
    assert!(misses * 10 <= cases, "{misses} of {cases}");
}

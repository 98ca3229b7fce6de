//! Known-answer cases for the process engine (STN), including the flagship
//! referendum ⇄ ceasefire ⇄ settlement deadlock.

use accord::process::{
    analyze_process, analyze_process_with, Bound, ConstraintKind, Deadline, Milestone,
    MilestoneWindow, Precondition, ProcessLimits, ProcessNetwork, ProcessReport, Timing,
};

fn milestone(id: &str) -> Milestone {
    Milestone {
        id: id.into(),
        name: id.into(),
        when: None,
    }
}

fn pre(id: &str, from: usize, to: usize, owner: &str, timing: Timing) -> Precondition {
    Precondition {
        id: id.into(),
        from,
        to,
        owner: owner.into(),
        rule: format!("rule {id}"),
        source: Some(format!("src-{id}")),
        quote: None,
        assumption: None,
        timing,
        when: None,
    }
}

fn deadline(id: &str, m: usize, before: Option<i64>, after: Option<i64>) -> Deadline {
    Deadline {
        id: id.into(),
        milestone: m,
        not_before_days: before,
        not_after_days: after,
        owner: Some("US".into()),
        rule: format!("rule {id}"),
        source: None,
        quote: None,
        assumption: None,
        when: None,
    }
}

fn window(id: &str, earliest: i64, latest: Option<i64>) -> MilestoneWindow {
    MilestoneWindow {
        milestone: id.into(),
        earliest,
        latest,
    }
}

fn waiver_ids(report: &ProcessReport) -> Vec<Vec<String>> {
    report
        .waivers
        .iter()
        .map(|w| w.waived.iter().map(|c| c.id.clone()).collect())
        .collect()
}

fn cycle_path(report: &ProcessReport, k: usize) -> Vec<String> {
    let edges = &report.deadlocks[k].edges;
    let mut path: Vec<String> = edges.iter().map(|e| e.from.clone()).collect();
    path.push(edges.last().unwrap().to.clone());
    path
}

/// A → B at least 5 days; C within 10 days after B; A not before day 3;
/// C by day 30. By hand: earliest A=3, B=8, C=8; latest A=25, B=30, C=30.
#[test]
fn chain_with_deadlines_by_hand() {
    let net = ProcessNetwork {
        milestones: vec![milestone("a"), milestone("b"), milestone("c")],
        preconditions: vec![
            pre("P1", 0, 1, "UA", Timing::AtLeast(5)),
            pre("P2", 1, 2, "RU", Timing::Within(10)),
        ],
        deadlines: vec![
            deadline("D1", 0, Some(3), None),
            deadline("D2", 2, None, Some(30)),
        ],
    };
    let r = analyze_process(&net);
    assert!(r.consistent);
    assert_eq!(
        r.schedule,
        vec![
            window("a", 3, Some(25)),
            window("b", 8, Some(30)),
            window("c", 8, Some(30))
        ]
    );
    assert!(r.deadlocks.is_empty() && r.waivers.is_empty());
    // b and c tie at day 8: both are final.
    let finals: Vec<&str> = r
        .critical_paths
        .iter()
        .map(|c| c.milestone.as_str())
        .collect();
    assert_eq!(finals, ["b", "c"]);
    let ids: Vec<&str> = r.critical_paths[1]
        .steps
        .iter()
        .map(|s| s.constraint.id.as_str())
        .collect();
    assert_eq!(ids, ["D1", "P1", "P2"]);
    let lags: i64 = r.critical_paths[1].steps.iter().map(|s| -s.weight).sum();
    assert_eq!(lags, 8);
}

/// Without deadlines nothing bounds the latest day; `Between` bounds both.
#[test]
fn unbounded_latest_and_between() {
    let net = ProcessNetwork {
        milestones: vec![milestone("a"), milestone("b"), milestone("c")],
        preconditions: vec![
            pre("P1", 0, 1, "UA", Timing::Between(2, 4)),
            pre("P2", 2, 1, "EU", Timing::Held(7)),
        ],
        deadlines: vec![deadline("D1", 1, None, Some(9))],
    };
    let r = analyze_process(&net);
    assert!(r.consistent);
    // b ≥ c + 7 ≥ 7; a ∈ [b − 4, b − 2]; b ≤ 9.
    assert_eq!(
        r.schedule,
        vec![
            window("a", 3, Some(7)),
            window("b", 7, Some(9)),
            window("c", 0, Some(2))
        ]
    );
    let steps = &r.critical_paths[0].steps;
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].constraint.kind, ConstraintKind::Floor);
    assert_eq!(steps[1].constraint.id, "P2");

    let free = ProcessNetwork {
        deadlines: vec![],
        ..net
    };
    let r = analyze_process(&free);
    assert_eq!(r.schedule[1], window("b", 7, None));
}

/// x → y → z → x, each at least one day: a 3-cycle of weight −3.
#[test]
fn three_cycle_deadlock() {
    let net = ProcessNetwork {
        milestones: vec![milestone("x"), milestone("y"), milestone("z")],
        preconditions: vec![
            pre("P1", 0, 1, "UA", Timing::AtLeast(1)),
            pre("P2", 1, 2, "RU", Timing::AtLeast(1)),
            pre("P3", 2, 0, "US", Timing::AtLeast(1)),
        ],
        deadlines: vec![],
    };
    let r = analyze_process(&net);
    assert!(!r.consistent);
    assert!(r.schedule.is_empty() && r.critical_paths.is_empty());
    assert_eq!(r.deadlocks.len(), 1);
    assert_eq!(r.deadlocks[0].total_days, -3);
    // Lower-bound edges run against the precondition: x waits for z, …
    assert_eq!(cycle_path(&r, 0), ["x", "z", "y", "x"]);
    assert!(r.deadlocks[0].edges.iter().all(|e| e.bound == Bound::Lower));
    assert_eq!(waiver_ids(&r), [["P1"], ["P2"], ["P3"]]);
    assert!(!r.deadlocks_truncated && !r.waivers_truncated);
}

/// b at least 10 days after a, but b due by day 5: start → b → a → start.
#[test]
fn deadline_violation() {
    let net = ProcessNetwork {
        milestones: vec![milestone("a"), milestone("b")],
        preconditions: vec![pre("P1", 0, 1, "UA", Timing::AtLeast(10))],
        deadlines: vec![deadline("D1", 1, None, Some(5))],
    };
    let r = analyze_process(&net);
    assert!(!r.consistent);
    assert_eq!(r.deadlocks.len(), 1);
    assert_eq!(r.deadlocks[0].total_days, -5);
    assert_eq!(cycle_path(&r, 0), ["start", "b", "a", "start"]);
    let kinds: Vec<ConstraintKind> = r.deadlocks[0]
        .edges
        .iter()
        .map(|e| e.constraint.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            ConstraintKind::Deadline,
            ConstraintKind::Precondition,
            ConstraintKind::Floor
        ]
    );
    assert_eq!(waiver_ids(&r), [["P1"], ["D1"]]);
    assert_eq!(
        r.waivers[0].schedule,
        vec![window("a", 0, None), window("b", 0, Some(5))]
    );
    assert_eq!(
        r.waivers[1].schedule,
        vec![window("a", 0, None), window("b", 10, None)]
    );
}

/// An empty window (`lo > hi`) is a 2-cycle of one precondition; a
/// positive lag from a milestone to itself is a 1-cycle.
#[test]
fn degenerate_windows() {
    let net = ProcessNetwork {
        milestones: vec![milestone("a"), milestone("b")],
        preconditions: vec![
            pre("P1", 0, 1, "UA", Timing::Between(5, 3)),
            pre("P2", 1, 1, "RU", Timing::AtLeast(1)),
        ],
        deadlines: vec![],
    };
    let r = analyze_process(&net);
    assert!(!r.consistent);
    let sizes: Vec<usize> = r.deadlocks.iter().map(|d| d.edges.len()).collect();
    assert_eq!(sizes, [1, 2]);
    assert_eq!(waiver_ids(&r), [["P1", "P2"]]);
}

/// Truncated cycle enumeration still yields exact minimal waivers.
#[test]
fn truncated_deadlocks_keep_exact_waivers() {
    let net = ProcessNetwork {
        milestones: vec![milestone("x"), milestone("y"), milestone("z")],
        preconditions: vec![
            pre("P1", 0, 1, "UA", Timing::AtLeast(1)),
            pre("P2", 1, 0, "RU", Timing::AtLeast(1)),
            pre("P3", 1, 2, "US", Timing::AtLeast(1)),
            pre("P4", 2, 1, "EU", Timing::AtLeast(1)),
        ],
        deadlines: vec![],
    };
    let full = analyze_process(&net);
    assert_eq!(full.deadlocks.len(), 2);
    assert_eq!(
        waiver_ids(&full),
        [["P1", "P3"], ["P1", "P4"], ["P2", "P3"], ["P2", "P4"]]
    );
    let limits = ProcessLimits {
        max_deadlocks: 1,
        ..ProcessLimits::default()
    };
    let cut = analyze_process_with(&net, &limits);
    assert_eq!(cut.deadlocks.len(), 1);
    assert_eq!(cut.waivers, full.waivers);
    let limits = ProcessLimits {
        cycle_budget: 0,
        ..ProcessLimits::default()
    };
    let none = analyze_process_with(&net, &limits);
    assert!(none.deadlocks.is_empty() && none.deadlocks_truncated);
    assert_eq!(none.waivers, full.waivers);
    let limits = ProcessLimits {
        max_waivers: 2,
        ..ProcessLimits::default()
    };
    let gave_up = analyze_process_with(&net, &limits);
    assert!(gave_up.waivers_truncated && gave_up.waivers.is_empty());
}

/// The flagship process as of 29 Dec 2025 (research P1, P2, P9, P6, P7).
fn flagship() -> ProcessNetwork {
    let quote = |p: &mut Precondition, q: &str| p.quote = Some(q.into());
    let mut p1 = pre("P1", 0, 2, "UA", Timing::Held(60));
    p1.rule = "Referendum on the plan requires >=60-day ceasefire".into();
    quote(&mut p1, "60 days is the minimum time required");
    let mut p2 = pre("P2", 1, 0, "RU", Timing::Never);
    p2.rule = "No temporary ceasefire; comprehensive peace only".into();
    quote(&mut p2, "only leads to a prolongation of the conflict");
    let mut p9 = pre("P9", 2, 1, "UA", Timing::Before);
    p9.rule = "Territory change only by all-Ukrainian referendum".into();
    let p6 = pre("P6", 3, 1, "EU", Timing::Before);
    let ratify = pre("R-US", 4, 3, "US", Timing::Before);
    let p7 = pre("P7", 4, 5, "UA", Timing::Before);
    ProcessNetwork {
        milestones: [
            "ceasefire",
            "settlement",
            "referendum",
            "guarantees",
            "congress",
            "signature",
        ]
        .into_iter()
        .map(milestone)
        .collect(),
        preconditions: vec![p1, p2, p9, p6, ratify, p7],
        deadlines: vec![],
    }
}

#[test]
fn flagship_deadlock_referendum_ceasefire_settlement() {
    let r = analyze_process(&flagship());
    assert!(!r.consistent);
    assert_eq!(r.deadlocks.len(), 1, "{:#?}", r.deadlocks);
    let d = &r.deadlocks[0];
    assert_eq!(d.total_days, -60);
    // Rooted at its first milestone: ceasefire waits for the settlement
    // (RU), the settlement for the referendum (UA constitution), the
    // referendum for 60 days of ceasefire (UA).
    assert_eq!(
        cycle_path(&r, 0),
        ["ceasefire", "settlement", "referendum", "ceasefire"]
    );
    let ids: Vec<&str> = d.edges.iter().map(|e| e.constraint.id.as_str()).collect();
    assert_eq!(ids, ["P2", "P9", "P1"]);
    let owners: Vec<&str> = d
        .edges
        .iter()
        .map(|e| e.constraint.owner.as_deref().unwrap())
        .collect();
    assert_eq!(owners, ["RU", "UA", "UA"]);
    let weights: Vec<i64> = d.edges.iter().map(|e| e.weight).collect();
    assert_eq!(weights, [0, 0, -60]);
    assert_eq!(d.edges[0].constraint.label, "veto");
    assert_eq!(d.edges[2].constraint.label, "held");
    assert_eq!(
        d.edges[2].constraint.quote.as_deref(),
        Some("60 days is the minimum time required")
    );

    // By hand: any one of the three breaks the cycle; nothing else is in it.
    assert_eq!(waiver_ids(&r), [["P1"], ["P2"], ["P9"]]);
    let earliest =
        |k: usize| -> Vec<i64> { r.waivers[k].schedule.iter().map(|w| w.earliest).collect() };
    // Milestones: ceasefire, settlement, referendum, guarantees, congress, signature.
    assert_eq!(earliest(0), [0, 0, 0, 0, 0, 0]);
    assert_eq!(earliest(1), [0, 60, 60, 0, 0, 0]);
    assert_eq!(earliest(2), [0, 0, 60, 0, 0, 0]);
    assert!(r
        .waivers
        .iter()
        .all(|w| w.schedule.iter().all(|s| s.latest.is_none())));

    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["deadlocks"][0]["edges"][0]["owner"], "RU");
    assert_eq!(json["deadlocks"][0]["edges"][0]["bound"], "lower");
    assert_eq!(json["waivers"][0]["waived"][0]["kind"], "precondition");
}

/// A hypothetical 45-day deadline on the settlement (not in the research)
/// adds a second cycle start → settlement → referendum → ceasefire → start.
#[test]
fn flagship_with_hypothetical_deadline() {
    let mut net = flagship();
    net.deadlines.push(deadline("D45", 1, None, Some(45)));
    let r = analyze_process(&net);
    assert_eq!(r.deadlocks.len(), 2);
    assert_eq!(
        cycle_path(&r, 0),
        ["start", "settlement", "referendum", "ceasefire", "start"]
    );
    assert_eq!(r.deadlocks[0].total_days, -15);
    assert_eq!(
        cycle_path(&r, 1),
        ["ceasefire", "settlement", "referendum", "ceasefire"]
    );
    // Hitting sets of {P1, P9, D45} and {P1, P2, P9}.
    assert_eq!(
        waiver_ids(&r),
        vec![vec!["P1"], vec!["P9"], vec!["P2", "D45"]]
    );
    assert_eq!(r.waivers[2].schedule[2], window("referendum", 60, None));
}

#[test]
fn same_result_on_repeated_runs() {
    let net = flagship();
    assert_eq!(analyze_process(&net), analyze_process(&net));
}

#[test]
#[should_panic(expected = "invalid process network")]
fn bad_index_panics_with_message() {
    let net = ProcessNetwork {
        milestones: vec![milestone("a")],
        preconditions: vec![pre("P1", 0, 3, "UA", Timing::Before)],
        deadlines: vec![],
    };
    let _ = analyze_process(&net);
}

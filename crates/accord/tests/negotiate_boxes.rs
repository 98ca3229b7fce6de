//! Negotiation over a non-linear (hyper-rectangle) domain: the negotiators
//! bargain over levels with box utilities, with results checked by hand and
//! against the box problem's own utility.

use accord::negotiate::*;
use accord::nonlinear::{BoxKind, BoxParty, BoxProblem, WeightedBox};
use accord::NoProgress;
use proptest::prelude::*;

fn include(weight: f64, ranges: Vec<Option<(i64, i64)>>) -> WeightedBox {
    WeightedBox {
        weight,
        ranges,
        kind: BoxKind::Includes,
    }
}

/// Two issues x, y ∈ {0, 1, 2} (nine outcomes, index 3x + y).
///
/// A: 0.6·[x = 2] + 0.4·[y ≥ 1], reservation 0.3.
/// B: 0.7·[x ≤ 1 ∧ y ≤ 1] + 0.3·[x ≠ 0] — the first box couples the two
/// issues, so no additive table can express it — reservation 0.3.
///
/// | (x, y) | A   | B   |
/// |--------|-----|-----|
/// | (0, 0) | 0   | 0.7 |
/// | (0, 1) | 0.4 | 0.7 |
/// | (0, 2) | 0.4 | 0   |
/// | (1, 0) | 0   | 1   |
/// | (1, 1) | 0.4 | 1   |
/// | (1, 2) | 0.4 | 0.3 |
/// | (2, 0) | 0.6 | 0.3 |
/// | (2, 1) | 1   | 0.3 |
/// | (2, 2) | 1   | 0.3 |
fn tiny() -> BoxProblem {
    BoxProblem {
        name: "tiny".into(),
        issues: vec![("x".into(), 0, 2), ("y".into(), 0, 2)],
        parties: vec![
            BoxParty {
                name: "A".into(),
                reservation: 0.3,
                max_utility: 100.0,
                boxes: vec![
                    include(60.0, vec![Some((2, 2)), None]),
                    include(40.0, vec![None, Some((1, 2))]),
                ],
            },
            BoxParty {
                name: "B".into(),
                reservation: 0.3,
                max_utility: 100.0,
                boxes: vec![
                    include(70.0, vec![Some((0, 1)), Some((0, 1))]),
                    WeightedBox {
                        weight: 30.0,
                        ranges: vec![Some((0, 0)), None],
                        kind: BoxKind::Excludes,
                    },
                ],
            },
        ],
    }
}

#[test]
fn two_linear_conceders_agree_where_the_hand_trace_says() {
    // Linear agents (e = 1) with a 3-round deadline aim at 1 − 0.7t, t = 0,
    // ½, 1: targets 1, 0.65, 0.3 for both (best 1, reservation 0.3).
    // Round 0: A offers its lowest-index best (2,1); B (0.3 < 1) rejects
    //   and offers its own, (1,0).
    // Round 1: A (0 < 0.3) rejects and offers the least utility ≥ 0.65,
    //   which is 1 at (2,1) again; B (0.3 < 0.65) rejects and offers the
    //   least ≥ 0.65: 0.7, lowest index (0,0).
    // Round 2: A rejects (0,0) (0, below its reservation) and offers the
    //   least ≥ 0.3: 0.4, lowest index (0,1); B gets 0.7 ≥ 0.3 and accepts.
    let d = Domain::Boxes(tiny());
    let linear = NegotiatorKind::parse("linear").unwrap();
    let settings = Settings {
        rounds: 3,
        ..Settings::default()
    };
    let run = simulate_domain(
        &d,
        Mechanism::Saop,
        &[0, 1],
        &[linear.clone(), linear],
        &settings,
        &NoClock,
    )
    .unwrap();
    assert_eq!(
        run.status,
        Status::Agreement {
            outcome: vec![0, 1]
        }
    );
    assert_eq!(run.rounds, 3);
    assert_eq!(run.utilities, vec![0.4, 0.7]);
    let offers: Vec<Vec<usize>> = run
        .trace
        .iter()
        .filter_map(|e| match &e.action {
            Action::Offer { outcome } => Some(outcome.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        offers,
        vec![vec![2, 1], vec![1, 0], vec![2, 1], vec![0, 0], vec![0, 1]]
    );
    // Values are the issues' integers.
    let v = d.outcome_values(&[0, 1]);
    assert_eq!(v["x"].to_string(), "0");
    assert_eq!(v["y"].to_string(), "1");
}

#[test]
fn a_hardliner_meets_a_nash_seeker_at_its_own_best() {
    // The hard-liner A offers (2,1) every turn and accepts only utility 1.
    // B (nash) concedes from its best towards its utility at the Nash point
    // (1,1) (product (0.4 − 0.3)(1 − 0.3) = 0.07, the largest); that is 1,
    // its best, so it never moves: it offers (1,1) (the Nash product breaks
    // the tie with (1,0)), which A refuses, and the deadline passes.
    let d = Domain::Boxes(tiny());
    let kinds = [
        NegotiatorKind::parse("hardliner").unwrap(),
        NegotiatorKind::parse("nash").unwrap(),
    ];
    let run = simulate_domain(
        &d,
        Mechanism::Saop,
        &[0, 1],
        &kinds,
        &Settings {
            rounds: 5,
            ..Settings::default()
        },
        &NoClock,
    )
    .unwrap();
    assert_eq!(run.status, Status::Deadline);
    assert_eq!(run.utilities, vec![0.3, 0.3]);
    assert!(run.trace.iter().any(|e| e.party == Some(1)
        && e.action
            == Action::Offer {
                outcome: vec![1, 1]
            }));
}

#[test]
fn a_tournament_runs_on_a_box_domain() {
    let entries = [TournamentEntry {
        name: "tiny".into(),
        domain: tiny().into(),
    }];
    let settings = TournamentSettings {
        negotiators: vec![
            NegotiatorKind::parse("linear").unwrap(),
            NegotiatorKind::parse("hardliner").unwrap(),
        ],
        reps: 1,
        run: Settings {
            rounds: 3,
            ..Settings::default()
        },
    };
    let t = tournament(&entries, &settings, &NoProgress).unwrap();
    assert_eq!(t.runs.len(), 4);
    assert_eq!(t.runs[0].parties, vec!["A", "B"]);
    // linear vs linear: the hand-traced agreement (0,1) at (0.4, 0.7). The
    // frontier of the nine outcomes is (1, 0.3), (0.4, 1): (0.4, 0.7) is
    // 0.3 below the second; the Nash point is (1,1) at (0.4, 1).
    let r = &t.runs[0];
    assert_eq!(r.agreement, Some(vec![0, 1]));
    assert!((r.pareto_distance.unwrap() - 0.3).abs() < 1e-12);
    assert!((r.nash_distance.unwrap() - 0.3).abs() < 1e-12);
}

#[test]
fn bad_box_domains_are_refused_before_a_run() {
    let mut p = tiny();
    p.issues[0].2 = 1_000_000;
    let d = Domain::Boxes(p);
    let kinds = vec![NegotiatorKind::parse("linear").unwrap(); 2];
    let e = simulate_domain(
        &d,
        Mechanism::Saop,
        &[0, 1],
        &kinds,
        &Settings::default(),
        &NoClock,
    )
    .unwrap_err();
    assert!(e.to_string().contains("more than 100000 values"), "{e}");
    let e = simulate_domain(
        &Domain::Boxes(tiny()),
        Mechanism::Saop,
        &[0, 2],
        &kinds,
        &Settings::default(),
        &NoClock,
    )
    .unwrap_err();
    assert!(e.to_string().contains("party 2 does not exist"), "{e}");
}

proptest! {
    /// A party's view over levels gives the box problem's own utility, bit
    /// for bit, on every outcome of random problems.
    #[test]
    fn level_utilities_match_the_problem(
        lows in prop::collection::vec(-3i64..3, 1..4),
        spans in prop::collection::vec(0i64..4, 4),
        boxes in prop::collection::vec(
            (-5i32..20, prop::collection::vec((0i64..5, 0i64..5, any::<bool>()), 4), any::<bool>()),
            1..5,
        ),
    ) {
        let issues: Vec<(String, i64, i64)> = lows
            .iter()
            .zip(&spans)
            .enumerate()
            .map(|(k, (&lo, &s))| (format!("i{k}"), lo, lo + s))
            .collect();
        let n = issues.len();
        let party = BoxParty {
            name: "p".into(),
            reservation: 0.0,
            max_utility: 10.0,
            boxes: boxes
                .iter()
                .map(|(w, rs, inc)| WeightedBox {
                    weight: *w as f64,
                    ranges: rs[..n]
                        .iter()
                        .zip(&lows)
                        .map(|(&(a, b, any), &lo)| {
                            (!any).then_some((lo + a.min(b) - 1, lo + a.max(b) - 1))
                        })
                        .collect(),
                    kind: if *inc { BoxKind::Includes } else { BoxKind::Excludes },
                })
                .collect(),
        };
        let p = BoxProblem { name: "r".into(), issues, parties: vec![party.clone(), party] };
        let d = Domain::Boxes(p.clone());
        let own = d.own(0);
        for x in d.space().iter() {
            let values = p.values(&x);
            prop_assert_eq!(own.utility(&x).to_bits(), p.parties[0].utility(&values).to_bits());
        }
    }
}

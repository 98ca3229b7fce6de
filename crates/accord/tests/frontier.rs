//! The issue-by-issue frontier of additive spaces checked bit for bit
//! against the scan's streamed frontier on random many-party domains.
//!
//! A scenario with only single-issue rules gets its frontiers issue by
//! issue; adding a feasibility rule over two issues that always holds
//! leaves the outcomes unchanged but sends the frontiers through the
//! streamed per-chunk frontier instead. Both must list the same outcomes
//! with the same utility bits.

use accord::model::*;
use accord::{analyze, Analysis, AnalyzeOptions, Method, NoProgress};

mod common;
use common::{random_actors, random_issues, random_prefs, Gen};

/// A rule over issues 0 and 1 that every outcome satisfies.
fn always(issues: &[Issue]) -> Expr {
    let all = |ix: usize| {
        Expr::Atom(Atom {
            issue: ix,
            op: CmpOp::In,
            rhs: Rhs::Set(
                (0..issues[ix].levels())
                    .map(|l| issues[ix].scalar(l))
                    .collect(),
            ),
        })
    };
    Expr::Or(vec![all(0), all(1)])
}

/// A red line keeping issue `ix` off one level.
fn not_level(issues: &[Issue], ix: usize, level: usize) -> Expr {
    Expr::Atom(Atom {
        issue: ix,
        op: CmpOp::Ne,
        rhs: match issues[ix].kind {
            IssueKind::Options { .. } => Rhs::Option(level),
            IssueKind::Numeric { .. } => Rhs::Number(issues[ix].scalar(level)),
        },
    })
}

/// 2–6 parties on 2–6 issues, values on a 1/20 grid (ties, and sums equal
/// up to rounding), some table values -0.0, single-issue red lines and
/// reservations.
fn random_scenario(seed: u64) -> Scenario {
    let mut g = Gen(seed);
    let n_actors = 2 + g.below(5);
    let n_issues = 2 + g.below(5);
    let issues = random_issues(&mut g, n_issues, 3);
    let preferences: Vec<Preference> = (0..n_actors)
        .map(|_| {
            let mut prefs = random_prefs(&mut g, &issues);
            for p in &mut prefs {
                if let ValueFn::Table { values } = &mut p.value {
                    for v in values.iter_mut() {
                        if *v == 0.0 && g.below(2) == 0 {
                            *v = -0.0;
                        }
                    }
                }
            }
            Preference {
                reservation: Param::new(g.unit() * 0.4),
                issues: prefs,
            }
        })
        .collect();
    let red_lines = (0..g.below(4))
        .map(|k| {
            let ix = g.below(n_issues);
            let level = g.below(issues[ix].levels());
            RedLine {
                id: format!("r{k}"),
                actor: g.below(n_actors),
                rule: not_level(&issues, ix, level),
                provenance: Provenance::default(),
            }
        })
        .collect();
    Scenario {
        id: format!("frontier-{seed}"),
        title: String::new(),
        as_of: "2025-01-01".into(),
        description: String::new(),
        sources: vec![],
        actors: random_actors(n_actors),
        issues,
        preferences,
        red_lines,
        feasibility: Vec::new(),
        ratifiers: Vec::new(),
        process: Default::default(),
        decided_by: Vec::new(),
        readings: Vec::new(),
        precondition_readings: Vec::new(),
        reservation_steps: Vec::new(),
    }
}

/// Outcome indices and utility bits of both frontiers.
type Bits = Vec<(u64, Vec<u64>)>;

fn fronts(an: &Analysis) -> (Bits, Bits) {
    let bits = |ps: &accord::Points| -> Bits {
        ps.iter()
            .map(|p| (p.index, p.utilities.values().map(|u| u.to_bits()).collect()))
            .collect()
    };
    (
        bits(&an.pareto),
        bits(an.pareto_all.as_ref().expect("asked for")),
    )
}

#[test]
fn issue_by_issue_matches_the_streamed_frontier() {
    let opts = AnalyzeOptions {
        pareto_all: true,
        method: Method::Enumerate,
        ..Default::default()
    };
    let mut nonempty = 0;
    for seed in 0..400 {
        let sc = random_scenario(seed);
        let mut coupled = sc.clone();
        coupled.feasibility.push(Feasibility {
            id: "always".into(),
            rule: always(&sc.issues),
            provenance: Provenance::default(),
        });
        let new = analyze(&sc, &opts, &NoProgress).expect("analysis");
        let old = analyze(&coupled, &opts, &NoProgress).expect("analysis");
        let (zn, an) = fronts(&new);
        let (zo, ao) = fronts(&old);
        assert_eq!(zn, zo, "ZOPA frontier, seed {seed}");
        assert_eq!(an, ao, "whole-space frontier, seed {seed}");
        nonempty += usize::from(!zn.is_empty());
    }
    // The ZOPA is empty on some seeds, not on most.
    assert!(nonempty > 200, "{nonempty} non-empty ZOPA frontiers");
}

/// An option issue with two levels.
fn two_levels(id: &str) -> Issue {
    Issue {
        id: id.into(),
        name: id.into(),
        kind: IssueKind::Options {
            options: ["a", "b"]
                .iter()
                .map(|o| OptionDef {
                    id: (*o).into(),
                    label: (*o).into(),
                })
                .collect(),
            ordered: false,
        },
    }
}

/// A preference from per-issue weights and two-level value tables.
fn pref(weights: [f64; 3], values: [[f64; 2]; 3]) -> Preference {
    Preference {
        reservation: Param::new(0.0),
        issues: weights
            .iter()
            .zip(values)
            .map(|(&w, v)| IssuePref {
                weight: Param::new(w),
                value: ValueFn::Table { values: v.to_vec() },
                stance: None,
                provenance: Provenance::default(),
            })
            .collect(),
    }
}

#[test]
fn a_prefix_ahead_by_one_rounding_step_does_not_drop_a_final_tie() {
    // A's terms: issue 0 gives 0.1 or 0.3, issue 1 gives 0.2 or 0.0, issue
    // 2 gives 0.25 either way. After two issues (a, a) sums to
    // 0.30000000000000004 and (b, b) to 0.3, one rounding step apart; adding
    // 0.25 rounds both to 0.55. B gets 0.5 from both, so they tie and both
    // stay: every one of the 8 outcomes is on the frontier ((b, a) is best
    // for A at 0.75, (a, b) for B at 1.0).
    let sc = Scenario {
        id: "near-tie".into(),
        title: String::new(),
        as_of: "2025-01-01".into(),
        description: String::new(),
        sources: vec![],
        actors: random_actors(2),
        issues: vec![two_levels("x"), two_levels("y"), two_levels("z")],
        preferences: vec![
            pref([0.5, 0.25, 0.25], [[0.2, 0.6], [0.8, 0.0], [1.0, 1.0]]),
            pref([0.5, 0.5, 0.0], [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]),
        ],
        red_lines: Vec::new(),
        feasibility: Vec::new(),
        ratifiers: Vec::new(),
        process: Default::default(),
        decided_by: Vec::new(),
        readings: Vec::new(),
        precondition_readings: Vec::new(),
        reservation_steps: Vec::new(),
    };
    let opts = AnalyzeOptions {
        pareto_all: true,
        method: Method::Enumerate,
        ..Default::default()
    };
    let an = analyze(&sc, &opts, &NoProgress).expect("analysis");
    let idx: Vec<u64> = an.pareto.iter().map(|p| p.index).collect();
    assert_eq!(idx, (0..8).collect::<Vec<u64>>());
    let pareto = an.pareto.to_vec();
    assert_eq!(pareto[0].utilities["A0"], 0.55);
    assert_eq!(pareto[6].utilities["A0"], 0.55);
    // Outcome 6 is (b, b, a): A gets 0.6·0.5 + 0 + 0.25, B gets 0.5.
    assert_eq!(
        serde_json::to_value(&an.pareto).expect("json")[6],
        serde_json::json!({
            "index": 6,
            "outcome": {"x": "b", "y": "b", "z": "a"},
            "utilities": {"A0": 0.55, "A1": 0.5}
        })
    );
    assert_eq!(fronts(&an).1, fronts(&an).0);
}

#[test]
fn frontier_points_serialise_as_the_list_of_points_they_stand_for() {
    // The frontiers are kept as indices and utilities; the document must
    // not change: the same JSON as the `Vec<Point>` they expand to, on
    // domains with option and numeric issues (and empty frontiers).
    let opts = AnalyzeOptions {
        pareto_all: true,
        method: Method::Enumerate,
        ..Default::default()
    };
    for seed in 0..60 {
        let an = analyze(&random_scenario(seed), &opts, &NoProgress).expect("analysis");
        for ps in [&an.pareto, an.pareto_all.as_ref().expect("asked for")] {
            let list = ps.to_vec();
            assert_eq!(list.len(), ps.len());
            assert_eq!(
                serde_json::to_string_pretty(ps).expect("json"),
                serde_json::to_string_pretty(&list).expect("json"),
                "seed {seed}"
            );
            for (row, p) in list.iter().enumerate() {
                assert_eq!(p.index, ps.indices()[row]);
                assert_eq!(
                    p.utilities.values().copied().collect::<Vec<_>>(),
                    ps.utilities(row)
                );
                assert_eq!(ps.get(row).as_ref(), Some(p));
            }
            assert_eq!(ps.get(ps.len()), None);
        }
    }
}

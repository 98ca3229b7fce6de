//! `Scenario::check` refuses what would make an analysis panic, overflow
//! or answer wrongly: each case reproduces a reported failure.

use accord::model::*;
use accord::process::{Milestone, Precondition, Timing};
use accord::{analyze, AnalyzeOptions, NoProgress};

mod common;
use common::{random_actors, random_issues, random_prefs, Gen};

/// A small valid scenario: two actors, two issues, no constraints.
fn base() -> Scenario {
    let mut g = Gen(7);
    let issues = random_issues(&mut g, 2, 3);
    let preferences = (0..2)
        .map(|_| Preference {
            reservation: Param::new(0.1),
            issues: random_prefs(&mut g, &issues),
        })
        .collect();
    Scenario {
        id: "base".into(),
        title: String::new(),
        as_of: "2025-01-01".into(),
        description: String::new(),
        sources: vec![],
        actors: random_actors(2),
        issues,
        preferences,
        red_lines: vec![],
        feasibility: vec![],
        ratifiers: vec![],
        process: Default::default(),
        decided_by: Vec::new(),
        readings: Vec::new(),
        precondition_readings: Vec::new(),
        reservation_steps: Vec::new(),
    }
}

#[test]
fn level_counts_never_overflow() {
    // Hand-checked small cases first: 0..10 by 1 has 11 values; by 3 it has
    // 0, 3, 6, 9 and the end 10.
    assert_eq!(numeric_levels(0.0, 10.0, 1.0), 11);
    assert_eq!(numeric_levels(0.0, 10.0, 3.0), 5);
    // Regression: these wrapped to a handful of levels (or panicked in a
    // debug build) instead of saturating.
    assert_eq!(numeric_levels(0.0, 10.0, 1e-300), usize::MAX);
    assert_eq!(numeric_levels(-1e308, 1e308, 1.0), usize::MAX);
    assert_eq!(numeric_levels(0.0, 1e300, 1.0), usize::MAX);
}

#[test]
fn check_refuses_an_issue_with_too_many_values() {
    for (min, max, step) in [
        (0.0, 10.0, 1e-300),
        (-1e308, 1e308, 1.0),
        (0.0, 100_000.0, 1.0),
    ] {
        let mut sc = base();
        sc.issues[0].kind = IssueKind::Numeric {
            min,
            max,
            step,
            unit: String::new(),
        };
        let err = sc.check().unwrap_err().to_string();
        assert!(err.contains("more than 100000 values"), "{err}");
    }
}

#[test]
fn check_validates_the_process_network() {
    let mut sc = base();
    sc.process.milestones = vec![Milestone {
        id: "a".into(),
        name: "a".into(),
        when: None,
    }];
    sc.process.preconditions = vec![Precondition {
        id: "P1".into(),
        from: 0,
        to: 3,
        owner: "x".into(),
        rule: String::new(),
        source: None,
        quote: None,
        assumption: None,
        timing: Timing::Before,
        when: None,
    }];
    // Regression: analyze_process indexed milestone 3 and panicked on a
    // scenario that had passed the check.
    let err = sc.check().unwrap_err().to_string();
    assert!(
        err.contains("preconditions[0].to refers to milestone index 3"),
        "{err}"
    );
    assert!(analyze(&sc, &AnalyzeOptions::default(), &NoProgress).is_err());
}

#[test]
fn check_refuses_rules_nested_too_deeply() {
    let atom = || {
        Expr::Atom(Atom {
            issue: 0,
            op: CmpOp::Ne,
            rhs: Rhs::Option(0),
        })
    };
    let nest = |depth: usize| {
        let mut e = atom();
        for _ in 1..depth {
            e = Expr::Not(Box::new(e));
        }
        e
    };
    assert_eq!(nest(MAX_EXPR_DEPTH).depth(), MAX_EXPR_DEPTH);
    let mut sc = base();
    sc.issues[0].kind = IssueKind::Options {
        options: vec![
            OptionDef {
                id: "a".into(),
                label: "a".into(),
            },
            OptionDef {
                id: "b".into(),
                label: "b".into(),
            },
        ],
        ordered: false,
    };
    sc.feasibility = vec![Feasibility {
        id: "f".into(),
        rule: nest(MAX_EXPR_DEPTH),
        provenance: Provenance::default(),
    }];
    assert!(sc.check().is_ok());
    sc.feasibility[0].rule = nest(1_000);
    let err = sc.check().unwrap_err().to_string();
    assert!(err.contains("nests deeper than 256 levels"), "{err}");
}

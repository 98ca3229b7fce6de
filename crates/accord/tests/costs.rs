//! Cost-weighted relaxations, the relaxation cap and near misses, on
//! scenarios small enough to work out by hand; and the search path's answer
//! when it cannot try every subset of soft constraints.

use accord::model::*;
use accord::{analyze, AnalyzeOptions, Method, NoProgress};

fn issue_x() -> Issue {
    Issue {
        id: "x".into(),
        name: "x".into(),
        kind: IssueKind::Options {
            options: ["a", "b", "c"]
                .iter()
                .map(|o| OptionDef {
                    id: o.to_string(),
                    label: o.to_string(),
                })
                .collect(),
            ordered: false,
        },
    }
}

fn source(id: &str, grade: Grade) -> Source {
    Source {
        id: id.into(),
        title: id.into(),
        date: None,
        url: None,
        grade,
    }
}

fn line(id: &str, actor: usize, rule: Expr, e: Entrenchment, src: Option<&str>) -> RedLine {
    RedLine {
        id: id.into(),
        actor,
        rule,
        provenance: Provenance {
            source: src.map(String::from),
            entrenchment: Some(e),
            ..Default::default()
        },
    }
}

fn ne(level: usize) -> Expr {
    Expr::Atom(Atom {
        issue: 0,
        op: CmpOp::Ne,
        rhs: Rhs::Option(level),
    })
}

/// One unordered issue x ∈ {a, b, c}; P holds `x != a` (constitutional,
/// reported source: 8 × 1) and `x != c` (legal, partisan source: 5 × 0.75 =
/// 3.75); Q holds `x != b` twice (a stated cost 1; anonymous, reported
/// source: 1 × 1). So a breaks {p1}, b breaks {q1, q2}, c breaks {p2}: the
/// fewest-constraints relaxations are {p1} and {p2}, the cheapest {q1, q2}
/// at 2.
fn priced() -> Scenario {
    let pref = |values: Vec<f64>| Preference {
        reservation: Param::new(0.0),
        issues: vec![IssuePref {
            weight: Param::new(1.0),
            value: ValueFn::Table { values },
            stance: None,
            provenance: Provenance::default(),
        }],
    };
    Scenario {
        id: "priced".into(),
        title: String::new(),
        as_of: "2025-01-01".into(),
        description: String::new(),
        sources: vec![
            source("wire", Grade::Reported),
            source("tv", Grade::Partisan),
        ],
        actors: ["P", "Q"]
            .iter()
            .map(|a| Actor {
                id: a.to_string(),
                name: a.to_string(),
                power: Param::new(1.0),
            })
            .collect(),
        issues: vec![issue_x()],
        preferences: vec![pref(vec![0.2, 1.0, 0.6]), pref(vec![1.0, 0.2, 0.5])],
        red_lines: vec![
            line("p1", 0, ne(0), Entrenchment::Constitutional, Some("wire")),
            line("p2", 0, ne(2), Entrenchment::Legal, Some("tv")),
            line("q1", 1, ne(1), Entrenchment::Cost(1.0), None),
            line("q2", 1, ne(1), Entrenchment::Anonymous, Some("wire")),
        ],
        feasibility: vec![],
        ratifiers: vec![],
        process: Default::default(),
        readings: Vec::new(),
        precondition_readings: Vec::new(),
        reservation_steps: Vec::new(),
        decided_by: vec![],
    }
}

fn ids(drop: &[accord::ConstraintRef]) -> Vec<&str> {
    drop.iter().map(|c| c.id.as_str()).collect()
}

#[test]
fn cheapest_relaxation_is_not_the_smallest() {
    let an = analyze(&priced(), &AnalyzeOptions::default(), &NoProgress).unwrap();
    assert_eq!(an.zopa.size, 0);
    let fewest: Vec<Vec<&str>> = an.relaxations.iter().map(|r| ids(&r.drop)).collect();
    assert_eq!(fewest, vec![vec!["p1"], vec!["p2"], vec!["q1", "q2"]]);
    assert!(!an.relaxations_truncated);
    assert_eq!(an.cheapest_relaxations.len(), 1);
    let c = &an.cheapest_relaxations[0];
    assert_eq!(c.cost, 2.0);
    assert_eq!(ids(&c.relaxation.drop), vec!["q1", "q2"]);
    assert_eq!(c.relaxation.zopa_size, 1);
    // It opens b, where P gets 1.0 and Q 0.2: Nash product 0.2.
    let nash = c.relaxation.nash.as_ref().unwrap();
    assert_eq!(nash.point.index, 1);
    assert!((nash.score - 0.2).abs() < 1e-12);
}

#[test]
fn the_cap_keeps_the_smallest_then_cheapest() {
    let opts = AnalyzeOptions {
        max_relaxations: 1,
        ..Default::default()
    };
    let an = analyze(&priced(), &opts, &NoProgress).unwrap();
    assert!(an.relaxations_truncated);
    // {p1} and {p2} are both smallest; {p2} costs 3.75 < 8.
    let kept: Vec<Vec<&str>> = an.relaxations.iter().map(|r| ids(&r.drop)).collect();
    assert_eq!(kept, vec![vec!["p2"]]);
    let json = serde_json::to_value(&an).unwrap();
    assert_eq!(json["relaxations_truncated"], true);
}

#[test]
fn near_misses_rank_by_shortfall_and_say_who_gives_what() {
    let an = analyze(&priced(), &AnalyzeOptions::default(), &NoProgress).unwrap();
    let got: Vec<(u64, f64)> = an
        .near_misses
        .iter()
        .map(|m| (m.point.index, m.shortfall))
        .collect();
    // b breaks q1 + q2 (2), c breaks p2 (3.75), a breaks p1 (8).
    assert_eq!(got, vec![(1, 2.0), (2, 3.75), (0, 8.0)]);
    let b = &an.near_misses[0];
    assert_eq!(b.gives.len(), 1);
    assert_eq!(b.gives[0].actor, "Q");
    assert_eq!(b.gives[0].breaks, vec!["q1", "q2"]);
    assert_eq!(b.gives[0].below_reservation, 0.0);
}

#[test]
fn without_entrenchment_no_cheapest_list_and_reservations_count_in_shortfall() {
    let mut sc = priced();
    for r in &mut sc.red_lines {
        r.provenance.entrenchment = None;
    }
    sc.preferences[1].reservation = Param::new(0.5);
    let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    assert!(an.cheapest_relaxations.is_empty());
    // Default costs: reported level (2) × grade factor: p1 wire 2, p2 tv
    // 1.5, q1 no source 1, q2 wire 2. Q's reservation 0.5: a gives it 1.0,
    // b 0.2 (0.3 short), c 0.5.
    let got: Vec<(u64, f64)> = an
        .near_misses
        .iter()
        .map(|m| (m.point.index, m.shortfall))
        .collect();
    assert_eq!(got, vec![(2, 1.5), (0, 2.0), (1, 3.0 + (0.5 - 0.2))]);
}

#[test]
fn search_past_the_subset_limit_reports_no_empty_blocker_and_an_infinite_gap() {
    // 17 red lines on one issue, none satisfiable together: no deal, and
    // the search path will not try 2^19 subsets.
    let mut sc = priced();
    sc.red_lines = (0..17)
        .map(|k| RedLine {
            id: format!("r{k}"),
            actor: k % 2,
            rule: ne(k % 3),
            provenance: Provenance::default(),
        })
        .collect();
    let opts = AnalyzeOptions {
        method: Method::Search,
        ..Default::default()
    };
    let an = analyze(&sc, &opts, &NoProgress).unwrap();
    assert_eq!(an.zopa.size, 0);
    assert!(an.blockers.is_empty(), "no unproven (empty) blocking set");
    assert!(an.relaxations.is_empty());
    assert!(!an.exact);
    assert_eq!(an.gap, Some(f64::INFINITY));
    let json = serde_json::to_value(&an).unwrap();
    assert_eq!(json["gap"], "inf");
}

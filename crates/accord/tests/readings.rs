//! Readings and firmness checked against a direct enumeration: every
//! combination of readings rewritten into a plain scenario and analysed on
//! its own, on random small scenarios with a fixed seed.

use accord::model::*;
use accord::process::{Milestone, Precondition, ProcessNetwork, Timing};
use accord::readings::{ReadingsOptions, ReadingsReport, ABSENT};
use accord::{
    analyze, analyze_readings, analyze_with_readings, AnalyzeOptions, ConstraintKind, NoProgress,
};
use indexmap::IndexMap;
use std::collections::BTreeSet;

mod common;
use common::{random_actors, random_issues, random_prefs, Gen};

fn random_atom(g: &mut Gen, issues: &[Issue]) -> Expr {
    let ix = g.below(issues.len());
    let issue = &issues[ix];
    let n = issue.levels();
    let ops: &[CmpOp] = if issue.is_ordered() {
        &[CmpOp::Eq, CmpOp::Ne, CmpOp::Le, CmpOp::Ge]
    } else {
        &[CmpOp::Eq, CmpOp::Ne]
    };
    let op = ops[g.below(ops.len())];
    let rhs = match issue.kind {
        IssueKind::Options { .. } => Rhs::Option(g.below(n)),
        IssueKind::Numeric { .. } => Rhs::Number(issue.scalar(g.below(n))),
    };
    Expr::Atom(Atom { issue: ix, op, rhs })
}

fn random_rule(g: &mut Gen, issues: &[Issue]) -> Expr {
    match g.below(4) {
        0 => Expr::Or(vec![random_atom(g, issues), random_atom(g, issues)]),
        1 => Expr::And(vec![random_atom(g, issues), random_atom(g, issues)]),
        _ => random_atom(g, issues),
    }
}

/// Two milestones whose order depends on the deal, so some outcomes
/// deadlock: the implementable path.
fn random_process(g: &mut Gen, issues: &[Issue]) -> ProcessNetwork {
    let pre = |id: &str, from, to, when| Precondition {
        id: id.into(),
        from,
        to,
        owner: "A0".into(),
        rule: id.into(),
        source: None,
        quote: None,
        assumption: None,
        timing: Timing::Before,
        when,
    };
    ProcessNetwork {
        milestones: (0..2)
            .map(|i| Milestone {
                id: format!("m{i}"),
                name: format!("m{i}"),
                when: None,
            })
            .collect(),
        preconditions: vec![
            pre("p0", 0, 1, None),
            pre("p1", 1, 0, Some(random_atom(g, issues))),
        ],
        deadlines: Vec::new(),
    }
}

fn random_scenario(seed: u64) -> Scenario {
    let mut g = Gen(seed);
    let n_actors = 2 + g.below(2);
    let n_issues = 1 + g.below(3);
    let issues = random_issues(&mut g, n_issues, 3);
    let preferences = (0..n_actors)
        .map(|_| Preference {
            reservation: Param::new(g.unit() * 0.5),
            issues: random_prefs(&mut g, &issues),
        })
        .collect();
    let red_lines: Vec<RedLine> = (0..1 + g.below(4))
        .map(|k| RedLine {
            id: format!("r{k}"),
            actor: g.below(n_actors),
            rule: random_rule(&mut g, &issues),
            provenance: Provenance::default(),
        })
        .collect();
    let mut readings = Vec::new();
    for k in 0..red_lines.len() {
        if g.below(3) == 0 {
            continue;
        }
        let weights = [0.5, 1.0, 2.0];
        readings.push(Readings {
            red_line: k,
            default_name: "strict".into(),
            default_weight: weights[g.below(3)],
            alternatives: (0..g.below(3))
                .map(|j| Reading {
                    name: format!("alt{j}"),
                    rule: random_rule(&mut g, &issues),
                    weight: weights[g.below(3)],
                    grade: None,
                    note: None,
                    provenance: Provenance::default(),
                })
                .collect(),
            firmness: Param::new([1.0, 1.0, 0.75, 0.3, 0.0][g.below(5)]),
        });
    }
    let process = if g.below(3) == 0 {
        random_process(&mut g, &issues)
    } else {
        ProcessNetwork::default()
    };
    Scenario {
        id: format!("readings-{seed}"),
        actors: random_actors(n_actors),
        issues,
        preferences,
        red_lines,
        process,
        readings,
        ..Default::default()
    }
}

/// Every combination with its probability and the plain scenario it
/// amounts to (an absent red line becomes a rule that always holds).
fn combinations(sc: &Scenario) -> Vec<(IndexMap<String, String>, f64, Scenario)> {
    let mut out = vec![(IndexMap::new(), 1.0, sc.clone())];
    for rs in &sc.readings {
        if rs.alternatives.is_empty() && rs.firmness.value >= 1.0 {
            continue;
        }
        let id = sc.red_lines[rs.red_line].id.clone();
        let mut probs = rs.probabilities();
        probs.push(1.0 - rs.firmness.value);
        let names: Vec<String> = rs.names().into_iter().map(String::from).collect();
        let mut next = Vec::new();
        for (choice, p, s) in &out {
            for (k, &q) in probs.iter().enumerate() {
                if q <= 0.0 {
                    continue;
                }
                let mut s = s.clone();
                let mut choice = choice.clone();
                s.red_lines[rs.red_line].rule = match k {
                    0 => sc.red_lines[rs.red_line].rule.clone(),
                    k if k <= rs.alternatives.len() => rs.alternatives[k - 1].rule.clone(),
                    _ => Expr::True,
                };
                choice.insert(
                    id.clone(),
                    names.get(k).cloned().unwrap_or_else(|| ABSENT.into()),
                );
                next.push((choice, p * q, s));
            }
        }
        out = next;
    }
    for (_, _, s) in &mut out {
        s.readings.clear();
    }
    out
}

/// Whether a plain scenario has a deal, and its blockers as labels.
fn oracle(s: &Scenario, choice: &IndexMap<String, String>) -> (bool, BTreeSet<BTreeSet<String>>) {
    let an = analyze(s, &AnalyzeOptions::default(), &NoProgress).unwrap();
    let deal = match &an.zopa.implementable {
        Some(i) => i.size > 0,
        None => an.zopa.size > 0,
    };
    let blockers = an
        .blockers
        .iter()
        .map(|b| {
            b.iter()
                .map(|c| match (c.kind, choice.get(&c.id)) {
                    (ConstraintKind::RedLine, Some(r)) => format!("{}[{r}]", c.id),
                    (ConstraintKind::Reservation, _) => format!("{}.reservation", c.actor),
                    _ => c.id.clone(),
                })
                .collect()
        })
        .collect();
    (deal, blockers)
}

fn report(sc: &Scenario, opts: &ReadingsOptions) -> ReadingsReport {
    analyze_readings(sc, opts, &NoProgress)
        .unwrap()
        .expect("the scenario has readings")
}

fn has_readings(sc: &Scenario) -> bool {
    sc.readings
        .iter()
        .any(|r| !r.alternatives.is_empty() || r.firmness.value < 1.0)
}

#[test]
fn one_scan_gives_both_answers_of_the_two_functions() {
    // `analyze_with_readings` decides the readings in the analysis's own
    // scan: both halves must equal the separate functions' answers.
    let opts = ReadingsOptions {
        list_limit: usize::MAX,
        ..Default::default()
    };
    let mut folded = 0;
    for seed in 0..150u64 {
        let sc = random_scenario(seed);
        let ao = AnalyzeOptions::default();
        let (an, r) = analyze_with_readings(&sc, &ao, &opts, &NoProgress).unwrap();
        assert_eq!(an, analyze(&sc, &ao, &NoProgress).unwrap(), "seed {seed}");
        let alone = analyze_readings(&sc, &opts, &NoProgress).unwrap();
        folded += usize::from(alone.is_some());
        assert_eq!(r.unwrap(), alone, "seed {seed}");
    }
    assert!(folded > 50, "only {folded} scenarios with readings");
}

#[test]
fn exact_probabilities_equal_the_enumeration() {
    let opts = ReadingsOptions {
        list_limit: usize::MAX,
        ..Default::default()
    };
    let mut checked = 0;
    let mut with_deal = 0;
    let mut with_process = 0;
    for seed in 0..150u64 {
        let sc = random_scenario(seed);
        if !has_readings(&sc) {
            assert!(analyze_readings(&sc, &opts, &NoProgress).unwrap().is_none());
            continue;
        }
        let r = report(&sc, &opts);
        assert!(r.exact);
        let combos = combinations(&sc);
        assert_eq!(r.combinations as usize, combos.len(), "seed {seed}");
        assert_eq!(r.listed.len(), combos.len(), "seed {seed}");
        let mut p_deal = 0.0;
        for (choice, p, s) in &combos {
            let (deal, blockers) = oracle(s, choice);
            if deal {
                p_deal += p;
            }
            let got = r
                .listed
                .iter()
                .find(|c| &c.choice == choice)
                .unwrap_or_else(|| panic!("seed {seed}: combination {choice:?} not listed"));
            assert!((got.probability - p).abs() < 1e-12, "seed {seed}");
            assert_eq!(got.deal, deal, "seed {seed} {choice:?}");
            let mine: BTreeSet<BTreeSet<String>> = got
                .blockers
                .iter()
                .map(|b| b.iter().cloned().collect())
                .collect();
            assert_eq!(mine, blockers, "seed {seed} {choice:?}");
        }
        assert!((r.p_deal - p_deal).abs() < 1e-9, "seed {seed}");
        // A blocking set's probability is the mass of the combinations
        // that list it.
        for b in &r.blocking_sets {
            let labels: BTreeSet<String> = b
                .members
                .iter()
                .map(accord::readings::member_label)
                .collect();
            let mass: f64 = r
                .listed
                .iter()
                .filter(|c| {
                    c.blockers
                        .iter()
                        .any(|x| x.iter().cloned().collect::<BTreeSet<_>>() == labels)
                })
                .map(|c| c.probability)
                .sum();
            assert!((b.probability - mass).abs() < 1e-9, "seed {seed}");
        }
        checked += 1;
        with_deal += usize::from(p_deal > 0.0 && p_deal < 1.0);
        with_process += usize::from(sc.process.is_conditional());
    }
    // The generator reaches both verdicts and the implementable path.
    assert!(checked >= 60, "{checked}");
    assert!(with_deal >= 10, "{with_deal}");
    assert!(with_process >= 10, "{with_process}");
}

#[test]
fn sampled_probabilities_lie_within_their_stated_interval() {
    let mut cases = 0;
    let mut misses = 0;
    for seed in 0..80u64 {
        let sc = random_scenario(seed);
        if !has_readings(&sc) {
            continue;
        }
        let exact = report(&sc, &ReadingsOptions::default()).p_deal;
        let sampled = report(
            &sc,
            &ReadingsOptions {
                exact_limit: 0,
                samples: 4000,
                seed: 7,
                ..Default::default()
            },
        );
        assert!(!sampled.exact);
        assert_eq!(sampled.samples, Some(4000));
        let [lo, hi] = sampled.p_deal_interval.unwrap();
        assert!(lo <= sampled.p_deal && sampled.p_deal <= hi);
        // Four standard errors always; the 95 % interval nearly always.
        let sd = (exact * (1.0 - exact) / 4000.0).sqrt();
        assert!(
            (sampled.p_deal - exact).abs() <= 4.0 * sd + 1e-12,
            "seed {seed}"
        );
        if !(lo - 1e-12..=hi + 1e-12).contains(&exact) {
            misses += 1;
        }
        cases += 1;
    }
    assert!(cases >= 30, "{cases}");
    // About 5 % of 95 % intervals miss; allow twice that.
    assert!(misses * 10 <= cases, "{misses} of {cases}");
}

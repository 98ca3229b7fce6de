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

fn pre(id: &str, from: usize, to: usize, when: Option<Expr>) -> Precondition {
    Precondition {
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
    }
}

fn milestone(i: usize) -> Milestone {
    Milestone {
        id: format!("m{i}"),
        name: format!("m{i}"),
        when: None,
    }
}

/// Two milestones whose order depends on the deal, so some outcomes
/// deadlock: the implementable path.
fn random_process(g: &mut Gen, issues: &[Issue]) -> ProcessNetwork {
    ProcessNetwork {
        milestones: (0..2).map(milestone).collect(),
        preconditions: vec![
            pre("p0", 0, 1, None),
            pre("p1", 1, 0, Some(random_atom(g, issues))),
        ],
        deadlines: Vec::new(),
    }
}

/// Sometimes a third milestone, and readings and firmness on some of the
/// preconditions: other milestones, directions and timings.
fn random_precondition_readings(
    g: &mut Gen,
    issues: &[Issue],
    process: &mut ProcessNetwork,
) -> Vec<PreconditionReadings> {
    if g.below(2) == 0 {
        process.milestones.push(milestone(2));
        let when = (g.below(2) == 0).then(|| random_atom(g, issues));
        process.preconditions.push(pre("p2", 2, 0, when));
    }
    let n = process.milestones.len();
    let weights = [0.5, 1.0, 2.0];
    let mut out = Vec::new();
    for k in 0..process.preconditions.len() {
        if g.below(3) == 0 {
            continue;
        }
        let base = process.preconditions[k].clone();
        out.push(PreconditionReadings {
            precondition: k,
            default_name: "own".into(),
            default_weight: weights[g.below(3)],
            alternatives: (0..g.below(3))
                .map(|j| {
                    let from = g.below(n);
                    let to = (from + 1 + g.below(n - 1)) % n;
                    let timing =
                        [Timing::Before, Timing::AtLeast(3), Timing::Within(2)][g.below(3)];
                    PreconditionReading {
                        name: format!("alt{j}"),
                        precondition: Precondition {
                            from,
                            to,
                            timing,
                            ..base.clone()
                        },
                        weight: weights[g.below(3)],
                        grade: None,
                        note: None,
                    }
                })
                .collect(),
            firmness: Param::new([1.0, 1.0, 0.75, 0.3, 0.0][g.below(5)]),
        });
    }
    out
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
    let mut process = if g.below(3) == 0 {
        random_process(&mut g, &issues)
    } else {
        ProcessNetwork::default()
    };
    let precondition_readings = if process.milestones.is_empty() {
        Vec::new()
    } else {
        random_precondition_readings(&mut g, &issues, &mut process)
    };
    Scenario {
        id: format!("readings-{seed}"),
        actors: random_actors(n_actors),
        issues,
        preferences,
        red_lines,
        process,
        readings,
        precondition_readings,
        ..Default::default()
    }
}

/// One combination: red line id → reading, precondition id → reading,
/// its probability, and the plain scenario it amounts to.
type Combo = (
    IndexMap<String, String>,
    IndexMap<String, String>,
    f64,
    Scenario,
);

/// Every combination with its probability and the plain scenario it
/// amounts to (an absent red line becomes a rule that always holds; an
/// absent precondition one that binds on no deal). Precondition readings
/// count only with a deal-dependent process, where they decide which deals
/// are implementable.
fn combinations(sc: &Scenario) -> Vec<Combo> {
    let mut out: Vec<Combo> = vec![(IndexMap::new(), IndexMap::new(), 1.0, sc.clone())];
    for rs in &sc.readings {
        if rs.alternatives.is_empty() && rs.firmness.value >= 1.0 {
            continue;
        }
        let id = sc.red_lines[rs.red_line].id.clone();
        let mut probs = rs.probabilities();
        probs.push(1.0 - rs.firmness.value);
        let names: Vec<String> = rs.names().into_iter().map(String::from).collect();
        let mut next = Vec::new();
        for (choice, pc, p, s) in &out {
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
                next.push((choice, pc.clone(), p * q, s));
            }
        }
        out = next;
    }
    if sc.process.is_conditional() {
        for rs in &sc.precondition_readings {
            if rs.alternatives.is_empty() && rs.firmness.value >= 1.0 {
                continue;
            }
            let own = &sc.process.preconditions[rs.precondition];
            let mut probs = rs.probabilities();
            probs.push(1.0 - rs.firmness.value);
            let names: Vec<String> = rs.names().into_iter().map(String::from).collect();
            let mut next = Vec::new();
            for (choice, pc, p, s) in &out {
                for (k, &q) in probs.iter().enumerate() {
                    if q <= 0.0 {
                        continue;
                    }
                    let mut s = s.clone();
                    let mut pc = pc.clone();
                    s.process.preconditions[rs.precondition] = match k {
                        0 => own.clone(),
                        k if k <= rs.alternatives.len() => {
                            rs.alternatives[k - 1].precondition.clone()
                        }
                        _ => Precondition {
                            when: Some(Expr::False),
                            ..own.clone()
                        },
                    };
                    pc.insert(
                        own.id.clone(),
                        names.get(k).cloned().unwrap_or_else(|| ABSENT.into()),
                    );
                    next.push((choice.clone(), pc, p * q, s));
                }
            }
            out = next;
        }
    }
    for (_, _, _, s) in &mut out {
        s.readings.clear();
        s.precondition_readings.clear();
    }
    out
}

/// Whether a plain scenario has a deal, and its blockers as labels.
fn oracle(
    s: &Scenario,
    choice: &IndexMap<String, String>,
    pc: &IndexMap<String, String>,
) -> (bool, BTreeSet<BTreeSet<String>>) {
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
                .map(|c| match (c.kind, choice.get(&c.id), pc.get(&c.id)) {
                    (ConstraintKind::RedLine, Some(r), _) => format!("{}[{r}]", c.id),
                    (ConstraintKind::Precondition, _, Some(r)) => format!("{}[{r}]", c.id),
                    (ConstraintKind::Reservation, _, _) => format!("{}.reservation", c.actor),
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
        || (sc.process.is_conditional()
            && sc
                .precondition_readings
                .iter()
                .any(|r| !r.alternatives.is_empty() || r.firmness.value < 1.0))
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
    let mut with_pre = 0;
    let mut pre_matters = 0;
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
        for (choice, pc, p, s) in &combos {
            let (deal, blockers) = oracle(s, choice, pc);
            if deal {
                p_deal += p;
            }
            let got = r
                .listed
                .iter()
                .find(|c| &c.choice == choice && &c.preconditions == pc)
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
        // A blocking set's precondition members carry the combination's
        // reading there.
        for b in &r.blocking_sets {
            let labels_in = |c: &accord::readings::Combination| -> BTreeSet<String> {
                b.members
                    .iter()
                    .map(|m| {
                        let text = accord::readings::member_label(m);
                        match (m.kind, c.preconditions.get(&m.id)) {
                            (ConstraintKind::Precondition, Some(r)) => format!("{text}[{r}]"),
                            _ => text,
                        }
                    })
                    .collect()
            };
            let holding: Vec<_> = r
                .listed
                .iter()
                .filter(|c| {
                    c.blockers
                        .iter()
                        .any(|x| x.iter().cloned().collect::<BTreeSet<_>>() == labels_in(c))
                })
                .collect();
            let mass: f64 = holding.iter().map(|c| c.probability).sum();
            assert!((b.probability - mass).abs() < 1e-9, "seed {seed}");
            // The precondition readings it is said to hold under are
            // those of the combinations that list it.
            for (id, names) in &b.under_preconditions {
                let mut seen: Vec<&String> = holding.iter().map(|c| &c.preconditions[id]).collect();
                seen.sort();
                seen.dedup();
                let mut said: Vec<&String> = names.iter().collect();
                said.sort();
                assert_eq!(said, seen, "seed {seed}: {id}");
            }
        }
        with_pre += usize::from(!r.preconditions.is_empty());
        // Precondition readings that change the answer under one choice of
        // red-line readings: the case the combination exists for.
        pre_matters += usize::from(r.listed.iter().any(|a| {
            r.listed.iter().any(|b| {
                a.choice == b.choice
                    && a.preconditions != b.preconditions
                    && (a.deal != b.deal || a.blockers.len() != b.blockers.len())
            })
        }));
        checked += 1;
        with_deal += usize::from(p_deal > 0.0 && p_deal < 1.0);
        with_process += usize::from(sc.process.is_conditional());
    }
    // The generator reaches both verdicts and the implementable path.
    assert!(checked >= 60, "{checked}");
    assert!(with_deal >= 10, "{with_deal}");
    assert!(with_process >= 10, "{with_process}");
    assert!(with_pre >= 10, "{with_pre}");
    assert!(pre_matters >= 5, "{pre_matters}");
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

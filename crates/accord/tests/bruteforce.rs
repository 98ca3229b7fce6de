//! The exact scan checked against a brute-force oracle on random small
//! scenarios: every count, solution, frontier, blocker and relaxation.

use accord::model::*;
use accord::{analyze, Analysis, AnalyzeOptions, ConstraintKind, NoProgress};
use proptest::prelude::*;
use std::collections::BTreeSet;

mod common;
use common::{random_actors, random_issues, random_prefs, Gen};

fn random_atom(g: &mut Gen, issues: &[Issue]) -> Expr {
    let ix = g.below(issues.len());
    let issue = &issues[ix];
    let n = issue.levels();
    let ops = if issue.is_ordered() {
        &[
            CmpOp::Eq,
            CmpOp::Ne,
            CmpOp::Lt,
            CmpOp::Le,
            CmpOp::Gt,
            CmpOp::Ge,
            CmpOp::In,
            CmpOp::NotIn,
        ][..]
    } else {
        &[CmpOp::Eq, CmpOp::Ne, CmpOp::In, CmpOp::NotIn][..]
    };
    let op = ops[g.below(ops.len())];
    let rhs = if matches!(op, CmpOp::In | CmpOp::NotIn) {
        let k = 1 + g.below(n);
        Rhs::Set((0..k).map(|_| issue.scalar(g.below(n))).collect())
    } else {
        match issue.kind {
            IssueKind::Options { .. } => Rhs::Option(g.below(n)),
            IssueKind::Numeric { .. } => Rhs::Number(issue.scalar(g.below(n))),
        }
    };
    Expr::Atom(Atom { issue: ix, op, rhs })
}

fn random_expr(g: &mut Gen, issues: &[Issue], depth: usize) -> Expr {
    if depth == 0 || g.below(3) == 0 {
        return random_atom(g, issues);
    }
    match g.below(4) {
        0 => Expr::And(vec![
            random_expr(g, issues, depth - 1),
            random_expr(g, issues, depth - 1),
        ]),
        1 => Expr::Or(vec![
            random_expr(g, issues, depth - 1),
            random_expr(g, issues, depth - 1),
        ]),
        2 => Expr::Not(Box::new(random_expr(g, issues, depth - 1))),
        _ => Expr::Implies(
            Box::new(random_expr(g, issues, depth - 1)),
            Box::new(random_expr(g, issues, depth - 1)),
        ),
    }
}

fn random_scenario(seed: u64) -> Scenario {
    let mut g = Gen(seed);
    let n_actors = 2 + g.below(3);
    let n_issues = 1 + g.below(4);
    let issues = random_issues(&mut g, n_issues, 4);
    let actors = random_actors(n_actors);
    let preferences = (0..n_actors)
        .map(|_| Preference {
            reservation: Param::new(g.unit() * 0.6),
            issues: random_prefs(&mut g, &issues),
        })
        .collect();
    let red_lines = (0..g.below(5))
        .map(|k| RedLine {
            id: format!("r{k}"),
            actor: g.below(n_actors),
            rule: random_expr(&mut g, &issues, 2),
            provenance: Provenance::default(),
        })
        .collect();
    let feasibility = (0..g.below(2))
        .map(|k| Feasibility {
            id: format!("f{k}"),
            rule: random_expr(&mut g, &issues, 1),
            provenance: Provenance::default(),
        })
        .collect();
    let ratifiers = (0..g.below(3))
        .map(|k| Ratifier {
            id: format!("q{k}"),
            name: format!("q{k}"),
            actor: g.below(n_actors),
            quota: Param::new([0.5, 0.6667, 1.0][g.below(3)]),
            blocs: (0..1 + g.below(3))
                .map(|b| Bloc {
                    id: format!("b{b}"),
                    seats: Param::new(1.0 + g.below(5) as f64),
                    threshold: Param::new(g.unit() * 0.7),
                    own: (g.below(2) == 0).then(|| random_prefs(&mut g, &issues)),
                    requires: (g.below(2) == 0).then(|| random_atom(&mut g, &issues)),
                    provenance: Provenance::default(),
                })
                .collect(),
            provenance: Provenance::default(),
        })
        .collect();
    Scenario {
        id: format!("random-{seed}"),
        title: String::new(),
        as_of: "2025-01-01".into(),
        description: String::new(),
        sources: vec![],
        actors,
        issues,
        preferences,
        red_lines,
        feasibility,
        ratifiers,
        process: Default::default(),
        decided_by: Vec::new(),
    }
}

/// Everything the oracle knows about one outcome.
struct Row {
    index: u64,
    utils: Vec<f64>,
    /// Violated soft constraints, as (kind, id, actor) keys.
    violated: BTreeSet<usize>,
}

fn additive(issues: &[Issue], prefs: &[IssuePref], levels: &[usize]) -> f64 {
    let mut u = 0.0;
    for ((issue, p), &l) in issues.iter().zip(prefs).zip(levels) {
        u += p.weight.value * p.value.at(issue, l);
    }
    u
}

/// Soft constraints in the engine's order: red lines, reservations, ratifiers.
fn soft_keys(sc: &Scenario) -> Vec<(ConstraintKind, String, String)> {
    let mut keys = Vec::new();
    for r in &sc.red_lines {
        keys.push((
            ConstraintKind::RedLine,
            r.id.clone(),
            sc.actors[r.actor].id.clone(),
        ));
    }
    for a in &sc.actors {
        keys.push((
            ConstraintKind::Reservation,
            "reservation".into(),
            a.id.clone(),
        ));
    }
    for r in &sc.ratifiers {
        keys.push((
            ConstraintKind::Ratification,
            r.id.clone(),
            sc.actors[r.actor].id.clone(),
        ));
    }
    keys
}

fn oracle_rows(sc: &Scenario) -> Vec<Row> {
    let radix: Vec<usize> = sc.issues.iter().map(|i| i.levels()).collect();
    let total: usize = radix.iter().product();
    let nl = sc.red_lines.len();
    let na = sc.actors.len();
    let mut rows = Vec::new();
    for index in 0..total {
        let mut rest = index;
        let mut levels = vec![0; radix.len()];
        for i in (0..radix.len()).rev() {
            levels[i] = rest % radix[i];
            rest /= radix[i];
        }
        if !sc
            .feasibility
            .iter()
            .all(|f| f.rule.eval(&sc.issues, &levels))
        {
            continue;
        }
        let utils: Vec<f64> = (0..na).map(|a| sc.utility(a, &levels)).collect();
        let mut violated = BTreeSet::new();
        for (k, r) in sc.red_lines.iter().enumerate() {
            if !r.rule.eval(&sc.issues, &levels) {
                violated.insert(k);
            }
        }
        for (a, (u, p)) in utils.iter().zip(&sc.preferences).enumerate() {
            if *u < p.reservation.value {
                violated.insert(nl + a);
            }
        }
        for (k, r) in sc.ratifiers.iter().enumerate() {
            let total: f64 = r.blocs.iter().map(|b| b.seats.value).sum();
            let yes: f64 = r
                .blocs
                .iter()
                .filter(|b| {
                    let u = match &b.own {
                        Some(own) => additive(&sc.issues, own, &levels),
                        None => utils[r.actor],
                    };
                    u >= b.threshold.value
                        && b.requires
                            .as_ref()
                            .is_none_or(|e| e.eval(&sc.issues, &levels))
                })
                .map(|b| b.seats.value)
                .sum();
            if yes < r.quota.value * total - 1e-9 {
                violated.insert(nl + na + k);
            }
        }
        rows.push(Row {
            index: index as u64,
            utils,
            violated,
        });
    }
    rows
}

fn argmax(rows: &[&Row], score: impl Fn(&Row) -> f64) -> Option<(u64, f64)> {
    let mut best: Option<(u64, f64)> = None;
    for r in rows {
        let s = score(r);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((r.index, s));
        }
    }
    best
}

fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x >= y) && a.iter().zip(b).any(|(x, y)| x > y)
}

fn nash(u: &[f64], d: &[f64]) -> f64 {
    u.iter().zip(d).map(|(u, d)| (u - d).max(0.0)).product()
}

fn check(sc: &Scenario) {
    let an: Analysis = analyze(sc, &AnalyzeOptions::default(), &NoProgress).expect("analysis runs");
    let rows = oracle_rows(sc);
    let na = sc.actors.len();
    let nl = sc.red_lines.len();
    let d: Vec<f64> = sc.preferences.iter().map(|p| p.reservation.value).collect();
    assert_eq!(an.feasible, rows.len() as u64, "feasible");

    for a in 0..na {
        let own: BTreeSet<usize> = sc
            .red_lines
            .iter()
            .enumerate()
            .filter(|(_, r)| r.actor == a)
            .map(|(k, _)| k)
            .chain([nl + a])
            .collect();
        let rats: BTreeSet<usize> = sc
            .ratifiers
            .iter()
            .enumerate()
            .filter(|(_, r)| r.actor == a)
            .map(|(k, _)| nl + na + k)
            .collect();
        let alone = rows.iter().filter(|r| r.violated.is_disjoint(&own)).count() as u64;
        let with = rows
            .iter()
            .filter(|r| r.violated.is_disjoint(&own) && r.violated.is_disjoint(&rats))
            .count() as u64;
        assert_eq!(an.win_sets[a].alone, alone, "win-set alone of {a}");
        assert_eq!(
            an.win_sets[a].with_ratifiers, with,
            "win-set with ratifiers of {a}"
        );
    }

    let zopa: Vec<&Row> = rows.iter().filter(|r| r.violated.is_empty()).collect();
    assert_eq!(an.zopa.size, zopa.len() as u64, "zopa size");
    let idx = |s: &Option<accord::Solution>| s.as_ref().map(|s| s.point.index);
    assert_eq!(
        idx(&an.solutions.nash),
        argmax(&zopa, |r| nash(&r.utils, &d)).map(|x| x.0),
        "nash"
    );
    assert_eq!(
        idx(&an.solutions.utilitarian),
        argmax(&zopa, |r| r.utils.iter().sum()).map(|x| x.0),
        "utilitarian"
    );
    let gain = |r: &Row| {
        r.utils
            .iter()
            .zip(&d)
            .map(|(u, d)| u - d)
            .fold(f64::INFINITY, f64::min)
    };
    assert_eq!(
        idx(&an.solutions.egalitarian),
        argmax(&zopa, gain).map(|x| x.0),
        "egalitarian"
    );

    let frontier: Vec<&Row> = zopa
        .iter()
        .copied()
        .filter(|r| !zopa.iter().any(|o| dominates(&o.utils, &r.utils)))
        .collect();
    let got: Vec<u64> = an.pareto.iter().map(|p| p.index).collect();
    let want: Vec<u64> = frontier.iter().map(|r| r.index).collect();
    assert_eq!(got, want, "pareto frontier");
    // The Nash product's maximum is always reached on the frontier.
    if let Some(n) = &an.solutions.nash {
        let best = frontier
            .iter()
            .map(|r| nash(&r.utils, &d))
            .fold(f64::NEG_INFINITY, f64::max);
        assert_eq!(n.score, best);
    }

    // Kalai–Smorodinsky: best minimum normalised gain on the frontier,
    // then the larger sum, then the lower index.
    let utopia: Vec<f64> = (0..na)
        .map(|a| {
            frontier
                .iter()
                .map(|r| r.utils[a])
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    let ratio = |r: &Row| {
        (0..na)
            .map(|a| {
                if utopia[a] > d[a] {
                    (r.utils[a] - d[a]) / (utopia[a] - d[a])
                } else {
                    1.0
                }
            })
            .fold(f64::INFINITY, f64::min)
    };
    let mut ks: Option<(&Row, f64, f64)> = None;
    for r in &frontier {
        let (q, s) = (ratio(r), r.utils.iter().sum::<f64>());
        if ks.is_none_or(|(_, bq, bs)| q > bq || (q == bq && s > bs)) {
            ks = Some((r, q, s));
        }
    }
    assert_eq!(
        idx(&an.solutions.kalai_smorodinsky),
        ks.map(|k| k.0.index),
        "kalai-smorodinsky"
    );

    // Blockers and relaxations by definition, over every subset.
    let keys = soft_keys(sc);
    let n_soft = keys.len();
    let subsets: Vec<BTreeSet<usize>> = (0u32..1 << n_soft)
        .map(|m| (0..n_soft).filter(|b| m & (1 << b) != 0).collect())
        .collect();
    let blocks = |s: &BTreeSet<usize>| !rows.iter().any(|r| r.violated.is_disjoint(s));
    let opens = |s: &BTreeSet<usize>| rows.iter().any(|r| r.violated.is_subset(s));
    let as_keys = |s: &BTreeSet<usize>| -> BTreeSet<(String, String, String)> {
        s.iter()
            .map(|&b| {
                (
                    format!("{:?}", keys[b].0),
                    keys[b].1.clone(),
                    keys[b].2.clone(),
                )
            })
            .collect()
    };
    let got_keys = |list: &[accord::ConstraintRef]| -> BTreeSet<(String, String, String)> {
        list.iter()
            .map(|c| (format!("{:?}", c.kind), c.id.clone(), c.actor.clone()))
            .collect()
    };
    if zopa.is_empty() && !rows.is_empty() {
        let mus: BTreeSet<_> = subsets
            .iter()
            .filter(|s| {
                blocks(s)
                    && !subsets
                        .iter()
                        .any(|t| t.len() < s.len() && t.is_subset(s) && blocks(t))
            })
            .map(as_keys)
            .collect();
        let got: BTreeSet<_> = an.blockers.iter().map(|b| got_keys(b)).collect();
        assert_eq!(got, mus, "blockers");
        let mcs: Vec<&BTreeSet<usize>> = subsets
            .iter()
            .filter(|s| {
                opens(s)
                    && !subsets
                        .iter()
                        .any(|t| t.len() < s.len() && t.is_subset(s) && opens(t))
            })
            .collect();
        assert_eq!(an.relaxations.len(), mcs.len(), "relaxation count");
        for s in mcs {
            let rel = an
                .relaxations
                .iter()
                .find(|r| got_keys(&r.drop) == as_keys(s))
                .expect("relaxation listed");
            let open: Vec<&Row> = rows.iter().filter(|r| r.violated.is_subset(s)).collect();
            assert_eq!(rel.zopa_size, open.len() as u64, "relaxed zopa size");
            let dr: Vec<f64> = (0..na)
                .map(|a| if s.contains(&(nl + a)) { 0.0 } else { d[a] })
                .collect();
            assert_eq!(
                rel.nash.as_ref().map(|n| n.point.index),
                argmax(&open, |r| nash(&r.utils, &dr)).map(|x| x.0)
            );
        }
    } else {
        assert!(an.blockers.is_empty() && an.relaxations.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        max_shrink_iters: if std::env::var_os("CI").is_some() { 0 } else { 64 },
        ..ProptestConfig::default()
    })]

    #[test]
    fn scan_matches_brute_force(seed in any::<u64>()) {
        check(&random_scenario(seed));
    }
}

#[test]
fn random_cases_cover_both_verdicts() {
    // The generator must produce both open and blocked cases, or the
    // property above would test only half of the analysis.
    let (mut open, mut blocked) = (0, 0);
    for seed in 0..300 {
        let sc = random_scenario(seed);
        let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
        if an.zopa.size > 0 {
            open += 1;
        } else if an.feasible > 0 {
            blocked += 1;
        }
    }
    assert!(open > 50 && blocked > 50, "open {open}, blocked {blocked}");
}

#[test]
fn same_answer_on_one_thread_and_many() {
    for seed in [1u64, 7, 42, 1234] {
        let sc = random_scenario(seed);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let a = one.install(|| analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap());
        let b = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
        assert_eq!(a, b);
    }
}

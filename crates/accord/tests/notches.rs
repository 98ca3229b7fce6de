//! Graded relaxations (notches): hand-computed cases on tiny scenarios and
//! a brute-force oracle on random small ones, which loosens every red line
//! and reservation by every notch vector up to the cap, rebuilds the
//! scenario and asks the plain analysis whether a deal opens.

use accord::model::*;
use accord::{analyze, AnalyzeOptions, ConstraintKind, NoProgress, Notches};
use std::collections::BTreeMap;

fn numeric(id: &str, min: f64, max: f64, step: f64) -> Issue {
    Issue {
        id: id.into(),
        name: id.into(),
        kind: IssueKind::Numeric {
            min,
            max,
            step,
            unit: String::new(),
        },
    }
}

fn options(id: &str, n: usize, ordered: bool) -> Issue {
    Issue {
        id: id.into(),
        name: id.into(),
        kind: IssueKind::Options {
            options: (0..n)
                .map(|k| OptionDef {
                    id: format!("{id}{k}"),
                    label: format!("{id}{k}"),
                })
                .collect(),
            ordered,
        },
    }
}

fn atom(issue: usize, op: CmpOp, rhs: Rhs) -> Expr {
    Expr::Atom(Atom { issue, op, rhs })
}

fn line(id: &str, actor: usize, rule: Expr, e: Option<Entrenchment>) -> RedLine {
    RedLine {
        id: id.into(),
        actor,
        rule,
        provenance: Provenance {
            entrenchment: e,
            ..Default::default()
        },
    }
}

fn pref(reservation: f64, values: Vec<ValueFn>) -> Preference {
    let n = values.len() as f64;
    Preference {
        reservation: Param::new(reservation),
        issues: values
            .into_iter()
            .map(|v| IssuePref {
                weight: Param::new(1.0 / n),
                value: v,
                stance: None,
                provenance: Provenance::default(),
            })
            .collect(),
    }
}

fn scenario(issues: Vec<Issue>, prefs: Vec<Preference>, red_lines: Vec<RedLine>) -> Scenario {
    Scenario {
        id: "notches".into(),
        as_of: "2025-01-01".into(),
        actors: ["P", "Q"]
            .iter()
            .map(|a| Actor {
                id: a.to_string(),
                name: a.to_string(),
                power: Param::new(1.0),
            })
            .collect(),
        issues,
        preferences: prefs,
        red_lines,
        ..Default::default()
    }
}

fn notches(sc: &Scenario) -> Notches {
    let an = analyze(sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    assert_eq!(an.zopa.size, 0, "the case must have no deal");
    an.notches
        .expect("notches are reported when no deal exists")
}

/// One move as `id: from -> to` per change, for comparing.
fn moves(n: &Notches) -> Vec<(Vec<String>, f64, u64, u64)> {
    n.moves
        .iter()
        .map(|m| {
            (
                m.changes
                    .iter()
                    .map(|c| format!("{}.{}: {} -> {}", c.actor, c.id, c.from, c.to))
                    .collect(),
                m.cost,
                m.zopa_size,
                m.nash.as_ref().unwrap().point.index,
            )
        })
        .collect()
}

/// Army size 600k–800k in steps of 100k; P (rising) insists on `>= 800000`
/// (constitutional, unsourced: 8 × 0.5 = 4 a notch), Q (falling) on
/// `<= 600000` (no entrenchment: reported 2 × 0.5 = 1 a notch). No deal;
/// one notch opens nothing (700k breaks both lines). Two notches: Q up two
/// (cost 2, opens 800k), one each (cost 5, opens 700k), P down two (cost 8,
/// opens 600k).
#[test]
fn army_size_moves_by_steps_and_ranks_by_cost() {
    let sc = scenario(
        vec![numeric("army", 600000.0, 800000.0, 100000.0)],
        vec![
            pref(0.0, vec![ValueFn::Rising]),
            pref(0.0, vec![ValueFn::Falling]),
        ],
        vec![
            line(
                "p-army",
                0,
                atom(0, CmpOp::Ge, Rhs::Number(800000.0)),
                Some(Entrenchment::Constitutional),
            ),
            line("q-army", 1, atom(0, CmpOp::Le, Rhs::Number(600000.0)), None),
        ],
    );
    let n = notches(&sc);
    assert_eq!(n.fewest, Some(2));
    assert_eq!(n.moves_total, 3);
    assert!(!n.truncated);
    let got = moves(&n);
    assert_eq!(
        got,
        vec![
            (
                vec!["Q.q-army: army <= 600000 -> army <= 800000".to_string()],
                2.0,
                1,
                2
            ),
            (
                vec![
                    "P.p-army: army >= 800000 -> army >= 700000".to_string(),
                    "Q.q-army: army <= 600000 -> army <= 700000".to_string()
                ],
                5.0,
                1,
                1
            ),
            (
                vec!["P.p-army: army >= 800000 -> army >= 600000".to_string()],
                8.0,
                1,
                0
            ),
        ]
    );
    // 700k gives each 0.5 over a disagreement point of 0: Nash 0.25.
    let mid = n.moves[1].nash.as_ref().unwrap();
    assert!((mid.score - 0.25).abs() < 1e-12);
    assert_eq!(n.moves[1].notches, 2);
    assert_eq!(n.moves[1].changes[0].notches, 1);
}

/// Unordered options: `x == x0` for P and `x == x1` for Q; one notch admits
/// one more option: P accepts x1, or Q accepts x0 (equal cost; the tie goes
/// to the lower unit, P's).
#[test]
fn unordered_options_admit_one_more() {
    let sc = scenario(
        vec![options("x", 3, false)],
        vec![
            pref(
                0.0,
                vec![ValueFn::Table {
                    values: vec![1.0, 0.5, 0.0],
                }],
            ),
            pref(
                0.0,
                vec![ValueFn::Table {
                    values: vec![0.4, 1.0, 0.0],
                }],
            ),
        ],
        vec![
            line("p", 0, atom(0, CmpOp::Eq, Rhs::Option(0)), None),
            line("q", 1, atom(0, CmpOp::Eq, Rhs::Option(1)), None),
        ],
    );
    let n = notches(&sc);
    assert_eq!(n.fewest, Some(1));
    let got = moves(&n);
    assert_eq!(
        got,
        vec![
            (vec!["P.p: x == x0 -> x != x2".to_string()], 1.0, 1, 1),
            (vec!["Q.q: x == x1 -> x != x2".to_string()], 1.0, 1, 0),
        ]
    );
}

/// Reservations with a stated step: x in 0..10, P rising and Q falling,
/// both with reservation 0.6 and a step of 0.1 for P only: P must come down
/// two steps to 0.4, which opens x = 4 (P 0.4, Q 0.6). Without any step no
/// move exists.
#[test]
fn a_reservation_lowered_by_its_step() {
    let mut sc = scenario(
        vec![numeric("x", 0.0, 10.0, 1.0)],
        vec![
            pref(0.6, vec![ValueFn::Rising]),
            pref(0.6, vec![ValueFn::Falling]),
        ],
        vec![],
    );
    let n = notches(&sc);
    assert_eq!(n.fewest, None);
    assert!(n.moves.is_empty());
    sc.reservation_steps.push(ReservationStep {
        actor: 0,
        step: Param::new(0.1),
    });
    let n = notches(&sc);
    assert_eq!(n.fewest, Some(2));
    assert_eq!(n.moves.len(), 1);
    let m = &n.moves[0];
    assert_eq!(m.changes.len(), 1);
    assert_eq!(m.changes[0].kind, ConstraintKind::Reservation);
    assert_eq!(m.changes[0].from, "utility >= 0.6");
    assert_eq!(m.changes[0].to, "utility >= 0.4");
    assert_eq!(m.zopa_size, 1);
    assert_eq!(m.nash.as_ref().unwrap().point.index, 4);
    // With a step for Q too, one notch each opens x = 5.
    sc.reservation_steps.push(ReservationStep {
        actor: 1,
        step: Param::new(0.1),
    });
    let n = notches(&sc);
    assert_eq!(n.fewest, Some(2));
    assert_eq!(n.moves_total, 3);
    let opened: Vec<u64> = n
        .moves
        .iter()
        .map(|m| m.nash.as_ref().unwrap().point.index)
        .collect();
    let mut sorted = opened.clone();
    sorted.sort();
    assert_eq!(sorted, vec![4, 5, 6]);
}

/// A deal exists: no notches are reported; a cap of 0 switches them off.
#[test]
fn no_notches_when_a_deal_exists_or_switched_off() {
    let sc = scenario(
        vec![options("x", 3, true)],
        vec![
            pref(0.0, vec![ValueFn::Rising]),
            pref(0.0, vec![ValueFn::Falling]),
        ],
        vec![line("p", 0, atom(0, CmpOp::Ge, Rhs::Option(1)), None)],
    );
    let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    assert!(an.zopa.size > 0);
    assert!(an.notches.is_none());
    let mut blocked = sc.clone();
    blocked
        .red_lines
        .push(line("q", 1, atom(0, CmpOp::Le, Rhs::Option(0)), None));
    let opts = AnalyzeOptions {
        max_notches: 0,
        ..Default::default()
    };
    let an = analyze(&blocked, &opts, &NoProgress).unwrap();
    assert_eq!(an.zopa.size, 0);
    assert!(an.notches.is_none());
}

// ---------------------------------------------------------------------------
// Brute force.

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// A random scenario: two actors, two or three issues of two to four levels
/// (numeric, ordered or unordered options), one-comparison red lines, a
/// reservation each and sometimes a step.
fn random(seed: u64) -> Scenario {
    let mut r = Lcg(seed);
    let n_issues = 2 + r.next(2);
    let issues: Vec<Issue> = (0..n_issues)
        .map(|i| {
            let levels = 2 + r.next(3);
            match r.next(3) {
                0 => numeric(&format!("n{i}"), 0.0, (levels - 1) as f64, 1.0),
                1 => options(&format!("o{i}"), levels, true),
                _ => options(&format!("u{i}"), levels, false),
            }
        })
        .collect();
    let prefs: Vec<Preference> = (0..2)
        .map(|_| {
            let values = issues
                .iter()
                .map(|i| ValueFn::Table {
                    values: (0..i.levels()).map(|_| r.next(11) as f64 / 10.0).collect(),
                })
                .collect();
            pref(r.next(5) as f64 / 10.0, values)
        })
        .collect();
    let n_lines = 1 + r.next(4);
    let red_lines = (0..n_lines)
        .map(|k| {
            let i = r.next(n_issues);
            let issue = &issues[i];
            let n = issue.levels();
            let ops: &[CmpOp] = if issue.is_ordered() {
                &[
                    CmpOp::Eq,
                    CmpOp::Ne,
                    CmpOp::Ge,
                    CmpOp::Le,
                    CmpOp::Gt,
                    CmpOp::Lt,
                    CmpOp::In,
                    CmpOp::NotIn,
                ]
            } else {
                &[CmpOp::Eq, CmpOp::Ne, CmpOp::In, CmpOp::NotIn]
            };
            let op = ops[r.next(ops.len())];
            let value = |l: usize| match issue.kind {
                IssueKind::Numeric { .. } => Rhs::Number(issue.scalar(l)),
                IssueKind::Options { .. } => Rhs::Option(l),
            };
            let rhs = match op {
                CmpOp::In | CmpOp::NotIn => {
                    let mut set: Vec<f64> = (0..n)
                        .filter(|_| r.next(2) == 0)
                        .map(|l| issue.scalar(l))
                        .collect();
                    if set.is_empty() {
                        set.push(issue.scalar(r.next(n)));
                    }
                    Rhs::Set(set)
                }
                _ => value(r.next(n)),
            };
            let e = [
                None,
                Some(Entrenchment::Constitutional),
                Some(Entrenchment::Legal),
                Some(Entrenchment::Anonymous),
            ][r.next(4)];
            line(&format!("r{k}"), r.next(2), atom(i, op, rhs), e)
        })
        .collect();
    let mut sc = scenario(issues, prefs, red_lines);
    for a in 0..2 {
        if r.next(2) == 0 {
            sc.reservation_steps.push(ReservationStep {
                actor: a,
                step: Param::new([0.05, 0.1, 0.2][r.next(3)]),
            });
        }
    }
    sc
}

/// Every way to loosen one single-comparison red line by `j` notches, as
/// the levels then admitted: on an ordered issue a comparison admitting a
/// range extends its ends (`a` levels below, `b` above, a + b ≤ j) and
/// admits `j − a − b` levels of its gaps; anything else admits `j` levels.
fn loosened(issue: &Issue, allowed: &[bool], ranged: bool, j: usize) -> Vec<Vec<bool>> {
    let n = allowed.len();
    let mut out = Vec::new();
    let (lo, hi) = (
        allowed.iter().position(|&x| x).unwrap_or(0),
        allowed.iter().rposition(|&x| x).unwrap_or(0),
    );
    let _ = issue;
    for a in 0..=j {
        for b in 0..=(j - a) {
            if !ranged && (a > 0 || b > 0) {
                continue;
            }
            if ranged && (a > lo || b > n - 1 - hi) {
                continue;
            }
            let rest = j - a - b;
            let mut base = allowed.to_vec();
            if ranged {
                base[lo - a..lo].fill(true);
                base[hi + 1..=hi + b].fill(true);
            }
            let gaps: Vec<usize> = (0..n)
                .filter(|&l| !allowed[l] && (!ranged || (lo < l && l < hi)))
                .collect();
            // Every `rest`-subset of the gaps.
            for pick in 0u32..(1 << gaps.len()) {
                if pick.count_ones() as usize != rest {
                    continue;
                }
                let mut m = base.clone();
                for (k, &l) in gaps.iter().enumerate() {
                    if pick & (1 << k) != 0 {
                        m[l] = true;
                    }
                }
                out.push(m);
            }
        }
    }
    out
}

type Key = BTreeMap<String, String>;

#[test]
fn smallest_moves_equal_brute_force_on_random_scenarios() {
    let cap = AnalyzeOptions::default().max_notches as usize;
    let mut checked = 0;
    for seed in 0..400u64 {
        let sc = random(seed);
        let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
        if an.zopa.size > 0 || an.feasible == 0 {
            continue;
        }
        let got = an.notches.as_ref().unwrap();
        // Per red line: its admitted levels and whether it moves by steps.
        let lines: Vec<(Vec<bool>, bool)> = sc
            .red_lines
            .iter()
            .map(|rl| {
                let Expr::Atom(a) = &rl.rule else {
                    unreachable!()
                };
                let issue = &sc.issues[a.issue];
                let allowed = a.mask(issue);
                let ranged = issue.is_ordered()
                    && !matches!(a.op, CmpOp::Ne | CmpOp::NotIn)
                    && allowed.iter().any(|&x| x);
                (allowed, ranged)
            })
            .collect();
        let steps: Vec<Option<f64>> = (0..2)
            .map(|a| {
                sc.reservation_steps
                    .iter()
                    .find(|s| s.actor == a)
                    .map(|s| s.step.value)
            })
            .collect();
        // Oracle: every notch vector of total j, smallest j first.
        type Opened = BTreeMap<Key, (u64, u64)>;
        let mut found: Option<(usize, Opened)> = None;
        for j in 1..=cap {
            let mut opened: BTreeMap<Key, (u64, u64)> = BTreeMap::new();
            let slots = sc.red_lines.len() + 2;
            let mut vectors: Vec<Vec<usize>> = vec![vec![]];
            for _ in 0..slots {
                vectors = vectors
                    .into_iter()
                    .flat_map(|v| {
                        let used: usize = v.iter().sum();
                        (0..=(j - used)).map(move |x| {
                            let mut w = v.clone();
                            w.push(x);
                            w
                        })
                    })
                    .collect();
            }
            vectors.retain(|v| v.iter().sum::<usize>() == j);
            for v in vectors {
                let (reds, res) = v.split_at(sc.red_lines.len());
                // A reservation moves only by a stated step, never below 0.
                if (0..2).any(|a| {
                    res[a] > 0
                        && steps[a].is_none_or(|st| {
                            sc.preferences[a].reservation.value - res[a] as f64 * st < -1e-9
                        })
                }) {
                    continue;
                }
                // Every combination of loosenings of the red lines.
                let mut combos: Vec<Vec<Vec<bool>>> = vec![vec![]];
                for (k, &jk) in reds.iter().enumerate() {
                    let (allowed, ranged) = &lines[k];
                    let issue = {
                        let Expr::Atom(a) = &sc.red_lines[k].rule else {
                            unreachable!()
                        };
                        &sc.issues[a.issue]
                    };
                    let opts = loosened(issue, allowed, *ranged, jk);
                    combos = combos
                        .into_iter()
                        .flat_map(|c| {
                            opts.iter().map(move |o| {
                                let mut d = c.clone();
                                d.push(o.clone());
                                d
                            })
                        })
                        .collect();
                }
                for combo in combos {
                    let mut relaxed = sc.clone();
                    let mut key: Key = BTreeMap::new();
                    for (k, m) in combo.iter().enumerate() {
                        let Expr::Atom(a) = &sc.red_lines[k].rule else {
                            unreachable!()
                        };
                        let issue = &sc.issues[a.issue];
                        relaxed.red_lines[k].rule = Expr::Atom(Atom {
                            issue: a.issue,
                            op: CmpOp::In,
                            rhs: Rhs::Set(
                                (0..m.len())
                                    .filter(|&l| m[l])
                                    .map(|l| issue.scalar(l))
                                    .collect(),
                            ),
                        });
                        if reds[k] > 0 {
                            key.insert(sc.red_lines[k].id.clone(), format!("{m:?}"));
                        }
                    }
                    for a in 0..2 {
                        if res[a] > 0 {
                            let d = sc.preferences[a].reservation.value;
                            relaxed.preferences[a].reservation =
                                Param::new((d - res[a] as f64 * steps[a].unwrap()).max(0.0));
                            key.insert(format!("res{a}"), res[a].to_string());
                        }
                    }
                    let opts = AnalyzeOptions {
                        max_notches: 0,
                        ..Default::default()
                    };
                    let r = analyze(&relaxed, &opts, &NoProgress).unwrap();
                    if r.zopa.size > 0 {
                        let nash = r.solutions.nash.as_ref().unwrap().point.index;
                        opened.insert(key, (r.zopa.size, nash));
                    }
                }
            }
            if !opened.is_empty() {
                found = Some((j, opened));
                break;
            }
        }
        // The engine's moves in the same terms.
        let mine: BTreeMap<Key, (u64, u64)> = got
            .moves
            .iter()
            .map(|m| {
                let key: Key = m
                    .changes
                    .iter()
                    .map(|c| match c.kind {
                        ConstraintKind::Reservation => {
                            let a = sc.actor_index(&c.actor).unwrap();
                            (format!("res{a}"), c.notches.to_string())
                        }
                        _ => {
                            let e = c.to_rule.as_ref().unwrap();
                            let Expr::Atom(a) = sc
                                .red_lines
                                .iter()
                                .find(|r| r.id == c.id)
                                .map(|r| &r.rule)
                                .unwrap()
                            else {
                                unreachable!()
                            };
                            let issue = &sc.issues[a.issue];
                            let mut levels = vec![0; sc.issues.len()];
                            let m: Vec<bool> = (0..issue.levels())
                                .map(|l| {
                                    levels[a.issue] = l;
                                    e.eval(&sc.issues, &levels)
                                })
                                .collect();
                            (c.id.clone(), format!("{m:?}"))
                        }
                    })
                    .collect();
                (key, (m.zopa_size, m.nash.as_ref().unwrap().point.index))
            })
            .collect();
        match found {
            None => {
                assert_eq!(got.fewest, None, "seed {seed}");
                assert!(got.moves.is_empty(), "seed {seed}");
            }
            Some((j, opened)) => {
                assert_eq!(got.fewest, Some(j as u32), "seed {seed}");
                assert!(!got.truncated || got.moves_total > got.moves.len());
                if !got.truncated {
                    assert_eq!(mine, opened, "seed {seed}");
                } else {
                    for (k, v) in &mine {
                        assert_eq!(opened.get(k), Some(v), "seed {seed}");
                    }
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} scenarios without a deal");
}

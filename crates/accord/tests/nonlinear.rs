//! The box-utility branch and bound against brute-force enumeration.

use accord::nonlinear::*;
use accord::NoProgress;
use proptest::prelude::*;

fn odometer(p: &BoxProblem) -> Vec<Vec<i64>> {
    let mut all = vec![vec![]];
    for (_, lo, hi) in &p.issues {
        all = all
            .into_iter()
            .flat_map(|o: Vec<i64>| {
                (*lo..=*hi).map(move |x| {
                    let mut o = o.clone();
                    o.push(x);
                    o
                })
            })
            .collect();
    }
    all
}

/// The oracle: every outcome's utilities, the distinct non-dominated
/// vectors, and the best objective values over the rational outcomes.
struct Oracle {
    frontier: Vec<Vec<f64>>,
    nash: Option<f64>,
    util: Option<f64>,
    egal: Option<f64>,
}

fn oracle(p: &BoxProblem) -> Oracle {
    let us: Vec<Vec<f64>> = odometer(p).iter().map(|o| p.utilities(o)).collect();
    let mut frontier: Vec<Vec<f64>> = Vec::new();
    for u in &us {
        let dominated = us
            .iter()
            .any(|v| v.iter().zip(u).all(|(a, b)| a >= b) && v != u);
        if !dominated && !frontier.contains(u) {
            frontier.push(u.clone());
        }
    }
    frontier.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let d: Vec<f64> = p.parties.iter().map(|q| q.reservation).collect();
    let rational: Vec<&Vec<f64>> = us
        .iter()
        .filter(|u| u.iter().zip(&d).all(|(u, d)| u >= d))
        .collect();
    let max = |f: &dyn Fn(&[f64]) -> f64| rational.iter().map(|u| f(u)).reduce(f64::max);
    Oracle {
        frontier,
        nash: max(&|u| u.iter().zip(&d).map(|(u, d)| (u - d).max(0.0)).product()),
        util: max(&|u| u.iter().sum()),
        egal: max(&|u| {
            u.iter()
                .zip(&d)
                .map(|(u, d)| u - d)
                .fold(f64::INFINITY, f64::min)
        }),
    }
}

fn problem() -> impl Strategy<Value = BoxProblem> {
    let issues = prop::collection::vec(1i64..5, 1..4);
    (issues, 2usize..4).prop_flat_map(|(sizes, n)| {
        let k = sizes.len();
        let range = move |s: i64| {
            prop_oneof![
                1 => Just(None),
                3 => (0..s, 0..s).prop_map(|(a, b)| Some((a.min(b), a.max(b)))),
            ]
        };
        let bx = {
            let sizes = sizes.clone();
            (
                -3i32..10,
                sizes.iter().map(|&s| range(s)).collect::<Vec<_>>(),
                prop::bool::weighted(0.25),
            )
                .prop_map(|(w, ranges, ex)| WeightedBox {
                    weight: w as f64,
                    ranges,
                    kind: if ex {
                        BoxKind::Excludes
                    } else {
                        BoxKind::Includes
                    },
                })
        };
        let party =
            (prop::collection::vec(bx, 0..6), 1i32..20, 0i32..6).prop_map(|(boxes, max, r)| {
                BoxParty {
                    name: String::new(),
                    reservation: r as f64 / 10.0,
                    max_utility: max as f64,
                    boxes,
                }
            });
        let issues: Vec<(String, i64, i64)> = sizes
            .iter()
            .enumerate()
            .map(|(i, &s)| (format!("i{i}"), 0, s - 1))
            .collect();
        assert_eq!(issues.len(), k);
        prop::collection::vec(party, n).prop_map(move |mut parties| {
            for (i, p) in parties.iter_mut().enumerate() {
                p.name = format!("p{i}");
            }
            BoxProblem {
                name: "random".into(),
                issues: issues.clone(),
                parties,
            }
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        max_shrink_iters: if std::env::var_os("CI").is_some() { 0 } else { 1000 },
        ..ProptestConfig::default()
    })]

    #[test]
    fn matches_enumeration(p in problem()) {
        let a = analyze_boxes(&p, &BoxOptions::default(), &NoProgress).unwrap();
        let o = oracle(&p);
        prop_assert!(a.exact);
        prop_assert_eq!(a.gap, None);
        let got: Vec<Vec<f64>> = a.pareto.iter().map(|q| q.utilities.clone()).collect();
        prop_assert_eq!(&got, &o.frontier);
        for q in &a.pareto {
            prop_assert_eq!(&p.utilities(&q.outcome), &q.utilities);
        }
        prop_assert_eq!(a.solutions.nash.map(|s| s.score), o.nash);
        prop_assert_eq!(a.solutions.utilitarian.map(|s| s.score), o.util);
        prop_assert_eq!(a.solutions.egalitarian.map(|s| s.score), o.egal);
        prop_assert_eq!(a.solutions.kalai_smorodinsky.is_some(), o.util.is_some());
    }

    #[test]
    fn starved_bounds_contain_the_truth(p in problem(), budget in 1u64..6) {
        let a = analyze_boxes(&p, &BoxOptions {
                max_nodes: budget,
                ..BoxOptions::default()
            }, &NoProgress).unwrap();
        let o = oracle(&p);
        if a.exact {
            let got: Vec<Vec<f64>> = a.pareto.iter().map(|q| q.utilities.clone()).collect();
            prop_assert_eq!(got, o.frontier);
            return Ok(());
        }
        let gap = a.gap.unwrap();
        // Every true frontier point is within `gap` of a found point.
        for u in &o.frontier {
            let eps = a.pareto.iter().map(|q| {
                q.utilities.iter().zip(u).map(|(a, b)| (b - a).max(0.0)).fold(0.0, f64::max)
            }).fold(f64::INFINITY, f64::min);
            prop_assert!(eps <= gap, "{:?} is {} away, gap {}", u, eps, gap);
        }
        for (name, truth, found) in [
            ("nash", o.nash, a.solutions.nash.as_ref()),
            ("utilitarian", o.util, a.solutions.utilitarian.as_ref()),
            ("egalitarian", o.egal, a.solutions.egalitarian.as_ref()),
        ] {
            if let Some(t) = truth {
                let f = found.map_or(f64::NEG_INFINITY, |s| s.score);
                prop_assert!(gap.is_infinite() || t <= f + gap, "{}: true {} found {} gap {}", name, t, f, gap);
                let b = a.bounds.iter().find(|b| b.figure == format!("solutions.{name}"));
                prop_assert!(t <= b.map_or(f, |b| b.upper), "{}: upper bound below the truth", name);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        max_shrink_iters: if std::env::var_os("CI").is_some() { 0 } else { 1000 },
        ..ProptestConfig::default()
    })]

    /// Sent straight to the anytime phase (local search, ε passes, exact
    /// pass), a problem that can be settled answers exactly as the plain
    /// search does: same frontier, same representatives, same solutions.
    #[test]
    fn anytime_phase_answers_as_the_plain_search(p in problem(), seed in 0u64..4) {
        let plain = analyze_boxes(&p, &BoxOptions::default(), &NoProgress).unwrap();
        let any = analyze_boxes(&p, &BoxOptions { plain_nodes: 0, seed, ..BoxOptions::default() }, &NoProgress).unwrap();
        prop_assert!(any.exact);
        prop_assert_eq!(&any.pareto, &plain.pareto);
        prop_assert_eq!(&any.solutions, &plain.solutions);
    }

    /// Cut short in the anytime phase, every certified figure still holds:
    /// each true frontier point is within the `pareto` ε of a found point,
    /// and no outcome beats an objective's upper bound.
    #[test]
    fn anytime_bounds_contain_the_truth(p in problem(), budget in 1u64..60, plain in 0u64..3) {
        let a = analyze_boxes(&p, &BoxOptions { max_nodes: budget, plain_nodes: plain, ..BoxOptions::default() }, &NoProgress).unwrap();
        let o = oracle(&p);
        if a.exact {
            let got: Vec<Vec<f64>> = a.pareto.iter().map(|q| q.utilities.clone()).collect();
            prop_assert_eq!(got, o.frontier);
            return Ok(());
        }
        for q in &a.pareto {
            prop_assert_eq!(&p.utilities(&q.outcome), &q.utilities);
        }
        let eps = a.bounds.iter().find(|b| b.figure == "pareto").expect("a pareto bound").upper;
        for u in &o.frontier {
            let e = a.pareto.iter().map(|q| {
                q.utilities.iter().zip(u).map(|(a, b)| (b - a).max(0.0)).fold(0.0, f64::max)
            }).fold(f64::INFINITY, f64::min);
            // One rounding of `q + ε` is the only slack.
            prop_assert!(e <= eps + 1e-12, "{:?} is {} away, certified {}", u, e, eps);
        }
        for (name, truth, found) in [
            ("nash", o.nash, a.solutions.nash.as_ref()),
            ("utilitarian", o.util, a.solutions.utilitarian.as_ref()),
            ("egalitarian", o.egal, a.solutions.egalitarian.as_ref()),
        ] {
            if let Some(t) = truth {
                let f = found.map_or(f64::NEG_INFINITY, |s| s.score);
                let b = a.bounds.iter().find(|b| b.figure == format!("solutions.{name}"));
                prop_assert!(t <= b.map_or(f, |b| b.upper), "{}: true {} above the bound", name, t);
            }
        }
    }
}

/// A hand-computed two-issue case: issues 0..=2 each.
/// Party A: +6 inside x∈[1,2], +4 outside y∈[0,0]; maxutility 8 (cap at 1).
/// Party B: +5 inside x∈[0,0]; +5 everywhere; maxutility 10; reservation 0.5.
#[test]
fn hand_computed() {
    let p = BoxProblem {
        name: "hand".into(),
        issues: vec![("x".into(), 0, 2), ("y".into(), 0, 2)],
        parties: vec![
            BoxParty {
                name: "A".into(),
                reservation: 0.0,
                max_utility: 8.0,
                boxes: vec![
                    WeightedBox {
                        weight: 6.0,
                        ranges: vec![Some((1, 2)), None],
                        kind: BoxKind::Includes,
                    },
                    WeightedBox {
                        weight: 4.0,
                        ranges: vec![None, Some((0, 0))],
                        kind: BoxKind::Excludes,
                    },
                ],
            },
            BoxParty {
                name: "B".into(),
                reservation: 0.5,
                max_utility: 10.0,
                boxes: vec![
                    WeightedBox {
                        weight: 5.0,
                        ranges: vec![Some((0, 0)), None],
                        kind: BoxKind::Includes,
                    },
                    WeightedBox {
                        weight: 5.0,
                        ranges: vec![None, None],
                        kind: BoxKind::Includes,
                    },
                ],
            },
        ],
    };
    // x=0: A = 0 or 4/8, B = 1.  x≥1: A = 6/8 (y=0) or min(10/8,1) = 1, B = 0.5.
    assert_eq!(p.utilities(&[0, 1]), vec![0.5, 1.0]);
    assert_eq!(p.utilities(&[2, 2]), vec![1.0, 0.5]);
    let a = analyze_boxes(&p, &BoxOptions::default(), &NoProgress).unwrap();
    let got: Vec<(Vec<i64>, Vec<f64>)> = a
        .pareto
        .iter()
        .map(|q| (q.outcome.clone(), q.utilities.clone()))
        .collect();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].1, vec![0.5, 1.0]);
    assert_eq!(got[1].1, vec![1.0, 0.5]);
    assert_eq!(got[0].0[0], 0);
    assert!(got[1].0[0] >= 1 && got[1].0[1] >= 1);
    assert_eq!(a.outcomes, 9);
    // Nash: (0.5−0)(1−0.5) = 0.25 vs (1)(0) = 0 → (0.5, 1).
    let nash = a.solutions.nash.unwrap();
    assert_eq!(nash.point.utilities, vec![0.5, 1.0]);
    assert_eq!(nash.score, 0.25);
    // Utilitarian: both sum to 1.5; the lower representative (x = 0) wins.
    assert_eq!(
        a.solutions.utilitarian.unwrap().point.utilities,
        vec![0.5, 1.0]
    );
    // KS: U = (1, 1), d = (0, 0.5): ratios min(0.5, 1) = 0.5 and min(1, 0) = 0.
    assert_eq!(a.solutions.kalai_smorodinsky.unwrap().score, 0.5);
}

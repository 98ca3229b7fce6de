//! Properties on random scenarios: the mediator stays inside the issue
//! domains and the feasibility rules; under every protocol and negotiator,
//! no party accepts across its red lines or below its reservation, and
//! offers respect the feasibility rules.

mod negotiate_util;

use accord::model::*;
use accord::negotiate::*;
use negotiate_util::*;
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let mut c = ProptestConfig::with_cases(64);
    if std::env::var_os("CI").is_some() {
        c.max_shrink_iters = 0;
    }
    c
}

/// A random scenario: 2–3 parties, 1–3 numeric issues of 2–5 levels,
/// table value functions, one red line per party and one feasibility rule.
fn arb_scenario() -> impl Strategy<Value = Scenario> {
    (2usize..=3, prop::collection::vec(2usize..=5, 1..=3)).prop_flat_map(|(n, levels)| {
        let k = levels.len();
        let values = prop::collection::vec(
            (
                prop::collection::vec(0.0f64..1.0, k),
                prop::collection::vec(prop::collection::vec(0.0f64..=1.0, 5), k),
                0.0f64..0.6,
            ),
            n,
        );
        let rules = prop::collection::vec((0..k, 0usize..5, prop::bool::ANY), n + 1);
        (Just(levels), values, rules).prop_map(move |(levels, values, rules)| {
            let issues: Vec<Issue> = levels
                .iter()
                .enumerate()
                .map(|(i, &l)| numeric(&format!("i{i}"), (l - 1) as f64))
                .collect();
            let prefs = values
                .into_iter()
                .map(|(w, v, r)| {
                    let total: f64 = w.iter().sum::<f64>() + 1e-9 * k as f64;
                    let ws: Vec<f64> = w.iter().map(|x| (x + 1e-9) / total).collect();
                    let items = ws
                        .into_iter()
                        .zip(v)
                        .zip(&levels)
                        .map(|((w, vals), &l)| {
                            (
                                w,
                                ValueFn::Table {
                                    values: vals[..l].to_vec(),
                                },
                            )
                        })
                        .collect();
                    pref(r, items)
                })
                .collect();
            let ids: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
            let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            let mut sc = scenario(&id_refs, issues, prefs);
            let rule = |(issue, x, le): (usize, usize, bool)| {
                atom(
                    issue,
                    if le { CmpOp::Le } else { CmpOp::Ge },
                    (x % levels[issue]) as f64,
                )
            };
            for (a, &r) in rules[..n].iter().enumerate() {
                sc.red_lines.push(RedLine {
                    id: format!("r{a}"),
                    actor: a,
                    rule: rule(r),
                    provenance: Provenance::default(),
                });
            }
            sc.feasibility.push(Feasibility {
                id: "f".into(),
                rule: rule(rules[n]),
                provenance: Provenance::default(),
            });
            sc
        })
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mediator_stays_in_domain(sc in arb_scenario(), seed in 0u64..1000, rounds in 1u32..40, majority in prop::bool::ANY) {
        sc.check().unwrap();
        let n = sc.actors.len();
        let parties: Vec<usize> = (0..n).collect();
        let kinds = vec![NegotiatorKind::TimeBased(1.0); n];
        let vote = if majority { VoteRule::Majority } else { VoteRule::Unanimous };
        let s = Settings { rounds, seed, vote, ..Settings::default() };
        let run = simulate(&sc, Mechanism::Mediated, &parties, &kinds, &s, &NoClock).unwrap();
        let mut proposals = 0;
        for e in &run.trace {
            if let (None, Action::Offer { outcome }) = (e.party, &e.action) {
                proposals += 1;
                prop_assert_eq!(outcome.len(), sc.issues.len());
                for (l, i) in outcome.iter().zip(&sc.issues) {
                    prop_assert!(*l < i.levels(), "level {} outside `{}`", l, i.id);
                }
                prop_assert!(sc.feasibility.iter().all(|f| f.rule.eval(&sc.issues, outcome)));
            }
        }
        prop_assert!(proposals >= 1);
        if let Some(x) = run.agreement() {
            for a in 0..n {
                prop_assert!(sc.utility(a, x) >= sc.preferences[a].reservation.value - 1e-9);
                prop_assert!(sc.red_lines.iter().filter(|r| r.actor == a).all(|r| r.rule.eval(&sc.issues, x)));
            }
        }
        let again = simulate(&sc, Mechanism::Mediated, &parties, &kinds, &s, &NoClock).unwrap();
        prop_assert_eq!(again, run);
    }
}

const NAMES: [&str; 8] = [
    "boulware",
    "linear",
    "conceder",
    "tit-for-tat",
    "hardliner",
    "random",
    "nash",
    "frequency",
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn offers_feasible_and_red_lines_kept(
        sc in arb_scenario(),
        seed in 0u64..1000,
        picks in prop::collection::vec(0usize..8, 3),
        multilateral in prop::bool::ANY,
    ) {
        let n = if multilateral { sc.actors.len() } else { 2 };
        let mechanism = if multilateral { Mechanism::Multilateral } else { Mechanism::Saop };
        let parties: Vec<usize> = (0..n).collect();
        let kinds: Vec<NegotiatorKind> = picks[..n].iter().map(|&i| NegotiatorKind::parse(NAMES[i]).unwrap()).collect();
        let s = Settings { rounds: 12, seed, ..Settings::default() };
        let run = simulate(&sc, mechanism, &parties, &kinds, &s, &NoClock).unwrap();
        for e in &run.trace {
            if let Action::Offer { outcome } = &e.action {
                prop_assert!(sc.feasibility.iter().all(|f| f.rule.eval(&sc.issues, outcome)));
            }
        }
        if let Some(x) = run.agreement() {
            for a in 0..n {
                prop_assert!(sc.utility(a, x) >= sc.preferences[a].reservation.value - 1e-9);
                prop_assert!(sc.red_lines.iter().filter(|r| r.actor == a).all(|r| r.rule.eval(&sc.issues, x)));
            }
        }
    }
}

#[test]
fn opposed_parties_never_move_the_text_unanimously() {
    // On `sale` every one-issue change helps one party and hurts the other,
    // so under unanimity no proposal is kept: the final text is the first.
    let sc = sale();
    let kinds = vec![NegotiatorKind::TimeBased(1.0); 2];
    for seed in 0..5 {
        let s = Settings {
            rounds: 30,
            seed,
            ..Settings::default()
        };
        let run = simulate(&sc, Mechanism::Mediated, &[0, 1], &kinds, &s, &NoClock).unwrap();
        let Action::Offer { outcome: first } = &run.trace[0].action else {
            panic!()
        };
        let kept = run
            .trace
            .windows(3)
            .filter(|w| {
                w[1].action == Action::Accept
                    && w[2].action == Action::Accept
                    && w[1].party == Some(0)
                    && w[2].party == Some(1)
                    && w[0].party.is_none()
            })
            .count();
        assert_eq!(kept, 0, "seed {seed}");
        let signed = first[0] <= 8
            && sc.utility(0, first) >= 0.4 - 1e-9
            && sc.utility(1, first) >= 0.3 - 1e-9;
        match &run.status {
            Status::Agreement { outcome } => {
                assert!(signed);
                assert_eq!(outcome, first);
            }
            Status::EndedBy { .. } => assert!(!signed),
            Status::Deadline => panic!("a text exists"),
        }
        assert_eq!(run.rounds, 30);
    }
}

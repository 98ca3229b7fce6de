//! Alternating offers: a hand-traced run, determinism, red lines, the
//! multilateral protocol and the frequency model.

mod negotiate_util;

use accord::model::*;
use accord::negotiate::*;
use negotiate_util::*;
use std::sync::Arc;

fn kinds(names: &[&str]) -> Vec<NegotiatorKind> {
    names
        .iter()
        .map(|n| NegotiatorKind::parse(n).unwrap())
        .collect()
}

fn settings(rounds: u32, seed: u64) -> Settings {
    Settings {
        rounds,
        seed,
        ..Settings::default()
    }
}

fn offer(round: u32, party: usize, outcome: &[usize]) -> Event {
    Event {
        round,
        party: Some(party),
        action: Action::Offer {
            outcome: outcome.to_vec(),
        },
    }
}

fn answer(round: u32, party: usize, action: Action) -> Event {
    Event {
        round,
        party: Some(party),
        action,
    }
}

#[test]
fn linear_vs_linear_on_sale_by_hand() {
    // Four rounds, t = 0, 1/3, 2/3, 1. Seller target 1 − 0.6t = 1, .8, .6, .4;
    // buyer target 1 − 0.7t = 1, .767, .533, .3. Each offers the outcome
    // whose utility is the smallest at or above its target ([price, delivery],
    // delivery 0 = express, 1 = standard):
    //   r0 seller [10,1] (1.0)      buyer [0,0] (1.0)
    //   r1 seller [10,0] (0.8)      buyer [3,0] (0.42 + 0.4 = 0.82)
    //   r2 seller [5,1]  (0.6)      buyer [1,1] (0.54)
    //   r3 seller [5,0]  (0.4), which the buyer values 0.7 ≥ 0.3: accepted.
    let sc = sale();
    let run = simulate(
        &sc,
        Mechanism::Saop,
        &[0, 1],
        &kinds(&["linear", "linear"]),
        &settings(4, 0),
        &NoClock,
    )
    .unwrap();
    use Action::{Accept, Reject};
    let expected = vec![
        offer(0, 0, &[10, 1]),
        answer(0, 1, Reject),
        offer(0, 1, &[0, 0]),
        answer(1, 0, Reject),
        offer(1, 0, &[10, 0]),
        answer(1, 1, Reject),
        offer(1, 1, &[3, 0]),
        answer(2, 0, Reject),
        offer(2, 0, &[5, 1]),
        answer(2, 1, Reject),
        offer(2, 1, &[1, 1]),
        answer(3, 0, Reject),
        offer(3, 0, &[5, 0]),
        answer(3, 1, Accept),
    ];
    assert_eq!(run.trace, expected);
    assert_eq!(
        run.status,
        Status::Agreement {
            outcome: vec![5, 0]
        }
    );
    assert_eq!(run.rounds, 4);
    assert!((run.utilities[0] - 0.4).abs() < 1e-12);
    assert!((run.utilities[1] - 0.7).abs() < 1e-12);
    // Two-party multilateral SAOP is the same protocol.
    let multi = simulate(
        &sc,
        Mechanism::Multilateral,
        &[0, 1],
        &kinds(&["linear", "linear"]),
        &settings(4, 0),
        &NoClock,
    )
    .unwrap();
    assert_eq!(multi, run);
}

#[test]
fn discount_and_deadline() {
    let sc = sale();
    let s = Settings {
        rounds: 4,
        discount: 0.5,
        ..Settings::default()
    };
    let run = simulate(
        &sc,
        Mechanism::Saop,
        &[0, 1],
        &kinds(&["linear", "linear"]),
        &s,
        &NoClock,
    )
    .unwrap();
    // Agreement in round 3: worth 0.5³ of its utility.
    assert!((run.utilities[1] - 0.7 / 8.0).abs() < 1e-12);
    // Two hard-liners never meet: deadline, reservation values.
    let run = simulate(
        &sc,
        Mechanism::Saop,
        &[0, 1],
        &kinds(&["hardliner", "hardliner"]),
        &settings(10, 0),
        &NoClock,
    )
    .unwrap();
    assert_eq!(run.status, Status::Deadline);
    assert_eq!(run.rounds, 10);
    assert_eq!(run.utilities, vec![0.4, 0.3]);
    assert!(Settings {
        rounds: 0,
        ..Settings::default()
    }
    .check()
    .is_err());
    assert!(Settings {
        discount: 1.5,
        ..Settings::default()
    }
    .check()
    .is_err());
}

#[test]
fn clock_ends_the_run() {
    struct Spent;
    impl Clock for Spent {
        fn used(&self) -> f64 {
            1.0
        }
    }
    let run = simulate(
        &sale(),
        Mechanism::Saop,
        &[0, 1],
        &kinds(&["linear", "linear"]),
        &settings(50, 0),
        &Spent,
    )
    .unwrap();
    assert_eq!(run.status, Status::Deadline);
    assert!(run.trace.is_empty());
}

#[test]
fn same_seed_same_trace() {
    let sc = sale();
    let k = kinds(&["random", "frequency"]);
    let a = simulate(
        &sc,
        Mechanism::Saop,
        &[0, 1],
        &k,
        &settings(30, 7),
        &NoClock,
    )
    .unwrap();
    let b = simulate(
        &sc,
        Mechanism::Saop,
        &[0, 1],
        &k,
        &settings(30, 7),
        &NoClock,
    )
    .unwrap();
    assert_eq!(a, b);
    let traces: std::collections::BTreeSet<String> = (0..10)
        .map(|s| {
            let r = simulate(
                &sc,
                Mechanism::Saop,
                &[0, 1],
                &k,
                &settings(30, s),
                &NoClock,
            )
            .unwrap();
            format!("{:?}", r.trace)
        })
        .collect();
    assert!(traces.len() > 1, "the seed must matter to a random agent");
}

/// A user-written negotiator that accepts everything and offers its best.
struct YesMan(Arc<Own>);

impl Negotiator for YesMan {
    fn name(&self) -> String {
        "yes-man".into()
    }
    fn own(&self) -> &Own {
        &self.0
    }
    fn propose(&mut self, _: &Context) -> Option<Vec<usize>> {
        self.0.best()
    }
    fn respond(&mut self, _: &Context, _: &[usize]) -> Response {
        Response::Accept
    }
}

#[test]
fn red_lines_and_reservations_are_never_accepted() {
    let sc = sale();
    // The buyer's red line is price ≤ 8; every agreement any pairing reaches
    // must keep it and give both at least their reservation.
    let names = [
        "boulware",
        "linear",
        "conceder",
        "tit-for-tat",
        "hardliner",
        "random",
        "nash",
        "frequency",
    ];
    let mut agreements = 0;
    for a in names {
        for b in names {
            for seed in 0..3 {
                let run = simulate(
                    &sc,
                    Mechanism::Saop,
                    &[0, 1],
                    &kinds(&[a, b]),
                    &settings(20, seed),
                    &NoClock,
                )
                .unwrap();
                if let Some(x) = run.agreement() {
                    agreements += 1;
                    assert!(
                        x[0] <= 8,
                        "{a} vs {b}: price {} breaks the buyer's red line",
                        x[0]
                    );
                    assert!(sc.utility(0, x) >= 0.4 - 1e-9 && sc.utility(1, x) >= 0.3 - 1e-9);
                }
            }
        }
    }
    assert!(agreements > 50, "only {agreements} agreements");
    // A user agent that accepts anything is overruled by the mechanism:
    // the seller's opening [10, standard] breaks the buyer's red line.
    let seller = Arc::new(Own::new(&sc, 0));
    let buyer = Arc::new(Own::new(&sc, 1));
    assert_eq!(seller.best(), Some(vec![10, 1]));
    assert!(!buyer.acceptable(&[10, 1]));
    let mut agents: Vec<Box<dyn Negotiator>> = vec![
        NegotiatorKind::HardLiner.build(seller, vec![], 0),
        Box::new(YesMan(buyer)),
    ];
    let run = negotiate(Mechanism::Saop, &mut agents, &settings(3, 0), &NoClock).unwrap();
    // The hard-liner repeats [10, 1]; the yes-man's acceptances are traced
    // as rejections and it counters with its own best, [0, 0].
    assert_eq!(run.status, Status::Deadline);
    assert_eq!(run.trace[1], answer(0, 1, Action::Reject));
    assert_eq!(run.trace[2], offer(0, 1, &[0, 0]));
    assert!(!run.trace.iter().any(|e| e.action == Action::Accept));
    assert_eq!(run.utilities, vec![0.4, 0.3]);
}

#[test]
fn multilateral_closes_when_all_accept() {
    // Three parties on one issue 0..=4: A wants 4, B wants 0, C wants 2.
    let sc = scenario(
        &["A", "B", "C"],
        vec![numeric("x", 4.0)],
        vec![
            pref(0.2, vec![(1.0, ValueFn::Rising)]),
            pref(0.2, vec![(1.0, ValueFn::Falling)]),
            pref(
                0.0,
                vec![(
                    1.0,
                    ValueFn::Peak {
                        ideal: Param::new(2.0),
                        tolerance: Param::new(4.0),
                    },
                )],
            ),
        ],
    );
    let run = simulate(
        &sc,
        Mechanism::Multilateral,
        &[0, 1, 2],
        &kinds(&["linear", "linear", "linear"]),
        &settings(5, 0),
        &NoClock,
    )
    .unwrap();
    let Status::Agreement { outcome } = &run.status else {
        panic!("{:?}", run.status)
    };
    // The closing offer was accepted by both other parties, in turn order.
    let n = run.trace.len();
    let proposer = run.trace[n - 3].party.unwrap();
    assert!(matches!(run.trace[n - 3].action, Action::Offer { .. }));
    assert_eq!(
        run.trace[n - 2],
        answer(run.trace[n - 2].round, (proposer + 1) % 3, Action::Accept)
    );
    assert_eq!(
        run.trace[n - 1],
        answer(run.trace[n - 1].round, (proposer + 2) % 3, Action::Accept)
    );
    for a in 0..3 {
        assert!(sc.utility(a, outcome) >= sc.preferences[a].reservation.value - 1e-9);
    }
    assert!(simulate(
        &sc,
        Mechanism::Saop,
        &[0, 1, 2],
        &kinds(&["linear"; 3]),
        &settings(5, 0),
        &NoClock
    )
    .is_err());
}

#[test]
fn frequency_model_learns_weights_by_hand() {
    let sc = sale();
    let mut f = FrequencyModel::new(Arc::new(Own::new(&sc, 0)));
    // The buyer keeps price at 2 and flips delivery: price unchanged twice
    // → weights (1.2, 1.0) / 2.2; values: price 2 seen 3 times of 3,
    // express 2 of 3 (largest count 2).
    for x in [[2, 0], [2, 1], [2, 0]] {
        f.observe(1, &x);
    }
    let w = f.learned_weights(1).unwrap();
    assert!((w[0] - 1.2 / 2.2).abs() < 1e-12 && (w[1] - 1.0 / 2.2).abs() < 1e-12);
    let est = f.estimate(1, &[2, 1]);
    assert!((est - (1.2 / 2.2 + 1.0 / 2.2 * 0.5)).abs() < 1e-12);
    assert_eq!(f.learned_weights(0), None);
}

#[test]
fn nash_seeker_finds_the_nash_point() {
    // Products over outcomes both accept (price ≤ 8, seller ≥ .4, buyer ≥ .3):
    // express p = 8 gives (.64 − .4)(.52 − .3) = .0528, the largest.
    let sc = sale();
    let n = NashSeeker::new(Arc::new(Own::new(&sc, 0)), vec![Arc::new(Own::new(&sc, 1))]);
    assert_eq!(n.nash_point(), Some(&[8, 0][..]));
    let t = TimeBased::new(Arc::new(Own::new(&sc, 1)), 0.2);
    assert!((t.target(0.0) - 1.0).abs() < 1e-12 && (t.target(1.0) - 0.3).abs() < 1e-12);
    // Boulware at half time: 1 − 0.7 · 0.5⁵.
    assert!((t.target(0.5) - (1.0 - 0.7 * 0.5f64.powi(5))).abs() < 1e-12);
}

#[test]
fn tit_for_tat_mirrors_concessions_by_hand() {
    // Seller plays tit-for-tat against a linear buyer (targets 1, .767,
    // .533, .3). The buyer's offers are worth 0, 0.24, 0.28 to the seller,
    // so it concedes 0, 24 % and 28 % of its range (1 − 0.4): targets 1, 1,
    // 0.856, 0.832 → [10,1], [10,1], [9,1] (0.92), [8,1] (0.84). The buyer's
    // last offer, at 0.3, is [5, standard] (express would need price ≤ 8 at
    // 0.52); nobody accepts: deadline.
    let sc = sale();
    let run = simulate(
        &sc,
        Mechanism::Saop,
        &[0, 1],
        &kinds(&["tit-for-tat", "linear"]),
        &settings(4, 0),
        &NoClock,
    )
    .unwrap();
    let offers: Vec<(usize, Vec<usize>)> = run
        .trace
        .iter()
        .filter_map(|e| match &e.action {
            Action::Offer { outcome } => Some((e.party.unwrap(), outcome.clone())),
            _ => None,
        })
        .collect();
    let expected = vec![
        (0, vec![10, 1]),
        (1, vec![0, 0]),
        (0, vec![10, 1]),
        (1, vec![3, 0]),
        (0, vec![9, 1]),
        (1, vec![1, 1]),
        (0, vec![8, 1]),
        (1, vec![5, 1]),
    ];
    assert_eq!(offers, expected);
    assert_eq!(run.status, Status::Deadline);
    assert_eq!(run.utilities, vec![0.4, 0.3]);
}

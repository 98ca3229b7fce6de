//! The greedy offer search used on spaces too large to enumerate, checked
//! against what the additive utility makes computable by hand.

mod negotiate_util;

use accord::model::*;
use accord::negotiate::*;
use negotiate_util::*;
use std::sync::Arc;

/// Seven issues of eight levels (2,097,152 outcomes, above the 10^6
/// enumeration limit); party 0 likes high levels with weights 1..7 / 28,
/// party 1 low ones; party 0 has the red line `i0 <= 3`.
fn big() -> Scenario {
    let k = 7;
    let issues: Vec<Issue> = (0..k).map(|i| numeric(&format!("i{i}"), 7.0)).collect();
    let w = |i: usize| (i + 1) as f64 / 28.0;
    let mut sc = scenario(
        &["a", "b"],
        issues,
        vec![
            pref(0.3, (0..k).map(|i| (w(i), ValueFn::Rising)).collect()),
            pref(
                0.3,
                (0..k).map(|i| (w(k - 1 - i), ValueFn::Falling)).collect(),
            ),
        ],
    );
    sc.red_lines.push(RedLine {
        id: "cap".into(),
        actor: 0,
        rule: atom(0, CmpOp::Le, 3.0),
        provenance: Provenance::default(),
    });
    sc
}

#[test]
fn search_finds_the_best_and_meets_targets() {
    let sc = big();
    assert!(sc.space_size() > 1_000_000);
    let own = Own::new(&sc, 0);
    // The best outcome within `i0 <= 3`: i0 = 3, every other issue at 7;
    // utility 1 − (1/28)·(4/7).
    let best = own.best().unwrap();
    assert_eq!(best, vec![3, 7, 7, 7, 7, 7, 7]);
    assert!((own.max_utility() - (1.0 - 4.0 / 7.0 / 28.0)).abs() < 1e-12);
    // Targets are met from above, within one level of the lightest issue
    // (1/28 · 1/7 ≈ 0.0051) plus the slack of a greedy descent.
    for t in [0.95, 0.8, 0.6, 0.45, 0.3] {
        let x = own.at_least(t).unwrap();
        let u = own.utility(&x);
        assert!(own.acceptable(&x), "target {t}");
        assert!(u >= t - 1e-9 && u < t + 0.03, "target {t}: {u}");
    }
    // Above the best, the best.
    assert_eq!(own.at_least(2.0).unwrap(), best);
}

#[test]
fn negotiation_on_a_large_space_agrees_and_repeats() {
    let sc = big();
    let kinds = [NegotiatorKind::TimeBased(1.0), NegotiatorKind::Frequency];
    let s = Settings {
        rounds: 40,
        seed: 3,
        ..Settings::default()
    };
    let run = simulate(&sc, Mechanism::Saop, &[0, 1], &kinds, &s, &NoClock).unwrap();
    let x = run
        .agreement()
        .expect("linear and frequency meet on this space")
        .to_vec();
    assert!(x[0] <= 3);
    assert!(sc.utility(0, &x) >= 0.3 - 1e-9 && sc.utility(1, &x) >= 0.3 - 1e-9);
    let again = simulate(&sc, Mechanism::Saop, &[0, 1], &kinds, &s, &NoClock).unwrap();
    assert_eq!(again, run);
    // The Nash-seeker's model search runs on the large space too.
    let n = NashSeeker::new(Arc::new(Own::new(&sc, 0)), vec![Arc::new(Own::new(&sc, 1))]);
    let p = n.nash_point().expect("a shared acceptable outcome exists");
    assert!(p[0] <= 3);
}

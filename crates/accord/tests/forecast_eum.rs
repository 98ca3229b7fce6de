//! The expected-utility model on BDM's (1994) emission-standards case.
//!
//! Inputs: BDM 1994 Table 1 = Scholz et al. 2011 Table 1 (10 actors,
//! positions in years 4–10, rescaled here to 0–100 and back).

use accord::forecast::{
    eum_probability, eum_risk_exponents, expected_utility, Dimension, EumOptions, EumProbability,
    EumStop, NeverCancel, SpatialActor, SpatialProblem,
};

const ACTORS: [(&str, f64, f64, f64); 10] = [
    ("Netherlands", 0.08, 4.0, 80.0),
    ("Belgium", 0.08, 7.0, 40.0),
    ("Luxembourg", 0.03, 4.0, 20.0),
    ("Germany", 0.16, 4.0, 80.0),
    ("France", 0.16, 10.0, 60.0),
    ("Italy", 0.16, 10.0, 60.0),
    ("UK", 0.16, 10.0, 90.0),
    ("Ireland", 0.05, 7.0, 10.0),
    ("Denmark", 0.05, 4.0, 100.0),
    ("Greece", 0.08, 7.0, 70.0),
];

fn to_scale(x: f64) -> f64 {
    (x - 4.0) / 6.0 * 100.0
}

fn to_years(x: f64) -> f64 {
    4.0 + x * 6.0 / 100.0
}

fn problem() -> SpatialProblem {
    let actors = ACTORS
        .iter()
        .map(|a| SpatialActor {
            name: a.0.into(),
            power: a.1,
        })
        .collect();
    let dim = Dimension {
        name: "year".into(),
        positions: ACTORS.iter().map(|a| Some(to_scale(a.2))).collect(),
        saliences: ACTORS.iter().map(|a| Some(a.3)).collect(),
    };
    SpatialProblem::new(actors, vec![dim]).unwrap()
}

#[test]
fn win_probability_forms_match_worked_values() {
    let c: Vec<f64> = ACTORS.iter().map(|a| a.1).collect();
    let s: Vec<f64> = ACTORS.iter().map(|a| a.3 / 100.0).collect();
    let x: Vec<f64> = ACTORS.iter().map(|a| a.2).collect();
    let p = |form, i, j| eum_probability(&c, &s, &x, 6.0, form, i, j);
    // P(UK beats Netherlands), r = 1 (test_vectors.json).
    assert!((p(EumProbability::Paper, 6, 0) - 0.57534).abs() < 1e-5);
    assert!((p(EumProbability::MasadNet, 6, 0) - 0.15068).abs() < 1e-5);
    assert!((p(EumProbability::ScholzCode, 6, 0) - 0.0119).abs() < 5e-5);
    // P(Belgium beats Netherlands), paper form.
    assert!((p(EumProbability::Paper, 1, 0) - 0.63368).abs() < 1e-5);
}

/// jmckib's code (Scholz's variant), 10 rounds, as recomputed in the research.
const JMCKIB_MEDIAN: [f64; 10] = [
    8.4159, 9.6109, 9.9620, 9.9620, 9.9620, 7.4720, 8.8246, 9.6711, 9.6711, 7.0,
];
/// Scholz et al. (2011) Table 2 medians, rounds 1–8.
const SCHOLZ_TABLE2: [f64; 8] = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6];

#[test]
fn default_variant_reproduces_scholz_code_trajectory() {
    let f = expected_utility(&problem(), &EumOptions::default(), &NeverCancel);
    assert_eq!(f.rounds.len(), 11);
    assert!((to_years(f.rounds[0].forecast[0]) - 7.0).abs() < 1e-9);
    let mut max_dev: f64 = 0.0;
    for (r, want) in JMCKIB_MEDIAN.iter().enumerate() {
        let got = to_years(f.rounds[r + 1].forecast[0]);
        max_dev = max_dev.max((got - want).abs());
    }
    eprintln!("max deviation from jmckib median trajectory: {max_dev:e}");
    // The reference values are printed to 4 decimals.
    assert!(max_dev < 1e-4, "{max_dev}");
    // Against the published Table 2: within 0.1 everywhere except round 2,
    // where Scholz's printed 9.9 is 0.29 above this variant's 9.61.
    for (r, want) in SCHOLZ_TABLE2.iter().enumerate() {
        let got = to_years(f.rounds[r + 1].forecast[0]);
        let tol = if r == 1 { 0.3 } else { 0.1 };
        assert!((got - want).abs() < tol, "round {}: {got} vs {want}", r + 1);
    }
}

#[test]
fn risk_exponents_after_round_one_match() {
    // jmckib's r after round 1 (test_vectors.json, 4 decimals).
    let want = [
        1.4057, 0.7542, 0.5089, 1.4057, 1.0465, 1.0465, 1.9649, 0.5, 2.0, 1.1121,
    ];
    let c: Vec<f64> = ACTORS.iter().map(|a| a.1).collect();
    let s: Vec<f64> = ACTORS.iter().map(|a| a.3 / 100.0).collect();
    let x: Vec<f64> = ACTORS.iter().map(|a| a.2).collect();
    let r = eum_risk_exponents(&c, &s, &x, 6.0, &EumOptions::default());
    for (got, want) in r.iter().zip(want) {
        assert!((got - want).abs() < 1e-4, "{got} vs {want}");
    }
    let opts = EumOptions {
        stop: EumStop::FixedRounds(1),
        ..EumOptions::default()
    };
    let f = expected_utility(&problem(), &opts, &NeverCancel);
    assert_eq!(f.rounds.len(), 2);
    assert!((to_years(f.forecast[0]) - 8.4159).abs() < 1e-4);
}

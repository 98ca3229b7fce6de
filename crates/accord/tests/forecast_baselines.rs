//! Hand-computed baselines and input validation.

use accord::forecast::{
    compromise, run_model, weighted_median, Dimension, ModelKind, NeverCancel, ProblemError,
    SpatialActor, SpatialProblem,
};

fn actors(p: &[f64]) -> Vec<SpatialActor> {
    p.iter()
        .enumerate()
        .map(|(i, &power)| SpatialActor {
            name: format!("a{i}"),
            power,
        })
        .collect()
}

#[test]
fn compromise_and_median_by_hand() {
    // w = power × salience = 2×50, 1×100, 1×20 → 100, 100, 20.
    let dim = Dimension {
        name: "d".into(),
        positions: vec![Some(0.0), Some(60.0), Some(100.0), None],
        saliences: vec![Some(50.0), Some(100.0), Some(20.0), Some(90.0)],
    };
    let p = SpatialProblem::new(actors(&[2.0, 1.0, 1.0, 5.0]), vec![dim]).unwrap();
    // (0×100 + 60×100 + 100×20) / 220 = 8000 / 220.
    assert!((compromise(&p).forecast[0] - 8000.0 / 220.0).abs() < 1e-12);
    // Cumulative 100, 200 of 220: half (110) is reached at 60.
    assert_eq!(weighted_median(&p).forecast[0], 60.0);
    // The actor without a position is ignored, not read as 0.
    assert_eq!(p.participants(0).len(), 3);
    // SMP with two actors: both end at one point between them.
    let f = run_model(ModelKind::Smp, &p, &NeverCancel);
    let last = f.rounds.last().unwrap();
    assert!(f.rounds.len() >= 2);
    assert!(
        f.forecast[0] > 0.0 && f.forecast[0] < 100.0,
        "{:?}",
        f.forecast
    );
    assert_eq!(last.positions[3][0], None);
}

#[test]
fn validation_rejects_bad_input() {
    let dim = |pos: Vec<Option<f64>>| Dimension {
        name: "d".into(),
        saliences: vec![Some(10.0); pos.len()],
        positions: pos,
    };
    assert_eq!(
        SpatialProblem::new(vec![], vec![dim(vec![])]),
        Err(ProblemError::NoActors)
    );
    assert_eq!(
        SpatialProblem::new(actors(&[1.0]), vec![]),
        Err(ProblemError::NoDimensions)
    );
    assert!(matches!(
        SpatialProblem::new(actors(&[0.0]), vec![dim(vec![Some(1.0)])]),
        Err(ProblemError::BadPower { .. })
    ));
    assert!(matches!(
        SpatialProblem::new(actors(&[1.0, 1.0]), vec![dim(vec![Some(1.0)])]),
        Err(ProblemError::WrongLength {
            found: 1,
            expected: 2,
            ..
        })
    ));
    assert!(matches!(
        SpatialProblem::new(actors(&[1.0]), vec![dim(vec![Some(f64::NAN)])]),
        Err(ProblemError::OutOfRange { .. })
    ));
    assert!(matches!(
        SpatialProblem::new(actors(&[1.0]), vec![dim(vec![Some(100.5)])]),
        Err(ProblemError::OutOfRange { .. })
    ));
}

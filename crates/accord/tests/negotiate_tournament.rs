//! Tournaments: counts, aggregates equal to the means of the runs, the
//! Pareto and Nash distances by hand, determinism across thread schedules.

mod negotiate_util;

use accord::negotiate::*;
use accord::NoProgress;
use negotiate_util::*;

fn entries() -> Vec<TournamentEntry> {
    vec![TournamentEntry {
        name: "sale".into(),
        domain: sale().into(),
    }]
}

fn settings(names: &[&str], reps: u32, seed: u64) -> TournamentSettings {
    TournamentSettings {
        negotiators: names
            .iter()
            .map(|n| NegotiatorKind::parse(n).unwrap())
            .collect(),
        reps,
        run: Settings {
            rounds: 4,
            seed,
            ..Settings::default()
        },
    }
}

#[test]
fn linear_self_play_distances_by_hand() {
    // Linear vs linear agrees on [5, express]: utilities (0.4, 0.7), on the
    // Pareto frontier (distance 0); the Nash point is [8, express] at
    // (0.64, 0.52), at distance √(0.24² + 0.18²) = 0.3.
    let t = tournament(&entries(), &settings(&["linear"], 1, 0), &NoProgress).unwrap();
    assert_eq!(t.runs.len(), 1);
    let r = &t.runs[0];
    assert_eq!(r.agreement, Some(vec![5, 0]));
    assert!(r.pareto_distance.unwrap().abs() < 1e-12);
    assert!((r.nash_distance.unwrap() - 0.3).abs() < 1e-12);
    assert!((r.welfare - 1.1).abs() < 1e-12);
    let a = &t.negotiators["linear"];
    // Self-play counts once per side.
    assert_eq!((a.runs, a.agreements), (2, 2));
    assert!((a.mean_utility - 0.55).abs() < 1e-12);
}

#[test]
fn aggregates_are_the_means_of_the_runs() {
    let names = ["boulware", "conceder", "random", "hardliner"];
    let mut entries = entries();
    entries.push(TournamentEntry {
        name: "swapped".into(),
        domain: {
            let mut sc = sale();
            sc.actors.swap(0, 1);
            sc.preferences.swap(0, 1);
            sc.red_lines[0].actor = 0;
            sc.into()
        },
    });
    let t = tournament(&entries, &settings(&names, 3, 11), &NoProgress).unwrap();
    assert_eq!(t.runs.len(), 2 * 4 * 4 * 3);
    for (i, r) in t.runs.iter().enumerate() {
        assert_eq!(r.index, i as u64);
    }
    for name in names {
        let mut utils = Vec::new();
        let mut agreements = 0;
        for r in &t.runs {
            for side in 0..2 {
                if r.negotiators[side] == name {
                    utils.push(r.utilities[side]);
                    agreements += r.agreement.is_some() as u64;
                }
            }
        }
        let a = &t.negotiators[name];
        assert_eq!(a.runs, utils.len() as u64);
        assert_eq!(a.agreements, agreements);
        let mean = utils.iter().sum::<f64>() / utils.len() as f64;
        assert!((a.mean_utility - mean).abs() < 1e-12, "{name}");
        assert!((a.agreement_rate - agreements as f64 / utils.len() as f64).abs() < 1e-12);
    }
    // Hard-liners facing each other never agree.
    assert!(t
        .runs
        .iter()
        .filter(|r| r.negotiators == ["hardliner", "hardliner"])
        .all(|r| r.status == "deadline"));
    // Same seed, same results, whatever the thread schedule.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let again =
        pool.install(|| tournament(&entries, &settings(&names, 3, 11), &NoProgress).unwrap());
    assert_eq!(again, t);
}

#[test]
fn bad_settings_are_errors() {
    assert!(tournament(
        &entries(),
        &settings(&["linear", "linear"], 1, 0),
        &NoProgress
    )
    .is_err());
    let one = TournamentEntry {
        name: "solo".into(),
        domain: {
            let mut sc = sale();
            sc.actors.truncate(1);
            sc.preferences.truncate(1);
            sc.red_lines.clear();
            sc.into()
        },
    };
    assert!(tournament(&[one], &settings(&["linear"], 1, 0), &NoProgress).is_err());
}

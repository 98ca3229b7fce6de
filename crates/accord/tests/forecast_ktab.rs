//! KTAB SMP against KTAB's two shipped deterministic reference runs.
//!
//! The inputs are KTAB's `dummyData_3Dim.csv` and `SOE-Pol-Comp.csv`; the
//! expected values are every per-turn actor position (printed to 4 decimals
//! on 0–100 in the "postn" blocks) and every per-turn actor probability
//! ("prob :" lines, 4 decimals) in `20170530_ref-*.txt`.

use accord::forecast::{smp, Dimension, NeverCancel, SmpOptions, SpatialActor, SpatialProblem};

/// KTAB's files as shipped in the repository (`data/ktab`, MIT licence).
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/ktab");

fn data_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(DATA)
}

/// Minimal KTAB CSV parse (the formats crate has the full reader).
fn read_csv(name: &str) -> SpatialProblem {
    let text = std::fs::read_to_string(data_dir().join(name)).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let na: usize = head[2].trim().parse().unwrap();
    let nd: usize = head[3].trim().parse().unwrap();
    lines.next();
    let mut actors = Vec::new();
    let mut dims: Vec<Dimension> = (0..nd)
        .map(|d| Dimension {
            name: format!("d{d}"),
            positions: vec![],
            saliences: vec![],
        })
        .collect();
    for line in lines.take(na) {
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        actors.push(SpatialActor {
            name: f[0].to_string(),
            power: f[2].parse().unwrap(),
        });
        for (d, dim) in dims.iter_mut().enumerate() {
            dim.positions.push(Some(f[3 + 2 * d].parse().unwrap()));
            dim.saliences.push(Some(f[4 + 2 * d].parse().unwrap()));
        }
    }
    SpatialProblem::new(actors, dims).unwrap()
}

struct Reference {
    /// positions[t][actor][dim], t >= 1 (state after turn t).
    positions: Vec<Vec<Vec<f64>>>,
    /// probs[actor][t], t >= 0.
    probs: Vec<Vec<f64>>,
}

fn read_reference(name: &str, na: usize) -> Reference {
    let text = std::fs::read_to_string(data_dir().join(name)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut flat = Vec::new();
    for (k, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if t.starts_with("postn ") && t.trim_end().ends_with(':') {
            let v: Vec<f64> = lines[k + 1]
                .split_whitespace()
                .map(|x| x.parse().unwrap())
                .collect();
            flat.push(v);
        }
    }
    assert_eq!(flat.len() % na, 0);
    let positions = flat.chunks(na).map(|c| c.to_vec()).collect();
    let probs = lines
        .iter()
        .filter(|l| l.contains(", prob :"))
        .map(|l| {
            l.split(':')
                .nth(1)
                .unwrap()
                .split_whitespace()
                .map(|x| x.parse().unwrap())
                .collect()
        })
        .collect();
    Reference { positions, probs }
}

fn check(csv: &str, reference: &str, turns: usize) -> (f64, f64) {
    let problem = read_csv(csv);
    let na = problem.actors().len();
    let r = read_reference(reference, na);
    let f = smp(&problem, &SmpOptions::default(), &NeverCancel);
    assert_eq!(f.rounds.len(), turns + 1, "number of states");
    assert_eq!(r.positions.len(), turns);
    let mut max_pos: f64 = 0.0;
    for t in 1..=turns {
        for i in 0..na {
            for (d, want) in r.positions[t - 1][i].iter().enumerate() {
                let got = f.rounds[t].positions[i][d].unwrap();
                max_pos = max_pos.max((got - want).abs());
            }
        }
    }
    let mut max_p: f64 = 0.0;
    for i in 0..na {
        assert_eq!(r.probs[i].len(), turns + 1);
        for t in 0..=turns {
            let got = f.rounds[t].probabilities.as_ref().unwrap()[i];
            max_p = max_p.max((got - r.probs[i][t]).abs());
        }
    }
    (max_pos, max_p)
}

#[test]
fn dummy_data_3dim_reference_run() {
    let (dp, dprob) = check("dummyData_3Dim.csv", "20170530_ref-dummyData_3Dim.txt", 10);
    eprintln!("3Dim: max position deviation {dp:e}, max probability deviation {dprob:e}");
    assert!(dp <= 1e-4, "position deviation {dp}");
    assert!(dprob <= 0.5e-4 + 1e-9, "probability deviation {dprob}");
}

#[test]
fn soe_pol_comp_reference_run() {
    let (dp, dprob) = check("SOE-Pol-Comp.csv", "20170530_ref-SOE-Pol-Comp.txt", 27);
    eprintln!("SOE: max position deviation {dp:e}, max probability deviation {dprob:e}");
    assert!(dp <= 1e-4, "position deviation {dp}");
    assert!(dprob <= 0.5e-4 + 1e-9, "probability deviation {dprob}");
}

/// KTAB's own runs (ktab-speed.md) took 30, 21 and 18 states on these
/// inputs; their logs are too large to ship, so only the counts are checked.
#[test]
fn larger_inputs_take_ktab_number_of_turns() {
    for (csv, states) in [
        ("dummyData_6Dim.csv", 30),
        ("dummyData-a040.csv", 21),
        ("dummyData-a080.csv", 18),
    ] {
        let f = smp(&read_csv(csv), &SmpOptions::default(), &NeverCancel);
        assert_eq!(f.rounds.len(), states, "{csv}");
        assert_eq!(f.status, accord::forecast::ForecastStatus::Converged);
    }
}

#[test]
fn cancel_stops_after_the_current_turn() {
    let calls = std::cell::Cell::new(0);
    let cancel = || {
        calls.set(calls.get() + 1);
        calls.get() > 2
    };
    let f = smp(
        &read_csv("dummyData_3Dim.csv"),
        &SmpOptions::default(),
        &cancel,
    );
    assert_eq!(f.status, accord::forecast::ForecastStatus::Cancelled);
    assert_eq!(f.rounds.len(), 3);
}

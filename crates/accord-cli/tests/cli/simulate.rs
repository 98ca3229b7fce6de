//! `accord simulate` and `accord tournament` through the binary.

use super::data::DATA;
use super::{accord, ok_json};
use serde_json::Value;

#[test]
fn simulate_sale_linear_json_and_trace() {
    // The hand-traced run of crates/accord/tests/negotiate_saop.rs.
    let v = ok_json(&[
        "simulate",
        "sale",
        "--negotiators",
        "linear",
        "--rounds",
        "4",
        "--json",
        "--trace",
    ]);
    assert_eq!(v["status"], "agreement");
    assert_eq!(v["agreement"]["price"], 5.0);
    assert_eq!(v["agreement"]["delivery"], "express");
    assert_eq!(v["rounds"], 4);
    assert!((v["utilities"]["seller"].as_f64().unwrap() - 0.4).abs() < 1e-12);
    assert!((v["utilities"]["buyer"].as_f64().unwrap() - 0.7).abs() < 1e-12);
    let trace = v["trace"].as_array().unwrap();
    assert_eq!(trace.len(), 14);
    assert_eq!(trace[0]["party"], "seller");
    assert_eq!(trace[0]["action"], "offer");
    assert_eq!(trace[0]["outcome"]["delivery"], "standard");
    assert_eq!(trace[13]["action"], "accept");
    // Without --trace there is no trace key.
    let v = ok_json(&[
        "simulate",
        "sale",
        "--negotiators",
        "linear",
        "--rounds",
        "4",
        "--json",
    ]);
    assert!(v.get("trace").is_none());
}

#[test]
fn simulate_is_deterministic_and_seeded() {
    let args = |seed: &'static str| {
        vec![
            "simulate",
            "sale",
            "--negotiators",
            "random,random",
            "--rounds",
            "30",
            "--seed",
            seed,
            "--json",
            "--trace",
        ]
    };
    let a = accord(&args("3"));
    let b = accord(&args("3"));
    assert_eq!(a.stdout, b.stdout);
    let differ = ["4", "5", "6", "7"]
        .iter()
        .any(|s| accord(&args(s)).stdout != a.stdout);
    assert!(differ);
}

#[test]
fn simulate_mediated_and_multilateral_on_three_parties() {
    for mech in ["mediated", "multilateral"] {
        let v = ok_json(&[
            "simulate",
            "triad",
            "--mechanism",
            mech,
            "--negotiators",
            "conceder",
            "--rounds",
            "20",
            "--json",
        ]);
        // The triad's red lines clash pairwise: no deal can close.
        assert_ne!(v["status"], "agreement", "{mech}");
        assert_eq!(v["utilities"].as_object().unwrap().len(), 3);
        assert!(v["agreement"].is_null());
    }
}

/// Regression: the default negotiators were a fixed pair, so the
/// multilateral and mediated protocols (every actor a party) failed on the
/// flagship and the triad with "2 negotiators for 4 parties".
#[test]
fn default_negotiators_fit_every_party_count() {
    // (scenario, mechanism, status, ended_by, parties and their no-deal
    // utilities: the reservation values in scenarios/*.toml).
    let flagship = [("UA", 0.45), ("RU", 0.5), ("US", 0.3), ("EU", 0.4)];
    let triad = [("A", 0.0), ("B", 0.0), ("C", 0.0)];
    /// (scenario, mechanism, status, ended_by, rounds, parties).
    type Case<'a> = (&'a str, &'a str, &'a str, Value, u64, &'a [(&'a str, f64)]);
    let cases: [Case; 4] = [
        (
            "ukraine-2025-12",
            "mediated",
            "ended_by",
            "UA".into(),
            100,
            &flagship,
        ),
        // Russia accepts no outcome at all (its own red lines on the
        // oblasts and on a ceasefire for a referendum cannot hold together
        // under Ukraine's constitution), so it walks out in the first round.
        (
            "ukraine-2025-12",
            "multilateral",
            "ended_by",
            "RU".into(),
            1,
            &flagship,
        ),
        ("triad", "mediated", "ended_by", "A".into(), 100, &triad),
        (
            "triad",
            "multilateral",
            "deadline",
            Value::Null,
            100,
            &triad,
        ),
    ];
    for (sc, mech, status, ended_by, rounds, parties) in cases {
        let v = ok_json(&["simulate", sc, "--mechanism", mech, "--json", "--trace"]);
        let what = format!("{sc} {mech}");
        assert_eq!(v["status"], status, "{what}");
        assert_eq!(v["ended_by"], ended_by, "{what}");
        assert!(v["agreement"].is_null(), "{what}");
        assert_eq!(v["rounds"], rounds, "{what}");
        let u = v["utilities"].as_object().unwrap();
        assert_eq!(u.len(), parties.len(), "{what}");
        for (id, r) in parties {
            assert_eq!(u[*id].as_f64(), Some(*r), "{what} {id}");
        }
        // Every party took part: each one answered at least once (unless
        // a party walked out in the first round, before the others spoke).
        for (id, _) in parties.iter().filter(|_| rounds > 1) {
            assert!(
                v["trace"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["party"] == *id),
                "{what}: {id} never acted"
            );
        }
    }
    // An explicit list must still match the parties.
    let out = accord(&[
        "simulate",
        "--mechanism",
        "mediated",
        "--negotiators",
        "boulware,conceder",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 negotiators for 4 parties"));
}

#[test]
fn simulate_genius_domain() {
    let dir = format!("{DATA}/genius/lease");
    let v = ok_json(&[
        "simulate",
        "--genius",
        &dir,
        "--negotiators",
        "conceder,conceder",
        "--rounds",
        "50",
        "--json",
    ]);
    assert_eq!(v["status"], "agreement");
    assert_eq!(v["agreement"].as_object().unwrap().len(), 3);
    // Both conceders end above their reservations (landlord 0.4, tenant
    // 0.3 in data/genius/lease).
    assert!(v["utilities"]["lease_landlord"].as_f64().unwrap() >= 0.4);
    assert!(v["utilities"]["lease_tenant"].as_f64().unwrap() >= 0.3);
}

#[test]
fn simulate_bad_input_exits_2() {
    for (args, needle) in [
        (
            vec!["simulate", "sale", "--negotiators", "bogus"],
            "unknown negotiator `bogus`",
        ),
        (
            vec!["simulate", "sale", "--parties", "seller,nobody"],
            "no actor `nobody`",
        ),
        (
            vec!["simulate", "sale", "--mechanism", "auction"],
            "unknown mechanism",
        ),
        (
            vec!["simulate", "sale", "--negotiators", "linear,linear,linear"],
            "3 negotiators for 2 parties",
        ),
        (
            vec!["simulate", "sale", "--rounds", "0"],
            "rounds must be at least 1",
        ),
        (
            vec!["tournament", "sale", "--negotiators", "linear,linear"],
            "listed twice",
        ),
    ] {
        let out = accord(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn tournament_json_and_csv_agree() {
    let csv =
        std::env::temp_dir().join(format!("accord-cli-{}-tournament.csv", std::process::id()));
    let v = ok_json(&[
        "tournament",
        "sale",
        "--negotiators",
        "boulware,conceder",
        "--reps",
        "2",
        "--rounds",
        "20",
        "--seed",
        "5",
        "--json",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    let runs = v["runs"].as_array().unwrap();
    // 2 × 2 ordered pairings × 2 repetitions.
    assert_eq!(runs.len(), 8);
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 9);
    assert!(lines[0].starts_with("index,scenario,negotiator_a,negotiator_b"));
    for name in ["boulware", "conceder"] {
        let mut us = Vec::new();
        for r in runs {
            for side in 0..2 {
                if r["negotiators"][side] == name {
                    us.push(r["utilities"][side].as_f64().unwrap());
                }
            }
        }
        let mean = us.iter().sum::<f64>() / us.len() as f64;
        let agg = &v["negotiators"][name];
        assert_eq!(agg["runs"], us.len() as u64);
        assert!((agg["mean_utility"].as_f64().unwrap() - mean).abs() < 1e-12);
    }
    // The human table lists both negotiators.
    let out = accord(&[
        "tournament",
        "sale",
        "--negotiators",
        "boulware,conceder",
        "--rounds",
        "20",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("4 negotiations") && text.contains("boulware") && text.contains("conceder")
    );
}

#[test]
fn simulate_negotiates_a_non_linear_genius_domain() {
    // data/genius/grid: four issues 0..=4 with box utilities. Profile 1's
    // lowest-index best is (3, 0, 2, 4): 40 + 30 + 20·1.5 + 10 = 110 raw,
    // capped at 1 (maxutility 100). The hard-liner offers it every turn;
    // profile 2 rates it 20 + 15 = 35 of 80 = 0.4375 and, conceding
    // (e = 2) from 1 to its reservation 0.2 as 1 − 0.8·√t, accepts once
    // 1 − 0.8·√(r/99) ≤ 0.4375, i.e. r ≥ 48.94: in round 49, the 50th.
    let grid = format!("{DATA}/genius/grid");
    let v = ok_json(&[
        "simulate",
        "--genius",
        &grid,
        "--negotiators",
        "hardliner,conceder",
        "--json",
    ]);
    assert_eq!(v["status"], "agreement");
    // The issues' integers, printed as JSON integers (as `analyze --genius`
    // prints its outcomes), not as `3.0`.
    let deal = &v["agreement"];
    assert_eq!(
        [&deal["i1"], &deal["i2"], &deal["i3"], &deal["i4"]].map(|x| x.as_i64()),
        [Some(3), Some(0), Some(2), Some(4)]
    );
    let trace = ok_json(&[
        "simulate",
        "--genius",
        &grid,
        "--negotiators",
        "hardliner,conceder",
        "--json",
        "--trace",
    ]);
    assert_eq!(
        trace["trace"][0]["outcome"],
        serde_json::json!({"i1": 3, "i2": 0, "i3": 2, "i4": 4})
    );
    assert!(trace["trace"][0]["outcome"]["i1"].is_i64());
    assert_eq!(v["rounds"], 50);
    assert_eq!(v["utilities"]["profile-1"], 1.0);
    assert_eq!(v["utilities"]["profile-2"], 0.4375);
    // The human output names the same deal; a tournament runs there too.
    let out = accord(&[
        "simulate",
        "--genius",
        &grid,
        "--negotiators",
        "hardliner,conceder",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("Agreement after 50 rounds: i1=3, i2=0, i3=2, i4=4"),
        "{text}"
    );
    let t = ok_json(&[
        "tournament",
        "--genius",
        &grid,
        "--negotiators",
        "hardliner,conceder",
        "--json",
    ]);
    let runs = t["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 4);
    assert_eq!(runs[0]["scenario"], "grid");
    assert_eq!(runs[1]["agreement"]["i1"].as_i64(), Some(3));
    // Its frontier point (1, 0.4375) is on the brute-force frontier
    // (data/genius/grid/pareto.xml), so the distance to it is 0.
    assert_eq!(runs[1]["pareto_distance"], 0.0);
}

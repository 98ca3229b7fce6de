//! `accord forecast [FILE]` on scenarios and `accord sensitivity`.

use super::{accord, json, temp_file};
use std::process::Command;

#[test]
fn forecast_on_the_flagship_in_issue_units() {
    let v = json(&["forecast", "--json"]);
    let models = v["models"].as_object().unwrap();
    let names: Vec<&str> = models.keys().map(|k| k.as_str()).collect();
    assert_eq!(names, ["compromise", "median", "eum", "smp"]);
    // 15 issues: 10 voted on (numeric or ordered options), 4 unordered and
    // the guarantee's duration, which the US decides alone.
    assert_eq!(models["smp"].as_object().unwrap().len(), 10);
    let nf: Vec<&str> = v["not_forecastable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["issue"].as_str().unwrap())
        .collect();
    assert_eq!(
        nf,
        [
            "guarantee_years",
            "znpp",
            "ceasefire",
            "referendum",
            "buffer_zones"
        ]
    );
    assert_eq!(v["deal"]["decided_by"][0]["actor"], "US");
    // No package is acceptable today; each model is also shown nearest to
    // the packages the smallest relaxation opens.
    assert_eq!(v["deal"]["acceptable_packages"], 0);
    // Russia's own firm red lines (the whole Zaporizhzhia and Kherson
    // oblasts, no ceasefire for a referendum) block every draw: certain.
    assert_eq!(v["deal"]["no_deal"]["method"], "red_lines");
    assert_eq!(v["deal"]["no_deal"]["probability"], 1.0);
    assert_eq!(v["validation"]["eum"]["mae"], 28.95397091815285);
    assert!(v["deal"]["nearest"]["smp"].is_null());
    let relaxed = &v["deal"]["relaxed"];
    assert_eq!(relaxed["drop"].as_array().unwrap().len(), 3);
    // The duration is the US's choice within the deal: its 15-year offer.
    assert_eq!(
        relaxed["nearest"]["compromise"]["outcome"]["guarantee_years"],
        "y15"
    );
    // Numeric issues keep their unit; option issues get the nearest option.
    let army = &models["compromise"]["army_size"];
    let f = army["forecast"].as_f64().unwrap();
    assert!((600_000.0..=800_000.0).contains(&f));
    assert!(army["label"].as_str().unwrap().ends_with(" personnel"));
    let form = models["median"]["guarantee_form"]["label"]
        .as_str()
        .unwrap();
    assert!([
        "political",
        "unsc_multilateral",
        "article5_like",
        "nato_membership"
    ]
    .contains(&form));
    // Dynamic models carry a trajectory, static ones none.
    assert!(!models["eum"]["nato"]["rounds"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(models["compromise"]["nato"]["rounds"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn forecast_on_a_small_file_by_hand() {
    // A (power 1) wants 0, B (power 3) wants 100, all weight on one issue:
    // the compromise is 75, i.e. 10 + 0.75 × 20 = 25 units.
    let f = temp_file(
        "two.toml",
        r#"
[scenario]
id = "two"
title = "two"
as_of = "2025-01-01"
[[actors]]
id = "A"
power = 1
[[actors]]
id = "B"
power = 3
[[issues]]
id = "x"
type = "numeric"
min = 10
max = 30
step = 5
unit = "km"
[[preferences]]
actor = "A"
reservation = 0
[preferences.issues.x]
weight = 1
shape = "falling"
[[preferences]]
actor = "B"
reservation = 0
[preferences.issues.x]
weight = 1
shape = "rising"
"#,
    );
    let v = json(&[
        "forecast",
        f.to_str().unwrap(),
        "--model",
        "compromise",
        "--json",
    ]);
    let x = &v["models"]["compromise"]["x"];
    assert_eq!(x["forecast"].as_f64(), Some(25.0));
    assert_eq!(x["label"], "25 km");
    assert_eq!(x["scale_0_100"].as_f64(), Some(75.0));
}

fn run_with_threads(threads: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn sensitivity_json_is_deterministic_across_threads() {
    let args = [
        "sensitivity",
        "--runs",
        "60",
        "--deal-runs",
        "0",
        "--seed",
        "5",
        "--json",
    ];
    let one = run_with_threads("1", &args);
    assert_eq!(one, run_with_threads("2", &args));
    let v: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(v["scenario"], "ukraine-2025-12");
    assert_eq!(v["runs_done"], 60);
    assert_eq!(v["cancelled"], false);
    assert!(v["deal"].is_null());
    // The flagship's assumed powers and reservations are uncertain.
    let inputs: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert!(inputs.contains(&"actors.RU.power"));
    assert!(inputs.contains(&"preferences.UA.reservation"));
    let s = &v["forecasts"]["compromise"]["army_size"]["summary"];
    for k in ["mean", "sd", "min", "max"] {
        assert!(s[k].is_number(), "{k}");
    }
    for k in ["p5", "p25", "p50", "p75", "p95"] {
        assert!(s["quantiles"][k].is_number(), "{k}");
    }
    assert!(s["sd"].as_f64().unwrap() > 0.0);
    let c = v["correlations"].as_array().unwrap();
    assert_eq!(c.len(), 10);
    // Strongest first.
    let rho: Vec<f64> = c.iter().map(|c| c["rho"].as_f64().unwrap().abs()).collect();
    assert!(rho.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn sensitivity_deal_space_on_a_bundled_scenario() {
    // The flagship's analysis takes seconds per run in a debug build, so the
    // deal-space path is exercised on the small `sale` scenario.
    let v = json(&[
        "sensitivity",
        "sale",
        "--runs",
        "4",
        "--deal-runs",
        "4",
        "--json",
    ]);
    let d = &v["deal"];
    assert_eq!(d["runs"], 4);
    let p = d["zopa_probability"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert_eq!(d["zopa_runs"].as_f64().unwrap(), p * 4.0);
}

#[test]
fn sensitivity_bad_input_exits_2() {
    let out = accord(&["sensitivity", "no-such-file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = accord(&["sensitivity", "--runs", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let out = accord(&["forecast", "no-such-file.toml"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `analyze` prints the probability of no deal, each model's DEU III
/// record and, when a ZOPA exists, the nearest acceptable packages (the
/// sale: compromise price 5.71 → 6, median 10 → 8, see deal_forecasts.rs).
#[test]
fn analyze_prints_no_deal_track_records_and_nearest_packages() {
    let out = accord(&["analyze"]);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains(
            "Every forecast is conditional on a deal. P(no deal) = 1: a blocking set of red lines"
        ),
        "{s}"
    );
    assert!(s.contains("eum: DEU III MAE 28.95 vs compromise 23.64, Δ +5.31 (95% CI +2.85 to +7.74): worse than the compromise model: not validated"), "{s}");
    assert!(s.contains("No acceptable package"), "{s}");
    let out = accord(&["analyze", "sale"]);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("P(no deal) = 0: the scenario has no uncertain numbers"),
        "{s}"
    );
    let table = s.split("Nearest acceptable package").nth(1).expect("table");
    let price = table
        .lines()
        .find(|l| l.trim_start().starts_with("price"))
        .unwrap();
    assert_eq!(
        price.split_whitespace().collect::<Vec<_>>(),
        ["price", "6", "8", "8", "8"]
    );
    let dist = table
        .lines()
        .find(|l| l.trim_start().starts_with("distance"))
        .unwrap();
    assert!(dist.contains("0.029") && dist.contains("0.200"), "{dist}");
}

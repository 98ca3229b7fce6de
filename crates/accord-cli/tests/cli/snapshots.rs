//! Snapshots of every `--json` document's key set and of the human output
//! on the bundled scenarios, so a renamed field or a reworded line shows in
//! review as a changed `.snap` file (update: see ARCHITECTURE.md).

use super::data::DATA;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

const SCENARIOS: [&str; 3] = ["sale", "triad", "ukraine-2025-12"];

/// Runs the binary with a fixed table width, so tables wrap the same on
/// every machine (the table width comes from `COLUMNS` alone, see
/// src/table.rs); progress goes to stderr, which is not snapshotted.
fn stdout(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .env("COLUMNS", "100")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Records `path: type` for `v` and everything under it. Array indices
/// become `[]`; object keys found in `data` (actor, issue and model names)
/// and numeric keys (value counts) become `{}`, so the snapshot shows the
/// document's shape, not its data.
fn walk(
    v: &Value,
    path: &str,
    data: &BTreeSet<String>,
    out: &mut BTreeMap<String, BTreeSet<&'static str>>,
) {
    if !path.is_empty() {
        out.entry(path.to_string())
            .or_default()
            .insert(type_name(v));
    }
    match v {
        Value::Array(items) => {
            for item in items {
                walk(item, &format!("{path}[]"), data, out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let key = if data.contains(k) || k.parse::<f64>().is_ok() {
                    "{}"
                } else {
                    k.as_str()
                };
                let sep = if path.is_empty() { "" } else { "." };
                walk(item, &format!("{path}{sep}{key}"), data, out);
            }
        }
        _ => {}
    }
}

/// The sorted key set of a JSON document, one `path: type[ | type]` a line.
fn key_set(doc: &str, data: &BTreeSet<String>) -> String {
    let v: Value = serde_json::from_str(doc).expect("valid JSON");
    let mut out = BTreeMap::new();
    walk(&v, "", data, &mut out);
    out.iter()
        .map(|(p, t)| {
            format!(
                "{p}: {}\n",
                t.iter().copied().collect::<Vec<_>>().join(" | ")
            )
        })
        .collect()
}

/// The names a scenario uses as map keys: its actor, issue and milestone
/// ids and its option ids, read from its own `show --json` document.
fn scenario_names(scenario: &str) -> BTreeSet<String> {
    let v: Value = serde_json::from_str(&stdout(&["show", scenario, "--json"])).unwrap();
    let mut names = BTreeSet::new();
    for list in ["actors", "issues", "milestones"] {
        for item in v["scenario"][list].as_array().into_iter().flatten() {
            names.extend(item["id"].as_str().map(String::from));
            // An option is a bare label or an object with an id.
            for option in item["options"].as_array().into_iter().flatten() {
                names.extend(
                    option
                        .as_str()
                        .or_else(|| option["id"].as_str())
                        .map(String::from),
                );
            }
        }
    }
    names
}

/// Names as a set, for the data sets whose names are fixed files.
fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn assert_keys(name: &str, args: &[&str], data: &BTreeSet<String>) {
    let keys = key_set(&stdout(args), data);
    insta::assert_snapshot!(name, keys, &args.join(" "));
}

#[test]
fn json_key_sets_of_the_scenario_commands() {
    for sc in SCENARIOS {
        let data = scenario_names(sc);
        for cmd in [
            "analyze", "process", "show", "check", "timeline", "forecast", "explain",
        ] {
            assert_keys(&format!("keys_{cmd}_{sc}"), &[cmd, sc, "--json"], &data);
        }
    }
}

#[test]
fn json_key_sets_of_the_runs() {
    let mut data = scenario_names("sale");
    // The tournament's entrants key its per-negotiator table.
    data.extend(names(&["boulware", "conceder"]));
    assert_keys(
        "keys_simulate_sale",
        &["simulate", "sale", "--json", "--trace"],
        &data,
    );
    assert_keys(
        "keys_tournament_sale",
        &[
            "tournament",
            "sale",
            "--negotiators",
            "boulware,conceder",
            "--reps",
            "1",
            "--rounds",
            "10",
            "--seed",
            "5",
            "--json",
        ],
        &data,
    );
    assert_keys(
        "keys_sensitivity_sale",
        &[
            "sensitivity",
            "sale",
            "--runs",
            "20",
            "--deal-runs",
            "2",
            "--json",
        ],
        &data,
    );
}

#[test]
fn json_key_sets_of_the_data_sets() {
    let deu = format!("{DATA}/deu/deu3.csv");
    assert_keys(
        "keys_backtest_deu3",
        &["backtest", "--deu", &deu, "--resamples", "50", "--json"],
        &BTreeSet::new(),
    );
    assert_keys(
        "keys_backtest_cv_deu3",
        &[
            "backtest",
            "--deu",
            &deu,
            "--cv",
            "3",
            "--resamples",
            "50",
            "--json",
        ],
        &BTreeSet::new(),
    );
    let ktab = format!("{DATA}/ktab/dummyData_3Dim.csv");
    assert_keys(
        "keys_forecast_ktab_dummy3",
        &["forecast", "--ktab", &ktab, "--json"],
        // The file's three dimensions and seven actors.
        &names(&[
            "Pstn1",
            "Pstn2",
            "Pstn3",
            "SActor-00",
            "SActor-01",
            "SActor-02",
            "SActor-03",
            "SActor-04",
            "SActor-05",
            "SActor-06",
        ]),
    );
    let lease = format!("{DATA}/genius/lease");
    assert_keys(
        "keys_analyze_genius_lease",
        &["analyze", "--genius", &lease, "--json"],
        // The domain's two parties and three issues.
        &names(&["lease_landlord", "lease_tenant", "deposit", "rent", "term"]),
    );
}

/// The human output, whole. Nothing in it varies run to run (no timings;
/// tables are `COLUMNS` wide). Among what it pins: the flagship's
/// `process` says its referendum applies only on some deals, and `triad`'s
/// says nothing of the kind; `explain` tells why in words.
#[test]
fn human_output() {
    for (cmd, sc) in [
        ("analyze", "sale"),
        ("analyze", "triad"),
        ("show", "sale"),
        ("show", "triad"),
        ("show", "ukraine-2025-12"),
        ("process", "sale"),
        ("process", "triad"),
        ("process", "ukraine-2025-12"),
        ("explain", "sale"),
        ("explain", "triad"),
        ("explain", "ukraine-2025-12"),
    ] {
        insta::assert_snapshot!(
            format!("human_{cmd}_{sc}"),
            stdout(&[cmd, sc]),
            &format!("{cmd} {sc}")
        );
    }
}

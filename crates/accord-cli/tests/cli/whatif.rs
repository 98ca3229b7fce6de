//! What-ifs (`--drop`, `--set`) on every analysing command, and
//! `accord diff`, through the binary.

use super::{accord, ok_json, temp_file};
use serde_json::{json, Value};

const FLAGSHIP: &str = include_str!("../../../../scenarios/ukraine-2025-12.toml");

/// `analyze --json` without its `assumed` field.
fn analyze_json(args: &[&str]) -> Value {
    let mut v = ok_json(args);
    v.as_object_mut().unwrap().remove("assumed");
    v
}

fn blocker_ids(v: &Value) -> Vec<Vec<String>> {
    v["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            b.as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn drop_matches_a_hand_edited_file() {
    // The flagship without the `[[red_lines]]` entry ru-znpp-russian-operator
    // (with its readings).
    let start = FLAGSHIP
        .find("[[red_lines]]\nid = \"ru-znpp-russian-operator\"")
        .expect("the entry");
    let end = start + FLAGSHIP[start + 1..].find("[[red_lines]]").unwrap() + 1;
    let edited = format!("{}{}", &FLAGSHIP[..start], &FLAGSHIP[end..]);
    let path = temp_file("flagship-no-znpp.toml", &edited);
    let patched_full = ok_json(&[
        "analyze",
        "ukraine-2025-12",
        "--drop",
        "ru-znpp-russian-operator",
        "--json",
    ]);
    assert_eq!(
        patched_full["assumed"],
        json!([{"op": "drop", "kind": "red_line", "id": "ru-znpp-russian-operator"}])
    );
    let patched = analyze_json(&[
        "analyze",
        "ukraine-2025-12",
        "--drop",
        "ru-znpp-russian-operator",
        "--json",
    ]);
    let by_hand = analyze_json(&["analyze", path.to_str().unwrap(), "--json"]);
    assert_eq!(patched, by_hand);
    // The ZNPP pair is gone; the Donetsk pair stays.
    let base = blocker_ids(&ok_json(&["analyze", "--json"]));
    let after = blocker_ids(&patched);
    let znpp = vec![
        "ru-znpp-russian-operator".to_string(),
        "ua-znpp-no-russian-role".to_string(),
    ];
    assert!(base.contains(&znpp), "{base:?}");
    assert!(!after.iter().any(|b| b.contains(&znpp[0])), "{after:?}");
    let donetsk = vec![
        "ru-donbas-withdrawal".to_string(),
        "ua-donetsk-mirror-or-freeze".to_string(),
    ];
    assert!(base.contains(&donetsk) && after.contains(&donetsk));
}

#[test]
fn set_reservation_matches_a_hand_edited_file() {
    let old = "actor = \"RU\"\nreservation = { value = 0.5, range = [0.4, 0.6],";
    let start = FLAGSHIP.find(old).expect("RU's reservation");
    let line_end = start + FLAGSHIP[start..].find("\nweights_assumption").unwrap();
    let edited = format!(
        "{}actor = \"RU\"\nreservation = 0.35{}",
        &FLAGSHIP[..start],
        &FLAGSHIP[line_end..]
    );
    let path = temp_file("flagship-ru-035.toml", &edited);
    let args = ["analyze", "--set", "RU.reservation=0.35", "--json"];
    let full = ok_json(&args);
    assert_eq!(
        full["assumed"],
        json!([{"op": "set", "path": "RU.reservation", "value": 0.35, "was": 0.5}])
    );
    let by_hand = analyze_json(&["analyze", path.to_str().unwrap(), "--json"]);
    assert_eq!(analyze_json(&args), by_hand);
    assert_eq!(by_hand["disagreement"]["RU"], json!(0.35));
}

#[test]
fn every_analysing_command_accepts_and_echoes_what_ifs() {
    let what = ["--drop", "budget", "--set", "seller.reservation=0.3"];
    let expected = json!([
        {"op": "drop", "kind": "red_line", "id": "budget"},
        {"op": "set", "path": "seller.reservation", "value": 0.3, "was": 0.4}
    ]);
    let line = "Assuming: dropped red line budget; seller reservation 0.3 (was 0.4)";
    let commands: [&[&str]; 8] = [
        &["analyze", "sale"],
        &["show", "sale"],
        &["process", "sale"],
        &["timeline", "sale"],
        &["forecast", "sale"],
        &["sensitivity", "sale", "--runs", "20", "--deal-runs", "2"],
        &["simulate", "sale"],
        &["tournament", "sale", "--negotiators", "boulware,conceder"],
    ];
    for cmd in commands {
        let with = |extra: &[&'static str]| -> Vec<&'static str> {
            cmd.iter()
                .chain(what.iter())
                .chain(extra)
                .copied()
                .collect()
        };
        let v = ok_json(&with(&["--json"]));
        assert_eq!(v["assumed"], expected, "{cmd:?}");
        // Without what-ifs the document has no `assumed` field.
        let mut plain: Vec<&str> = cmd.to_vec();
        plain.push("--json");
        assert!(ok_json(&plain).get("assumed").is_none(), "{cmd:?}");
        let out = accord(&with(&[]));
        assert_eq!(out.status.code(), Some(0), "{cmd:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.lines().any(|l| l == line),
            "{cmd:?} does not echo the what-ifs:\n{text}"
        );
    }
    // The report carries them in its title.
    let dir = temp_file("keep", "");
    let html = dir.with_file_name("whatif-report.html");
    let mut args = vec!["report", "sale", "-o", html.to_str().unwrap()];
    args.extend(what);
    let out = accord(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains(line),
        "the report does not say what it assumed"
    );
}

#[test]
fn what_ifs_apply_in_command_line_order() {
    let v = ok_json(&[
        "analyze",
        "sale",
        "--set",
        "seller.reservation=0.3",
        "--drop",
        "board",
        "--set",
        "seller.reservation=0.2",
        "--json",
    ]);
    assert_eq!(
        v["assumed"],
        json!([
            {"op": "set", "path": "seller.reservation", "value": 0.3, "was": 0.4},
            {"op": "drop", "kind": "ratifier", "id": "board"},
            {"op": "set", "path": "seller.reservation", "value": 0.2, "was": 0.3}
        ])
    );
    assert_eq!(v["disagreement"]["seller"], json!(0.2));
    // The ratifier is gone: no ratification section counts it.
    assert!(ok_json(&["analyze", "sale", "--json"])["ratifiers"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
    assert_eq!(v["ratifiers"], json!([]));
}

#[test]
fn bad_what_ifs_exit_2_naming_the_problem() {
    let cases: [(&[&str], &str); 8] = [
        (
            &["--set", "XX.power=1"],
            "--set XX.power=1: unknown actor XX; actors are seller, buyer",
        ),
        (
            &["--drop", "nope"],
            "--drop nope: unknown id `nope`; red lines: budget; preconditions: none; \
             ratifiers: board",
        ),
        (&["--set", "seller.power=abc"], "`abc` is not a number"),
        (&["--set", "seller.power"], "expected PATH=NUMBER"),
        (
            &["--set", "seller.reservation=1.5"],
            "1.5 is out of range: a reservation must be from 0 to 1",
        ),
        (
            &["--set", "seller.mood=1"],
            "`seller.mood` cannot be set: settable are ACTOR.reservation",
        ),
        (
            &["--set", "seller.colour.weight=0.5"],
            "seller has no position on `colour`; seller's issues are delivery, price",
        ),
        (&["--drop", "widget:budget"], "unknown kind `widget`"),
    ];
    for (flags, msg) in cases {
        let mut args = vec!["analyze", "sale"];
        args.extend(flags);
        let out = accord(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {err}");
        assert!(err.contains(msg), "{flags:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // What-ifs where there is no scenario.
    let out = accord(&["forecast", "--ktab", "x.csv", "--drop", "budget"]);
    assert_eq!(out.status.code(), Some(2));
}

const ONE: &str = r#"[scenario]
id = "haggle"
title = "One price, two parties"
as_of = "2025-01-01"

[[actors]]
id = "A"

[[actors]]
id = "B"

[[issues]]
id = "price"
type = "options"
options = ["low", "mid", "high"]

[[preferences]]
actor = "A"
reservation = 0.4
[preferences.issues.price]
weight = 1.0
values = { low = 0.0, mid = 0.5, high = 1.0 }

[[preferences]]
actor = "B"
reservation = 0.4
[preferences.issues.price]
weight = 1.0
values = { low = 1.0, mid = 0.5, high = 0.0 }
"#;

/// `ONE` with A's reservation raised to 0.6 and a red line of A's added.
fn two() -> String {
    ONE.replace(
        "actor = \"A\"\nreservation = 0.4",
        "actor = \"A\"\nreservation = 0.6",
    ) + "\n[[red_lines]]\nid = \"a-no-low\"\nactor = \"A\"\nrule = \"price != low\"\n"
}

#[test]
fn diff_of_two_hand_made_files() {
    let a = temp_file("haggle-1.toml", ONE);
    let b = temp_file("haggle-2.toml", &two());
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let out = accord(&["diff", a, b, "--json"]);
    assert_eq!(out.status.code(), Some(1), "different files exit 1");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["same"], json!(false));
    assert_eq!(
        v["inputs"],
        json!([
            {"section": "preferences", "id": "A", "change": "changed",
             "fields": [{"field": "reservation", "old": 0.4, "new": 0.6}]},
            {"section": "red_lines", "id": "a-no-low", "change": "added"}
        ])
    );
    // Before: only `mid` gives both 0.5 ≥ 0.4. After: A needs 0.6, so only
    // `high` (B gets 0 < 0.4): no deal; both reservations together block
    // it (without A's, `mid` passes; without B's, `high`), and dropping
    // either one opens a deal. The new red line is in no minimal set.
    assert_eq!(
        v["answers"],
        json!({
            "figures": [
                {"field": "zopa_size", "old": 1, "new": 0},
                {"field": "nash", "old": {"price": "mid"}, "new": null}
            ],
            "blockers": {"added": [["A.reservation", "B.reservation"]], "removed": []},
            "relaxations": {"added": [["A.reservation"], ["B.reservation"]], "removed": []}
        })
    );
    let human = accord(&["diff", a, b]);
    assert_eq!(human.status.code(), Some(1));
    let text = String::from_utf8_lossy(&human.stdout);
    for line in [
        "  preferences A: changed",
        "      reservation: 0.4 → 0.6",
        "  red_lines a-no-low: added",
        "  zopa_size: 1 → 0",
        "  nash: price=mid → —",
        "  + blocking set {A.reservation, B.reservation}",
        "  + relaxation {B.reservation}",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?}:\n{text}");
    }
    // Reversed, additions become removals.
    let back = ok_json_code(&["diff", b, a, "--json"], 1);
    assert_eq!(back["inputs"][1]["change"], json!("removed"));
    assert_eq!(
        back["answers"]["blockers"]["removed"],
        json!([["A.reservation", "B.reservation"]])
    );
}

fn ok_json_code(args: &[&str], code: i32) -> Value {
    let out = accord(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn diff_of_a_file_with_itself_says_no_changes() {
    let out = accord(&["diff", "sale", "sale"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("No changes: the inputs and the answers are the same."));
    let v = ok_json(&["diff", "triad", "triad", "--json"]);
    assert_eq!(v["same"], json!(true));
    assert_eq!(v["inputs"], json!([]));
    assert_eq!(v["before"], v["after"]);
    // Bad input: exit 2.
    assert_eq!(accord(&["diff", "sale", "no-such"]).status.code(), Some(2));
}

#[test]
fn diff_of_two_library_versions() {
    let db = temp_file("keep-db", "").with_file_name("whatif-library.db");
    let _ = std::fs::remove_file(&db);
    {
        let mut store = accord_server::Store::open(&db).unwrap();
        store
            .create("haggle", ONE, accord_formats::scenario::Syntax::Toml)
            .unwrap();
        store
            .save("haggle", &two(), accord_formats::scenario::Syntax::Toml)
            .unwrap();
    }
    let d = db.to_str().unwrap();
    let v = ok_json_code(&["diff", "--db", d, "haggle@1", "haggle@2", "--json"], 1);
    assert_eq!(
        (v["a"].as_str(), v["b"].as_str()),
        (Some("haggle@v1"), Some("haggle@v2"))
    );
    assert_eq!(v["answers"]["figures"][0]["new"], json!(0));
    // `ID` alone is the latest version.
    let same = ok_json(&["diff", "--db", d, "haggle@2", "haggle", "--json"]);
    assert_eq!(same["same"], json!(true));
    for bad in ["haggle@9", "haggle@x", "nobody@1"] {
        let out = accord(&["diff", "--db", d, "haggle@1", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
    let out = accord(&["diff", "--db", "/nonexistent/x.db", "a", "b"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_drop_kind_and_every_settable_number() {
    let v = ok_json(&[
        "show",
        "--json",
        "--drop",
        "P14",
        "--drop",
        "presence-means-troops",
        "--set",
        "rada.quota=0.6",
        "--set",
        "RU.nato.weight=0.3",
    ]);
    let s = &v["scenario"];
    assert!(s["deadlines"]
        .as_array()
        .is_none_or(|d| d.iter().all(|x| x["id"] != "P14")));
    let constraints: Vec<&str> = s["constraints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(
        !constraints.contains(&"presence-means-troops"),
        "{constraints:?}"
    );
    let rada = s["ratifiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "rada")
        .unwrap();
    assert_eq!(rada["quota"], json!(0.6));
    // RU's other weights rescale so that they still sum to 1.
    let ru = s["preferences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["actor"] == "RU")
        .unwrap();
    let weight = |p: &Value| {
        p["weight"]["value"]
            .as_f64()
            .or(p["weight"].as_f64())
            .unwrap()
    };
    let issues = ru["issues"].as_object().unwrap();
    assert_eq!(weight(&issues["nato"]), 0.3);
    let sum: f64 = issues.values().map(weight).sum();
    assert!((sum - 1.0).abs() < 1e-9, "{sum}");
    assert_eq!(
        v["assumed"],
        json!([
            {"op": "drop", "kind": "deadline", "id": "P14"},
            {"op": "drop", "kind": "constraint", "id": "presence-means-troops"},
            {"op": "set", "path": "rada.quota", "value": 0.6, "was": 0.5022},
            {"op": "set", "path": "RU.nato.weight", "value": 0.3, "was": 0.12}
        ])
    );
}

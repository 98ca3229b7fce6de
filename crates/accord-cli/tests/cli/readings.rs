//! Readings and firmness end to end: the hand-computed fixture, `--reading`,
//! and bad input.

use super::{accord, ok_json, temp_file};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/readings/two_pairs.toml"
);

fn labels(set: &serde_json::Value) -> Vec<String> {
    set["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| match m["reading"].as_str() {
            Some(r) => format!("{}[{r}]", m["id"].as_str().unwrap()),
            None => m["id"].as_str().unwrap().to_string(),
        })
        .collect()
}

#[test]
fn a_literal_reading_removes_a_blocking_pair() {
    // ru_nato: strict 0.9 × 2/3 = 0.6, literal 0.9 × 1/3 = 0.3, absent 0.1;
    // ua_border: holds 0.5, absent 0.5. The NATO pair blocks only under
    // `strict`; the border pair whenever ua_border holds. A deal needs
    // both gone: (0.3 + 0.1) × 0.5 = 0.2.
    let j = ok_json(&["analyze", FIXTURE, "--json"]);
    let r = &j["readings"];
    assert_eq!(r["exact"], true);
    assert_eq!(r["combinations"], 6);
    assert!((r["p_deal"].as_f64().unwrap() - 0.2).abs() < 1e-12);
    let probs: Vec<f64> = r["red_lines"][0]["readings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["probability"].as_f64().unwrap())
        .collect();
    assert!((probs[0] - 0.6).abs() < 1e-12 && (probs[1] - 0.3).abs() < 1e-12);
    let sets = r["blocking_sets"].as_array().unwrap();
    assert_eq!(sets.len(), 2);
    assert_eq!(labels(&sets[0]), ["ua_nato", "ru_nato[strict]"]);
    assert!((sets[0]["probability"].as_f64().unwrap() - 0.6).abs() < 1e-12);
    assert_eq!(sets[0]["robust"], false);
    assert_eq!(sets[0]["default"], true);
    assert_eq!(sets[0]["under"]["ru_nato"], serde_json::json!(["strict"]));
    assert_eq!(labels(&sets[1]), ["ua_border[default]", "ru_border"]);
    assert!((sets[1]["probability"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    assert_eq!(sets[1]["robust"], true);
    // The most probable combination: strict, border held (0.3), no deal.
    let top = &r["listed"][0];
    assert!((top["probability"].as_f64().unwrap() - 0.3).abs() < 1e-12);
    assert_eq!(top["deal"], false);
    assert_eq!(top["blockers"].as_array().unwrap().len(), 2);
    // The default answer is today's: both pairs block.
    assert_eq!(j["blockers"].as_array().unwrap().len(), 2);
    assert!(j.get("assumed").is_none());
}

#[test]
fn reading_flag_swaps_the_active_reading_and_is_echoed() {
    let j = ok_json(&["analyze", FIXTURE, "--json", "--reading", "ru_nato=literal"]);
    assert_eq!(
        j["assumed"],
        serde_json::json!([{"op": "reading", "id": "ru_nato", "reading": "literal"}])
    );
    // Only the border pair blocks now.
    let b = j["blockers"].as_array().unwrap();
    assert_eq!(b.len(), 1);
    let ids: Vec<&str> = b[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ua_border", "ru_border"]);
    // The readings analysis sees the same readings: the same P(deal).
    assert!((j["readings"]["p_deal"].as_f64().unwrap() - 0.2).abs() < 1e-12);
    assert_eq!(
        j["readings"]["red_lines"][0]["readings"][0]["name"],
        "literal"
    );
    let out = accord(&["analyze", FIXTURE, "--reading", "ru_nato=literal"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("Assuming: reading `literal` of red line ru_nato\n"),
        "{text}"
    );
    assert!(text.contains("P(a deal exists) = 0.200"), "{text}");
}

#[test]
fn unknown_reading_or_red_line_exits_2_with_what_exists() {
    for (spec, want) in [
        ("ru_nato=loose", "its readings: strict, literal"),
        ("nobody=literal", "red lines with readings: ru_nato"),
        ("ua_nato=literal", "red line `ua_nato` has no readings"),
        ("ru_nato", "expected ID=NAME"),
    ] {
        let out = accord(&["analyze", FIXTURE, "--reading", spec]);
        assert_eq!(out.status.code(), Some(2), "{spec}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{spec}: {err}");
    }
}

/// The fixture with one line replaced, checked: exit 2 and `line:col` of
/// the replaced text plus a message.
fn bad(from: &str, to: &str, col: usize, want: &str) {
    let text = std::fs::read_to_string(FIXTURE)
        .unwrap()
        .replacen(from, to, 1);
    let line = text[..text.find(to).unwrap()].matches('\n').count() + 1;
    let p = temp_file("bad-readings.toml", &text);
    let out = accord(&["check", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{to}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("bad-readings.toml:{line}:{col}")),
        "{to}: {err}"
    );
    assert!(err.contains(want), "{to}: {err}");
}

#[test]
fn bad_readings_are_located() {
    bad(
        "rule = \"nato != open_door\"",
        "rule = \"natto != open_door\"",
        9,
        "natto",
    );
    bad(
        "rule = \"nato != open_door\"",
        "rule = \"nato != open_doors\"",
        17,
        "open_doors",
    );
    bad(
        "name = \"literal\"",
        "name = \"strict\"",
        8,
        "duplicate reading `strict`",
    );
    bad(
        "firmness = { value = 0.9,",
        "firmness = { value = 1.5,",
        12,
        "out of range",
    );
    bad("weight = 1\nsource", "weight = 0\nsource", 10, "above 0");
    bad("default_weight = 2", "default_weight = -1", 18, "above 0");
}

fn ids(v: &serde_json::Value, key: &str) -> std::collections::BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[key].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn explain_names_only_constraints_of_its_blocking_sets_and_cycles() {
    for sc in ["sale", "triad", "ukraine-2025-12"] {
        let n = ok_json(&["explain", sc, "--json"]);
        let an = ok_json(&["analyze", sc, "--json"]);
        let pr = ok_json(&["process", sc, "--json"]);
        let blockers: Vec<_> = an["blockers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| ids(b, "id"))
            .collect();
        let cycles: Vec<_> = pr["deadlocks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| ids(d, "id"))
            .collect();
        let steps = n["steps"].as_array().unwrap();
        assert!(!steps.is_empty(), "{sc}");
        let mut kinds = Vec::new();
        for s in steps {
            let links = &s["links"];
            let got = ids(links, "id");
            match s["kind"].as_str().unwrap() {
                "blocking_set" => assert!(blockers.contains(&got), "{sc}: {got:?}"),
                "deadlock" => assert!(cycles.contains(&got), "{sc}: {got:?}"),
                "reference_deal" => assert_eq!(got, ["reservation".to_string()].into()),
                // A graded move names exactly the constraints it loosens.
                "notch" => {
                    let moved: std::collections::BTreeSet<String> = an["notches"]["moves"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .flat_map(|m| m["changes"].as_array().unwrap().iter())
                        .map(|c| c["id"].as_str().unwrap().to_string())
                        .collect();
                    assert!(got.iter().all(|id| moved.contains(id)), "{sc}: {got:?}");
                }
                k => panic!("{sc}: unknown step kind {k}"),
            }
            for l in links.as_array().unwrap() {
                assert!(
                    l["source"].is_string() || l["assumption"].is_string(),
                    "{sc}: {l}"
                );
                assert!(!l["text"].as_str().unwrap().is_empty());
            }
            kinds.push(s["kind"].as_str().unwrap().to_string());
        }
        // Every blocking set and every cycle is told.
        let told = |k: &str| kinds.iter().filter(|x| *x == k).count();
        assert_eq!(told("blocking_set"), blockers.len(), "{sc}");
        match sc {
            "sale" => {
                assert_eq!(n["verdict"], "deal");
                assert_eq!(kinds, ["reference_deal"]);
            }
            "triad" => assert_eq!(told("blocking_set"), 3),
            _ => {
                assert_eq!(n["verdict"], "no_deal");
                assert_eq!(told("deadlock"), cycles.len());
                // The full network's six cycles (docs/flagship.md).
                assert_eq!(told("deadlock"), 6);
            }
        }
    }
}

#[test]
fn explain_gives_each_conclusion_its_weakest_grade_and_probability() {
    let n = ok_json(&["explain", FIXTURE, "--json"]);
    // The blocking sets; graded moves (`notch` steps) follow them.
    let steps: Vec<&serde_json::Value> = n["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] != "notch")
        .collect();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["confidence"]["grade"], "reported");
    assert!((steps[0]["confidence"]["probability"].as_f64().unwrap() - 0.6).abs() < 1e-12);
    assert!((steps[1]["confidence"]["probability"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    let text = |k: usize| steps[k]["text"].as_str().unwrap().to_string();
    assert!(
        text(0).contains("only when ru_nato is read “strict”"),
        "{}",
        text(0)
    );
    assert!(
        text(1).contains("however its red lines are read"),
        "{}",
        text(1)
    );
    // Read literally, the NATO pair is gone; the explanation says so, and
    // the remaining link's grade comes from its own source.
    let n = ok_json(&["explain", FIXTURE, "--json", "--reading", "ru_nato=literal"]);
    assert_eq!(
        n["assumed"],
        serde_json::json!(["reading `literal` of red line ru_nato"])
    );
    let sets = n["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "blocking_set")
        .count();
    assert_eq!(sets, 1);
    // The sale's reservations are assumptions: the reference deal can be
    // no stronger.
    let n = ok_json(&["explain", "sale", "--json"]);
    assert_eq!(n["steps"][0]["confidence"]["grade"], "assumption");
}

/// The flagship with one piece of P2 replaced, checked: exit 2, the file
/// and the first changed line of the replaced text, and a message.
fn bad_p2(from: &str, to: &str, want: &str) {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/ukraine-2025-12.toml"
    );
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{from}");
    let text = text.replacen(from, to, 1);
    // The error points at the first line the replacement changed.
    let same = from
        .bytes()
        .zip(to.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let at = text.find(to).unwrap() + same;
    let line = text[..at].matches('\n').count() + 1;
    let p = temp_file("bad-p2.toml", &text);
    let out = accord(&["check", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{to}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("bad-p2.toml:{line}:")), "{to}: {err}");
    assert!(err.contains(want), "{to}: {err}");
}

#[test]
fn bad_precondition_readings_are_located() {
    bad_p2(
        "name = \"signature\"\nbefore = \"signature\"",
        "name = \"signature\"\nbefore = \"signing\"",
        "unknown milestone",
    );
    bad_p2(
        "default_reading = \"settlement\"\ndefault_weight = 3\n# Rule C3",
        "default_reading = \"settlement\"\nfirmness = 1.5\n# Rule C3",
        "out of range",
    );
    bad_p2(
        "name = \"signature\"\nbefore = \"signature\"",
        "name = \"settlement\"\nbefore = \"signature\"",
        "duplicate reading `settlement`",
    );
}

#[test]
fn a_precondition_reading_is_chosen_with_the_reading_flag() {
    let out = accord(&["process", "--reading", "P2=signature"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("reading `signature` of precondition P2"),
        "{text}"
    );
    let out = accord(&["process", "--reading", "P2=treaty"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("settlement, signature"), "{err}");
}

//! Scenarios that use none of the deal-dependent ratification or process
//! fields give byte-identical JSON to the binary before those fields
//! existed. The fixtures in `tests/fixtures/main` were written by that
//! binary (`accord analyze|process|timeline FILE --json`); the flagship as
//! it was then is kept beside them, since the bundled one now uses the
//! new fields. The `analyze` fixtures of the two scenarios without a deal
//! were since rewritten only to add the keys of later analyses
//! (`near_misses`, `notches`).

use super::accord;
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/main")
}

fn assert_same(file: &str, name: &str) {
    for cmd in ["analyze", "process", "timeline"] {
        let out = accord(&[cmd, file, "--json"]);
        assert!(out.status.success(), "{name} {cmd}");
        let want = std::fs::read(fixtures().join(format!("{name}.{cmd}.json"))).unwrap();
        assert!(
            out.stdout == want,
            "{name} {cmd}: JSON differs from the fixture"
        );
    }
}

#[test]
fn bundled_scenarios_without_new_fields_are_unchanged() {
    for name in ["sale", "triad"] {
        let file =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../scenarios/{name}.toml"));
        assert_same(file.to_str().unwrap(), name);
    }
}

#[test]
fn the_flagship_before_the_new_fields_is_unchanged() {
    let file = fixtures().join("ukraine-2025-12-before.toml");
    assert_same(file.to_str().unwrap(), "ukraine-2025-12-before");
}

/// The flagship's reference deal holds no referendum: the electorate is
/// reported as not held (no yes share), and the deal's constitutional NATO
/// ban raises the Rada's quota to 300 of 450.
#[test]
fn flagship_referendum_not_held_and_rada_quota_follows_the_deal() {
    let v = super::json(&["analyze", "--json"]);
    let r = &v["ratification"];
    let ua = r["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["actor"] == "UA")
        .unwrap();
    let by_id = |id: &str| {
        ua["ratifiers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["ratifier"] == id)
            .unwrap()
            .clone()
    };
    let index = r["reference_index"].as_u64().unwrap();
    let nash = &v["relaxations"][0]["nash"];
    assert_eq!(nash["index"].as_u64(), Some(index));
    assert_eq!(nash["outcome"]["referendum"], "no");
    assert_eq!(nash["outcome"]["nato"], "constitutional_ban");
    let electorate = by_id("ua-electorate");
    assert_eq!(electorate["held"], false);
    assert!(electorate["margin"].is_null());
    let rada = by_id("rada");
    assert!(rada.get("held").is_none());
    assert_eq!(rada["margin"]["quota"], 0.6667);
    let human = super::accord(&["analyze"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("not held"), "{text}");
}

/// The flagship v2 answers that follow from its coding rule
/// (docs/flagship.md), derived by hand:
/// - Russia's firm red lines on the whole Zaporizhzhia and Kherson oblasts
///   and against a ceasefire for a referendum cannot hold together: handing
///   over the oblasts needs a referendum (P9 feasibility rule), a
///   referendum needs a ceasefire before the settlement (P1 rule), and the
///   second red line forbids exactly that. So that pair blocks under every
///   reading and firmness (both have firmness 1): P(deal) = 0.
/// - No NATO red line blocks: Ukraine's "no ban" is an offer under rule C1,
///   so the NATO pair of v1 is gone under every reading.
/// - The ZNPP pair holds under both of Russia's readings (neither
///   `russian` nor `trilateral` is in Ukraine's `[us_ua_jv, ukrainian_us]`)
///   when both red lines hold: 0.7 × 0.7 = 0.49, split by Russia's reading
///   weights 2 : 3 into 0.196 (operator) and 0.294 (trilateral).
/// - The Donetsk pair holds under either reading of Russia's line when
///   Ukraine's holds: 0.5 × 0.7 = 0.35 each.
#[test]
fn flagship_answers_follow_the_coding_rule() {
    let v = super::json(&["analyze", "--json"]);
    assert_eq!(v["blockers_over"], "implementable");
    assert_eq!(v["zopa"]["implementable"]["size"], 0);
    let sets = |v: &serde_json::Value| -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = v["blockers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                let mut ids: Vec<String> = b
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["id"].as_str().unwrap().to_string())
                    .collect();
                ids.sort();
                ids
            })
            .collect();
        out.sort();
        out
    };
    let blockers = sets(&v);
    assert_eq!(blockers.len(), 12);
    let pair = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
    for want in [
        pair("ru-no-referendum-ceasefire", "ru-zk-whole-oblasts"),
        pair("ru-donbas-withdrawal", "ua-donetsk-mirror-or-freeze"),
        pair("ru-znpp-russian-operator", "ua-znpp-no-russian-role"),
    ] {
        assert!(blockers.contains(&want), "{want:?} in {blockers:?}");
    }
    assert!(blockers.iter().flatten().all(|id| !id.contains("nato")));
    let r = &v["readings"];
    assert_eq!(r["exact"], true);
    // 384 combinations of the red lines' readings and firmness, each under
    // both readings of P2 (weights 3 : 3), which decide which deals'
    // processes can run.
    assert_eq!(r["combinations"], 768);
    assert_eq!(r["preconditions"][0]["id"], "P2");
    assert_eq!(r["p_deal"], 0.0);
    let prob = |ids: &[&str]| -> f64 {
        r["blocking_sets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| {
                let got: Vec<String> = b["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| match m["reading"].as_str() {
                        Some(x) => format!("{}[{x}]", m["id"].as_str().unwrap()),
                        None => m["id"].as_str().unwrap().to_string(),
                    })
                    .collect();
                got.len() == ids.len() && ids.iter().all(|i| got.iter().any(|g| g == i))
            })
            .map(|b| b["probability"].as_f64().unwrap())
            .sum()
    };
    let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    close(
        prob(&["ru-zk-whole-oblasts", "ru-no-referendum-ceasefire"]),
        1.0,
    );
    close(
        prob(&[
            "ru-znpp-russian-operator[operator]",
            "ua-znpp-no-russian-role[default]",
        ]),
        0.196,
    );
    close(
        prob(&[
            "ru-znpp-russian-operator[trilateral]",
            "ua-znpp-no-russian-role[default]",
        ]),
        0.294,
    );
    close(
        prob(&[
            "ru-donbas-withdrawal[recognised]",
            "ua-donetsk-mirror-or-freeze[default]",
        ]),
        0.35,
    );
    close(
        prob(&[
            "ru-donbas-withdrawal[withdrawal]",
            "ua-donetsk-mirror-or-freeze[default]",
        ]),
        0.35,
    );
    // The referendum cycle runs through P2 only when P2 is read as the
    // settlement (ceasefire → settlement → referendum → ceasefire): the
    // set was robust while P2 had one reading, and now holds with
    // probability 0.5, under `settlement` alone.
    close(prob(&["ru-zk-whole-oblasts", "P1", "P2", "P9"]), 0.5);
    let p2_set = r["blocking_sets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| {
            b["members"].as_array().unwrap().len() == 4
                && b["members"][0]["id"] == "ru-zk-whole-oblasts"
                && b["members"][1]["id"] == "P1"
        })
        .expect("the referendum-cycle set");
    assert_eq!(p2_set["robust"], false);
    assert_eq!(
        p2_set["under_preconditions"]["P2"],
        serde_json::json!(["settlement"])
    );
    assert!(r["blocking_sets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["members"].as_array().unwrap())
        .all(|m| m["id"] != "ru-nato-renunciation"));
    // Read literally, Russia's NATO line changes nothing.
    let lit = super::json(&[
        "analyze",
        "--json",
        "--reading",
        "ru-nato-renunciation=literal",
    ]);
    assert_eq!(sets(&lit), blockers);
    // Without Russia's oblast line a deal needs Russia's Donetsk line read
    // as withdrawal (0.5), Ukraine's Donetsk line not to hold (0.3) and the
    // ZNPP pair broken (1 − 0.49): 0.0765.
    let no_zk = super::json(&["analyze", "--json", "--drop", "ru-zk-whole-oblasts"]);
    close(
        no_zk["readings"]["p_deal"].as_f64().unwrap(),
        0.5 * 0.3 * 0.51,
    );
    // The reference deal (the smallest relaxation's Nash deal) holds no
    // referendum and keeps Russia's NATO ban, so the amendment milestone
    // applies and its process runs.
    let p = &v["process"];
    assert_eq!(p["reference"], "relaxation");
    assert_eq!(p["consistent"], true);
    assert!(p["schedule"].get("referendum").is_none());
    assert!(p["schedule"].get("amendment").is_some());
    // The full network deadlocks under P2's settlement reading (6 cycles);
    // its signature reading leaves 3, each through option C's own ordering,
    // which therefore deadlocks under both readings (robust).
    let full = super::json(&["process", "--json"]);
    assert_eq!(full["consistent"], false);
    assert_eq!(full["deadlocks"].as_array().unwrap().len(), 6);
    let sig = super::json(&["process", "--json", "--reading", "P2=signature"]);
    assert_eq!(sig["deadlocks"].as_array().unwrap().len(), 3);
    let r = &full["readings"];
    assert_eq!(r["combinations"], 2);
    assert_eq!(r["p_consistent"], 0.0);
    let cycles = r["deadlocks"].as_array().unwrap();
    assert_eq!(cycles.len(), 6);
    let robust: Vec<&serde_json::Value> = cycles.iter().filter(|c| c["robust"] == true).collect();
    assert_eq!(robust.len(), 3);
    assert!(robust.iter().all(|c| c["probability"] == 1.0));
    assert!(cycles
        .iter()
        .filter(|c| c["robust"] == false)
        .all(|c| c["probability"] == 0.5 && c["under"]["P2"] == serde_json::json!(["settlement"])));
}

//! Scenarios that use none of the deal-dependent ratification or process
//! fields give byte-identical JSON to the binary before those fields
//! existed. The fixtures in `tests/fixtures/main` were written by that
//! binary (`accord analyze|process|timeline FILE --json`); the flagship as
//! it was then is kept beside them, since the bundled one now uses the
//! new fields.

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

/// The flagship with its deal-dependent process: the referendum milestone
/// exists only on deals that hold one, so its reference deal (no
/// referendum) runs without the P1–P2–P9 deadlock, while a deal with a
/// referendum meets it. Nothing is implementable, and the joint blocking
/// sets over the implementable deals are the two red-line pairs (Donetsk;
/// NATO): the process adds none, because Russia's ceasefire red line with
/// the P1 feasibility rule already excludes every referendum deal.
#[test]
fn flagship_process_follows_the_deal() {
    let v = super::json(&["analyze", "--json"]);
    assert_eq!(v["blockers_over"], "implementable");
    assert_eq!(v["zopa"]["implementable"]["size"], 0);
    assert_eq!(v["zopa"]["implementable"]["networks"], 2);
    let mut blockers: Vec<Vec<String>> = v["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let mut ids: Vec<String> = b
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    format!(
                        "{}:{}",
                        c["actor"].as_str().unwrap(),
                        c["id"].as_str().unwrap()
                    )
                })
                .collect();
            ids.sort();
            ids
        })
        .collect();
    blockers.sort();
    assert_eq!(
        blockers,
        [
            ["RU:ru-donbas-withdrawal", "UA:ua-donetsk-mirror-or-freeze"],
            ["RU:ru-nato-renunciation", "UA:ua-no-nato-ban"],
        ]
    );
    let p = &v["process"];
    assert_eq!(p["reference"], "relaxation");
    assert_eq!(p["consistent"], true);
    // Without a referendum: 7 of 8 milestones, P1 and P9 gone.
    assert_eq!(
        (p["milestones"].as_u64(), p["preconditions"].as_u64()),
        (Some(7), Some(7))
    );
    assert!(p["schedule"].get("referendum").is_none());
    // The full network (every step active) is the deadlocked one.
    let full = super::json(&["process", "--json"]);
    assert_eq!(full["consistent"], false);
}

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

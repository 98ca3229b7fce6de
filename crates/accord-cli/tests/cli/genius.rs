//! GENIUS import, export and `analyze --genius` through the binary, on the
//! repository's own GENIUS-format domains (and the ANAC ones when
//! `ACCORD_ANAC_DATA` names them).

use super::data::{anac, DATA};
use super::{accord, ok_json};

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("accord-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

#[test]
fn import_export_import_genius() {
    let d = tmp("genius");
    let toml = d.join("lease.toml");
    let out = accord(&[
        "import",
        "genius",
        &format!("{DATA}/genius/lease"),
        "-o",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = accord(&["check", toml.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let xml = d.join("xml");
    let out = accord(&[
        "export",
        "genius",
        toml.to_str().unwrap(),
        "-o",
        xml.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One domain file and one profile per party.
    assert_eq!(std::fs::read_dir(&xml).unwrap().count(), 3);
    let v = ok_json(&["analyze", "--json", "--genius", xml.to_str().unwrap()]);
    // 5 rents × 3 terms × 11 deposits.
    assert_eq!(v["outcomes"], 165);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn three_party_domain_analyses() {
    let v = ok_json(&[
        "analyze",
        "--json",
        "--genius",
        &format!("{DATA}/genius/picnic"),
    ]);
    assert_eq!(v["outcomes"], 24);
    // Nash point from the reservations (ann 0.5, ben 0.4, cai 0), found by
    // enumerating the 24 outcomes in exact fractions: park, salad,
    // morning gives ann 0.5·1 + 0.25·(2/4) + 0.25·1 = 0.875, ben
    // 0.25·(1/4) + 0.5·1 + 0.25·(1/2) = 0.6875, cai 0.5·(2/4) +
    // 0.25·(2/4) + 0.25·1 = 0.625; product 0.375·0.2875·0.625 ≈ 0.06738,
    // ahead of park, salad, noon (≈ 0.06445).
    let nash = &v["solutions"]["nash"];
    assert_eq!(nash["outcome"]["place"], "park");
    assert_eq!(nash["outcome"]["food"], "salad");
    assert_eq!(nash["outcome"]["time"], "morning");
    let u = &nash["utilities"];
    assert_eq!(u.as_object().unwrap().len(), 3);
    assert_eq!(u["picnic_ann"], 0.875);
    assert_eq!(u["picnic_ben"], 0.6875);
    assert_eq!(u["picnic_cai"], 0.625);
}

#[test]
fn bad_genius_input_exits_2_with_a_location() {
    let out = accord(&["import", "genius", &format!("{DATA}/genius/grid")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("profile-1.xml:1:22"), "{err}");
    assert!(err.contains("non-linear"), "{err}");
    let out = accord(&["analyze", "--genius", "/nonexistent"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn non_linear_domain_is_solved_exactly() {
    let v = ok_json(&[
        "analyze",
        "--json",
        "--genius",
        &format!("{DATA}/genius/grid"),
    ]);
    assert_eq!(v["exact"], true);
    assert_eq!(v["outcomes"], 625);
    // data/genius/grid/pareto.xml (brute force by data/genius/pareto.py)
    // has 4 points: (0.4, 1), (0.7, 0.875), (0.8, 0.75), (1, 0.4375).
    assert_eq!(v["pareto"].as_array().unwrap().len(), 4);
    // Nash products over them from the reservations (0.3, 0.2):
    // 0.1·0.8 = 0.08, 0.4·0.675 = 0.27, 0.5·0.55 = 0.275, 0.7·0.2375 =
    // 0.16625; the largest is (0.8, 0.75).
    let nash = &v["solutions"]["nash"];
    assert_eq!(nash["utilities"]["profile-1"], 0.8);
    assert_eq!(nash["utilities"]["profile-2"], 0.75);
    assert!((nash["score"].as_f64().unwrap() - 0.275).abs() < 1e-12);
}

#[test]
fn anac_non_linear_domain_is_solved_exactly() {
    let Some(root) = anac("anac_non_linear_domain_is_solved_exactly") else {
        return;
    };
    let dir = root.join("genius/other/S-1NIKFRT-1");
    let v = ok_json(&["analyze", "--json", "--genius", dir.to_str().unwrap()]);
    assert_eq!(v["exact"], true);
    assert_eq!(v["outcomes"], 10_000_000_000u64);
    // GENIUS's own pareto.xml for this domain has 4 points.
    assert_eq!(v["pareto"].as_array().unwrap().len(), 4);
    assert!(v["solutions"]["nash"]["utilities"].is_object());
}

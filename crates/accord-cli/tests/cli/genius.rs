//! GENIUS import, export and `analyze --genius` through the binary.

use super::accord;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/genius");

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("accord-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

#[test]
fn import_export_import_genius() {
    let d = tmp("genius");
    let toml = d.join("laptop.toml");
    let out = accord(&[
        "import",
        "genius",
        &format!("{DATA}/y2011/Laptop"),
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
    assert_eq!(std::fs::read_dir(&xml).unwrap().count(), 3);
    let out = accord(&["analyze", "--json", "--genius", xml.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["outcomes"], 27);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn bad_genius_input_exits_2_with_a_location() {
    let out = accord(&["import", "genius", &format!("{DATA}/other/S-1NAGUNL-128")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("profile-1.xml:"), "{err}");
    assert!(err.contains("non-linear"), "{err}");
    let out = accord(&["analyze", "--genius", "/nonexistent"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn non_linear_domain_is_solved_exactly() {
    let out = accord(&[
        "analyze",
        "--json",
        "--genius",
        &format!("{DATA}/other/S-1NIKFRT-1"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["exact"], true);
    assert_eq!(v["outcomes"], 10_000_000_000u64);
    // GENIUS's own pareto.xml for this domain has 4 points.
    assert_eq!(v["pareto"].as_array().unwrap().len(), 4);
    assert!(v["solutions"]["nash"]["utilities"].is_object());
}

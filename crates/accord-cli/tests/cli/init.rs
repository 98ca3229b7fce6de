//! `accord init`: the template checks strictly, analyses to hand-computed
//! figures, and never overwrites a file without --force.

use super::accord;

#[test]
fn template_is_written_checks_strictly_and_analyses() {
    let dir = std::env::temp_dir().join(format!("accord-cli-init-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("my.toml");
    let p = path.to_str().unwrap();
    let out = accord(&["init", p]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(&path).unwrap();
    // `-` prints the same template.
    assert_eq!(accord(&["init", "-"]).stdout, written.as_bytes());
    let out = accord(&["check", p, "--strict"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = accord(&["analyze", p, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // 7 raises (0..=6) × 3 remote options.
    assert_eq!(v["outcomes"], 21);
    // By hand: the union needs raise >= 2 (red line) and its members'
    // vote, which passes only with the office bloc (60 of 100 seats, quota
    // 0.5): remote >= one and union utility >= 0.45. With the employer's
    // reservation 0.3 that leaves remote = one with raise 3, 4, 5 and
    // remote = two with raise 2, 3, 4.
    assert_eq!(v["zopa"]["size"], 6);
    // Nash products from (0.3, 0.25) over those six: two/2 gives employer
    // 0.7·(4/6) + 0.3·0.3 = 0.556667 and union 0.6·(2/6) + 0.4 = 0.6,
    // product 0.2567·0.35 = 0.0898, ahead of one/3 (0.29·0.29 = 0.0841).
    let nash = &v["solutions"]["nash"];
    assert_eq!(nash["outcome"]["raise"], 2.0);
    assert_eq!(nash["outcome"]["remote"], "two");
    let u = |a: &str| nash["utilities"][a].as_f64().unwrap();
    assert!((u("employer") - (0.7 * 4.0 / 6.0 + 0.09)).abs() < 1e-9);
    assert!((u("union") - 0.6).abs() < 1e-9);

    // An existing file is refused and left as it was; --force overwrites.
    std::fs::write(&path, "mine").unwrap();
    let out = accord(&["init", p]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists; use --force"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
    assert_eq!(accord(&["init", p, "--force"]).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
    let _ = std::fs::remove_dir_all(&dir);
}

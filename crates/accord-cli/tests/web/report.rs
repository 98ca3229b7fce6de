//! `accord report`: HTML with inline SVG, or Markdown with the SVG beside it.

use crate::server::scratch;
use std::process::Command;

fn accord(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run accord")
}

#[test]
fn report_html_and_markdown() {
    let dir = scratch("report");
    let html = dir.join("triad.html");
    let out = accord(&["report", "triad", "-o", html.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h = std::fs::read_to_string(&html).unwrap();
    assert!(h.starts_with("<!doctype html>") && h.contains("<svg"));
    assert_eq!(h.matches(r#"<tr class="blocker">"#).count(), 6);
    assert!(!h.contains("<script") && !h.contains("src=\"http"));

    let md = dir.join("triad.md");
    let out = accord(&["report", "triad", "-o", md.to_str().unwrap()]);
    assert!(out.status.success());
    let m = std::fs::read_to_string(&md).unwrap();
    assert!(m.contains("](triad-pareto.svg)"));
    let svg = std::fs::read_to_string(dir.join("triad-pareto.svg")).unwrap();
    assert!(svg.starts_with("<svg"));

    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[scenario]\nid = 3\n").unwrap();
    let out = accord(&[
        "report",
        bad.to_str().unwrap(),
        "-o",
        dir.join("x.html").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml:2:"));
}

#[test]
fn report_names_each_deadlock_edge() {
    let dir = scratch("report-deadlock");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../accord-server/tests/fixtures/sale-deadlock.toml"
    );
    let html = dir.join("d.html");
    let out = accord(&["report", fixture, "-o", html.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h = std::fs::read_to_string(&html).unwrap();
    assert!(
        h.contains("<td>P1 held</td><td>seller</td><td>No delivery before payment</td>"),
        "{h}"
    );
    let md = dir.join("d.md");
    assert!(accord(&["report", fixture, "-o", md.to_str().unwrap()])
        .status
        .success());
    let m = std::fs::read_to_string(&md).unwrap();
    assert!(
        m.contains("| delivery → payment | P1 | seller | No delivery before payment |"),
        "{m}"
    );
}

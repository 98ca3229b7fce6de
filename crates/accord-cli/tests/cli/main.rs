//! The `accord` binary end to end: exit codes, located errors, JSON keys.

use serde_json::Value;
use std::process::{Command, Output};

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .env("COLUMNS", "200")
        .output()
        .expect("runs")
}

/// Runs `accord ARGS`, asserts exit code 0 and parses stdout as JSON.
fn ok_json(args: &[&str]) -> serde_json::Value {
    let out = accord(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn json(args: &[&str]) -> Value {
    let out = accord(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("accord-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn check_accepts_every_bundled_scenario() {
    for name in ["ukraine-2025-12", "sale", "triad"] {
        let out = accord(&["check", name]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("valid"));
    }
    // No argument: the flagship.
    assert_eq!(accord(&["check"]).status.code(), Some(0));
}

#[test]
fn check_points_at_the_broken_line() {
    let text = include_str!("../../../../scenarios/sale.toml").replacen(
        "rule = \"price <= 8\"",
        "rule = \"price <= eight\"",
        1,
    );
    let line = text[..text.find("price <= eight").unwrap()]
        .matches('\n')
        .count()
        + 1;
    let p = temp_file("broken.toml", &text);
    let out = accord(&["check", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("broken.toml:{line}:18")), "{err}");
    assert!(err.contains("expected a number for `price`"), "{err}");
    let j: Value =
        serde_json::from_slice(&accord(&["check", p.to_str().unwrap(), "--json"]).stdout).unwrap();
    assert_eq!(j["valid"], false);
    assert_eq!(j["errors"][0]["line"], line);
}

#[test]
fn missing_file_and_bad_utf8_exit_2() {
    let out = accord(&["analyze", "/no/such/file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
    let dir = std::env::temp_dir().join(format!("accord-cli-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("bin.toml");
    std::fs::write(&p, [0xff, 0xfe, 0x00]).unwrap();
    assert_eq!(
        accord(&["check", p.to_str().unwrap()]).status.code(),
        Some(2)
    );
}

#[test]
fn analyze_json_has_the_documented_keys() {
    let j = json(&["analyze", "sale", "--json"]);
    assert_eq!(j["scenario"], "sale");
    assert_eq!(j["outcomes"], 22);
    assert_eq!(j["zopa"]["size"], 4);
    assert_eq!(j["solutions"]["nash"]["outcome"]["price"], 8.0);
    assert_eq!(j["solutions"]["nash"]["outcome"]["delivery"], "express");
    assert!(
        (j["solutions"]["nash"]["utilities"]["seller"]
            .as_f64()
            .unwrap()
            - 0.64)
            .abs()
            < 1e-12
    );
    assert_eq!(j["solutions"]["kalai_smorodinsky"]["outcome"]["price"], 7.0);
    for k in ["utilitarian", "egalitarian"] {
        assert!(j["solutions"][k]["outcome"].is_object(), "{k}");
    }
    assert_eq!(j["pareto"].as_array().unwrap().len(), 4);
    assert!(j["pareto"][0]["outcome"].is_object() && j["pareto"][0]["utilities"].is_object());
    assert_eq!(j["blockers"], Value::Array(vec![]));
    assert_eq!(j["relaxations"], Value::Array(vec![]));
    assert_eq!(j["exact"], true);
}

#[test]
fn analyze_json_reports_blockers_with_sources() {
    let j = json(&["analyze", "triad", "--json"]);
    assert_eq!(j["zopa"]["size"], 0);
    assert!(j["solutions"]["nash"].is_null());
    let blockers = j["blockers"].as_array().unwrap();
    assert_eq!(blockers.len(), 3);
    for b in blockers {
        for c in b.as_array().unwrap() {
            assert!(c["actor"].is_string() && c["rule"].is_string());
            assert_eq!(c["source"], "example");
        }
    }
    assert_eq!(j["relaxations"].as_array().unwrap().len(), 8);
    assert_eq!(j["relaxations"][0]["zopa_size"], 12);
}

#[test]
fn human_output_starts_with_a_plain_summary() {
    let out = accord(&["analyze", "triad"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let second = text.lines().nth(1).unwrap();
    assert!(
        second.starts_with("No deal can close today: 3 independent sets"),
        "{second}"
    );
    let out = accord(&["analyze", "sale"]);
    assert!(String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("A deal can close: 4 of 22"));
}

#[test]
fn same_input_same_bytes() {
    let a = accord(&["analyze", "--json"]);
    let b = accord(&["analyze", "--json"]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn show_lists_positions_with_sources() {
    // The human listing is snapshotted in snapshots.rs.
    let j = json(&["show", "sale", "--json"]);
    assert_eq!(j["scenario"]["scenario"]["id"], "sale");
    assert!(j["positions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["actor"] == "buyer" && p["issue"] == "delivery" && p["ideal"] == "express"));
}

/// `--level` sets the intervals' confidence level: the same bootstrap
/// draws give a wider interval at 99.6% than at 95%, the JSON says which,
/// and a level outside (0, 1) is refused.
#[test]
fn backtest_level_widens_the_intervals() {
    let deu = format!("{}/deu/deu3.csv", data::DATA);
    let at = |level: &str| {
        json(&[
            "backtest",
            "--deu",
            &deu,
            "--resamples",
            "200",
            "--level",
            level,
            "--json",
        ])
    };
    let (narrow, wide) = (at("0.95"), at("0.996"));
    assert_eq!(narrow["level"], 0.95);
    assert_eq!(wide["level"], 0.996);
    assert_eq!(narrow["mae"], wide["mae"]);
    for model in ["median", "eum", "smp"] {
        let ci = |j: &Value, k: usize| j["ci"][model][k].as_f64().unwrap();
        assert!(ci(&wide, 0) <= ci(&narrow, 0), "{model}");
        assert!(ci(&wide, 1) >= ci(&narrow, 1), "{model}");
        assert!(
            ci(&wide, 1) - ci(&wide, 0) > ci(&narrow, 1) - ci(&narrow, 0),
            "{model}"
        );
    }
    let out = accord(&[
        "backtest",
        "--deu",
        &deu,
        "--resamples",
        "50",
        "--level",
        "0.996",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("99.6% CI of Δ"));
    let out = accord(&["backtest", "--deu", &deu, "--level", "1.5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0 and 1"));
}

#[test]
fn scenario_from_stdin_and_json_input() {
    let sc = json(&["show", "sale", "--json"]);
    let p = temp_file(
        "sale.json",
        &serde_json::to_string(&sc["scenario"]).unwrap(),
    );
    let j = json(&["analyze", p.to_str().unwrap(), "--json"]);
    assert_eq!(j["zopa"]["size"], 4);
}

mod data;
mod genius;
mod hardening;
mod init;
mod readings;
mod sensitivity;
mod simulate;
mod snapshots;
mod unchanged;
mod whatif;

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
        // Narrow tables make `show` print more than a pipe buffer (64 KiB)
        // through `println!`, so the writes must meet the closed pipe.
        .args(["show"])
        .env("COLUMNS", "20")
        .env_remove("RUST_BACKTRACE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 8];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The reader is gone: the next writes hit a closed pipe.
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

//! Hostile input through the binary: deep nesting, huge inputs, full disks.
//! Each test reproduces a reported crash or wrong answer.

use super::{accord, temp_file};
use std::io::Write;
use std::process::{Command, Output, Stdio};

const SALE: &str = include_str!("../../../../scenarios/sale.toml");

/// The sale scenario with its feasibility rule wrapped in `n` parentheses.
fn deep_rule(n: usize) -> String {
    let rule = format!("{}price <= 8{}", "(".repeat(n), ")".repeat(n));
    SALE.replacen("rule = \"price <= 8\"", &format!("rule = \"{rule}\""), 1)
}

fn with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().expect("piped");
    // The reader may stop early (input too large): a broken pipe is expected.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().expect("waits")
}

#[test]
fn a_rule_nested_thousands_deep_is_a_located_error_not_an_abort() {
    let line = SALE[..SALE.find("rule = \"price <= 8\"").unwrap()]
        .matches('\n')
        .count()
        + 1;
    for n in [3_000, 10_000] {
        let p = temp_file(&format!("deep{n}.toml"), &deep_rule(n));
        let out = accord(&["check", p.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{n}: {err}");
        assert!(err.contains("nesting deeper than 64 levels"), "{err}");
        assert!(err.contains(&format!("deep{n}.toml:{line}:")), "{err}");
    }
}

#[test]
fn deep_toml_and_json_documents_are_located_errors() {
    let toml = format!("x = {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let p = temp_file("deep-array.toml", &toml);
    let out = accord(&["check", p.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("nesting deeper than 80 levels"), "{err}");
    assert!(err.contains("deep-array.toml:1:"), "{err}");

    let json = format!(
        "{{\"scenario\": {{\"id\": {}{}}}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let p = temp_file("deep.json", &json);
    let out = accord(&["check", p.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("deep.json:1:"), "{err}");
}

#[test]
fn input_larger_than_the_limit_is_refused() {
    // 64 MiB and one byte of spaces on standard input.
    let big = vec![b' '; 64 * 1024 * 1024 + 1];
    let out = with_stdin(&["check", "-"], &big);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("standard input is larger than the 64 MiB input limit"),
        "{err}"
    );
}

#[test]
fn json_on_standard_input_is_recognised_even_with_a_byte_order_mark() {
    let shown = accord(&["show", "sale", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let json = serde_json::to_string(&v["scenario"]).unwrap();
    let out = with_stdin(&["analyze", "-", "--json"], json.as_bytes());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["zopa"]["size"], 4);
    // The same JSON behind a UTF-8 byte-order mark, as a file and on stdin.
    let marked = format!("\u{feff}{json}");
    let p = temp_file("marked.json", &marked);
    let out = accord(&["check", p.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = with_stdin(&["check", "-"], marked.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_exit_2_with_a_message_for_every_command() {
    for args in [
        &["show"][..],
        &["show", "--json"],
        &["check"],
        &["analyze", "sale"],
        &["analyze", "sale", "--json"],
        &["process", "triad"],
        &["scenarios"],
        &["timeline"],
        &["forecast", "sale"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(args)
            .env_remove("RUST_BACKTRACE")
            .stdout(full)
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with("error: cannot write to standard output: No space left"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// The sale without its ratifiers and with 10,001 prices: searchable.
fn fine_sale() -> String {
    SALE[..SALE.find("[[ratifiers]]").unwrap()].replacen("step = 1\n", "step = 0.001\n", 1)
}

#[test]
fn a_budget_cut_search_never_claims_no_deal() {
    let p = temp_file("fine-sale.toml", &fine_sale());
    let f = p.to_str().unwrap();
    let out = accord(&[
        "analyze",
        f,
        "--method",
        "search",
        "--max-nodes",
        "1",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["exact"], false);
    assert_eq!(j["gap"], "inf");
    assert_eq!(j["blockers"], serde_json::json!([]));
    let out = accord(&["analyze", f, "--method", "search", "--max-nodes", "1"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("No deal can close"), "{text}");
    assert!(text.contains("Undecided: the search stopped"), "{text}");
    // With the budget it needs, the same file has a deal of 5,502 outcomes.
    let j: serde_json::Value =
        serde_json::from_slice(&accord(&["analyze", f, "--method", "search", "--json"]).stdout)
            .unwrap();
    assert_eq!(
        (j["exact"].clone(), j["zopa"]["size"].clone()),
        (true.into(), 5502.into())
    );
}

#[test]
fn search_refusal_and_oversized_spaces_say_the_real_reason() {
    let out = accord(&["analyze", "sale", "--method", "search"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(!err.contains("invalid scenario"), "{err}");
    assert!(
        err.contains("--method search: the search path needs"),
        "{err}"
    );
    // 61 issues of 10 levels: 10^61 outcomes, beyond u128's 3.4e38 too.
    let mut text = fine_sale();
    for k in 0..61 {
        text.push_str(&format!(
            "\n[[issues]]\nid = \"x{k}\"\nname = \"x\"\ntype = \"numeric\"\nmin = 0\nmax = 9\nstep = 1\n"
        ));
    }
    let p = temp_file("huge.toml", &text);
    let out = accord(&["analyze", p.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("about 10^65 outcomes, more than 2^64"),
        "{err}"
    );
    assert!(!err.contains("single-issue"), "{err}");
    assert!(!err.contains(&u128::MAX.to_string()), "{err}");
}

#[test]
fn export_genius_writes_only_inside_the_output_folder() {
    let root = std::env::temp_dir().join(format!("accord-export-{}", std::process::id()));
    let out_dir = root.join("a").join("b").join("out");
    let text = SALE
        .replacen("id = \"sale\"", "id = \"../../x\"", 1)
        .replacen("id = \"seller\"", "id = \"/tmp/accord-evil\"", 1)
        .replace("actor = \"seller\"", "actor = \"/tmp/accord-evil\"");
    let p = temp_file("evil.toml", &text);
    let out = accord(&[
        "export",
        "genius",
        p.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let mut written: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        ["______x.xml", "_tmp_accord-evil.xml", "buyer.xml"]
    );
    // Nothing landed two levels up or at the absolute path.
    assert!(!root.join("a").join("x.xml").exists());
    assert!(!std::path::Path::new("/tmp/accord-evil.xml").exists());
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn forecasts_that_would_be_nan_are_refused() {
    let zero = temp_file(
        "zero-salience.csv",
        "T,d,2,1,\nActor,Description,Power,P1,S1,\nA,a,10,20,0,\nB,b,10,80,0,\n",
    );
    let out = accord(&[
        "forecast",
        "--ktab",
        zero.to_str().unwrap(),
        "--model",
        "smp",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("line 1: no actor has a position and a salience"),
        "{err}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("NaN"));
    // A DEU file with its header only: nothing to score, no NaN MAE.
    let actors = ["com", "ep", "de", "fr"];
    let cols: Vec<String> = ["prnrnmc", "isnrnmc", "prnr", "prname", "isnr", "type"]
        .iter()
        .map(|c| c.to_string())
        .chain(actors.iter().map(|a| format!("p{a}")))
        .chain(actors.iter().map(|a| format!("s{a}")))
        .chain(["rp".to_string(), "out".to_string()])
        .map(|c| format!("\"{c}\""))
        .collect();
    let header = cols.join("\t") + "\n";
    let deu = temp_file("header-only.csv", &header);
    let out = accord(&["backtest", "--deu", deu.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("can be scored"), "{err}");
}

#[test]
fn cross_validation_needs_the_columns_of_the_capability_measures() {
    // Positions and outcomes but no procedure, voting rule or date.
    let deu = temp_file(
        "no-capability-columns.csv",
        "isnr;prnr;pcom;scom;pde;sde;pfr;sfr;out\nx1;p1;10;50;20;50;30;40;40\n",
    );
    let out = accord(&["backtest", "--deu", deu.to_str().unwrap(), "--cv", "2"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no-capability-columns.csv"), "{err}");
    assert!(err.contains("line 1: header has no `proc` column"), "{err}");
    // The plain backtest needs none of them.
    let out = accord(&[
        "backtest",
        "--deu",
        deu.to_str().unwrap(),
        "--resamples",
        "10",
    ]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn control_characters_from_scenario_text_are_escaped() {
    let text = SALE.replacen(
        "title = \"A seller",
        "title = \"\\u001b[2J\\u0007A seller",
        1,
    );
    let p = temp_file("ctl.toml", &text);
    let out = accord(&["show", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.starts_with("\\u{1b}[2J\\u{7}A seller"), "{shown}");
    assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'));
    // A located error quotes the line: escaped there too.
    let bad = text.replacen("rule = \"price <= 8\"", "rule = \"price <= \\u001b[2J\"", 1);
    let p = temp_file("ctl-bad.toml", &bad);
    let out = accord(&["check", p.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("\\u{1b}"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
}

#[test]
fn small_argument_and_output_mistakes_have_clear_messages() {
    let dir = std::env::temp_dir().join(format!("accord-pdf-{}", std::process::id()));
    let pdf = dir.join("x.pdf");
    let out = accord(&["report", "sale", "-o", pdf.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the report is written as .html"), "{err}");
    assert!(!pdf.exists());

    let out = accord(&["sensitivity", "sale", "--runs", "0"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("expected at least 1 run"), "{err}");
    assert!(!err.contains("18446744073709551615"), "{err}");
}

/// 19 issues of 10 levels and two opposed parties: 10^19 outcomes, about
/// half of them acceptable to both; only the search path can visit it.
fn opposed_19() -> String {
    let mut t = String::from(
        "[scenario]\nid = \"big\"\ntitle = \"Big\"\nas_of = \"2025-01-01\"\nweights = \"normalize\"\n\
         \n[[sources]]\nid = \"s\"\ntitle = \"s\"\ngrade = \"assumption\"\n\
         \n[[actors]]\nid = \"a\"\nname = \"A\"\npower = { value = 1, source = \"s\" }\n\
         \n[[actors]]\nid = \"b\"\nname = \"B\"\npower = { value = 1, source = \"s\" }\n",
    );
    for k in 0..19 {
        t.push_str(&format!(
            "\n[[issues]]\nid = \"i{k}\"\nname = \"I{k}\"\ntype = \"numeric\"\nmin = 0\nmax = 9\nstep = 1\n"
        ));
    }
    for (actor, shape) in [("a", "rising"), ("b", "falling")] {
        t.push_str(&format!(
            "\n[[preferences]]\nactor = \"{actor}\"\nreservation = {{ value = 0.3, source = \"s\" }}\n"
        ));
        for k in 0..19 {
            t.push_str(&format!(
                "[preferences.issues.i{k}]\nweight = {{ value = 1, source = \"s\" }}\nshape = \"{shape}\"\n"
            ));
        }
    }
    t
}

#[cfg(unix)]
#[test]
fn ctrl_c_during_a_large_search_exits_130_without_a_verdict() {
    let p = temp_file("opposed19.toml", &opposed_19());
    let check = accord(&["check", p.to_str().unwrap()]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let child = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args([
            "analyze",
            p.to_str().unwrap(),
            "--max-nodes",
            "1000000000000",
        ])
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let out = child.wait_with_output().expect("waits");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(130), "{stdout}");
    // Regression: it printed "No deal can close today" with `blockers: [[]]`.
    assert!(!stdout.contains("No deal"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
}

#[test]
fn a_budget_cut_non_linear_search_writes_inf_not_null() {
    let Some(anac) = crate::data::anac("a_budget_cut_non_linear_search_writes_inf_not_null") else {
        return;
    };
    let dir = anac.join("genius/other/S-1NAGUNL-128");
    let dir = dir.to_str().expect("a UTF-8 path");
    let out = accord(&["analyze", "--genius", dir, "--max-nodes", "1", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["exact"], false);
    // Regression: an unbounded gap was written `null`, which reads as exact.
    assert_eq!(j["gap"], "inf");
    let pareto = &j["search"]["bounds"][0];
    assert_eq!(
        (pareto["figure"].clone(), pareto["upper"].clone()),
        ("pareto".into(), "inf".into())
    );
}

#[test]
fn a_bad_entrenchment_is_a_located_error_and_exit_2() {
    let anchor = "quote = \"we cannot pay more than 8\"";
    let line = SALE[..SALE.find(anchor).unwrap()].matches('\n').count() + 2;
    for (value, says) in [
        ("\"bogus\"", "unknown entrenchment `bogus`"),
        ("-2", "expected a number >= 0"),
    ] {
        let text = SALE.replacen(anchor, &format!("{anchor}\nentrenchment = {value}"), 1);
        let p = temp_file("entrench.toml", &text);
        let out = accord(&["analyze", p.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(err.contains(&format!("entrench.toml:{line}:16")), "{err}");
    }
}

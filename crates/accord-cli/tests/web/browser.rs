//! The page in headless Chromium: the flagship's blockers and the Pareto
//! chart are rendered. Without Chromium these tests fail when `CI` is set
//! (CI installs it, so a missing browser is a broken setup, not a pass) and
//! skip with a printed reason otherwise.

use crate::server::{scratch, start};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The browser: `ACCORD_CHROMIUM` when set, else the Debian package's path.
fn chromium_path() -> std::path::PathBuf {
    std::env::var_os("ACCORD_CHROMIUM")
        .map(Into::into)
        .unwrap_or_else(|| "/usr/bin/chromium".into())
}

/// Whether Chromium is installed; without it, panics under `CI` and
/// otherwise prints why `test` is skipped.
fn have_chromium(test: &str) -> bool {
    let path = chromium_path();
    if path.exists() {
        return true;
    }
    let path = path.display();
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {path} is absent and CI is set; install it (apt-get install chromium)");
    }
    eprintln!("SKIP {test}: {path} is absent (apt-get install chromium; with CI set this fails)");
    false
}

/// Runs Chromium headless on `url` with `mode` args; returns its stdout.
fn chromium(profile: &Path, mode: &[&str], url: &str) -> String {
    let mut child = Command::new(chromium_path())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            // Virtual time stands still while requests are pending, so the
            // page's analyses complete before the DOM is dumped.
            "--virtual-time-budget=600000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(mode)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn chromium");
    let out = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || std::io::read_to_string(out).unwrap_or_default());
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(600) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in 10 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().expect("reader")
}

#[test]
fn page_renders_flagship_blockers_and_chart() {
    if !have_chromium("page_renders_flagship_blockers_and_chart") {
        return;
    }
    let dir = scratch("browser");
    // A generous budget: debug builds analyse the flagship slowly.
    let server = start(&dir.join("lib.db"), &["--budget", "600"]);
    let url = format!("http://{}/#/ukraine-2025-12", server.addr);

    let dom = chromium(&dir.join("profile-dom"), &["--dump-dom"], &url);
    assert!(
        dom.contains(r#"data-state="ready""#),
        "page not ready:\n{}",
        &dom[..dom.len().min(2000)]
    );
    assert!(dom.contains(r#"data-chart="rendered""#));
    // The flagship has two blocking pairs of red lines.
    assert_eq!(dom.matches(r#"<tr class="blocker">"#).count(), 4);
    assert!(dom.contains("ru-donbas-withdrawal"));
    assert!(dom.contains("“this is already a compromise on our part”"));
    assert!(dom.contains(r#"class="no">no — none of 6609600 feasible outcomes"#));
    // The chart plots the relaxations' Nash points and the disagreement point.
    let points: usize = dom
        .split(r#"data-points=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .expect("data-points on the canvas");
    assert!(points >= 2, "{points} points plotted");

    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-e2e-flagship.png");
    let _ = std::fs::remove_file(&shot);
    chromium(
        &dir.join("profile-shot"),
        &[
            "--window-size=1280,3600",
            &format!("--screenshot={}", shot.display()),
        ],
        &url,
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert_eq!(&png[1..4], b"PNG");
    assert!(
        png.len() > 50_000,
        "screenshot too small: {} bytes",
        png.len()
    );
    eprintln!("screenshot: {}", shot.display());
    drop(server);
}

#[test]
fn page_shows_validation_messages_at_their_line() {
    if !have_chromium("page_shows_validation_messages_at_their_line") {
        return;
    }
    let dir = scratch("browser-errors");
    let server = start(&dir.join("lib.db"), &[]);
    let sale = accord_formats::bundled::bundled("sale").expect("sale").text;
    let broken = sale.replace("max = 10", "max = \"ten\"");
    let body = serde_json::json!({"id": "broken", "text": broken}).to_string();
    let r = accord_server::client::request(server.addr, "POST", "/api/scenarios", Some(&body))
        .expect("create");
    assert_eq!(r.status, 201, "{}", r.body);
    let dom = chromium(
        &dir.join("profile"),
        &["--dump-dom"],
        &format!("http://{}/#/broken", server.addr),
    );
    assert!(dom.contains(r#"data-state="error""#));
    // The message names the file, line and column, and line 29 is marked.
    assert!(
        dom.contains("<li>broken.toml:29:"),
        "{}",
        &dom[..dom.len().min(3000)]
    );
    let marked: Vec<&str> = dom
        .split(r#"<span class="bad""#)
        .skip(1)
        .filter_map(|s| s.split('>').nth(1)?.split('<').next())
        .collect();
    assert_eq!(marked, ["29"]);
}

#[test]
fn page_highlights_the_deadlock_and_marks_solutions() {
    if !have_chromium("page_highlights_the_deadlock_and_marks_solutions") {
        return;
    }
    let dir = scratch("browser-deadlock");
    let server = start(&dir.join("lib.db"), &[]);
    let text = include_str!("../../../accord-server/tests/fixtures/sale-deadlock.toml");
    let body = serde_json::json!({ "text": text }).to_string();
    let r = accord_server::client::request(server.addr, "POST", "/api/scenarios", Some(&body))
        .expect("create");
    assert_eq!(r.status, 201, "{}", r.body);
    let dom = chromium(
        &dir.join("profile"),
        &["--dump-dom"],
        &format!("http://{}/#/sale-deadlock", server.addr),
    );
    assert!(dom.contains(r#"data-state="ready""#));
    // Both edges of the payment ⇄ delivery cycle, with their owners.
    assert_eq!(dom.matches(r#"<tr class="cycle">"#).count(), 2);
    assert!(
        dom.contains("<td>payment → delivery</td>") && dom.contains("<td>delivery → payment</td>")
    );
    // Each edge names its precondition, owner and rule.
    assert!(
        dom.contains("<td>P1 held</td><td>seller</td><td>No delivery before payment</td>"),
        "{dom}"
    );
    assert!(dom.contains("<td>P2 held</td><td>buyer</td><td>No payment before delivery</td>"));
    assert!(!dom.contains("undefined"));
    assert!(dom.contains(r#"class="yes">yes — 4 of 22 feasible outcomes"#));
    // 4 ZOPA frontier points + 4 solutions + the disagreement point.
    assert!(dom.contains(r#"data-points="9""#));
}

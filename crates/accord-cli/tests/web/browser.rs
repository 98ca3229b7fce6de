//! The page in headless Chromium: on the flagship every section renders
//! (blockers, Pareto chart, ratification, process graph, timeline,
//! forecasts, sensitivity) and a what-if from the URL opens a deal. Without
//! Chromium these tests fail when `CI` is set (CI installs it, so a missing
//! browser is a broken setup, not a pass) and skip with a printed reason
//! otherwise.

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

/// The opening tag of the element with `id` in a dumped DOM.
fn tag<'a>(dom: &'a str, id: &str) -> &'a str {
    let at = dom
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no #{id} in the page"));
    let start = dom[..at].rfind('<').expect("tag start");
    let end = at + dom[at..].find('>').expect("tag end");
    &dom[start..=end]
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
    // The same page with a what-if: the red lines of the smallest
    // relaxation dropped.
    let what_if = format!(
        "{url}?drop=red_lines:ru-donbas-withdrawal,red_lines:ru-zk-whole-oblasts,red_lines:ua-znpp-no-russian-role"
    );

    let dom = chromium(&dir.join("profile-dom"), &["--dump-dom"], &what_if);
    assert!(
        dom.contains(r#"data-state="ready""#),
        "page not ready:\n{}",
        &dom[..dom.len().min(2000)]
    );
    assert!(dom.contains(r#"data-chart="rendered""#));
    // The flagship has twelve blocking sets: eight pairs, two of four and
    // two of six constraints (docs/flagship.md), one row per member.
    assert_eq!(dom.matches(r#"<tr class="blocker">"#).count(), 36);
    assert!(dom.contains("ru-zk-whole-oblasts"));
    assert!(dom.contains("“only leads to a prolongation of the conflict”"));
    assert!(dom.contains(r#"class="no">no — none of 6949800 feasible outcomes"#));
    // The chart plots the relaxations' Nash points and the disagreement point.
    let points: usize = dom
        .split(r#"data-points=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .expect("data-points on the canvas");
    assert!(points >= 2, "{points} points plotted");

    // Every later section rendered once the slower analyses came back.
    assert!(
        dom.contains(r#"data-sections="ready""#),
        "sections not loaded"
    );
    // Ratification: the US Senate is the decisive ratifier.
    assert!(tag(&dom, "ratification-table").starts_with("<table"));
    assert!(dom.contains("<td>↳ us-senate</td>"));
    assert_eq!(dom.matches("<td>decisive</td>").count(), 1);
    // Process graph: the full network's six deadlocks share eight edges
    // (P1, P2, P4, P5, P9, the two ceasefire options' definitions and the
    // withdrawal's 30 days), each drawn once as a red arrow.
    let cycle = dom
        .split(r#"data-cycle-edges=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("none");
    assert_eq!(cycle, "8");
    assert_eq!(dom.matches(r#"class="edge cycle-edge""#).count(), 8);
    // Timeline: six dates, one disputed event (the Valdai claim).
    let tl = tag(&dom, "timeline-chart");
    assert!(
        tl.contains(r#"data-chart="rendered""#) && tl.contains(r#"data-points="7""#),
        "{tl}"
    );
    assert_eq!(dom.matches(r#"<tr class="disputed">"#).count(), 1);
    assert!(dom.contains(r#"data-event="valdai-claim""#));
    // Forecasts: one chart per forecastable issue (10 of the 15: four
    // unordered issues, and the guarantee's duration, which the US decides).
    assert!(tag(&dom, "forecasts").contains(r#"data-charts="10""#));
    // Sensitivity: drivers plotted and the odds of a ZOPA stated.
    assert!(tag(&dom, "drivers-chart").contains(r#"data-chart="rendered""#));
    assert!(dom.contains(r#"id="zopa-probability">A ZOPA exists in "#));
    // What-if: dropping the three red lines opens 63 deals.
    assert!(
        tag(&dom, "whatif").contains(r#"data-state="ready""#),
        "{}",
        tag(&dom, "whatif")
    );
    assert!(tag(&dom, "whatif-table").contains(r#"data-zopa="63""#));
    assert!(!dom.contains("innerHTML"));
    // Why, in words: the account of `accord explain`, one step per
    // blocking set and deadlock, each with its confidence.
    assert!(tag(&dom, "explain-section").contains(r#"data-state="ready""#));
    assert!(
        dom.contains(r#"id="explain-headline" class="no">No deal can close: 12 separate sets"#),
        "{}",
        tag(&dom, "explain-headline")
    );
    let steps = dom.matches(r#"<li class="step""#).count();
    assert!(steps >= 12, "{steps} steps");
    assert_eq!(
        dom.matches(r#"<p class="confidence">Confidence: "#).count(),
        steps
    );
    // Graded moves: none of up to three notches opens a deal on the
    // flagship (docs/flagship.md), and the page says so.
    let notches = tag(&dom, "notches-box");
    assert!(
        !notches.contains("hidden") && notches.contains(r#"data-fewest="none""#),
        "{notches}"
    );
    assert!(dom.contains(r#"<p id="notches-summary">No move of up to 3 notches opens a deal"#));
    // Readings: P(deal) 0 over all 768 combinations of the red lines' and
    // P2's readings, 17 blocking sets.
    assert!(
        dom.contains(r#"<strong class="no">P(deal) = 0.0%</strong>"#),
        "{}",
        tag(&dom, "readings-p-deal")
    );
    assert!(dom.contains("all 768 combinations of readings enumerated"));
    // P2's two readings are listed beside the red lines'.
    let pre = dom
        .split(r#"id="readings-preconditions""#)
        .nth(1)
        .expect("precondition readings table");
    let pre = &pre[..pre.find("</table>").unwrap()];
    assert_eq!(pre.matches("<tr").count(), 1 + 1, "{pre}");
    assert!(
        pre.contains("settlement (50%): settlement → ceasefire (veto)"),
        "{pre}"
    );
    let sets = dom
        .split(r#"id="readings-sets""#)
        .nth(1)
        .expect("readings table");
    let sets = &sets[..sets.find("</table>").unwrap()];
    assert_eq!(sets.matches("<tr").count(), 1 + 17);
    // A select per red line with readings on the what-if board.
    assert!(dom.contains(r#"data-reading="ru-nato-renunciation""#));
    // Near misses (five, with who must give what) and cheapest relaxations.
    assert_eq!(dom.matches(r#"<tr class="near-miss">"#).count(), 5);
    assert!(!tag(&dom, "cheapest-box").contains("hidden"));
    // The timeline carries P(deal) per date: 0 at each of the seven.
    assert!(tag(&dom, "timeline-chart")
        .contains(&format!(r#"data-p-deal="{}""#, ["0.0000"; 7].join(","))));

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
    // The solutions table (three columns of outcomes and utilities) is
    // wider than a phone: it scrolls in its own box, not past the page.
    assert!(
        dom.contains(r#"<div class="scroll"><table id="solutions"><tr><th>rule</th>"#),
        "{dom}"
    );
}

#[test]
fn page_compares_two_versions() {
    if !have_chromium("page_compares_two_versions") {
        return;
    }
    let dir = scratch("browser-compare");
    let server = start(&dir.join("lib.db"), &[]);
    // Version 2 of the sale lowers the seller's reservation: the ZOPA
    // grows from 4 to 9 outcomes.
    let sale = accord_formats::bundled::bundled("sale").expect("sale").text;
    let cheaper = sale.replacen(
        "reservation = { value = 0.4,",
        "reservation = { value = 0.1,",
        1,
    );
    assert_ne!(cheaper, sale, "the seller's reservation is 0.4");
    let body = serde_json::json!({"text": cheaper, "note": "seller needs the deal"}).to_string();
    let r = accord_server::client::request(server.addr, "PUT", "/api/scenarios/sale", Some(&body))
        .expect("save");
    assert_eq!(r.status, 200, "{}", r.body);
    let dom = chromium(
        &dir.join("profile"),
        &["--dump-dom"],
        &format!("http://{}/#/sale?compare=1,2", server.addr),
    );
    assert!(
        tag(&dom, "compare-out").contains(r#"data-state="ready""#),
        "{}",
        &dom[..dom.len().min(3000)]
    );
    // One line differs: removed and added.
    assert!(tag(&dom, "compare-diff").contains(r#"data-changed="2""#));
    assert!(
        dom.contains(r#"<span class="del">- reservation = { value = 0.4,"#),
        "{dom}"
    );
    assert!(dom.contains(r#"<span class="add">+ reservation = { value = 0.1,"#));
    // The answer table marks the ZOPA size as changed: 4 → 9.
    let table = dom
        .split(r#"id="compare-table""#)
        .nth(1)
        .expect("compare table");
    assert!(
        table.contains(r#"<tr class="changed"><th>ZOPA size</th><td>4</td><td>9</td></tr>"#),
        "{table}"
    );
    assert!(dom.contains("v2 · seller needs the deal"));
    // The inputs by id, from the server's diff.
    assert!(
        dom.contains(
            "preferences seller: changed<div class=\"ctx\">reservation.value: 0.4 → 0.1</div>"
        ),
        "{dom}"
    );
}

#[test]
fn page_reads_a_red_line_another_way_at_two_widths() {
    if !have_chromium("page_reads_a_red_line_another_way_at_two_widths") {
        return;
    }
    let dir = scratch("browser-readings");
    let server = start(&dir.join("lib.db"), &[]);
    let text = include_str!("../../../accord-server/tests/fixtures/sale-readings.toml");
    let body = serde_json::json!({ "text": text }).to_string();
    let r = accord_server::client::request(server.addr, "POST", "/api/scenarios", Some(&body))
        .expect("create");
    assert_eq!(r.status, 201, "{}", r.body);
    // The budget read `tight` (price <= 7): the ZOPA shrinks from 4 to 3,
    // as `accord analyze --reading budget=tight` says.
    let url = format!("http://{}/#/sale-readings", server.addr);
    let dom = chromium(
        &dir.join("profile"),
        &["--dump-dom"],
        &format!("{url}?reading=budget=tight"),
    );
    assert!(
        dom.contains(r#"data-sections="ready""#),
        "{}",
        &dom[..dom.len().min(3000)]
    );
    let wt = tag(&dom, "whatif-table");
    assert!(wt.contains(r#"data-zopa="3""#), "{wt}");
    assert!(dom.contains("What-if: budget read as tight."));
    assert!(dom.contains(r#"<tr class="changed"><th>ZOPA size</th><td>4</td><td>3</td></tr>"#));
    // The readings section: a deal under every reading and if the red line
    // does not hold (firmness 0.8).
    assert!(dom.contains(r#"<strong class="yes">P(deal) = 100.0%</strong>"#));
    assert!(dom.contains("all 3 combinations of readings enumerated"));
    assert!(dom.contains("tight (40%): <code>price &lt;= 7</code>"));
    // The account of a deal, and no near misses when a deal exists.
    assert!(dom.contains(r#"id="explain-headline" class="yes">"#));
    assert!(tag(&dom, "near-box").contains("hidden"));
    // The editor paints its TOML: headers, keys, strings.
    assert!(dom.contains(r#"<span class="t-head">[[red_lines.readings]]</span>"#));
    assert!(dom.contains(r#"<span class="t-key">default_reading</span>"#));
    // Screenshots at a desktop and a phone width (test artifacts).
    for (name, size) in [("1280", "1280,2400"), ("phone", "390,2400")] {
        let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("web-readings-{name}.png"));
        let _ = std::fs::remove_file(&shot);
        chromium(
            &dir.join(format!("profile-{name}")),
            &[
                &format!("--window-size={size}"),
                &format!("--screenshot={}", shot.display()),
            ],
            &url,
        );
        let png = std::fs::read(&shot).expect("screenshot written");
        assert_eq!(&png[1..4], b"PNG");
        assert!(png.len() > 30_000, "{name}: {} bytes", png.len());
        eprintln!("screenshot: {}", shot.display());
    }
}

#[test]
fn page_shows_the_graded_moves_of_the_triad() {
    if !have_chromium("page_shows_the_graded_moves_of_the_triad") {
        return;
    }
    let dir = scratch("browser-notches");
    let server = start(&dir.join("lib.db"), &[]);
    // The library starts with the bundled scenarios, the triad among them.
    let url = format!("http://{}/#/triad", server.addr);
    let dom = chromium(&dir.join("profile"), &["--dump-dom"], &url);
    assert!(
        dom.contains(r#"data-sections="ready""#),
        "{}",
        &dom[..dom.len().min(3000)]
    );
    // As `accord analyze triad` prints them: twelve moves of three notches,
    // ten shown, each opening one deal at cost 3.
    let notches = tag(&dom, "notches-box");
    assert!(
        !notches.contains("hidden") && notches.contains(r#"data-fewest="3""#),
        "{notches}"
    );
    assert!(dom.contains(
        r#"<p id="notches-summary">The smallest moves take 3 notches (12 such moves, 10 shown).</p>"#
    ));
    assert_eq!(dom.matches(r#"<tr class="notch-move">"#).count(), 10);
    assert!(dom
        .contains("<li>A: <code>troops in [un, eu]</code> → <code>troops &gt;= none</code></li>"));
    assert!(dom.contains(r#"<tr class="notch-move"><td>3</td><td>3</td>"#));
    // Beside the near misses, as the page lays them out.
    assert!(!tag(&dom, "near-box").contains("hidden"));
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-notches-1280.png");
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
    eprintln!("screenshot: {}", shot.display());
}

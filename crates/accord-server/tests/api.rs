//! The JSON API against a real server on a free loopback port (in-process).

use accord_formats::Syntax;
use accord_server::client::{request, request_with, Reply};
use accord_server::{app, AppState, Store, ROUTES};
use serde_json::{json, Value};

/// A value as it reads back from JSON text (the parser may round the last digit).
fn via_text<T: serde::Serialize>(v: &T) -> Value {
    serde_json::from_str(&serde_json::to_string(v).unwrap()).unwrap()
}
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::Duration;

const DEADLOCK: &str = include_str!("fixtures/sale-deadlock.toml");

/// Starts a server with an in-memory library on 127.0.0.1:0.
fn start(budget: Duration) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let addr = listener.local_addr().expect("addr");
            tx.send(addr).expect("send");
            let state = AppState::new(Store::in_memory().expect("store"), budget);
            axum::serve(listener, app(state, addr, 1 << 20))
                .await
                .expect("serve");
        });
    });
    rx.recv().expect("server address")
}

fn call(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> Reply {
    request(addr, method, path, body).expect("request")
}

fn bundled(name: &str) -> &'static str {
    accord_formats::bundled::bundled(name)
        .expect("bundled")
        .text
}

fn parse(text: &str, file: &str) -> accord::Scenario {
    accord_formats::parse_scenario(text, file, accord_formats::Syntax::Toml).expect("parses")
}

#[test]
fn openapi_lists_every_route() {
    let addr = start(Duration::from_secs(30));
    let r = call(addr, "GET", "/api/openapi.json", None);
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.0.3");
    let mut listed = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in ["get", "post", "put", "delete"] {
            if item.get(m).is_some() {
                listed.insert((m.to_string(), path.clone()));
            }
        }
    }
    let routes: BTreeSet<_> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(listed, routes);
    // Every route answers something other than the JSON 404 fallback.
    // Deleting comes last, so the other routes still find the scenario.
    let mut order: Vec<_> = ROUTES.to_vec();
    order.sort_by_key(|(m, _)| *m == "delete");
    for (m, p) in order {
        let path = p.replace("{id}", "sale");
        let body = match (m, p) {
            ("post", "/api/scenarios/{id}/restore") => Some(r#"{"version": 1}"#),
            ("post", "/api/scenarios") => Some(r#"{"id": "route-check", "text": "x"}"#),
            ("post", "/api/edit") => Some(r#"{"text": "x = 1", "edits": []}"#),
            ("put", _) => Some(bundled("sale")),
            ("post", _) => Some(bundled("sale")),
            _ => None,
        };
        let method = m.to_ascii_uppercase();
        let r = call(addr, &method, &path, body);
        assert!(r.status < 300, "{method} {path}: {} {}", r.status, r.body);
    }
}

#[test]
fn analysis_endpoints_return_the_cli_documents() {
    let addr = start(Duration::from_secs(60));
    let sc = parse(bundled("sale"), "scenario.toml");
    let r = call(addr, "POST", "/api/analyze", Some(bundled("sale")));
    assert_eq!(r.status, 200, "{}", r.body);
    let an = accord::analyze(&sc, &Default::default(), &accord::NoProgress).unwrap();
    let expected = accord_app::reports::analyze_document(&sc, &an, &accord::NoProgress).unwrap();
    assert_eq!(r.json(), via_text(&expected));
    assert_eq!(r.json()["ratification"]["actors"][0]["decisive"], "board");
    assert_eq!(r.json()["zopa"]["size"], 4);
    assert_eq!(r.json()["solutions"]["nash"]["outcome"]["price"], 8.0);

    let r = call(addr, "POST", "/api/show", Some(bundled("sale")));
    assert_eq!(r.json(), via_text(&accord_app::views::show_view(&sc)));

    let dl = parse(DEADLOCK, "scenario.toml");
    let r = call(addr, "POST", "/api/process", Some(DEADLOCK));
    let report = accord::analyze_process(&dl.process);
    assert_eq!(
        r.json(),
        via_text(&accord_app::reports::process_view(&dl, &report))
    );
    assert_eq!(r.json()["consistent"], false);
    assert_eq!(r.json()["deadlocks"][0].as_array().unwrap().len(), 2);

    // JSON scenario text works like TOML.
    let as_json = serde_json::to_string(&accord_formats::scenario::to_raw(&sc)).unwrap();
    let r = call(addr, "POST", "/api/analyze?top=2", Some(&as_json));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["zopa"]["top"].as_array().unwrap().len(), 2);
}

#[test]
fn bad_input_answers_400_with_the_check_messages() {
    let addr = start(Duration::from_secs(30));
    let broken = bundled("sale").replace("max = 10", "max = \"ten\"");
    let expected =
        accord_formats::parse_scenario(&broken, "scenario.toml", accord_formats::Syntax::Toml)
            .expect_err("broken");
    for route in ["/api/analyze", "/api/show", "/api/process"] {
        let r = call(addr, "POST", route, Some(&broken));
        assert_eq!(r.status, 400, "{route}");
        let j = r.json();
        assert_eq!(j["error"], expected.to_string());
        assert_eq!(
            j["errors"],
            serde_json::to_value(&expected.diagnostics).unwrap()
        );
        assert_eq!(j["errors"][0]["line"], 29);
    }
    // validate answers 200 with the `accord check --json` document.
    let r = call(addr, "POST", "/api/validate", Some(&broken));
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        via_text(&accord_app::views::check_view(
            "scenario.toml",
            &Err(expected),
            false
        ))
    );
    let r = call(addr, "POST", "/api/analyze", Some(""));
    assert_eq!(r.status, 400);
    let r = call(
        addr,
        "POST",
        "/api/analyze",
        Some(r#"{"scenario_id": "nope"}"#),
    );
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"], "no scenario `nope`");
}

#[test]
fn library_keeps_every_version_and_records_runs() {
    let addr = start(Duration::from_secs(30));
    let list = call(addr, "GET", "/api/scenarios", None).json();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ukraine-2025-12", "sale", "triad"]);

    let body = json!({"text": DEADLOCK}).to_string();
    let r = call(addr, "POST", "/api/scenarios", Some(&body));
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["id"], "sale-deadlock");
    assert_eq!(r.json()["check"]["valid"], true);
    assert_eq!(
        call(addr, "POST", "/api/scenarios", Some(&body)).status,
        409
    );

    let v2 = DEADLOCK.replace("min_days = 1", "min_days = 2");
    let r = call(addr, "PUT", "/api/scenarios/sale-deadlock", Some(&v2));
    assert_eq!(r.json()["version"], 2);
    let r = call(
        addr,
        "POST",
        "/api/scenarios/sale-deadlock/restore",
        Some(r#"{"version": 1}"#),
    );
    assert_eq!(r.json()["version"], 3);
    let r = call(addr, "GET", "/api/scenarios/sale-deadlock", None);
    assert_eq!(r.json()["text"], DEADLOCK);
    let r = call(addr, "GET", "/api/scenarios/sale-deadlock?version=2", None);
    assert_eq!(r.json()["text"], v2.as_str());
    let h = call(addr, "GET", "/api/scenarios/sale-deadlock/versions", None).json();
    let notes: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["note"].as_str().unwrap())
        .collect();
    assert_eq!(notes, ["restored from 1", "saved", "created"]);

    // Runs on stored versions are recorded with the version they used.
    let r = call(
        addr,
        "POST",
        "/api/process",
        Some(r#"{"scenario_id": "sale-deadlock", "version": 2}"#),
    );
    assert_eq!(r.json()["deadlock_days"][0], -4);
    call(
        addr,
        "POST",
        "/api/analyze",
        Some(r#"{"scenario_id": "sale-deadlock"}"#),
    );
    let runs = call(addr, "GET", "/api/scenarios/sale-deadlock/runs", None).json();
    let runs: Vec<(i64, &str, i64, &str)> = runs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["version"].as_i64().unwrap(),
                r["kind"].as_str().unwrap(),
                r["status"].as_i64().unwrap(),
                r["summary"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        runs,
        [
            (3, "analyze", 200, "zopa 4, 0 blockers, 0 relaxations"),
            (2, "process", 200, "1 deadlocks")
        ]
    );

    // Soft delete: gone from the list and the API, history kept for re-creation.
    assert_eq!(
        call(addr, "DELETE", "/api/scenarios/sale-deadlock", None).status,
        200
    );
    assert_eq!(
        call(addr, "GET", "/api/scenarios/sale-deadlock", None).status,
        404
    );
    assert_eq!(
        call(addr, "GET", "/api/scenarios", None)
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let r = call(addr, "POST", "/api/scenarios", Some(&body));
    assert_eq!(r.json()["version"], 4);
    assert_eq!(
        call(addr, "GET", "/api/health", None).json(),
        json!({"ok": true, "integrity": "ok"})
    );
}

#[test]
fn over_budget_answers_503_and_limits_hold() {
    let addr = start(Duration::from_millis(50));
    let r = call(
        addr,
        "POST",
        "/api/analyze",
        Some(bundled("ukraine-2025-12")),
    );
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(
        r.json()["error"],
        "the analysis did not finish within 50 ms; try a smaller scenario"
    );
    // Small work still fits the budget.
    assert_eq!(
        call(addr, "POST", "/api/validate", Some(bundled("sale"))).status,
        200
    );

    let huge = "#".repeat(2 << 20);
    assert_eq!(call(addr, "POST", "/api/analyze", Some(&huge)).status, 413);

    for path in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/..%2Fsrc%2Flib.rs",
        "/assets/vendor/../../src/lib.rs",
        "/api/scenarios/..%2F..%2Fetc",
    ] {
        let r = call(addr, "GET", path, None);
        assert!(r.status == 404 || r.status == 400, "{path}: {}", r.status);
        assert!(!r.body.contains("deny(missing_docs)"), "{path}");
    }
    let r = call(addr, "GET", "/assets/vendor/chart.umd.min.js", None);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Chart.js v4"));
    let page = call(addr, "GET", "/", None);
    assert!(page.body.contains("<canvas id=\"pareto\""));
    let bad = json!({"text": "x", "id": "../x"}).to_string();
    assert_eq!(call(addr, "POST", "/api/scenarios", Some(&bad)).status, 400);
}

fn call_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Reply {
    request_with(addr, method, path, headers, body).expect("request")
}

fn library_size(addr: SocketAddr) -> usize {
    let r = call(addr, "GET", "/api/scenarios", None);
    r.json().as_array().expect("list").len()
}

#[test]
fn cross_site_and_rebinding_requests_are_refused() {
    let addr = start(Duration::from_secs(30));
    let port = addr.port().to_string();
    // What a page on another site can send without a preflight: a form post.
    let form = format!("text={}", bundled("sale").replace(' ', "+"));
    let r = call_with(
        addr,
        "POST",
        "/api/scenarios",
        &[
            ("Origin", "http://attacker.example"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(&form),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"error": "cross-site request refused: origin `http://attacker.example` is not this server", "errors": []})
    );
    // Even declared as JSON (a browser would have asked first), a foreign
    // or opaque origin cannot restore, delete or parse.
    for origin in [
        "http://attacker.example",
        "null",
        &format!("http://localhost.attacker.example:{port}"),
    ] {
        for (method, path, body) in [
            (
                "POST",
                "/api/scenarios/sale/restore",
                Some(r#"{"version": 1}"#),
            ),
            ("DELETE", "/api/scenarios/sale", None),
            ("POST", "/api/validate", Some(bundled("sale"))),
        ] {
            let r = call_with(addr, method, path, &[("Origin", origin)], body);
            assert_eq!(r.status, 403, "{origin} {method} {path}: {}", r.body);
        }
    }
    assert_eq!(library_size(addr), 3);
    assert_eq!(
        call(addr, "GET", "/api/scenarios/sale", None).json()["version"],
        1
    );

    // A text/plain body (a "simple" request) is refused even without an Origin.
    let r = call_with(
        addr,
        "POST",
        "/api/analyze",
        &[("Content-Type", "text/plain")],
        Some(bundled("sale")),
    );
    assert_eq!(r.status, 415);
    assert_eq!(
        r.json()["error"],
        "send the body with `Content-Type: application/json` (or `application/toml` for TOML text), not `text/plain`"
    );
    let r = call_with(
        addr,
        "PUT",
        "/api/scenarios/sale",
        &[("Content-Type", "multipart/form-data; boundary=x")],
        Some("x"),
    );
    assert_eq!(r.status, 415);

    // DNS rebinding: the attacker's name resolves to 127.0.0.1.
    for host in [
        "attacker.example",
        &format!("attacker.example:{port}"),
        "localhost:1",
    ] {
        let r = call_with(addr, "GET", "/api/scenarios", &[("Host", host)], None);
        assert_eq!(r.status, 403, "{host}");
        assert!(r.json()["error"]
            .as_str()
            .unwrap()
            .starts_with(&format!("host `{host}` is not this server")));
        assert_eq!(r.json()["errors"], json!([]));
    }

    // The page's own requests still work, under each loopback name.
    let hosts = [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ];
    for (i, host) in hosts.iter().enumerate() {
        let origin = format!("http://{host}");
        let body = json!({"id": format!("mine-{i}"), "text": bundled("sale")}).to_string();
        let hs = [("Host", host.as_str()), ("Origin", origin.as_str())];
        let r = call_with(addr, "POST", "/api/scenarios", &hs, Some(&body));
        assert_eq!(r.status, 201, "{host}: {}", r.body);
        let r = call_with(
            addr,
            "POST",
            "/api/analyze",
            &[
                ("Host", host.as_str()),
                ("Origin", origin.as_str()),
                ("Content-Type", "application/toml; charset=utf-8"),
            ],
            Some(bundled("sale")),
        );
        assert_eq!(r.json()["zopa"]["size"], 4);
    }
    let r = call_with(
        addr,
        "DELETE",
        "/api/scenarios/mine-1",
        &[("Origin", &format!("http://127.0.0.1:{port}"))],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(library_size(addr), 5);
}

#[test]
fn every_error_is_json() {
    let addr = start(Duration::from_secs(30));
    let is_error_doc = |r: &Reply| {
        let j = r.json();
        j["error"].as_str().is_some_and(|e| !e.is_empty()) && j["errors"] == json!([])
    };
    // Bad query strings.
    let r = call(addr, "POST", "/api/analyze?top=many", Some(bundled("sale")));
    assert_eq!(r.status, 400);
    assert!(is_error_doc(&r), "{}", r.body);
    assert!(
        r.json()["error"].as_str().unwrap().contains("top"),
        "{}",
        r.body
    );
    let r = call(addr, "GET", "/api/scenarios/sale?version=two", None);
    assert_eq!(r.status, 400);
    assert!(is_error_doc(&r), "{}", r.body);
    // Over the body limit (1 MiB here).
    let r = call(addr, "POST", "/api/validate", Some(&"#".repeat(1 << 21)));
    assert_eq!(r.status, 413);
    assert!(is_error_doc(&r), "{}", r.body);
    // Wrong method.
    let r = call(addr, "GET", "/api/analyze", None);
    assert_eq!(r.status, 405);
    assert_eq!(
        r.json(),
        json!({"error": "method not allowed", "errors": []})
    );
    // Unknown API routes, whatever the method.
    for (m, p) in [
        ("GET", "/api/nope"),
        ("POST", "/api/scenarios/sale/nope"),
        ("DELETE", "/api/nope"),
    ] {
        let r = call(addr, m, p, if m == "POST" { Some("{}") } else { None });
        assert_eq!(r.status, 404, "{m} {p}");
        assert_eq!(r.json(), json!({"error": "no such route", "errors": []}));
    }
    // A restore body that is not `{"version": N}`.
    let r = call(addr, "POST", "/api/scenarios/sale/restore", Some("{}"));
    assert_eq!(r.status, 400);
    assert!(is_error_doc(&r), "{}", r.body);
}

/// The flagship with a finer and wider army grid: 1.8·10⁹ outcomes, under
/// the scan's cap of 2·10⁹. A release build on a quiet 2-core machine takes
/// about 4.4 s on both cores, three times the 1.5 s budget below (the
/// 1.2·10⁹-outcome grid used before finished within its 6 s budget once
/// the scan grew faster).
fn large_scenario() -> String {
    let text = bundled("ukraine-2025-12");
    let coarse = "min = 600000\nmax = 800000\nstep = 100000\n";
    assert!(text.contains(coarse));
    text.replacen(coarse, "min = 600000\nmax = 900000\nstep = 1000\n", 1)
}

#[test]
fn small_analyses_do_not_queue_behind_large_ones() {
    let large = large_scenario();
    let size = parse(&large, "large.toml").space_size();
    assert!(size > 1_500_000_000, "{size}");
    let addr = start(Duration::from_millis(1500));
    let t0 = std::time::Instant::now();
    let send = |body: String| {
        std::thread::spawn(move || {
            let r = call(addr, "POST", "/api/analyze", Some(&body));
            (r, t0.elapsed())
        })
    };
    // One large analysis running, a second one waiting for the heavy lane
    // (on two cores the old single queue had both cores busy here).
    let first = send(large.clone());
    std::thread::sleep(Duration::from_millis(400));
    let second = send(large);
    std::thread::sleep(Duration::from_millis(400));
    let small = send(bundled("sale").to_string());
    let (small, small_done) = small.join().unwrap();
    let (first, first_done) = first.join().unwrap();
    let (second, _) = second.join().unwrap();
    assert_eq!(small.status, 200, "{}", small.body);
    assert_eq!(small.json()["zopa"]["size"], 4);
    assert!(
        small_done < first_done,
        "the small analysis ended at {small_done:?}, after the large one at {first_done:?}"
    );
    // The large ones run out of budget: the running one is too large, the
    // waiting one is told the server is busy.
    assert_eq!(first.status, 503);
    assert_eq!(
        first.json()["error"],
        "the analysis did not finish within 1500 ms; try a smaller scenario"
    );
    assert_eq!(second.status, 503);
    assert_eq!(
        second.json()["error"],
        "server busy: other analyses are running, try again shortly"
    );
}

#[test]
fn timeline_forecast_and_sensitivity_mirror_the_cli() {
    use accord_formats::timeline::{timeline, Choices};
    let addr = start(Duration::from_secs(600));
    let text = bundled("ukraine-2025-12");
    let sc = parse(text, "scenario.toml");

    // The timeline: the base and six dated events; the disputed Valdai
    // claim changes no position, Russia's reported reassessment adds
    // blocking sets.
    let r = call(addr, "POST", "/api/timeline", Some(text));
    assert_eq!(r.status, 200, "{}", r.body);
    let doc = r.json();
    let raw = accord_formats::scenario::parse_raw(text, "scenario.toml", Syntax::Toml).unwrap();
    let steps = timeline(
        &raw,
        text,
        "scenario.toml",
        Syntax::Toml,
        &Choices::default(),
    )
    .unwrap();
    let views = accord_app::reports::timeline_steps(&steps, &accord::NoProgress).unwrap();
    assert_eq!(
        doc,
        via_text(&accord_app::reports::timeline_view(&steps, &views))
    );
    let ids: Vec<&str> = doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 7);
    assert_eq!(ids[0], "as_of");
    let valdai = &doc["steps"][2];
    assert_eq!(valdai["id"], "valdai-claim");
    assert_eq!(valdai["disputed"]["denied_by"], "UA");
    assert_eq!(valdai["applied"], true);
    assert_eq!(doc["steps"][1]["blockers"].as_array().unwrap().len(), 12);
    assert_eq!(valdai["blockers"].as_array().unwrap().len(), 12);
    assert_eq!(doc["steps"][3]["id"], "ru-reassessment");
    assert!(doc["steps"][3]["blockers"].as_array().unwrap().len() > 12);

    // Rejecting the disputed claim keeps the twelve blocking sets at its
    // date, and the reassessment after it.
    let r = call(
        addr,
        "POST",
        "/api/timeline?reject=valdai-claim",
        Some(text),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let valdai = &r.json()["steps"][2];
    assert_eq!(valdai["applied"], false);
    assert_eq!(valdai["blockers"].as_array().unwrap().len(), 12);
    assert!(r.json()["steps"][3]["blockers"].as_array().unwrap().len() > 12);
    // An unknown event is a located 400, as in the CLI.
    let r = call(
        addr,
        "POST",
        "/api/timeline?assume=no-such-event",
        Some(text),
    );
    assert_eq!(r.status, 400, "{}", r.body);

    // Forecasts: every model, the CLI's document.
    let r = call(addr, "POST", "/api/forecast", Some(text));
    assert_eq!(r.status, 200, "{}", r.body);
    let sp = accord::forecast::spatial_problem(&sc).unwrap();
    let p = sp.problem.as_ref().unwrap();
    let runs: Vec<_> = accord::forecast::ModelKind::ALL
        .iter()
        .map(|&k| {
            (
                k,
                accord::forecast::run_model(k, p, &accord::forecast::NeverCancel),
            )
        })
        .collect();
    let deal =
        accord_app::forecast_doc::deal_forecasts(&sc, &sp, &runs, &accord::NoProgress).unwrap();
    assert_eq!(
        r.json(),
        via_text(&accord_app::forecast_doc::forecast_document(
            &sc,
            &sp,
            &runs,
            deal.as_ref()
        ))
    );
    assert_eq!(r.json()["models"].as_object().unwrap().len(), 4);
    // The flagship has no acceptable package, and says so.
    assert_eq!(r.json()["deal"]["acceptable_packages"], 0);
    assert_eq!(r.json()["validation"]["eum"]["issues"], 351);
    assert_eq!(
        r.json()["models"]["compromise"]["guarantee_form"]["label"],
        "article5_like"
    );
    // The US decides its guarantee's duration; znpp is unordered.
    assert_eq!(r.json()["not_forecastable"][0]["issue"], "guarantee_years");
    assert_eq!(r.json()["not_forecastable"][1]["issue"], "znpp");

    // Sensitivity: seeded, so the same report as the engine's for the
    // same options.
    let r = call(
        addr,
        "POST",
        "/api/sensitivity?runs=40&deal_runs=2&seed=7&top=5",
        Some(text),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let opts = accord::sensitivity::SensitivityOptions {
        runs: 40,
        seed: 7,
        deal_runs: 2,
        top: 5,
        ..Default::default()
    };
    let rep = accord::sensitivity::sensitivity(&sc, &opts, &accord::NoProgress).unwrap();
    assert_eq!(r.json(), via_text(&rep));
    assert_eq!(r.json()["runs_done"], 40);
    assert_eq!(r.json()["deal"]["runs"], 2);
    assert_eq!(r.json()["correlations"].as_array().unwrap().len(), 5);
    let q = &r.json()["forecasts"]["compromise"]["army_size"]["summary"]["quantiles"];
    assert!(q["p5"].as_f64().unwrap() <= q["p95"].as_f64().unwrap());
}

#[test]
fn sensitivity_over_budget_answers_503() {
    let addr = start(Duration::from_millis(1));
    let r = call(
        addr,
        "POST",
        "/api/sensitivity?runs=100000&deal_runs=100",
        Some(bundled("ukraine-2025-12")),
    );
    assert_eq!(r.status, 503, "{}", r.body);
}

#[test]
fn a_saved_version_keeps_its_note() {
    let addr = start(Duration::from_secs(30));
    let body = json!({"id": "noted", "text": bundled("sale")}).to_string();
    assert_eq!(
        call(addr, "POST", "/api/scenarios", Some(&body)).status,
        201
    );
    let body =
        json!({"text": bundled("sale"), "note": "what-if: the board drops its floor"}).to_string();
    let r = call(addr, "PUT", "/api/scenarios/noted", Some(&body));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["note"], "what-if: the board drops its floor");
    let h = call(addr, "GET", "/api/scenarios/noted/versions", None).json();
    assert_eq!(h[0]["note"], "what-if: the board drops its floor");
    assert_eq!(h[1]["note"], "created");
}

#[test]
fn diff_compares_two_stored_versions() {
    let addr = start(Duration::from_secs(30));
    // The bundled sale is version 1; version 2 lowers the seller's reservation.
    let cheaper = bundled("sale").replacen(
        "reservation = { value = 0.4,",
        "reservation = { value = 0.1,",
        1,
    );
    let body = json!({"text": cheaper}).to_string();
    let r = call(addr, "PUT", "/api/scenarios/sale", Some(&body));
    assert_eq!(r.status, 200, "{}", r.body);
    let d = call(addr, "GET", "/api/scenarios/sale/diff?a=1&b=2", None);
    assert_eq!(d.status, 200, "{}", d.body);
    let d = d.json();
    assert_eq!(
        (d["a"].as_str(), d["b"].as_str()),
        (Some("sale@v1"), Some("sale@v2"))
    );
    assert_eq!(
        d["inputs"],
        json!([{"section": "preferences", "id": "seller", "change": "changed",
                "fields": [{"field": "reservation.value", "old": 0.4, "new": 0.1}]}])
    );
    assert_eq!(d["before"]["zopa_size"], json!(4));
    assert_eq!(d["after"]["zopa_size"], json!(9));
    // Without a query: the latest against the one before it.
    assert_eq!(
        call(addr, "GET", "/api/scenarios/sale/diff", None).json(),
        d
    );
    let missing = call(addr, "GET", "/api/scenarios/sale/diff?a=7", None);
    assert_eq!(missing.status, 404, "{}", missing.body);
}

/// The keys of a response object against its OpenAPI schema: every
/// required key present, no key the schema does not list.
fn matches_schema(doc: &Value, api: &Value, schema: &str) {
    let s = &api["components"]["schemas"][schema];
    let props: BTreeSet<&str> = s["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("schema {schema} has properties"))
        .keys()
        .map(String::as_str)
        .collect();
    let keys: BTreeSet<&str> = doc
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    for r in s["required"].as_array().unwrap() {
        assert!(keys.contains(r.as_str().unwrap()), "{schema}: no `{r}`");
    }
    assert!(
        keys.is_subset(&props),
        "{schema}: {keys:?} not in {props:?}"
    );
}

#[test]
fn explain_answers_the_cli_words_and_its_schema() {
    let addr = start(Duration::from_secs(60));
    let api = call(addr, "GET", "/api/openapi.json", None).json();
    let r = call(addr, "POST", "/api/explain", Some(bundled("triad")));
    assert_eq!(r.status, 200, "{}", r.body);
    let doc = r.json();
    let sc = parse(bundled("triad"), "scenario.toml");
    let an = accord::analyze(&sc, &Default::default(), &accord::NoProgress).unwrap();
    let n = accord_app::narrative::narrative(&sc, &an, None, &[]);
    // The same account, and the lines `accord explain` prints.
    let text = accord_app::narrative::text_lines(&sc, &n);
    assert_eq!(doc["text"], via_text(&text));
    assert_eq!(doc["verdict"], "no_deal");
    // Three blocking sets, then the three graded moves `explain` tells.
    let kinds: Vec<&str> = doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "blocking_set",
            "blocking_set",
            "blocking_set",
            "notch",
            "notch",
            "notch"
        ]
    );
    assert_eq!(doc["headline"], via_text(&n.headline));
    matches_schema(&doc, &api, "Explain");
    for step in doc["steps"].as_array().unwrap() {
        matches_schema(step, &api, "ExplainStep");
        for l in step["links"].as_array().unwrap() {
            matches_schema(l, &api, "ExplainLink");
        }
    }
    // A what-if in the query: the account says what it assumed.
    let first = doc["steps"][0]["links"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = call(
        addr,
        "POST",
        &format!("/api/explain?drop={first}"),
        Some(bundled("triad")),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["assumed"][0], format!("dropped red line {first}"));
    let sets = r.json()["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "blocking_set")
        .count();
    assert_eq!(sets, 2);
}

#[test]
fn analysing_endpoints_take_the_cli_what_ifs() {
    let addr = start(Duration::from_secs(60));
    let sale = bundled("sale");
    let base = call(addr, "POST", "/api/analyze", Some(sale)).json();
    assert!(base.get("assumed").is_none());
    // Dropping the buyer's budget red line, as `accord analyze --drop budget`.
    let r = call(addr, "POST", "/api/analyze?drop=budget", Some(sale));
    assert_eq!(r.status, 200, "{}", r.body);
    let (sc, assumed) = accord_formats::whatif::load(
        sale,
        "scenario.toml",
        Syntax::Toml,
        &[accord_formats::whatif::parse_drop("budget").unwrap()],
    )
    .unwrap();
    let an = accord::analyze(&sc, &Default::default(), &accord::NoProgress).unwrap();
    let doc = accord_app::reports::analyze_document(&sc, &an, &accord::NoProgress).unwrap();
    let expected = accord_formats::whatif::WithAssumed {
        doc: &doc,
        assumed: &assumed,
    };
    assert_eq!(r.json(), via_text(&expected));
    assert_eq!(
        r.json()["assumed"],
        json!([{"op": "drop", "kind": "red_line", "id": "budget"}])
    );
    // A set and the process endpoint.
    let r = call(
        addr,
        "POST",
        "/api/process?set=seller.reservation=0.1",
        Some(sale),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["assumed"][0]["path"], "seller.reservation");
    // Bad what-ifs are 400s that say what exists.
    let r = call(addr, "POST", "/api/analyze?drop=nothing", Some(sale));
    assert_eq!(r.status, 400);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("--drop nothing: "),
        "{}",
        r.body
    );
    let r = call(
        addr,
        "POST",
        "/api/analyze?reading=budget=loose",
        Some(sale),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("has no readings"),
        "{}",
        r.body
    );
}

#[test]
fn readings_what_if_changes_the_flagship_answer() {
    // The flagship's NATO red line read literally: the readings analysis
    // sees the same set of readings, but today's blockers change.
    let addr = start(Duration::from_secs(600));
    let flagship = bundled("ukraine-2025-12");
    let r = call(
        addr,
        "POST",
        "/api/show?reading=ru-nato-renunciation=literal",
        Some(flagship),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let line = r.json()["scenario"]["red_lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "ru-nato-renunciation")
        .cloned()
        .unwrap();
    assert_eq!(line["rule"], "nato != open_door");
    assert_eq!(line["default_reading"], "literal");
    assert_eq!(
        r.json()["assumed"],
        json!([{"op": "reading", "id": "ru-nato-renunciation", "reading": "literal"}])
    );
}

#[test]
fn edit_keeps_comments_and_revalidates() {
    let addr = start(Duration::from_secs(30));
    let api = call(addr, "GET", "/api/openapi.json", None).json();
    let text = format!("# A note the form must keep.\n{}", bundled("sale"));
    let body = json!({"text": text, "edits": [
        {"op": "reservation", "actor": "seller", "value": 0.1},
        {"op": "option_value", "actor": "buyer", "issue": "delivery", "option": "standard", "value": 0.1},
    ]})
    .to_string();
    let r = call(addr, "POST", "/api/edit", Some(&body));
    assert_eq!(r.status, 200, "{}", r.body);
    let doc = r.json();
    matches_schema(&doc, &api, "Edited");
    let out = doc["text"].as_str().unwrap();
    assert!(out.starts_with("# A note the form must keep.\n"));
    assert!(out.contains("reservation = { value = 0.1, source = \"example\" }"));
    assert_eq!(out.lines().count(), text.lines().count());
    assert_eq!(doc["check"]["valid"], true);
    assert_eq!(
        doc["changed"],
        json!([
            "seller.reservation = 0.1",
            "buyer.delivery.values.standard = 0.1"
        ])
    );
    assert!(
        out.contains("values = { express = 1, standard = 0.1 }"),
        "{out}"
    );
    // The edited file analyses.
    let r = call(addr, "POST", "/api/analyze", Some(out));
    assert_eq!(r.status, 200, "{}", r.body);
    // An edit naming nothing, and a text that is not TOML.
    let body = json!({"text": bundled("sale"), "edits": [{"op": "weight", "actor": "seller", "issue": "colour", "value": 1}]}).to_string();
    let r = call(addr, "POST", "/api/edit", Some(&body));
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["error"],
        "edits[0] (seller.colour.weight = 1): actor `seller` states no preference on issue `colour`"
    );
    let body = json!({"text": "[scenario\nid = 1", "edits": []}).to_string();
    let r = call(addr, "POST", "/api/edit", Some(&body));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["errors"][0]["line"], 1, "{}", r.body);
    let r = call(addr, "POST", "/api/edit", Some(r#"{"text": "x"}"#));
    assert_eq!(r.status, 400);
}

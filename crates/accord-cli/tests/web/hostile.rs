//! Bodies that once killed the server: it answers them and keeps serving.

use crate::server::{scratch, start};
use accord_server::client::request;

/// The sale scenario with one rule nested 3000 parentheses deep (7.8 KB),
/// which overflowed the stack of every route that parses a scenario.
fn deep_rule() -> String {
    let sale = accord_formats::bundled::bundled("sale").expect("sale").text;
    let rule = "rule = \"price <= 8\"";
    assert!(sale.contains(rule));
    let deep = format!(
        "rule = \"{}price <= 8{}\"",
        "(".repeat(3000),
        ")".repeat(3000)
    );
    sale.replacen(rule, &deep, 1)
}

#[test]
fn a_rule_nested_3000_deep_does_not_kill_the_server() {
    let dir = scratch("deep");
    let server = start(&dir.join("lib.db"), &[]);
    let body = deep_rule();
    for route in ["/api/validate", "/api/show", "/api/analyze", "/api/process"] {
        let r = request(server.addr, "POST", route, Some(&body)).expect(route);
        // Answered (parsed, or refused with a located error once parsers
        // limit nesting), as JSON.
        assert!(
            r.status == 200 || r.status == 400,
            "{route}: {} {}",
            r.status,
            r.body
        );
        assert!(r.json().is_object(), "{route}: {}", r.body);
    }
    let r = request(server.addr, "GET", "/api/health", None).expect("health");
    assert_eq!(r.json()["ok"], true);
}

//! Dated events: patches applied in date order, disputed claims, located
//! errors; and the flagship's process deadlock.

use accord::process::analyze_process;
use accord::{analyze, AnalyzeOptions, NoProgress};
use accord_formats::bundled::bundled;
use accord_formats::parse_scenario;
use accord_formats::scenario::{parse_raw, Syntax};
use accord_formats::timeline::{timeline, Choices};

fn steps(text: &str, choices: &Choices) -> Vec<accord_formats::timeline::Step> {
    let raw = parse_raw(text, "t.toml", Syntax::Toml).unwrap();
    timeline(&raw, text, "t.toml", Syntax::Toml, choices).unwrap_or_else(|e| panic!("{e}"))
}

/// The triad with two events: a dated drop of three red lines (one side of
/// each clashing pair) and a disputed claim that raises A's reservation.
fn triad_with_events() -> String {
    let mut t = bundled("triad").unwrap().text.to_string();
    t.push_str(
        r#"
[[events]]
id = "b-softens"
date = "2025-07-01"
title = "B and A each give ground"
source = "example"
[[events.patches]]
op = "drop_red_line"
id = "A-years"
[[events.patches]]
op = "drop_red_line"
id = "B-troops"
[[events.patches]]
op = "drop_red_line"
id = "B-zone"

[[events]]
id = "a-hardens"
date = "2025-07-02"
title = "A says it was attacked (B denies)"
claimed_by = "A"
denied_by = "B"
[[events.patches]]
op = "set_reservation"
actor = "A"
value = 0.55
"#,
    );
    t
}

#[test]
fn events_apply_in_date_order_and_change_the_zopa() {
    let text = triad_with_events();
    let s = steps(&text, &Choices::default());
    assert_eq!(
        s.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["as_of", "b-softens", "a-hardens"]
    );
    let zopa = |k: usize| {
        analyze(&s[k].scenario, &AnalyzeOptions::default(), &NoProgress)
            .unwrap()
            .zopa
            .size
    };
    assert_eq!(zopa(0), 0);
    // Troops un/eu (2) × years 0–20 (3) × zone freeze/dmz (2), by hand.
    assert_eq!(zopa(1), 12);
    // A = 0.4·t + 0.4·y/40 + 0.2·z with t ∈ {0.5, 1}, y ≤ 20, z ∈ {1, 0.5}:
    // ≥ 0.55 needs (eu, y ≥ 10, any z: 0.4+0.1+0.1=0.6 / 0.4+0.1+0.2=0.7 and
    // 0.4+0.2+…) or (un, 20, freeze: 0.2+0.2+0.2=0.6) → 4 + 1 + … counted below.
    let an = analyze(&s[2].scenario, &AnalyzeOptions::default(), &NoProgress).unwrap();
    // eu: y=0 → 0.4+0+{0.2,0.1} = 0.6/0.5 → 1; y=10 → 0.7/0.6 → 2; y=20 → 0.8/0.7 → 2;
    // un: y=0 → 0.4/0.3 → 0; y=10 → 0.5/0.4 → 0; y=20 → 0.6/0.5 → 1.  Total 6.
    assert_eq!(an.zopa.size, 6);
}

#[test]
fn a_disputed_event_can_be_rejected() {
    let text = triad_with_events();
    let reject = Choices {
        reject: ["a-hardens".to_string()].into(),
        ..Default::default()
    };
    let s = steps(&text, &reject);
    assert!(!s[2].applied);
    assert_eq!(s[2].scenario, s[1].scenario);
    let all = Choices {
        reject_disputed: true,
        ..Default::default()
    };
    assert!(!steps(&text, &all)[2].applied);
    let assume = Choices {
        reject_disputed: true,
        assume: ["a-hardens".to_string()].into(),
        ..Default::default()
    };
    assert!(steps(&text, &assume)[2].applied);
}

#[test]
fn a_bad_patch_is_located() {
    let text = triad_with_events().replacen(
        "actor = \"A\"\nvalue = 0.55",
        "actor = \"Z\"\nvalue = 0.55",
        1,
    );
    let line = text[..text.find("actor = \"Z\"").unwrap()]
        .matches('\n')
        .count()
        + 1;
    let err = parse_scenario(&text, "t.toml", Syntax::Toml).unwrap_err();
    let d = &err.diagnostics[0];
    assert_eq!(d.line, line, "{err}");
    assert!(d.message.contains("unknown actor `Z`"));
    let text = triad_with_events().replacen(
        "op = \"drop_red_line\"\nid = \"B-zone\"",
        "op = \"drop_red_line\"\nid = \"B-zon\"",
        1,
    );
    let err = parse_scenario(&text, "t.toml", Syntax::Toml).unwrap_err();
    assert!(
        err.diagnostics[0]
            .message
            .contains("no red line `B-zon` to drop"),
        "{err}"
    );
    let text = triad_with_events().replacen("date = \"2025-07-02\"", "date = \"2025-02-30\"", 1);
    let err = parse_scenario(&text, "t.toml", Syntax::Toml).unwrap_err();
    assert!(
        err.diagnostics[0].message.contains("is not a date"),
        "{err}"
    );
}

#[test]
fn flagship_timeline_has_the_article_events() {
    let b = bundled("ukraine-2025-12").unwrap();
    let s = steps(b.text, &Choices::default());
    let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
    for want in [
        "mar-a-lago",
        "valdai-claim",
        "ru-reassessment",
        "beyond-15-years",
        "paris-contributions",
    ] {
        assert!(ids.contains(&want), "{want} missing from {ids:?}");
    }
    let valdai = s.iter().find(|s| s.id == "valdai-claim").unwrap();
    assert_eq!(
        (valdai.claimed_by.as_deref(), valdai.denied_by.as_deref()),
        (Some("RU"), Some("UA"))
    );
    // The disputed claim changes no position; Russia's announced
    // reassessment, reported either way, is its own event.
    let ru = valdai.scenario.actor_index("RU").unwrap();
    assert_eq!(valdai.scenario.preferences[ru].reservation.value, 0.5);
    let again = s.iter().find(|s| s.id == "ru-reassessment").unwrap();
    assert_eq!(again.claimed_by, None);
    assert_eq!(again.scenario.preferences[ru].reservation.value, 0.6);
    assert_eq!(s[0].scenario.preferences[ru].reservation.value, 0.5);
}

#[test]
fn flagship_process_deadlocks_include_the_referendum_cycle() {
    let b = bundled("ukraine-2025-12").unwrap();
    let sc = parse_scenario(b.text, b.file, Syntax::Toml).unwrap();
    let r = analyze_process(&sc.process);
    assert!(!r.consistent);
    // With every step active: six cycles (docs/flagship.md).
    assert_eq!(r.deadlocks.len(), 6);
    let cycles: Vec<(Vec<(String, String)>, i64)> = r
        .deadlocks
        .iter()
        .map(|d| {
            let mut edges: Vec<(String, String)> = d
                .edges
                .iter()
                .map(|e| {
                    (
                        e.constraint.id.clone(),
                        e.constraint.owner.clone().unwrap_or_default(),
                    )
                })
                .collect();
            edges.sort();
            (edges, d.total_days)
        })
        .collect();
    // The referendum cycle overruns by the 60 days the referendum needs.
    let referendum = vec![
        ("P1".to_string(), "UA".to_string()),
        ("P2".into(), "RU".into()),
        ("P9".into(), "UA".into()),
    ];
    assert!(cycles.contains(&(referendum, -60)), "{cycles:?}");
    // The entry-into-force cycle: a ceasefire on signing, P2, and Russia's
    // northern withdrawal 30 days after signature before the settlement.
    let entry = vec![
        ("P2".to_string(), "RU".to_string()),
        ("P4".into(), "UA+US".into()),
        ("P5".into(), "UA+US".into()),
        ("withdrawal-takes-time".into(), "RU".into()),
    ];
    assert!(cycles.contains(&(entry, -30)), "{cycles:?}");
    let mut waivers: Vec<Vec<String>> = r
        .waivers
        .iter()
        .map(|w| {
            let mut ids: Vec<String> = w.waived.iter().map(|c| c.id.clone()).collect();
            ids.sort();
            ids
        })
        .collect();
    waivers.sort();
    assert_eq!(waivers.len(), 7);
    assert!(waivers.contains(&vec!["P2".to_string(), "ceasefire-with-settlement".into()]));
}

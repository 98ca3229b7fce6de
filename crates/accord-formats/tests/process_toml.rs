//! Process tables: TOML → ProcessTables → ProcessNetwork, with errors that
//! name the table entry.

use accord::process::{analyze_process, days_from_civil, Timing};
use accord_formats::process_toml::{build_network, parse_iso_date, ProcessError, ProcessTables};
use proptest::prelude::*;

const ACTORS: [&str; 4] = ["UA", "RU", "US", "EU"];

fn as_of() -> i64 {
    days_from_civil(2025, 12, 29)
}

const FLAGSHIP: &str = r#"
[[milestones]]
id = "ceasefire"
name = "Full ceasefire in effect"
[[milestones]]
id = "settlement"
name = "Comprehensive settlement in force"
[[milestones]]
id = "referendum"
[[milestones]]
id = "signature"

[[preconditions]]
id = "P1"
owner = "UA"
before = "ceasefire"
then = "referendum"
min_days = 60
kind = "held"
rule = "Referendum on the plan requires >= 60-day ceasefire"
source = "cgtn-2025-12-27"
quote = "60 days is the minimum time required"

[[preconditions]]
id = "P2"
owner = "RU"
before = "settlement"
then = "ceasefire"
kind = "veto"
rule = "No temporary ceasefire; comprehensive peace only"

[[preconditions]]
id = "P9"
owner = "UA"
before = "referendum"
then = "settlement"
rule = "Territory change only by all-Ukrainian referendum"

[[preconditions]]
id = "P8"
owner = "UA+US"
before = "signature"
then = "referendum"
max_days = 120
rule = "Elections and referendum as soon as possible after signing"

[[deadlines]]
milestone = "signature"
not_after = "2026-02-24"
owner = "US"

[[deadlines]]
id = "D2"
milestone = "ceasefire"
not_before_days = 3
"#;

fn parse(text: &str) -> ProcessTables {
    toml::from_str(text).expect("valid TOML")
}

fn errors(text: &str) -> Vec<ProcessError> {
    build_network(&parse(text), as_of(), &ACTORS).expect_err("should fail")
}

#[test]
fn flagship_tables_build_and_deadlock() {
    let net = build_network(&parse(FLAGSHIP), as_of(), &ACTORS).unwrap();
    assert_eq!(net.milestones.len(), 4);
    assert_eq!(net.milestones[2].name, "referendum");
    let timings: Vec<Timing> = net.preconditions.iter().map(|p| p.timing).collect();
    assert_eq!(
        timings,
        [
            Timing::Held(60),
            Timing::Never,
            Timing::Before,
            Timing::Within(120)
        ]
    );
    assert_eq!((net.preconditions[0].from, net.preconditions[0].to), (0, 2));
    assert_eq!(net.deadlines[0].id, "deadlines[0]");
    assert_eq!(net.deadlines[0].not_after_days, Some(57));
    assert_eq!(net.deadlines[0].rule, "signature not after day 57");
    assert_eq!(net.deadlines[1].not_before_days, Some(3));
    let r = analyze_process(&net);
    assert!(!r.consistent);
    assert_eq!(r.deadlocks.len(), 1);
    let ids: Vec<&str> = r.deadlocks[0]
        .edges
        .iter()
        .map(|e| e.constraint.id.as_str())
        .collect();
    assert_eq!(ids, ["P2", "P9", "P1"]);
}

#[test]
fn unquoted_toml_date_is_accepted() {
    let text =
        "[[milestones]]\nid = \"s\"\n[[deadlines]]\nmilestone = \"s\"\nnot_after = 2026-01-08\n";
    let net = build_network(&parse(text), as_of(), &ACTORS).unwrap();
    assert_eq!(net.deadlines[0].not_after_days, Some(10));
}

#[test]
fn unknown_milestone_and_actor_name_the_entry() {
    let text = FLAGSHIP
        .replace("then = \"settlement\"", "then = \"setlement\"")
        .replace("owner = \"RU\"", "owner = \"RF\"");
    let errs = errors(&text);
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["preconditions[1].owner", "preconditions[2].then"]);
    assert!(
        errs[0].message.contains("unknown actor \"RF\""),
        "{}",
        errs[0]
    );
    assert!(errs[0].message.contains("UA, RU, US, EU"));
    assert!(errs[1].message.contains("unknown milestone \"setlement\""));
    assert!(errs[1]
        .message
        .contains("ceasefire, settlement, referendum, signature"));
}

#[test]
fn bad_dates_min_over_max_and_duplicates() {
    let text = FLAGSHIP
        .replace("2026-02-24", "2026-02-30")
        .replace("max_days = 120", "max_days = 120\nmin_days = 130")
        .replace("id = \"D2\"", "id = \"P1\"")
        + "\n[[milestones]]\nid = \"ceasefire\"\n";
    let errs = errors(&text);
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "milestones[4].id",
            "preconditions[3].max_days",
            "deadlines[0].not_after",
            "deadlines[1].id",
        ],
        "{errs:#?}"
    );
    assert!(errs[0].message.contains("duplicate milestone id"));
    assert!(errs[1].message.contains("less than min_days (130)"));
    assert!(errs[2].message.contains("ISO date"));
    assert!(errs[3]
        .message
        .contains("first used at preconditions[0].id"));
}

#[test]
fn kind_and_field_mismatches() {
    let base = "[[milestones]]\nid = \"a\"\n[[milestones]]\nid = \"b\"\n[[preconditions]]\nid = \"P\"\nowner = \"UA\"\nbefore = \"a\"\nthen = \"b\"\nrule = \"r\"\n";
    let e = errors(&format!("{base}kind = \"veto\"\nmin_days = 3\n"));
    assert_eq!(e[0].path, "preconditions[0].kind");
    assert!(e[0].message.contains("takes no min_days or max_days"));
    let e = errors(&format!("{base}kind = \"sometimes\"\n"));
    assert!(e[0].message.contains("expected one of: before, at_least"));
    let e = errors(&format!("{base}min_days = 99999999\n"));
    assert_eq!(e[0].path, "preconditions[0].min_days");
    let e = errors(&base.replace("then = \"b\"", "then = \"a\""));
    assert_eq!(e[0].path, "preconditions[0].then");
    let e = errors(&base.replace("before = \"a\"", "before = \"start\""));
    assert!(e[0].message.contains("use [[deadlines]]"), "{}", e[0]);
    let e = errors(&format!("{base}[[deadlines]]\nmilestone = \"a\"\n"));
    assert_eq!(e[0].path, "deadlines[0].milestone");
    let e = errors(&format!(
        "{base}[[deadlines]]\nmilestone = \"a\"\nnot_after = \"2026-01-01\"\nnot_after_days = 3\n"
    ));
    assert_eq!(e[0].path, "deadlines[0].not_after");
    let e = errors(&format!(
        "{base}[[deadlines]]\nmilestone = \"a\"\nnot_before_days = 9\nnot_after_days = 3\n"
    ));
    assert!(e[0].message.contains("before not_before"), "{}", e[0]);
    let e = errors("[[milestones]]\nid = \"start\"\n");
    assert!(e[0].message.contains("reserved"));
}

#[test]
fn unknown_fields_are_rejected_by_serde() {
    let text = "[[milestones]]\nid = \"a\"\nnmae = \"x\"\n";
    assert!(toml::from_str::<ProcessTables>(text).is_err());
}

#[test]
fn iso_dates() {
    assert_eq!(parse_iso_date("2025-12-29"), Some(as_of()));
    assert_eq!(
        parse_iso_date("2024-02-29"),
        Some(days_from_civil(2024, 2, 29))
    );
    for bad in [
        "2025-02-29",
        "2025-13-01",
        "2025-1-01",
        "25-12-29",
        "2025/12/29",
        "２０２５-12-29",
    ] {
        assert_eq!(parse_iso_date(bad), None, "{bad}");
    }
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        if let Ok(raw) = toml::from_str::<ProcessTables>(&text) {
            let _ = build_network(&raw, as_of(), &ACTORS);
        }
    }

    /// TOML-shaped documents with random names, numbers and dates: the
    /// builder never panics, and whatever it accepts the engine accepts.
    #[test]
    fn tomlish_documents_never_panic(
        ms in prop::collection::vec("[a-c]{0,2}", 0..4),
        ps in prop::collection::vec(
            ("[a-c]{0,2}", "[a-c]{0,2}", "(UA|RU|XX|UA\\+US)",
             prop::option::of(-3_000_000i64..3_000_000),
             prop::option::of(-5i64..200),
             prop::option::of("(held|veto|between|nope)")),
            0..4),
        ds in prop::collection::vec(
            ("[a-c]{0,2}", prop::option::of("[0-9]{4}-[0-9]{2}-[0-9]{2}"), prop::option::of(any::<i64>())),
            0..3),
    ) {
        let mut text = String::new();
        for m in &ms {
            text += &format!("[[milestones]]\nid = \"{m}\"\n");
        }
        for (i, (a, b, owner, lo, hi, kind)) in ps.iter().enumerate() {
            text += &format!("[[preconditions]]\nid = \"P{i}\"\nowner = \"{owner}\"\nbefore = \"{a}\"\nthen = \"{b}\"\nrule = \"r\"\n");
            if let Some(lo) = lo { text += &format!("min_days = {lo}\n"); }
            if let Some(hi) = hi { text += &format!("max_days = {hi}\n"); }
            if let Some(k) = kind { text += &format!("kind = \"{k}\"\n"); }
        }
        for (m, date, days) in &ds {
            text += &format!("[[deadlines]]\nmilestone = \"{m}\"\n");
            if let Some(d) = date { text += &format!("not_after = \"{d}\"\n"); }
            if let Some(d) = days { text += &format!("not_before_days = {d}\n"); }
        }
        let raw: ProcessTables = toml::from_str(&text).unwrap();
        if let Ok(net) = build_network(&raw, as_of(), &ACTORS) {
            prop_assert!(net.validate().is_ok());
            let _ = analyze_process(&net);
        }
    }
}

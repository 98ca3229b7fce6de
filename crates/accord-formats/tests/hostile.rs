//! Hostile input through the formats API: every case reproduces a reported
//! crash, overflow or silent misreading, and must now be a located error.

use accord_formats::genius::{import_genius_files, to_genius, GeniusFile, GeniusOptions};
use accord_formats::ktab::read_ktab_csv;
use accord_formats::{parse_scenario, Syntax};

const SALE: &str = include_str!("../../../scenarios/sale.toml");

fn sale_with_rule(rule: &str) -> String {
    SALE.replacen("rule = \"price <= 8\"", &format!("rule = \"{rule}\""), 1)
}

fn first_error(text: &str, file: &str, syntax: Syntax) -> String {
    parse_scenario(text, file, syntax)
        .expect_err("must be refused")
        .to_string()
}

#[test]
fn deeply_nested_rules_are_located_errors_in_toml_and_json() {
    let line = SALE[..SALE.find("rule = \"price <= 8\"").unwrap()]
        .matches('\n')
        .count()
        + 1;
    for n in [3_000, 10_000] {
        let rule = format!("{}price <= 8{}", "(".repeat(n), ")".repeat(n));
        let err = first_error(&sale_with_rule(&rule), "deep.toml", Syntax::Toml);
        assert!(err.contains("nesting deeper than 64 levels"), "{err}");
        assert!(err.contains(&format!("deep.toml:{line}:")), "{err}");
        // Column: `rule = "` is 8 bytes, then 64 parentheses to the token.
        assert!(
            err.contains(&format!("deep.toml:{line}:{}", 8 + 64 + 1)),
            "{err}"
        );

        let sc = parse_scenario(SALE, "sale.toml", Syntax::Toml).unwrap();
        let mut raw = accord_formats::scenario::to_raw(&sc);
        raw.red_lines[0].rule = rule.clone();
        let json = serde_json::to_string(&raw).unwrap();
        let err = first_error(&json, "deep.json", Syntax::Json);
        assert!(err.contains("nesting deeper than 64 levels"), "{err}");
        assert!(err.contains("deep.json:1:"), "{err}");
    }
}

#[test]
fn deeply_nested_documents_are_located_errors() {
    let toml = format!("x = {}{}\n", "[".repeat(3_000), "]".repeat(3_000));
    let err = first_error(&toml, "a.toml", Syntax::Toml);
    assert!(err.contains("nesting deeper than 80 levels"), "{err}");
    assert!(err.contains("a.toml:1:"), "{err}");
    let toml = format!("x = {}{}\n", "{a = ".repeat(3_000), "}".repeat(3_000));
    let err = first_error(&toml, "t.toml", Syntax::Toml);
    assert!(err.contains("nesting deeper than 80 levels"), "{err}");
    // JSON: serde_json's own depth guard, with the position of the failure.
    let json = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = first_error(&json, "a.json", Syntax::Json);
    assert!(err.contains("a.json:1:"), "{err}");
}

#[test]
fn steps_that_overflow_the_level_count_are_refused() {
    for (from, to) in [
        ("step = 1\n", "step = 1e-300\n"),
        ("max = 10\n", "max = 1e308\n"),
    ] {
        let mut text = SALE.replacen(from, to, 1);
        if to.starts_with("max") {
            text = text.replacen("min = 0\n", "min = -1e308\n", 1);
        }
        let err = first_error(&text, "s.toml", Syntax::Toml);
        assert!(
            err.contains("the step gives more than 100000 values"),
            "{err}"
        );
    }
}

#[test]
fn ktab_rows_must_have_exactly_the_announced_fields() {
    let good = "T,d,2,1\nActor,Description,Power,P1,S1\nA,a,10,20,50\nB,b,10,80,50\n";
    let sc = read_ktab_csv(good).unwrap();
    assert_eq!(
        sc.problem.dimensions()[0].positions,
        vec![Some(20.0), Some(80.0)]
    );
    // KTAB's files end each row with a comma: one empty field more is fine.
    let trailing = good.replace("50\n", "50,\n");
    assert!(read_ktab_csv(&trailing).is_ok());
    // Regression: an unquoted comma in a description was read as one more
    // field, so B's capability, position and salience shifted by one and the
    // last value was silently dropped.
    let extra = good.replace("B,b,10,80,50", "B,b, extra,10,80,50");
    let err = read_ktab_csv(&extra).unwrap_err().to_string();
    assert_eq!(
        err,
        "line 4: expected 5 fields (actor, description, capability and a position and \
         salience for each of 1 dimensions), found 6"
    );
    let short = good.replace("B,b,10,80,50", "B,b,10,80");
    assert!(read_ktab_csv(&short).is_err());
}

#[test]
fn ktab_with_every_salience_zero_is_refused() {
    // Regression: SMP forecast NaN with exit 0.
    let zero = "T,d,2,1\nActor,Description,Power,P1,S1\nA,a,10,20,0\nB,b,10,80,0\n";
    let err = read_ktab_csv(zero).unwrap_err().to_string();
    assert_eq!(
        err,
        "line 1: no actor has a position and a salience on every dimension with saliences \
         above 0, so the models have no one to weigh"
    );
    // One actor with weight is enough for every model.
    assert!(read_ktab_csv(&zero.replace("B,b,10,80,0", "B,b,10,80,5")).is_ok());
}

#[test]
fn genius_export_file_names_stay_inside_the_folder() {
    let sc = parse_scenario(SALE, "sale.toml", Syntax::Toml).unwrap();
    let mut sc = sc;
    sc.id = "../../x".into();
    sc.actors[0].id = "/etc/passwd".into();
    sc.actors[1].id = "..".into();
    let out = to_genius(&sc, &[]).unwrap();
    let names: Vec<&str> = std::iter::once(&out.domain)
        .chain(&out.profiles)
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(names, ["______x.xml", "_etc_passwd.xml", "__.xml"]);
    // Collisions get a suffix instead of overwriting the domain.
    sc.id = "seller".into();
    sc.actors[0].id = "seller".into();
    sc.actors[1].id = "SELLER".into();
    let out = to_genius(&sc, &[]).unwrap();
    let names: Vec<&str> = std::iter::once(&out.domain)
        .chain(&out.profiles)
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(names, ["seller.xml", "seller-2.xml", "SELLER-3.xml"]);
    // The files still import as the same negotiation.
    let files: Vec<GeniusFile> = std::iter::once(&out.domain)
        .chain(&out.profiles)
        .map(|(n, t)| GeniusFile::new(n.clone(), t.clone()))
        .collect();
    let back = import_genius_files(&files, &GeniusOptions::default()).unwrap();
    assert_eq!(back.scenario.actors.len(), 2);
}

#[test]
fn genius_import_refuses_integer_issues_that_check_would_refuse() {
    let domain = |hi: u32| {
        format!(
            r#"<negotiation_template><utility_space><objective index="0" name="root" etype="objective">
<issue index="1" name="Price" etype="integer" lowerbound="1" upperbound="{hi}"/>
</objective></utility_space></negotiation_template>"#
        )
    };
    let profile = |hi: u32| {
        format!(
            r#"<utility_space><objective index="0" name="root" etype="objective">
<issue index="1" name="Price" etype="integer" lowerbound="1" upperbound="{hi}"><evaluator ftype="linear" slope="0.000001" offset="0"/></issue>
<weight index="1" value="1"/></objective><reservation value="0"/></utility_space>"#
        )
    };
    let import = |hi: u32| {
        import_genius_files(
            &[
                GeniusFile::new("d.xml", domain(hi)),
                GeniusFile::new("a.xml", profile(hi)),
                GeniusFile::new("b.xml", profile(hi)),
            ],
            &GeniusOptions::default(),
        )
    };
    // 100,000 values: the most an issue may have, accepted and checkable.
    let ok = import(100_000).expect("at the limit");
    assert_eq!(ok.scenario.issues[0].levels(), 100_000);
    assert!(ok.scenario.check().is_ok());
    // Regression: 500,001 values imported, then `check` refused the result.
    let err = import(500_001).unwrap_err().to_string();
    assert!(
        err.contains("spans more than 100000 values, the most one issue may have"),
        "{err}"
    );
}

#[test]
fn fractional_seats_are_refused() {
    let text = SALE.replacen("seats = 2", "seats = 1.5", 1);
    let err = first_error(&text, "s.toml", Syntax::Toml);
    assert!(err.contains("1.5 is not a whole number of seats"), "{err}");
}

#[test]
fn numbers_in_messages_are_short() {
    // Regression: f64::MAX as the upper end of a range printed 309 digits.
    let text = SALE.replacen("seats = 2", "seats = -1", 1);
    let err = first_error(&text, "s.toml", Syntax::Toml);
    assert!(
        err.contains("-1 is out of range: expected a number of at least 0"),
        "{err}"
    );
    let text = SALE.replacen("min = 0\n", "min = 1e308\n", 1);
    let err = first_error(&text, "s.toml", Syntax::Toml);
    assert!(err.contains("expected max >= min (min is 1e308)"), "{err}");
    assert!(err.lines().all(|l| l.len() < 200), "{err}");
    assert_eq!(accord::model::fmt_num(f64::MAX), "1.7976931348623157e308");
    assert_eq!(accord::model::fmt_num(2.5), "2.5");
    assert_eq!(accord::model::fmt_num(40.0), "40");
}

/// The sale with three dated events; the first sets the seller's
/// reservation to `value`.
fn sale_with_events(first_date: &str, value: &str) -> String {
    format!(
        "{SALE}\n[[events]]\nid = \"e1\"\ndate = \"{first_date}\"\ntitle = \"one\"\n\
         [[events.patches]]\nop = \"set_reservation\"\nactor = \"seller\"\nvalue = {value}\n\
         \n[[events]]\nid = \"e2\"\ndate = \"2025-03-01\"\ntitle = \"two\"\n\
         \n[[events]]\nid = \"e3\"\ndate = \"2025-04-01\"\ntitle = \"three\"\n"
    )
}

#[test]
fn one_bad_patch_is_reported_once() {
    assert!(parse_scenario(
        &sale_with_events("2025-02-01", "0.5"),
        "s.toml",
        Syntax::Toml
    )
    .is_ok());
    let err =
        parse_scenario(&sale_with_events("2025-02-01", "5"), "s.toml", Syntax::Toml).unwrap_err();
    // Regression: the same problem came back "after event e2" and "e3".
    assert_eq!(err.diagnostics.len(), 1, "{err}");
    assert!(err.diagnostics[0]
        .message
        .starts_with("after event `e1`: 5 is out of range"));
}

#[test]
fn an_event_dated_before_as_of_is_refused() {
    let err = first_error(
        &sale_with_events("2024-12-31", "0.5"),
        "s.toml",
        Syntax::Toml,
    );
    assert!(
        err.contains("the event is dated 2024-12-31, before the scenario's as_of 2025-01-15"),
        "{err}"
    );
}

//! Bad scenario files: every error names the line and column of the entry
//! at fault and says what was expected; no input makes the reader panic.

use accord_formats::bundled::bundled;
use accord_formats::{parse_scenario, Syntax};
use proptest::prelude::*;

fn sale() -> String {
    bundled("sale").unwrap().text.to_string()
}

/// Replaces the first occurrence of `from` and returns the 1-based line
/// where it sits.
fn edit(text: &str, from: &str, to: &str) -> (String, usize) {
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("`{from}` not in text"));
    let line = text[..at].matches('\n').count() + 1;
    (text.replacen(from, to, 1), line)
}

fn first_error(text: &str) -> accord_formats::Diagnostic {
    parse_scenario(text, "bad.toml", Syntax::Toml)
        .unwrap_err()
        .diagnostics
        .remove(0)
}

#[test]
fn unknown_actor_in_a_red_line() {
    let (text, line) = edit(&sale(), "actor = \"buyer\"\nrule", "actor = \"byer\"\nrule");
    let d = first_error(&text);
    assert_eq!((d.file.as_str(), d.line, d.column), ("bad.toml", line, 9));
    assert!(
        d.message.contains("unknown actor `byer`") && d.message.contains("seller, buyer"),
        "{}",
        d.message
    );
    assert_eq!(d.path, "red_lines[0].actor");
}

#[test]
fn unknown_option_inside_a_rule_points_into_the_string() {
    let (text, line) = edit(
        &sale(),
        "requires = \"delivery == express\"",
        "requires = \"delivery == drone\"",
    );
    let d = first_error(&text);
    assert_eq!(d.line, line);
    // `requires = "` is 12 characters; `delivery == ` 12 more.
    assert_eq!(d.column, 25);
    assert_eq!(d.width, 5);
    assert!(
        d.message.contains("`drone` is not an option of `delivery`"),
        "{}",
        d.message
    );
}

#[test]
fn value_out_of_range() {
    let (text, line) = edit(&sale(), "threshold = 0.5", "threshold = 1.5");
    let d = first_error(&text);
    assert_eq!((d.line, d.column), (line, 13));
    assert!(
        d.message.contains("expected a number from 0 to 1"),
        "{}",
        d.message
    );
}

#[test]
fn weights_that_do_not_sum_to_one() {
    let (text, _) = edit(
        &sale(),
        "weight = { value = 0.2, source = \"example\" }",
        "weight = { value = 0.3, source = \"example\" }",
    );
    let d = first_error(&text);
    assert!(
        d.message.contains("the weights sum to 1.1, expected 1"),
        "{}",
        d.message
    );
    assert_eq!(d.path, "preferences[0].issues");
}

#[test]
fn duplicate_ids_and_references_to_nothing() {
    let (text, line) = edit(&sale(), "id = \"buyer\"", "id = \"seller\"");
    let err = parse_scenario(&text, "bad.toml", Syntax::Toml).unwrap_err();
    let dup = err
        .diagnostics
        .iter()
        .find(|d| d.message.contains("duplicate actor id `seller`"))
        .expect("duplicate reported");
    assert_eq!(dup.line, line);
    let (text, line) = edit(
        &sale(),
        "source = \"example\"\nquote",
        "source = \"nowhere\"\nquote",
    );
    let d = first_error(&text);
    assert_eq!(d.line, line);
    assert!(
        d.message.contains("unknown source `nowhere`"),
        "{}",
        d.message
    );
}

#[test]
fn syntax_and_type_errors_are_located() {
    let (text, line) = edit(&sale(), "step = 1", "step = \"one\"");
    let d = first_error(&text);
    assert_eq!(d.line, line);
    let (text, line) = edit(&sale(), "[[red_lines]]", "[[red_lines]\n");
    let d = first_error(&text);
    assert_eq!(d.line, line);
    let (text, line) = edit(&sale(), "unit = \"kEUR\"", "units = \"kEUR\"");
    let d = first_error(&text);
    assert_eq!(d.line, line);
    assert!(d.message.contains("unknown field `units`"), "{}", d.message);
}

#[test]
fn json_errors_are_located_too() {
    let sc = parse_scenario(&sale(), "sale.toml", Syntax::Toml).unwrap();
    let json = serde_json::to_string_pretty(&accord_formats::scenario::to_raw(&sc)).unwrap();
    let bad = json.replacen("\"rule\": \"price <= 8\"", "\"rule\": \"price <= 80\"", 1);
    let line = bad[..bad.find("price <= 80").unwrap()]
        .matches('\n')
        .count()
        + 1;
    let d = parse_scenario(&bad, "bad.json", Syntax::Json)
        .unwrap_err()
        .diagnostics
        .remove(0);
    assert_eq!(d.line, line);
    assert!(
        d.message.contains("outside the range of `price`"),
        "{}",
        d.message
    );
    let d = parse_scenario("{\"scenario\": {\"id\": 3}}", "bad.json", Syntax::Json)
        .unwrap_err()
        .diagnostics
        .remove(0);
    assert_eq!((d.line, d.column), (1, 21));
}

#[test]
fn rendered_error_shows_the_line() {
    let (text, _) = edit(&sale(), "actor = \"buyer\"\nrule", "actor = \"byer\"\nrule");
    let err = parse_scenario(&text, "bad.toml", Syntax::Toml)
        .unwrap_err()
        .to_string();
    assert!(err.contains("--> bad.toml:"), "{err}");
    assert!(err.contains("actor = \"byer\""), "{err}");
    assert!(err.contains("^^^^^^"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, max_shrink_iters: if std::env::var_os("CI").is_some() { 0 } else { 256 }, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = parse_scenario(&text, "x.toml", Syntax::Toml);
        let _ = parse_scenario(&text, "x.json", Syntax::Json);
    }

    #[test]
    fn mutated_scenarios_never_panic(cut in 0usize..4000, flip in 0usize..4000, byte in any::<u8>()) {
        for name in ["sale", "triad", "ukraine-2025-12"] {
            let text = bundled(name).unwrap().text;
            let mut bytes = text.as_bytes().to_vec();
            let n = bytes.len();
            bytes[flip % n] = byte;
            bytes.truncate(n - cut % n);
            let s = String::from_utf8_lossy(&bytes);
            if let Ok(sc) = parse_scenario(&s, "x.toml", Syntax::Toml) {
                // Whatever the reader accepts, the engine can analyse.
                if sc.space_size() < 100_000 {
                    accord::analyze(&sc, &accord::AnalyzeOptions::default(), &accord::NoProgress).unwrap();
                }
            }
        }
    }
}

#[test]
fn deal_dependent_ratifier_fields_are_checked_and_located() {
    let (text, line) = edit(
        &sale(),
        "quota = 0.5\n",
        "quota = 0.5\napplies = \"referendum == yes\"\n",
    );
    let d = first_error(&text);
    assert_eq!(
        (d.line, d.path.as_str()),
        (line + 1, "ratifiers[0].applies")
    );
    assert!(d.message.contains("referendum"), "{}", d.message);

    let (text, line) = edit(
        &sale(),
        "[[ratifiers.blocs]]\n",
        "[[ratifiers.quotas]]\nwhen = \"delivery == express\"\nquota = 1.5\n[[ratifiers.blocs]]\n",
    );
    let d = first_error(&text);
    assert_eq!((d.line, d.column), (line + 2, 9));
    assert!(
        d.message.contains("expected a number from 0 to 1"),
        "{}",
        d.message
    );

    let (text, line) = edit(
        &sale(),
        "[[ratifiers.blocs]]\n",
        "[[ratifiers.quotas]]\nwhen = \"nato == ban\"\nquota = 0.6667\n[[ratifiers.blocs]]\n",
    );
    let d = first_error(&text);
    assert_eq!(
        (d.line, d.path.as_str()),
        (line + 1, "ratifiers[0].quotas[0].when")
    );

    let (text, line) = edit(&sale(), "threshold = 0.5\n", "threshold = 0.5\nshare = 2\n");
    let d = first_error(&text);
    assert_eq!((d.line, d.column), (line + 1, 9));
}

#[test]
fn unknown_entrenchment_is_located_and_lists_the_levels() {
    let (text, line) = edit(
        &sale(),
        "quote = \"we cannot pay more than 8\"",
        "quote = \"we cannot pay more than 8\"\nentrenchment = \"bogus\"",
    );
    let d = first_error(&text);
    assert_eq!((d.line, d.column), (line + 1, 16));
    assert_eq!(d.path, "red_lines[0].entrenchment");
    assert!(
        d.message.contains("unknown entrenchment `bogus`")
            && d.message
                .contains("constitutional, legal, public_pledge, reported, anonymous"),
        "{}",
        d.message
    );
}

#[test]
fn negative_entrenchment_cost_is_located() {
    let (text, line) = edit(&sale(), "quota = 0.5\n", "quota = 0.5\nentrenchment = -1\n");
    let d = first_error(&text);
    assert_eq!(
        (d.line, d.path.as_str()),
        (line + 1, "ratifiers[0].entrenchment")
    );
    assert!(
        d.message.contains("expected a number >= 0"),
        "{}",
        d.message
    );
}

#[test]
fn entrenchments_are_read() {
    let text = sale()
        .replace(
            "quote = \"we cannot pay more than 8\"",
            "quote = \"we cannot pay more than 8\"\nentrenchment = \"legal\"",
        )
        .replace(
            "reservation = { value = 0.4, source = \"example\" }",
            "reservation = { value = 0.4, source = \"example\" }\nreservation_entrenchment = 2.5",
        );
    let sc = parse_scenario(&text, "ok.toml", Syntax::Toml).unwrap();
    use accord::model::Entrenchment;
    assert_eq!(
        sc.red_lines[0].provenance.entrenchment,
        Some(Entrenchment::Legal)
    );
    assert_eq!(
        sc.preferences[0].reservation.provenance.entrenchment,
        Some(Entrenchment::Cost(2.5))
    );
}

/// Regression: a sign inside a date once passed the scenario's date check
/// (`+1` reads as the number 1) while the process reader refused it, so the
/// process silently counted days from 1970. Now the one validator refuses
/// it, with the location of `as_of`.
#[test]
fn a_signed_month_in_as_of_is_a_located_error() {
    for bad in ["2025-+1-01", "+025-01-01", "2025-01-+1", "2025-02-30"] {
        assert!(!accord_formats::scenario::is_iso_date(bad), "{bad}");
        let text = sale();
        let at = text.find("as_of = \"").expect("sale has as_of") + "as_of = \"".len();
        let end = at + text[at..].find('"').unwrap();
        let line = text[..at].matches('\n').count() + 1;
        let text = format!("{}{bad}{}", &text[..at], &text[end..]);
        let d = first_error(&text);
        assert_eq!((d.line, d.path.as_str()), (line, "scenario.as_of"), "{bad}");
        assert!(
            d.message
                .contains(&format!("`{bad}` is not a date: expected YYYY-MM-DD")),
            "{}",
            d.message
        );
    }
    for good in ["2025-12-29", "2024-02-29", "0001-01-01"] {
        assert!(accord_formats::scenario::is_iso_date(good), "{good}");
    }
}

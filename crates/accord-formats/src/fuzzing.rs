//! One entry point per reader for the fuzz targets in `fuzz/` and for the
//! bounded fuzz loop of the normal test suite (`tests/fuzz_inputs.rs`), so
//! both exercise exactly the same calls.
//!
//! Each function takes arbitrary bytes and must return without panicking,
//! overflowing the stack or looping; where a reader accepts the input, the
//! function also checks a round trip (write it back, read it again, get the
//! same value) and panics if that fails, so a fuzzer reports it.

use crate::genius::{import_genius_files, is_nonlinear_genius, read_genius_nonlinear, GeniusFile};
use crate::{parse_scenario, to_toml, Syntax};
use accord::model::Issue;

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Parses `data` as a TOML scenario; an accepted one must survive
/// writing to TOML and reading back unchanged.
pub fn scenario_toml(data: &[u8]) {
    scenario(&text(data), Syntax::Toml);
}

/// Parses `data` as a JSON scenario, with the same round trip.
pub fn scenario_json(data: &[u8]) {
    scenario(&text(data), Syntax::Json);
}

fn scenario(text: &str, syntax: Syntax) {
    let Ok(sc) = parse_scenario(text, "fuzz", syntax) else {
        return;
    };
    let written = to_toml(&sc);
    let back = parse_scenario(&written, "fuzz.toml", Syntax::Toml)
        .unwrap_or_else(|e| panic!("a written scenario does not read back: {e}\n{written}"));
    assert_eq!(
        to_toml(&back),
        written,
        "a scenario changed through write and read"
    );
}

/// The issues rules are parsed against: one ordered and one unordered
/// option issue and a numeric one, as in the bundled scenarios.
pub fn rule_issues() -> Vec<Issue> {
    let sc = parse_scenario(
        include_str!("../../../scenarios/sale.toml"),
        "sale.toml",
        Syntax::Toml,
    )
    .expect("the bundled sale scenario is valid");
    sc.issues
}

/// Parses `data` as a rule; an accepted rule must print and re-parse to
/// the same expression.
pub fn rule(data: &[u8], issues: &[Issue]) {
    let text = text(data);
    let Ok(e) = crate::rule::parse_rule(&text, issues) else {
        return;
    };
    let printed = e.to_text(issues);
    let back = crate::rule::parse_rule(&printed, issues)
        .unwrap_or_else(|err| panic!("`{printed}` does not re-parse: {}", err.message));
    assert_eq!(back, e, "`{text}` printed as `{printed}`");
}

const DOMAIN: &str = r#"<negotiation_template><utility_space>
<objective index="0" name="root" etype="objective">
<issue index="1" name="Price" etype="integer" lowerbound="10" upperbound="20"/>
<issue index="2" name="Colour" etype="discrete"><item index="1" value="red"/><item index="2" value="blue"/></issue>
</objective></utility_space></negotiation_template>"#;

const PROFILE: &str = r#"<utility_space><objective index="0" name="root" etype="objective">
<issue index="1" name="Price" etype="integer" lowerbound="10" upperbound="20"><evaluator ftype="linear" slope="0.1" offset="-1"/></issue>
<issue index="2" name="Colour" etype="discrete"><item value="red" evaluation="4"/><item value="blue" evaluation="2"/></issue>
<weight index="1" value="0.5"/><weight index="2" value="0.5"/>
</objective><reservation value="0.25"/></utility_space>"#;

/// Reads `data` as a GENIUS domain (with a fixed profile) and as a profile
/// (with a fixed domain), through the linear and the non-linear readers.
pub fn genius_xml(data: &[u8]) {
    let text = text(data).into_owned();
    for files in [
        vec![
            GeniusFile::new("d.xml", text.clone()),
            GeniusFile::new("a.xml", PROFILE),
            GeniusFile::new("b.xml", PROFILE),
        ],
        vec![
            GeniusFile::new("d.xml", DOMAIN),
            GeniusFile::new("a.xml", text.clone()),
            GeniusFile::new("b.xml", PROFILE),
        ],
    ] {
        let _ = import_genius_files(&files, &Default::default());
        if is_nonlinear_genius(&files) {
            let _ = read_genius_nonlinear(&files);
        }
    }
}

/// Reads `data` as a KTAB CSV and as a KTAB XML scenario.
pub fn ktab(data: &[u8]) {
    let text = text(data);
    let _ = crate::ktab::read_ktab_csv(&text);
    let _ = crate::ktab::read_ktab_xml(&text);
}

/// Reads `data` as a DEU data file, for forecasts and for the backtest.
pub fn deu(data: &[u8]) {
    let text = text(data);
    let _ = crate::deu::read_deu(&text);
    let _ = crate::deu::read_deu_backtest(&text);
}

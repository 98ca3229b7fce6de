//! Older and looser GENIUS files, read as GENIUS reads them: issues without
//! a type attribute, `type` overruling `etype`, pre-10 integer evaluators,
//! nested objectives, and reservation/discount under either element. Every
//! file here is written for these tests.

use accord_formats::genius::{import_genius_files, GeniusFile, GeniusImport, GeniusOptions};

fn read(domain: &str, profiles: &[&str]) -> Result<GeniusImport, accord_formats::LoadError> {
    let mut files = vec![GeniusFile::new("domain.xml", domain)];
    for (i, p) in profiles.iter().enumerate() {
        files.push(GeniusFile::new(format!("p{}.xml", i + 1), *p));
    }
    import_genius_files(&files, &GeniusOptions::default())
}

fn close(got: f64, want: f64) {
    assert!((got - want).abs() <= 1e-12, "got {got}, want {want}");
}

/// Two discrete issues with no `etype`, `type` or `vtype` anywhere.
const UNTYPED_DOMAIN: &str = r#"<negotiation_template><utility_space number_of_issues="2">
<objective index="0" name="root">
<issue index="1" name="Venue"><item index="1" value="hall"/><item index="2" value="park"/></issue>
<issue index="2" name="Food"><item index="1" value="soup"/><item index="2" value="cake"/><item index="3" value="none"/></issue>
</objective></utility_space></negotiation_template>"#;

fn untyped_profile(w: [&str; 2], evals: [&str; 5]) -> String {
    format!(
        r#"<utility_space><objective index="0" name="root">
<issue index="1" name="Venue"><item value="hall" evaluation="{}"/><item value="park" evaluation="{}"/></issue>
<issue index="2" name="Food"><item value="soup" evaluation="{}"/><item value="cake" evaluation="{}"/><item value="none" evaluation="{}"/></issue>
<weight index="1" value="{}"/><weight index="2" value="{}"/>
</objective></utility_space>"#,
        evals[0], evals[1], evals[2], evals[3], evals[4], w[0], w[1]
    )
}

#[test]
fn issues_without_a_type_are_discrete() {
    let p1 = untyped_profile(["0.6", "0.4"], ["2", "1", "3", "6", "0"]);
    let p2 = untyped_profile(["0.3", "0.7"], ["1", "4", "5", "5", "10"]);
    let sc = read(UNTYPED_DOMAIN, &[&p1, &p2]).expect("imports").scenario;
    assert_eq!(sc.issues.len(), 2);
    assert_eq!(sc.issues[0].levels(), 2);
    assert_eq!(sc.issues[1].levels(), 3);
    // hall, soup: p1 0.6·(2/2) + 0.4·(3/6); p2 0.3·(1/4) + 0.7·(5/10).
    close(sc.utility(0, &[0, 0]), 0.6 + 0.4 * 0.5);
    close(sc.utility(1, &[0, 0]), 0.3 * 0.25 + 0.7 * 0.5);
}

#[test]
fn type_overrules_a_conflicting_etype() {
    // GENIUS reads `type`; here it says integer while `etype` says discrete.
    let domain = r#"<negotiation_template><utility_space><objective index="0" name="root">
<issue index="1" name="Days" type="integer" etype="discrete" lowerbound="1" upperbound="5"/>
<issue index="2" name="Mode" type="discrete" etype="discrete"><item value="a"/><item value="b"/></issue>
</objective></utility_space></negotiation_template>"#;
    let profile = |slope: &str, offset: &str| {
        format!(
            r#"<utility_space><objective index="0" name="root">
<issue index="1" name="Days" type="integer" etype="discrete" lowerbound="1" upperbound="5"><evaluator ftype="linear" slope="{slope}" offset="{offset}"/></issue>
<issue index="2" name="Mode" type="discrete"><item value="a" evaluation="1"/><item value="b" evaluation="1"/></issue>
<weight index="1" value="1"/><weight index="2" value="0"/>
</objective></utility_space>"#
        )
    };
    let sc = read(domain, &[&profile("0.25", "0"), &profile("-0.25", "1")])
        .expect("imports")
        .scenario;
    assert_eq!(sc.issues[0].levels(), 5);
    // 3 days (level 2): 0.25·(3 − 1) and 1 − 0.25·(3 − 1).
    close(sc.utility(0, &[2, 0]), 0.5);
    close(sc.utility(1, &[2, 0]), 0.5);
}

/// An integer issue whose bounds sit in a `<range>` child, as older files
/// write them.
const RANGE_DOMAIN: &str = r#"<negotiation_template><utility_space><objective index="0" name="root">
<issue index="1" name="Hours" type="integer"><range lowerbound="0" upperbound="4"/></issue>
<issue index="2" name="Place" type="discrete"><item value="x"/><item value="y"/></issue>
</objective></utility_space></negotiation_template>"#;

fn range_profile(evaluator: &str) -> String {
    format!(
        r#"<utility_space><objective index="0" name="root">
<issue index="1" name="Hours" type="integer"><range lowerbound="0" upperbound="4"/>{evaluator}</issue>
<issue index="2" name="Place" type="discrete"><item value="x" evaluation="1"/><item value="y" evaluation="0"/></issue>
<weight index="1" value="0.5"/><weight index="2" value="0.5"/>
</objective></utility_space>"#
    )
}

#[test]
fn older_integer_evaluators_are_read() {
    // Pre-10 linear: clamp(parameter1·x + parameter0, 0, 1), from 0, with
    // the function type in any case; constant: parameter0 everywhere.
    let p1 = range_profile(r#"<evaluator ftype="LINEAR" parameter0="0.2" parameter1="0.25"/>"#);
    let p2 = range_profile(r#"<evaluator ftype="constant" parameter0="0.4"/>"#);
    let sc = read(RANGE_DOMAIN, &[&p1, &p2]).expect("imports").scenario;
    assert_eq!(sc.issues[0].levels(), 5);
    // 0 h: 0.2; 2 h: 0.7; 4 h: 1.2 clamped to 1.
    close(sc.utility(0, &[0, 1]), 0.5 * 0.2);
    close(sc.utility(0, &[2, 1]), 0.5 * 0.7);
    close(sc.utility(0, &[4, 0]), 0.5 * 1.0 + 0.5);
    for h in 0..5 {
        close(sc.utility(1, &[h, 1]), 0.5 * 0.4);
    }
    // A function type the reader does not know is refused where it stands.
    let bad = range_profile(r#"<evaluator ftype="faratin" parameter0="0"/>"#);
    let err = read(RANGE_DOMAIN, &[&bad, &p2])
        .expect_err("refused")
        .to_string();
    assert!(err.contains("p1.xml:2:"), "{err}");
    assert!(err.contains("`faratin` is not supported"), "{err}");
}

/// A root objective holding an issue after a sub-objective with two more.
const NESTED_DOMAIN: &str = r#"<negotiation_template><utility_space><objective index="0" name="root" type="objective">
<issue index="3" name="Delivery" type="discrete"><item value="fast"/><item value="slow"/></issue>
<objective index="4" name="Product" type="objective">
<issue index="1" name="Colour" type="discrete"><item value="red"/><item value="blue"/></issue>
<issue index="2" name="Size" type="discrete"><item value="s"/><item value="l"/></issue>
</objective>
</objective></utility_space></negotiation_template>"#;

fn nested_profile(w: [&str; 4], tail: &str) -> String {
    // Weights sit beside what they weigh; the sub-objective's own weight
    // (index 4) does not enter GENIUS's utility.
    format!(
        r#"<utility_space><objective index="0" name="root" type="objective">
<issue index="3" name="Delivery" type="discrete"><item value="fast" evaluation="1"/><item value="slow" evaluation="0"/></issue>
<objective index="4" name="Product" type="objective">
<issue index="1" name="Colour" type="discrete"><item value="red" evaluation="1"/><item value="blue" evaluation="0.5"/></issue>
<issue index="2" name="Size" type="discrete"><item value="s" evaluation="0.25"/><item value="l" evaluation="1"/></issue>
<weight index="1" value="{}"/><weight index="2" value="{}"/>
</objective>
<weight index="3" value="{}"/><weight index="4" value="{}"/>
{tail}</objective></utility_space>"#,
        w[0], w[1], w[2], w[3]
    )
}

#[test]
fn nested_objectives_flatten_in_genius_order() {
    let p1 = nested_profile(["0.5", "0.25", "0.25", "0.75"], "");
    let p2 = nested_profile(["0.25", "0.25", "0.5", "0.5"], "");
    let sc = read(NESTED_DOMAIN, &[&p1, &p2]).expect("imports").scenario;
    // GENIUS attaches sub-objectives before a level's own issues.
    let names: Vec<&str> = sc.issues.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["Colour", "Size", "Delivery"]);
    // blue, s, fast: 0.5·0.5 + 0.25·0.25 + 0.25·1 and 0.25·0.5 + 0.25·0.25 + 0.5·1.
    close(sc.utility(0, &[1, 0, 0]), 0.25 + 0.0625 + 0.25);
    close(sc.utility(1, &[1, 0, 0]), 0.125 + 0.0625 + 0.5);
}

#[test]
fn reservation_and_discount_are_read_from_either_place() {
    let w = ["0.5", "0.25", "0.25", "1"];
    // Inside the root objective.
    let inner = nested_profile(
        w,
        r#"<reservation value="0.3"/><discount_factor value="0.8"/>"#,
    );
    // Under <utility_space>, after the objective.
    let outer = nested_profile(w, "").replace(
        "</objective></utility_space>",
        r#"</objective><reservation value="0.6"/><discount_factor value="0.9"/></utility_space>"#,
    );
    let imp = read(NESTED_DOMAIN, &[&inner, &outer]).expect("imports");
    assert_eq!(imp.scenario.preferences[0].reservation.value, 0.3);
    assert_eq!(imp.scenario.preferences[1].reservation.value, 0.6);
    assert_eq!(imp.discounts, vec![0.8, 0.9]);
    // Both places, <utility_space>'s first in the file: GENIUS visits
    // <utility_space> before the objective, so the objective's values are
    // the ones it keeps.
    let both = inner.replacen(
        "<utility_space><objective",
        r#"<utility_space><reservation value="0.6"/><discount_factor value="0.9"/><objective"#,
        1,
    );
    assert!(both.contains(r#"<utility_space><reservation value="0.6"/>"#));
    let imp = read(NESTED_DOMAIN, &[&both, &outer]).expect("imports");
    assert_eq!(imp.scenario.preferences[0].reservation.value, 0.3);
    assert_eq!(imp.discounts, vec![0.8, 0.9]);
}

#[test]
fn an_item_without_an_evaluation_is_a_located_error() {
    // GENIUS skips evaluation="null"; the profile is then incomplete.
    let p1 = untyped_profile(["0.6", "0.4"], ["2", "null", "3", "6", "0"]);
    let p2 = untyped_profile(["0.3", "0.7"], ["1", "4", "5", "5", "10"]);
    let err = read(UNTYPED_DOMAIN, &[&p1, &p2])
        .expect_err("refused")
        .to_string();
    assert!(err.contains("p1.xml"), "{err}");
    assert!(
        err.contains("item `park` of issue `Venue` has no evaluation"),
        "{err}"
    );
}

//! Forecasts that respect the deal: raw forecasts projected onto the ZOPA,
//! `decided_by` issues, worked out by hand on the bundled `sale` scenario.

use accord::forecast::{
    acceptable_options, acceptable_set, compromise, issue_weights, nearest_package, relaxed_set,
    spatial_problem, weighted_median,
};
use accord::{analyze, AnalyzeOptions, NoProgress, Scenario};
use accord_formats::bundled::bundled;
use accord_formats::scenario::to_toml;
use accord_formats::{parse_scenario, Syntax};

fn sale_text() -> String {
    bundled("sale").expect("bundled").text.to_string()
}

fn parse(text: &str) -> Result<Scenario, String> {
    parse_scenario(text, "sale.toml", Syntax::Toml).map_err(|e| e.to_string())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// The sale's ZOPA is express delivery with price 5..=8 (hand_scenarios.rs).
/// Only price is forecastable (delivery is unordered), so its weight is 1.
/// Seller ideal 10 (salience 80), buyer ideal 0 (salience 60), equal power.
#[test]
fn sale_raw_forecasts_move_to_the_nearest_acceptable_package() {
    let sc = parse(&sale_text()).unwrap();
    let sp = spatial_problem(&sc).unwrap();
    assert_eq!(issue_weights(&sp), vec![1.0]);
    let an = analyze(
        &sc,
        &acceptable_options(&AnalyzeOptions::default()),
        &NoProgress,
    )
    .unwrap();
    let set = acceptable_set(&sc, &an);
    assert_eq!((set.size, set.packages.len()), (4, 4));
    let p = sp.problem.as_ref().unwrap();

    // Compromise: (10·80 + 0·60) / 140 = 5.714 → 57.14 on 0–100: inside the
    // ZOPA's price range, nearest price 6 (distance |57.14 − 60| / 100).
    let c = compromise(p);
    assert!(close(c.forecast[0], 800.0 / 14.0));
    let pk = nearest_package(&sc, &sp, &c.forecast, &set).unwrap();
    assert_eq!(pk.outcome["price"].to_string(), "6");
    assert_eq!(pk.outcome["delivery"].to_string(), "express");
    assert!(close(pk.distance, (60.0 - 800.0 / 14.0) / 100.0));
    assert!(pk.moved.is_empty());

    // Median: cumulative weight reaches half (70 of 140) only at the
    // seller's 10, which breaks the buyer's red line price ≤ 8: the nearest
    // acceptable price is 8, 0.2 away.
    let m = weighted_median(p);
    assert_eq!(m.forecast[0], 100.0);
    let pk = nearest_package(&sc, &sp, &m.forecast, &set).unwrap();
    assert_eq!(pk.outcome["price"].to_string(), "8");
    assert!(close(pk.distance, 0.2));
    assert_eq!(pk.moved, vec!["price".to_string()]);
    // No relaxation is needed when the ZOPA is not empty.
    assert!(
        relaxed_set(&sc, &an, &AnalyzeOptions::default(), &NoProgress)
            .unwrap()
            .is_none()
    );
}

/// With the budget tightened to price ≤ 4 the ZOPA is empty (the seller
/// needs p ≥ 5 with express, and standard needs the board's p ≤ 1); the
/// projection says so, and the smallest relaxation drops one constraint.
#[test]
fn sale_without_a_deal_has_no_acceptable_package() {
    let text = sale_text().replace("price <= 8", "price <= 4");
    let sc = parse(&text).unwrap();
    let sp = spatial_problem(&sc).unwrap();
    let an = analyze(
        &sc,
        &acceptable_options(&AnalyzeOptions::default()),
        &NoProgress,
    )
    .unwrap();
    assert_eq!(an.zopa.size, 0);
    let set = acceptable_set(&sc, &an);
    let c = compromise(sp.problem.as_ref().unwrap());
    assert!(nearest_package(&sc, &sp, &c.forecast, &set).is_none());
    let relaxed = relaxed_set(&sc, &an, &AnalyzeOptions::default(), &NoProgress)
        .unwrap()
        .expect("a relaxation");
    assert_eq!(relaxed.relaxed, an.relaxations[0].drop);
    assert!(relaxed.size > 0);
    let pk = nearest_package(&sc, &sp, &c.forecast, &relaxed).unwrap();
    assert!(relaxed.packages.iter().any(|l| {
        sc.issues[0].value(l[0]) == pk.outcome["price"]
            && sc.issues[1].value(l[1]) == pk.outcome["delivery"]
    }));
}

/// `decided_by = "buyer"` on price: no model votes on it, and the forecast
/// is the buyer's favourite acceptable price (its value falls with price:
/// 5, the lowest in the ZOPA); decided by the seller it is 8.
#[test]
fn decided_issue_is_the_deciders_choice_within_the_deal() {
    for (who, price) in [("buyer", "5"), ("seller", "8")] {
        let text = sale_text().replace(
            "unit = \"kEUR\"",
            &format!("unit = \"kEUR\"\ndecided_by = \"{who}\"\ndecided_by_source = \"example\"\ndecided_by_quote = \"the {who} sets the price\""),
        );
        let sc = parse(&text).unwrap();
        assert_eq!(sc.decided_by.len(), 1);
        let sp = spatial_problem(&sc).unwrap();
        // Price is not voted on, and delivery is unordered: nothing to forecast.
        assert!(sp.problem.is_none());
        assert!(sp.not_forecastable[0].reason.contains(who));
        let an = analyze(
            &sc,
            &acceptable_options(&AnalyzeOptions::default()),
            &NoProgress,
        )
        .unwrap();
        let pk = nearest_package(&sc, &sp, &[], &acceptable_set(&sc, &an)).unwrap();
        assert_eq!(pk.outcome["price"].to_string(), price, "decided by {who}");
        assert_eq!(pk.distance, 0.0);
        // Written back and read again, the decider and its source survive.
        let again = parse(&to_toml(&sc)).unwrap();
        assert_eq!(again.decided_by, sc.decided_by);
    }
}

#[test]
fn decided_by_an_unknown_actor_is_a_located_error() {
    let text = sale_text().replace("unit = \"kEUR\"", "unit = \"kEUR\"\ndecided_by = \"bank\"");
    let err = parse(&text).unwrap_err();
    assert!(
        err.contains("unknown actor `bank` (actors: seller, buyer)"),
        "{err}"
    );
    let line = text
        .lines()
        .position(|l| l.starts_with("decided_by"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("sale.toml:{line}:")), "{err}");
}

/// The DEU III figures embedded in `accord::forecast::DEU3` are what the
/// backtest measures today. The data is not in every checkout: read it from
/// `DEU_DATA` or `data/deu/deu3.csv`, and skip with a reason when absent.
#[test]
fn embedded_deu3_figures_reproduce() {
    use accord::forecast::{backtest, BacktestOptions, NeverCancel, DEU3, DEU3_ISSUES};
    let path = std::env::var_os("DEU_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/deu/deu3.csv")
        });
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipped: no DEU III file at {} (set DEU_DATA)",
            path.display()
        );
        return;
    };
    let issues = accord_formats::deu::read_deu_backtest(&text).unwrap();
    let r = backtest(&issues, &BacktestOptions::default(), &NeverCancel);
    assert_eq!(r.issues_scored, DEU3_ISSUES);
    for v in DEU3 {
        let s = r.scores.iter().find(|s| s.model == v.model).unwrap();
        assert!(
            (s.mae - v.mae).abs() < 1e-9,
            "{}: {} vs {}",
            v.model,
            s.mae,
            v.mae
        );
        assert_eq!(s.ci, v.ci, "{}", v.model);
    }
}

#[test]
fn verdicts_follow_the_interval() {
    use accord::forecast::validation;
    assert_eq!(
        validation("eum").unwrap().verdict(),
        "worse than the compromise model: not validated"
    );
    assert_eq!(
        validation("smp").unwrap().verdict(),
        "not distinguishable from the compromise model"
    );
    assert!(validation("compromise")
        .unwrap()
        .summary()
        .starts_with("DEU III MAE 23.64 on 351 issues"));
    assert!(validation("mean").is_none());
}

#[test]
fn decided_by_an_unknown_source_is_located_at_its_key() {
    let text = sale_text().replace(
        "unit = \"kEUR\"",
        "unit = \"kEUR\"\ndecided_by = \"buyer\"\ndecided_by_source = \"nope\"",
    );
    let err = parse(&text).unwrap_err();
    assert!(
        err.contains("unknown source `nope` (known: example)"),
        "{err}"
    );
    let line = text
        .lines()
        .position(|l| l.starts_with("decided_by_source"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("sale.toml:{line}:")), "{err}");
}

//! JSON views of `accord check`, `accord show`, `accord forecast` and
//! `accord backtest` for front ends other than the CLI (the Python
//! package): the same keys and values as each command's `--json`, which the
//! Python tests compare against the binary's output.

use crate::diag::LoadError;
use accord::forecast::{BacktestReport, Forecast, SpatialProblem};
use accord::model::{Scenario, Value as Level};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// One actor's position on one issue (`accord show --json` `positions`).
#[derive(Serialize)]
struct Position {
    actor: String,
    issue: String,
    ideal: Level,
    weight: f64,
    stance: Option<String>,
    source: Option<String>,
    grade: Option<String>,
    quote: Option<String>,
    assumption: Option<String>,
}

fn positions(sc: &Scenario) -> Vec<Position> {
    let mut out = Vec::new();
    for (a, p) in sc.actors.iter().zip(&sc.preferences) {
        for (issue, ip) in sc.issues.iter().zip(&p.issues) {
            if ip.weight.value == 0.0 && !ip.provenance.is_accounted() {
                continue;
            }
            let src = ip.provenance.source.as_deref().and_then(|s| sc.source(s));
            out.push(Position {
                actor: a.id.clone(),
                issue: issue.id.clone(),
                ideal: issue.value(ip.value.best_level(issue)),
                weight: ip.weight.value,
                stance: ip.stance.clone(),
                source: ip.provenance.source.clone(),
                grade: src.map(|s| s.grade.name().to_string()),
                quote: ip.provenance.quote.clone(),
                assumption: ip.provenance.assumption.clone(),
            });
        }
    }
    out
}

/// The `accord show --json` document: `scenario` (the file schema) and
/// `positions` (each actor's ideal value, weight and source per issue).
pub fn show_view(sc: &Scenario) -> Value {
    json!({
        "scenario": crate::scenario::to_raw(sc),
        "positions": positions(sc),
    })
}

/// The `accord check --json` document for a text named `file`: `valid`,
/// and either the scenario summary with `unsourced` numbers or `errors`.
pub fn check_view(file: &str, result: &Result<Scenario, LoadError>, strict: bool) -> Value {
    match result {
        Ok(sc) => {
            let gaps = sc.provenance_gaps();
            json!({
                "file": file,
                "valid": !strict || gaps.is_empty(),
                "scenario": sc.id,
                "outcomes": sc.space_size(),
                "errors": [],
                "unsourced": gaps,
            })
        }
        Err(e) => json!({ "file": file, "valid": false, "errors": e.diagnostics }),
    }
}

fn num(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// Adds one model run to an `accord forecast --json` `models` map:
/// per dimension, `forecast` and the `rounds` (forecast and actor
/// positions after each round).
pub fn add_forecast(
    models: &mut Map<String, Value>,
    model: &str,
    p: &SpatialProblem,
    f: &Forecast,
) {
    let entry = models
        .entry(model.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(per_dim) = entry else {
        return;
    };
    for (d, dim) in p.dimensions().iter().enumerate() {
        let rounds: Vec<Value> = f
            .rounds
            .iter()
            .map(|r| {
                let positions: Map<String, Value> = p
                    .actors()
                    .iter()
                    .zip(&r.positions)
                    .filter_map(|(a, pos)| pos[d].map(|x| (a.name.clone(), num(x))))
                    .collect();
                json!({ "forecast": num(r.forecast[d]), "positions": positions })
            })
            .collect();
        per_dim.insert(
            dim.name.clone(),
            json!({ "forecast": num(f.forecast[d]), "rounds": rounds }),
        );
    }
}

/// The `accord backtest --json` document: `issues_scored`, `mae` (model →
/// mean absolute error) and `ci` (model → 95% interval of its difference
/// to the compromise model).
pub fn backtest_view(r: &BacktestReport) -> Value {
    let mae: Map<String, Value> = r
        .scores
        .iter()
        .map(|s| (s.model.clone(), num(s.mae)))
        .collect();
    let ci: Map<String, Value> = r
        .scores
        .iter()
        .filter_map(|s| {
            s.ci.map(|c| (s.model.clone(), json!([num(c[0]), num(c[1])])))
        })
        .collect();
    json!({ "issues_scored": r.issues_scored, "mae": mae, "ci": ci })
}

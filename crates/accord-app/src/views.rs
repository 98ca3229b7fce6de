//! JSON views of `accord check`, `accord show`, `accord forecast`,
//! `accord backtest`, `accord simulate` and `accord tournament`, shared by
//! the CLI and the other front ends (the Python package): the same keys and
//! values as each command's `--json`, which the Python tests compare against
//! the binary's output.

use accord::forecast::{
    nearest_package, AcceptableSet, BacktestReport, Forecast, ModelKind, Package, ScenarioProblem,
    SpatialProblem,
};
use accord::model::{Scenario, Value as Level};
use accord::negotiate::{outcome_values, Action, Run, Status, Tournament, TournamentEntry};
use accord::sensitivity::NoDeal;
use accord::ConstraintRef;
use accord_formats::diag::LoadError;
use indexmap::IndexMap;
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
        "scenario": accord_formats::scenario::to_raw(sc),
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

/// The `accord forecast FILE --json` document for a scenario: `scenario`,
/// `models` (model → issue → `forecast` on the issue's scale, `label`,
/// `scale_0_100` and the `rounds` on the issue's scale) and
/// `not_forecastable`. `runs` are the model results on `sp.problem`, in
/// the order to list them.
pub fn forecast_scenario_view(
    sc: &Scenario,
    sp: &ScenarioProblem,
    runs: &[(ModelKind, Forecast)],
) -> Value {
    let mut models = Map::new();
    for (kind, f) in runs {
        let mut per_issue = Map::new();
        for (d, mi) in sp.issues.iter().enumerate() {
            let issue = &sc.issues[mi.issue];
            let x = f.forecast[d];
            let rounds: Vec<Value> = f
                .rounds
                .iter()
                .map(|r| num(mi.to_issue_scale(r.forecast[d])))
                .collect();
            per_issue.insert(
                mi.id.clone(),
                json!({
                    "forecast": num(mi.to_issue_scale(x)),
                    "label": mi.display(issue, x),
                    "scale_0_100": num(x),
                    "rounds": rounds,
                }),
            );
        }
        models.insert(kind.name().to_string(), Value::Object(per_issue));
    }
    json!({
        "scenario": sc.id,
        "models": models,
        "not_forecastable": sp.not_forecastable,
    })
}

/// The deal-respecting part of `accord forecast FILE --json` (key `deal`):
/// each model's raw forecast moved to the nearest package every party can
/// accept (see `accord::forecast::nearest_package`).
#[derive(Debug, Clone, Serialize)]
pub struct DealForecasts {
    /// How many packages every party and ratifier accepts (the ZOPA size).
    pub acceptable_packages: u64,
    /// Whether only the best packages by Nash product were searched.
    pub truncated: bool,
    /// Model → the nearest acceptable package, `null` when there is none.
    pub nearest: IndexMap<String, Option<Package>>,
    /// When no package is acceptable: the nearest ones once the smallest
    /// relaxation's constraints are dropped.
    pub relaxed: Option<RelaxedForecasts>,
    /// Issues one actor decides alone, with its choice in each model's
    /// package.
    pub decided_by: Vec<DecidedIssue>,
    /// The probability that no deal exists (every forecast is conditional
    /// on a deal); `null` when not estimated.
    pub no_deal: Option<NoDeal>,
}

/// The nearest packages under a relaxation (`deal.relaxed`).
#[derive(Debug, Clone, Serialize)]
pub struct RelaxedForecasts {
    /// The constraints dropped.
    pub drop: Vec<ConstraintRef>,
    /// How many packages are acceptable once they are dropped.
    pub acceptable_packages: u64,
    /// Whether only the best packages by Nash product were searched.
    pub truncated: bool,
    /// Model → the nearest package under the relaxation.
    pub nearest: IndexMap<String, Option<Package>>,
}

/// An issue decided by one actor (`deal.decided_by`).
#[derive(Debug, Clone, Serialize)]
pub struct DecidedIssue {
    /// Issue id.
    pub issue: String,
    /// The deciding actor's id.
    pub actor: String,
    /// The actor's ideal value, whatever the deal.
    pub ideal: Level,
    /// Source id saying who decides.
    pub source: Option<String>,
    /// Verbatim quote from the source.
    pub quote: Option<String>,
}

impl DealForecasts {
    /// Projects every run onto `set` (and onto `relaxed` when given).
    pub fn new(
        sc: &Scenario,
        sp: &ScenarioProblem,
        runs: &[(ModelKind, Forecast)],
        set: &AcceptableSet,
        relaxed: Option<&AcceptableSet>,
    ) -> Self {
        let project = |set: &AcceptableSet| -> IndexMap<String, Option<Package>> {
            runs.iter()
                .map(|(k, f)| {
                    let p = nearest_package(sc, sp, &f.forecast, set);
                    (k.name().to_string(), p)
                })
                .collect()
        };
        DealForecasts {
            acceptable_packages: set.size,
            truncated: set.truncated(),
            nearest: project(set),
            relaxed: relaxed.map(|r| RelaxedForecasts {
                drop: r.relaxed.clone(),
                acceptable_packages: r.size,
                truncated: r.truncated(),
                nearest: project(r),
            }),
            decided_by: sc
                .decided_by
                .iter()
                .map(|d| {
                    let issue = &sc.issues[d.issue];
                    let best = sc.preferences[d.actor].issues[d.issue]
                        .value
                        .best_level(issue);
                    DecidedIssue {
                        issue: issue.id.clone(),
                        actor: sc.actors[d.actor].id.clone(),
                        ideal: issue.value(best),
                        source: d.provenance.source.clone(),
                        quote: d.provenance.quote.clone(),
                    }
                })
                .collect(),
            no_deal: None,
        }
    }
}

/// How a negotiation ended (`agreement`, `deadline` or `ended_by`) and, for
/// `ended_by`, which party ended it.
pub fn simulate_status(run: &Run, party_ids: &[&str]) -> (String, Option<String>) {
    match &run.status {
        Status::Agreement { .. } => ("agreement".into(), None),
        Status::Deadline => ("deadline".into(), None),
        Status::EndedBy { party } => ("ended_by".into(), Some(party_ids[*party].to_string())),
    }
}

/// The `accord simulate --json` document: `status`, `ended_by`,
/// `agreement` (issue → value), `utilities` (party → utility), `rounds`,
/// and with `trace` every offer and response.
pub fn simulate_view(sc: &Scenario, run: &Run, party_ids: &[&str], trace: bool) -> Value {
    let (status, by) = simulate_status(run, party_ids);
    let utilities: Map<String, Value> = party_ids
        .iter()
        .zip(&run.utilities)
        .map(|(p, u)| (p.to_string(), json!(u)))
        .collect();
    let mut v = json!({
        "status": status,
        "ended_by": by,
        "agreement": run.agreement().map(|x| outcome_values(sc, x)),
        "utilities": utilities,
        "rounds": run.rounds,
    });
    if trace {
        let events: Vec<Value> = run
            .trace
            .iter()
            .map(|e| {
                let party = e.party.map_or("mediator", |p| party_ids[p]);
                let (action, outcome) = match &e.action {
                    Action::Offer { outcome } => ("offer", Some(outcome_values(sc, outcome))),
                    Action::Accept => ("accept", None),
                    Action::Reject => ("reject", None),
                    Action::End => ("end", None),
                };
                json!({"round": e.round, "party": party, "action": action, "outcome": outcome})
            })
            .collect();
        v["trace"] = Value::Array(events);
    }
    v
}

/// The agreement of tournament run `i` as issue → value, if it ended in one.
pub fn tournament_agreement(
    entries: &[TournamentEntry],
    t: &Tournament,
    i: usize,
) -> Option<Value> {
    let r = &t.runs[i];
    let sc = &entries.iter().find(|e| e.name == r.scenario)?.scenario;
    r.agreement.as_ref().map(|x| json!(outcome_values(sc, x)))
}

/// The `accord tournament --json` document: `runs` (every negotiation,
/// its agreement as issue → value) and `negotiators` (per-negotiator
/// aggregates).
pub fn tournament_view(entries: &[TournamentEntry], t: &Tournament) -> Value {
    let runs: Vec<Value> = t
        .runs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut v = serde_json::to_value(r).expect("serialisable");
            v["agreement"] = tournament_agreement(entries, t, i).unwrap_or(Value::Null);
            v
        })
        .collect();
    json!({ "runs": runs, "negotiators": t.negotiators })
}

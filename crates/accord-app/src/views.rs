//! JSON views of `accord check`, `accord show`, `accord forecast`,
//! `accord backtest`, `accord simulate` and `accord tournament`, shared by
//! the CLI and the other front ends (the Python package): the same keys and
//! values as each command's `--json`, which the Python tests compare against
//! the binary's output.

use accord::forecast::{
    nearest_package, AcceptableSet, BacktestReport, CvReport, FittedParams, Forecast, ModelKind,
    Package, ScenarioProblem, SpatialProblem,
};
use accord::model::{Scenario, Value as Level};
use accord::negotiate::{Action, Aggregate, Domain, Run, Status, Tournament, TournamentEntry};
use accord::sensitivity::NoDeal;
use accord::ConstraintRef;
use accord_formats::diag::LoadError;
use indexmap::IndexMap;
use serde::Serialize;

/// One actor's position on one issue (`accord show --json` `positions`).
#[derive(Debug, Clone, Serialize)]
pub struct Position {
    /// Actor id.
    pub actor: String,
    /// Issue id.
    pub issue: String,
    /// The actor's ideal value on the issue.
    pub ideal: Level,
    /// The issue's weight for the actor.
    pub weight: f64,
    /// The stance in words, if stated.
    pub stance: Option<String>,
    /// Source id.
    pub source: Option<String>,
    /// The source's grade.
    pub grade: Option<String>,
    /// Verbatim quote.
    pub quote: Option<String>,
    /// Why the number is assumed, when no source says so.
    pub assumption: Option<String>,
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

/// One bundled scenario as `accord scenarios` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct BundledEntry {
    /// The name `accord` accepts in place of a file.
    pub name: String,
    /// The scenario's title.
    pub title: String,
    /// The date its facts are as of.
    pub as_of: String,
    /// Number of actors.
    pub actors: usize,
    /// Number of issues.
    pub issues: usize,
    /// Number of outcomes (the product of the issues' levels).
    pub outcomes: u128,
}

/// The list entry of a bundled scenario.
pub fn bundled_entry(name: &str, sc: &Scenario) -> BundledEntry {
    BundledEntry {
        name: name.to_string(),
        title: sc.title.clone(),
        as_of: sc.as_of.clone(),
        actors: sc.actors.len(),
        issues: sc.issues.len(),
        outcomes: sc.space_size(),
    }
}

/// The `accord show --json` document.
#[derive(Debug, Clone, Serialize)]
pub struct ShowDoc {
    /// The scenario in the file schema.
    pub scenario: accord_formats::scenario::raw::ScenarioFile,
    /// Each actor's ideal value, weight and source per issue.
    positions: Vec<Position>,
}

impl ShowDoc {
    /// How many actor × issue positions the document lists.
    pub fn position_count(&self) -> usize {
        self.positions.len()
    }

    /// The actor × issue positions, in the document's order.
    pub fn positions(&self) -> &[Position] {
        &self.positions
    }
}

/// The `accord show --json` document: `scenario` (the file schema) and
/// `positions` (each actor's ideal value, weight and source per issue).
pub fn show_view(sc: &Scenario) -> ShowDoc {
    ShowDoc {
        scenario: accord_formats::scenario::to_raw(sc),
        positions: positions(sc),
    }
}

/// The `accord check --json` document for a text named `file`: `valid`,
/// and either the scenario summary with `unsourced` numbers or `errors`.
pub fn check_view(file: &str, result: &Result<Scenario, LoadError>, strict: bool) -> CheckDoc {
    match result {
        Ok(sc) => {
            let gaps = sc.provenance_gaps();
            CheckDoc {
                file: file.to_string(),
                valid: !strict || gaps.is_empty(),
                scenario: Some(sc.id.clone()),
                outcomes: Some(sc.space_size()),
                errors: Vec::new(),
                unsourced: Some(gaps),
            }
        }
        Err(e) => CheckDoc {
            file: file.to_string(),
            valid: false,
            scenario: None,
            outcomes: None,
            errors: e.diagnostics.clone(),
            unsourced: None,
        },
    }
}

/// The `accord check --json` document; a file that does not load has only
/// `file`, `valid` and `errors`.
#[derive(Serialize)]
pub struct CheckDoc {
    /// The file name as given.
    pub file: String,
    /// Whether the file loads (and, with `--strict`, every number is sourced).
    pub valid: bool,
    /// Scenario id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// Outcome-space size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<u128>,
    /// Located diagnostics.
    pub errors: Vec<accord_formats::Diagnostic>,
    /// Numbers with neither a source nor an assumption label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unsourced: Option<Vec<String>>,
}

/// One round of a model run on one dimension.
#[derive(Debug, Clone, Serialize)]
pub struct RoundDoc {
    /// The forecast after the round.
    pub forecast: f64,
    /// Actor → position after the round (actors without one left out).
    pub positions: IndexMap<String, f64>,
}

/// One model's forecast on one dimension (`models.<model>.<dimension>`).
#[derive(Debug, Clone, Serialize)]
pub struct DimensionForecast {
    /// The final forecast.
    pub forecast: f64,
    /// Every round.
    pub rounds: Vec<RoundDoc>,
}

/// The `accord forecast --ktab/--deu --json` document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ForecastDoc {
    /// Model → dimension → forecast, in run order.
    pub models: IndexMap<String, IndexMap<String, DimensionForecast>>,
}

impl ForecastDoc {
    /// Adds one model run: per dimension, `forecast` and the `rounds`
    /// (forecast and actor positions after each round).
    pub fn add(&mut self, model: &str, p: &SpatialProblem, f: &Forecast) {
        let per_dim = self.models.entry(model.to_string()).or_default();
        for (d, dim) in p.dimensions().iter().enumerate() {
            let rounds = f
                .rounds
                .iter()
                .map(|r| RoundDoc {
                    forecast: r.forecast[d],
                    positions: p
                        .actors()
                        .iter()
                        .zip(&r.positions)
                        .filter_map(|(a, pos)| pos[d].map(|x| (a.name.clone(), x)))
                        .collect(),
                })
                .collect();
            per_dim.insert(
                dim.name.clone(),
                DimensionForecast {
                    forecast: f.forecast[d],
                    rounds,
                },
            );
        }
    }
}

/// The `accord backtest --json` document.
#[derive(Debug, Clone, Serialize)]
pub struct BacktestDoc {
    /// How many issues were scored.
    pub issues_scored: usize,
    /// Model → mean absolute error.
    pub mae: IndexMap<String, f64>,
    /// Model → interval of its difference to the compromise model, at
    /// `level`.
    pub ci: IndexMap<String, [f64; 2]>,
    /// The two-sided confidence level of `ci` (0.95 by default).
    pub level: f64,
}

/// The `accord backtest --json` document: `issues_scored`, `mae` (model →
/// mean absolute error), `ci` (model → interval of its difference to the
/// compromise model) and `level`, the intervals' confidence level.
pub fn backtest_view(r: &BacktestReport, level: f64) -> BacktestDoc {
    BacktestDoc {
        level,
        issues_scored: r.issues_scored,
        mae: r.scores.iter().map(|s| (s.model.clone(), s.mae)).collect(),
        ci: r
            .scores
            .iter()
            .filter_map(|s| s.ci.map(|c| (s.model.clone(), c)))
            .collect(),
    }
}

/// The `cv` block of `accord backtest --cv K --json`.
#[derive(Debug, Clone, Serialize)]
pub struct CvBlock<'a> {
    /// Number of folds.
    pub folds: usize,
    /// Seed the folds were drawn from.
    pub seed: u64,
    /// Issues per fold.
    pub fold_sizes: &'a [usize],
    /// Model → MAE on each fold.
    pub fold_mae: IndexMap<&'a str, &'a [f64]>,
    /// The parameters fitted on each fold's training issues.
    pub fitted: &'a [FittedParams],
}

/// The `accord backtest --cv K --json` document.
#[derive(Debug, Clone, Serialize)]
pub struct BacktestCvDoc<'a> {
    /// How many issues were scored.
    pub issues_scored: usize,
    /// Model → held-out mean absolute error.
    pub mae: IndexMap<&'a str, f64>,
    /// Model → paired-bootstrap interval of its difference to the
    /// compromise model, at `level`.
    pub ci: IndexMap<&'a str, [f64; 2]>,
    /// The two-sided confidence level of `ci` (0.95 by default).
    pub level: f64,
    /// The cross-validation.
    pub cv: CvBlock<'a>,
}

/// The `accord backtest --cv K --json` document: the keys of
/// [`backtest_view`] (`issues_scored`, `mae`, `ci`, `level`) over every
/// model, and `cv`: `folds`, `seed`, `fold_sizes`, `fold_mae` (model → MAE
/// per fold) and the parameters `fitted` on each fold's training issues.
pub fn backtest_cv_view(r: &CvReport, level: f64) -> BacktestCvDoc<'_> {
    BacktestCvDoc {
        level,
        issues_scored: r.issues_scored,
        mae: r.scores.iter().map(|s| (s.model.as_str(), s.mae)).collect(),
        ci: r
            .scores
            .iter()
            .filter_map(|s| s.ci.map(|c| (s.model.as_str(), c)))
            .collect(),
        cv: CvBlock {
            folds: r.folds,
            seed: r.seed,
            fold_sizes: &r.fold_sizes,
            fold_mae: r
                .scores
                .iter()
                .map(|s| (s.model.as_str(), s.fold_mae.as_slice()))
                .collect(),
            fitted: &r.fitted,
        },
    }
}

/// The `accord forecast FILE --json` document for a scenario: `scenario`,
/// `models` (model → issue → `forecast` on the issue's scale, `label`,
/// `scale_0_100` and the `rounds` on the issue's scale) and
/// `not_forecastable`. `runs` are the model results on `sp.problem`, in
/// the order to list them.
pub fn forecast_scenario_view<'a>(
    sc: &'a Scenario,
    sp: &'a ScenarioProblem,
    runs: &[(ModelKind, Forecast)],
) -> ForecastScenarioDoc<'a> {
    let mut models = IndexMap::new();
    for (kind, f) in runs {
        let mut per_issue = IndexMap::new();
        for (d, mi) in sp.issues.iter().enumerate() {
            let issue = &sc.issues[mi.issue];
            let x = f.forecast[d];
            per_issue.insert(
                mi.id.clone(),
                IssueForecast {
                    forecast: mi.to_issue_scale(x),
                    label: mi.display(issue, x),
                    scale_0_100: x,
                    rounds: f
                        .rounds
                        .iter()
                        .map(|r| mi.to_issue_scale(r.forecast[d]))
                        .collect(),
                },
            );
        }
        models.insert(kind.name().to_string(), per_issue);
    }
    ForecastScenarioDoc {
        scenario: &sc.id,
        models,
        not_forecastable: &sp.not_forecastable,
    }
}

/// One model's forecast of one issue (`models.<model>.<issue>`).
#[derive(Debug, Clone, Serialize)]
pub struct IssueForecast {
    /// The forecast on the issue's own scale.
    pub forecast: f64,
    /// The forecast in words (the nearest option or value).
    pub label: String,
    /// The forecast on the model's 0–100 scale.
    pub scale_0_100: f64,
    /// Each round's forecast on the issue's scale.
    pub rounds: Vec<f64>,
}

/// The raw forecasts of `accord forecast FILE --json`.
#[derive(Debug, Clone, Serialize)]
pub struct ForecastScenarioDoc<'a> {
    /// Scenario id.
    pub scenario: &'a str,
    /// Model → issue → forecast.
    pub models: IndexMap<String, IndexMap<String, IssueForecast>>,
    /// Issues the models cannot place on a line, with why.
    pub not_forecastable: &'a [accord::forecast::NotForecastable],
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

/// The value an issue takes in a negotiated outcome: a scenario's level
/// (an option id, or a number on the issue's scale), or a non-linear box
/// domain's integer, which prints as a JSON integer as `analyze --genius`
/// prints it (`3`, not `3.0`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum OutcomeValue {
    /// A scenario's level.
    Level(Level),
    /// A box domain's integer value.
    Integer(i64),
}

/// An offer or agreement of a negotiation on `d` as issue → value.
pub fn outcome_doc(d: &Domain, levels: &[usize]) -> IndexMap<String, OutcomeValue> {
    match d {
        // The engine's values are f64 numbers for both kinds of domain; a
        // box domain's are the issues' integers, kept as integers here.
        Domain::Boxes(p) => p
            .issues
            .iter()
            .zip(p.values(levels))
            .map(|((id, ..), v)| (id.clone(), OutcomeValue::Integer(v)))
            .collect(),
        Domain::Scenario(_) => d
            .outcome_values(levels)
            .into_iter()
            .map(|(k, v)| (k, OutcomeValue::Level(v)))
            .collect(),
    }
}

/// One offer or response of a negotiation trace (`trace[]`).
#[derive(Debug, Clone, Serialize)]
pub struct TraceEvent {
    /// Round number.
    pub round: u32,
    /// The party acting, or `mediator`.
    pub party: String,
    /// `offer`, `accept`, `reject` or `end`.
    pub action: &'static str,
    /// The offer as issue → value (`null` for responses).
    pub outcome: Option<IndexMap<String, OutcomeValue>>,
}

/// The `accord simulate --json` document.
#[derive(Debug, Clone, Serialize)]
pub struct SimulateDoc {
    /// `agreement`, `deadline` or `ended_by`.
    pub status: String,
    /// The party that ended it, for `ended_by`.
    pub ended_by: Option<String>,
    /// The agreement as issue → value.
    pub agreement: Option<IndexMap<String, OutcomeValue>>,
    /// Party → utility of the result.
    pub utilities: IndexMap<String, f64>,
    /// Rounds played.
    pub rounds: u32,
    /// Every offer and response, with `--trace`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceEvent>>,
}

/// The `accord simulate --json` document: `status`, `ended_by`,
/// `agreement` (issue → value), `utilities` (party → utility), `rounds`,
/// and with `trace` every offer and response.
pub fn simulate_view(d: &Domain, run: &Run, party_ids: &[&str], trace: bool) -> SimulateDoc {
    let (status, ended_by) = simulate_status(run, party_ids);
    let trace = trace.then(|| {
        run.trace
            .iter()
            .map(|e| {
                let party = e.party.map_or("mediator", |p| party_ids[p]);
                let (action, outcome) = match &e.action {
                    Action::Offer { outcome } => ("offer", Some(outcome_doc(d, outcome))),
                    Action::Accept => ("accept", None),
                    Action::Reject => ("reject", None),
                    Action::End => ("end", None),
                };
                TraceEvent {
                    round: e.round,
                    party: party.to_string(),
                    action,
                    outcome,
                }
            })
            .collect()
    });
    SimulateDoc {
        status,
        ended_by,
        agreement: run.agreement().map(|x| outcome_doc(d, x)),
        utilities: party_ids
            .iter()
            .zip(&run.utilities)
            .map(|(p, u)| (p.to_string(), *u))
            .collect(),
        rounds: run.rounds,
        trace,
    }
}

/// The agreement of tournament run `i` as issue → value, if it ended in one.
pub fn tournament_agreement(
    entries: &[TournamentEntry],
    t: &Tournament,
    i: usize,
) -> Option<IndexMap<String, OutcomeValue>> {
    let r = &t.runs[i];
    let d = &entries.iter().find(|e| e.name == r.scenario)?.domain;
    r.agreement.as_ref().map(|x| outcome_doc(d, x))
}

/// One negotiation of a tournament (`runs[]`): the engine's record with
/// the agreement as issue → value.
#[derive(Debug, Clone, Serialize)]
pub struct TournamentRunDoc<'a> {
    /// Run index.
    pub index: u64,
    /// Scenario name.
    pub scenario: &'a str,
    /// Negotiator per party.
    pub negotiators: &'a [String],
    /// Party ids.
    pub parties: &'a [String],
    /// Repetition.
    pub rep: u32,
    /// How it ended.
    pub status: &'a str,
    /// The agreement as issue → value.
    pub agreement: Option<IndexMap<String, OutcomeValue>>,
    /// Rounds played.
    pub rounds: u32,
    /// Utility per party.
    pub utilities: &'a [f64],
    /// Sum of utilities.
    pub welfare: f64,
    /// Distance to the Pareto frontier.
    pub pareto_distance: Option<f64>,
    /// Distance to the Nash solution.
    pub nash_distance: Option<f64>,
}

/// The `accord tournament --json` document.
#[derive(Debug, Clone, Serialize)]
pub struct TournamentDoc<'a> {
    /// Every negotiation.
    pub runs: Vec<TournamentRunDoc<'a>>,
    /// Per-negotiator aggregates.
    pub negotiators: &'a IndexMap<String, Aggregate>,
}

/// The `accord tournament --json` document: `runs` (every negotiation,
/// its agreement as issue → value) and `negotiators` (per-negotiator
/// aggregates).
pub fn tournament_view<'a>(entries: &[TournamentEntry], t: &'a Tournament) -> TournamentDoc<'a> {
    let runs = t
        .runs
        .iter()
        .enumerate()
        .map(|(i, r)| TournamentRunDoc {
            index: r.index,
            scenario: &r.scenario,
            negotiators: &r.negotiators,
            parties: &r.parties,
            rep: r.rep,
            status: &r.status,
            agreement: tournament_agreement(entries, t, i),
            rounds: r.rounds,
            utilities: &r.utilities,
            welfare: r.welfare,
            pareto_distance: r.pareto_distance,
            nash_distance: r.nash_distance,
        })
        .collect();
    TournamentDoc {
        runs,
        negotiators: &t.negotiators,
    }
}

//! The analysis endpoints: `validate`, `show`, `analyze`, `process`,
//! `explain`, `timeline`, `forecast` and `sensitivity`. Each takes a scenario (TOML or JSON text, or `{"scenario_id", "version"}` for a
//! stored one) and answers with the document the CLI prints with `--json`.
//! The analysing ones take the CLI's what-ifs as query parameters
//! (`?drop=ID,…&set=PATH=VALUE,…&reading=ID=NAME,…`), applied by
//! `accord_formats::whatif` exactly as `--drop`/`--set`/`--reading`, and
//! echoed in the document's `assumed` key.

use crate::budget::Budget;
use crate::error::ApiError;
use crate::{AppState, HEAVY_OUTCOMES};
use accord::forecast::{run_model, spatial_problem, ModelKind};
use accord::sensitivity::{sensitivity, SensitivityOptions};
use accord::{AnalyzeOptions, Scenario};
use accord_app::narrative::{narrative, text_lines};
use accord_app::reports::{process_view, timeline_steps, timeline_view, TimelineStepDoc};
use accord_app::views::{check_view, show_view};
use accord_formats::scenario::parse_raw;
use accord_formats::timeline::{timeline, Choices, Step};
use accord_formats::whatif::{self, Assumed, Op, WhatIfError};
use accord_formats::{parse_scenario, Syntax};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A scenario text to analyse, and the stored version it came from.
pub(crate) struct Input {
    /// Name used in diagnostics.
    pub file: String,
    /// The text.
    pub text: String,
    /// TOML or JSON.
    pub syntax: Syntax,
    /// `(id, version)` when it comes from the library.
    pub stored: Option<(String, i64)>,
}

/// Query options of the analysis endpoints.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Opts {
    /// `analyze`: also the Pareto frontier of the whole feasible space.
    #[serde(default)]
    pareto_all: bool,
    /// `analyze`: how many best ZOPA outcomes to list.
    top: Option<usize>,
    /// `validate`: unsourced numbers make the file invalid.
    #[serde(default)]
    strict: bool,
    /// `timeline`: events to apply even if disputed, comma-separated.
    assume: Option<String>,
    /// `timeline`: events not to apply, comma-separated.
    reject: Option<String>,
    /// `timeline`: skip every disputed event unless assumed.
    #[serde(default)]
    reject_disputed: bool,
    /// `sensitivity`: Monte Carlo runs (default [`WEB_RUNS`]).
    runs: Option<usize>,
    /// `sensitivity`: base seed (default 0).
    seed: Option<u64>,
    /// `sensitivity`: how many runs also analyse the deal space (default [`WEB_DEAL_RUNS`]).
    deal_runs: Option<usize>,
    /// What-if `--drop`: constraint ids (`[KIND:]ID`), comma-separated.
    drop: Option<String>,
    /// What-if `--set`: `PATH=VALUE` pairs, comma-separated.
    set: Option<String>,
    /// What-if `--reading`: `ID=NAME` pairs, comma-separated.
    reading: Option<String>,
}

impl Opts {
    /// The what-ifs of the query, in the CLI's order: drops, sets, readings.
    fn whatifs(&self) -> Result<Vec<Op>, ApiError> {
        let mut ops = Vec::new();
        let bad = |e: WhatIfError| ApiError::BadRequest(e.to_string());
        for d in names(&self.drop) {
            ops.push(whatif::parse_drop(&d).map_err(bad)?);
        }
        for x in names(&self.set) {
            ops.push(whatif::parse_set(&x).map_err(bad)?);
        }
        for r in names(&self.reading) {
            ops.push(whatif::parse_reading(&r).map_err(bad)?);
        }
        Ok(ops)
    }
}

/// A what-if error as an API error: an invalid patched scenario keeps its
/// located diagnostics.
fn whatif_error(e: WhatIfError) -> ApiError {
    match e {
        WhatIfError::Invalid(l) => ApiError::Scenario(l),
        e => ApiError::BadRequest(e.to_string()),
    }
}

/// `doc` with the what-ifs it assumed as its `assumed` key (absent when
/// none, so documents without what-ifs are unchanged).
fn with_assumed(mut doc: Value, assumed: &Assumed) -> Result<Value, ApiError> {
    if !assumed.is_empty() {
        if let Value::Object(m) = &mut doc {
            m.insert("assumed".into(), to_json(assumed)?);
        }
    }
    Ok(doc)
}

/// Sensitivity runs when the request names none: fewer than the CLI's
/// 1000 so that the flagship answers within the default time budget.
pub(crate) const WEB_RUNS: usize = 300;

/// Deal-space runs of a sensitivity request that names none (each is a
/// full analysis).
pub(crate) const WEB_DEAL_RUNS: usize = 10;

/// The most runs one request may ask for.
const MAX_RUNS: usize = 100_000;

/// A comma-separated list as a set of trimmed, non-empty names.
fn names(list: &Option<String>) -> std::collections::BTreeSet<String> {
    list.iter()
        .flat_map(|l| l.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Validate,
    Show,
    Analyze,
    Process,
    Timeline,
    Forecast,
    Sensitivity,
    Explain,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Validate => "validate",
            Kind::Show => "show",
            Kind::Analyze => "analyze",
            Kind::Process => "process",
            Kind::Timeline => "timeline",
            Kind::Forecast => "forecast",
            Kind::Sensitivity => "sensitivity",
            Kind::Explain => "explain",
        }
    }

    /// Whether the request scans the outcome space (so takes a lane turn).
    fn scans(self) -> bool {
        matches!(
            self,
            Kind::Analyze | Kind::Timeline | Kind::Sensitivity | Kind::Forecast | Kind::Explain
        )
    }
}

/// Reads the request body: a stored reference, JSON scenario text or TOML text.
async fn resolve(state: &AppState, body: &Bytes) -> Result<Input, ApiError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        ApiError::BadRequest(format!(
            "the body is not UTF-8 text (byte {})",
            e.valid_up_to()
        ))
    })?;
    if text.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "empty body: send scenario TOML or JSON, or {\"scenario_id\": …}".into(),
        ));
    }
    if text.trim_start().starts_with('{') {
        if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(text) {
            if let Some(id) = m.get("scenario_id") {
                let id = id
                    .as_str()
                    .ok_or_else(|| ApiError::BadRequest("`scenario_id` must be a string".into()))?
                    .to_string();
                let version = match m.get("version") {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(v.as_i64().ok_or_else(|| {
                        ApiError::BadRequest("`version` must be an integer".into())
                    })?),
                };
                let v =
                    crate::library::with_store(state, move |st| st.version(&id, version)).await?;
                return Ok(Input {
                    file: format!("{}.{}", v.id, v.syntax),
                    syntax: v.syntax,
                    text: v.text,
                    stored: Some((v.id, v.version)),
                });
            }
        }
        return Ok(Input {
            file: "scenario.json".into(),
            text: text.to_string(),
            syntax: Syntax::Json,
            stored: None,
        });
    }
    Ok(Input {
        file: "scenario.toml".into(),
        text: text.to_string(),
        syntax: Syntax::Toml,
        stored: None,
    })
}

fn parse(input: &Input) -> Result<Scenario, ApiError> {
    Ok(parse_scenario(&input.text, &input.file, input.syntax)?)
}

/// Parses with the query's what-ifs applied (the CLI's `whatif::load`).
fn parse_with(input: &Input, opts: &Opts) -> Result<(Scenario, Assumed), ApiError> {
    let ops = opts.whatifs()?;
    if ops.is_empty() {
        return Ok((parse(input)?, Assumed::default()));
    }
    whatif::load(&input.text, &input.file, input.syntax, &ops).map_err(whatif_error)
}

/// The API error for an engine error under a budget of `limit_ms`.
fn engine_error(sc: &Scenario, e: accord::Error, limit_ms: u64, max_outcomes: u128) -> ApiError {
    match e {
        accord::Error::Cancelled => ApiError::OverBudget(limit_ms),
        accord::Error::TooLarge(_) => {
            ApiError::Engine(accord_app::explain::too_large(sc, max_outcomes))
        }
        e => ApiError::Engine(e.to_string()),
    }
}

/// A typed document as the JSON value the API answers with.
fn to_json(doc: impl serde::Serialize) -> Result<Value, ApiError> {
    serde_json::to_value(doc).map_err(|e| ApiError::Internal(e.to_string()))
}

/// The `accord analyze --json` document under a budget, with its one-line
/// summary (read from the typed document, not from its JSON).
pub(crate) fn analysis_json(
    sc: &Scenario,
    opts: &AnalyzeOptions,
    budget: &Budget,
    limit_ms: u64,
) -> Result<(Value, String), ApiError> {
    // The readings come from the analysis's own scan.
    let (an, readings) = accord_app::reports::analyze_with_readings(sc, opts, budget)
        .map_err(|e| engine_error(sc, e, limit_ms, opts.max_outcomes))?;
    let mut doc = accord_app::reports::analyze_view(sc, &an);
    doc.readings = readings;
    let s = format!(
        "zopa {}, {} blockers, {} relaxations",
        doc.analysis.zopa.size,
        doc.analysis.blockers.len(),
        doc.analysis.relaxations.len()
    );
    Ok((to_json(doc)?, s))
}

/// The `accord analyze --json` document and its one-line summary.
fn analyze_doc(
    sc: &Scenario,
    opts: &Opts,
    budget: &Budget,
    limit_ms: u64,
) -> Result<(Value, String), ApiError> {
    let mut o = AnalyzeOptions {
        pareto_all: opts.pareto_all,
        ..Default::default()
    };
    if let Some(t) = opts.top {
        o.top = t.min(100);
    }
    analysis_json(sc, &o, budget, limit_ms)
}

/// Validate, show and process: parse and answer (no lane; they do not scan
/// the outcome space).
fn compute(kind: Kind, input: &Input, opts: &Opts) -> Result<(Value, String), ApiError> {
    if kind == Kind::Validate {
        let parsed = parse_scenario(&input.text, &input.file, input.syntax);
        let v = check_view(&input.file, &parsed, opts.strict);
        let s = if v.valid { "valid" } else { "invalid" };
        return Ok((to_json(v)?, s.to_string()));
    }
    let (sc, assumed) = parse_with(input, opts)?;
    if kind == Kind::Process {
        let r = accord::analyze_process(&sc.process);
        let s = if r.consistent {
            "schedule exists".to_string()
        } else {
            format!("{} deadlocks", r.deadlocks.len())
        };
        return Ok((with_assumed(to_json(process_view(&sc, &r))?, &assumed)?, s));
    }
    let v = show_view(&sc);
    let n = v.position_count();
    Ok((
        with_assumed(to_json(v)?, &assumed)?,
        format!("{n} positions"),
    ))
}

/// A parsed request of a kind that scans the outcome space.
enum Prepared {
    /// `analyze`, `explain`, `forecast` and `sensitivity`: the scenario
    /// and the what-ifs applied to it.
    One(Box<Scenario>, Assumed),
    /// `timeline`: the scenario after each dated event.
    Steps(Vec<Step>),
}

impl Prepared {
    /// The largest outcome space the request scans (picks the lane).
    fn space_size(&self) -> u128 {
        match self {
            Prepared::One(sc, _) => sc.space_size(),
            Prepared::Steps(steps) => steps
                .iter()
                .map(|s| s.scenario.space_size())
                .max()
                .unwrap_or(0),
        }
    }
}

/// The `accord forecast FILE --json` document: the models' forecasts and,
/// since their projections onto the deal analyse the deal space, run in a
/// lane like every other request that scans it.
fn forecast_doc(
    sc: &Scenario,
    budget: &Budget,
    limit_ms: u64,
) -> Result<(Value, String), ApiError> {
    let sp = spatial_problem(sc).map_err(|e| engine_error(sc, e, limit_ms, 0))?;
    let stop = || budget.spent();
    let runs: Vec<_> = match &sp.problem {
        Some(p) => ModelKind::ALL
            .iter()
            .map(|&k| (k, run_model(k, p, &stop)))
            .collect(),
        None => Vec::new(),
    };
    if budget.spent() {
        return Err(ApiError::OverBudget(limit_ms));
    }
    // The same document as `accord forecast --json`: the projections onto
    // the deal and P(no deal) analyse the deal space under the budget.
    let deal = accord_app::forecast_doc::deal_forecasts(sc, &sp, &runs, budget)
        .map_err(|e| engine_error(sc, e, limit_ms, 0))?;
    let s = format!("{} models on {} issues", runs.len(), sp.issues.len());
    let doc = accord_app::forecast_doc::forecast_document(sc, &sp, &runs, deal.as_ref());
    Ok((to_json(doc)?, s))
}

/// Parses a scanning request: timelines apply their dated events.
fn prepare(kind: Kind, input: &Input, opts: &Opts) -> Result<Prepared, ApiError> {
    if kind != Kind::Timeline {
        let (sc, assumed) = parse_with(input, opts)?;
        return Ok(Prepared::One(Box::new(sc), assumed));
    }
    let mut raw = parse_raw(&input.text, &input.file, input.syntax)?;
    // Every date sees the what-ifs, as `accord timeline --drop …` does.
    whatif::apply(&mut raw, &opts.whatifs()?).map_err(whatif_error)?;
    let choices = Choices {
        assume: names(&opts.assume),
        reject: names(&opts.reject),
        reject_disputed: opts.reject_disputed,
    };
    Ok(Prepared::Steps(timeline(
        &raw,
        &input.text,
        &input.file,
        input.syntax,
        &choices,
    )?))
}

/// The `accord timeline --json` document and its summary.
fn timeline_doc(
    steps: &[Step],
    budget: &Budget,
    limit_ms: u64,
) -> Result<(Value, String), ApiError> {
    let max = accord::AnalyzeOptions::default().max_outcomes;
    // Events patch stances and constraints, never the issues: every step
    // has the base step's outcome space.
    let views = timeline_steps(steps, budget).map_err(|e| match steps.first() {
        Some(base) => engine_error(&base.scenario, e, limit_ms, max),
        None => ApiError::Engine(e.to_string()),
    })?;
    let zopa = |v: Option<&TimelineStepDoc>| v.map_or("null".into(), |v| v.zopa_size.to_string());
    let s = format!(
        "{} dates, ZOPA {} → {}",
        views.len(),
        zopa(views.first()),
        zopa(views.last())
    );
    Ok((to_json(timeline_view(steps, &views))?, s))
}

/// The `accord sensitivity --json` document (default models and bins) and
/// its summary. A run stopped by the budget after some runs answers with
/// what it has (`cancelled`, `runs_done`); none at all is a 503.
fn sensitivity_doc(
    sc: &Scenario,
    opts: &Opts,
    budget: &Budget,
    limit_ms: u64,
) -> Result<(Value, String), ApiError> {
    let runs = opts.runs.unwrap_or(WEB_RUNS).clamp(1, MAX_RUNS);
    let o = SensitivityOptions {
        runs,
        seed: opts.seed.unwrap_or(0),
        deal_runs: opts.deal_runs.unwrap_or(WEB_DEAL_RUNS).min(runs),
        top: opts.top.unwrap_or(10).min(100),
        ..SensitivityOptions::default()
    };
    let r = sensitivity(sc, &o, budget)
        .map_err(|e| engine_error(sc, e, limit_ms, o.analyze.max_outcomes))?;
    if r.cancelled && r.runs_done == 0 {
        return Err(ApiError::OverBudget(limit_ms));
    }
    let s = format!("{} of {} runs", r.runs_done, r.runs);
    let v = serde_json::to_value(&r).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((v, s))
}

/// The `accord explain --json` document (the same [`narrative`] the CLI
/// prints, over the same analysis and readings) and its summary.
fn explain_doc(
    sc: &Scenario,
    assumed: &Assumed,
    budget: &Budget,
    limit_ms: u64,
) -> Result<(Value, String), ApiError> {
    let opts = AnalyzeOptions::default();
    let (an, readings) = accord_app::reports::analyze_with_readings(sc, &opts, budget)
        .map_err(|e| engine_error(sc, e, limit_ms, opts.max_outcomes))?;
    let n = narrative(sc, &an, readings.as_ref(), &assumed.parts());
    let s = format!("{}, {} steps", n.verdict, n.steps.len());
    Ok((
        to_json(ExplainDoc {
            narrative: &n,
            text: text_lines(sc, &n),
        })?,
        s,
    ))
}

/// `POST /api/explain`'s answer: the `accord explain --json` document plus
/// `text`, the lines `accord explain` prints, so the page shows the same
/// words.
#[derive(serde::Serialize)]
struct ExplainDoc<'a> {
    /// The structured account.
    #[serde(flatten)]
    narrative: &'a accord_app::narrative::Narrative,
    /// The plain-text account, one entry per line.
    text: Vec<String>,
}

/// Cancels the budget when the request future is dropped (client gone).
struct CancelOnDrop(Budget);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Runs `f` on the blocking pool, waiting at most `within` plus a little
/// grace for phases that do not poll the budget. A panic in `f` is a 500.
async fn blocking<T, F>(within: Duration, limit_ms: u64, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
{
    let task = tokio::task::spawn_blocking(f);
    match tokio::time::timeout(within + Duration::from_millis(250), task).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(ApiError::Internal(format!(
            "the request's task failed: {e}"
        ))),
        Err(_) => Err(ApiError::OverBudget(limit_ms)),
    }
}

/// Parses, then for analyses takes a turn in the lane that fits the size of
/// the outcome space (known once parsed), then computes.
async fn run_kind(
    state: &AppState,
    kind: Kind,
    input: Input,
    opts: Opts,
    budget: Budget,
    started: Instant,
) -> Result<(Value, String), ApiError> {
    let limit = state.budget;
    let limit_ms = limit.as_millis() as u64;
    if !kind.scans() {
        return blocking(limit, limit_ms, move || compute(kind, &input, &opts)).await;
    }
    let (prepared, opts) = blocking(limit, limit_ms, move || {
        prepare(kind, &input, &opts).map(|p| (p, opts))
    })
    .await?;
    let lane = if prepared.space_size() > HEAVY_OUTCOMES {
        state.heavy.clone()
    } else {
        state.light.clone()
    };
    // Waiting for a turn counts against the budget; running out while
    // waiting means the server is busy, not that this scenario is large.
    let asked = Instant::now();
    let remaining = limit.saturating_sub(started.elapsed());
    let permit = match tokio::time::timeout(remaining, lane.turns.acquire_owned()).await {
        Ok(Ok(p)) => p,
        _ => return Err(ApiError::Busy),
    };
    let waited = asked.elapsed();
    let remaining = limit.saturating_sub(started.elapsed());
    let result = blocking(remaining, limit_ms, move || {
        let r = lane.pool.install(|| match (&prepared, kind) {
            (Prepared::Steps(steps), _) => timeline_doc(steps, &budget, limit_ms),
            (Prepared::One(sc, a), kind) => {
                let (v, s) = match kind {
                    Kind::Sensitivity => sensitivity_doc(sc, &opts, &budget, limit_ms),
                    Kind::Forecast => forecast_doc(sc, &budget, limit_ms),
                    // The narrative says what it assumed in its own words.
                    Kind::Explain => return explain_doc(sc, a, &budget, limit_ms),
                    _ => analyze_doc(sc, &opts, &budget, limit_ms),
                }?;
                Ok((with_assumed(v, a)?, s))
            }
        });
        drop(permit); // the core is free once the work stops, not when the reply goes
        r
    })
    .await;
    match result {
        // Most of the budget went on waiting for a turn: say so, rather
        // than blame the scenario's size.
        Err(ApiError::OverBudget(_)) if waited * 2 >= limit => Err(ApiError::Busy),
        r => r,
    }
}

async fn handle(
    state: AppState,
    kind: Kind,
    opts: Opts,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let input = resolve(&state, &body).await?;
    let stored = input.stored.clone();
    let started = Instant::now();
    let budget = Budget::new(state.budget).until_stopped(state.stop.clone());
    let guard = CancelOnDrop(budget.clone());
    let result = run_kind(&state, kind, input, opts, budget, started).await;
    drop(guard);
    if let Some((id, version)) = stored {
        let millis = started.elapsed().as_millis() as i64;
        let (status, summary) = match &result {
            Ok((_, s)) => (200, s.clone()),
            Err(e) => (
                i64::from(e.status().as_u16()),
                e.to_string().lines().next().unwrap_or("").to_string(),
            ),
        };
        let name = kind.name();
        crate::library::with_store(&state, move |st| {
            st.record_run(&id, version, name, millis, status, &summary)
        })
        .await?;
    }
    result.map(|(v, _)| Json(v))
}

/// `POST /api/validate`: the `accord check --json` document (200 even when invalid).
pub(crate) async fn validate(
    State(s): State<AppState>,
    Query(o): Query<Opts>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    handle(s, Kind::Validate, o, body).await
}

/// `POST /api/show`: the `accord show --json` document.
pub(crate) async fn show(
    State(s): State<AppState>,
    Query(o): Query<Opts>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    handle(s, Kind::Show, o, body).await
}

/// `POST /api/analyze`: the `accord analyze --json` document.
pub(crate) async fn analyze(
    State(s): State<AppState>,
    Query(o): Query<Opts>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    handle(s, Kind::Analyze, o, body).await
}

/// `POST /api/process`: the `accord process --json` document.
pub(crate) async fn process(
    State(s): State<AppState>,
    Query(o): Query<Opts>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    handle(s, Kind::Process, o, body).await
}

/// `POST /api/explain`: why no deal (or why the reference deal), the
/// `accord explain --json` document with its plain-text lines.
pub(crate) async fn explain(
    State(s): State<AppState>,
    Query(o): Query<Opts>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    handle(s, Kind::Explain, o, body).await
}

/// `POST /api/timeline`: the `accord timeline --json` document
/// (`?assume=a,b&reject=c&reject_disputed=true`).
pub(crate) async fn timeline_route(
    State(s): State<AppState>,
    Query(o): Query<Opts>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    handle(s, Kind::Timeline, o, body).await
}

/// `POST /api/forecast`: the `accord forecast FILE --json` document (every model).
pub(crate) async fn forecast(
    State(s): State<AppState>,
    Query(o): Query<Opts>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    handle(s, Kind::Forecast, o, body).await
}

/// `POST /api/sensitivity`: the `accord sensitivity --json` document
/// (`?runs=&seed=&deal_runs=&top=`).
pub(crate) async fn sensitivity_route(
    State(s): State<AppState>,
    Query(o): Query<Opts>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    handle(s, Kind::Sensitivity, o, body).await
}

/// Query of `GET /api/scenarios/{id}/diff`.
#[derive(Deserialize)]
pub(crate) struct DiffQuery {
    /// The first version (default: the one before `b`).
    a: Option<i64>,
    /// The second version (default: the latest).
    b: Option<i64>,
}

/// `GET /api/scenarios/{id}/diff?a=N&b=M`: the `accord diff --db --json`
/// document of two stored versions (the page's version compare), both
/// analysed in one lane turn under the request budget.
pub(crate) async fn diff_versions(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    Query(q): Query<DiffQuery>,
) -> Result<Json<Value>, ApiError> {
    let id2 = id.clone();
    let b = crate::library::with_store(&state, move |st| st.version(&id2, q.b)).await?;
    let a = match q.a {
        Some(n) if n == b.version => b.clone(),
        n => {
            let n = n.unwrap_or((b.version - 1).max(1));
            crate::library::with_store(&state, move |st| st.version(&id, Some(n))).await?
        }
    };
    let started = Instant::now();
    let limit = state.budget;
    let limit_ms = limit.as_millis() as u64;
    let budget = Budget::new(limit).until_stopped(state.stop.clone());
    let guard = CancelOnDrop(budget.clone());
    let sides = blocking(limit, limit_ms, move || {
        [a, b]
            .into_iter()
            .map(|v| {
                let name = format!("{}@v{}", v.id, v.version);
                let syntax = v.syntax;
                let raw = parse_raw(&v.text, &name, syntax)?;
                let sc = accord_formats::scenario::validate_raw(&raw, &v.text, &name, syntax)?;
                Ok((name, raw, sc))
            })
            .collect::<Result<Vec<_>, ApiError>>()
    })
    .await?;
    let lane = if sides.iter().any(|s| s.2.space_size() > HEAVY_OUTCOMES) {
        state.heavy.clone()
    } else {
        state.light.clone()
    };
    let remaining = limit.saturating_sub(started.elapsed());
    let permit = match tokio::time::timeout(remaining, lane.turns.acquire_owned()).await {
        Ok(Ok(p)) => p,
        _ => return Err(ApiError::Busy),
    };
    let remaining = limit.saturating_sub(started.elapsed());
    let result = blocking(remaining, limit_ms, move || {
        let (x, y) = (&sides[0], &sides[1]);
        let max = AnalyzeOptions::default().max_outcomes;
        let r = lane.pool.install(|| {
            accord_app::diff::diff((&x.0, &x.1, &x.2), (&y.0, &y.1, &y.2), &budget)
                .map_err(|e| engine_error(&x.2, e, limit_ms, max))
        });
        drop(permit);
        r
    })
    .await;
    drop(guard);
    let doc = serde_json::to_value(result?).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(doc))
}

/// Unknown paths: a JSON 404.
pub(crate) async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": "no such route", "errors": []})),
    )
        .into_response()
}

/// The last-resort answer when a handler panics.
pub(crate) fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| err.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %what, "a handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({"error": crate::error::INTERNAL, "errors": []})),
    )
        .into_response()
}

//! `accord._accord`: the native half of the Python package `accord`.
//!
//! An adapter only (like the CLI): it parses input with `accord-formats`,
//! calls the `accord` engine with the GIL released ([`interrupt::run`]),
//! and returns plain Python data built from the same serialised values the
//! CLI prints with `--json` ([`convert`]). Adding an analysis is one
//! `#[pyfunction]` here: load inputs, `interrupt::run(py, |cancel| …)`,
//! `convert::ser` of a typed document from `accord_app`, and one line in
//! the module list below (plus its stub in `accord/_accord.pyi`).

mod convert;
mod errors;
mod interrupt;
mod scenario;

use accord::forecast::{backtest as run_backtest, BacktestOptions, ModelKind};
use accord::negotiate::{Mechanism, NegotiatorKind, NoClock, Settings, VoteRule};
use accord::{AnalyzeOptions, Error as EngineError};
use accord_app::input::{load_forecast_input, ForecastSource, InputError};
use accord_app::views;
use accord_formats::bundled::{bundled, flagship as bundled_flagship, BUNDLED};
use accord_formats::genius::GeniusOptions;
use errors::{engine_error, plain_scenario_error, scenario_error, DataError};
use pyo3::exceptions::{PyFileNotFoundError, PyKeyError, PyValueError};
use pyo3::prelude::*;
use scenario::{parse, resolve, syntax_of, PyScenario, Text};
use std::path::{Path, PathBuf};

/// Loads a scenario: a path to a TOML or JSON file, scenario text (any
/// string with a newline or a leading `{`), or a bundled scenario name.
/// `syntax` ("toml" or "json") overrides the guess from the file name.
/// Raises ScenarioError with located diagnostics, FileNotFoundError if
/// nothing matches.
#[pyfunction]
#[pyo3(signature = (source, *, syntax=None))]
fn load(py: Python<'_>, source: &Bound<'_, PyAny>, syntax: Option<&str>) -> PyResult<PyScenario> {
    let t = resolve(source)?;
    let s = syntax_of(&t, syntax)?;
    parse(py, t, s)
}

/// Loads a scenario bundled with Accord by name (see `bundled_names()`).
#[pyfunction]
fn load_bundled(py: Python<'_>, name: &str) -> PyResult<PyScenario> {
    let b = bundled(name).ok_or_else(|| {
        PyKeyError::new_err(format!(
            "no bundled scenario `{name}` (bundled: {})",
            BUNDLED
                .iter()
                .map(|b| b.name)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let t = Text {
        file: b.file.into(),
        text: b.text.into(),
    };
    parse(py, t, accord_formats::Syntax::Toml)
}

/// The names of the bundled scenarios (the first is the flagship).
#[pyfunction]
fn bundled_names() -> Vec<&'static str> {
    BUNDLED.iter().map(|b| b.name).collect()
}

/// The flagship scenario (what the CLI uses when given no file).
#[pyfunction]
fn flagship(py: Python<'_>) -> PyResult<PyScenario> {
    load_bundled(py, bundled_flagship().name)
}

/// Builds a scenario from a dict in the file schema (`Scenario.to_dict()`).
/// Errors are located in the dict's pretty-printed JSON text, named `<dict>`.
#[pyfunction]
fn from_dict(py: Python<'_>, d: &Bound<'_, PyAny>) -> PyResult<PyScenario> {
    let json = py.import("json")?;
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("indent", 2)?;
    kwargs.set_item("ensure_ascii", false)?;
    let text: String = json.call_method("dumps", (d,), Some(&kwargs))?.extract()?;
    let t = Text {
        file: "<dict>".into(),
        text,
    };
    parse(py, t, accord_formats::Syntax::Json)
}

/// Imports a GENIUS negotiation: a folder holding one domain XML file and
/// its profiles (every `*.xml`, sorted by name), as `accord analyze
/// --genius DIR` reads it. Real issues are discretised into `real_levels`.
#[pyfunction]
#[pyo3(signature = (path, *, real_levels=11, as_of="1970-01-01"))]
fn load_genius(
    py: Python<'_>,
    path: PathBuf,
    real_levels: usize,
    as_of: &str,
) -> PyResult<PyScenario> {
    if real_levels < 2 {
        return Err(PyValueError::new_err("real_levels must be at least 2"));
    }
    let shown = path.display().to_string();
    let opts = GeniusOptions {
        real_levels,
        as_of: as_of.to_string(),
    };
    match accord_app::input::import_genius(&[path], &opts) {
        Ok(imp) => Ok(PyScenario {
            sc: imp.scenario,
            source: shown,
            text: None,
        }),
        Err(e) => Err(input_error(py, e)),
    }
}

/// Analyses a non-linear (hyper-rectangle) GENIUS negotiation: a folder
/// holding one domain XML file and its `type="nonlinear"` profiles, as
/// `accord analyze --genius DIR --json` does (the exact branch and bound over
/// boxes, at most `max_nodes` nodes; a run stopped by the budget says so
/// with `exact: false` and a certified `gap`). Linear folders are refused
/// with a ValueError pointing at `load_genius`.
#[pyfunction]
#[pyo3(signature = (path, *, max_nodes=100_000_000))]
fn analyze_nonlinear(py: Python<'_>, path: PathBuf, max_nodes: u64) -> PyResult<Py<PyAny>> {
    use accord::nonlinear::{analyze_boxes, BoxOptions};
    use accord_formats::genius::{is_nonlinear_genius, read_genius_nonlinear};
    let shown = path.display().to_string();
    let files = accord_app::input::read_genius_files(&[path]).map_err(|e| input_error(py, e))?;
    if !is_nonlinear_genius(&files) {
        return Err(PyValueError::new_err(format!(
            "`{shown}` holds linear GENIUS profiles: use accord.load_genius and accord.analyze"
        )));
    }
    let p = read_genius_nonlinear(&files).map_err(|l| scenario_error(py, &l))?;
    let a = interrupt::run(py, |cancel| -> Result<_, EngineError> {
        let opts = BoxOptions {
            max_nodes,
            ..BoxOptions::default()
        };
        let a = analyze_boxes(&p, &opts, cancel)?;
        // Ctrl-C: no result, as for every other analysis.
        if a.cancelled {
            return Err(EngineError::Cancelled);
        }
        Ok(a)
    })?
    .map_err(engine_error)?;
    convert::ser(py, &accord_app::nonlinear::nonlinear_analyze_view(&p, &a))
}

/// The Python exception for an input that cannot be read: missing files
/// and folders are `FileNotFoundError`, bad GENIUS content `ScenarioError`
/// (located), bad KTAB/DEU content `DataError`, the rest `ValueError`.
fn input_error(py: Python<'_>, e: InputError) -> PyErr {
    match e {
        InputError::Genius(l) => scenario_error(py, &l),
        e @ (InputError::Unreadable(_) | InputError::Folder { .. }) => {
            PyFileNotFoundError::new_err(e.to_string())
        }
        e @ InputError::NoXml(_) => plain_scenario_error(py, e.to_string()),
        e @ InputError::Data { .. } => DataError::new_err(e.to_string()),
        e => PyValueError::new_err(e.to_string()),
    }
}

/// Checks a scenario source (as `load` takes it) without raising on bad
/// content: the `accord check --json` dict (`valid`, `errors` with
/// file/line/column, `unsourced`). With `strict`, unsourced numbers make it
/// invalid.
#[pyfunction]
#[pyo3(signature = (source, *, strict=false, syntax=None))]
fn validate(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    strict: bool,
    syntax: Option<&str>,
) -> PyResult<Py<PyAny>> {
    let t = resolve(source)?;
    let s = syntax_of(&t, syntax)?;
    let r = accord_formats::parse_scenario(&t.text, &t.file, s);
    convert::ser(py, &views::check_view(&t.file, &r, strict))
}

/// The deal-space analysis (`accord analyze --json`): win-sets, ZOPA,
/// bargaining solutions, Pareto frontier, blockers and relaxations. Runs
/// on all cores with the GIL released; Ctrl-C interrupts it.
#[pyfunction]
#[pyo3(signature = (scenario, *, pareto_all=false, top=5))]
fn analyze(
    py: Python<'_>,
    scenario: &PyScenario,
    pareto_all: bool,
    top: usize,
) -> PyResult<Py<PyAny>> {
    let opts = AnalyzeOptions {
        pareto_all,
        top,
        ..Default::default()
    };
    let sc = &scenario.sc;
    let view = interrupt::run(py, |cancel| -> Result<_, EngineError> {
        accord_app::reports::analyze_with_readings(sc, &opts, cancel)
    })?;
    match view {
        Ok((an, readings)) => {
            let mut doc = accord_app::reports::analyze_view(sc, &an);
            doc.readings = readings;
            convert::ser(py, &doc)
        }
        Err(EngineError::TooLarge(_)) => Err(errors::AnalysisError::new_err(
            accord_app::explain::too_large(sc, opts.max_outcomes),
        )),
        Err(e) => Err(engine_error(e)),
    }
}

/// The process analysis (`accord process --json`): schedule or deadlocks
/// with owners, and minimal waivers.
#[pyfunction]
fn process(py: Python<'_>, scenario: &PyScenario) -> PyResult<Py<PyAny>> {
    let sc = &scenario.sc;
    let report = interrupt::run(py, |_| accord::analyze_process(&sc.process))?;
    convert::ser(py, &accord_app::reports::process_view(sc, &report))
}

/// The scenario as `accord show --json` prints it: `scenario` (file schema)
/// and `positions` (ideal value, weight, stance and source per actor and
/// issue).
#[pyfunction]
fn show(py: Python<'_>, scenario: &PyScenario) -> PyResult<Py<PyAny>> {
    convert::ser(py, &views::show_view(&scenario.sc))
}

fn data_error(path: &Path, e: impl std::fmt::Display) -> PyErr {
    DataError::new_err(format!("in {}: {e}", path.display()))
}

/// Forecasts with the compromise, weighted-median, expected-utility and
/// SMP models (`accord forecast --json`): give a KTAB SMP input (`ktab`,
/// .csv or .xml) or a DEU CSV (`deu`, optionally one `issue`). `model` is
/// "compromise", "median", "eum", "smp" or "all".
#[pyfunction]
#[pyo3(signature = (ktab=None, *, deu=None, issue=None, model="all"))]
fn forecast(
    py: Python<'_>,
    ktab: Option<PathBuf>,
    deu: Option<PathBuf>,
    issue: Option<String>,
    model: &str,
) -> PyResult<Py<PyAny>> {
    let models = model_kinds(model)?;
    let src = match (&ktab, &deu) {
        (Some(p), None) => ForecastSource::Ktab(p),
        (None, Some(p)) => ForecastSource::Deu(p, issue.as_deref()),
        _ => {
            return Err(PyValueError::new_err(
                "give exactly one of ktab=FILE or deu=FILE",
            ))
        }
    };
    let input = load_forecast_input(src).map_err(|e| input_error(py, e))?;
    let out = interrupt::run(py, |cancel| {
        let mut out = views::ForecastDoc::default();
        for &kind in &models {
            for unit in &input.units {
                let p = &unit.problem;
                let f = accord_app::input::run_forecast_model(kind, p, &unit.smp, cancel);
                out.add(kind.name(), p, &f);
            }
        }
        out
    })?;
    convert::ser(py, &out)
}

/// Scores the forecasting models against the outcomes in a DEU CSV
/// (`accord backtest --json`): mean absolute errors and bootstrap
/// confidence intervals at `level`. The same `seed` gives the same result.
#[pyfunction]
#[pyo3(signature = (deu, seed=0, *, resamples=2000, level=0.95))]
fn backtest(
    py: Python<'_>,
    deu: PathBuf,
    seed: u64,
    resamples: usize,
    level: f64,
) -> PyResult<Py<PyAny>> {
    if !(level > 0.0 && level < 1.0) {
        return Err(PyValueError::new_err(format!(
            "level must be a confidence level between 0 and 1 (e.g. 0.95), not {level}"
        )));
    }
    let text = accord_app::input::read_file(&deu).map_err(|e| input_error(py, e))?;
    let issues = accord_formats::deu::read_deu_backtest(&text).map_err(|e| data_error(&deu, e))?;
    let opts = BacktestOptions {
        seed,
        resamples,
        level,
        ..BacktestOptions::default()
    };
    let r = interrupt::run(py, |cancel| run_backtest(&issues, &opts, cancel))?;
    if r.issues_scored == 0 && !r.cancelled {
        // Every mean error would be NaN: refuse, as the CLI does.
        let why = accord_app::explain::nothing_scored(
            &deu.display().to_string(),
            opts.min_actors,
            issues.len(),
        );
        return Err(data_error(&deu, why));
    }
    convert::ser(py, &views::backtest_view(&r, level))
}

/// Raises the Python error for an engine error of an analysis: a space too
/// large to enumerate is an AnalysisError that says what to do.
fn analysis_failed(e: EngineError, sc: &accord::Scenario, max_outcomes: u128, hint: &str) -> PyErr {
    match e {
        EngineError::TooLarge(_) => errors::AnalysisError::new_err(format!(
            "{}{hint}",
            accord_app::explain::too_large(sc, max_outcomes)
        )),
        EngineError::Invalid(m) => PyValueError::new_err(m),
        e => engine_error(e),
    }
}

/// The scenario text a timeline reads (with its dated events): the text a
/// `Scenario` was loaded from, or a path, text or bundled name as `load`
/// takes it.
fn timeline_text(source: &Bound<'_, PyAny>) -> PyResult<(Text, accord_formats::Syntax)> {
    if let Ok(sc) = source.cast::<PyScenario>() {
        let sc = sc.borrow();
        return match &sc.text {
            Some((text, syntax)) => Ok((
                Text {
                    file: sc.source.clone(),
                    text: text.clone(),
                },
                *syntax,
            )),
            None => Err(PyValueError::new_err(format!(
                "the scenario `{}` has no source text (it was edited or imported from GENIUS), \
                 and the timeline reads its dated events from the text: pass the file, text or \
                 bundled name instead",
                sc.sc.id
            ))),
        };
    }
    let t = resolve(source)?;
    let s = syntax_of(&t, None)?;
    Ok((t, s))
}

/// The timeline (`accord timeline --json`): the deal-space and process
/// analyses rerun after each dated event of the scenario, with what changed.
/// `source` is a `Scenario` loaded from a file, text or bundled name (its
/// text holds the events), or such a path, text or name. `assume` applies
/// disputed events, `reject` skips events, `reject_disputed` skips every
/// disputed event not assumed.
#[pyfunction]
#[pyo3(signature = (source, *, assume=Vec::new(), reject=Vec::new(), reject_disputed=false))]
fn timeline(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    assume: Vec<String>,
    reject: Vec<String>,
    reject_disputed: bool,
) -> PyResult<Py<PyAny>> {
    use accord_app::reports::{timeline_steps, timeline_view};
    let (t, syntax) = timeline_text(source)?;
    let raw = accord_formats::scenario::parse_raw(&t.text, &t.file, syntax)
        .map_err(|e| scenario_error(py, &e))?;
    let choices = accord_formats::timeline::Choices {
        assume: assume.into_iter().collect(),
        reject: reject.into_iter().collect(),
        reject_disputed,
    };
    let steps = accord_formats::timeline::timeline(&raw, &t.text, &t.file, syntax, &choices)
        .map_err(|e| scenario_error(py, &e))?;
    let views = interrupt::run(py, |cancel| timeline_steps(&steps, cancel))?;
    let max = AnalyzeOptions::default().max_outcomes;
    // Events patch stances and constraints, never the issues, so every step
    // has the base step's outcome space.
    let views = views.map_err(|e| match steps.first() {
        Some(base) => analysis_failed(e, &base.scenario, max, ""),
        None => engine_error(e),
    })?;
    convert::ser(py, &timeline_view(&steps, &views))
}

/// The forecasting models a `model` name stands for: compromise, median,
/// eum, smp or all.
fn model_kinds(model: &str) -> PyResult<Vec<ModelKind>> {
    accord_app::input::model_selection(model).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Monte Carlo sensitivity (`accord sensitivity --json`): the scenario's
/// uncertain numbers are drawn `runs` times (run i from a generator keyed
/// by (seed, i)); reports each model's forecast spread per issue, the odds
/// that a ZOPA exists and where the Nash solution lands over the first
/// `deal_runs` runs, and the `top` inputs that move the results most.
/// `models` is a model name or a list of them (default: all). The same
/// seed gives the same result.
#[pyfunction]
#[pyo3(signature = (scenario, *, runs=1000, seed=0, deal_runs=50, models=None, top=10))]
fn sensitivity(
    py: Python<'_>,
    scenario: &PyScenario,
    runs: usize,
    seed: u64,
    deal_runs: usize,
    models: Option<Vec<String>>,
    top: usize,
) -> PyResult<Py<PyAny>> {
    use accord::sensitivity::{sensitivity as run_sensitivity, SensitivityOptions};
    if runs == 0 {
        return Err(PyValueError::new_err("runs must be at least 1"));
    }
    let mut kinds = Vec::new();
    for m in models.unwrap_or_else(|| vec!["all".into()]) {
        for k in model_kinds(&m)? {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
    }
    let opts = SensitivityOptions {
        runs,
        seed,
        deal_runs: deal_runs.min(runs),
        models: kinds,
        top,
        ..SensitivityOptions::default()
    };
    let sc = &scenario.sc;
    let r = interrupt::run(py, |cancel| run_sensitivity(sc, &opts, cancel))?;
    let report = r.map_err(|e| {
        analysis_failed(
            e,
            sc,
            opts.analyze.max_outcomes,
            " (or use deal_runs=0 to skip the deal space)",
        )
    })?;
    convert::ser(py, &report)
}

/// The forecasting models on a scenario (`accord forecast FILE --json`):
/// per model and issue the forecast on the issue's own scale, its label
/// (nearest option for option issues), the 0–100 value and the rounds;
/// and the issues spatial models cannot forecast. `model` is compromise,
/// median, eum, smp or all.
#[pyfunction]
#[pyo3(signature = (scenario, *, model="all"))]
fn forecast_scenario(py: Python<'_>, scenario: &PyScenario, model: &str) -> PyResult<Py<PyAny>> {
    let kinds = model_kinds(model)?;
    let sc = &scenario.sc;
    let sp = accord::forecast::spatial_problem(sc).map_err(|e| match e {
        EngineError::Invalid(m) => PyValueError::new_err(m),
        e => engine_error(e),
    })?;
    // The same document as `accord forecast --json`: raw forecasts, their
    // projections onto the deal, P(no deal) and each model's DEU III record.
    let doc = interrupt::run(py, |cancel| {
        let runs: Vec<_> = match &sp.problem {
            Some(p) => kinds
                .iter()
                .map(|&k| (k, accord::forecast::run_model(k, p, cancel)))
                .collect(),
            None => Vec::new(),
        };
        let deal = accord_app::forecast_doc::deal_forecasts(sc, &sp, &runs, cancel)?;
        Ok::<_, EngineError>((runs, deal))
    })?;
    let (runs, deal) = doc.map_err(engine_error)?;
    convert::ser(
        py,
        &accord_app::forecast_doc::forecast_document(sc, &sp, &runs, deal.as_ref()),
    )
}

/// Negotiator kinds by name (ValueError on an unknown one).
fn negotiator_kinds(names: &[String]) -> PyResult<Vec<NegotiatorKind>> {
    names
        .iter()
        .map(|n| {
            NegotiatorKind::parse(n.trim()).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "unknown negotiator `{n}` (known: {})",
                    NegotiatorKind::NAMES
                ))
            })
        })
        .collect()
}

/// One agent negotiation (`accord simulate --json`): `mechanism` is saop
/// (bilateral alternating offers), multilateral or mediated (single text,
/// changes kept on a `vote` of "unanimous" or "majority"); `negotiators`
/// one per party in order, or one for every party; `parties` actor ids
/// (default: the first two actors for saop, all otherwise). Deterministic
/// for a given `seed`. With `trace`, every offer and response is listed.
#[pyfunction]
#[pyo3(signature = (
    scenario, *, mechanism="saop", negotiators=vec!["boulware".to_string(), "conceder".to_string()],
    rounds=100, seed=0, trace=false, parties=None, discount=1.0, vote="unanimous"
))]
#[allow(clippy::too_many_arguments)]
fn simulate(
    py: Python<'_>,
    scenario: &PyScenario,
    mechanism: &str,
    negotiators: Vec<String>,
    rounds: u32,
    seed: u64,
    trace: bool,
    parties: Option<Vec<String>>,
    discount: f64,
    vote: &str,
) -> PyResult<Py<PyAny>> {
    let sc = &scenario.sc;
    let mech: Mechanism = mechanism
        .parse()
        .map_err(|e: accord::UnknownName| PyValueError::new_err(e.to_string()))?;
    let vote: VoteRule = vote
        .parse()
        .map_err(|e: accord::UnknownName| PyValueError::new_err(e.to_string()))?;
    let parties: Vec<usize> = match parties {
        None => {
            let n = if mech == Mechanism::Saop {
                2
            } else {
                sc.actors.len()
            };
            if sc.actors.len() < n {
                return Err(PyValueError::new_err(
                    "bilateral SAOP needs a scenario with two actors",
                ));
            }
            (0..n).collect()
        }
        Some(ps) => ps
            .iter()
            .map(|p| {
                sc.actor_index(p.trim()).ok_or_else(|| {
                    let ids: Vec<&str> = sc.actors.iter().map(|x| x.id.as_str()).collect();
                    PyKeyError::new_err(format!("no actor `{p}` (actors: {})", ids.join(", ")))
                })
            })
            .collect::<PyResult<_>>()?,
    };
    let mut kinds = negotiator_kinds(&negotiators)?;
    if kinds.len() == 1 {
        kinds = vec![kinds[0].clone(); parties.len()];
    }
    if kinds.len() != parties.len() {
        return Err(PyValueError::new_err(format!(
            "{} negotiators for {} parties (give one per party, or one for all)",
            kinds.len(),
            parties.len()
        )));
    }
    let settings = Settings {
        rounds,
        discount,
        seed,
        vote,
    };
    let run = interrupt::run(py, |_| {
        accord::negotiate::simulate(sc, mech, &parties, &kinds, &settings, &NoClock)
    })?
    .map_err(|e| match e {
        EngineError::Invalid(m) => PyValueError::new_err(m),
        e => engine_error(e),
    })?;
    let party_ids: Vec<&str> = parties.iter().map(|&p| sc.actors[p].id.as_str()).collect();
    let domain = accord::negotiate::Domain::Scenario(sc.clone());
    convert::ser(py, &views::simulate_view(&domain, &run, &party_ids, trace))
}

/// A round-robin tournament (`accord tournament --json`): every pair of
/// `negotiators` on every scenario (its first two actors), both role
/// orders, `reps` times, under bilateral SAOP with a `rounds` deadline.
/// Returns every run and per-negotiator aggregates. Run i is seeded from
/// (seed, i), so the same seed gives the same result.
#[pyfunction]
#[pyo3(signature = (scenarios, *, negotiators=None, reps=1, seed=0, rounds=100, discount=1.0))]
fn tournament(
    py: Python<'_>,
    scenarios: Vec<PyRef<'_, PyScenario>>,
    negotiators: Option<Vec<String>>,
    reps: u32,
    seed: u64,
    rounds: u32,
    discount: f64,
) -> PyResult<Py<PyAny>> {
    use accord::negotiate::{TournamentEntry, TournamentSettings};
    if scenarios.is_empty() {
        return Err(PyValueError::new_err("give at least one scenario"));
    }
    let names =
        negotiators.unwrap_or_else(|| DEFAULT_NEGOTIATORS.split(',').map(str::to_string).collect());
    let entries: Vec<TournamentEntry> = scenarios
        .iter()
        .map(|s| TournamentEntry {
            name: s.sc.id.clone(),
            domain: s.sc.clone().into(),
        })
        .collect();
    let settings = TournamentSettings {
        negotiators: negotiator_kinds(&names)?,
        reps,
        run: Settings {
            rounds,
            discount,
            seed,
            ..Settings::default()
        },
    };
    let t = interrupt::run(py, |cancel| {
        accord::negotiate::tournament(&entries, &settings, cancel)
    })?
    .map_err(|e| match e {
        EngineError::Invalid(m) => PyValueError::new_err(m),
        e => engine_error(e),
    })?;
    convert::ser(py, &views::tournament_view(&entries, &t))
}

/// The negotiators `tournament` pits against each other by default (the
/// CLI's default too).
const DEFAULT_NEGOTIATORS: &str =
    "boulware,linear,conceder,tit-for-tat,hardliner,random,nash,frequency";

/// The native module `accord._accord`; `accord/__init__.py` re-exports it.
#[pymodule]
fn _accord(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyScenario>()?;
    m.add("ScenarioError", py.get_type::<errors::ScenarioError>())?;
    m.add("DataError", py.get_type::<DataError>())?;
    m.add("AnalysisError", py.get_type::<errors::AnalysisError>())?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(load_bundled, m)?)?;
    m.add_function(wrap_pyfunction!(bundled_names, m)?)?;
    m.add_function(wrap_pyfunction!(flagship, m)?)?;
    m.add_function(wrap_pyfunction!(from_dict, m)?)?;
    m.add_function(wrap_pyfunction!(load_genius, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(process, m)?)?;
    m.add_function(wrap_pyfunction!(show, m)?)?;
    m.add_function(wrap_pyfunction!(forecast, m)?)?;
    m.add_function(wrap_pyfunction!(backtest, m)?)?;
    m.add_function(wrap_pyfunction!(timeline, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_scenario, m)?)?;
    m.add_function(wrap_pyfunction!(analyze_nonlinear, m)?)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    m.add_function(wrap_pyfunction!(tournament, m)?)?;
    Ok(())
}

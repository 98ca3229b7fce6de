//! `accord._accord`: the native half of the Python package `accord`.
//!
//! An adapter only (like the CLI): it parses input with `accord-formats`,
//! calls the `accord` engine with the GIL released ([`interrupt::run`]),
//! and returns plain Python data built from the same serialised values the
//! CLI prints with `--json` ([`convert`]). Adding an analysis is one
//! `#[pyfunction]` here: load inputs, `interrupt::run(py, |cancel| …)`,
//! `convert::ser` or a view from `accord_formats::views`, and one line in
//! the module list below (plus its stub in `accord/_accord.pyi`).

mod convert;
mod errors;
mod interrupt;
mod scenario;

use accord::forecast::{
    backtest as run_backtest, compromise, expected_utility, smp, weighted_median, BacktestOptions,
    EumOptions, SmpOptions, SpatialProblem,
};
use accord::{AnalyzeOptions, Error as EngineError};
use accord_formats::bundled::{bundled, flagship as bundled_flagship, BUNDLED};
use accord_formats::genius::{import_genius_files, GeniusFile, GeniusOptions};
use accord_formats::views;
use convert::to_py;
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
    let paths: Vec<PathBuf> = if path.is_dir() {
        let rd = std::fs::read_dir(&path).map_err(|e| {
            PyFileNotFoundError::new_err(format!("cannot read folder `{shown}`: {e}"))
        })?;
        let mut v: Vec<PathBuf> = rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("xml")))
            .collect();
        v.sort();
        if v.is_empty() {
            return Err(plain_scenario_error(
                py,
                format!("no .xml files in `{shown}`"),
            ));
        }
        v
    } else if path.exists() {
        vec![path.clone()]
    } else {
        return Err(PyFileNotFoundError::new_err(format!(
            "no such folder `{shown}`"
        )));
    };
    let mut files = Vec::with_capacity(paths.len());
    for p in &paths {
        let name = p.display().to_string();
        let text = std::fs::read_to_string(p)
            .map_err(|e| PyValueError::new_err(format!("cannot read `{name}`: {e}")))?;
        files.push(GeniusFile::new(name, text));
    }
    let opts = GeniusOptions {
        real_levels,
        as_of: as_of.to_string(),
    };
    match import_genius_files(&files, &opts) {
        Ok(imp) => Ok(PyScenario {
            sc: imp.scenario,
            source: shown,
        }),
        Err(e) => Err(scenario_error(py, &e)),
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
    to_py(py, &views::check_view(&t.file, &r, strict))
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
    let view = interrupt::run(py, |cancel| {
        let an = accord::analyze(sc, &opts, cancel)?;
        Ok(accord_formats::reports::analyze_view(sc, &an))
    })?;
    match view {
        Ok(v) => to_py(py, &v),
        Err(e @ EngineError::TooLarge(_)) => Err(errors::AnalysisError::new_err(format!(
            "{e} ({}); coarsen numeric steps or drop issues",
            opts.max_outcomes
        ))),
        Err(e) => Err(engine_error(e)),
    }
}

/// The process analysis (`accord process --json`): schedule or deadlocks
/// with owners, and minimal waivers.
#[pyfunction]
fn process(py: Python<'_>, scenario: &PyScenario) -> PyResult<Py<PyAny>> {
    let sc = &scenario.sc;
    let report = interrupt::run(py, |_| accord::analyze_process(&sc.process))?;
    to_py(py, &accord_formats::reports::process_view(sc, &report))
}

/// The scenario as `accord show --json` prints it: `scenario` (file schema)
/// and `positions` (ideal value, weight, stance and source per actor and
/// issue).
#[pyfunction]
fn show(py: Python<'_>, scenario: &PyScenario) -> PyResult<Py<PyAny>> {
    to_py(py, &views::show_view(&scenario.sc))
}

fn read_text(path: &Path) -> PyResult<String> {
    std::fs::read_to_string(path)
        .map_err(|e| PyFileNotFoundError::new_err(format!("cannot read `{}`: {e}", path.display())))
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
    let models: Vec<&str> = match model {
        "compromise" | "median" | "eum" | "smp" => vec![model],
        "all" => vec!["compromise", "median", "eum", "smp"],
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown model `{other}`: expected compromise, median, eum, smp or all"
            )))
        }
    };
    let units: Vec<(SpatialProblem, SmpOptions)> = match (&ktab, &deu) {
        (Some(p), None) => {
            let text = read_text(p)?;
            let xml = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"));
            let sc = if xml {
                accord_formats::ktab::read_ktab_xml(&text)
            } else {
                accord_formats::ktab::read_ktab_csv(&text)
            }
            .map_err(|e| data_error(p, e))?;
            vec![(sc.problem, sc.smp)]
        }
        (None, Some(p)) => {
            let text = read_text(p)?;
            let issues = accord_formats::deu::read_deu(&text).map_err(|e| data_error(p, e))?;
            let v: Vec<_> = issues
                .into_iter()
                .filter(|i| issue.as_ref().is_none_or(|id| &i.id == id))
                .map(|i| (i.problem, SmpOptions::default()))
                .collect();
            if v.is_empty() {
                return Err(PyValueError::new_err(format!(
                    "no DEU issue {:?} in {}",
                    issue.as_deref().unwrap_or(""),
                    p.display()
                )));
            }
            v
        }
        _ => {
            return Err(PyValueError::new_err(
                "give exactly one of ktab=FILE or deu=FILE",
            ))
        }
    };
    let out = interrupt::run(py, |cancel| {
        let mut out = serde_json::Map::new();
        for m in &models {
            for (p, o) in &units {
                let f = match *m {
                    "compromise" => compromise(p),
                    "median" => weighted_median(p),
                    "eum" => expected_utility(p, &EumOptions::default(), cancel),
                    _ => smp(p, o, cancel),
                };
                views::add_forecast(&mut out, m, p, &f);
            }
        }
        out
    })?;
    to_py(py, &serde_json::json!({ "models": out }))
}

/// Scores the forecasting models against the outcomes in a DEU CSV
/// (`accord backtest --json`): mean absolute errors and bootstrap
/// confidence intervals. The same `seed` gives the same result.
#[pyfunction]
#[pyo3(signature = (deu, seed=0, *, resamples=2000))]
fn backtest(py: Python<'_>, deu: PathBuf, seed: u64, resamples: usize) -> PyResult<Py<PyAny>> {
    let text = read_text(&deu)?;
    let issues = accord_formats::deu::read_deu_backtest(&text).map_err(|e| data_error(&deu, e))?;
    let opts = BacktestOptions {
        seed,
        resamples,
        ..BacktestOptions::default()
    };
    let r = interrupt::run(py, |cancel| run_backtest(&issues, &opts, cancel))?;
    to_py(py, &views::backtest_view(&r))
}

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
    Ok(())
}

//! Python exceptions for bad input: the same located text `accord check`
//! prints, with the diagnostics as data.

use accord_formats::LoadError;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

pyo3::create_exception!(
    accord,
    ScenarioError,
    PyValueError,
    "A scenario (TOML, JSON, dict or GENIUS XML) that cannot be loaded.\n\n\
     str(e) is the located report `accord check` prints (file:line:column, the\n\
     source line, a caret); e.diagnostics is the list of\n\
     {file, line, column, message, path} dicts of `accord check --json`."
);
pyo3::create_exception!(
    accord,
    DataError,
    PyValueError,
    "A KTAB or DEU data file that cannot be read (message names line and column)."
);
pyo3::create_exception!(
    accord,
    AnalysisError,
    PyRuntimeError,
    "The scenario is valid but the analysis cannot run (e.g. the space is too large)."
);

/// A [`ScenarioError`] carrying the diagnostics.
pub fn scenario_error(py: Python<'_>, e: &LoadError) -> PyErr {
    let err = ScenarioError::new_err(e.to_string());
    match crate::convert::ser(py, &e.diagnostics) {
        Ok(d) => match err.value(py).setattr("diagnostics", d) {
            Ok(()) => err,
            Err(e2) => e2,
        },
        Err(e2) => e2,
    }
}

/// A [`ScenarioError`] with one message and no location.
pub fn plain_scenario_error(py: Python<'_>, msg: String) -> PyErr {
    let err = ScenarioError::new_err(msg);
    let empty = pyo3::types::PyList::empty(py);
    match err.value(py).setattr("diagnostics", empty) {
        Ok(()) => err,
        Err(e2) => e2,
    }
}

/// Engine errors: cancellation becomes `KeyboardInterrupt` (normally the
/// signal's own exception is raised first), the rest [`AnalysisError`].
pub fn engine_error(e: accord::Error) -> PyErr {
    match e {
        accord::Error::Cancelled => pyo3::exceptions::PyKeyboardInterrupt::new_err("cancelled"),
        other => AnalysisError::new_err(other.to_string()),
    }
}

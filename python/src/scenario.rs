//! The `Scenario` class: a checked scenario, its file-schema dict, and the
//! edits a what-if needs (drop a red line, move a reservation or a weight).

use crate::convert::{ser, to_py};
use crate::errors::{plain_scenario_error, scenario_error};
use accord_formats::bundled::{bundled, BUNDLED};
use accord_formats::{parse_scenario, Syntax};
use pyo3::exceptions::{PyFileNotFoundError, PyKeyError, PyValueError};
use pyo3::prelude::*;
use std::path::PathBuf;

/// A checked negotiation scenario (actors, issues, preferences, red lines,
/// ratifiers, process). Build one with `accord.load`, `accord.load_bundled`,
/// `accord.flagship`, `accord.load_genius` or `accord.from_dict`; edit it in
/// place with `drop_red_line`, `set_reservation`, `set_weight`; analyse it
/// with `accord.analyze(sc)` or `sc.analyze()`.
#[pyclass(name = "Scenario", module = "accord")]
#[derive(Clone)]
pub struct PyScenario {
    pub sc: accord::Scenario,
    /// Where it was read from (file name, bundled file, `<string>`, `<dict>`).
    #[pyo3(get)]
    pub source: String,
    /// The text it was parsed from and its syntax, while unedited: the
    /// timeline reads its dated events from there (they are not part of
    /// the checked scenario). Edits clear it.
    pub text: Option<(String, Syntax)>,
}

/// A scenario text and the name diagnostics show for it.
pub struct Text {
    pub file: String,
    pub text: String,
}

fn bundled_names() -> String {
    BUNDLED
        .iter()
        .map(|b| b.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Resolves what `load`/`validate` were given: scenario text (anything with
/// a newline, or starting with `{`), an existing file, or a bundled name.
pub fn resolve(src: &Bound<'_, PyAny>) -> PyResult<Text> {
    if let Ok(s) = src.extract::<String>() {
        if s.contains('\n') || s.trim_start().starts_with('{') {
            return Ok(Text {
                file: "<string>".into(),
                text: s,
            });
        }
    }
    let path: PathBuf = src.extract()?;
    if path.exists() {
        let shown = path.display().to_string();
        let bytes = std::fs::read(&path)
            .map_err(|e| PyFileNotFoundError::new_err(format!("cannot read `{shown}`: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            PyValueError::new_err(format!(
                "`{shown}` is not UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        return Ok(Text { file: shown, text });
    }
    let name = path.display().to_string();
    match bundled(&name) {
        Some(b) => Ok(Text {
            file: b.file.into(),
            text: b.text.into(),
        }),
        None => Err(PyFileNotFoundError::new_err(format!(
            "no such file `{name}` (bundled scenarios: {})",
            bundled_names()
        ))),
    }
}

/// The syntax of a text: the `syntax` argument, else the file name, else a
/// leading `{` for JSON.
pub fn syntax_of(t: &Text, syntax: Option<&str>) -> PyResult<Syntax> {
    Ok(match syntax {
        Some(s) if s.eq_ignore_ascii_case("toml") => Syntax::Toml,
        Some(s) if s.eq_ignore_ascii_case("json") => Syntax::Json,
        Some(s) => {
            return Err(PyValueError::new_err(format!(
                "unknown syntax `{s}`: expected \"toml\" or \"json\""
            )))
        }
        None if t.file.starts_with('<') && t.text.trim_start().starts_with('{') => Syntax::Json,
        None => Syntax::from_name(&t.file),
    })
}

/// Parses and checks a text into a `Scenario`, or raises `ScenarioError`.
pub fn parse(py: Python<'_>, t: Text, syntax: Syntax) -> PyResult<PyScenario> {
    match parse_scenario(&t.text, &t.file, syntax) {
        Ok(sc) => Ok(PyScenario {
            sc,
            source: t.file,
            text: Some((t.text, syntax)),
        }),
        Err(e) => Err(scenario_error(py, &e)),
    }
}

impl PyScenario {
    fn actor_ix(&self, actor: &str) -> PyResult<usize> {
        self.sc
            .actors
            .iter()
            .position(|a| a.id == actor)
            .ok_or_else(|| PyKeyError::new_err(format!("no actor `{actor}` in `{}`", self.sc.id)))
    }

    fn issue_ix(&self, issue: &str) -> PyResult<usize> {
        self.sc
            .issues
            .iter()
            .position(|i| i.id == issue)
            .ok_or_else(|| PyKeyError::new_err(format!("no issue `{issue}` in `{}`", self.sc.id)))
    }

    fn recheck(&self, py: Python<'_>) -> PyResult<()> {
        self.sc
            .check()
            .map_err(|e| plain_scenario_error(py, e.to_string()))
    }
}

/// Marks a number as set from Python (its source no longer says it).
fn edited(p: &mut accord::model::Param, value: f64, why: &str) {
    p.value = value;
    p.dist = None;
    p.provenance = accord::model::Provenance {
        source: None,
        quote: None,
        assumption: Some(why.to_string()),
        entrenchment: None,
    };
}

#[pymethods]
impl PyScenario {
    /// Scenario id.
    #[getter]
    fn id(&self) -> String {
        self.sc.id.clone()
    }

    /// Title.
    #[getter]
    fn title(&self) -> String {
        self.sc.title.clone()
    }

    /// The date the scenario describes (ISO).
    #[getter]
    fn as_of(&self) -> String {
        self.sc.as_of.clone()
    }

    /// Actor ids, in file order.
    #[getter]
    fn actors(&self) -> Vec<String> {
        self.sc.actors.iter().map(|a| a.id.clone()).collect()
    }

    /// Issue ids, in file order.
    #[getter]
    fn issues(&self) -> Vec<String> {
        self.sc.issues.iter().map(|i| i.id.clone()).collect()
    }

    /// Red lines as `{id, actor, rule}` dicts.
    #[getter]
    fn red_lines(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let v: Vec<serde_json::Value> = self
            .sc
            .red_lines
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "actor": self.sc.actors[r.actor].id,
                    "rule": r.rule.to_text(&self.sc.issues),
                })
            })
            .collect();
        to_py(py, &serde_json::Value::Array(v))
    }

    /// Size of the outcome space (product of issue levels).
    #[getter]
    fn outcomes(&self) -> u128 {
        self.sc.space_size()
    }

    /// The scenario in the file schema (`accord show --json`'s `scenario`);
    /// `accord.from_dict` reads it back.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        ser(py, &accord_formats::scenario::to_raw(&self.sc))
    }

    /// The scenario as TOML text (the native file format).
    fn to_toml(&self) -> String {
        accord_formats::to_toml(&self.sc)
    }

    /// An independent copy (edits to it leave this one unchanged).
    fn copy(&self) -> PyScenario {
        self.clone()
    }

    /// Pickling (for multiprocessing, Dask, Ray): rebuilt with
    /// `accord.from_dict(self.to_dict())`.
    fn __reduce__(&self, py: Python<'_>) -> PyResult<(Py<PyAny>, (Py<PyAny>,))> {
        let f = py.import("accord")?.getattr("from_dict")?.unbind();
        Ok((f, (self.to_dict(py)?,)))
    }

    fn __copy__(&self) -> PyScenario {
        self.clone()
    }

    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> PyScenario {
        self.clone()
    }

    /// Removes the red line `id` (of `actor` only, if given) in place.
    /// Raises KeyError if there is none.
    #[pyo3(signature = (id, actor=None))]
    fn drop_red_line(&mut self, id: &str, actor: Option<&str>) -> PyResult<()> {
        let who = actor.map(|a| self.actor_ix(a)).transpose()?;
        let before = self.sc.red_lines.len();
        self.sc
            .red_lines
            .retain(|r| !(r.id == id && who.is_none_or(|w| w == r.actor)));
        if self.sc.red_lines.len() == before {
            return Err(PyKeyError::new_err(format!(
                "no red line `{id}` in `{}`",
                self.sc.id
            )));
        }
        self.text = None;
        Ok(())
    }

    /// Sets `actor`'s reservation value (utility of no deal, in [0, 1]) in
    /// place. The number's source is replaced by the assumption label
    /// "set from Python".
    fn set_reservation(&mut self, py: Python<'_>, actor: &str, value: f64) -> PyResult<()> {
        if !(0.0..=1.0).contains(&value) {
            return Err(PyValueError::new_err(format!(
                "a reservation is a utility in [0, 1], got {value}"
            )));
        }
        let a = self.actor_ix(actor)?;
        edited(
            &mut self.sc.preferences[a].reservation,
            value,
            "set from Python",
        );
        self.text = None;
        self.recheck(py)
    }

    /// Sets `actor`'s weight (salience) on `issue` to `weight` in [0, 1]
    /// and renormalises: the actor's other weights are scaled by the same
    /// factor so that all its weights still sum to 1 (their ratios are
    /// kept). Raises ValueError when that is impossible (weight < 1 and
    /// every other weight is 0). Changed numbers are labelled
    /// "set from Python".
    fn set_weight(
        &mut self,
        py: Python<'_>,
        actor: &str,
        issue: &str,
        weight: f64,
    ) -> PyResult<()> {
        if !(0.0..=1.0).contains(&weight) {
            return Err(PyValueError::new_err(format!(
                "a weight is in [0, 1], got {weight}"
            )));
        }
        let a = self.actor_ix(actor)?;
        let k = self.issue_ix(issue)?;
        let prefs = &mut self.sc.preferences[a].issues;
        let others: f64 = prefs
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, p)| p.weight.value)
            .sum();
        if others <= 0.0 && weight < 1.0 {
            return Err(PyValueError::new_err(format!(
                "`{actor}` weighs no other issue, so its weight on `{issue}` must stay 1"
            )));
        }
        let scale = if others > 0.0 {
            (1.0 - weight) / others
        } else {
            0.0
        };
        for (j, p) in prefs.iter_mut().enumerate() {
            if j == k {
                edited(&mut p.weight, weight, "set from Python");
            } else if p.weight.value != 0.0 && scale != 1.0 {
                let v = p.weight.value * scale;
                edited(
                    &mut p.weight,
                    v,
                    "renormalised after a weight was set from Python",
                );
            }
        }
        self.text = None;
        self.recheck(py)
    }

    /// `accord.analyze(self, pareto_all=..., top=...)`.
    #[pyo3(signature = (pareto_all=false, top=5))]
    fn analyze(slf: Bound<'_, Self>, pareto_all: bool, top: usize) -> PyResult<Py<PyAny>> {
        let f = slf.py().import("accord")?.getattr("analyze")?;
        Ok(f.call1((slf, pareto_all, top))?.unbind())
    }

    /// `accord.process(self)`.
    fn process(slf: Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let f = slf.py().import("accord")?.getattr("process")?;
        Ok(f.call1((slf,))?.unbind())
    }

    /// `accord.show(self)`.
    fn show(slf: Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let f = slf.py().import("accord")?.getattr("show")?;
        Ok(f.call1((slf,))?.unbind())
    }

    fn __repr__(&self) -> String {
        format!(
            "<accord.Scenario {:?}: {} actors, {} issues, {} outcomes>",
            self.sc.id,
            self.sc.actors.len(),
            self.sc.issues.len(),
            self.sc.space_size()
        )
    }
}

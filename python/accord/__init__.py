"""Accord: analyse multi-party negotiations from Python.

Load a scenario, analyse it, edit it and analyse it again::

    import accord
    sc = accord.load_bundled("triad")
    a = accord.analyze(sc)            # the `accord analyze --json` dict
    sc.drop_red_line("no-cuts")       # a what-if, in place
    b = accord.analyze(sc)

Every result is plain Python data with exactly the keys and values of the
CLI's ``--json`` output (documented in the README); tabular parts convert to
pandas with ``result.to_pandas("pareto")``. Heavy work runs on all cores
with the GIL released, and Ctrl-C interrupts it (``KeyboardInterrupt``).
Bad input raises ``ScenarioError`` (a ``ValueError``) whose text is the
located report ``accord check`` prints and whose ``diagnostics`` attribute
lists ``{file, line, column, message, path}``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union
import os

from . import _accord
from ._accord import (
    AnalysisError,
    DataError,
    Scenario,
    ScenarioError,
    bundled_names,
    flagship,
    from_dict,
    load,
    load_bundled,
    load_genius,
    validate,
)

__all__ = [
    "AnalysisError",
    "DataError",
    "Result",
    "Scenario",
    "ScenarioError",
    "analyze",
    "backtest",
    "bundled_names",
    "flagship",
    "forecast",
    "from_dict",
    "load",
    "load_bundled",
    "load_genius",
    "process",
    "show",
    "to_pandas",
    "validate",
]

PathLike = Union[str, "os.PathLike[str]"]


def _pandas():
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - exercised when pandas is absent
        raise ImportError(
            "to_pandas() needs pandas, which is not installed: "
            "pip install pandas (or pip install './python[pandas]')"
        ) from e
    return pandas


def _flatten(row: Dict[str, Any]) -> Dict[str, Any]:
    """One table row: nested dicts become `outer.inner` columns."""
    out: Dict[str, Any] = {}
    for k, v in row.items():
        if isinstance(v, dict):
            for k2, v2 in v.items():
                out[f"{k}.{k2}"] = v2
        else:
            out[k] = v
    return out


def to_pandas(rows: List[Dict[str, Any]]):
    """A list of result records as a pandas DataFrame.

    Nested dicts become ``outer.inner`` columns: a Pareto point
    ``{index, outcome: {issue: value}, utilities: {actor: u}}`` gives the
    columns ``index``, ``outcome.<issue>``…, ``utilities.<actor>``….
    Raises ImportError with an install hint if pandas is missing.
    """
    pd = _pandas()
    return pd.DataFrame([_flatten(r) for r in rows])


class Result(dict):
    """A result dict (the CLI's ``--json`` document) with table helpers.

    It is a plain ``dict`` (``==`` compares as one); ``to_pandas(key)``
    turns a list-valued entry into a DataFrame.
    """

    #: The list-valued keys ``to_pandas`` accepts by default.
    tables: tuple = ()

    def to_pandas(self, key: Optional[str] = None):
        """The list under ``key`` (default: the first of ``tables``) as a DataFrame."""
        key = key or (self.tables[0] if self.tables else None)
        if key is None or key not in self or not isinstance(self[key], list):
            raise KeyError(f"no table {key!r}; tables: {', '.join(self.tables)}")
        rows = self[key]
        if key == "relaxations":
            rows = [
                {
                    "drop": "; ".join(f"{c['actor']}: {c['rule']}" for c in r["drop"]),
                    "zopa_size": r["zopa_size"],
                    **({} if r.get("nash") is None else _flatten({"nash": r["nash"]["outcome"]})),
                }
                for r in rows
            ]
        return to_pandas(rows)


class Analysis(Result):
    """``accord analyze --json``; tables: pareto, win_sets, ratifiers, pareto_all, relaxations."""

    tables = ("pareto", "win_sets", "ratifiers", "pareto_all", "relaxations")


class Show(Result):
    """``accord show --json``; table: positions."""

    tables = ("positions",)


def analyze(scenario: Scenario, pareto_all: bool = False, top: int = 5) -> Analysis:
    """Win-sets, ZOPA, bargaining solutions, Pareto frontier, blockers and
    relaxations: the ``accord analyze --json`` dict (see the README's key table).

    ``pareto_all`` also computes the frontier of the whole feasible space;
    ``top`` is how many ZOPA outcomes (best Nash product first) to list.
    Runs on all cores without the GIL; Ctrl-C raises KeyboardInterrupt.
    """
    return Analysis(_accord.analyze(scenario, pareto_all=pareto_all, top=top))


def process(scenario: Scenario) -> Result:
    """Milestone schedule, or deadlocks with owners and minimal waivers
    (``accord process --json``)."""
    return Result(_accord.process(scenario))


def show(scenario: Scenario) -> Show:
    """The scenario in the file schema plus each actor's positions with
    sources (``accord show --json``)."""
    return Show(_accord.show(scenario))


def forecast(
    ktab: Optional[PathLike] = None,
    *,
    deu: Optional[PathLike] = None,
    issue: Optional[str] = None,
    model: str = "all",
) -> Result:
    """Forecasts with the compromise, median, expected-utility and SMP
    models (``accord forecast --json``) for a KTAB input (.csv/.xml) or a DEU
    CSV (optionally one ``issue``); ``model`` is one of compromise, median,
    eum, smp, all."""
    return Result(_accord.forecast(ktab, deu=deu, issue=issue, model=model))


def backtest(deu: PathLike, seed: int = 0, *, resamples: int = 2000) -> Result:
    """Scores the forecasting models against the outcomes in a DEU CSV
    (``accord backtest --json``); the same seed gives the same result."""
    return Result(_accord.backtest(deu, seed, resamples=resamples))

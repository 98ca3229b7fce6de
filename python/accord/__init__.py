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

from typing import Any, Dict, List, Optional, Sequence, Union
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
    "TOURNAMENT_NEGOTIATORS",
    "analyze",
    "analyze_nonlinear",
    "backtest",
    "bundled_names",
    "flagship",
    "forecast",
    "forecast_scenario",
    "from_dict",
    "load",
    "load_bundled",
    "load_genius",
    "process",
    "sensitivity",
    "show",
    "simulate",
    "timeline",
    "to_pandas",
    "tournament",
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


class NonlinearAnalysis(Result):
    """``accord analyze --genius DIR --json`` on a non-linear domain; table: pareto."""

    tables = ("pareto",)


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


def analyze_nonlinear(path: PathLike, max_nodes: int = 100_000_000) -> NonlinearAnalysis:
    """A non-linear (hyper-rectangle) GENIUS negotiation, exactly: the
    ``accord analyze --genius DIR --json`` dict (``scenario``, ``outcomes``,
    ``method``, ``exact``, ``gap``, ``search``, ``disagreement``,
    ``solutions``, ``pareto``).

    ``path`` is a folder holding one domain XML file and its
    ``type="nonlinear"`` profiles; the branch and bound visits at most
    ``max_nodes`` nodes, and a run it cuts short says so (``exact`` false,
    a certified ``gap``). Ctrl-C raises KeyboardInterrupt.
    """
    return NonlinearAnalysis(_accord.analyze_nonlinear(path, max_nodes=max_nodes))


def process(scenario: Scenario) -> Result:
    """Milestone schedule, or deadlocks with owners and minimal waivers
    (``accord process --json``)."""
    return Result(_accord.process(scenario))


def show(scenario: Scenario) -> Show:
    """The scenario in the file schema plus each actor's positions with
    sources (``accord show --json``)."""
    return Show(_accord.show(scenario))


def forecast(
    ktab: Union[None, PathLike, Scenario] = None,
    *,
    deu: Optional[PathLike] = None,
    issue: Optional[str] = None,
    model: str = "all",
) -> Result:
    """Forecasts with the compromise, median, expected-utility and SMP
    models (``accord forecast --json``) for a KTAB input (.csv/.xml) or a DEU
    CSV (optionally one ``issue``); ``model`` is one of compromise, median,
    eum, smp, all. Given a ``Scenario`` instead of a KTAB file it is
    ``forecast_scenario(scenario, model=model)``."""
    if isinstance(ktab, Scenario):
        if deu is not None or issue is not None:
            raise ValueError("deu= and issue= do not apply to a scenario")
        return forecast_scenario(ktab, model=model)
    return Result(_accord.forecast(ktab, deu=deu, issue=issue, model=model))


def forecast_scenario(scenario: Scenario, model: str = "all") -> Result:
    """The forecasting models on a scenario (``accord forecast FILE --json``):
    ``models`` maps model → issue → ``forecast`` (on the issue's own scale),
    ``label`` (the nearest option for option issues), ``scale_0_100`` and
    ``rounds``; ``not_forecastable`` lists the issues spatial models cannot
    take. ``model`` is one of compromise, median, eum, smp, all."""
    return Result(_accord.forecast_scenario(scenario, model=model))


class Timeline(Result):
    """``accord timeline --json``; table: steps."""

    tables = ("steps",)


def timeline(
    source: Union[Scenario, PathLike],
    assume: Sequence[str] = (),
    reject: Sequence[str] = (),
    reject_disputed: bool = False,
) -> Timeline:
    """The deal-space and process analyses rerun after each dated event
    (``accord timeline --json``): per step the event, ZOPA size, blocking
    sets, Nash solution, best relaxation, process state and what changed.

    The events live in the scenario's text, so ``source`` is a ``Scenario``
    loaded from a file, text or bundled name (and not edited since), or
    such a path, text or name. ``assume`` applies disputed events,
    ``reject`` skips events, and ``reject_disputed`` skips every disputed
    event not assumed. Ctrl-C raises KeyboardInterrupt.
    """
    return Timeline(
        _accord.timeline(
            source, assume=list(assume), reject=list(reject), reject_disputed=reject_disputed
        )
    )


class Sensitivity(Result):
    """``accord sensitivity --json``; tables: inputs, correlations, not_forecastable."""

    tables = ("inputs", "correlations", "not_forecastable")


def sensitivity(
    scenario: Scenario,
    runs: int = 1000,
    seed: int = 0,
    deal_runs: int = 50,
    models: Union[None, str, Sequence[str]] = None,
    top: int = 10,
) -> Sensitivity:
    """Monte Carlo over the scenario's uncertain numbers
    (``accord sensitivity --json``): each model's forecast spread per issue
    (``forecasts``), the share of the first ``deal_runs`` runs with a ZOPA
    and where the Nash solution lands (``deal``), and the ``top`` inputs
    that move the results most (``correlations``, Spearman).

    Run i draws from a generator keyed by (``seed``, i): the same seed gives
    the same dict. ``models`` is a model name or a list of them (compromise,
    median, eum, smp; default all). Runs on all cores without the GIL;
    Ctrl-C raises KeyboardInterrupt.
    """
    if isinstance(models, str):
        models = [models]
    return Sensitivity(
        _accord.sensitivity(
            scenario,
            runs=runs,
            seed=seed,
            deal_runs=deal_runs,
            models=None if models is None else list(models),
            top=top,
        )
    )


def _names(v: Union[str, Sequence[str]]) -> List[str]:
    return [x.strip() for x in v.split(",")] if isinstance(v, str) else list(v)


class Simulation(Result):
    """``accord simulate --json``; table: trace (with ``trace=True``)."""

    tables = ("trace",)


def simulate(
    scenario: Scenario,
    mechanism: str = "saop",
    negotiators: Union[str, Sequence[str]] = ("boulware", "conceder"),
    rounds: int = 100,
    seed: int = 0,
    trace: bool = False,
    parties: Union[None, str, Sequence[str]] = None,
    discount: float = 1.0,
    vote: str = "unanimous",
) -> Simulation:
    """One agent negotiation (``accord simulate --json``): ``status``
    (agreement, deadline or ended_by), ``ended_by``, ``agreement`` (issue →
    value), ``utilities`` (party → utility) and ``rounds``; with ``trace``
    every offer and response.

    ``mechanism`` is saop (bilateral alternating offers), multilateral or
    mediated (a single text; ``vote`` "unanimous" or "majority").
    ``negotiators`` gives one negotiator per party in order, or one for all
    (boulware, linear, conceder, time:E, tit-for-tat, hardliner, random,
    nash, frequency); ``parties`` are actor ids (default: the first two
    actors for saop, all otherwise). The same seed gives the same dict.
    """
    return Simulation(
        _accord.simulate(
            scenario,
            mechanism=mechanism,
            negotiators=_names(negotiators),
            rounds=rounds,
            seed=seed,
            trace=trace,
            parties=None if parties is None else _names(parties),
            discount=discount,
            vote=vote,
        )
    )


class Tournament(Result):
    """``accord tournament --json``; table: runs."""

    tables = ("runs",)


#: The negotiators ``tournament`` pits against each other by default.
TOURNAMENT_NEGOTIATORS = (
    "boulware",
    "linear",
    "conceder",
    "tit-for-tat",
    "hardliner",
    "random",
    "nash",
    "frequency",
)


def tournament(
    scenarios: Union[Scenario, PathLike, Sequence[Union[Scenario, PathLike]]],
    negotiators: Union[str, Sequence[str]] = TOURNAMENT_NEGOTIATORS,
    reps: int = 1,
    seed: int = 0,
    rounds: int = 100,
    discount: float = 1.0,
) -> Tournament:
    """Every pair of ``negotiators`` on every scenario (its first two
    actors), in both roles, ``reps`` times, under bilateral SAOP
    (``accord tournament --json``): ``runs`` (each negotiation) and
    ``negotiators`` (per negotiator: runs, agreement rate, mean utility,
    welfare, distances to the Pareto frontier and the Nash point, rounds).

    ``scenarios`` is a ``Scenario``, a path or bundled name, or a list of
    them. Run i is seeded from (``seed``, i): the same seed gives the same
    dict. Runs on all cores without the GIL; Ctrl-C raises KeyboardInterrupt.
    """
    if isinstance(scenarios, (Scenario, str, os.PathLike)):
        scenarios = [scenarios]
    loaded = [s if isinstance(s, Scenario) else load(s) for s in scenarios]
    return Tournament(
        _accord.tournament(
            loaded,
            negotiators=_names(negotiators),
            reps=reps,
            seed=seed,
            rounds=rounds,
            discount=discount,
        )
    )


def backtest(
    deu: PathLike, seed: int = 0, *, resamples: int = 2000, level: float = 0.95
) -> Result:
    """Scores the forecasting models against the outcomes in a DEU CSV
    (``accord backtest --json``), with intervals at confidence ``level``;
    the same seed gives the same result."""
    return Result(_accord.backtest(deu, seed, resamples=resamples, level=level))

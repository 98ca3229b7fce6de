"""Type stubs for the native module ``accord._accord`` (see ``accord``)."""

import os
from typing import Any, Dict, List, Optional, Sequence, Union

_Path = Union[str, "os.PathLike[str]"]
_Json = Dict[str, Any]

class ScenarioError(ValueError):
    """A scenario that cannot be loaded; ``str(e)`` is the located report of
    ``accord check``."""

    diagnostics: List[Dict[str, Any]]
    """``{file, line, column, message, path}`` per problem, in file order."""

class DataError(ValueError):
    """A KTAB or DEU file that cannot be read."""

class AnalysisError(RuntimeError):
    """A valid scenario the analysis cannot run on (e.g. too large)."""

class Scenario:
    """A checked scenario; edit in place, analyse with ``accord.analyze``."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def as_of(self) -> str: ...
    @property
    def source(self) -> str:
        """Where it was read from (file name, bundled file, ``<string>``, ``<dict>``)."""
    @property
    def actors(self) -> List[str]: ...
    @property
    def issues(self) -> List[str]: ...
    @property
    def red_lines(self) -> List[Dict[str, str]]:
        """``{id, actor, rule}`` per red line."""
    @property
    def outcomes(self) -> int:
        """Size of the outcome space."""
    def to_dict(self) -> _Json:
        """The file schema as a dict; ``accord.from_dict`` reads it back."""
    def to_toml(self) -> str: ...
    def copy(self) -> "Scenario": ...
    def __copy__(self) -> "Scenario": ...
    def __deepcopy__(self, memo: Any) -> "Scenario": ...
    def __reduce__(self) -> Any:
        """Pickles as ``accord.from_dict(self.to_dict())``."""
    def drop_red_line(self, id: str, actor: Optional[str] = None) -> None:
        """Removes a red line in place; KeyError if there is none."""
    def set_reservation(self, actor: str, value: float) -> None:
        """Sets a reservation value in [0, 1] in place."""
    def set_weight(self, actor: str, issue: str, weight: float) -> None:
        """Sets a weight in [0, 1] and rescales the actor's other weights so
        they still sum to 1 (ratios kept); ValueError if impossible."""
    def analyze(self, pareto_all: bool = False, top: int = 5) -> Dict[str, Any]:
        """``accord.analyze(self, ...)``."""
    def process(self) -> Dict[str, Any]:
        """``accord.process(self)``."""
    def show(self) -> Dict[str, Any]:
        """``accord.show(self)``."""

def load(source: _Path, *, syntax: Optional[str] = None) -> Scenario:
    """A file path, scenario text (a string with a newline or a leading ``{``) or bundled name."""
def load_bundled(name: str) -> Scenario: ...
def bundled_names() -> List[str]: ...
def flagship() -> Scenario: ...
def from_dict(d: _Json) -> Scenario: ...
def load_genius(path: _Path, *, real_levels: int = 11, as_of: str = "1970-01-01") -> Scenario:
    """A folder with one GENIUS domain XML file and its profiles."""
def validate(source: _Path, *, strict: bool = False, syntax: Optional[str] = None) -> _Json:
    """The ``accord check --json`` dict; does not raise on bad content."""
def analyze(scenario: Scenario, *, pareto_all: bool = False, top: int = 5) -> _Json: ...
def analyze_nonlinear(path: _Path, *, max_nodes: int = 100_000_000) -> _Json:
    """``accord analyze --genius DIR --json`` on a non-linear GENIUS folder."""
def process(scenario: Scenario) -> _Json: ...
def show(scenario: Scenario) -> _Json: ...
def forecast(
    ktab: Optional[_Path] = None,
    *,
    deu: Optional[_Path] = None,
    issue: Optional[str] = None,
    model: str = "all",
) -> _Json: ...
def backtest(
    deu: _Path, seed: int = 0, *, resamples: int = 2000, level: float = 0.95
) -> _Json: ...
def forecast_scenario(scenario: Scenario, *, model: str = "all") -> _Json:
    """``accord forecast FILE --json`` for a scenario."""
def timeline(
    source: Union[Scenario, _Path],
    *,
    assume: Sequence[str] = ...,
    reject: Sequence[str] = ...,
    reject_disputed: bool = False,
) -> _Json:
    """``accord timeline --json``; needs the scenario's text (its events)."""
def sensitivity(
    scenario: Scenario,
    *,
    runs: int = 1000,
    seed: int = 0,
    deal_runs: int = 50,
    models: Optional[List[str]] = None,
    top: int = 10,
) -> _Json:
    """``accord sensitivity --json``; the same seed gives the same result."""
def simulate(
    scenario: Scenario,
    *,
    mechanism: str = "saop",
    negotiators: List[str] = ...,
    rounds: int = 100,
    seed: int = 0,
    trace: bool = False,
    parties: Optional[List[str]] = None,
    discount: float = 1.0,
    vote: str = "unanimous",
) -> _Json:
    """``accord simulate --json``; the same seed gives the same result."""
def tournament(
    scenarios: List[Scenario],
    *,
    negotiators: Optional[List[str]] = None,
    reps: int = 1,
    seed: int = 0,
    rounds: int = 100,
    discount: float = 1.0,
) -> _Json:
    """``accord tournament --json``; the same seed gives the same result."""

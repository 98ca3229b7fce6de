"""Non-linear (hyper-rectangle) GENIUS analysis from Python, on the
project's own domain data/genius/grid (625 outcomes)."""

import pytest

import accord

# data/genius/grid/pareto.xml, computed by brute force (data/genius/pareto.py).
FRONTIER = [(0.4, 1.0), (0.7, 0.875), (0.8, 0.75), (1.0, 0.4375)]


def test_grid_is_solved_exactly(data):
    r = accord.analyze_nonlinear(data / "genius" / "grid")
    assert r["exact"] is True
    assert r["gap"] is None
    assert r["outcomes"] == 625
    assert r["method"] == "search"
    assert r["disagreement"] == {"profile-1": 0.3, "profile-2": 0.2}
    got = [(p["utilities"]["profile-1"], p["utilities"]["profile-2"]) for p in r["pareto"]]
    assert got == FRONTIER
    # Nash products from (0.3, 0.2): 0.08, 0.27, 0.275, 0.16625: (0.8, 0.75).
    nash = r["solutions"]["nash"]
    assert (nash["utilities"]["profile-1"], nash["utilities"]["profile-2"]) == (0.8, 0.75)
    assert nash["score"] == pytest.approx(0.275, abs=1e-12)
    assert len(r.to_pandas()) == 4


def test_a_small_node_budget_says_what_it_proved(data):
    r = accord.analyze_nonlinear(data / "genius" / "grid", max_nodes=3)
    assert r["exact"] is False
    assert r["search"]["nodes"] == 3
    assert r["gap"] is not None


def test_same_document_as_the_cli(cli, data):
    path = data / "genius" / "grid"
    assert accord.analyze_nonlinear(path) == cli.json("analyze", "--genius", path)


def test_linear_folders_and_missing_ones_are_refused(data):
    with pytest.raises(ValueError, match="load_genius"):
        accord.analyze_nonlinear(data / "genius" / "lease")
    with pytest.raises(FileNotFoundError):
        accord.analyze_nonlinear("/nonexistent/genius")

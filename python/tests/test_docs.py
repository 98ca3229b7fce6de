"""The examples in docs/python.md run (the plot only with matplotlib and pandas)."""

import re

import pytest

from conftest import REPO


def blocks():
    md = (REPO / "docs" / "python.md").read_text()
    return re.findall(r"```python\n(.*?)```", md, re.S)


def test_session_and_what_if_examples_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    b = blocks()
    g = {}
    exec(compile(b[0], "docs/python.md session", "exec"), g)
    assert g["a"]["zopa"]["size"] == 0
    out = capsys.readouterr().out
    assert "block 1:" in out and "block 2:" in out
    exec(compile(b[2], "docs/python.md what-ifs", "exec"), g)
    assert g["tr2"].title == "Triad, edited"


def test_plot_example_runs(tmp_path, monkeypatch):
    pytest.importorskip("pandas")
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    monkeypatch.chdir(tmp_path)
    b = blocks()
    g = {}
    exec(compile(b[0], "docs/python.md session", "exec"), g)
    exec(compile(b[1], "docs/python.md plot", "exec"), g)
    assert (tmp_path / "sale-pareto.png").stat().st_size > 1000

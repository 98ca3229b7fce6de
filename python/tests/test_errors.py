"""Bad input raises with the same located message `accord check` prints."""

import pytest

import accord

BAD = """[scenario]
id = "bad"
title = "Bad"
as_of = "2025-01-01"

[[actors]]
id = "A"
name = "A"
power = -3
"""


def test_bad_text_raises_the_check_message(cli, tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text(BAD)
    with pytest.raises(accord.ScenarioError) as e:
        accord.load(f)
    r = cli("check", f, expect=2)
    assert str(e.value) == r.stderr.rstrip("\n")
    assert f"{f}:" in str(e.value)
    d = e.value.diagnostics
    assert d and all({"file", "line", "column", "message", "path"} <= set(x) for x in d)
    assert d == cli.json("check", f, expect=2)["errors"]
    # ScenarioError is a ValueError.
    with pytest.raises(ValueError):
        accord.load(BAD)


def test_located_line_and_column(tmp_path):
    f = tmp_path / "syntax.toml"
    f.write_text('[scenario]\nid = "x"\ntitle = \n')
    with pytest.raises(accord.ScenarioError) as e:
        accord.load(f)
    (d,) = e.value.diagnostics
    assert (d["file"], d["line"]) == (str(f), 3)
    assert f"{f}:3:" in str(e.value)


def test_validate_returns_errors_like_check(cli, tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text(BAD)
    got = accord.validate(f)
    assert got["valid"] is False
    assert got == cli.json("check", f, expect=2)


def test_genius_bad_profile_is_located(data):
    with pytest.raises(accord.ScenarioError) as e:
        accord.load_genius(data / "genius" / "grid")
    # `<utility_space type="nonlinear">` on line 1: the value at column 22.
    assert "profile-1.xml:1:22" in str(e.value)
    assert "non-linear" in str(e.value)
    assert e.value.diagnostics[0]["line"] == 1


def test_missing_inputs():
    with pytest.raises(FileNotFoundError, match="bundled scenarios: ukraine-2025-12"):
        accord.load("no-such-scenario")
    with pytest.raises(KeyError):
        accord.load_bundled("no-such-scenario")
    with pytest.raises(FileNotFoundError):
        accord.load_genius("/nonexistent/genius")


def test_bad_data_file_raises_data_error(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("this,is\nnot,ktab\n")
    with pytest.raises(accord.DataError, match=str(f)):
        accord.forecast(f)


def test_backtest_with_nothing_to_score_raises_not_nan(tmp_path):
    # Regression: a DEU file with only its header scored 0 issues and
    # returned NaN mean errors.
    from conftest import DATA

    header = (DATA / "deu" / "deu3.csv").read_text().splitlines()[0]
    f = tmp_path / "header-only.csv"
    f.write_text(header + "\n")
    with pytest.raises(accord.DataError, match="no issue of .* can be scored"):
        accord.backtest(f, resamples=10)

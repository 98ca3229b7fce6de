"""The Python results equal the CLI's `--json` output, key for key."""

import accord


def test_flagship_analysis_equals_cli(cli):
    sc = accord.flagship()
    got = accord.analyze(sc)
    assert got == cli.json("analyze")
    # The flagship has no deal today: twelve blocking sets (docs/flagship.md),
    # relaxations, and no deal under any reading of its red lines.
    assert got["zopa"]["size"] == 0
    assert len(got["blockers"]) == 12
    assert got["readings"]["p_deal"] == 0.0
    assert got["relaxations"]


def test_flagship_show_process_check_equal_cli(cli):
    sc = accord.flagship()
    assert accord.show(sc) == cli.json("show")
    assert sc.process() == cli.json("process")
    assert accord.validate("ukraine-2025-12") == cli.json("check")
    strict = accord.validate("ukraine-2025-12", strict=True)
    assert strict == cli.json("check", "--strict", expect=0 if strict["valid"] else 2)


def test_sale_pareto_all_equals_cli(cli):
    sc = accord.load_bundled("sale")
    got = sc.analyze(pareto_all=True, top=3)
    assert got == cli.json("analyze", "sale", "--pareto-all", "--top", "3")
    assert got["zopa"]["size"] > 0
    assert got["pareto_all"]


def test_genius_lease_equals_cli(cli, data):
    # data/genius/lease: 5 rents x 3 terms x 11 deposits.
    lease = data / "genius" / "lease"
    sc = accord.load_genius(lease)
    assert sc.outcomes == 165
    assert len(sc.actors) == 2
    got = accord.analyze(sc)
    assert got == cli.json("analyze", "--genius", lease)
    assert got["outcomes"] == 165


def test_genius_laptop_equals_cli(cli, anac):
    laptop = anac / "genius" / "y2011" / "Laptop"
    sc = accord.load_genius(laptop)
    assert sc.outcomes == 27
    assert len(sc.actors) == 2
    got = accord.analyze(sc)
    assert got == cli.json("analyze", "--genius", laptop)
    assert got["outcomes"] == 27


def test_file_loaded_by_path_equals_cli(cli, tmp_path):
    f = tmp_path / "triad.json"
    import json

    f.write_text(json.dumps(accord.load_bundled("triad").to_dict(), indent=2))
    sc = accord.load(f)
    assert sc.source == str(f)
    assert accord.analyze(sc) == cli.json("analyze", f)


def test_forecast_ktab_and_deu_equal_cli(cli, data):
    ktab = data / "ktab" / "dummyData_3Dim.csv"
    got = accord.forecast(ktab)
    assert got == cli.json("forecast", "--ktab", ktab)
    assert set(got["models"]) == {"compromise", "median", "eum", "smp"}
    xml = data / "ktab" / "dummyData_3Dim.xml"
    assert accord.forecast(xml, model="smp") == cli.json("forecast", "--ktab", xml, "--model", "smp")
    deu = data / "deu" / "deu3.csv"
    assert accord.forecast(deu=deu, model="median") == cli.json(
        "forecast", "--deu", deu, "--model", "median"
    )


def test_backtest_equals_cli_and_is_deterministic(cli, data):
    deu = data / "deu" / "deu3.csv"
    a = accord.backtest(deu, seed=7, resamples=300)
    assert a == cli.json("backtest", "--deu", deu, "--seed", "7", "--resamples", "300")
    assert accord.backtest(deu, seed=7, resamples=300) == a
    assert a["issues_scored"] > 0
    assert set(a["mae"]) >= {"compromise", "median"}
    wide = accord.backtest(deu, seed=7, resamples=300, level=0.996)
    assert wide == cli.json(
        "backtest", "--deu", deu, "--seed", "7", "--resamples", "300", "--level", "0.996"
    )
    assert wide["level"] == 0.996 and a["level"] == 0.95

"""timeline, sensitivity, forecast on a scenario, simulate and tournament:
each equals the CLI's `--json` output, and the seeded ones are
deterministic."""

import _thread
import signal
import sys
import threading
import time

import pytest

import accord


def test_flagship_timeline_equals_cli(cli):
    sc = accord.flagship()
    got = accord.timeline(sc)
    assert got == cli.json("timeline")
    # The base positions and six dated events; Russia's reported
    # reassessment (not the disputed drone claim, which changes no position)
    # multiplies the blocking sets.
    assert [s["id"] for s in got["steps"]] == [
        "as_of",
        "mar-a-lago",
        "valdai-claim",
        "ru-reassessment",
        "beyond-15-years",
        "buffer-zone-order",
        "paris-contributions",
    ]
    assert [len(s["blockers"]) for s in got["steps"]] == [12, 12, 12, 56, 56, 56, 56]
    valdai = got["steps"][2]
    assert valdai["applied"] is True
    assert valdai["disputed"] == {"claimed_by": "RU", "denied_by": "UA"}
    # By bundled name, the same document.
    assert accord.timeline("ukraine-2025-12") == got


def test_timeline_choices_equal_cli(cli):
    got = accord.timeline("ukraine-2025-12", reject_disputed=True)
    assert got == cli.json("timeline", "--reject-disputed")
    assert got["steps"][2]["applied"] is False
    # Rejecting the disputed claim keeps the reassessment, reported either way.
    assert [len(s["blockers"]) for s in got["steps"]] == [12, 12, 12, 56, 56, 56, 56]
    # Assuming the disputed event overrides reject_disputed.
    assumed = accord.timeline(
        accord.flagship(), assume=["valdai-claim"], reject=["paris-contributions"],
        reject_disputed=True,
    )
    assert assumed["steps"][2]["applied"] is True
    assert assumed["steps"][6]["applied"] is False
    assert assumed["steps"][:6] == accord.timeline(accord.flagship())["steps"][:6]


def test_timeline_needs_the_source_text(tmp_path):
    sc = accord.flagship()
    assert len(accord.timeline(sc.copy())["steps"]) == 7
    sc.set_reservation("RU", 0.5)
    with pytest.raises(ValueError, match="no source text"):
        accord.timeline(sc)
    # A scenario without events has just the base step.
    sale = accord.timeline(accord.load_bundled("sale"))
    assert [s["id"] for s in sale["steps"]] == ["as_of"]
    assert sale["steps"][0]["zopa_size"] > 0


def test_flagship_sensitivity_equals_cli_and_is_deterministic(cli):
    sc = accord.flagship()
    got = accord.sensitivity(sc, runs=40, seed=3, deal_runs=3)
    assert got == cli.json("sensitivity", "--runs", "40", "--seed", "3", "--deal-runs", "3")
    assert got["runs_done"] == 40 and got["cancelled"] is False
    assert got["inputs"], "the flagship has uncertain numbers"
    assert list(got["forecasts"]) == ["compromise", "median", "eum", "smp"]
    assert got["deal"]["runs"] == 3
    assert accord.sensitivity(sc, runs=40, seed=3, deal_runs=3) == got
    other = accord.sensitivity(sc, runs=40, seed=4, deal_runs=3)
    assert other["forecasts"] != got["forecasts"]


def test_sensitivity_one_model_equals_cli(cli):
    sale = accord.load_bundled("sale")
    got = accord.sensitivity(sale, runs=20, deal_runs=5, models="median", top=3)
    assert got == cli.json(
        "sensitivity", "sale", "--runs", "20", "--deal-runs", "5", "--model", "median",
        "--top", "3",
    )
    assert list(got["forecasts"]) == ["median"]
    # sale has no uncertain inputs: a ZOPA in every run.
    assert got["deal"]["zopa_runs"] == 5
    with pytest.raises(ValueError, match="unknown model"):
        accord.sensitivity(sale, models=["median", "oracle"])


def test_forecast_on_a_scenario_equals_cli(cli):
    sc = accord.flagship()
    got = accord.forecast_scenario(sc)
    assert got == cli.json("forecast")
    assert got["scenario"] == "ukraine-2025-12"
    assert set(got["models"]) == {"compromise", "median", "eum", "smp"}
    assert accord.forecast(sc) == got
    triad = accord.load_bundled("triad")
    assert accord.forecast(triad, model="eum") == cli.json(
        "forecast", "triad", "--model", "eum"
    )


def test_simulate_equals_cli_and_is_deterministic(cli):
    sale = accord.load_bundled("sale")
    got = accord.simulate(sale)
    assert got == cli.json("simulate", "sale")
    assert got["status"] == "agreement"
    assert got["agreement"] == {"price": 8.0, "delivery": "express"}
    assert got["rounds"] == 91
    traced = accord.simulate(
        sale, negotiators=["random", "tit-for-tat"], rounds=30, seed=5, trace=True
    )
    assert traced == cli.json(
        "simulate", "sale", "--negotiators", "random,tit-for-tat", "--rounds", "30",
        "--seed", "5", "--trace",
    )
    assert traced["trace"] and traced["trace"][0]["action"] == "offer"
    assert accord.simulate(
        sale, negotiators=["random", "tit-for-tat"], rounds=30, seed=5, trace=True
    ) == traced
    assert traced.to_pandas("trace").shape[0] == len(traced["trace"])


def test_simulate_mediated_with_parties_equals_cli(cli):
    triad = accord.load_bundled("triad")
    got = accord.simulate(
        triad, mechanism="mediated", negotiators="boulware", parties=["C", "A"],
        vote="majority", trace=True,
    )
    assert got == cli.json(
        "simulate", "triad", "--mechanism", "mediated", "--negotiators", "boulware",
        "--parties", "C,A", "--vote", "majority", "--trace",
    )
    assert list(got["utilities"]) == ["C", "A"]
    with pytest.raises(KeyError, match="no actor `Z`"):
        accord.simulate(triad, parties=["A", "Z"])
    with pytest.raises(ValueError, match="unknown negotiator"):
        accord.simulate(triad, negotiators=["boulware", "psychic"])
    with pytest.raises(ValueError, match="3 negotiators for 2 parties"):
        accord.simulate(triad, negotiators=["boulware"] * 3)


def test_tournament_equals_cli_and_is_deterministic(cli):
    sale = accord.load_bundled("sale")
    got = accord.tournament(sale, reps=2, seed=9, rounds=50)
    assert got == cli.json("tournament", "sale", "--reps", "2", "--seed", "9", "--rounds", "50")
    # 8 negotiators, ordered pairs including self-play, 2 reps.
    assert len(got["runs"]) == 8 * 8 * 2
    assert list(got["negotiators"]) == list(accord.TOURNAMENT_NEGOTIATORS)
    assert accord.tournament([sale], reps=2, seed=9, rounds=50) == got
    two = accord.tournament(
        [sale, "triad"], negotiators=["boulware", "random", "nash"], seed=1
    )
    assert two == cli.json(
        "tournament", "sale", "triad", "--negotiators", "boulware,random,nash", "--seed", "1"
    )
    assert {r["scenario"] for r in two["runs"]} == {"sale", "triad"}
    assert two.to_pandas().shape[0] == len(two["runs"])


@pytest.mark.skipif(sys.version_info < (3, 10), reason="interrupt_main(signum) needs 3.10")
def test_ctrl_c_interrupts_a_long_sensitivity(ctrl_c):
    sc = accord.flagship()
    # 200000 runs take well over a minute; Ctrl-C after 0.3 s stops them.
    timer = threading.Timer(0.3, lambda: _thread.interrupt_main(signal.SIGINT))
    timer.start()
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        accord.sensitivity(sc, runs=200_000, deal_runs=0)
        time.sleep(30)  # if the run finished first, the interrupt lands here: fail below
    stopped = time.perf_counter() - start
    timer.join()
    assert stopped < 5, stopped

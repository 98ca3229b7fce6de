"""Editing a scenario from Python and analysing it again."""

import copy

import pytest

import accord


def test_dropping_a_relaxation_opens_exactly_that_deal():
    sc = accord.load_bundled("triad")
    before = accord.analyze(sc)
    assert before["zopa"]["size"] == 0
    assert before["solutions"]["nash"] is None
    # The smallest relaxation the analysis names: A's `years` and B's
    # `troops` and `zone` red lines.
    first = before["relaxations"][0]
    ids = [(c["actor"], c["id"]) for c in first["drop"]]
    assert ids == [("A", "A-years"), ("B", "B-troops"), ("B", "B-zone")]
    assert first["zopa_size"] == 12

    edited = sc.copy()
    # Dropping two of the three leaves a blocking set in place: still no deal.
    edited.drop_red_line("A-years")
    edited.drop_red_line("B-troops")
    assert accord.analyze(edited)["zopa"]["size"] == 0
    edited.drop_red_line("B-zone", actor="B")
    after = edited.analyze()
    assert after["zopa"]["size"] == 12
    assert after["blockers"] == []
    assert after["solutions"]["nash"]["outcome"] == first["nash"]["outcome"]
    assert after["solutions"]["nash"]["outcome"] == {"troops": "un", "years": 20.0, "zone": "dmz"}
    # The original is untouched.
    assert accord.analyze(sc) == before
    assert len(sc.red_lines) == 6 and len(edited.red_lines) == 3
    with pytest.raises(KeyError):
        edited.drop_red_line("B-zone")


def test_dict_round_trip_gives_the_same_analysis():
    sc = accord.load_bundled("sale")
    d = sc.to_dict()
    assert d == accord.show(sc)["scenario"]
    back = accord.from_dict(d)
    assert back.source == "<dict>"
    assert accord.analyze(back) == accord.analyze(sc)
    assert accord.analyze(copy.deepcopy(sc)) == accord.analyze(sc)


def test_from_dict_errors_are_located():
    d = accord.load_bundled("sale").to_dict()
    d["actors"][0]["power"] = -1
    with pytest.raises(accord.ScenarioError) as e:
        accord.from_dict(d)
    assert "<dict>:" in str(e.value)
    assert e.value.diagnostics[0]["path"].startswith("actors[0]")


def test_reservation_shrinks_the_zopa():
    sc = accord.load_bundled("sale")
    before = accord.analyze(sc)
    seller = sc.actors[0]
    sc.set_reservation(seller, 0.9)
    after = accord.analyze(sc)
    assert after["disagreement"][seller] == 0.9
    assert after["zopa"]["size"] < before["zopa"]["size"]
    assert accord.show(sc)["scenario"] == sc.to_dict()
    with pytest.raises(ValueError):
        sc.set_reservation(seller, 1.5)
    with pytest.raises(KeyError):
        sc.set_reservation("nobody", 0.5)


def test_set_weight_renormalises():
    sc = accord.load_bundled("sale")
    actor = sc.actors[0]
    issue, other = sc.issues[0], sc.issues[1]
    pos = {(p["actor"], p["issue"]): p["weight"] for p in accord.show(sc)["positions"]}
    sc.set_weight(actor, issue, 0.25)
    new = {(p["actor"], p["issue"]): p["weight"] for p in accord.show(sc)["positions"]}
    assert new[(actor, issue)] == 0.25
    assert sum(w for (a, _), w in new.items() if a == actor) == pytest.approx(1.0, abs=1e-12)
    if pos[(actor, other)] > 0:
        assert new[(actor, other)] == pytest.approx(0.75 * pos[(actor, other)] / (1 - pos[(actor, issue)]))
    # The edited scenario still reads back (weights sum to 1).
    assert accord.analyze(accord.from_dict(sc.to_dict())) == accord.analyze(sc)
    with pytest.raises(ValueError):
        sc.set_weight(actor, issue, -0.1)


def test_scenarios_pickle_through_their_dict():
    import pickle

    sc = accord.load_bundled("triad")
    sc.drop_red_line("A-years")
    back = pickle.loads(pickle.dumps(sc))
    assert back.to_dict() == sc.to_dict()
    assert accord.analyze(back) == accord.analyze(sc)


def test_load_text_toml_and_json():
    import json

    sale = accord.load_bundled("sale")
    from_toml = accord.load(sale.to_toml())
    assert from_toml.source == "<string>"
    from_json = accord.load(json.dumps(sale.to_dict()))  # one line, leading "{"
    assert accord.analyze(from_toml) == accord.analyze(from_json) == accord.analyze(sale)

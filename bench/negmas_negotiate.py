#!/usr/bin/env python3
"""Helper of negmas_negotiate.sh: bilateral SAO negotiations with NegMAS's
time-based negotiators on a GENIUS folder written by `accord export genius`.

  negmas DIR ROUNDS PAIRS BUDGET_S MAX_REPS OUT.json
      PAIRS: comma-separated ordered pairings such as "boulware:conceder,linear:linear".
      Runs every pairing once per repetition (fresh SAOMechanism and negotiators
      each time), repeating until BUDGET_S seconds have passed or MAX_REPS
      repetitions are done (at least one). Timed: the negotiation loop only
      (not `import negmas` nor loading the scenario). Writes, per pairing, the
      first repetition's agreement (step, outcome, utilities) and whether every
      repetition ended the same way.
  row DIR DOMAIN ROUNDS SETTING ACCORD_S ACCORD_RUNS NEGMAS.json ACCORD.json [MATCHED.json]
      one markdown row of negmas_negotiate.sh's table (and one line of the
      agreement details on stderr); Accord's agreement is re-evaluated with
      NegMAS's ufuns, which must give Accord's own utilities.
"""
import json
import os
import sys
import time


def load(folder):
    from negmas.inout import Scenario

    # Accord's export carries no discount; keep NegMAS from adding one anyway.
    return Scenario.load(folder, ignore_discount=True)


def negotiator_class(name):
    from negmas.gb.negotiators.timebased import (
        BoulwareTBNegotiator,
        ConcederTBNegotiator,
        LinearTBNegotiator,
    )

    return {"boulware": BoulwareTBNegotiator, "conceder": ConcederTBNegotiator,
            "linear": LinearTBNegotiator}[name]


def run_one(s, a, b, rounds, inverter):
    from negmas.sao import SAOMechanism

    m = SAOMechanism(outcome_space=s.outcome_space, n_steps=rounds, time_limit=None)
    kw = {} if inverter is None else {"ufun_inverter": inverter}
    m.add(negotiator_class(a)(name=a + "0", **kw), ufun=s.ufuns[0])
    m.add(negotiator_class(b)(name=b + "1", **kw), ufun=s.ufuns[1])
    state = m.run()
    agreement = state.agreement
    names = [i.name for i in s.outcome_space.issues]
    # The round (0-based step) of the accepted offer, from the trace.
    trace = m.full_trace
    last = trace[-1] if trace else None
    return {
        "agreement": None if agreement is None else dict(zip(names, map(str, agreement))),
        "step": None if last is None else last.step,
        "time": None if last is None else last.relative_time,
        "steps_run": state.step,
        "utilities": [float(u(agreement)) if agreement is not None else None for u in s.ufuns],
        "reserved": [float(u.reserved_value) for u in s.ufuns],
    }


def negmas_cmd(folder, rounds, pairs, budget, max_reps, out):
    s = load(folder)
    mode = os.environ.get("NEGMAS_INVERTER", "cached")
    # "cached": the inverse ufun is built once per ufun and reused by every
    # negotiation (as Accord builds each party's sorted list once per process);
    # "default": NegMAS's default, rebuilt by each negotiator.
    inverter = (lambda u: u.invert()) if mode == "cached" else None
    pairs = [tuple(p.split(":")) for p in pairs.split(",")]
    first, same, n, reps = {}, {}, 0, 0
    t0 = time.perf_counter()
    while reps < max_reps and (reps == 0 or time.perf_counter() - t0 < budget):
        for a, b in pairs:
            r = run_one(s, a, b, rounds, inverter)
            key = f"{a}:{b}"
            if key not in first:
                first[key] = r
                same[key] = True
            else:
                same[key] &= r["agreement"] == first[key]["agreement"] and r["step"] == first[key]["step"]
            n += 1
        reps += 1
    secs = time.perf_counter() - t0
    json.dump({"outcomes": int(s.outcome_space.cardinality), "negotiations": n, "reps": reps, "seconds": secs, "inverter": mode,
               "runs": {k: dict(v, repeatable=same[k]) for k, v in first.items()}},
              open(out, "w"), indent=1)


def fmt_u(us):
    return "(" + ", ".join(f"{u:.4f}" for u in us) + ")"


def accord_agreement(s, folder, path):
    """(round, outcome, utilities under NegMAS's ufuns) of an `accord simulate --json`."""
    a = json.load(open(path))
    if a.get("agreement") is None:
        return None
    names = [i.name for i in s.outcome_space.issues]
    outcome = tuple(a["agreement"][k] for k in names)
    mine = [float(u(outcome)) for u in s.ufuns]
    theirs = list(a["utilities"].values())
    # Same numbers under both tools' utility functions (party order aside).
    assert sorted(round(x, 9) for x in mine) == sorted(round(x, 9) for x in theirs), (mine, theirs)
    return {"round": a["rounds"] - 1, "outcome": dict(zip(names, outcome)), "utilities": mine}


def row_cmd(folder, domain, rounds, setting, accord_s, accord_runs, nfile, afile, mfile=None):
    s = load(folder)
    n = json.load(open(nfile))
    key = "boulware:conceder" if setting == "B–C" else "linear:linear"
    nr = n["runs"][key]
    a = accord_agreement(s, folder, afile)
    m = accord_agreement(s, folder, mfile) if mfile else None
    a_rate = int(accord_runs) / float(accord_s)
    n_rate = n["negotiations"] / n["seconds"]

    def agr(x, step_key="round"):
        if x is None or x.get("outcome", x.get("agreement")) is None:
            return "none"
        return f"r{x[step_key]} {fmt_u(x['utilities'])}"

    nag = None if nr["agreement"] is None else {"step": nr["step"], "utilities": nr["utilities"],
                                                "outcome": nr["agreement"]}
    same = "–" if a is None or nag is None else ("same" if a["outcome"] == nag["outcome"] else "differs")
    print(f"| {domain} | {n['outcomes']} | {rounds} | {setting} | {n_rate:.1f} | {a_rate:.0f} | "
          f"{a_rate / n_rate:.0f}x | {agr(nag, 'step')} | {agr(a)} | {same} | "
          f"{agr(m) if mfile else '–'} |")
    detail = {"domain": domain, "rounds": int(rounds), "setting": setting,
              "negmas": {"step": nr["step"], "time": nr["time"], "outcome": nr["agreement"],
                         "utilities": nr["utilities"], "repeatable": nr["repeatable"],
                         "negotiations": n["negotiations"], "seconds": n["seconds"]},
              "accord": a, "accord_matched_exponents": m,
              "accord_runs": int(accord_runs), "accord_seconds": float(accord_s)}
    print(json.dumps(detail), file=sys.stderr)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "negmas":
        negmas_cmd(sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]),
                   int(sys.argv[6]), sys.argv[7])
    elif cmd == "row":
        row_cmd(*sys.argv[2:])

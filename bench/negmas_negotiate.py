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
  model DIR ROUNDS A:B        a model of both tools' time-based agents on the
      enumerated outcomes, moving from Accord's definitions to NegMAS's one
      difference at a time (exponents, relative time, floor, tolerance), to
      attribute every difference between the two tools' agreements.
  check OUTDIR                does the model's first step give Accord's agreement and
      its last step NegMAS's, in every cell of agreements.jsonl?
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
    """(round, outcome, utilities under NegMAS's ufuns) of an `accord simulate --json`
    on the scenario `folder/../s.toml` that `folder` was exported from."""
    import tomllib

    a = json.load(open(path))
    if a.get("agreement") is None:
        return None
    sc = tomllib.load(open(os.path.join(folder, "..", "s.toml"), "rb"))
    opt = lambda o: (o, o) if isinstance(o, str) else (o["id"], o.get("label", o["id"]))
    label = {i["id"]: (i["name"], dict(map(opt, i["options"]))) for i in sc["issues"]}
    named = {label[k][0]: label[k][1][v] for k, v in a["agreement"].items()}
    names = [i.name for i in s.outcome_space.issues]
    outcome = tuple(named[k] for k in names)
    mine = [float(u(outcome)) for u in s.ufuns]
    # Party order: NegMAS's first ufun must be Accord's first actor (first proposer).
    theirs = [a["utilities"][x["id"]] for x in sc["actors"][:2]]
    assert all(abs(x - y) <= 1e-9 for x, y in zip(mine, theirs)), (mine, theirs)
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


ACCORD_E = {"boulware": 0.2, "linear": 1.0, "conceder": 2.0}
NEGMAS_P = {"boulware": 4.0, "linear": 1.0, "conceder": 0.25}


def utility_grid(s):
    """Every outcome's utility per party, in Accord's outcome order (last issue fastest)."""
    import itertools

    import numpy as np

    issues = s.outcome_space.issues
    grids = []
    for u in s.ufuns:
        parts = [np.array([float(u.weights[i]) * float(u.values[i](v)) for v in iss.all])
                 for i, iss in enumerate(issues)]
        g = np.zeros([len(p) for p in parts])
        for i, p in enumerate(parts):
            shape = [1] * len(parts)
            shape[i] = len(p)
            g = g + p.reshape(shape)
        g = g.ravel()
        # Spot-check against the ufun itself.
        for k, o in zip(range(0, len(g), max(1, len(g) // 7)),
                        itertools.islice(itertools.product(*[iss.all for iss in issues]), 0, None,
                                         max(1, len(g) // 7))):
            assert abs(g[k] - float(u(o))) < 1e-9, (k, g[k], u(o))
        grids.append(g)
    return grids


def model_run(U, res, rounds, exps, time_mode, floor_mode, eps, ties="index"):
    """Bilateral alternating offers between two time-based agents.
    target_i(t) = M_i - (M_i - f_i) * t^exps[i]; offer the lowest utility at or above
    target - eps (ties: lowest index, or "negmas": the order numpy's default
    unstable argsort gives the rational outcomes, as NegMAS's presorting
    inverter does); accept an offer at or above target - eps."""
    import numpy as np

    parties = []
    for u, r in zip(U, res):
        if ties == "index":
            order = np.lexsort((np.arange(len(u)), u))  # by utility, then index
            order = order[(u >= r - 1e-9)[order]]
        else:
            rational = np.flatnonzero(u >= r)
            order = rational[np.argsort(u[rational])]
        su = u[order]
        floor = r if floor_mode == "accord" else max(float(u.min()), r)
        parties.append((u, order, su, float(su[-1]), floor))

    def t_of(k):
        if time_mode == "accord":
            return 1.0 if rounds <= 1 else k / (rounds - 1)
        return (k + 1) / (rounds + 1)

    standing = None
    for k in range(rounds):
        t = t_of(k)
        for p in (0, 1):
            u, order, su, mx, floor = parties[p]
            target = mx - (mx - floor) * t ** exps[p]
            if standing is not None and standing[1] != p and u[standing[0]] >= target - eps:
                x = standing[0]
                return {"round": k, "index": int(x), "utilities": [float(U[0][x]), float(U[1][x])]}
            i = int(np.searchsorted(su, target - eps, side="left"))
            x = order[min(i, len(order) - 1)]
            standing = (x, p)
    return None


def model_cmd(folder, rounds, pair):
    s = load(folder)
    U = utility_grid(s)
    a, b = pair.split(":")
    res = [max(float(u.reserved_value), -1e300) for u in s.ufuns]
    steps = [
        ("Accord (e = %g, %g)" % (ACCORD_E[a], ACCORD_E[b]),
         [1 / ACCORD_E[a], 1 / ACCORD_E[b]], "accord", "accord", 1e-9),
        ("+ NegMAS exponents (t^%g, t^%g)" % (NEGMAS_P[a], NEGMAS_P[b]),
         [NEGMAS_P[a], NEGMAS_P[b]], "accord", "accord", 1e-9),
        ("+ NegMAS time (k+1)/(N+1)", [NEGMAS_P[a], NEGMAS_P[b]], "negmas", "accord", 1e-9),
        ("+ NegMAS floor max(min u, r)", [NEGMAS_P[a], NEGMAS_P[b]], "negmas", "negmas", 1e-9),
        ("+ NegMAS tolerance 1e-4", [NEGMAS_P[a], NEGMAS_P[b]], "negmas", "negmas", 1e-4),
    ]
    out = []
    steps.append(("+ NegMAS tie order (argsort of the rational outcomes)",
                  [NEGMAS_P[a], NEGMAS_P[b]], "negmas", "negmas", 1e-4, "negmas"))
    for label, exps, tm, fm, eps, *ties in steps:
        r = model_run(U, res, int(rounds), exps, tm, fm, eps, *ties)
        out.append({"model": label, "result": r})
        print(label, "->", "none" if r is None else f"r{r['round']} {fmt_u(r['utilities'])}")
    return out


def check_cmd(outdir):
    import re

    def parse(line):
        m = re.search(r"-> r(\d+) \(([^)]*)\)", line)
        return None if m is None else (int(m.group(1)), [float(x) for x in m.group(2).split(",")])

    def same(x, model):
        if x is None or model is None:
            return x is None and model is None
        return x[0] == model[0] and all(abs(a - b) <= 5e-5 for a, b in zip(x[1], model[1]))

    cells = accord_ok = negmas_ok = 0
    for line in open(os.path.join(outdir, "agreements.jsonl")):
        if not line.startswith("{"):
            continue
        d = json.loads(line)
        tag = "bc" if d["setting"] == "B–C" else "ll"
        lines = open(os.path.join(outdir, os.path.basename(d["domain"]),
                                  f"{tag}-{d['rounds']}-model.txt")).read().splitlines()
        a, n = d["accord"], d["negmas"]
        a = None if a is None else (a["round"], a["utilities"])
        n = None if n["outcome"] is None else (n["step"], n["utilities"])
        cells += 1
        ok_a, ok_n = same(a, parse(lines[0])), same(n, parse(lines[-1]))
        accord_ok += ok_a
        negmas_ok += ok_n
        if not (ok_a and ok_n):
            print(f"  {d['domain']} {d['rounds']} {d['setting']}: model does not reproduce "
                  + ("Accord " if not ok_a else "") + ("NegMAS" if not ok_n else ""))
    print(f"model = Accord in {accord_ok}/{cells} cells; model = NegMAS in {negmas_ok}/{cells} cells")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "negmas":
        negmas_cmd(sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]),
                   int(sys.argv[6]), sys.argv[7])
    elif cmd == "model":
        model_cmd(*sys.argv[2:])
    elif cmd == "check":
        check_cmd(sys.argv[2])
    elif cmd == "row":
        row_cmd(*sys.argv[2:])

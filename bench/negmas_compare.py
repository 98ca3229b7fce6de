#!/usr/bin/env python3
"""Helper of negmas_compare.sh: generate synthetic linear domains, run NegMAS
on a GENIUS folder, compare NegMAS's and Accord's answers.

  gen OUT.toml SEED L1 L2 ...   a 2-party linear scenario with issues of L1, L2, ... levels
  negmas DIR OUT.json           NegMAS: load, Pareto frontier, Nash and KS points
  compare NEGMAS.json ACCORD.json [OUT.json]   frontiers and points agree to 1e-9?
"""
import json
import random
import sys
import time


def gen(out, seed, levels):
    rng = random.Random(int(seed))
    lines = [
        "[scenario]",
        f'id = "synthetic-{seed}"',
        f'title = "Synthetic linear domain {"x".join(map(str, levels))}"',
        'as_of = "2026-01-01"',
        'description = "Random linear-additive 2-party domain for benchmarking (assumption)."',
        "",
    ]
    for a in ("buyer", "seller"):
        lines += ["[[actors]]", f'id = "{a}"', f'name = "{a}"', ""]
    for i, n in enumerate(levels):
        lines += ["[[issues]]", f'id = "i{i}"', f'name = "i{i}"', 'type = "options"', "ordered = false", ""]
        for k in range(n):
            lines += ["[[issues.options]]", f'id = "v{k}"', f'label = "v{k}"', ""]
    for a in ("buyer", "seller"):
        raw = [rng.randint(1, 9) for _ in levels]
        tot = sum(raw)
        lines += ["[[preferences]]", f'actor = "{a}"', "", "[preferences.reservation]", "value = 0.0", ""]
        for i, n in enumerate(levels):
            vals = [round(rng.random(), 3) for _ in range(n)]
            vals[rng.randrange(n)] = 1.0  # GENIUS divides by the best value: make it 1
            lines += [f"[preferences.issues.i{i}.weight]", f"value = {raw[i] / tot!r}", ""]
            lines += [f"[preferences.issues.i{i}.values]"]
            lines += [f"v{k} = {v!r}" for k, v in enumerate(vals)]
            lines += [""]
    with open(out, "w") as f:
        f.write("\n".join(lines))


def run_negmas(folder, out):
    from negmas.inout import Scenario
    from negmas.preferences import kalai_points, nash_points, pareto_frontier

    t0 = time.perf_counter()
    s = Scenario.load(folder, ignore_discount=True)
    t1 = time.perf_counter()
    issues = s.outcome_space.issues
    frontier, idx = pareto_frontier(s.ufuns, issues=issues)
    t2 = time.perf_counter()
    nash = nash_points(s.ufuns, frontier, issues=issues)
    ks = kalai_points(s.ufuns, frontier, issues=issues)
    t3 = time.perf_counter()
    json.dump(
        {
            "frontier": [list(map(float, u)) for u in frontier],
            "nash": [float(x) for x in nash[0][0]] if nash else None,
            "ks": [float(x) for x in ks[0][0]] if ks else None,
            "ranges": [list(map(float, u.minmax(issues=issues, above_reserve=False))) for u in s.ufuns],
            "reserved": [float(u.reserved_value) for u in s.ufuns],
            "load_s": t1 - t0,
            "pareto_s": t2 - t1,
            "points_s": t3 - t2,
        },
        open(out, "w"),
    )


def compare(nfile, afile):
    n = json.load(open(nfile))
    a = json.load(open(afile))
    actors = list(a["disagreement"].keys())
    vec = lambda p: [p["utilities"][k] for k in actors]
    close = lambda u, v: all(abs(x - y) <= 1e-9 for x, y in zip(u, v))

    def uniq(points):
        out = []
        for u in sorted(points):
            if not out or not close(out[-1], u):
                out.append(u)
        return out

    fa = uniq([vec(p) for p in a["pareto_all"]])
    fn = uniq(n["frontier"])
    same_front = len(fa) == len(fn) and all(close(x, y) for x, y in zip(fa, fn))
    d = [a["disagreement"][k] for k in actors]
    # NegMAS measures gains from r_i, or from the least utility when r_i is
    # below it (nash_points, kalai_points); Accord from d_i = r_i.
    dn = [r if r >= lo else lo for r, (lo, _) in zip(n["reserved"], n["ranges"])]

    def prod(u, base):
        out = 1.0
        for x, b in zip(u, base):
            out *= max(x - b, 0.0) if base is d else x - b
        return out

    top = [max(u[i] for u in fn) for i in range(len(actors))]
    ratio = lambda u: min((u[i] - d[i]) / (top[i] - d[i]) if top[i] > d[i] else 1.0
                          for i in range(len(actors)))
    egal_n = lambda u: min(x - b for x, b in zip(u, dn))
    near = lambda x, y: abs(x - y) <= 1e-9
    out = {
        "frontier_points": [len(fa), len(fn)],
        "frontier_agree": same_front,
        "same_nash_point": n["nash"] is not None and close(vec(a["solutions"]["nash"]), n["nash"]),
        # Each tool's definition evaluated on the other tool's frontier.
        "nash_accord_def": near(max(prod(u, d) for u in fn), a["solutions"]["nash"]["score"]),
        "nash_negmas_def": near(max(prod(u, dn) for u in fa), prod(n["nash"], dn)),
        # NegMAS's kalai_points maximises min_i (u_i - d'_i) without dividing
        # by (U_i - d'_i): compare each definition separately.
        "ks_accord_def": near(max(ratio(u) for u in fn), a["solutions"]["kalai_smorodinsky"]["score"]),
        "ks_negmas_def": near(max(egal_n(u) for u in fa), egal_n(n["ks"])),
        "gain_base_differs": any(not near(x, y) for x, y in zip(d, dn)),
    }
    if len(sys.argv) > 4:
        json.dump(out, open(sys.argv[4], "w"), indent=1)
    defs = all(out[k] for k in ("nash_accord_def", "nash_negmas_def", "ks_accord_def", "ks_negmas_def"))
    print(
        f"frontier {'=' if same_front else '≠'} ({len(fa)} points); "
        f"Nash point {'same' if out['same_nash_point'] else 'differs'}; "
        f"both definitions {'agree' if defs else 'DISAGREE'} on both frontiers"
    )

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(sys.argv[2], sys.argv[3], [int(x) for x in sys.argv[4:]])
    elif cmd == "negmas":
        run_negmas(sys.argv[2], sys.argv[3])
    elif cmd == "compare":
        compare(sys.argv[2], sys.argv[3])

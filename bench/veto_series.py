#!/usr/bin/env python3
"""Writes the veto series: A actors, I issues of A options each, and every
actor vetoing its own option on every issue (A x I red lines). Every outcome
then breaks exactly I red lines, the minimal relaxations number A**I and the
minimal blocking sets are the I groups of A vetoes on one issue.

    bench/veto_series.py ACTORS ISSUES > veto.toml

Preferences come from a fixed seed, so a given size is always the same file.
"""
import random
import sys

actors, issues = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(1000 * actors + issues)
out = [
    "[scenario]",
    f'id = "veto-{actors}x{issues}"',
    f'title = "Veto series: {actors} actors each vetoing one option on each of {issues} issues"',
    'as_of = "2026-01-01"',
    'weights = "normalize"',
    "",
    "[[sources]]",
    'id = "bench"',
    'title = "Synthetic benchmark"',
    'grade = "assumption"',
]
for a in range(actors):
    out += ["", "[[actors]]", f'id = "A{a}"', f'name = "Actor {a}"',
            'power = { value = 1, assumption = "equal" }']
for i in range(issues):
    opts = ", ".join(f'"o{k}"' for k in range(actors))
    out += ["", "[[issues]]", f'id = "i{i}"', f'name = "Issue {i}"',
            'type = "options"', "ordered = false", f"options = [{opts}]"]
for a in range(actors):
    out += ["", "[[preferences]]", f'actor = "A{a}"',
            'reservation = { value = 0, source = "bench" }']
    for i in range(issues):
        vals = ", ".join(f"o{k} = {rng.random():.3f}" for k in range(actors))
        out += [f"[preferences.issues.i{i}]",
                f'weight = {{ value = {1 / issues:.6f}, source = "bench" }}',
                f"values = {{ {vals} }}"]
for a in range(actors):
    for i in range(issues):
        out += ["", "[[red_lines]]", f'id = "veto_{a}_{i}"', f'actor = "A{a}"',
                f'rule = "i{i} != o{a}"', 'source = "bench"']
print("\n".join(out))

#!/usr/bin/env python3
"""Writes `pareto.xml` for a non-linear GENIUS-format domain folder by brute
force: every outcome, each party's utility as the sum of the hyper-rectangles
that hold divided by `maxutility` (capped at 1), then the distinct utility
pairs no other pair dominates, one `u1, u2` line each, as GENIUS writes them.

An independent check of Accord's box solver (standard library only):
    python3 data/genius/pareto.py data/genius/grid
"""

import itertools
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def party(path):
    root = ET.parse(path).getroot()
    util = root.find("objective/utility")
    boxes = []
    for r in util.iter("hyperRectangle"):
        value = float(r.get("utility")) * float(r.get("weight", "1"))
        exc = r.findall("EXCLUDES")
        bounds = exc or r.findall("INCLUDES")
        ranges = [(int(b.get("index")) - 1, int(b.get("min")), int(b.get("max"))) for b in bounds]
        boxes.append((value, bool(exc), ranges))
    return float(util.get("maxutility")), boxes


def utility(p, outcome):
    top, boxes = p
    raw = 0.0
    for value, excludes, ranges in boxes:
        inside = all(lo <= outcome[i] <= hi for i, lo, hi in ranges)
        if inside != excludes:
            raw += value
    return min(raw / top, 1.0)


def main(folder):
    folder = Path(folder)
    domain = next(folder.glob("*-domain.xml"))
    issues = [
        range(int(i.get("lowerbound")), int(i.get("upperbound")) + 1)
        for i in ET.parse(domain).getroot().iter("issue")
    ]
    parties = [party(folder / f"profile-{k}.xml") for k in (1, 2)]
    points = {tuple(utility(p, o) for p in parties) for o in itertools.product(*issues)}
    front = sorted(
        p for p in points
        if not any(q != p and q[0] >= p[0] and q[1] >= p[1] for q in points)
    )
    text = "".join(f"{a!r}, {b!r}\n" for a, b in front)
    (folder / "pareto.xml").write_text(text)
    print(text, end="")
    print(f"{len(front)} points over {len(list(itertools.product(*issues)))} outcomes", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])

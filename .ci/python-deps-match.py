#!/usr/bin/env python3
"""Fails when the Python crate's locked dependencies drift from the workspace's.

`python/` is its own Cargo workspace (maturin builds it alone), so its
Cargo.lock can fall behind the main one and the package would then be built
against other versions of serde, rayon, … than the CLI the Python tests
compare it with. Every crate locked in both files must be locked, in
python/Cargo.lock, at a version the workspace also locks. To fix a failure:
`cargo update --manifest-path python/Cargo.toml -p NAME --precise VERSION`.
"""
import sys
import tomllib
from pathlib import Path

root = Path(__file__).resolve().parent.parent


def versions(lock):
    out = {}
    for p in tomllib.loads(lock.read_text())["package"]:
        if "source" in p:  # registry crates only; path crates are the project's own
            out.setdefault(p["name"], set()).add(p["version"])
    return out


main = versions(root / "Cargo.lock")
py = versions(root / "python" / "Cargo.lock")
drift = [
    f"  {name}: python/Cargo.lock has {sorted(py[name])}, the workspace {sorted(main[name])}"
    for name in sorted(set(main) & set(py))
    if not py[name] <= main[name]
]
if drift:
    print("the Python crate's dependencies drifted from the workspace's:", *drift, sep="\n")
    sys.exit(1)
print(f"python/Cargo.lock agrees with Cargo.lock on {len(set(main) & set(py))} shared crates")

#!/usr/bin/env bash
# Times KTAB SMP (deterministic, KTAB defaults) on KTAB's inputs with the
# release build of `accord forecast`. Usage: bench/forecast.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
data="${KTAB_DATA:-data/ktab}"
cargo build --release -q -p accord-cli
bin="${CARGO_TARGET_DIR:-target}/release/accord"
for f in dummyData_3Dim.csv SOE-Pol-Comp.csv dummyData_6Dim.csv dummyData-a040.csv dummyData-a080.csv dummyData-a160.csv; do
  for ((r = 1; r <= runs; r++)); do
    /usr/bin/time -f "$f run $r: %e s wall, %U s user, %M KB max RSS" \
      "$bin" forecast --ktab "$data/$f" --model smp --json >/dev/null
  done
done

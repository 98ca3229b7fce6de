#!/usr/bin/env bash
# Times 10,000 Monte Carlo runs of the flagship forecast (all four models,
# no deal space) against peers measured in the same session: one flagship
# forecast, and SMP on KTAB's 160-actor file. Ratios matter more than
# seconds on a shared machine. Usage: bench/sensitivity.sh [runs] [repeats]
# With ACCORD_BEFORE=path/to/accord, that binary's runs are timed too, in
# the same repeats, for a before/after ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-10000}"
repeats="${2:-3}"
data="${KTAB_DATA:-data/ktab}"
cargo build --release -q -p accord-cli
# A private copy: a shared target directory may be rebuilt by others mid-run.
bin="$(mktemp -d)/accord"
cp "${CARGO_TARGET_DIR:-target}/release/accord" "$bin"
t() { # label, command...: prints "label: wall s, user s"
  local label="$1"; shift
  /usr/bin/time -f "$label: %e s wall, %U s user, %M KB max RSS" "$@" >/dev/null
}
for ((r = 1; r <= repeats; r++)); do
  t "100 flagship forecasts, one process each (all models)" \
    bash -c 'for i in $(seq 100); do "$0" forecast --json >/dev/null; done' "$bin"
  t "1 MC run (fixed cost: start, parse, point forecast)" "$bin" sensitivity --runs 1 --deal-runs 0 --json
  t "SMP on dummyData-a160 (1 thread)" env RAYON_NUM_THREADS=1 "$bin" forecast --ktab "$data/dummyData-a160.csv" --model smp --json
  t "$runs MC runs, 1 thread" env RAYON_NUM_THREADS=1 "$bin" sensitivity --runs "$runs" --deal-runs 0 --json
  t "$runs MC runs, all threads" "$bin" sensitivity --runs "$runs" --deal-runs 0 --json
  t "default sensitivity (1000 runs, 50 deal runs), all threads" "$bin" sensitivity --json
  if [ -n "${ACCORD_BEFORE:-}" ]; then
    t "$runs MC runs, 1 thread, before" env RAYON_NUM_THREADS=1 "$ACCORD_BEFORE" sensitivity --runs "$runs" --deal-runs 0 --json
    t "default sensitivity, all threads, before" "$ACCORD_BEFORE" sensitivity --json
  fi
done

#!/usr/bin/env bash
# Times Boulware vs Conceder (every ordered pairing of the two, so both role
# orders and both self-plays) under bilateral SAOP with 100 and 1000 round
# deadlines on shared GENIUS domains, with the release build of
# `accord tournament`, and reports negotiations per second. The time is the
# whole process: GENIUS import, building each party's sorted candidate list,
# the runs, the Pareto/Nash references and JSON output.
# Usage: bench/negotiate.sh [reps]   (negotiations per cell = 4 × reps)
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-25}"
# The ANAC domains are GPL/AGPL and not shipped (see data/README.md).
data="${GENIUS_DATA:-${ACCORD_ANAC_DATA:?set ACCORD_ANAC_DATA to the folder holding genius/y2010, y2011, other (see data/README.md)}/genius}"
# ACCORD_BIN=path skips the build (e.g. a copy taken from a shared target dir).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [[ -z "${ACCORD_BIN:-}" ]]; then
  cargo build --release -q -p accord-cli
  ACCORD_BIN="${CARGO_TARGET_DIR:-target}/release/accord"
fi
# A private copy: a shared target directory may be rebuilt by others mid-run.
cp "$ACCORD_BIN" "$tmp/accord"
bin="$tmp/accord"
"$bin" tournament --help >/dev/null
printf '%-22s %8s %7s %6s %9s %10s\n' domain outcomes rounds runs seconds 'negot./s'
for d in y2011/Laptop y2010/ItexvsCypress y2011/Grocery y2011/Camera y2011/Car y2010/Travel y2011/Energy; do
  size=$("$bin" analyze --genius "$data/$d" --json | sed -n 's/^  "outcomes": \([0-9]*\),/\1/p')
  for rounds in 100 1000; do
    start=$(date +%s.%N)
    out=$("$bin" tournament --genius "$data/$d" --negotiators boulware,conceder \
      --rounds "$rounds" --reps "$reps" --json)
    end=$(date +%s.%N)
    runs=$(printf '%s' "$out" | grep -c '"index"')
    awk -v d="$d" -v s="$size" -v r="$rounds" -v n="$runs" -v a="$start" -v b="$end" \
      'BEGIN { t = b - a; printf "%-22s %8d %7d %6d %9.3f %10.0f\n", d, s, r, n, t, n / t }'
  done
done

#!/usr/bin/env bash
# Accord vs NegMAS 0.16.0 on the same linear utility functions: Pareto
# frontier, Nash and Kalai–Smorodinsky points, time and peak memory.
# Every domain is first written by `accord export genius`, so NegMAS reads
# exactly Accord's utilities (NegMAS does not normalise GENIUS evaluations).
# Usage: bench/negmas_compare.sh [--no-negmas]   (results in bench/out/)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
# ACCORD=path/to/accord skips the build (e.g. when another build holds the lock).
if [ -z "${ACCORD:-}" ]; then
  cargo build --release -q -p accord-cli
  ACCORD="$CARGO_TARGET_DIR/release/accord"
fi
# The ANAC domains are GPL/AGPL and not shipped (see data/README.md).
DATA=${DATA:-${ACCORD_ANAC_DATA:?set ACCORD_ANAC_DATA to the folder holding genius/y2010, y2011, other (see data/README.md)}/genius}
OUT=bench/out; mkdir -p "$OUT"
NEGMAS=1; [ "${1:-}" = "--no-negmas" ] && NEGMAS=0
if [ "$NEGMAS" = 1 ] && [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv && bench/.venv/bin/pip install -q negmas==0.16.0
fi
NEGMAS_LIMIT=${NEGMAS_LIMIT:-6000000}     # NegMAS enumerates in Python: skip beyond
NEGMAS_TIMEOUT=${NEGMAS_TIMEOUT:-600}

prep() { # name source-kind arg...: writes $OUT/$name/xml
  local name=$1 kind=$2; shift 2
  local dir="$OUT/$name"; rm -rf "$dir"; mkdir -p "$dir"
  if [ "$kind" = shared ]; then "$ACCORD" import genius "$DATA/$1" -o "$dir/s.toml" >/dev/null
  else python3 bench/negmas_compare.py gen "$dir/s.toml" "$@"; fi
  "$ACCORD" export genius "$dir/s.toml" -o "$dir/xml" >/dev/null 2>&1
}
mem() { awk -F': ' '/Maximum resident/ {printf "%.0f MiB", $2/1024}' "$1"; }
secs() { awk -F': ' '/Elapsed \(wall/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; printf "%.2f", s}' "$1"; }

printf '| domain | outcomes | Accord path | NegMAS s | NegMAS peak | Accord s | Accord peak | NegMAS/Accord time | Accord forced search s / peak | agreement (utilities to 1e-9) |\n|---|---|---|---|---|---|---|---|---|---|\n'
run() {
  local name=$1; shift; prep "$name" "$@"
  local dir="$OUT/$name"
  /usr/bin/time -v "$ACCORD" analyze --genius "$dir/xml" --json --pareto-all \
    >"$dir/accord.json" 2>"$dir/accord.time"
  local outcomes path as am ns="–" nm="–" ratio="–" agree="(NegMAS not run)"
  outcomes=$(python3 -c "import json;print(json.load(open('$dir/accord.json'))['outcomes'])")
  path=$(python3 -c "import json;a=json.load(open('$dir/accord.json'));print(a['method'], '' if a['exact'] else '(NOT EXACT)')")
  as=$(secs "$dir/accord.time"); am=$(mem "$dir/accord.time")
  /usr/bin/time -v "$ACCORD" analyze --genius "$dir/xml" --json --pareto-all --method search \
    >"$dir/search.json" 2>"$dir/search.time"
  # The search path must give the same answers as the enumeration.
  local same
  same=$(python3 -c "import json;a=json.load(open('$dir/accord.json'));b=json.load(open('$dir/search.json'))
for k in ('method','search'): a.pop(k); b.pop(k)
print('' if a==b else ' (DIFFERS)')")
  local ss="$(secs "$dir/search.time") / $(mem "$dir/search.time")$same"
  if [ "$NEGMAS" = 1 ] && [ "$outcomes" -le "$NEGMAS_LIMIT" ]; then
    if timeout "$NEGMAS_TIMEOUT" /usr/bin/time -v bench/.venv/bin/python bench/negmas_compare.py \
        negmas "$dir/xml" "$dir/negmas.json" 2>"$dir/negmas.time"; then
      ns=$(secs "$dir/negmas.time"); nm=$(mem "$dir/negmas.time")
      ratio=$(python3 -c "print(f'{$ns/max($as,0.01):.0f}x')")
      agree=$(python3 bench/negmas_compare.py compare "$dir/negmas.json" "$dir/accord.json" "$dir/agree.json")
    else ns="timeout ${NEGMAS_TIMEOUT}s"; fi
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$outcomes" "$path" "$ns" "$nm" "$as" "$am" "$ratio" "$ss" "$agree"
}
for d in y2010/Travel y2011/Amsterdam y2011/Camera y2011/Energy y2011/Grocery y2011/Laptop; do
  run "$(basename $d)" shared "$d"
done
run synthetic-1.9M synth 1 6 5 6 5 3 4 3 6 2 5
run synthetic-5.8M synth 2 7 7 7 7 7 7 7 7
run synthetic-1e10 synth 3 10 10 10 10 10 10 10 10 10 10
run synthetic-1e15 synth 4 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10

#!/usr/bin/env bash
# Accord vs NegMAS 0.16.0 on the same bilateral negotiations: stacked
# alternating offers (Accord `saop`, NegMAS `SAOMechanism`) between the
# time-based negotiators Boulware/Conceder and Linear/Linear, deadlines of
# 100 and 1000 rounds, on the shared GENIUS domains. Every domain is first
# written by `accord export genius`, so NegMAS reads exactly Accord's utility
# functions (helper: bench/negmas_negotiate.py; see docs/negotiate.md).
#
# Per domain, deadline and setting it prints negotiations per second of each
# tool and their ratio, and each tool's agreement (0-based round, utilities of
# the first and second party). Throughput is over the same negotiations in
# both tools: setting B–C is every ordered pairing of Boulware and Conceder
# (B–B, B–C, C–B, C–C: what `accord tournament --negotiators
# boulware,conceder` runs), L–L is Linear vs Linear. The agreement columns
# are the B–C (resp. L–L) pairing with the first party proposing first.
#   Accord time: the whole `accord tournament` process (GENIUS import, sorted
#   candidate lists, the runs, Pareto/Nash references, JSON), ACCORD_REPS reps.
#   NegMAS time: the negotiation loop in one process (not `import negmas` nor
#   the scenario load), repeated until NEGMAS_BUDGET seconds or NEGMAS_MAX_REPS.
# The last column runs Accord with NegMAS's exponents (time:0.25 vs time:4).
# bench/out/negotiate/<domain>/<bc|ll>-<rounds>-model.txt: a model of both
# agents moving from Accord's definitions to NegMAS's one at a time.
# Usage: bench/negmas_negotiate.sh [domain ...]   (e.g. y2011/Laptop; results in bench/out/negotiate/)
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
OUT=bench/out/negotiate; mkdir -p "$OUT"
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv && bench/.venv/bin/pip install -q negmas==0.16.0
fi
PY=bench/.venv/bin/python
ACCORD_REPS=${ACCORD_REPS:-250}
NEGMAS_BUDGET=${NEGMAS_BUDGET:-3}
NEGMAS_MAX_REPS=${NEGMAS_MAX_REPS:-25}
SEED=${SEED:-1}
# A private copy: a shared target directory may be rebuilt by others mid-run.
cp "$ACCORD" "$OUT/accord"; ACCORD="$OUT/accord"

if [ $# -gt 0 ]; then DOMAINS=("$@"); else
  DOMAINS=(y2011/Laptop y2010/ItexvsCypress y2011/IS_BT_Acquisition y2010/EnglandZimbabwe
           y2011/Grocery y2011/Amsterdam y2011/Camera y2011/NiceOrDie y2011/Car
           y2010/Travel y2011/Energy)
fi
: >"$OUT/agreements.jsonl"
printf '| domain | outcomes | rounds | setting | NegMAS neg/s | Accord neg/s | Accord/NegMAS | NegMAS agreement | Accord agreement | same outcome | Accord with NegMAS exponents |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for d in "${DOMAINS[@]}"; do
  name=$(basename "$d"); dir="$OUT/$name"; rm -rf "$dir"; mkdir -p "$dir"
  "$ACCORD" import genius "$DATA/$d" -o "$dir/s.toml" >/dev/null
  "$ACCORD" export genius "$dir/s.toml" -o "$dir/xml" >/dev/null 2>&1
  for rounds in 100 1000; do
    for setting in B–C L–L; do
      if [ "$setting" = B–C ]; then
        negs=boulware,conceder; pairs=boulware:boulware,boulware:conceder,conceder:boulware,conceder:conceder
        tag=bc
      else
        negs=linear; pairs=linear:linear; tag=ll
      fi
      base="$dir/$tag-$rounds"
      start=$(date +%s.%N)
      "$ACCORD" tournament --genius "$dir/xml" --negotiators "$negs" --rounds "$rounds" \
        --reps "$ACCORD_REPS" --seed "$SEED" --json >"$base-tournament.json"
      end=$(date +%s.%N)
      secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }')
      runs=$(grep -c '"index"' "$base-tournament.json")
      sim=${negs/linear/linear,linear}
      "$ACCORD" simulate --genius "$dir/xml" --mechanism saop --negotiators "$sim" \
        --rounds "$rounds" --seed "$SEED" --json >"$base-accord.json"
      matched=()
      if [ "$tag" = bc ]; then
        "$ACCORD" simulate --genius "$dir/xml" --mechanism saop --negotiators time:0.25,time:4 \
          --rounds "$rounds" --seed "$SEED" --json >"$base-matched.json"
        matched=("$base-matched.json")
      fi
      "$PY" bench/negmas_negotiate.py negmas "$dir/xml" "$rounds" "$pairs" \
        "$NEGMAS_BUDGET" "$NEGMAS_MAX_REPS" "$base-negmas.json"
      "$PY" bench/negmas_negotiate.py row "$dir/xml" "$d" "$rounds" "$setting" "$secs" "$runs" \
        "$base-negmas.json" "$base-accord.json" "${matched[@]}" 2>>"$OUT/agreements.jsonl"
      # Attribution: Accord's definitions changed one at a time into NegMAS's.
      key=${pairs#boulware:boulware,}; key=${key%%,*}
      "$PY" bench/negmas_negotiate.py model "$dir/xml" "$rounds" "$key" >"$base-model.txt"
    done
  done
done
echo
"$PY" bench/negmas_negotiate.py check "$OUT"

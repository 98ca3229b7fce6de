#!/usr/bin/env bash
# Same documents before and after a change to the front ends: every --json
# document, the human output of the same commands, and `accord report` (HTML
# and Markdown with its SVGs) on the bundled scenarios, the project's GENIUS
# domains in data/genius and the KTAB/DEU inputs in data/, byte for byte.
#
#   bench/same_documents.sh run BINARY OUTDIR      # record BINARY's documents
#   bench/same_documents.sh compare DIR_A DIR_B    # byte-compare two records
#   bench/same_documents.sh both BIN_A BIN_B       # record both in a temp dir, compare
#
# With ACCORD_ANAC_DATA set (the folder holding genius/), the shared GENIUS
# domains in genius/{y2010,y2011,other} are analysed too (non-linear ones with
# NONLINEAR_NODES, default 2,000,000, branch-and-bound nodes). A record holds
# stdout, stderr and the exit code of each run, so refusals must match too.
set -uo pipefail
cd "$(dirname "$0")/.."

record() { # out-name args...
  local name=$1; shift
  "$BIN" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
  echo $? >"$OUT/$name.rc"
  # Slow runs print progress lines with timings on stderr; they are not
  # part of any document.
  sed -i -E '/^.*: [0-9]+\/[0-9]+ \([0-9]+%\), .*left$/d' "$OUT/$name.err"
}

run() { # BINARY OUTDIR
  BIN=$(realpath "$1"); OUT=$2
  mkdir -p "$OUT"
  for f in scenarios/*.toml; do
    n=$(basename "$f" .toml)
    for cmd in analyze process show check timeline forecast; do
      record "$cmd-$n" "$cmd" "$f" --json
      record "$cmd-$n-human" "$cmd" "$f"
    done
    record "analyze-$n-search" analyze "$f" --json --pareto-all --method search
    record "simulate-$n" simulate "$f" --json --trace
    record "tournament-$n" tournament "$f" --negotiators boulware,conceder \
      --reps 1 --rounds 10 --seed 5 --json
    record "sensitivity-$n" sensitivity "$f" --runs 20 --deal-runs 2 --json
    for ext in html md; do
      local dir="$OUT/report-$n-$ext"
      mkdir -p "$dir"
      record "report-$n-$ext" report "$f" -o "$dir/report.$ext"
      # The command echoes the path it wrote; keep only the file name.
      sed -i "s|$OUT/||" "$OUT/report-$n-$ext.out"
    done
  done
  record "backtest-deu3" backtest --deu data/deu/deu3.csv --resamples 50 --json
  for k in data/ktab/*.csv; do
    record "forecast-ktab-$(basename "$k" .csv)" forecast --ktab "$k" --json
  done
  for d in data/genius/*/; do
    n=$(basename "$d")
    record "analyze-genius-$n" analyze --genius "$d" --json
    record "analyze-genius-$n-human" analyze --genius "$d"
    record "import-genius-$n" import genius "$d"
    record "simulate-genius-$n" simulate --genius "$d" --json --trace
    record "tournament-genius-$n" tournament --genius "$d" --negotiators boulware,conceder,nash --json
  done
  if [ -z "${ACCORD_ANAC_DATA:-}" ]; then
    echo "ACCORD_ANAC_DATA is unset: skipping the shared GENIUS domains" >&2
  else
    for d in "$ACCORD_ANAC_DATA"/genius/{y2010,y2011,other}/*/; do
      n="anac-$(basename "$(dirname "$d")")-$(basename "$d")"
      if grep -qs 'type="nonlinear"' "$d"/*.xml; then
        record "$n" analyze --genius "$d" --json --max-nodes "${NONLINEAR_NODES:-2000000}"
      else
        record "$n" analyze --genius "$d" --json
      fi
    done
  fi
  echo "recorded $(ls "$OUT" | grep -c '\.rc$') runs in $OUT"
}

# What a record holds, for the line that says two records are identical.
counted() { echo "$(ls "$1" | grep -c '\.rc$') runs"; }

. bench/same_common.sh
same_main 2,14p "$@"

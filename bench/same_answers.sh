#!/usr/bin/env bash
# Same answers before and after a change to the engine: the CLI JSON of every
# bundled scenario and every shared GENIUS domain, on both visiting methods.
#
#   bench/same_answers.sh run BINARY OUTDIR      # record BINARY's answers
#   bench/same_answers.sh compare DIR_A DIR_B    # byte-compare two records
#
# The GENIUS domains come from $ACCORD_ANAC_DATA/genius/{y2010,y2011,other}
# (ACCORD_ANAC_DATA is the folder holding genius/); without it only the
# bundled scenarios are recorded. A record holds stdout, stderr and the exit
# code of each run, so refusals must match too. Non-linear domains run once,
# with NONLINEAR_NODES (default 2,000,000) branch-and-bound nodes.
set -uo pipefail
cd "$(dirname "$0")/.."

record() { # out-name args...
  local name=$1; shift
  "$BIN" "$@" >"$OUT/$name.json" 2>"$OUT/$name.err"
  echo $? >"$OUT/$name.rc"
}

case "${1:-}" in
run)
  BIN=$(realpath "$2"); OUT=$3
  mkdir -p "$OUT"
  for f in scenarios/*.toml; do
    n=$(basename "$f" .toml)
    record "scenario-$n" analyze "$f" --json --pareto-all
    record "scenario-$n-search" analyze "$f" --json --pareto-all --method search
  done
  if [ -z "${ACCORD_ANAC_DATA:-}" ]; then
    echo "ACCORD_ANAC_DATA is unset: skipping the GENIUS domains (bundled scenarios only)" >&2
  else
    for d in "$ACCORD_ANAC_DATA"/genius/{y2010,y2011,other}/*/; do
      n="genius-$(basename "$(dirname "$d")")-$(basename "$d")"
      if grep -qs 'type="nonlinear"' "$d"/*.xml; then
        # Non-linear profiles have one (search) path; a node budget keeps
        # the run short and its answer deterministic.
        record "$n" analyze --genius "$d" --json --max-nodes "${NONLINEAR_NODES:-2000000}"
      else
        record "$n" analyze --genius "$d" --json --pareto-all
        record "$n-search" analyze --genius "$d" --json --pareto-all --method search
      fi
    done
  fi
  echo "recorded $(ls "$OUT" | grep -c '\.rc$') runs in $OUT"
  ;;
compare)
  if diff -r "$2" "$3" >/dev/null; then
    echo "identical: $(ls "$2" | grep -c '\.rc$') runs"
  else
    diff -rq "$2" "$3"
    exit 1
  fi
  ;;
*)
  sed -n 2,11p "$0"; exit 2 ;;
esac

#!/usr/bin/env bash
# Same reports before and after a change to the report renderer: `accord
# report` as HTML and as Markdown (with every SVG beside it) on the bundled
# scenarios, plain and with the what-ifs the command offers (a dropped red
# line, a changed number, a chosen reading), byte for byte.
#
#   bench/same_reports.sh run BINARY OUTDIR      # record BINARY's reports
#   bench/same_reports.sh compare DIR_A DIR_B    # byte-compare two records
#   bench/same_reports.sh both BIN_A BIN_B       # record both in a temp dir, compare
#
# A record holds every written file plus stdout, stderr and the exit code of
# each run. bench/same_documents.sh covers the reports too, among every other
# document; this one is the quick check while working on the report alone.
set -uo pipefail
cd "$(dirname "$0")/.."

record() { # out-name args...
  local name=$1; shift
  local dir="$OUT/$name"
  mkdir -p "$dir"
  "$BIN" report "$@" >"$dir/stdout" 2>"$dir/stderr"
  echo $? >"$dir/rc"
  # The command echoes the path it wrote; keep only the file name.
  sed -i "s|$OUT/||" "$dir/stdout"
  # Slow runs print progress lines with timings on stderr.
  sed -i -E '/^.*: [0-9]+\/[0-9]+ \([0-9]+%\), .*left$/d' "$dir/stderr"
}

run() { # BINARY OUTDIR
  BIN=$(realpath "$1"); OUT=$2
  mkdir -p "$OUT"
  local n
  for ext in html md; do
    for f in scenarios/*.toml; do
      n=$(basename "$f" .toml)
      record "$n-$ext" "$f" -o "$OUT/$n-$ext/report.$ext"
    done
    # What-ifs: a dropped red line (triad: a deal opens), a changed number,
    # a red line read another way (the flagship's readings section).
    record "triad-drop-$ext" triad --drop A-troops --drop B-zone --drop C-years \
      -o "$OUT/triad-drop-$ext/report.$ext"
    record "sale-set-$ext" sale --set seller.reservation=0.2 \
      -o "$OUT/sale-set-$ext/report.$ext"
    record "ukraine-reading-$ext" ukraine-2025-12 --reading ru-nato-renunciation=literal \
      -o "$OUT/ukraine-reading-$ext/report.$ext"
  done
  echo "recorded $(find "$OUT" -name rc | wc -l) runs in $OUT"
}

# What a record holds, for the line that says two records are identical.
counted() {
  echo "$(find "$1" -name rc | wc -l) runs, $(find "$1" -type f ! -name rc ! -name stdout ! -name stderr | wc -l) files"
}

. bench/same_common.sh
same_main 2,13p "$@"

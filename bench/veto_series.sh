#!/usr/bin/env bash
# The veto series (docs/scale.md): A actors each vetoing one option on each
# of I issues, A x I red lines, A**I minimal relaxations. Runs each binary on
# each size with `analyze --json` under /usr/bin/time -v and prints wall
# seconds, peak RSS and the JSON size; a run past TIMEOUT seconds (default
# 120) is killed and reported as such.
#
#   bench/veto_series.sh BINARY [BINARY...]     # sizes from SIZES="5x5 5x6 5x7 5x8"
set -uo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%-28s %-8s %10s %12s %12s\n' binary size wall_s max_rss_MiB json_bytes
for size in ${SIZES:-5x5 5x6 5x7 5x8}; do
  a=${size%x*}; i=${size#*x}
  python3 bench/veto_series.py "$a" "$i" >"$dir/veto.toml"
  for bin in "$@"; do
    /usr/bin/time -v timeout "${TIMEOUT:-120}" "$bin" analyze "$dir/veto.toml" --json \
      >"$dir/out.json" 2>"$dir/time.txt"
    rc=$?
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$dir/time.txt" \
      | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$dir/time.txt")
    [ "$rc" = 0 ] || wall="killed($rc)"
    printf '%-28s %-8s %10s %12s %12s\n' "$(basename "$bin")" "$size" "$wall" "$rss" \
      "$(stat -c %s "$dir/out.json")"
  done
done

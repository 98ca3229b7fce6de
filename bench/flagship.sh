#!/usr/bin/env bash
# The flagship's `analyze --json` (or, with `human`, the analysis a reader
# sees, with its 400-run forecast band), two binaries alternated run by run
# so that both meet the same machine state (its speed drifts by more than
# the differences measured here). Prints each binary's user CPU (mean and
# best), CPU with the kernel's share (user + sys), wall time and peak RSS,
# and the second's ratio to the first.
#
#   bench/flagship.sh BIN_A BIN_B [runs] [threads] [json|human]
#
# e.g. a build of the previous commit against the current one:
#   bench/flagship.sh /tmp/accord-before target/release/accord 12 1
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
a=$(realpath "$1"); b=$(realpath "$2")
runs="${3:-12}"
threads="${4:-1}"
mode="${5:-json}"
case "$mode" in
  json) args=(--json) ;;
  human) args=() ;;
  *) echo "mode must be json or human, not $mode" >&2; exit 2 ;;
esac
scenario=scenarios/ukraine-2025-12.toml
log=$(mktemp -d)
for ((i = 1; i <= runs; i++)); do
  for label in a b; do
    bin=$a; [ "$label" = b ] && bin=$b
    RAYON_NUM_THREADS="$threads" /usr/bin/time -f "%U %e %M %S" -a -o "$log/$label" \
      "$bin" analyze "$scenario" "${args[@]}" >/dev/null
  done
done
summary() { # label file
  awk -v l="$1" '{u += $1; c += $1 + $4; w += $2; m += $3; if (best == "" || $1 < best) best = $1}
    END {printf "%s: user mean %.3f s, best %.2f s, user+sys mean %.3f s, wall mean %.3f s, RSS %.0f MB (%d runs)\n",
      l, u / NR, best, c / NR, w / NR, m / NR / 1024, NR}' "$2"
}
echo "flagship analyze ${args[*]:-(human)}, $threads thread(s), alternated:"
summary "A $1" "$log/a"
summary "B $2" "$log/b"
ua=$(awk '{u += $1} END {print u / NR}' "$log/a")
ub=$(awk '{u += $1} END {print u / NR}' "$log/b")
awk -v a="$ua" -v b="$ub" 'BEGIN {printf "user CPU ratio B/A: %.2f\n", b / a}'
rm -rf "$log"

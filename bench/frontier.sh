#!/usr/bin/env bash
# Many-party Pareto frontiers against the enumeration odometer, in one run:
# seeded synthetic 3- and 6-party GENIUS domains (and the shared 6-party
# Domain8/Domain16 when ACCORD_ANAC_DATA names the folder holding genius/).
#
#   bench/frontier.sh [NAME-FILTER]
#   ACCORD_BEFORE=/path/to/old/accord bench/frontier.sh   # also time an older CLI
#
# ACCORD=path/to/accord skips building the release CLI. BEFORE_LIMIT caps
# each run of the older CLI (seconds, default 300).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
if [ -z "${ACCORD:-}" ]; then
  cargo build --release -q -p accord-cli
  ACCORD="$CARGO_TARGET_DIR/release/accord"
fi
[ -n "${ACCORD_ANAC_DATA:-}" ] || echo "ACCORD_ANAC_DATA is unset: the shared ANAC domains are skipped" >&2
ACCORD=$(realpath "$ACCORD") cargo bench -q -p accord-formats --bench frontier -- "$@"

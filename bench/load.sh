#!/usr/bin/env bash
# Load test of `accord serve`: POST /api/analyze on loopback for a bounded
# time; prints requests/s, latency percentiles and errors per scenario.
# Usage: bench/load.sh [SECS] [CLIENTS]   (defaults: 10 s, 4 clients)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
CLIENTS=${2:-4}
cargo build --release -q -p accord-cli -p accord-server --example load
TARGET=${CARGO_TARGET_DIR:-target}
TMP=$(mktemp -d)
"$TARGET/release/accord" serve --port 0 --db "$TMP/load.db" --budget 60 > "$TMP/out" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do grep -q listening "$TMP/out" && break; sleep 0.1; done
ADDR=$(grep -o '127.0.0.1:[0-9]*' "$TMP/out")
echo "server $ADDR, $(nproc) cores"
"$TARGET/release/examples/load" "$ADDR" "$SECS" "$CLIENTS" sale
"$TARGET/release/examples/load" "$ADDR" "$SECS" "$CLIENTS" triad
"$TARGET/release/examples/load" "$ADDR" "$SECS" "$CLIENTS" sale --stored
"$TARGET/release/examples/load" "$ADDR" "$SECS" 2 ukraine-2025-12

#!/usr/bin/env bash
# Load test of `accord serve`: POST /api/analyze on loopback for a bounded
# time; prints requests/s, latency percentiles and errors per scenario.
# Usage: bench/load.sh [SECS] [CLIENTS]   (defaults: 10 s, 4 clients)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
CLIENTS=${2:-4}
TMP=$(mktemp -d)
# Copy the executables right after building. With a target directory shared
# between checkouts, target/release/accord may be another checkout's build:
# then touch our main.rs so cargo relinks it, and copy again.
for _ in 1 2 3; do
  cargo build --release -q -p accord-cli --bin accord
  cargo build --release -q -p accord-server --example load
  T=${CARGO_TARGET_DIR:-target}
  cp "$T/release/accord" "$T/release/examples/load" "$TMP/"
  "$TMP/accord" serve --help >/dev/null 2>&1 && break
  touch crates/accord-cli/src/main.rs
done
"$TMP/accord" serve --port 0 --db "$TMP/load.db" --budget 60 > "$TMP/out" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do grep -q listening "$TMP/out" && break; sleep 0.1; done
ADDR=$(grep -o '127.0.0.1:[0-9]*' "$TMP/out")
echo "server $ADDR, $(nproc) cores"
"$TMP/load" "$ADDR" "$SECS" "$CLIENTS" sale
"$TMP/load" "$ADDR" "$SECS" "$CLIENTS" triad
"$TMP/load" "$ADDR" "$SECS" "$CLIENTS" sale --stored
"$TMP/load" "$ADDR" "$SECS" 2 ukraine-2025-12

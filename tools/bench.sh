#!/usr/bin/env bash
# Runs every benchmark binary in BUILD_DIR/bin (named *_bench).
set -euo pipefail
build=${1:-build-release}
shopt -s nullglob
for b in "$build"/bin/*_bench; do
    echo "== $(basename "$b")"
    "$b" --benchmark_counters_tabular=true
done

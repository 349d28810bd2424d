#!/usr/bin/env bash
# CI smoke: every fuzz target for ~10 s (bench/fuzz.sh 10). Fails on any crash, hang or leak.
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/fuzz.sh "${FUZZ_SMOKE_SECONDS:-10}"

#!/bin/sh
# EqualInfoAC encode/decode throughput and what the window resets allow (docs/EIW.md):
# the prefix cache (every window starts from the same state) and lanes (windows of different
# documents share each pass over M1's weights), each setting with a full round trip check.
#   bench/eiw/throughput.sh out/m1 out/eiw/throughput.jsonl
# Release build; run on an otherwise idle machine for absolute numbers.
set -e
M1=${1:?M1 checkpoint or training directory}
DOCS=${2:?JSONL documents}
W=${WINNOW:-.build/release/winnow}
run() { echo "== $*"; $W eiw roundtrip --model "$M1" -b 16 -v 65536 "$@" "$DOCS" | grep -E "^encode|round trip"; }
run --threads 1 --lanes 1 --decode-threads 1 --decode-lanes 1 --cached-prefix 0
run --threads 1 --lanes 1 --decode-threads 1 --decode-lanes 1 --cached-prefix 2
run --threads 1 --lanes 8 --decode-threads 1 --decode-lanes 8 --cached-prefix 2
run --threads 1 --lanes 32 --decode-threads 1 --decode-lanes 32 --cached-prefix 2
run --threads 2 --lanes 32 --decode-threads 2 --decode-lanes 32 --cached-prefix 2

#!/usr/bin/env bash
# Dedup at scale: 1,000,000 mutated bench documents through MinHash (bench/dedup/million.yaml)
# with 2 worker processes; prints the summary, wall time and peak RSS (largest process).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f /tmp/million/docs-019.jsonl.gz ] || python3 bench/dedup/make_million.py /tmp/million 1000000 20
swift build -c release >/dev/null
rm -rf /tmp/million-run
/usr/bin/time -v .build/release/winnow run bench/dedup/million.yaml --output-dir /tmp/million-run --workers 2 --progress none 2>/tmp/million.time
grep -E "Elapsed|Maximum resident" /tmp/million.time

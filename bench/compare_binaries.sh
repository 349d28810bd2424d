#!/usr/bin/env bash
# Two winnow binaries side by side in one sitting, runs interleaved (A B A B …), median wall
# time of RUNS each: bench/scaling.yaml with 2 workers (the bench WARC in 8 splits), the FineWeb
# pipeline and the MAP-CC pipeline with 1 worker (release builds; a quiet machine).
#   bench/compare_binaries.sh BINARY_A BINARY_B      (PIPELINES=DIR for older pipeline files)
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1; b=$2; RUNS=${RUNS:-5}; P=${PIPELINES:-pipelines}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() {  # binary pipeline workers → ms
  rm -rf "$tmp/run"; local s; s=$(date +%s%N)
  "$1" run "$2" --output-dir "$tmp/run" --workers "$3" --progress none >/dev/null 2>&1 || [ $? -eq 3 ]
  echo $(( ($(date +%s%N) - s) / 1000000 ))
}
for job in "bench/scaling.yaml 2" "$P/fineweb.yaml 1" "$P/map-cc.yaml 1"; do
  set -- $job
  : > "$tmp/a"; : > "$tmp/b"
  for ((i = 0; i < RUNS; i++)); do run "$a" "$1" "$2" >> "$tmp/a"; run "$b" "$1" "$2" >> "$tmp/b"; done
  ma=$(median < "$tmp/a"); mb=$(median < "$tmp/b")
  awk -v n="$1" -v w="$2" -v a="$ma" -v b="$mb" 'BEGIN {printf "%-28s workers %s: A %6d ms  B %6d ms  B/A %.3f\n", n, w, a, b, b / a}'
done

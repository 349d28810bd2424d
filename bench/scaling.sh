#!/usr/bin/env bash
# Worker scaling: bench/scaling.yaml (the 60 MB benchmark WARC in 8 equal splits, 8 tasks,
# sha1 digest checks + filters) with 1 and 2 local worker processes, release build.
# Prints the median wall time of RUNS runs each, docs/s and the speed-up.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
swift build -c release >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A med
for w in 1 2; do
  for ((i = 0; i < RUNS; i++)); do
    rm -rf "$tmp/run"
    s=$(date +%s%N)
    .build/release/winnow run bench/scaling.yaml --output-dir "$tmp/run" --workers "$w" --progress none >/dev/null
    echo $(( ($(date +%s%N) - s) / 1000000 ))
  done > "$tmp/times-$w"
  med[$w]=$(median < "$tmp/times-$w")
done
docs=$(grep -o '"docs_in":[0-9]*' "$tmp/run/stats.json" | head -1 | cut -d: -f2)
for w in 1 2; do
  echo "workers=$w: median ${med[$w]} ms over $RUNS runs ($(tr '\n' ' ' < "$tmp/times-$w")ms), $(( docs * 1000 / med[$w] )) records/s"
done
awk -v a="${med[1]}" -v b="${med[2]}" 'BEGIN {printf "speed-up with 2 workers: %.2fx\n", a / b}'

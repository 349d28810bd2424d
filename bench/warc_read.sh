#!/usr/bin/env bash
# WARC reading throughput (gzip members + record parse + HTTP decode + UTF-8 text, no extraction)
# against `zcat FILE > /dev/null`, side by side on one core, median of N runs each.
#   bench/warc_read.sh [FILE] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-../shared/data/warc/bench/bench-60mb.warc.gz}
runs=${2:-9}
swift build -c release --product winnow >/dev/null
bin=.build/release/winnow

ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

zs=(); ws=()
for _ in $(seq "$runs"); do
  zs+=("$(ms taskset -c 0 sh -c "zcat '$file' > /dev/null")")
  ws+=("$(ms taskset -c 0 "$bin" read --count "$file")")
done
size=$(stat -c %s "$file")
z=$(printf '%s\n' "${zs[@]}" | median)
w=$(printf '%s\n' "${ws[@]}" | median)
"$bin" read --count "$file"
awk -v s="$size" -v z="$z" -v w="$w" 'BEGIN {
  printf "zcat:   %6d ms  %7.1f MB/s of .gz input\n", z, s / 1e3 / z
  printf "winnow: %6d ms  %7.1f MB/s of .gz input (read + HTTP decode + text)\n", w, s / 1e3 / w
  printf "ratio:  %.2fx zcat (median of '"$runs"' runs each, wall time incl. process start, pinned to core 0)\n", z / w
}'

#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 60) and prints executions and crashes per
# target. Usage: bench/fuzz.sh [SECONDS] [TARGET...]
#   FUZZ_RSS_MB (2048), FUZZ_TIMEOUT (10 s per input), FUZZ_JOBS (1) tune the runs;
#   FUZZ_RUNS=N stops each target after N executions instead (SECONDS is then an upper bound).
# Targets are built with -sanitize=fuzzer,address (libFuzzer + ASan/LeakSanitizer) into
# .build-fuzz, apart from the normal build. The work corpus grows in .build-fuzz/corpus/<target>
# (seeded from Fuzz/Seeds/<target>); crashes land in .build-fuzz/crashes/<target>/ (not SwiftPM's own artifacts/, which a build empties).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
all=(FuzzGzipWARC FuzzZstd FuzzJSONL FuzzHTMLExtract FuzzCharset FuzzFastText FuzzTiktoken FuzzHFTokenizer FuzzSentencePiece FuzzSafetensors)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
build=.build-fuzz
flags=(-c release --build-path "$build" -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING)
for t in "${targets[@]}"; do
  mkdir -p "$build"; swift build "${flags[@]}" --product "$t" >"$build/build.log" 2>&1 || { cat "$build/build.log" >&2; exit 1; }
done
bin=$(swift build "${flags[@]}" --show-bin-path)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export SWIFT_BACKTRACE=enable=no
status=0
printf '%-16s %12s %8s %8s %s\n' target executions exec/s crashes "result"
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t art=$build/crashes/$t log=$build/logs/$t.log
  mkdir -p "$corpus" "$art" "$(dirname "$log")"
  before=$(ls "$art" | wc -l)
  extra=()
  [ -n "${FUZZ_RUNS:-}" ] && extra+=(-runs="$FUZZ_RUNS")
  set +e
  "$bin/$t" "$corpus" "Fuzz/Seeds/$t" -max_total_time="$seconds" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" \
    -timeout="${FUZZ_TIMEOUT:-10}" -max_len="${FUZZ_MAX_LEN:-65536}" -print_final_stats=1 \
    -artifact_prefix="$art/" "${extra[@]}" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  found=$(( $(ls "$art" | wc -l) - before ))
  result=ok
  if [ $rc -ne 0 ] || [ "$found" -gt 0 ]; then
    result="FAILED (exit $rc; see $log, $art)"
    status=1
  fi
  printf '%-16s %12s %8s %8s %s\n' "$t" "$execs" "$rate" "$found" "$result"
done
exit $status

#!/usr/bin/env bash
# Runs the four shipped pipelines (on the 60 MB bench WARC and the bundled samples) with a given
# winnow binary and writes each run under OUT/<pipeline>/; with two OUT directories it compares
# every file under steps/ and stats.json byte for byte.
#   bench/identical_output.sh run  WINNOW_BINARY OUT     (release build; ~5 min on 2 cores)
#   bench/identical_output.sh diff OUT_BEFORE OUT_AFTER
# PIPELINES=DIR takes the pipeline files from DIR (e.g. an older checkout's pipelines/).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  run)
    bin=$2; out=$3
    mkdir -p "$out"
    for p in quickstart fineweb fineweb-zh-en map-cc; do
      rc=0
      "$bin" run "${PIPELINES:-pipelines}/$p.yaml" --output-dir "$out/$p" --workers 2 --progress none --force >"$out/$p.log" 2>&1 || rc=$?
      echo "$p: exit $rc"
      [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || { tail -5 "$out/$p.log"; exit 1; }
    done ;;
  diff)
    a=$2; b=$3; bad=0; n=0
    for p in quickstart fineweb fineweb-zh-en map-cc; do
      files=$( (cd "$a/$p" && find steps -type f; echo stats.json) | sort)
      other=$( (cd "$b/$p" && find steps -type f; echo stats.json) | sort)
      if [ "$files" != "$other" ]; then echo "$p: different file lists"; diff <(echo "$files") <(echo "$other") | head; bad=1; continue; fi
      d=0
      for f in $files; do n=$((n+1)); cmp -s "$a/$p/$f" "$b/$p/$f" || { echo "$p: $f differs"; d=1; bad=1; }; done
      echo "$p: $(echo "$files" | wc -l) files, $([ $d -eq 0 ] && echo identical || echo DIFFERENT)"
    done
    echo "$n files compared: $([ $bad -eq 0 ] && echo all identical || echo DIFFERENCES)"
    exit $bad ;;
  *) sed -n 2,6p "$0"; exit 2 ;;
esac

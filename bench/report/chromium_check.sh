#!/usr/bin/env bash
# Opens `winnow report` pages in headless Chromium: no console errors, every section present in
# the rendered DOM, a screenshot, and the render time (load + layout).
# Usage: bench/report/chromium_check.sh WINNOW_BIN OUT_DIR RUN_DIR...
#   With no RUN_DIR it runs the quick start (out/quickstart) and also checks a copy of it with a
#   synthetic 1,000-step training log (steps/tokens/metrics.jsonl).
# Chromium is Debian's `chromium` (WINNOW_EXTRA_PACKAGES=chromium scripts/setup.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:?usage: chromium_check.sh WINNOW_BIN OUT_DIR [RUN_DIR...]}; out=${2:?OUT_DIR}; shift 2
command -v chromium >/dev/null || WINNOW_EXTRA_PACKAGES=chromium scripts/setup.sh
mkdir -p "$out"
runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then
  "$bin" run pipelines/quickstart.yaml --progress none >/dev/null
  rm -rf "$out/quickstart-trained" && cp -r out/quickstart "$out/quickstart-trained"
  python3 - "$out/quickstart-trained/steps/tokens/metrics.jsonl" <<'PY'
import json, math, sys
with open(sys.argv[1], "w") as f:
    for s in range(1, 1001):
        row = {"step": s, "loss": 2 + 6 / math.sqrt(s), "lr": 1e-3 * min(1, s / 100)}
        if s % 50 == 0: row["val_loss"] = 2.1 + 6 / math.sqrt(s)
        f.write(json.dumps(row) + "\n")
PY
  runs=(out/quickstart "$out/quickstart-trained")
fi
chrome=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400)
# Render time: a wrapper page loads the report in an iframe and, at the iframe's load, forces
# style and layout (offsetHeight) and stamps the time since navigation start (real clock).
render_ms() {
  local page=$1 wrap="$out/wrap-$(basename "$1")"
  cat >"$wrap" <<HTML
<!DOCTYPE html><html><body><iframe id="f" style="width:1280px;height:2400px" src="$(basename "$page")"></iframe>
<script>const f=document.getElementById('f');f.onload=()=>{const h=f.contentDocument.body.offsetHeight;
document.body.setAttribute('data-ms',String(Math.round(performance.now())));document.body.setAttribute('data-h',String(h));};</script></body></html>
HTML
  local t=() ; for _ in 1 2 3; do
    t+=("$("${chrome[@]}" --allow-file-access-from-files --dump-dom "file://$(realpath "$wrap")" 2>/dev/null | grep -o 'data-ms="[0-9]*"' | grep -o '[0-9]*')")
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 2p
}
status=0
printf '%-34s %8s %10s %8s %s\n' report KB render_ms console result
for run in "${runs[@]}"; do
  name=$(basename "$run")
  page="$out/$name.html"
  "$bin" report "$run" -o "$page" >/dev/null
  log="$out/$name.console.log"
  "${chrome[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$(realpath "$page")" >"$out/$name.dom.html" 2>"$log" || true
  errors=$(grep -c 'CONSOLE\|Uncaught\|ERROR:.*file://' "$log" || true)
  missing=()
  for id in overview step-; do grep -q "id=\"$id" "$out/$name.dom.html" || missing+=("$id"); done
  for s in $(grep -o 'href="#step-[^"]*"' "$page" | sort -u | sed 's/href="#//; s/"//'); do
    grep -q "id=\"$s\"" "$out/$name.dom.html" || missing+=("$s")
  done
  if grep -q metrics.jsonl <(ls "$run"/steps/*/ 2>/dev/null) && ! grep -q 'train loss' "$out/$name.dom.html"; then missing+=(training); fi
  "${chrome[@]}" --screenshot="$out/$name.png" "file://$(realpath "$page")" >/dev/null 2>&1
  render=$(render_ms "$page")
  result=ok
  if [ "$errors" -gt 0 ] || [ ${#missing[@]} -gt 0 ] || [ -z "$render" ] || [ "$render" -gt 2000 ]; then
    result="FAILED (missing: ${missing[*]:-none}; see $log)"; status=1
  fi
  printf '%-34s %8s %10s %8s %s\n' "$name" "$(( $(stat -c %s "$page") / 1024 ))" "$render" "$errors" "$result"
done
echo "screenshots: $out/*.png (render_ms: median of 3, navigation start to the report's load with layout forced)"
exit $status

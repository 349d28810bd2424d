#!/usr/bin/env bash
# The bench WARC holds 170 real pages x 4 copies (distinct URLs, identical payloads): MinHash
# dedup (default cjk shingles, 14 x 8) must leave at most one copy of each page.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release >/dev/null
cat > /tmp/kfold.yaml <<'YAML'
name: kfold
steps:
  - name: dedup
    input: {paths: [../shared/data/warc/bench/bench-60mb.warc.gz], format: warc, record_types: [response], split: 4MB}
    tasks: 4
    minhash: {}
YAML
rm -rf /tmp/kf
.build/release/winnow run /tmp/kfold.yaml --output-dir /tmp/kf --workers 2 --progress none | grep -A4 "^step dedup:"
python3 - <<'PY'
import collections, glob, json, re, subprocess
kept = collections.Counter()
for f in sorted(glob.glob('/tmp/kf/steps/dedup/0*.jsonl.zst')):
    for l in subprocess.run(['zstd', '-dc', f], capture_output=True, text=True).stdout.splitlines():
        kept[re.sub(r'[?&]_bench_rep=\d+', '', json.loads(l)['metadata']['url'])] += 1
print(f"pages kept: {len(kept)} of 170 (the rest are near-duplicates of kept pages on raw HTML); pages with more than one copy kept: {sum(v > 1 for v in kept.values())}")
PY

#!/usr/bin/env python3
"""MAP-CC rules' speed, before/after in one sitting: the stage time of `mapcc_filter` (R3 on
jieba's words, no fastText) from the run summary of a one-step pipeline, on the HPLT zh sample
repeated to ~4 MB, one core, for each winnow binary given, interleaved, median of N runs.

    python bench/chinese/mapcc_speed.py OLD_WINNOW NEW_WINNOW [--runs 7]
"""
import argparse, gzip, json, os, statistics, subprocess, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
ap = argparse.ArgumentParser()
ap.add_argument("winnow", nargs="+")
ap.add_argument("--runs", type=int, default=7)
args = ap.parse_args()
import jieba
JIEBA = os.path.dirname(jieba.__file__)
docs = [json.loads(l) for l in gzip.open(os.path.join(DATA, "zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz"), "rt", encoding="utf-8")]
once = "".join(json.dumps({"id": str(i), "text": d["text"], "metadata": {"url": d.get("url", "")}}, ensure_ascii=False) + "\n" for i, d in enumerate(docs))
reps = max(1, int(4e6 // len(once.encode())))
work = tempfile.mkdtemp()
data = os.path.join(work, "zh.jsonl")
with open(data, "w", encoding="utf-8") as f:
    f.write(once * reps)
stages = "[mapcc_filter: {model: none, jieba: %s}]" % JIEBA
rates = {w: [] for w in args.winnow}
for k in range(args.runs):
    for w in args.winnow:
        d = tempfile.mkdtemp(dir=work)
        y = os.path.join(d, "p.yaml")
        with open(y, "w") as f:
            f.write(f"name: zh\nsteps:\n  - name: s\n    input: {{paths: [{data}]}}\n    stages: {stages}\n")
        r = subprocess.run(["taskset", "-c", "0", w, "run", y, "--output-dir", os.path.join(d, "out"), "--workers", "0", "--progress", "none"],
                           capture_output=True, text=True, cwd=ROOT)
        row = [l.split() for l in (r.stdout + r.stderr).splitlines() if l.strip().startswith("mapcc_filter ")]
        rates[w].append(float(row[0][7]))
print(f"mapcc_filter (jieba R3, no fastText), HPLT zh x{reps} ({len(once.encode()) * reps / 1e6:.1f} MB), stage MB/s, median of {args.runs}:")
for w, r in rates.items():
    print(f"  {w}: {statistics.median(r):.1f} MB/s  (runs: {', '.join(f'{x:.1f}' for x in r)})")

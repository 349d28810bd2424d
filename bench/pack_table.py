#!/usr/bin/env python3
"""bfd vs concat vs pad on a pipeline's token shards (the table in docs/PACKING.md).

    python3 bench/pack_table.py pipelines/quickstart.yaml --out /tmp/qs-pack
    python3 bench/pack_table.py pipelines/fineweb.yaml --out /tmp/fw-pack --workers 2

Copies the pipeline with three pack steps (bfd, concat, pad; seq_len L) reading its `tokens`
step, runs it from the repository root (the pipelines' paths are relative to it), and prints
per strategy: documents, tokens, sequences, the lower bound ceil(tokens / L) per shard, padding
fraction, documents cut because they are longer than L (necessary) and cut although they fit
(unnecessary), and tokens dropped (none: every strategy keeps every token; the last sequence of a
window is padded, not dropped).
"""
import argparse, json, os, subprocess, sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

ap = argparse.ArgumentParser()
ap.add_argument("pipeline")
ap.add_argument("--out", required=True)
ap.add_argument("--winnow", default=os.path.join(ROOT, ".build/release/winnow"))
ap.add_argument("--seq-len", type=int, default=2048)
ap.add_argument("--from-step", default="tokens")
ap.add_argument("--workers", default="2")
args = ap.parse_args()
L = args.seq_len

yaml = open(args.pipeline).read().rstrip("\n") + "\n"
for s in ["bfd", "concat", "pad"]:
    yaml += f"  - name: pack_{s}\n    input: {{from: {args.from_step}}}\n    pack: {{seq_len: {L}, strategy: {s}}}\n"
os.makedirs(args.out, exist_ok=True)
p = os.path.join(args.out, "pipeline.yaml")
open(p, "w").write(yaml)
r = subprocess.run([args.winnow, "run", p, "--output-dir", os.path.join(args.out, "run"), "--workers", args.workers, "--progress", "none"],
                   cwd=ROOT, capture_output=True, text=True)
if r.returncode not in (0, 3):
    sys.exit(f"winnow run failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
run = os.path.join(args.out, "run")
steps = {x["step"]: x for x in json.load(open(os.path.join(run, "stats.json")))["steps"]}
# Lower bound: per shard, ceil(tokens / L) (pack works shard by shard).
bound = 0
for name in sorted(os.listdir(os.path.join(run, "steps", "pack_bfd"))):
    if name.endswith(".boundaries.jsonl"):
        t = sum(json.loads(l)["tokens"] for l in open(os.path.join(run, "steps", "pack_bfd", name)))
        bound += -(-t // L)
print(f"seq_len {L}; lower bound (sum over shards of ceil(tokens / L)): {bound} sequences")
print("| strategy | documents | tokens | sequences | vs concat | padding | cut, necessary (> L) | cut, unnecessary | tokens dropped |")
print("|---|---|---|---|---|---|---|---|---|")
concat = steps["pack_concat"]["counters"]["sequences"]
for s in ["bfd", "concat", "pad"]:
    c = steps[f"pack_{s}"]["counters"]
    n = c["sequences"]
    print(f"| {s} | {c['documents']:,} | {c['tokens']:,} | {n:,} | {100 * (n - concat) / concat:+.2f} % | {100 * c['padding_tokens'] / (n * L):.2f} % | "
          f"{c['documents_cut'] - c['documents_cut_needlessly']:,} | {c['documents_cut_needlessly']:,} | 0 |")
# What bounds bfd from the data: its pieces (documents cut at L) longer than L/2 cannot share a
# sequence, so bfd needs at least max(ceil(T/L), pieces > L/2) per shard.
import glob, struct
import numpy as np


def lengths(step_dir):
    out = []
    for idx in sorted(glob.glob(os.path.join(step_dir, "*.idx"))):
        raw = open(idx, "rb").read()
        n = struct.unpack_from("<Q", raw, 18)[0]
        out.append(np.frombuffer(raw, np.int32, n, 34).astype(np.int64))
    for ix in sorted(glob.glob(os.path.join(step_dir, "*.ds.index"))):
        ends = np.fromfile(ix, np.uint64).astype(np.int64)
        out.append(np.diff(np.concatenate([[0], ends])))
    return out


half_bound = 0
all_lens = []
for ls in lengths(os.path.join(run, "steps", args.from_step)):
    rem = ls % L
    full = ls // L
    big = int((rem > L // 2).sum()) + int(full.sum())
    half_bound += max(-(-int(ls.sum()) // L), big)
    all_lens.append(ls)
ls = np.concatenate(all_lens) if all_lens else np.zeros(0, np.int64)
print(f"documents: mean {ls.mean():.0f} tokens, median {int(np.median(ls))}; longer than L: {(ls > L).sum():,} "
      f"({100 * (ls > L).mean():.1f} %, holding {100 * ls[ls > L].sum() / ls.sum():.1f} % of the tokens); "
      f"pieces longer than L/2 (one sequence each): {int(((ls % L) > L // 2).sum() + (ls // L).sum()):,}; "
      f"bfd lower bound max(ceil(T/L), pieces > L/2) per shard: {half_bound:,}")

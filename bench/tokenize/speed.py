"""Encoding speed, one core, side by side on the same files: Winnow vs Python tiktoken vs HF
tokenizers, en and zh separately, with identical ids (SHA-1 of all ids as uint32 LE).

    /work/venv/bin/python bench/tokenize/speed.py [--repeats 3] [--only cl100k,...] [--sets en,zh]

Each side encodes every document of the set one by one on one thread, the text already in
memory; CPU time of the process (the machine is shared: wall time would mostly measure the
other jobs), the median of --repeats passes.
"""
import argparse, hashlib, os, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench/parity"))
os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
import numpy as np  # noqa: E402
import tokenizer_corpus  # noqa: E402
from tokenizer_refs import references, TiktokenRef  # noqa: E402


def python_side(ref, texts, repeats):
    times, ids = [], None
    for _ in range(repeats):
        t0 = time.process_time()
        if isinstance(ref, TiktokenRef):
            ids = [ref.enc.encode_ordinary(t) for t in texts]
        else:
            ref.tok.encode_special_tokens = True
            ids = [ref.tok.encode(t, add_special_tokens=False).ids for t in texts]
        times.append(time.process_time() - t0)
    flat = np.fromiter((i for doc in ids for i in doc), dtype="<u4")
    return statistics.median(times), hashlib.sha1(flat.tobytes()).hexdigest(), len(flat)


def winnow_side(winnow, ref, path, repeats):
    out = subprocess.run([winnow, "tokenizer", "speed", "--tokenizer", ref.file, "--format", "jsonl", path,
                          "--repeats", str(repeats)], check=True, capture_output=True, text=True).stdout
    kv = dict(x.split("=") for x in out.split())
    return float(kv["seconds"]), kv["sha1"], int(kv["tokens"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", default="cl100k,o200k,qwen,hf-llama3-style,hf-qwen2-style,hf-gpt-neo,hf-llama2")
    ap.add_argument("--sets", default="en,zh")
    ap.add_argument("--winnow", default=os.path.join(ROOT, ".build/release/winnow"))
    args = ap.parse_args()
    sets = tokenizer_corpus.build()
    refs = references()
    print(f"{'tokenizer':16s} {'set':4s} {'MB':>6s} {'winnow MB/s':>12s} {'ref MB/s':>10s} {'ratio':>7s}  ids")
    for setname in args.sets.split(","):
        texts = tokenizer_corpus.load(sets[setname])
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        for name in args.only.split(","):
            ref = refs[name]
            rs, rh, rn = python_side(ref, texts, args.repeats)
            ws, wh, wn = winnow_side(args.winnow, ref, sets[setname], args.repeats)
            same = "identical" if (rh, rn) == (wh, wn) else f"DIFFERENT ({rn} vs {wn} tokens)"
            kind = "tiktoken" if isinstance(ref, TiktokenRef) else "HF"
            print(f"{name:16s} {setname:4s} {mb:6.1f} {mb / ws:12.1f} {mb / rs:10.1f} {rs / ws:6.1f}x  {same} (vs {kind})", flush=True)


if __name__ == "__main__":
    main()

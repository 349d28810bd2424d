"""Encoding speed, one core, side by side on the same files: Winnow vs Python tiktoken vs HF
tokenizers, en and zh separately, with identical ids (SHA-1 of all ids as uint32 LE).

    python bench/tokenize/speed.py [--repeats 3] [--mb 4] [--only cl100k,...] [--sets en,zh]

Each side encodes every document of the set one by one on one thread, the text already in
memory; CPU time of the process (the machine is shared: wall time would mostly measure the
other jobs); Winnow makes one untimed pass first, since the references' process stays warm from
one repetition to the next. The sides alternate within each repetition (Winnow, then the references), and
each figure is the median of --repeats passes; "paired" is the median over repetitions of the
ratio within one repetition (the machine drifts less between the two sides of one repetition
than across the run). References: tiktoken `encode_ordinary` per
document; HF `Tokenizer.encode` per document and `encode_batch` of all documents (one thread:
RAYON_NUM_THREADS=1, TOKENIZERS_PARALLELISM=false). `--mb` keeps each set's first documents
up to that many MB (0: whole set). The load average is printed before and after.
"""
import argparse, hashlib, json, os, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench/parity"))
os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
import numpy as np  # noqa: E402
import tokenizer_corpus  # noqa: E402
from tokenizer_refs import references, TiktokenRef  # noqa: E402


def digest(ids):
    flat = np.fromiter((i for doc in ids for i in doc), dtype="<u4")
    return hashlib.sha1(flat.tobytes()).hexdigest(), len(flat)


def timed(fn):
    t0 = time.process_time()
    out = fn()
    return time.process_time() - t0, out


def reference_modes(ref, texts):
    """(label, function returning the ids of all texts) per reference mode."""
    if isinstance(ref, TiktokenRef):
        return [("tiktoken", lambda: [ref.enc.encode_ordinary(t) for t in texts])]
    ref.tok.encode_special_tokens = True
    return [("HF encode", lambda: [ref.tok.encode(t, add_special_tokens=False).ids for t in texts]),
            ("HF batch", lambda: [e.ids for e in ref.tok.encode_batch(texts, add_special_tokens=False)])]


def winnow_once(winnow, ref, path):
    # One untimed pass first: the references run every repetition in one warm Python process,
    # while each Winnow repetition is a new process (its allocator would otherwise map fresh
    # pages for the first pass's buffers, which a long-running tokenize step does once).
    out = subprocess.run([winnow, "tokenizer", "speed", "--tokenizer", ref.file, "--format", "jsonl", path,
                          "--warmup", "1", "--repeats", "1"], check=True, capture_output=True, text=True).stdout
    kv = dict(x.split("=") for x in out.split())
    return float(kv["seconds"]), (kv["sha1"], int(kv["tokens"]))


def subset(path, name, mb):
    if mb <= 0:
        return path
    out = os.path.join(tokenizer_corpus.OUT, f"{name}-{mb:g}mb.jsonl")
    if not os.path.exists(out):
        limit, total = mb * 1e6, 0
        with open(path, encoding="utf-8") as f, open(out + ".tmp", "w", encoding="utf-8") as g:
            for line in f:
                total += len(json.loads(line)["text"].encode("utf-8"))
                g.write(line)
                if total >= limit:
                    break
        os.replace(out + ".tmp", out)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--mb", type=float, default=4)
    ap.add_argument("--only", default="cl100k,o200k,qwen,hf-gpt-neo,hf-llama2,hf-llama3-style,hf-qwen2-style")
    ap.add_argument("--sets", default="en,zh")
    ap.add_argument("--winnow", default=os.path.join(ROOT, ".build/release/winnow"))
    args = ap.parse_args()
    sets = tokenizer_corpus.build()
    refs = references()
    print("load before:", os.getloadavg(), flush=True)
    print(f"{'tokenizer':16s} {'set':4s} {'MB':>5s} {'winnow MB/s':>11s}  reference: MB/s ratio ids ...")
    for setname in args.sets.split(","):
        path = subset(sets[setname], setname, args.mb)
        texts = tokenizer_corpus.load(path)
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        for name in args.only.split(","):
            ref = refs[name]
            modes = reference_modes(ref, texts)
            wt, rt = [], {label: [] for label, _ in modes}
            wh, rh = None, {}
            for _ in range(args.repeats):
                s, wh = winnow_once(args.winnow, ref, path)
                wt.append(s)
                for label, fn in modes:
                    s, ids = timed(fn)
                    rt[label].append(s)
                    rh[label] = digest(ids)
            w = statistics.median(wt)
            cols = []
            for label, _ in modes:
                r = statistics.median(rt[label])
                # Each repetition times both sides back to back, so their ratio sees one machine
                # state; the median of those ratios moves less than the ratio of the medians.
                paired = statistics.median(x / y for x, y in zip(rt[label], wt))
                same = "same ids" if rh[label] == wh else f"DIFFERENT ({rh[label][1]} vs {wh[1]} tokens)"
                cols.append(f"{label} {mb / r:6.2f} MB/s {r / w:5.1f}x (paired {paired:4.1f}x) {same}")
            print(f"{name:16s} {setname:4s} {mb:5.1f} {mb / w:11.1f}  " + " | ".join(cols), flush=True)
    print("load after:", os.getloadavg(), flush=True)


if __name__ == "__main__":
    main()

"""Byte-level BPE training parity: `winnow tokenizer train` against HF tokenizers' BpeTrainer.

    python bench/parity/bpe_train_parity.py [--winnow .build/release/winnow]
        [--runs en,zh,en+zh,text] [--vocab-size 32000] [--fixture]

Each run trains with HF (a BPE model, pre-tokenizer Split(pattern, isolated) + ByteLevel(no prefix
space, no regex), initial alphabet = the 256 ByteLevel characters, the same special tokens,
min_frequency and vocabulary size) and with Winnow on the same files, each in its own process
under /usr/bin/time -v, one after the other. It checks: the merges list, in order; the vocabulary
(token -> id); the tokenizer.json files byte for byte; then encodes held-out documents with HF
loading HF's file, HF loading Winnow's file, and `winnow tokenizer encode` on Winnow's file: ids
must be identical. It prints wall time and peak RSS of both trainers.

JSONL inputs are one sequence per document (HF: train_from_iterator over the texts); text inputs
one per line with its newline (HF: Tokenizer.train(files)).

--fixture regenerates Tests/WinnowTokenizeTests/Fixtures/bpe_train_* (a tiny corpus and the merges
HF learns from it) for the Swift unit tests.
"""
import argparse, gzip, json, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.environ.get("WINNOW_SHARED_DATA", os.path.join(os.path.dirname(ROOT), "shared", "data"))

EN = [os.path.join(DATA, "extraction-dev/wceb/ground-truth", f + ".jsonl")
      for f in ["cleaneval", "dragnet", "google-trends-2017", "cleanportaleval"]]
ZH = [os.path.join(DATA, "zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz")]
HELD_OUT = [(os.path.join(DATA, "zh-web/chinesewebtext/ccnet_CC-MAIN-2022-21_zh_100docs.jsonl"), "raw_content"),
            (os.path.join(DATA, "en-web/cc_en_head-0091.jsonl.gz"), "text"),
            (os.path.join(DATA, "en-web/cc_en_head-0174.jsonl.gz"), "text")]

PATTERNS = {
    # As HF-converted GPT-4 tokenizers write it: tiktoken's possessive `\p{N}{1,3}+` is "any digit
    # run" to Oniguruma (Ruby syntax: `{n,m}+` is a repeat of a repeat, not possessive).
    "cl100k": r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+""",
    "o200k": "|".join([
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""", r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""", r"""\s*[\r\n]+""", r"""\s+(?!\S)""", r"""\s+"""]),
    "gpt2": r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""",
}


def read_texts(path, key="text"):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt", encoding="utf-8") as f:
        return [json.loads(l)[key] for l in f if l.strip()]


def hf_tokenizer(pattern):
    from tokenizers import Tokenizer, Regex, decoders, models, pre_tokenizers
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(pattern), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    return tok


def hf_train_main(a):
    """Child process: train with HF, save tokenizer.json, print the training seconds."""
    from tokenizers import pre_tokenizers, trainers
    tok = hf_tokenizer(PATTERNS.get(a.pattern, a.pattern))
    tr = trainers.BpeTrainer(vocab_size=a.vocab_size, min_frequency=a.min_frequency, special_tokens=a.special,
                             initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    if all(p.endswith((".jsonl", ".jsonl.gz")) for p in a.inputs):
        texts = [t for p in a.inputs for t in read_texts(p)]
        t0 = time.time()
        tok.train_from_iterator(texts, tr)
    else:
        t0 = time.time()
        tok.train(a.inputs, tr)
    secs = time.time() - t0
    os.makedirs(a.out, exist_ok=True)
    tok.save(os.path.join(a.out, "tokenizer.json"))
    print(json.dumps({"train_seconds": secs}))


def timed(cmd):
    """(stdout, wall seconds, peak RSS MB) of cmd under /usr/bin/time -v."""
    t0 = time.time()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    wall = time.time() - t0
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-3000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    return p.stdout, wall, rss


def train_both(winnow, name, inputs, vocab, pattern, specials, min_freq, work):
    hf_dir, w_dir = os.path.join(work, name, "hf"), os.path.join(work, name, "winnow")
    sp = sum(([f"--special", s] for s in specials), [])
    out, hf_wall, hf_rss = timed([sys.executable, os.path.abspath(__file__), "--hf-train", "--out", hf_dir,
                                  "--vocab-size", str(vocab), "--pattern", pattern, "--min-frequency", str(min_freq)]
                                 + sp + ["--inputs"] + inputs)
    hf_train = json.loads(out.strip().splitlines()[-1])["train_seconds"]
    _, w_wall, w_rss = timed([winnow, "tokenizer", "train", "--vocab-size", str(vocab), "--pattern", pattern,
                              "--min-frequency", str(min_freq), "--quiet", "-o", w_dir] + sp + inputs)
    return hf_dir, w_dir, (hf_wall, hf_train, hf_rss), (w_wall, w_rss)


def compare(winnow, hf_dir, w_dir, held_out):
    from tokenizers import Tokenizer
    hj = json.load(open(os.path.join(hf_dir, "tokenizer.json")))
    wj = json.load(open(os.path.join(w_dir, "tokenizer.json")))
    hm, wm = hj["model"]["merges"], wj["model"]["merges"]
    first = next((i for i, (x, y) in enumerate(zip(hm, wm)) if x != y), None)
    merges_ok = hm == wm
    vocab_ok = hj["model"]["vocab"] == wj["model"]["vocab"]
    bytes_ok = open(os.path.join(hf_dir, "tokenizer.json"), "rb").read() == open(os.path.join(w_dir, "tokenizer.json"), "rb").read()
    hf_a = Tokenizer.from_file(os.path.join(hf_dir, "tokenizer.json"))
    hf_b = Tokenizer.from_file(os.path.join(w_dir, "tokenizer.json"))
    ids_a = [e.ids for e in hf_a.encode_batch(held_out, add_special_tokens=False)]
    ids_b = [e.ids for e in hf_b.encode_batch(held_out, add_special_tokens=False)]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for t in held_out:
            f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
    out = subprocess.run([winnow, "tokenizer", "encode", "--tokenizer", os.path.join(w_dir, "tokenizer.json"),
                          "--format", "jsonl", f.name], check=True, capture_output=True).stdout
    os.unlink(f.name)
    ids_w = [[int(x) for x in l.split()] for l in out.decode().split("\n")[:-1]]
    return {"merges": len(hm), "merges_equal": merges_ok, "first_merge_diff": first, "vocab_equal": vocab_ok,
            "json_bytes_equal": bytes_ok, "encode_hf_on_winnow_json": ids_a == ids_b,
            "encode_winnow": ids_a == ids_w, "held_out_tokens": sum(map(len, ids_a))}


def write_fixture():
    """A tiny corpus (text lines) and the merges HF learns from it with cl100k, 2 specials, 400 tokens."""
    fx = os.path.join(ROOT, "Tests/WinnowTokenizeTests/Fixtures")
    docs = read_texts(EN[2])[:40] + read_texts(ZH[0])[:12]
    corpus = os.path.join(fx, "bpe_train_corpus.txt")
    with open(corpus, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(d[:1500].replace("\r", "") + "\n")
    work = tempfile.mkdtemp()
    specials = ["<|endoftext|>", "<|pad|>"]
    for vocab, mf, name in [(700, 0, "cl100k"), (600, 3, "o200k")]:
        out = os.path.join(work, name)
        subprocess.run([sys.executable, os.path.abspath(__file__), "--hf-train", "--out", out, "--vocab-size", str(vocab),
                        "--pattern", name, "--min-frequency", str(mf), "--special", specials[0], "--special", specials[1],
                        "--inputs", corpus], check=True, capture_output=True)
        j = json.load(open(os.path.join(out, "tokenizer.json")))
        with open(os.path.join(fx, f"bpe_train_{name}_merges.json"), "w", encoding="utf-8") as f:
            head = json.dumps({"vocab_size": vocab, "min_frequency": mf, "pattern": name, "special_tokens": specials},
                              ensure_ascii=False)
            f.write(head[:-1] + ', "merges": [\n')
            f.write(",\n".join(json.dumps(m, ensure_ascii=False) for m in j["model"]["merges"]))
            f.write("\n]}\n")
    print("fixture written to", fx, os.path.getsize(corpus), "bytes of corpus")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hf-train", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--inputs", nargs="*")
    ap.add_argument("--special", action="append", default=[])
    ap.add_argument("--min-frequency", type=int, default=0)
    ap.add_argument("--pattern", default="cl100k")
    ap.add_argument("--vocab-size", type=int, default=32000)
    ap.add_argument("--winnow", default=os.path.join(ROOT, ".build/release/winnow"))
    ap.add_argument("--runs", default="en,zh,en+zh,text")
    ap.add_argument("--fixture", action="store_true")
    a = ap.parse_args()
    if a.hf_train:
        return hf_train_main(a)
    if a.fixture:
        return write_fixture()
    held_out = [t for p, k in HELD_OUT for t in read_texts(p, k)]
    work = tempfile.mkdtemp(prefix="bpe_train_parity_")
    specials = ["<|endoftext|>", "<|pad|>"]
    runs = {
        "en": (EN, "cl100k", 0),
        "zh": (ZH, "cl100k", 2),
        "en+zh": (EN + ZH, "cl100k", 0),
        "en+zh-o200k": (EN + ZH, "o200k", 0),
        "en+zh-gpt2": (EN + ZH, "gpt2", 0),
    }
    failed = 0
    for name in a.runs.split(","):
        if name == "text":
            # One text file, trained line by line (HF's Tokenizer.train(files)).
            path = os.path.join(work, "en.txt")
            with open(path, "w", encoding="utf-8") as f:
                for p in EN:
                    for t in read_texts(p):
                        f.write(t + "\n")
            inputs, pattern, mf = [path], "cl100k", 0
        else:
            inputs, pattern, mf = runs[name]
        size = sum(len(t.encode()) for p in inputs for t in (read_texts(p) if p.endswith((".jsonl", ".jsonl.gz")) else [open(p, encoding="utf-8").read()]))
        hf_dir, w_dir, (hw, ht, hr), (ww, wr) = train_both(a.winnow, name, inputs, a.vocab_size, pattern, specials, mf, work)
        r = compare(a.winnow, hf_dir, w_dir, held_out)
        ok = r["merges_equal"] and r["vocab_equal"] and r["encode_hf_on_winnow_json"] and r["encode_winnow"]
        failed += not ok
        print(f"{name}: {size / 1e6:.1f} MB text, pattern {pattern}, vocab {a.vocab_size}, min_frequency {mf}: "
              f"{'OK' if ok else 'DIFF'} {json.dumps(r)}")
        print(f"  HF     wall {hw:.2f} s (train call {ht:.2f} s), peak RSS {hr:.0f} MB")
        print(f"  Winnow wall {ww:.2f} s, peak RSS {wr:.0f} MB; speed-up {hw / ww:.2f}x (vs train call {ht / ww:.2f}x)")
        sys.stdout.flush()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

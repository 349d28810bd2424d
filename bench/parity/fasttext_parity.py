#!/usr/bin/env python3
"""fastText parity and speed: the official binding vs `winnow fasttext predict-prob`.

Documents: every document of ../shared/data/warc/bench/bench-text.jsonl.gz plus the en/zh web
samples (HPLT zh, ChineseWebText, CC en head, Dolma), each as one line with newlines replaced by
spaces (FineWeb/datatrove's current handling). Model: lid.176.ftz (or --model).

Compares top-1 label (must agree on >= 99.9 % of documents) and probability (|diff| <= 1e-4),
then times both on the same lines, one core each: the official binding's `model.predict(text)` per
document (as datatrove calls it) against winnow's CLI reading the same file.

Run with the fasttext-predict venv:  python bench/parity/fasttext_parity.py
"""
import argparse, gzip, json, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")


def jsonl(path, field="text"):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)[field]


def documents():
    sources = [
        ("bench-text", os.path.join(DATA, "warc/bench/bench-text.jsonl.gz")),
        ("hplt-zh", os.path.join(DATA, "zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz")),
        ("chinesewebtext", os.path.join(DATA, "zh-web/chinesewebtext/ccnet_CC-MAIN-2022-21_zh_100docs.jsonl")),
        ("cc-en-0091", os.path.join(DATA, "en-web/cc_en_head-0091.jsonl.gz")),
        ("cc-en-0174", os.path.join(DATA, "en-web/cc_en_head-0174.jsonl.gz")),
        ("dolma", os.path.join(DATA, "en-web/dolma_provided_documents_000.json.gz")),
    ]
    docs = []
    for name, path in sources:
        field = "raw_content" if "ccnet_" in path else "text"
        n = 0
        for t in jsonl(path, field):
            docs.append((name, t.replace("\n", " ")))
            n += 1
        print(f"  {name}: {n} documents", file=sys.stderr)
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(DATA, "models/langid/lid.176.ftz"))
    ap.add_argument("--winnow", default=os.path.join(ROOT, ".build/release/winnow"))
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    import fasttext

    docs = documents()
    lines = [t for _, t in docs]
    nbytes = sum(len(t.encode()) + 1 for t in lines)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        for t in lines:
            f.write(t + "\n")
        path = f.name

    model = fasttext.load_model(a.model)
    # Per document, as datatrove's LanguageFilter calls it (this binding's list form returns
    # labels only).
    results = [model.predict(t, k=1) for t in lines]
    labels = [r[0] for r in results]
    probs = [r[1] for r in results]
    out = subprocess.run([a.winnow, "fasttext", "predict-prob", a.model, path, "1"], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    assert len(out) == len(lines), (len(out), len(lines))
    agree = 0
    worst = 0.0
    mismatches = []
    for i, (o, l, p) in enumerate(zip(out, labels, probs)):
        parts = o.split(" ")
        wl, wp = (parts[0], float(parts[1])) if len(parts) >= 2 else ("", 0.0)
        ol = l[0] if len(l) else ""
        op = float(p[0]) if len(p) else 0.0
        if wl == ol:
            agree += 1
            worst = max(worst, abs(wp - op))
        else:
            mismatches.append((i, docs[i][0], ol, op, wl, wp))
    print(f"documents: {len(lines)} ({nbytes / 1e6:.1f} MB)")
    print(f"top-1 label agreement: {agree}/{len(lines)} = {100 * agree / len(lines):.3f} %")
    print(f"max |probability difference| where labels agree: {worst:.2e}  (printed %g values: 6 significant digits)")
    for m in mismatches[:10]:
        print("  mismatch doc %d (%s): official %s %.6f, winnow %s %.6f" % m)

    def time_official():
        t = time.perf_counter()
        for x in lines:
            model.predict(x, k=1)
        return time.perf_counter() - t

    def time_winnow():
        t = time.perf_counter()
        subprocess.run([a.winnow, "fasttext", "predict-prob", a.model, path, "1"], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t

    to = statistics.median(time_official() for _ in range(a.runs))
    tw = statistics.median(time_winnow() for _ in range(a.runs))
    print(f"official binding (predict per document): {to * 1000:.0f} ms = {len(lines) / to:.0f} docs/s, {nbytes / 1e6 / to:.1f} MB/s")
    print(f"winnow predict-prob (whole process): {tw * 1000:.0f} ms = {len(lines) / tw:.0f} docs/s, {nbytes / 1e6 / tw:.1f} MB/s")
    print(f"winnow / official throughput: {to / tw:.2f}x  (median of {a.runs})")
    os.unlink(path)
    ok = agree / len(lines) >= 0.999 and worst <= 1e-4
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

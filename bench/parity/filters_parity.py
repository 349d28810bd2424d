#!/usr/bin/env python3
"""Filter parity with datatrove (PyPI): each filter run alone by datatrove and by
`winnow apply` on the same documents — bench-text, the HPLT zh sample, the ChineseWebText CCNet
sample, the en-web samples, the ChineseWebText quality samples, the ScrapingHub article bodies
and 1,000 ChnSentiCorp reviews (5,584 documents) — comparing keep/drop and the drop reason, and
timing both (one core each).
Run: python bench/parity/filters_parity.py
With datatrove 0.2.0 (FineWeb's release; NLTK and its punkt_tab model) the Winnow stages run with
`preset: fineweb-2024` and the `nltk:` release of the venv's NLTK — 3.8.1 is what FineWeb ran:
     NLTK_DATA=DIR python bench/parity/filters_parity.py   # python of a venv with nltk 3.8.1
     NLTK_DATA=DIR python bench/parity/filters_parity.py   # python of a venv with datatrove 0.2.0
"""
import collections, gzip, json, os, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
from datatrove.data import Document
from datatrove.pipeline.filters import GopherQualityFilter, GopherRepetitionFilter, FineWebQualityFilter, C4QualityFilter
from importlib.metadata import version
DT = version("datatrove")
PRESET = "fineweb-2024" if DT.startswith("0.2.") else None
NLTK = None
if PRESET:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from nltk_compat import RELEASE as NLTK, use_punkt_tab
    use_punkt_tab()
print(f"datatrove {DT}; Winnow preset: {PRESET or 'datatrove-current'}" + (f", nltk: {NLTK} (NLTK {version('nltk')})" if PRESET else ""))

def stage(name, **params):
    if PRESET:
        params["preset"] = PRESET
        params["nltk"] = NLTK
    if not params:
        return name
    return name + ": {" + ", ".join(f"{k}: {str(v).lower() if isinstance(v, bool) else v}" for k, v in params.items()) + "}"

docs = []
for path, field in [("warc/bench/bench-text.jsonl.gz", "text"), ("zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz", "text"),
                    ("zh-web/chinesewebtext/ccnet_CC-MAIN-2022-21_zh_100docs.jsonl", "raw_content"), ("en-web/cc_en_head-0091.jsonl.gz", "text"),
                    ("en-web/cc_en_head-0174.jsonl.gz", "text"), ("en-web/dolma_provided_documents_000.json.gz", "text")]:
    opener = gzip.open if path.endswith(".gz") else open
    for l in opener(os.path.join(DATA, path), "rt", encoding="utf-8"):
        docs.append(json.loads(l)[field])
for f in ("quality_clean_10docs.jsonl", "quality_dirty_10docs.jsonl"):
    docs += [json.loads(l)["text"] for l in open(os.path.join(DATA, "zh-web/chinesewebtext", f), encoding="utf-8")]
docs += [v["articleBody"] for v in json.load(open(os.path.join(DATA, "extraction-dev/scrapinghub-dev/ground-truth.json"))).values()]
import csv
docs += [r["review"] for r, _ in zip(csv.DictReader(gzip.open(os.path.join(DATA, "zh-web/reviews/ChnSentiCorp_htl_all.csv.gz"), "rt", encoding="utf-8")), range(1000))]
tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
for i, t in enumerate(docs):
    tmp.write(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n")
tmp.close()
mb = os.path.getsize(tmp.name) / 1e6
print(f"documents: {len(docs)} ({mb:.1f} MB)")

filters = [("gopher_repetition", stage("gopher_repetition"), GopherRepetitionFilter()), ("gopher_quality", stage("gopher_quality"), GopherQualityFilter()),
           ("fineweb_quality", stage("fineweb_quality"), FineWebQualityFilter(None)), ("c4_quality", stage("c4_quality"), C4QualityFilter()),
           ("c4_quality (FineWeb: no terminal-punct rule)", stage("c4_quality", filter_no_terminal_punct=False), C4QualityFilter(filter_no_terminal_punct=False))]
for name, stage_spec, f in filters:
    t = time.perf_counter()
    ref = []
    ref_text = []
    for i, text in enumerate(docs):
        d = Document(text=text, id=str(i))
        try:
            r = f.filter(d)
        except ZeroDivisionError:
            r = (False, "ZeroDivisionError")
        ref.append("keep" if r is True else (r[1] if isinstance(r, tuple) else "drop"))
        ref_text.append(d.text)
    t_dt = time.perf_counter() - t
    t = time.perf_counter()
    out = subprocess.run(["taskset", "-c", "0", os.path.join(ROOT, ".build/release/winnow"), "apply", "--stages", f"[{stage_spec}]", "--keep-dropped", tmp.name],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    t_w = time.perf_counter() - t
    out_docs = [json.loads(l) for l in out]
    ours = [d["metadata"].get("drop_reason", "keep") for d in out_docs]
    assert len(ours) == len(ref)
    decision = sum((a == "keep") == (b == "keep") for a, b in zip(ref, ours))
    reason = sum(a == b for a, b in zip(ref, ours))
    both = [(a, d["text"]) for a, b, d in zip(ref_text, ref, out_docs) if b == "keep" and d["metadata"].get("drop_reason") is None]
    text_same = sum(a == b for a, b in both)
    print(f"{name:18} kept texts identical {text_same}/{len(both)};", end=" ")
    print(f"decisions agree {100 * decision / len(ref):.2f} %, reasons agree {100 * reason / len(ref):.2f} %;"
          f" datatrove {t_dt:.1f} s, winnow {t_w:.2f} s ({t_dt / t_w:.0f}x)")
    diffs = collections.Counter((a, b) for a, b in zip(ref, ours) if a != b)
    for (a, b), n in diffs.most_common(6):
        print(f"    {n:5d}  datatrove {a}  winnow {b}")

# The chain FineWeb runs, one core each, same documents.
chain = [GopherRepetitionFilter(), GopherQualityFilter(), C4QualityFilter(filter_no_terminal_punct=False), FineWebQualityFilter(None)]
t = time.perf_counter()
kept = 0
for i, text in enumerate(docs):
    d = Document(text=text, id=str(i))
    ok = True
    for f in chain:
        try:
            r = f.filter(d)
        except ZeroDivisionError:
            r = False
        if r is not True:
            ok = False
            break
    kept += ok
t_dt = time.perf_counter() - t
t = time.perf_counter()
out = subprocess.run(["taskset", "-c", "0", os.path.join(ROOT, ".build/release/winnow"), "apply", "--stages",
                      "[" + ", ".join([stage("gopher_repetition"), stage("gopher_quality"), stage("c4_quality", filter_no_terminal_punct=False), stage("fineweb_quality")]) + "]", tmp.name],
                     capture_output=True, text=True, check=True).stdout.splitlines() if os.path.exists(tmp.name) else []
t_w = time.perf_counter() - t
print(f"chain (gopher_repetition → gopher_quality → c4 (FineWeb) → fineweb_quality): datatrove keeps {kept}, winnow keeps {len(out)}; datatrove {t_dt:.1f} s, winnow {t_w:.2f} s ({t_dt / t_w:.1f}x)")
os.unlink(tmp.name)

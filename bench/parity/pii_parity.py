#!/usr/bin/env python3
"""PII replacement parity: datatrove's PIIFormatter vs `winnow apply --stages [pii]` on the same
documents (the filters' 4,510 plus hard cases), comparing the output texts; one core each.
Run: python bench/parity/pii_parity.py
"""
import gzip, json, os, subprocess, tempfile, time
from datatrove.data import Document
from datatrove.pipeline.formatters import PIIFormatter
from importlib.metadata import version
# datatrove 0.2.0 (FineWeb's release) ⇒ Winnow's `preset: fineweb-2024` (lowercase-only emails)
STAGE = "[pii: {preset: fineweb-2024}]" if version("datatrove").startswith("0.2.") else "[pii]"
print(f"datatrove {version('datatrove')}: winnow {STAGE}")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
docs = []
for path, field in [("warc/bench/bench-text.jsonl.gz", "text"), ("zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz", "text"),
                    ("zh-web/chinesewebtext/ccnet_CC-MAIN-2022-21_zh_100docs.jsonl", "raw_content"), ("en-web/cc_en_head-0091.jsonl.gz", "text"),
                    ("en-web/cc_en_head-0174.jsonl.gz", "text"), ("en-web/dolma_provided_documents_000.json.gz", "text")]:
    opener = gzip.open if path.endswith(".gz") else open
    docs += [json.loads(l)[field] for l in opener(os.path.join(DATA, path), "rt", encoding="utf-8")]
docs += ["mail john.doe@example.co.uk or a..b@c.com, x@[10.0.0.1] and me@b-.com; #tag@host.org", "servers 8.8.8.8, 10.1.2.3, 1234.1.1.1, 1.2.3.456, 01.2.3.4 and 192.168.0.1:80",
         "ünï@exämple.com a_b@c.io (test@test.test)."]
tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
for i, t in enumerate(docs):
    tmp.write(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n")
tmp.close()
f = PIIFormatter()
t = time.perf_counter()
ref = []
for i, text in enumerate(docs):
    d = Document(text=text, id=str(i))
    ref.append(f.format(d.text))
t_dt = time.perf_counter() - t
t = time.perf_counter()
out = subprocess.run(["taskset", "-c", "0", os.path.join(ROOT, ".build/release/winnow"), "apply", "--stages", STAGE, tmp.name], capture_output=True, text=True, check=True).stdout.splitlines()
t_w = time.perf_counter() - t
ours = [json.loads(l)["text"] for l in out]
same = sum(a == b for a, b in zip(ref, ours))
changed = sum(a != b for a, b in zip(ref, docs))
print(f"documents: {len(docs)}, {changed} changed by datatrove; identical output: {same}/{len(docs)}; datatrove {t_dt:.1f} s, winnow {t_w:.2f} s ({t_dt / t_w:.0f}x)")
for a, b, o in zip(ref, ours, docs):
    if a != b:
        import difflib
        for op in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op[0] != "equal":
                print("   datatrove", repr(a[max(0, op[1] - 30):op[2] + 30]), "\n   winnow   ", repr(b[max(0, op[3] - 30):op[4] + 30])); break
os.unlink(tmp.name)

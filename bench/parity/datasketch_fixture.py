#!/usr/bin/env python3
"""Fixture for Tests/WinnowDedupTests: datasketch's legacy MinHash (num_perm=128, seed 1) of the
raw character 13-grams of 25 HPLT zh documents and a few edge cases, as MAP-CC computes it; the
test compares the first 117 values (9 × 13).
Run: python bench/parity/datasketch_fixture.py
"""
import gzip, json, os
from datasketch import MinHash

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
texts = [json.loads(l)["text"][:600] for l in gzip.open(os.path.join(DATA, "zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz"), "rt", encoding="utf-8")][:25]
texts += ["短文本", "恰好十三个字符的一段中文文本", "Mixed 中文 and English, with emoji 😀 and spaces\n\nand lines."]
docs = []
for t in texts:
    m = MinHash(num_perm=128, seed=1)
    grams = [t[i:i + 13] for i in range(len(t) - 12)]
    for g in grams:
        m.update(g.encode("utf8"))
    docs.append({"text": t, "signature": [int(x) for x in m.hashvalues[:117]] if grams else None})
a, b = MinHash(num_perm=128, seed=1).permutations
json.dump({"a": [int(x) for x in a[:3]], "b": [int(x) for x in b[:3]], "docs": docs},
          open(os.path.join(ROOT, "Tests/WinnowDedupTests/Fixtures/datasketch-minhash.json"), "w"), ensure_ascii=False)

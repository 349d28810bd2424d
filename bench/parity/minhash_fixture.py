#!/usr/bin/env python3
"""Ground truth for the WinnowDedup tests from datatrove (PyPI): for 60 real documents of the
bench text (every 56th) plus edge cases, datatrove's simplify_text output, English word tokens,
and MinhashDedupSignature signatures (sha1, 64-bit, 5-grams, 14x8, seed 1); and the first
permutation parameters of numpy's RandomState(1).

python bench/parity/minhash_fixture.py > Tests/WinnowDedupTests/Fixtures/datatrove-minhash.json
"""
import gzip, json, os, tempfile
import numpy as np
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
from datatrove.utils.hashing import HashConfig
from datatrove.utils.text import simplify_text

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
docs = [json.loads(l)["text"] for l in gzip.open(os.path.join(ROOT, "../shared/data/warc/bench/bench-text.jsonl.gz"), "rt", encoding="utf-8")]
texts = [d[:1500] for d in docs[::56]]
texts += ["Don't stop: it cannot be 3.5km away, gonna say 1,000€!", "≠ sign ≮ and ° 12°C § text", "Ünïcödé café naïve İstanbul",
          "short", "", "   spaces   and\ttabs\nnewlines  ", "日本語のテキスト、東京は大きい。", "①②③ ١٢٣ 四五六 7.5 ٣٫٤"]
step = MinhashDedupSignature(output_folder=tempfile.mkdtemp(), config=MinhashConfig(hash_config=HashConfig(hash_fc="sha1", precision=64)))
a, b = step.parameters
out = {"a": [int(x) for x in a[0][:5]] + [int(a[0][-1])], "b": [int(x) for x in b[0][:5]] + [int(b[0][-1])], "docs": []}
for t in texts:
    simple = simplify_text(t)
    sh = step.get_shingles(t)
    sig = None if sh.size == 0 else [int(v) for band in step.get_signature(sh) for v in band]
    out["docs"].append({"text": t, "simplified": simple, "tokens": step.word_tokenizer.word_tokenize(simple), "signature": sig})
print(json.dumps(out, ensure_ascii=False))

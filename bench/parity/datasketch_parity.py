#!/usr/bin/env python3
"""MAP-CC's MinHash (SPECS §2.2) vs Winnow's: datasketch's legacy `MinHash(num_perm=128, seed=1)`
(sha1_hash32, permutations drawn pair by pair, values masked to 32 bits before the minimum) fed
the character 13-grams of the raw text, as CT-LLM's deduplication does, against `winnow minhash
signatures --unit raw_chars --ngrams 13 --hash sha1 --bits 32 --bands 9 --rows 13 --permutations
datasketch` (the first 117 values, the 9 × 13 bands MAP-CC's LSH reads), on the HPLT zh sample
and the ChineseWebText CCNet documents. Also times both, one core each.
Run: python bench/parity/datasketch_parity.py   (datasketch < 2: legacy scheme)
"""
import gzip, json, os, subprocess, tempfile, time
from datasketch import MinHash

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
texts = [json.loads(l)["text"] for l in gzip.open(os.path.join(DATA, "zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz"), "rt", encoding="utf-8")]
texts += [json.loads(l)["raw_content"] for l in open(os.path.join(DATA, "zh-web/chinesewebtext/ccnet_CC-MAIN-2022-21_zh_100docs.jsonl"), encoding="utf-8")]
texts += ["短文本", "", "恰好十三个字符的一段中文文本"]

t = time.perf_counter()
theirs = []
for text in texts:
    m = MinHash(num_perm=128, seed=1)
    grams = ["".join(text[i:i + 13]) for i in range(len(text) - 12)]
    for g in grams:
        m.update(g.encode("utf8"))
    theirs.append([int(x) for x in m.hashvalues[:117]] if grams else None)
t_ds = time.perf_counter() - t

tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
for i, text in enumerate(texts):
    tmp.write(json.dumps({"id": str(i), "text": text}, ensure_ascii=False) + "\n")
tmp.close()
t = time.perf_counter()
ours = subprocess.run([os.path.join(ROOT, ".build/release/winnow"), "minhash", "signatures", tmp.name, "--unit", "raw_chars", "--ngrams", "13",
                       "--hash", "sha1", "--bits", "32", "--bands", "9", "--rows", "13", "--permutations", "datasketch"],
                      capture_output=True, text=True, check=True).stdout.splitlines()
t_w = time.perf_counter() - t
same = sum((None if o == "-" else [int(x) for x in o.split()]) == th for o, th in zip(ours, theirs))
print(f"documents: {len(texts)}; identical signatures: {same}/{len(texts)}; datasketch {t_ds:.1f} s, winnow {t_w:.2f} s ({t_ds / t_w:.0f}x)")
os.unlink(tmp.name)

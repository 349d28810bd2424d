#!/usr/bin/env python3
"""MinHash signature parity with datatrove (PyPI: datatrove, spacy, xxhash).

For every document of ../shared/data/warc/bench/bench-text.jsonl.gz, datatrove's
MinhashDedupSignature (sha1, 64-bit, 5-gram words, 14 bands x 8 rows, seed 1, English
tokenizer) computes shingles and a signature; `winnow minhash signatures --unit words --hash sha1`
computes its own. Reports: documents whose shingle *sets* agree, documents whose signatures
agree, and whether the signature math agrees on every document whose shingles agree.
Then times both on the same documents (one core each). `--bits 32` checks datatrove's 32-bit
configuration (values masked to 32 bits before the minimum). With datatrove 0.2.0 (FineWeb's: its
simplify_text and NLTK word_tokenize) Winnow runs `--preset fineweb-2024`:
    NLTK_DATA=DIR python bench/parity/minhash_parity.py
"""
import gzip, json, os, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
WINNOW = os.path.join(ROOT, ".build/release/winnow")

from importlib.metadata import version
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
OLD = version("datatrove").startswith("0.2.")
PRESET = []
if OLD:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from nltk_compat import RELEASE, use_punkt_tab
    use_punkt_tab()
    PRESET = ["--preset", "fineweb-2024", "--nltk", RELEASE]
else:
    from datatrove.utils.hashing import HashConfig

path = os.path.join(DATA, "warc/bench/bench-text.jsonl.gz")
docs = [json.loads(l) for l in gzip.open(path, "rt", encoding="utf-8")]
BITS = int(sys.argv[sys.argv.index("--bits") + 1]) if "--bits" in sys.argv else 64
cfg = MinhashConfig(use_64bit_hashes=BITS == 64) if OLD else MinhashConfig(hash_config=HashConfig(hash_fc="sha1", precision=BITS))
step = MinhashDedupSignature(output_folder=tempfile.mkdtemp(), config=cfg)

t = time.perf_counter()
theirs = []
shingle_sets = []
for d in docs:
    sh = step.get_shingles(d["text"])
    shingle_sets.append(frozenset(int(x) for x in sh.reshape(-1)))
    theirs.append(None if sh.size == 0 else [v for b in step.get_signature(sh) for v in b])
t_dt = time.perf_counter() - t

tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
for d in docs:
    tmp.write(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n")
tmp.close()
args = [WINNOW, "minhash", "signatures", tmp.name, "--unit", "words", "--hash", "sha1", "--bits", str(BITS), "--bands", "14", "--rows", "8", *PRESET]
t = time.perf_counter()
ours = subprocess.run(args, capture_output=True, text=True, check=True).stdout.splitlines()
t_w = time.perf_counter() - t

same_sig = 0
for i, (o, th) in enumerate(zip(ours, theirs)):
    mine = None if o == "-" else [int(x) for x in o.split()]
    if mine == th:
        same_sig += 1
print(f"datatrove {version('datatrove')}: documents: {len(docs)}, {BITS}-bit sha1 {' '.join(PRESET)}")
print(f"identical signatures (incl. both empty): {same_sig}/{len(docs)} = {100 * same_sig / len(docs):.2f} %")
# The math on identical shingles: feed datatrove's shingle hashes through Winnow's hasher.
args2 = [WINNOW, "minhash", "signatures", "-", "--unit", "words"]
print(f"signature time, one core: datatrove {t_dt:.2f} s ({len(docs) / t_dt:.0f} docs/s), winnow {t_w:.2f} s ({len(docs) / t_w:.0f} docs/s, whole process): {t_dt / t_w:.1f}x")
mism = [i for i, (o, th) in enumerate(zip(ours, theirs)) if (None if o == '-' else [int(x) for x in o.split()]) != th]
for i in mism[:8]:
    toks = step.word_tokenizer.word_tokenize(__import__('datatrove.utils.text', fromlist=['simplify_text']).simplify_text(docs[i]["text"]))
    print("  differs:", docs[i]["id"], toks[:30])
os.unlink(tmp.name)

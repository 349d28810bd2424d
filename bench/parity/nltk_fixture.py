#!/usr/bin/env python3
"""Test fixture for the fineweb-2024 preset (NLTK tokenization, datatrove 0.2.0 filters) that needs
no NLTK data in CI: trains a small Punkt model on the bundled web sample (samples/text), writes it
as punkt_tab files, and records what NLTK and datatrove 0.2.0 compute with it on those 180
documents plus constructed texts: Punkt sentences, word_tokenize tokens, and each filter's decision.
Run with NLTK 3.8.1 (FineWeb's; writes nltk-2024.json) and with NLTK 3.10.4 (writes nltk-3104.json,
the constructed texts only):
    python bench/parity/nltk_fixture.py
    python bench/parity/nltk_fixture.py
"""
import gzip, json, os, random, shutil, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "Tests/WinnowFiltersTests/Fixtures")
docs = [json.loads(l)["text"] for l in gzip.open(os.path.join(ROOT, "samples/text/web-sample.jsonl.gz"), "rt", encoding="utf-8")]

import sys
import nltk
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nltk_compat import RELEASE, use_punkt_tab
model = os.path.join(FIX, "punkt-mini")
root = tempfile.mkdtemp()
lang = os.path.join(root, "tokenizers", "punkt_tab", "english")
if RELEASE == "3.8.1":
    # The model is trained once, by NLTK 3.8.1 (trainers of other releases give other parameters).
    from nltk.tokenize.punkt import PunktTrainer
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    trainer.train("\n\n".join(docs), finalize=True)
    params = trainer.get_params()
    os.makedirs(lang)
    def write(name, lines):
        with open(os.path.join(lang, name), "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(sorted(lines)))
    write("abbrev_types.txt", params.abbrev_types)
    write("sent_starters.txt", params.sent_starters)
    write("collocations.tab", ["\t".join(c) for c in params.collocations])
    write("ortho_context.tab", [f"{k}\t{v}" for k, v in params.ortho_context.items()])
    shutil.rmtree(model, ignore_errors=True)
    shutil.copytree(lang, model)
else:
    shutil.copytree(model, lang)
os.environ["NLTK_DATA"] = root
nltk.data.path.insert(0, root)
use_punkt_tab(root)
from nltk.tokenize import sent_tokenize, word_tokenize
from datatrove.data import Document
from datatrove.pipeline.filters import GopherQualityFilter, GopherRepetitionFilter, FineWebQualityFilter, C4QualityFilter

rng = random.Random(11)
pieces = ["Mr.", "Dr.", "U.S.", "e.g.", "etc.", "J.", "No.", "3.5", "1,000", "(", ")", "[", "]", "{", "}", "<", ">", '"', "''", "``", "`",
          "'", "'s", "'ll", "n't", "can't", "cannot", "gonna", "wanna", "'tis", "'twas", "d'ye", "more'n", "...", ". . .", "--", "-", "–",
          "?", "!", ";", ":", ",", "@", "#", "$", "%", "&", "*", "«", "»", "“", "”", "‘", "’", "…", "The", "the", "He", "said", "it", "A.",
          "Inc.", "St.", "vs.", "i.e.", "5.", "1990.", "x'", "O'Neil", "\n", "\n\n", " ", "\t", "naïve.", "日本語。", "12:30", "a,b"]
constructed = ["".join(rng.choice(pieces) + rng.choice(["", " ", " ", "\n"]) for _ in range(rng.randint(1, 50))) for _ in range(60)]
texts = docs + constructed

def decision(f, text):
    d = Document(text=text, id="x")
    try:
        r = f.filter(d)
    except ZeroDivisionError:
        return "ZeroDivisionError", None
    return ("keep" if r is True else r[1]), d.text

if RELEASE != "3.8.1":
    from nltk.tokenize.punkt import PunktTokenizer
    punkt = PunktTokenizer("english")
    out = {"texts": constructed, "sentence_spans": [[list(x) for x in punkt.span_tokenize(t)] for t in constructed],
           "words": [word_tokenize(t, "english") for t in constructed]}
    json.dump(out, open(os.path.join(FIX, "nltk-3104.json"), "w"), ensure_ascii=False)
    shutil.rmtree(root)
    sys.exit(0)

filters = {"gopher_repetition": GopherRepetitionFilter(), "gopher_quality": GopherQualityFilter(),
           "fineweb_quality": FineWebQualityFilter(None), "c4_quality_fineweb": C4QualityFilter(filter_no_terminal_punct=False)}
# Tokens of the constructed texts and the first 40 documents (all of them would be megabytes).
WORDS = list(range(40)) + list(range(len(docs), len(texts)))
punkt = nltk.tokenize.load("tokenizers/punkt/english.pickle")
assert all([t[a:b] for a, b in punkt.span_tokenize(t)] == sent_tokenize(t, "english") for t in texts)
out = {"texts": constructed, "sentence_spans": [[list(x) for x in punkt.span_tokenize(t)] for t in texts], "words_of": WORDS,
       "words": [word_tokenize(texts[i], "english") for i in WORDS], "decisions": {}, "c4_texts": []}
# FineWeb's MinHash (datatrove 0.2.0: its simplify_text + NLTK word_tokenize, sha1 64-bit, 14 × 8).
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
sig_step = MinhashDedupSignature(output_folder=tempfile.mkdtemp(), config=MinhashConfig(use_64bit_hashes=True))
out["minhash_of"] = list(range(40))
out["minhash"] = []
for k in range(40):
    sh = sig_step.get_shingles(docs[k])
    out["minhash"].append(None if sh.size == 0 else [str(v) for b in sig_step.get_signature(sh) for v in b])
for name, f in filters.items():
    res = [decision(f, t) for t in docs]
    out["decisions"][name] = [r for r, _ in res]
    if name.startswith("c4"):
        out["c4_texts"] = [t if r == "keep" and t != docs[k] and k < 60 else None for k, (r, t) in enumerate(res)]
json.dump(out, open(os.path.join(FIX, "nltk-2024.json"), "w"), ensure_ascii=False)
shutil.rmtree(root)
print({k: sum(x != "keep" for x in v) for k, v in out["decisions"].items()}, "dropped of", len(docs))

#!/usr/bin/env python3
"""English word tokens: datatrove's `split_into_words(text, "eng")` (spaCy blank English,
whitespace tokens dropped) vs `winnow text words`, on English documents: the en-web samples,
every unique document of the bench text (mostly Chinese: the tokenizer must not break on it), and the ScrapingHub article bodies. Reports the share
of documents with identical token lists and of tokens matched, and the differences.
Run: python bench/parity/english_words.py
"""
import collections, difflib, gzip, json, os, subprocess, sys, tempfile
from datatrove.utils.text import split_into_words

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import english_word_texts
texts = english_word_texts()
tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
for i, t in enumerate(texts):
    tmp.write(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n")
tmp.close()
ours = subprocess.run([os.path.join(ROOT, ".build/release/winnow"), "text", "words", tmp.name], capture_output=True, text=True, check=True).stdout.split("\n")
same_docs = 0; tok_total = 0; tok_same = 0
diffs = collections.Counter()
for t, o in zip(texts, ours):
    ref = split_into_words(t, "eng")
    mine = o.split("\t") if o else []
    if ref == mine:
        same_docs += 1
    sm = difflib.SequenceMatcher(a=ref, b=mine, autojunk=False)
    tok_total += len(ref)
    tok_same += sum(b.size for b in sm.get_matching_blocks())
    for op in sm.get_opcodes():
        if op[0] != "equal":
            diffs[(" ".join(ref[op[1]:op[2]])[:40], " ".join(mine[op[3]:op[4]])[:40])] += 1
print(f"documents: {len(texts)}; identical token lists: {same_docs} ({100 * same_docs / len(texts):.1f} %); tokens matched: {100 * tok_same / max(1, tok_total):.2f} %")
for (a, b), n in diffs.most_common(25):
    print(f"  {n:4d}  datatrove {a!r}  winnow {b!r}")
os.unlink(tmp.name)

#!/usr/bin/env python3
"""NLTK tokenization as datatrove 0.2.0 (the FineWeb release) used it: `sent_tokenize(text,
"english")` (Punkt) and `word_tokenize(text, "english")` (Punkt + NLTKWordTokenizer) vs
`winnow text words --tokenizer nltk [--sentences]`, on the en-web samples, every unique bench
document and the ScrapingHub article bodies. Needs NLTK's punkt_tab English model (NLTK_DATA).
Run: NLTK_DATA=DIR python bench/parity/nltk_words.py (NLTK 3.10.4)
 or NLTK_DATA=DIR python bench/parity/nltk_words.py (NLTK 3.8.1,
 FineWeb's; Winnow then runs with --nltk 3.8.1)
"""
import collections, difflib, gzip, json, os, subprocess, tempfile, time
import nltk
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nltk_compat import RELEASE, use_punkt_tab
use_punkt_tab()
from nltk.tokenize import sent_tokenize, word_tokenize
print(f"NLTK {nltk.__version__}: winnow --nltk {RELEASE}")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import english_word_texts
texts = english_word_texts()
# Constructed texts: random sequences of the pieces every rule looks at.
import random
rng = random.Random(7)
pieces = ["Mr.", "Dr.", "U.S.", "e.g.", "etc.", "J.", "No.", "3.5", "1,000", "(", ")", "[", "]", "{", "}", "<", ">", '"', "''", "``", "`",
          "'", "'s", "'ll", "n't", "can't", "cannot", "gonna", "wanna", "'tis", "'twas", "d'ye", "more'n", "lemme", "gimme", "gotta",
          "...", "..", ". . .", "--", "---", "-", "–", "—", "?", "!", "?!", ";", ":", ",", "@", "#", "$", "%", "&", "*", "«", "»", "“", "”",
          "‘", "’", "„", "…", "The", "the", "He", "said", "it", "A.", "b.", "Inc.", "Corp.", "St.", "vs.", "i.e.", "5.", "1990.", "x'", "O'Neil",
          "'em", "'re", "'ve", "'M", "'D", "'S", "N'T", "\n", "\n\n", " ", "  ", "\t", "Ünïcode", "naïve.", "ſ", "İ", "ı", "K", "日本語。", "中文", "12:30", "3,4", "a,b"]
for _ in range(400):
    texts.append("".join(rng.choice(pieces) + rng.choice(["", " ", " ", " ", "\n"]) for _ in range(rng.randint(1, 60))))
# and 1,000 of single characters where the rules' character classes disagree between releases
# (combining marks, line separators, control whitespace)
chars = list(".!?'\"`-,;: \n\t\r\x0b\x0c\u2028\u0085\x1c([{<>}])aZ09_#@$%&*‘’“”«»–—…。中\u0301\u0903ſİıK²") + ["n't", "'s", "cannot", "Mr.", "U.S.", ". . .", "'tis"]
for _ in range(1000):
    texts.append("".join(rng.choice(chars) for _ in range(rng.randint(0, 120))))
tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
for i, t in enumerate(texts):
    tmp.write(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n")
tmp.close()
WINNOW = os.path.join(ROOT, ".build/release/winnow")

def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")

def compare(name, ref_fn, args):
    t0 = time.perf_counter()
    refs = [ref_fn(t) for t in texts]
    t_ref = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = subprocess.run([WINNOW, "text", "words", "--tokenizer", "nltk", "--nltk", RELEASE, *args, tmp.name], capture_output=True, text=True, check=True).stdout.split("\n")
    t_ours = time.perf_counter() - t0
    same = 0; total = 0; matched = 0; diffs = collections.Counter(); example = {}
    for t, ref, o in zip(texts, refs, ours):
        mine = o.split("\t") if o else []
        if ref == mine:
            same += 1
            continue
        sm = difflib.SequenceMatcher(a=ref, b=mine, autojunk=False)
        for op in sm.get_opcodes():
            if op[0] != "equal":
                key = (" | ".join(ref[op[1]:op[2]])[:60], " | ".join(mine[op[3]:op[4]])[:60])
                diffs[key] += 1
    print(f"{name}: {len(texts)} documents, identical on {same} ({100 * same / len(texts):.2f} %); "
          f"NLTK {t_ref:.2f} s, Winnow {t_ours:.2f} s (whole process)")
    for (a, b), n in diffs.most_common(15):
        print(f"  {n:4d}  nltk {a!r}  winnow {b!r}")

compare("sentences", lambda t: [esc(s) for s in sent_tokenize(t, "english")], ["--sentences"])
compare("words", lambda t: word_tokenize(t, "english"), [])
os.unlink(tmp.name)

#!/usr/bin/env python3
"""Test fixture for Winnow's jieba segmenter that needs no jieba files in CI: a small jieba
model of our own, in jieba's file formats, and what jieba 0.42.1 cuts with it.

- dict.txt: the Han words (with their counts) that jieba's default cut finds in 150 HPLT zh
  pages;
- finalseg/prob_{start,trans,emit}.py: B/M/E/S start, transition and emission log-probabilities
  counted from the same segmentation (add-one smoothed);
- jieba.json: other HPLT pages and ChineseWebText documents (their first 1,500 characters), review texts and built edge cases, the tokens jieba.lcut gives
  with that model (the dictionary through jieba.Tokenizer, the HMM tables patched into
  jieba.finalseg), and each R3 input's mean word length (MAP-CC: NFKC, [^\\w\\s] removed, blank
  tokens dropped).

    python bench/parity/jieba_fixture.py
"""
import collections, gzip, json, logging, math, os, re, shutil, sys, unicodedata
import jieba, jieba.finalseg as finalseg
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import ROOT, chinese_texts

jieba.setLogLevel(logging.ERROR)
OUT = os.path.join(ROOT, "Tests/WinnowTextTests/Fixtures/jieba-mini")
texts = chinese_texts()
# Test texts are cut to 1,500 characters (at a line end) to keep the fixture small.
def head(t, n=1500):
    return t if len(t) <= n else t[:t.rfind("\n", 0, n) + 1 or n]
train, test = texts[:150], [head(t) for t in texts[150:180] + texts[1000:1010] + texts[1130:1150] + texts[-20:]]

words = collections.Counter(w for t in train for w in jieba.lcut(t) if w.strip())
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(os.path.join(OUT, "finalseg"))
kept = sorted((w, n) for w, n in words.items() if re.search("[\u4E00-\u9FD5]", w))  # Han words (jieba's own are nearly all)
with open(os.path.join(OUT, "dict.txt"), "w", encoding="utf-8") as f:
    for w, n in kept:
        f.write(f"{w} {n} x\n")

# HMM counts over the Han words of the training cut.
han = re.compile("^[\u4E00-\u9FD5]+$")
start, trans, emit = collections.Counter(), collections.defaultdict(collections.Counter), collections.defaultdict(collections.Counter)
for t in train:
    prev = None
    for w in jieba.lcut(t):
        if not han.match(w):
            prev = None
            continue
        tags = "S" if len(w) == 1 else "B" + "M" * (len(w) - 2) + "E"
        for c, tag in zip(w, tags):
            if prev is None:
                start[tag] += 1
            else:
                trans[prev][tag] += 1
            emit[tag][c] += 1
            prev = tag
def logp(counter, keys):
    total = sum(counter[k] + 1 for k in keys)
    return {k: math.log((counter[k] + 1) / total) for k in keys}
start_P = {**logp(start, "BS"), "E": -3.14e100, "M": -3.14e100}
trans_P = {"B": logp(trans["B"], "EM"), "E": logp(trans["E"], "BS"), "M": logp(trans["M"], "EM"), "S": logp(trans["S"], "BS")}
emit_P = {s: logp(emit[s], sorted(emit[s])) for s in "BEMS"}
def write(name, value, escape):
    with open(os.path.join(OUT, "finalseg", name), "w", encoding="utf-8") as f:
        f.write("from __future__ import unicode_literals\n\nP={")
        outer = []
        for k, v in value.items():
            if isinstance(v, dict):
                inner = ",\n ".join(("'" + ("\\u%04x" % ord(c) if escape else c) + "': " + repr(p)) for c, p in v.items())
                outer.append(f"'{k}': {{{inner}}}")
            else:
                outer.append(f"'{k}': {v!r}")
        f.write(",\n ".join(outer) + "}\n")
write("prob_start.py", start_P, False)
write("prob_trans.py", trans_P, False)
write("prob_emit.py", emit_P, True)

finalseg.start_P, finalseg.trans_P, finalseg.emit_P = start_P, trans_P, emit_P
tk = jieba.Tokenizer(dictionary=os.path.join(OUT, "dict.txt"))
built = ["版本v1.2.3发布，售价99.5%折扣3.14元 abc.5%x# 123.45.6%%", "第一行\r\n第二行\r\r\n\n 　全角空格",
         "ひらがなとカタカナ混じりの日本語テキスト，東京都", "鿖鿗鿘 龥龦 𠀀𠀁𡃁 中文𠮷野家", "AT&T和c++以及C#还有B超",
         "____---___###&&&", "...。。。!!!", "a", "", "中", "重庆火锅外卖很好吃但是送餐太慢了差评差评差评"]
r3 = [re.sub(r"[^\w\s]", "", unicodedata.normalize("NFKC", t)) for t in test]
def mean(ws):
    ws = [w for w in ws if w.strip()]
    return sum(map(len, ws)) / len(ws) if ws else 0.0
cases = test + built + r3
json.dump({"texts": cases, "tokens": [tk.lcut(t) for t in cases],
           "r3": [{"text": t, "mean": mean(tk.lcut(t))} for t in r3]},
          open(os.path.join(ROOT, "Tests/WinnowTextTests/Fixtures/jieba.json"), "w", encoding="utf-8"), ensure_ascii=False)
print(f"{len(kept)} words, {sum(len(v) for v in emit_P.values())} emission entries, {len(cases)} texts")

#!/usr/bin/env python3
"""jieba.lcut (0.42.1, default: accurate mode with the HMM) vs `winnow text words --tokenizer
jieba` on real Chinese text, raw and as MAP-CC's R3 sees it (NFKC, [^\\w\\s] removed), on the
multilingual bench pages and English web text, plus built texts for the edges (ASCII runs with
dots and %, \\r\\n, kana, Han beyond U+9FD5, characters outside the BMP). Prints token-list agreement, R3 decision agreement and the time
of each side (one core, release build, dictionary loading included and shown apart).

    python bench/parity/jieba_parity.py
"""
import json, logging, os, re, subprocess, sys, tempfile, time, unicodedata
import jieba
from corpus import ROOT, chinese_texts, english_word_texts

jieba.setLogLevel(logging.ERROR)
JIEBA_DIR = os.path.dirname(jieba.__file__)
WINNOW = os.path.join(ROOT, ".build/release/winnow")

real = chinese_texts()
r3 = [re.sub(r"[^\w\s]", "", unicodedata.normalize("NFKC", t)) for t in real]
built = ["版本v1.2.3发布，售价99.5%折扣3.14元 abc.5%x# 123.45.6%%",
         "第一行\r\n第二行\r\r\n\n 　全角空格",
         "ひらがなとカタカナ混じりの日本語テキスト，東京都",
         "鿖鿗鿘 龥龦 𠀀𠀁𡃁 中文𠮷野家",
         "AT&T和c++以及C#还有B超", "____---___###&&&", "...。。。!!!", "a", "", "中",
         "重庆火锅外卖很好吃但是送餐太慢了差评差评差评"]
# Other scripts and languages too (the bench WARC's pages in zh, ja, en, …, English web text):
# everything outside jieba's runs must come out one character at a time, as jieba yields it.
other = english_word_texts()
texts = real + r3 + built + other

def ours(texts, extra=()):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"id": "x", "text": t}, ensure_ascii=False) + "\n")
    t0 = time.perf_counter()
    out = subprocess.run(["taskset", "-c", "0", WINNOW, "text", "words", "--tokenizer", "jieba", "--jieba", JIEBA_DIR, f.name, *extra],
                         capture_output=True, text=True, check=True).stdout
    dt = time.perf_counter() - t0
    os.unlink(f.name)
    return out.split("\n")[:-1], dt

def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")

lines, _ = ours(texts)
_, load_only = ours([""])
t0 = time.perf_counter()
ref = [jieba.lcut(t) for t in texts]
t_jieba = time.perf_counter() - t0
same = sum(l == "\t".join(map(esc, r)) for l, r in zip(lines, ref))
print(f"token lists identical: {same}/{len(texts)}  (real {len(real)}, R3 inputs {len(r3)}, built {len(built)}, other languages {len(other)})")
for l, r, t in zip(lines, ref, texts):
    if l != "\t".join(map(esc, r)):
        a, b = l.split("\t"), [esc(x) for x in r]
        k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        print("  first difference:", a[max(0, k - 3):k + 3], "vs jieba", b[max(0, k - 3):k + 3])
        break

def mean(ws):
    ws = [w for w in ws if w.strip()]
    return sum(map(len, ws)) / len(ws) if ws else 0.0

# R3's path: `winnow text mean-word-length --jieba` (word counts only, no token strings).
def our_means(texts):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\0".join(texts))
    t0 = time.perf_counter()
    out = subprocess.run(["taskset", "-c", "0", WINNOW, "text", "mean-word-length", "--jieba", JIEBA_DIR, f.name], capture_output=True, text=True, check=True).stdout
    dt = time.perf_counter() - t0
    os.unlink(f.name)
    return [float(x) for x in out.split()], dt

r3ref = ref[len(real):len(real) + len(r3)]
means, _ = our_means(r3)
exact = sum(a == mean(r) for a, r in zip(means, r3ref))
agree = sum((1.3 <= a <= 10) == (1.3 <= mean(r) <= 10) for a, r in zip(means, r3ref))
print(f"R3 inputs: mean word length equal to jieba's on {exact}/{len(r3)}; R3 decision (in [1.3, 10]) the same on {agree}/{len(r3)}")
mb = sum(len(t.encode()) for t in r3) / 1e6
_, load_only = our_means([""])
runs = sorted(our_means(r3)[1] for _ in range(3))
ws = runs[1] - load_only
t0 = time.perf_counter()
for t in r3:
    mean(jieba.lcut(t))
t_jieba = time.perf_counter() - t0
print(f"mean word length of the R3 inputs ({mb:.1f} MB): jieba {t_jieba:.2f} s ({mb / t_jieba:.2f} MB/s); winnow {ws:.3f} s ({mb / ws:.1f} MB/s, median of 3, "
      f"less {load_only:.2f} s of loading the dictionary) = {t_jieba / ws:.0f}x")

#!/usr/bin/env python3
"""Chinese cleaning report (issue: MAP-CC / ChineseWebText): on the 1,000-document HPLT zh
sample and the ChineseWebText samples, per-rule drop counts and MB/s of Winnow's stages (release
build, one core), with R3's words from jieba (Winnow's jieba cut, `jieba: DIR`) and from ICU (the
fallback when no jieba is installed); agreement of ICU's Hant-Hans with OpenCC t2s and with
zhconv on traditional text; ICU's mean word length against jieba's (MAP-CC R3).

Run with a venv holding opencc, zhconv and jieba:  python bench/chinese/report.py
"""
import gzip, json, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
WINNOW = os.path.join(ROOT, ".build/release/winnow")

hplt = [json.loads(l) for l in gzip.open(os.path.join(DATA, "zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz"), "rt", encoding="utf-8")]
cwt = [json.loads(l) for f in ("ccnet_CC-MAIN-2022-21_zh_100docs.jsonl", "quality_clean_10docs.jsonl", "quality_dirty_10docs.jsonl")
       for l in open(os.path.join(DATA, "zh-web/chinesewebtext", f), encoding="utf-8")]
sets = {"hplt-zh (1000)": [{"id": str(i), "text": d["text"], "metadata": {"url": d.get("url", "")}} for i, d in enumerate(hplt)],
        "chinesewebtext (120)": [{"id": str(i), "text": d.get("text") or d.get("raw_content"), "metadata": {"url": d.get("url", "")}} for i, d in enumerate(cwt)]}
import jieba
JIEBA = os.path.dirname(jieba.__file__)
stages = {
    "mapcc_filter (jieba)": "[mapcc_filter: {model: %s, jieba: %s}]" % (os.path.join(DATA, "models/langid/lid.176.ftz"), JIEBA),
    "mapcc_filter (jieba, no fastText)": "[mapcc_filter: {model: none, jieba: %s}]" % JIEBA,
    "mapcc_filter (ICU)": "[mapcc_filter: {model: %s}]" % os.path.join(DATA, "models/langid/lid.176.ftz"),
    "mapcc_filter (ICU, no fastText)": "[mapcc_filter: {model: none}]",
    "chinesewebtext_filter": "[chinesewebtext_filter: {sensitive_words: %s}]" % os.path.join(DATA, "zh-web/chinesewebtext/sensitive_words_dict.txt"),
    "cjk_ratio (0.7)": "[cjk_ratio: {min: 0.7}]",
    "similar_line_dedup": "[similar_line_dedup]",
}
for name, docs in sets.items():
    tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
    for d in docs:
        tmp.write(json.dumps(d, ensure_ascii=False) + "\n")
    tmp.close()
    mb = os.path.getsize(tmp.name) / 1e6
    print(f"\n{name}: {len(docs)} documents, {mb:.1f} MB")
    for label, st in stages.items():
        best = None
        for _ in range(3):
            t = time.perf_counter()
            r = subprocess.run(["taskset", "-c", "0", WINNOW, "apply", "--stages", st, tmp.name], capture_output=True, text=True)
            dt = time.perf_counter() - t
            best = dt if best is None or dt < best else best
        line = [l for l in r.stderr.splitlines() if "in," in l][-1].strip()
        print(f"  {label:34} {mb / best:6.1f} MB/s {len(docs) / best:8.0f} docs/s  {line}")
    # The stage's own throughput (no reading, parsing or writing; model and list loading
    # excluded), from the run summary of a one-step pipeline, median of 7 (this machine is a
    # shared VM whose speed wanders by ±10 %). A small set is repeated up to ~4 MB, so that
    # first-touch costs (page faults, cold caches) do not stand for the rules' speed.
    reps = max(1, int(4e6 // (mb * 1e6)))
    if reps > 1:
        with open(tmp.name, encoding="utf-8") as f:
            once = f.read()
        with open(tmp.name, "w", encoding="utf-8") as f:
            f.write(once * reps)
    print(f"  stage time only (winnow run summary, median of 7{f', the set repeated {reps}x' if reps > 1 else ''}):")
    for label, st in stages.items():
        stage_name = st.strip("[]").split(":")[0].strip()
        rates = []
        for k in range(7):
            with tempfile.TemporaryDirectory() as d:
                y = os.path.join(d, "p.yaml")
                with open(y, "w") as f:
                    f.write(f"name: zh\nsteps:\n  - name: s\n    input: {{paths: [{tmp.name}]}}\n    stages: {st}\n")
                r = subprocess.run(["taskset", "-c", "0", WINNOW, "run", y, "--output-dir", os.path.join(d, "out"), "--workers", "0", "--progress", "none"],
                                   capture_output=True, text=True, cwd=ROOT)
                row = [l.split() for l in (r.stdout + r.stderr).splitlines() if l.strip().startswith(stage_name + " ")]
                if row:
                    rates.append(float(row[0][7]))
        if rates:
            rate = sorted(rates)[len(rates) // 2]
            print(f"    {label:34} {rate:6.1f} MB/s {len(docs) * rate / mb:8.0f} docs/s")
    os.unlink(tmp.name)

# Traditional → simplified: ICU Hant-Hans vs OpenCC t2s (character agreement on traditional text).
import opencc, zhconv, jieba
conv = opencc.OpenCC("t2s")
trad = [d["text"] for d in hplt if zhconv.convert(d["text"], "zh-cn") != d["text"]]
trad_text = "\n".join(zhconv.convert(t, "zh-tw") for t in [d["text"] for d in hplt[:100]])  # simplified pages made traditional
for label, text in (("HPLT pages zhconv flags as traditional", "\n".join(trad)), ("100 HPLT pages converted to zh-tw", trad_text)):
    f = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8"); f.write(text); f.close()
    ours = subprocess.run([WINNOW, "text", "t2s", f.name], capture_output=True, text=True).stdout
    ref = conv.convert(text)
    same = sum(a == b for a, b in zip(ours, ref))
    print(f"\nt2s {label}: {len(ref)} chars, ICU Hant-Hans = OpenCC t2s on {100 * same / max(1, len(ref)):.2f} % of characters" + ("" if len(ours) == len(ref) else f" (lengths differ: {len(ours)} vs {len(ref)})"))
    os.unlink(f.name)

# Mean word length (MAP-CC R3): ICU dictionary segmentation vs jieba on the same NFKC texts.
texts = [re.sub(r"[^\w\s]", "", t) for t in (d["text"] for d in hplt[:300])]
f = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8"); f.write("\x00".join(texts)); f.close()
ours = [float(x) for x in subprocess.run([WINNOW, "text", "mean-word-length", f.name], capture_output=True, text=True).stdout.split()]
jb = []
for t in texts:
    w = [x for x in jieba.cut(t) if x.strip()]
    jb.append(sum(map(len, w)) / len(w) if w else 0)
diff = [abs(a - b) for a, b in zip(ours, jb)]
agree = sum((1.3 <= a <= 10) == (1.3 <= b <= 10) for a, b in zip(ours, jb))
print(f"\nmean word length, 300 HPLT pages: ICU mean {sum(ours) / len(ours):.3f}, jieba mean {sum(jb) / len(jb):.3f}, mean |diff| {sum(diff) / len(diff):.3f}; R3 decision agrees on {agree}/{len(jb)}")
ours_jieba = [float(x) for x in subprocess.run([WINNOW, "text", "mean-word-length", "--jieba", JIEBA, f.name], capture_output=True, text=True).stdout.split()]
print(f"Winnow's jieba cut (jieba: DIR): mean word length equal to jieba's on {sum(a == b for a, b in zip(ours_jieba, jb))}/{len(jb)} pages")
os.unlink(f.name)

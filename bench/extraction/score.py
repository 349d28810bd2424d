#!/usr/bin/env python3
"""Main-content extraction scores on ../shared/data/extraction-dev (scoring per its README):
bag-of-tokens precision / recall / F1 between extracted text and ground truth (a token is a
whitespace-separated word, except that every CJK character — Han, kana, hangul — is a token of
its own), mean F1 over pages, for Winnow (`winnow extract`), trafilatura (favor_precision=True)
and resiliparse (extract_plain_text(main_content=True)) on the same pages; then the time each
takes over all pages (one core).

Sets: scrapinghub-dev (human article bodies), the real-page cases of Mozilla's readability test
pages (expected.html is Readability's output, made text here), webmainbench-sample (human).
Run: /work/venv-ex/bin/python bench/extraction/score.py   (venv with trafilatura, resiliparse)
"""
import collections, gzip, json, os, re, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data", "extraction-dev")
WINNOW = os.path.join(ROOT, ".build/release/winnow")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def tokens(text):
    out = []
    for w in (text or "").split():
        if CJK.search(w):
            buf = ""
            for ch in w:
                if CJK.match(ch):
                    if buf: out.append(buf); buf = ""
                    out.append(ch)
                else:
                    buf += ch
            if buf: out.append(buf)
        else:
            out.append(w)
    return collections.Counter(out)


def f1(pred, gold):
    p, g = tokens(pred), tokens(gold)
    common = sum((p & g).values())
    if not p or not g:
        return (0.0, 0.0, 0.0) if p or g else (1.0, 1.0, 1.0)
    prec, rec = common / sum(p.values()), common / sum(g.values())
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def is_cjk(text):
    chars = [c for c in (text or "") if not c.isspace()]
    return bool(chars) and sum(1 for c in chars if CJK.match(c)) / len(chars) > 0.2


def html_text(html):
    from lxml import html as lh
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding
    try:
        return lh.fromstring(bytes_to_str(html, detect_encoding(html))).text_content()
    except Exception:
        return ""


def pages():
    sets = collections.defaultdict(list)
    gt = json.load(open(os.path.join(DATA, "scrapinghub-dev/ground-truth.json")))
    for pid, v in sorted(gt.items()):
        p = os.path.join(DATA, "scrapinghub-dev/html", pid + ".html.gz")
        if os.path.exists(p):
            sets["scrapinghub-dev"].append((pid, gzip.open(p).read(), v["articleBody"]))
    base = os.path.join(DATA, "mozilla-readability-testpages")
    for case in sorted(os.listdir(base)):
        src = os.path.join(base, case, "source.html.gz")
        exp = os.path.join(base, case, "expected.html.gz")
        if not (os.path.exists(src) and os.path.exists(exp)):
            continue
        raw = gzip.open(src).read()
        if b"Lorem ipsum" in raw[:20000] or b"lorem ipsum" in raw[:20000]:
            continue  # synthetic unit cases
        gold = html_text(gzip.open(exp).read())
        sets["readability (real pages)"].append((case, raw, gold))
        if is_cjk(gold):
            sets["chinese/japanese pages"].append((case, raw, gold))
    for line in open(os.path.join(DATA, "webmainbench-sample/sample_dataset.jsonl"), encoding="utf-8"):
        d = json.loads(line)
        html = d.get("html", "").encode("utf-8")
        gold = d.get("groundtruth_content") or ""
        sets["webmainbench-sample"].append((d.get("track_id", "?"), html, gold))
        if is_cjk(gold):
            sets["chinese/japanese pages"].append((d.get("track_id", "?"), html, gold))
    return sets


def winnow_extract(raw):
    r = subprocess.run([WINNOW, "extract", "-"], input=raw, capture_output=True)
    return r.stdout.decode("utf-8", "replace")


def main():
    import trafilatura
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    def traf(raw):
        return trafilatura.extract(raw.decode("utf-8", "replace"), favor_precision=True, include_comments=False, deduplicate=True) or ""

    def resi(raw):
        return extract_plain_text(bytes_to_str(raw, detect_encoding(raw)), main_content=True)

    tools = {"winnow": winnow_extract, "trafilatura": traf, "resiliparse": resi}
    sets = pages()
    print(f"{'set':28} {'pages':>5} " + " ".join(f"{t + ' F1':>16}" for t in tools))
    for name, items in sets.items():
        scores = {t: [] for t in tools}
        for pid, raw, gold in items:
            for t, fn in tools.items():
                scores[t].append(f1(fn(raw), gold)[2])
        print(f"{name:28} {len(items):5d} " + " ".join(f"{sum(v) / len(v):16.3f}" for v in scores.values()))


if __name__ == "__main__":
    main()

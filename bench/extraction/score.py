#!/usr/bin/env python3
"""Main-content extraction scores on ../shared/data/extraction-dev (scoring per its README):
bag-of-tokens precision / recall / F1 between extracted text and ground truth (a token is a
whitespace-separated word, except that every CJK character — Han, kana, hangul — is a token of
its own), mean P / R / F1 over pages, per dataset, and pages/s, for
- Winnow (`winnow apply --stages '[html_extract: …]'`, one process over all pages of a set),
- trafilatura with favor_precision=True (what datatrove runs) and with its defaults, both with
  datatrove's `deduplicate=True` and each page read on its own (the seen-paragraph cache cleared),
- resiliparse (extract_plain_text(main_content=True)).
Every tool gets the same decoded page (WCEB pages are stored as UTF-8; the other sets are read
as UTF-8 when they are valid UTF-8, else decoded with resiliparse's detect_encoding).

Sets: WCEB's four sub-datasets (wceb/), scrapinghub-dev (human article bodies), the real-page
cases of Mozilla's readability test pages (expected.html is Readability's output, made text
here), webmainbench-sample (human).

Hold-out: `--split dev` (default) scores the development pages only: cleaneval, dragnet
(three quarters of each, by a hash of the page id) and the old dev sets; `--split holdout` the
rest: the other quarter of cleaneval and dragnet, all of cleanportaleval and
google-trends-2017. Tune on dev; look at holdout only to check.

Outputs of the Python tools are cached (they do not change between Winnow builds) in
--cache (default /tmp/winnow-extract-score-cache); `--tools winnow` rescores Winnow alone
against the cached others.

Run: python bench/extraction/score.py [--split dev|holdout|all]
     [--winnow-params '{favor: recall}'] [--tools winnow,trafilatura,...] [--worst N]
"""
import argparse, collections, gzip, hashlib, json, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data", "extraction-dev")
WINNOW = os.environ.get("WINNOW", os.path.join(ROOT, ".build/release/winnow"))
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
WCEB = ["cleaneval", "dragnet", "cleanportaleval", "google-trends-2017"]
WCEB_DEV = {"cleaneval", "dragnet"}  # split 3:1 by page id; the other two are held out whole


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


def prf(pred, gold):
    p, g = tokens(pred), tokens(gold)
    common = sum((p & g).values())
    if not p or not g:
        return (0.0, 0.0, 0.0) if p or g else (1.0, 1.0, 1.0)
    prec, rec = common / sum(p.values()), common / sum(g.values())
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def is_cjk(text):
    chars = [c for c in (text or "") if not c.isspace()]
    return bool(chars) and sum(1 for c in chars if CJK.match(c)) / len(chars) > 0.2


def decode(raw):
    """Page bytes as text: valid UTF-8 as UTF-8 (as Winnow and browsers read a page that
    declares it; resiliparse's guess alone read 5 of the 184 scrapinghub and readability pages,
    all valid UTF-8, as cp1252 and gave every tool mojibake), anything else as resiliparse
    detects it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        from resiliparse.parse.encoding import bytes_to_str, detect_encoding
        return bytes_to_str(raw, detect_encoding(raw))


def html_text(html):
    from lxml import html as lh
    try:
        return lh.fromstring(decode(html)).text_content()
    except Exception:
        return ""


def held_out(dataset, pid):
    if dataset in WCEB_DEV:
        return int(hashlib.sha256(f"holdout/{dataset}/{pid}".encode()).hexdigest()[-1], 16) < 4
    return dataset in WCEB


def pages(split):
    """{set name: [(id, html str, gold)]} for the split."""
    sets = collections.defaultdict(list)
    for ds in WCEB:
        for line in open(os.path.join(DATA, "wceb/ground-truth", ds + ".jsonl"), encoding="utf-8"):
            d = json.loads(line)
            if split != "all" and held_out(ds, d["id"]) != (split == "holdout"):
                continue
            html = gzip.open(os.path.join(DATA, "wceb/html", ds, d["id"] + ".html.gz")).read().decode("utf-8", "replace")
            sets["wceb/" + ds].append((d["id"], html, d["text"]))
    if split == "holdout":
        return sets
    gt = json.load(open(os.path.join(DATA, "scrapinghub-dev/ground-truth.json")))
    for pid, v in sorted(gt.items()):
        p = os.path.join(DATA, "scrapinghub-dev/html", pid + ".html.gz")
        if os.path.exists(p):
            sets["scrapinghub-dev"].append((pid, decode(gzip.open(p).read()), v["articleBody"]))
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
        sets["readability (real pages)"].append((case, decode(raw), gold))
    for line in open(os.path.join(DATA, "webmainbench-sample/sample_dataset.jsonl"), encoding="utf-8"):
        d = json.loads(line)
        sets["webmainbench-sample"].append((d.get("track_id", "?"), d.get("html", ""), d.get("groundtruth_content") or ""))
    return sets


def winnow_batch(items, params):
    """Texts of `items` from one `winnow apply` process, and its wall time."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "in.jsonl")
        with open(src, "w", encoding="utf-8") as f:
            for k, (pid, html, _) in enumerate(items):
                f.write(json.dumps({"id": f"{k}", "text": html}) + "\n")
        t = time.perf_counter()
        r = subprocess.run([WINNOW, "apply", "--keep-dropped", "--stages", f"[html_extract: {params}]", src],
                           capture_output=True, check=True)
        secs = time.perf_counter() - t
    out = {}
    for line in r.stdout.decode("utf-8").split("\n"):
        if not line.strip():
            continue
        d = json.loads(line)
        out[int(d["id"])] = "" if "dropped_by" in d.get("metadata", {}) else d["text"]
    return [out.get(k, "") for k in range(len(items))], secs


def python_tools():
    import trafilatura
    from trafilatura.deduplication import LRU_TEST
    from resiliparse.extract.html2text import extract_plain_text

    def page_by_page(**options):
        # datatrove passes `deduplicate=True`, and trafilatura keeps the paragraphs it has seen in
        # one process-wide cache, which datatrove does not clear: in its runs (and here before) a
        # page loses paragraphs an earlier page of the task had (site furniture, sometimes story
        # text), so its score depends on the pages before it. Cleared here before every page, each
        # page is read as if alone (a somewhat kinder trafilatura than datatrove's); repeats within
        # a page are still dropped.
        def run(h):
            LRU_TEST.clear()
            return trafilatura.extract(h, include_comments=False, deduplicate=True, **options) or ""
        return run

    return {
        "trafilatura-precision": page_by_page(favor_precision=True),
        "trafilatura": page_by_page(),
        "resiliparse": lambda h: extract_plain_text(h, main_content=True),
    }


RUNS = "page-by-page"  # how the cached texts were made (see python_tools); another value runs again


def fingerprint(html):
    return hashlib.sha1(html.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def cached_run(tool, fn, name, items, cache):
    """A Python tool's texts for `items`, from the cache when it holds every page as it is now
    (each page's text is cached with its input's fingerprint; any changed page runs the whole set
    again, which keeps the cache simple). Caches written before trafilatura's seen-paragraph cache
    was cleared per page are run again."""
    path = os.path.join(cache, f"{tool}--{name.replace('/', '_')}.json")
    if os.path.exists(path):
        c = json.load(open(path))
        prints = c.get("inputs", {})
        if c.get("runs") == RUNS and all(pid in c["texts"] and prints.get(pid) == fingerprint(html) for pid, html, _ in items):
            return [c["texts"][pid] for pid, _, _ in items], c["seconds"] * len(items) / max(1, len(c["texts"]))
    texts, t = [], time.perf_counter()
    for _, html, _ in items:
        try:
            texts.append(fn(html))
        except Exception:
            texts.append("")
    secs = time.perf_counter() - t
    os.makedirs(cache, exist_ok=True)
    json.dump({"texts": {pid: x for (pid, _, _), x in zip(items, texts)}, "inputs": {pid: fingerprint(h) for pid, h, _ in items},
               "seconds": secs, "runs": RUNS}, open(path, "w"))
    return texts, secs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["dev", "holdout", "all"], default="dev")
    ap.add_argument("--tools", default="winnow,trafilatura-precision,trafilatura,resiliparse")
    ap.add_argument("--winnow-params", default="{}", help="html_extract parameters, YAML flow map")
    ap.add_argument("--cache", default="/tmp/winnow-extract-score-cache")
    ap.add_argument("--worst", type=int, default=0, help="print Winnow's N worst pages per set (vs trafilatura-precision)")
    ap.add_argument("--dump", help="write Winnow's per-page scores as JSONL here")
    opts = ap.parse_args()
    wanted = opts.tools.split(",")
    others = {k: v for k, v in python_tools().items() if k in wanted}
    sets = pages(opts.split)
    print(f"split: {opts.split}; winnow html_extract params: {opts.winnow_params}")
    print(f"{'set':26} {'pages':>5}  {'tool':22} {'P':>6} {'R':>6} {'F1':>6} {'empty':>5} {'pages/s':>8}")
    dump = open(opts.dump, "w") if opts.dump else None
    for name, items in sets.items():
        results = {}
        if "winnow" in wanted:
            results["winnow"] = winnow_batch(items, opts.winnow_params)
        for tool, fn in others.items():
            results[tool] = cached_run(tool, fn, name, items, opts.cache)
        per = {}
        for tool, (texts, secs) in results.items():
            s = [prf(t, g) for t, (_, _, g) in zip(texts, items)]
            per[tool] = s
            n = len(s)
            empty = sum(1 for t in texts if not t.strip())
            print(f"{name:26} {n:5d}  {tool:22} {sum(x[0] for x in s) / n:6.3f} {sum(x[1] for x in s) / n:6.3f} "
                  f"{sum(x[2] for x in s) / n:6.3f} {empty:5d} {n / secs:8.1f}")
        if dump and "winnow" in per:
            for (pid, _, _), s, t in zip(items, per["winnow"], results["winnow"][0]):
                dump.write(json.dumps({"set": name, "id": pid, "p": s[0], "r": s[1], "f1": s[2], "len": len(t)}) + "\n")
        if opts.worst and "winnow" in per and "trafilatura-precision" in per:
            gaps = sorted(range(len(items)), key=lambda k: per["winnow"][k][2] - per["trafilatura-precision"][k][2])
            for k in gaps[: opts.worst]:
                w, t = per["winnow"][k], per["trafilatura-precision"][k]
                print(f"    {items[k][0][:16]}  winnow P {w[0]:.2f} R {w[1]:.2f} F1 {w[2]:.2f}   trafilatura F1 {t[2]:.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

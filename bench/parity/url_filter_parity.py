#!/usr/bin/env python3
"""URL filter parity: datatrove's URLFilter (integrated lists: UT1 domains/urls, banned words) vs
`winnow apply --stages '[url_filter: {block_lists: DIR}]'` on real URLs (the HPLT zh sample, the
ChineseWebText and en-web samples, every WARC response in ../shared/data/warc).
Unpack datatrove's assets/url_filterblacklistsv0_3_0.tar.gz into DIR first (default /tmp/ut1).
Run: python bench/parity/url_filter_parity.py [DIR]
"""
import glob, gzip, json, os, subprocess, sys, tempfile, time, warnings
warnings.filterwarnings("ignore")
from datatrove.data import Document
from datatrove.pipeline.filters import URLFilter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
block = sys.argv[1] if len(sys.argv) > 1 else "/tmp/ut1"
urls = [json.loads(l).get("url") for l in gzip.open(os.path.join(DATA, "zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz"), "rt")]
urls += [json.loads(l).get("url") for l in open(os.path.join(DATA, "zh-web/chinesewebtext/ccnet_CC-MAIN-2022-21_zh_100docs.jsonl"))]
for f in ("cc_en_head-0091.jsonl.gz", "cc_en_head-0174.jsonl.gz", "dolma_provided_documents_000.json.gz"):
    urls += [json.loads(l)["id"] for l in gzip.open(os.path.join(DATA, "en-web", f), "rt")]
out = subprocess.run([os.path.join(ROOT, ".build/release/winnow"), "read", "-"], input=b"", capture_output=True)
for w in glob.glob(os.path.join(DATA, "warc/**/*.warc*"), recursive=True):
    r = subprocess.run([os.path.join(ROOT, ".build/release/winnow"), "read", w, "--record-types", "response"], capture_output=True, text=True)
    urls += [json.loads(l)["metadata"].get("url") for l in r.stdout.splitlines()]
urls = [u for u in urls if u]
# Made-up URLs that reach every rule: listed domains (as registered domain and as host), listed
# URLs, banned and soft-banned words, banned subwords.
import itertools
with open(os.path.join(block, "domains")) as fh:
    doms = [l.strip() for l in itertools.islice(fh, 0, 200000, 20000)]
with open(os.path.join(block, "urls")) as fh:
    listed = [l.strip() for l in itertools.islice(fh, 0, 20000, 2000)]
assets = os.path.join(ROOT, "configs/url_filter")
banned = [l.strip() for l in open(os.path.join(assets, "banned_words.txt"))][:20]
soft = [l.strip() for l in open(os.path.join(assets, "soft_banned_words.txt"))][:20]
sub = [l.strip() for l in open(os.path.join(assets, "banned_subwords.txt"))][:20]
urls += [f"http://{d}/page" for d in doms] + [f"https://www.{d}/" for d in doms] + listed
urls += [f"https://example.com/{w}/index.html" for w in banned] + [f"https://example.com/{a}-{b}" for a, b in zip(soft, soft[1:])]
urls += [f"https://shop.example.org/x{w}y" for w in sub] + ["http://192.168.0.1/a", "https://Example.CO.UK/path", "example"]
tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
for i, u in enumerate(urls):
    tmp.write(json.dumps({"id": str(i), "text": "", "metadata": {"url": u}}, ensure_ascii=False) + "\n")
tmp.close()
f = URLFilter()
t = time.perf_counter()
ref = []
for i, u in enumerate(urls):
    r = f.filter(Document(text="", id=str(i), metadata={"url": u}))
    ref.append("keep" if r is True else r[1])
t_dt = time.perf_counter() - t
t = time.perf_counter()
res = subprocess.run([os.path.join(ROOT, ".build/release/winnow"), "apply", "--stages", f"[url_filter: {{block_lists: {block}}}]", "--keep-dropped", tmp.name],
                     capture_output=True, text=True, check=True).stdout.splitlines()
t_w = time.perf_counter() - t
ours = [json.loads(l)["metadata"].get("drop_reason", "keep") for l in res]
agree = sum(a == b for a, b in zip(ref, ours))
print(f"urls: {len(urls)}; datatrove drops {sum(r != 'keep' for r in ref)}; reasons agree {agree}/{len(urls)} ({100 * agree / len(urls):.2f} %); "
      f"datatrove {t_dt:.2f} s (lists already loaded), winnow {t_w:.2f} s (loading 124 MB of lists included)")
for u, a, b in zip(urls, ref, ours):
    if a != b:
        print("  ", u, "datatrove", a, "winnow", b)
os.unlink(tmp.name)

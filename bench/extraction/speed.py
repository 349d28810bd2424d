#!/usr/bin/env python3
"""Charset + main-text extraction speed on the same HTML, one core each, side by side:
Winnow (`charset_decode` + `html_extract`, stage times from the run summary of a release build),
resiliparse (`detect_encoding` + `bytes_to_str` + `extract_plain_text(main_content=True)`) and
trafilatura (`extract(favor_precision=True)` on a subset: it is slow). Input: the HTTP 200 HTML
responses of a WARC (default: the 60 MB benchmark WARC). MB/s are MB of HTML payload per second.

Also whole process: the wall time of `winnow run` (read the WARC, filter, decode, extract, write
zstd JSONL) against Python reading the same WARC with warcio and running resiliparse on each
HTML response.

Run: python bench/extraction/speed.py [WARC] [--repeat N] [--no-trafilatura]
     (WINNOW=path picks another winnow binary)
"""
import os, resource, statistics, subprocess, sys, tempfile, time

from warcio.archiveiterator import ArchiveIterator
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.encoding import bytes_to_str, detect_encoding
import trafilatura

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WINNOW = os.environ.get("WINNOW", os.path.join(ROOT, ".build/release/winnow"))
import argparse
ap = argparse.ArgumentParser()
ap.add_argument("warc", nargs="?", default=os.path.join(ROOT, "..", "shared", "data", "warc", "bench", "bench-60mb.warc.gz"))
ap.add_argument("--repeat", type=int, default=3)
ap.add_argument("--no-trafilatura", action="store_true")
opts = ap.parse_args()
WARC, REPEAT = os.path.abspath(opts.warc), opts.repeat
os.sched_setaffinity(0, {0})

pages = []
with open(WARC, "rb") as f:
    for rec in ArchiveIterator(f):
        if rec.rec_type != "response" or rec.http_headers is None:
            continue
        ct = rec.http_headers.get_header("Content-Type") or ""
        if rec.http_headers.get_statuscode() == "200" and "html" in ct.lower():
            pages.append(rec.content_stream().read())
mb = sum(len(p) for p in pages) / 1e6
print(f"{WARC}: {len(pages)} HTML responses, {mb:.1f} MB of payload")


def timed(fn, items):
    t = time.perf_counter()
    for raw in items:
        fn(raw)
    return time.perf_counter() - t


def resi(raw):
    return extract_plain_text(bytes_to_str(raw, detect_encoding(raw)), main_content=True)


def traf(raw):
    return trafilatura.extract(raw.decode("utf-8", "replace"), favor_precision=True, include_comments=False, deduplicate=True)


def winnow_stage_seconds():
    with tempfile.TemporaryDirectory() as d:
        y = os.path.join(d, "p.yaml")
        with open(y, "w") as f:
            f.write(f"name: speed\nsteps:\n  - name: s\n    input: {{paths: [{WARC}], format: warc, record_types: [response]}}\n"
                    f"    stages: [http_status_filter: {{allow: [200]}}, content_type_filter: {{allow: [text/html, application/xhtml+xml]}}, charset_decode, html_extract]\n")
        t0 = time.perf_counter()
        c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        r = subprocess.run(["taskset", "-c", "0", WINNOW, "run", y, "--output-dir", os.path.join(d, "o"), "--workers", "0", "--progress", "none"],
                           capture_output=True, text=True, cwd=ROOT, check=True)
        wall = time.perf_counter() - t0
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)
        secs, mbs = 0.0, 0.0
        for line in (r.stdout + r.stderr).splitlines():
            parts = line.split()
            if parts and parts[0] in ("charset_decode", "html_extract"):
                v, unit = float(parts[4]), parts[5]
                secs += v / 1000 if unit == "ms" else v / 1e6 if unit == "µs" else v
        return secs, wall, cpu


def resiliparse_whole():
    t, c = time.perf_counter(), time.process_time()
    with open(WARC, "rb") as f:
        for rec in ArchiveIterator(f):
            if rec.rec_type != "response" or rec.http_headers is None:
                continue
            ct = rec.http_headers.get_header("Content-Type") or ""
            if rec.http_headers.get_statuscode() == "200" and "html" in ct.lower():
                resi(rec.content_stream().read())
    return time.perf_counter() - t, time.process_time() - c


runs = [winnow_stage_seconds() for _ in range(REPEAT)]
w, ww, wc = (statistics.median(x[k] for x in runs) for k in range(3))
r = statistics.median(timed(resi, pages) for _ in range(REPEAT))
whole = [resiliparse_whole() for _ in range(REPEAT)]
rw, rc = statistics.median(x[0] for x in whole), statistics.median(x[1] for x in whole)
sub = pages[: max(1, len(pages) // 8)]
t = float("nan") if opts.no_trafilatura else timed(traf, sub) * len(pages) / len(sub)
print(f"{'tool':34} {'seconds':>8} {'MB/s':>8}")
print(f"{'winnow charset_decode+html_extract':34} {w:8.2f} {mb / w:8.1f}")
print(f"{'resiliparse detect+extract':34} {r:8.2f} {mb / r:8.1f}")
print(f"{'trafilatura (1/8 subset, scaled)':34} {t:8.2f} {mb / t:8.1f}")
print(f"winnow / resiliparse: {r / w:.2f}x   winnow / trafilatura: {t / w:.1f}x   (medians of {REPEAT})")
print(f"whole process, wall: winnow run {ww:.2f} s, warcio + resiliparse {rw:.2f} s: {rw / ww:.2f}x")
print(f"whole process, CPU time (less sensitive to a shared machine): winnow {wc:.2f} s, warcio + resiliparse {rc:.2f} s: {rc / wc:.2f}x")

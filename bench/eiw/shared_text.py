#!/usr/bin/env python3
"""All shared zh + en text as one JSONL ({"id", "text", "source"}) for the EqualInfoAC benches.

  python3 bench/eiw/shared_text.py out/eiw/shared-zh-en.jsonl [--exclude SOURCE ...]

Sources (../shared/data, MANIFEST.md): zh-web HPLT sample, ChineseWebText (CCNet raw_content,
quality clean/dirty), the two review CSVs; en-web CCNet head shards and the dolma documents.
Empty texts are skipped; nothing else is changed. `--exclude zh/quality-clean` leaves a source out
(pipelines/lm-zh-en.yaml holds that one out for evaluation).
"""
import csv, gzip, io, json, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
D = os.path.join(os.path.dirname(ROOT), "shared", "data")


def jsonl(path, key="text"):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line).get(key) or ""


def csv_column(path, column):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            if len(row) > column:
                yield row[column]


SOURCES = [
    ("zh/hplt", lambda: jsonl(f"{D}/zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz")),
    ("zh/ccnet", lambda: jsonl(f"{D}/zh-web/chinesewebtext/ccnet_CC-MAIN-2022-21_zh_100docs.jsonl", "raw_content")),
    ("zh/quality-clean", lambda: jsonl(f"{D}/zh-web/chinesewebtext/quality_clean_10docs.jsonl")),
    ("zh/quality-dirty", lambda: jsonl(f"{D}/zh-web/chinesewebtext/quality_dirty_10docs.jsonl")),
    ("zh/reviews-hotel", lambda: csv_column(f"{D}/zh-web/reviews/ChnSentiCorp_htl_all.csv.gz", 1)),
    ("zh/reviews-waimai", lambda: csv_column(f"{D}/zh-web/reviews/waimai_10k.csv.gz", 1)),
    ("en/ccnet-0091", lambda: jsonl(f"{D}/en-web/cc_en_head-0091.jsonl.gz")),
    ("en/ccnet-0174", lambda: jsonl(f"{D}/en-web/cc_en_head-0174.jsonl.gz")),
    ("en/dolma", lambda: jsonl(f"{D}/en-web/dolma_provided_documents_000.json.gz")),
]


def main():
    args = sys.argv[1:]
    exclude = {args[i + 1] for i, a in enumerate(args) if a == "--exclude" and i + 1 < len(args)}
    out = args[0]
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    n = b = 0
    with open(out, "w", encoding="utf-8") as f:
        for name, it in SOURCES:
            if name in exclude:
                continue
            k = kb = 0
            for i, t in enumerate(it()):
                if not t:
                    continue
                f.write(json.dumps({"id": f"{name}/{i}", "text": t, "source": name}, ensure_ascii=False) + "\n")
                k += 1; kb += len(t.encode("utf-8"))
            print(f"{name:20} {k:6} documents {kb:10} bytes")
            n += k; b += kb
    print(f"{'all':20} {n:6} documents {b:10} bytes → {out}")


if __name__ == "__main__":
    main()

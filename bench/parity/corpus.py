"""Document sets the parity scripts share, read from ../shared/data."""
import gzip, json, os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")


def english_word_texts():
    """The en-web samples, every unique bench document (zh, ja, en, …: the tokenizers must not
    break on them) and the ScrapingHub article bodies: 1,774 texts."""
    texts = []
    for f in ("cc_en_head-0091.jsonl.gz", "cc_en_head-0174.jsonl.gz", "dolma_provided_documents_000.json.gz"):
        texts += [json.loads(l)["text"] for l in gzip.open(os.path.join(DATA, "en-web", f), "rt", encoding="utf-8")]
    bench = [json.loads(l) for l in gzip.open(os.path.join(DATA, "warc/bench/bench-text.jsonl.gz"), "rt", encoding="utf-8")]
    texts += [d["text"] for d in bench if "/rep" not in d["id"]]
    texts += [v["articleBody"] for v in json.load(open(os.path.join(DATA, "extraction-dev/scrapinghub-dev/ground-truth.json"))).values()]
    return texts


def chinese_texts():
    """The HPLT zh sample, the ChineseWebText samples and the two review sets (ChnSentiCorp
    hotel reviews, waimai food-delivery reviews): real Chinese web text of every length."""
    import csv, io
    texts = [json.loads(l)["text"] for l in gzip.open(os.path.join(DATA, "zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz"), "rt", encoding="utf-8")]
    for f in ("ccnet_CC-MAIN-2022-21_zh_100docs.jsonl", "quality_clean_10docs.jsonl", "quality_dirty_10docs.jsonl"):
        for l in open(os.path.join(DATA, "zh-web/chinesewebtext", f), encoding="utf-8"):
            d = json.loads(l)
            texts.append(d.get("text") or d.get("raw_content"))
    for f in ("ChnSentiCorp_htl_all.csv.gz", "waimai_10k.csv.gz"):
        rows = list(csv.reader(io.StringIO(gzip.open(os.path.join(DATA, "zh-web/reviews", f), "rt", encoding="utf-8").read())))
        texts += [r[1] for r in rows[1:] if len(r) > 1]
    return texts

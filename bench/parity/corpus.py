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

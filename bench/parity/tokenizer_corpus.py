"""Texts for the tokenizer parity and speed scripts: real en / zh / ja web text from ../shared/data
and an adversarial set. Written once as JSONL under /tmp/winnow-tok (one {"text"} per line)."""
import csv, glob, gzip, io, json, os, random, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import DATA, english_word_texts, chinese_texts  # noqa: E402

OUT = "/tmp/winnow-tok"


def _html_text(raw):
    raw = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", raw)
    raw = re.sub(r"(?s)<[^>]+>", " ", raw)
    import html
    return html.unescape(raw)


def english():
    """en-web docs, ScrapingHub article bodies and the WCEB ground-truth texts (CleanEval,
    Dragnet, …: English web pages' main text)."""
    texts = []
    for f in ("cc_en_head-0091.jsonl.gz", "cc_en_head-0174.jsonl.gz", "dolma_provided_documents_000.json.gz"):
        texts += [json.loads(l)["text"] for l in gzip.open(os.path.join(DATA, "en-web", f), "rt", encoding="utf-8")]
    texts += [v["articleBody"] for v in json.load(open(os.path.join(DATA, "extraction-dev/scrapinghub-dev/ground-truth.json"))).values()]
    for f in sorted(glob.glob(os.path.join(DATA, "extraction-dev/wceb/ground-truth/*.jsonl"))):
        texts += [json.loads(l).get("text") or "" for l in open(f, encoding="utf-8")]
    return _unique(texts)


def mixed():
    """Every unique bench document (zh, ja, en, de, ru, …) and the ScrapingHub bodies."""
    return _unique(english_word_texts())


def _unique(texts):
    seen, out = set(), []
    for t in texts:
        if t and t not in seen:
            seen.add(t)
            out.append(t)
    return out


def chinese():
    out = [t for t in chinese_texts() if t]
    for f in sorted(glob.glob(os.path.join(DATA, "html/zh-news-gne/**/*.html"), recursive=True)):
        out.append(_html_text(open(f, encoding="utf-8", errors="replace").read()))
    return out


def japanese():
    """Japanese pages in legacy encodings, decoded by Python's codecs, tags stripped."""
    out = []
    for enc in ("EUC-JP", "SHIFT_JIS", "CP932", "iso-2022-jp"):
        for f in sorted(glob.glob(os.path.join(DATA, "encodings/chardet-tests", enc, "*"))):
            codec = {"SHIFT_JIS": "shift_jis", "CP932": "cp932", "EUC-JP": "euc_jp", "iso-2022-jp": "iso2022_jp"}[enc]
            out.append(_html_text(open(f, "rb").read().decode(codec, errors="replace")))
    # ClueWeb09 EUC-JP WARC responses
    import warnings
    data = gzip.open(os.path.join(DATA, "warc/other-crawlers/clueweb09-ja_euc-jp_warc0.18.warc.gz")).read()
    for part in data.split(b"WARC/0.18")[1:]:
        body = part.split(b"\r\n\r\n", 2)
        if len(body) == 3:
            out.append(_html_text(body[2].decode("euc_jp", errors="replace")))
    for f in sorted(glob.glob(os.path.join(DATA, "encodings/udhr-legacy/*"))):
        name = os.path.basename(f).lower()
        if "japanese" in name or "jpn" in name:
            codec = "utf-8" if "utf8" in name or "utf-8" in name else ("euc_jp" if "euc" in name else ("shift_jis" if "sjis" in name else "iso2022_jp"))
            out.append(open(f, "rb").read().decode(codec, errors="replace"))
    return [t for t in out if t.strip()]


def adversarial(big_word_mb=10):
    rnd = random.Random(17)
    specials = ["<|endoftext|>", "<|fim_prefix|>", "<|endofprompt|>", "<|im_start|>", "<|im_end|>", "<|extra_3|>",
                "<s>", "</s>", "<unk>", "<|padding|>", "<think>", "|||IP_ADDRESS|||", "|||EMAIL_ADDRESS|||"]
    pieces = [" ", "  ", "\t", "\n", "\r\n", "\r", "\n\n\n", " \n ", "\u00a0", "\u3000", "\u2028", "\u0085", "\x0b", "\x0c",
              "0", "12", "123", "1234567", "٣٤٥", "१२३", "Ⅻ", "½", "²",
              "a", "Hello", "HELLO", "hELLo", "WORLD's", "don't", "I'LL", "'s", "'S", "'ſ", "'re", "'Ve", "ǅungla",
              "é", "e\u0301", "ñ", "Ünïcödé", "ﬁ", "Å", "Ω",
              "中文", "日本語", "カタカナ", "한국어", "Ελληνικά", "русский", "עברית", "العربية", "हिन्दी", "ไทย", "ລາວ",
              "😀", "👨‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "\u200d", "\ufe0f", "\u0301\u0302", "\u0e31",
              "!", "?!", "...", "—", "/", "//", "://", "http://x.y/z?q=1", "$", "€", "@", "#", "'", "\"", "`", "~",
              "\ufffd", "\x00", "\x1f", "\x7f"] + specials
    out = []
    for _ in range(3000):
        k = rnd.randint(1, 12)
        out.append("".join(rnd.choice(pieces) for _ in range(k)))
    out += [" " * n for n in (1, 2, 3, 17, 100)] + ["\n" * n for n in (1, 2, 5)] + ["9" * n for n in (1, 2, 3, 4, 5, 10, 1000)]
    out += ["a" + " " * 5 + "b", "a \n  b", "x\n  ", "x  \n", "end with space ", "end with spaces   ", "tab\t\t", "\r\n\r\n  \r\n"]
    out += ["".join(specials), " ".join(specials), "<|endoftext|><|endoftext|>", "<|endo<|endoftext|>ftext|>"]
    # repaired invalid UTF-8
    bad = [b"abc\xff\xfedef", b"\xc3\x28", b"\xe2\x82", b"\xf0\x9f\x98", b"ok\xed\xa0\x80ok", b"\xc0\xaf"]
    out += [b.decode("utf-8", errors="replace") for b in bad]
    # one code point of every assigned class, in context (Unicode table differences)
    allcp = []
    for c in range(0x20, 0x30000):
        if 0xD800 <= c < 0xE000:
            continue
        allcp.append(chr(c))
    for i in range(0, len(allcp), 256):
        chunk = allcp[i:i + 256]
        out.append("".join("a" + ch + "1 " + ch + "A" + ch + ch + "'s" for ch in chunk))
    big = []
    big.append("x" * (1 << 20))                             # 1 MB of one character
    big.append("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(big_word_mb << 20)))  # a 10 MB word
    big.append("中" * (1 << 19))
    big.append(" " * (1 << 20))
    return out, big


def write(path, texts):
    with open(path, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")


def build(force=False):
    os.makedirs(OUT, exist_ok=True)
    sets = {}
    for name, fn in (("en", english), ("zh", chinese), ("ja", japanese), ("mixed", mixed)):
        p = os.path.join(OUT, name + ".jsonl")
        if force or not os.path.exists(p):
            write(p, fn())
        sets[name] = p
    p, pb = os.path.join(OUT, "adversarial.jsonl"), os.path.join(OUT, "adversarial-big.jsonl")
    if force or not os.path.exists(p) or not os.path.exists(pb):
        small, big = adversarial()
        write(p, small)
        write(pb, big)
    sets["adversarial"] = p
    sets["adversarial-big"] = pb
    return sets


def load(path):
    return [json.loads(l)["text"] for l in open(path, encoding="utf-8")]


if __name__ == "__main__":
    for name, p in build(force="--force" in sys.argv).items():
        texts = load(p)
        print(f"{name}: {len(texts)} texts, {sum(len(t.encode('utf-8', 'surrogatepass')) for t in texts) / 1e6:.1f} MB")

#!/usr/bin/env python3
"""Winnow's SentencePiece tokenizer against the `sentencepiece` Python package (0.2.x).

    python bench/parity/sentencepiece_parity.py [--quick] [--no-speed] [--only NAME] [--work DIR]

For every .model in ../shared/data/models/tokenizers/sentencepiece/ (and small models this
script trains to exercise user-defined pieces, byte fallback in Unigram, whitespace-as-suffix,
no whitespace collapsing, case folding and control symbols), it encodes real text (en, zh, ja,
en-web, zh-web, html, botchan.txt.gz) and an adversarial set with `sp.encode(text)` (default
options), writes reference JSONL (text or raw bytes, ids, sp.decode(ids)), then builds a
throwaway release executable outside the repo (DIR/pkg: a SwiftPM package whose targets are
symlinks to this repo's Sources, plus a main.swift that calls `SentencePieceBench`) and prints,
per model: documents, identical ids, decodes equal to sentencepiece's, exact round trips of
lossless cases; then one-core speed (MB/s of UTF-8 input, median of 3) for Winnow and for the
Python binding (per-document `sp.encode` loop) on the same en and zh texts, and Winnow's time
on 10 KB / 100 KB / 1 MB single words (to show it stays linear).
"""
import argparse, csv, glob, gzip, io, json, os, random, shutil, statistics, subprocess, sys, time

try:
    import sentencepiece as spm
except ImportError:  # token_shards_parity.py borrows build_bench without it
    spm = None

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(os.path.dirname(REPO), "shared", "data")
SPM_DIR = os.path.join(DATA, "models", "tokenizers", "sentencepiece")


def jsonl_texts(path, key="text", limit=None):
    opener = gzip.open if path.endswith(".gz") else open
    out = []
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                o = json.loads(line)
            except ValueError:
                continue
            t = o.get(key)
            if isinstance(t, str) and t:
                out.append(t)
            if limit and len(out) >= limit:
                break
    return out


def corpora(quick):
    """name -> list of texts (real data)."""
    c = {}
    with gzip.open(os.path.join(SPM_DIR, "botchan.txt.gz"), "rt", encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f]
    c["botchan"] = [l for l in lines if l.strip()][: 400 if quick else None]
    en = []
    for p in sorted(glob.glob(os.path.join(DATA, "en-web", "*.gz"))):
        en += jsonl_texts(p)
    c["en-web"] = en
    gt = []
    for p in sorted(glob.glob(os.path.join(DATA, "extraction-dev", "wceb", "ground-truth", "*.jsonl"))):
        gt += jsonl_texts(p, limit=60 if quick else None)
    c["en-wceb"] = gt
    c["zh-web"] = jsonl_texts(os.path.join(DATA, "zh-web", "hplt-ia-wide15-zh-sample", "hplt_r1.2_wide15_zh_sample.jsonl.gz"),
                              limit=80 if quick else None)
    c["zh-ccnet"] = jsonl_texts(os.path.join(DATA, "zh-web", "chinesewebtext", "ccnet_CC-MAIN-2022-21_zh_100docs.jsonl"),
                                key="raw_content")
    rev = []
    for p in sorted(glob.glob(os.path.join(DATA, "zh-web", "reviews", "*.csv.gz"))):
        with gzip.open(p, "rt", encoding="utf-8", errors="replace") as f:
            for row in csv.reader(f):
                if len(row) >= 2 and row[1]:
                    rev.append(row[1])
    random.Random(0).shuffle(rev)
    c["zh-reviews"] = rev[: 200 if quick else 3000]
    ja = []
    for p in sorted(glob.glob(os.path.join(DATA, "encodings", "udhr-legacy", "Japanese_Nihongo-UTF8"))):
        ja.append(open(p, encoding="utf-8", errors="replace").read())
    for enc, codec in [("EUC-JP", "euc_jp"), ("SHIFT_JIS", "shift_jis"), ("CP932", "cp932"), ("iso-2022-jp", "iso2022_jp")]:
        for p in sorted(glob.glob(os.path.join(DATA, "encodings", "chardet-tests", enc, "*"))):
            ja.append(open(p, "rb").read().decode(codec, errors="replace"))
    c["ja"] = ja
    html = []
    for p in sorted(glob.glob(os.path.join(DATA, "html", "zh-news-gne", "*.html")))[: 10 if quick else None]:
        html.append(open(p, "rb").read().decode("utf-8", errors="replace"))
    for p in sorted(glob.glob(os.path.join(DATA, "extraction-dev", "wceb", "html", "*", "*.html.gz")))[: 10 if quick else 150]:
        html.append(gzip.open(p).read().decode("utf-8", errors="replace"))
    c["html"] = html
    other = []
    for p in sorted(glob.glob(os.path.join(DATA, "encodings", "udhr-legacy", "*UTF8"))):
        other.append(open(p, encoding="utf-8", errors="replace").read())
    c["udhr-utf8"] = other
    return c


def adversarial():
    """name -> text, or name -> bytes (raw, possibly malformed UTF-8)."""
    a = {}
    a["spaces"] = ["", " ", "  ", " a", "a ", "  a  b   c  ", "\t", "a\tb", "a\t\tb", "\n", "a\nb", "a\n\n\nb",
                   "a\r\nb\r\n", "\r", " \r\n ", "a\u3000b", "\u3000\u3000x", "a\u00a0b", "\u2003a\u2009b\u200a",
                   " " * 100 + "x" + " " * 100, "\u2581", "\u2581\u2581a\u2581", "a\u2581 b", "▁hello ▁world"]
    a["digits"] = ["0", "123", "1234567890" * 20, "3.14159 2.71828", "v1.2.3-rc4", "１２３４５", "٠١٢٣٤", "१२३",
                   "12,345,678.90", "0x1F600", "1e-10", "2024-05-20T12:00:00Z", "Ⅻ ① ½ ²³"]
    a["mixed"] = ["Hello世界こんにちは안녕Привет مرحبا שלום नमस्ते ไทย", "東京Tokyo2020年", "αβγ ABC абв",
                  "ｶﾀｶﾅ ＡＢＣ ｱｲｳ", "ﬁﬂ ™ ㍿ ㈱ ℃ Å", "日本語のテキスト、句読点。「括弧」", "中文，标点！？",
                  "HELLO hello HeLLo", "İstanbul ß ẞ ǅ"]
    a["emoji"] = ["👍", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇯🇵🇺🇸", "👋🏽 hi", "❤️", "a😀b😀c", "🧑🏿‍🚀" * 5, "\U0001F600" * 50]
    a["combining"] = ["e\u0301", "A\u030a", "Z\u0334\u0321\u031ba\u0338l\u0337g\u0336o\u0335", "\u1100\u1161\u11a8",
                      "ก\u0e34\u0e4a", "a" + "\u0300" * 60, "\u0301start", "ñ vs n\u0303"]
    a["control"] = ["\x00", "a\x00b", "\x01\x02\x1b[31mred\x1b[0m", "\x7f", "\u200b\u200c\u200d\ufeff",
                    "a\u2028b\u2029c", "\u0085x", "\x0b\x0c", "\ufffe\uffff", "\U0010ffff", "\ue000"]
    a["specials"] = ["<s>", "</s>", "<unk>", "<pad>", "<0x41>", "<s>hello</s>", "[INST] hi [/INST]", "<|endoftext|>"]
    a["repaired"] = [b"ab\xffcd".decode("utf-8", "replace"), b"\xe6\x97".decode("utf-8", "replace"),
                     b"\xc0\xaf\xed\xa0\x80x".decode("utf-8", "replace"), "\ufffd" * 10]
    a["punct"] = ["!!!!!!!!!!", "....", "-" * 200, "a--b__c", "«»“”‘’", "http://example.com/a?b=c&d=e#f",
                  "user@example.com", "C:\\Windows\\path", "if (x) { return y; }", "    indented\n        code"]
    raw = [b"\xff", b"a\xffb", b"\xc3", b"\xe6\x97\xa5\xe6", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\x80",
           b"\xf0\x9f\x98", b"ok \xfe\xfe ok", b"\x80\x80\x80abc"]
    a["raw-bytes"] = raw
    rng = random.Random(7)
    soup = []
    for _ in range(60):
        n = rng.randint(1, 80)
        s = "".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0xa0, 0x2fff), rng.randint(0x3000, 0x9fff),
                                    rng.randint(0x1f300, 0x1faff), rng.choice([0x20, 0x0a, 0x09, 0x3000])]))
                    for _ in range(n))
        soup.append(s)
    a["random-soup"] = soup
    a["long-word"] = ["abcdefghij" * 100_000, "x" * 300_000, "漢字" * 100_000]
    return a


def train_extra_models(work):
    """Small models exercising features the shared models do not use."""
    with gzip.open(os.path.join(SPM_DIR, "botchan.txt.gz"), "rt", encoding="utf-8") as f:
        text = f.read()
    inp = os.path.join(work, "botchan.txt")
    open(inp, "w", encoding="utf-8").write(text)
    specs = {
        "extra_unigram_userdef_bytefallback": dict(model_type="unigram", vocab_size=600, byte_fallback=True,
                                                   user_defined_symbols=["<sep>", "ab", "Botchan", "▁the", "🙂", "  "],
                                                   control_symbols=["<ctl>"], normalization_rule_name="identity"),
        "extra_bpe_userdef_suffix": dict(model_type="bpe", vocab_size=600, user_defined_symbols=["<sep>", "ing", "XYZ"],
                                         treat_whitespace_as_suffix=True, normalization_rule_name="nmt_nfkc"),
        "extra_unigram_nfkc_cf_keepspace": dict(model_type="unigram", vocab_size=600, normalization_rule_name="nfkc_cf",
                                               remove_extra_whitespaces=False, split_digits=True),
        "extra_bpe_bytefallback_nodummy": dict(model_type="bpe", vocab_size=600, byte_fallback=True, add_dummy_prefix=False,
                                               normalization_rule_name="identity", allow_whitespace_only_pieces=True),
    }
    out = []
    for name, kw in specs.items():
        prefix = os.path.join(work, name)
        if not os.path.exists(prefix + ".model"):
            spm.SentencePieceTrainer.train(input=inp, model_prefix=prefix, minloglevel=2, num_threads=1, **kw)
        out.append(prefix + ".model")
    return out


def write_reference(model, cases, path):
    sp = spm.SentencePieceProcessor(model_file=model)
    with open(path, "w", encoding="utf-8") as f:
        for name, x in cases:
            ids = sp.encode(x)
            dec = sp.decode(ids)
            rec = {"name": name, "ids": ids, "decoded": dec}
            if isinstance(x, bytes):
                rec["hex"] = x.hex()
                rec["lossless"] = False
            else:
                rec["text"] = x
                rec["lossless"] = dec == x
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


MAIN_SWIFT = r'''
import WinnowTokenize
import WinnowCore
let a = CommandLine.arguments
do {
    switch a[1] {
    case "parity":
        for line in try SentencePieceBench.parity(modelPath: a[2], referencePath: a[3]) { print(line) }
    case "speed":
        let r = try SentencePieceBench.speed(modelPath: a[2], referencePath: a[3], rounds: Int(a[4]) ?? 3)
        print(r.bytes, r.seconds, r.tokens)
    case "encode":
        let tok = try SentencePieceTokenizer(path: a[2])
        for line in readTextFile(a[3])!.split(separator: "\n") {
            let text = try JSONParser.parse(String(line))["text"]!.stringValue!
            print(tok.encode(text))
        }
    case "scaling":
        for line in try SentencePieceBench.scaling(modelPath: a[2]) { print(line) }
    default: print("unknown command")
    }
} catch { print("ERROR: \(error)") }
'''


def build_bench(work, main_swift=MAIN_SWIFT, exe="spm-bench"):
    """A release build of `main_swift` against this repo's WinnowTokenize, outside the repo."""
    pkg = os.path.join(work, "pkg")
    src = os.path.join(pkg, "Sources")
    os.makedirs(os.path.join(src, exe), exist_ok=True)
    for t in ["WinnowCore", "WinnowText", "CICUShim", "WinnowTokenize"]:
        link = os.path.join(src, t)
        if not os.path.islink(link):
            os.symlink(os.path.join(REPO, "Sources", t), link)
    open(os.path.join(src, exe, "main.swift"), "w").write(main_swift)
    imports = " ".join(open(p).read() for p in glob.glob(os.path.join(REPO, "Sources", "WinnowTokenize", "*.swift")))
    needs_text = "import WinnowText" in imports or "import CICUShim" in imports
    deps = '"WinnowCore", "WinnowText", "CICUShim"' if needs_text else '"WinnowCore"'
    icu = ('.target(name: "CICUShim", linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]),\n'
           '        .target(name: "WinnowText", dependencies: ["WinnowCore", "CICUShim"], swiftSettings: hot),\n') if needs_text else ""
    open(os.path.join(pkg, "Package.swift"), "w").write(f'''// swift-tools-version: 6.1
import PackageDescription
let hot: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma", "-enforce-exclusivity=unchecked"], .when(configuration: .release))]
let package = Package(name: "{exe}", targets: [
        .target(name: "WinnowCore", swiftSettings: hot),
        {icu}.target(name: "WinnowTokenize", dependencies: [{deps}], swiftSettings: hot),
        .executableTarget(name: "{exe}", dependencies: ["WinnowTokenize", "WinnowCore"], swiftSettings: hot),
])
''')
    subprocess.run(["swift", "build", "-c", "release", "--package-path", pkg], check=True,
                   stdout=subprocess.DEVNULL if not os.environ.get("VERBOSE") else None)
    return os.path.join(pkg, ".build", "release", exe)


def one_core(cmd):
    return (["taskset", "-c", "0"] + cmd) if shutil.which("taskset") else cmd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer documents")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--work", default="/tmp/winnow-spm-parity")
    ap.add_argument("--only", default="", help="only models whose file name contains one of these (comma-separated)")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)

    real = corpora(args.quick)
    adv = adversarial()
    cases = [(f"{k}#{i}", t) for k, ts in real.items() for i, t in enumerate(ts)]
    cases += [(f"adv-{k}#{i}", t) for k, ts in adv.items() for i, t in enumerate(ts)]
    real_bytes = sum(len(t.encode()) for ts in real.values() for t in ts)
    print(f"cases: {len(cases)} ({', '.join(f'{k} {len(v)}' for k, v in real.items())}, adversarial "
          f"{sum(len(v) for v in adv.values())}); real text {real_bytes / 1e6:.1f} MB")

    models = sorted(p for p in glob.glob(os.path.join(SPM_DIR, "*")) if not p.endswith(".gz") and not p.endswith(".txt"))
    models += train_extra_models(args.work)
    models = [m for m in models if any(o in os.path.basename(m) for o in args.only.split(","))]
    exe = build_bench(args.work)

    for m in models:
        name = os.path.basename(m)
        ref = os.path.join(args.work, name + ".ref.jsonl")
        write_reference(m, cases, ref)
        out = subprocess.run([exe, "parity", m, ref], capture_output=True, text=True).stdout
        print(f"{name}: {out.rstrip()}")

    if args.no_speed:
        return
    speed_sets = {"en": real["en-wceb"] + real["en-web"] + real["botchan"], "zh": real["zh-web"] + real["zh-ccnet"]}
    for m in models[:4]:
        name = os.path.basename(m)
        sp = spm.SentencePieceProcessor(model_file=m)
        for lang, texts in speed_sets.items():
            ref = os.path.join(args.work, f"speed-{lang}.jsonl")
            with open(ref, "w", encoding="utf-8") as f:
                for t in texts:
                    f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
            nbytes = sum(len(t.encode()) for t in texts)
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                for t in texts:
                    sp.encode(t)
                times.append(time.perf_counter() - t0)
            py = statistics.median(times)
            out = subprocess.run(one_core([exe, "speed", m, ref, "3"]), capture_output=True, text=True).stdout.split()
            sw = float(out[1])
            print(f"speed {name} {lang} ({nbytes / 1e6:.1f} MB, one core): winnow {nbytes / sw / 1e6:.1f} MB/s, "
                  f"sentencepiece (python loop) {nbytes / py / 1e6:.1f} MB/s, ratio {py / sw:.2f}x")
    for m in models[:4]:
        out = subprocess.run(one_core([exe, "scaling", m]), capture_output=True, text=True).stdout
        print(f"scaling {os.path.basename(m)}: {out.strip()}")


if __name__ == "__main__":
    main()

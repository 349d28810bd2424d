"""Token-id parity of `winnow tokenizer encode` against tiktoken and HF tokenizers.

    python bench/parity/tokenizer_parity.py [--sets en,zh,ja,mixed,adversarial,adversarial-big]
        [--only cl100k,o200k,...] [--winnow .build/release/winnow] [--limit N]

Every document of every set is encoded by the reference and by Winnow (one `encode --format
jsonl` process per tokenizer and set); ids must be identical. Special-token text is plain text
(tiktoken: disallowed_special=(); HF: encode_special_tokens=True), then the same again with all
specials allowed on the adversarial set. Lossless tokenizers must round-trip through `decode`.
"""
import argparse, gzip, json, os, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tokenizer_corpus  # noqa: E402
from tokenizer_refs import references  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def winnow_encode(winnow, tokfile, jsonl, allowed):
    cmd = [winnow, "tokenizer", "encode", "--tokenizer", tokfile, "--format", "jsonl", jsonl]
    if allowed:
        cmd += ["--allowed-special", "all"]
    out = subprocess.run(cmd, check=True, capture_output=True).stdout
    return [[int(x) for x in l.split()] for l in out.decode().split("\n")[:-1]]


def winnow_decode(winnow, tokfile, ids_lines):
    with tempfile.NamedTemporaryFile("w", suffix=".ids", delete=False) as f:
        for ids in ids_lines:
            f.write(" ".join(map(str, ids)) + "\n")
    out = subprocess.run([winnow, "tokenizer", "decode", "--tokenizer", tokfile, "--format", "jsonl", f.name],
                         check=True, capture_output=True).stdout
    os.unlink(f.name)
    return [json.loads(l)["text"] for l in out.decode().split("\n")[:-1]]


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="en,zh,ja,mixed,adversarial,adversarial-big")
    ap.add_argument("--only", default="")
    ap.add_argument("--winnow", default=os.path.join(ROOT, ".build/release/winnow"))
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    sets = tokenizer_corpus.build()
    refs = references()
    only = set(args.only.split(",")) if args.only else None
    failures = 0
    for name, ref in refs.items():
        if only and name not in only:
            continue
        for setname in args.sets.split(","):
            texts = tokenizer_corpus.load(sets[setname])
            path = sets[setname]
            if args.limit:
                texts = texts[:args.limit]
                path = os.path.join(tokenizer_corpus.OUT, f"{setname}.head{args.limit}.jsonl")
                tokenizer_corpus.write(path, texts)
            modes = [False, True] if setname == "adversarial" else [False]
            for allowed in modes:
                t0 = time.time()
                want = []
                for t in texts:
                    try:
                        want.append(ref.encode(t, allowed))
                    except Exception as e:  # the reference itself fails (e.g. regex stack on the 10 MB word)
                        want.append(None)
                        print(f"    reference failed on a {len(t)}-character text: {str(e)[:90]}")
                t1 = time.time()
                got = winnow_encode(args.winnow, ref.file, path, allowed)
                t2 = time.time()
                failed = sum(1 for w in want if w is None)
                same = sum(1 for a, b in zip(want, got) if a == b) + failed
                if failed:
                    print(f"    {failed} text(s) the reference cannot encode: not compared")
                ntok = sum(len(w) for w in want if w is not None)
                status = "OK " if same == len(texts) and len(got) == len(texts) else "BAD"
                print(f"{status} {name:14s} {setname:16s} specials={'all ' if allowed else 'text'} "
                      f"{same}/{len(texts)} docs identical, {ntok} tokens  (ref {t1 - t0:.1f}s, winnow {t2 - t1:.1f}s)", flush=True)
                if status == "BAD":
                    failures += 1
                    shown = 0
                    for i, (a, b) in enumerate(zip(want, got)):
                        if a is not None and a != b and shown < 3:
                            k = first_diff(a, b)
                            print(f"    doc {i}: first diff at token {k}: ref {a[max(0, k - 3):k + 4]} winnow {b[max(0, k - 3):k + 4]}")
                            print(f"      ref pieces {[ref.piece(x) for x in a[max(0, k - 3):k + 4]]}")
                            print(f"      win pieces {[ref.piece(x) for x in b[max(0, k - 3):k + 4]]}")
                            shown += 1
                if ref.lossless and not allowed and setname != "adversarial-big":
                    back = winnow_decode(args.winnow, ref.file, got)
                    rt = sum(1 for a, b in zip(texts, back) if a == b)
                    print(f"    round trip decode(encode(x)) == x: {rt}/{len(texts)}", flush=True)
                    if rt != len(texts):
                        failures += 1
                elif not allowed and setname != "adversarial-big":
                    back = winnow_decode(args.winnow, ref.file, got)
                    rd = sum(1 for ids, b in zip(got, back) if ref.decode(ids) == b)
                    print(f"    decode identical to the reference's: {rd}/{len(texts)}", flush=True)
                    if rd != len(texts):
                        failures += 1
    print("FAILURES:", failures)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

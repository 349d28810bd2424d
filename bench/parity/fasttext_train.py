#!/usr/bin/env python3
"""Training parity and speed: `winnow classifier train` vs official fastText (fasttext-wheel).

Data: the real Chinese review corpora in ../shared/data/zh-web/reviews (waimai_10k: food
delivery, ChnSentiCorp: hotels), one review per line as `__label__pos|neg` + characters separated
by spaces (fastText needs whitespace tokens; CJK text has none), shuffled with a fixed seed;
every 10th review is held out.
Also the ChineseWebText quality files (fasttext_quality_{train,test}.txt, jieba-segmented).

For each: same hyper-parameters, one thread each; reports held-out P@1 for both, training
words/sec/thread for both (fastText's own counter for the official run), and checks that the
official binding loads Winnow's model and predicts exactly what `winnow fasttext predict-prob`
prints.

Run: python bench/parity/fasttext_train.py   (venv with fasttext-wheel, numpy<2)
"""
import csv, gzip, io, os, random, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
WINNOW = os.path.join(ROOT, ".build/release/winnow")
tmp = tempfile.mkdtemp(prefix="ft-train-")


def reviews(name):
    rows = []
    with gzip.open(os.path.join(DATA, "zh-web/reviews", name), "rt", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            text = " ".join(ch for ch in r["review"] if not ch.isspace())
            if text:
                rows.append(f"__label__{'pos' if r['label'] == '1' else 'neg'} {text}")
    random.Random(0).shuffle(rows)  # the corpora are sorted by label
    train = [x for i, x in enumerate(rows) if i % 10 != 0]
    test = [x for i, x in enumerate(rows) if i % 10 == 0]
    paths = []
    for part, lines in (("train", train), ("test", test)):
        p = os.path.join(tmp, f"{name.split('.')[0]}.{part}.txt")
        with open(p, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        paths.append(p)
    return paths


def official(train, test, params):
    code = (
        "import fasttext,sys\n"
        f"m=fasttext.train_supervised(input={train!r}, thread=1, verbose=2, **{params!r})\n"
        f"m.save_model({os.path.join(tmp, 'official.bin')!r})\n"
        f"print('TEST', *m.test({test!r}))\n"
    )
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    secs = time.perf_counter() - t
    speeds = re.findall(r"words/sec/thread:\s*(\d+)", r.stderr)
    n, p, rec = r.stdout.split("TEST")[1].split()
    return float(p), int(speeds[-1]) if speeds else None, secs


def winnow(train, test, params):
    out = os.path.join(tmp, "winnow")
    args = [WINNOW, "classifier", "train", "-input", train, "-output", out, "-thread", "1"]
    for k, v in params.items():
        args += [f"-{k}", str(v)]
    t = time.perf_counter()
    r = subprocess.run(args, capture_output=True, text=True, check=True)
    secs = time.perf_counter() - t
    speed = int(re.search(r"(\d+) words/sec/thread", r.stderr).group(1))
    res = subprocess.run([WINNOW, "classifier", "test", out + ".bin", test], capture_output=True, text=True, check=True).stdout
    p = float(re.search(r"P@1\t([\d.]+)", res).group(1))
    return p, speed, secs, out + ".bin"


def same_predictions(model_path, test):
    import fasttext
    m = fasttext.load_model(model_path)
    texts = [l.rstrip("\n").split(" ", 1)[1] if " " in l else "" for l in open(test, encoding="utf-8")]
    plain = os.path.join(tmp, "plain.txt")
    with open(plain, "w", encoding="utf-8") as f:
        f.write("\n".join(texts) + "\n")
    ours = subprocess.run([WINNOW, "fasttext", "predict-prob", model_path, plain, "2"], capture_output=True, text=True, check=True).stdout.splitlines()
    same = 0
    for t, o in zip(texts, ours):
        labels, probs = m.predict(t, k=2)
        theirs = " ".join(f"{l} {p:.6g}" for l, p in zip(labels, probs))
        same += theirs == o
    return same, len(texts), m.test(test)[1]


def main():
    cases = [
        ("waimai_10k", reviews("waimai_10k.csv.gz"), {"epoch": 10, "lr": 0.5, "wordNgrams": 2, "dim": 50}),
        ("ChnSentiCorp", reviews("ChnSentiCorp_htl_all.csv.gz"), {"epoch": 10, "lr": 0.5, "wordNgrams": 2, "dim": 50}),
        ("chinesewebtext quality", (os.path.join(DATA, "zh-web/chinesewebtext/fasttext_quality_train.txt"),
                                    os.path.join(DATA, "zh-web/chinesewebtext/fasttext_quality_test.txt")),
         {"epoch": 25, "lr": 0.5, "wordNgrams": 2, "dim": 50}),
    ]
    print(f"{'data':24} {'P@1 official':>12} {'P@1 winnow':>10} {'w/s/t official':>15} {'w/s/t winnow':>13} {'ratio':>6}  official-binding agreement on winnow's model")
    for name, (train, test), params in cases:
        po, so, _ = official(train, test, params)
        pw, sw, _, model = winnow(train, test, params)
        same, n, p_official_on_ours = same_predictions(model, test)
        ratio = f"{sw / so:.2f}x" if so else "-"
        print(f"{name:24} {po:12.3f} {pw:10.3f} {so or 0:15d} {sw:13d} {ratio:>6}  {same}/{n} identical lines (official P@1 of winnow's model {p_official_on_ours:.3f})")


if __name__ == "__main__":
    main()

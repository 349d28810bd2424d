#!/usr/bin/env python3
"""Small models trained by the official fastText (fasttext-wheel) with every loss and with
quantized output/norms, plus their official top-2 predictions on held-out real reviews, for
the WinnowClassify tests (Tests/WinnowClassifyTests/Fixtures/models/).

python bench/parity/fasttext_loss_fixtures.py
"""
import csv, gzip, json, os, random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests/WinnowClassifyTests/Fixtures/models")
os.makedirs(OUT, exist_ok=True)
import fasttext

rows = []
with gzip.open(os.path.join(ROOT, "../shared/data/zh-web/reviews/ChnSentiCorp_htl_all.csv.gz"), "rt", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        t = " ".join(ch for ch in r["review"] if not ch.isspace())
        if t:
            rows.append((("pos" if r["label"] == "1" else "neg"), t))
random.Random(1).shuffle(rows)
train, test = rows[:1500], rows[1500:1560]
path = os.path.join(OUT, "train.txt")
with open(path, "w", encoding="utf-8") as f:
    for l, t in train:
        f.write(f"__label__{l} {t}\n")
common = dict(input=path, dim=8, epoch=5, lr=0.5, bucket=5000, thread=1, verbose=0, seed=1)
models = {
    "softmax-bigrams.bin": dict(loss="softmax", wordNgrams=2),
    "hs-subwords.bin": dict(loss="hs", minn=1, maxn=2),
    "ns.bin": dict(loss="ns", neg=3),
    "ova.bin": dict(loss="ova", wordNgrams=2),
}
truth = {"texts": [t for _, t in test], "models": {}}
for name, extra in models.items():
    m = fasttext.train_supervised(**common, **extra)
    m.save_model(os.path.join(OUT, name))
    truth["models"][name] = [list(zip(*[(l, float(p)) for l, p in zip(*m.predict(t, k=2))])) for t in truth["texts"]]
    if name == "softmax-bigrams.bin":
        m.quantize(input=path, qout=False, qnorm=True, dsub=2, retrain=False)  # qout needs >= 256 output rows
        m.save_model(os.path.join(OUT, "quantized-qnorm.ftz"))
        truth["models"]["quantized-qnorm.ftz"] = [list(zip(*[(l, float(p)) for l, p in zip(*m.predict(t, k=2))])) for t in truth["texts"]]
os.unlink(path)
with open(os.path.join(OUT, "truth.json"), "w", encoding="utf-8") as f:
    json.dump(truth, f, ensure_ascii=False)
for n in sorted(os.listdir(OUT)):
    print(n, os.path.getsize(os.path.join(OUT, n)))

#!/usr/bin/env python3
"""Ground truth for the WinnowClassify tests, from the official fastText binding (fasttext-wheel):
lid.176.ftz top-3 predictions for real documents (samples/text plus the UDHR translations in
../shared/data), and subword ids of words with non-ASCII bytes (fastText hashes bytes as
signed chars).

python bench/parity/fasttext_fixture.py > Tests/WinnowClassifyTests/Fixtures/lid176-truth.json
"""
import glob, gzip, json, os, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import fasttext

model = fasttext.load_model(os.path.join(ROOT, "samples/models/lid.176.ftz"))
docs = []
with gzip.open(os.path.join(ROOT, "samples/text/web-sample.jsonl.gz"), "rt", encoding="utf-8") as f:
    for i, line in enumerate(f):
        if i % 6 == 0 or i >= 150:
            d = json.loads(line)
            docs.append(d["text"].replace("\n", " ")[:3000])
# Short and odd inputs: the tokenizer's edge cases.
docs += ["", " ", "a", "</s> after an end-of-sentence token", "tab\tseparated\vwords\fhere\rand more",
         "Ünïcödé çafé naïve façade", "日本語のテキストです。東京は大きい都市です。", "Привет, как дела? Всё хорошо.",
         "12345 67890", "__label__en is a label-like token"]
preds = []
for t in docs:
    labels, probs = model.predict(t, k=3)
    preds.append({"text": t, "labels": list(labels), "probs": [float(p) for p in probs]})
words = ["hello", "café", "中文", "naïve", "Привет", "</s>", "a", "zzzzqqqq", "東京"]
subwords = []
for w in words:
    sw, ids = model.get_subwords(w)
    subwords.append({"word": w, "subwords": list(sw), "ids": [int(i) for i in ids]})
print(json.dumps({"model": "lid.176.ftz", "predictions": preds, "subwords": subwords}, ensure_ascii=False, indent=0))

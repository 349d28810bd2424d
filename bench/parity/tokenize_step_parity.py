"""The tokenize step's Megatron shards hold exactly tiktoken's ids for the documents it read.

    winnow run pipelines/quickstart.yaml --output-dir /tmp/qs
    python bench/parity/tokenize_step_parity.py /tmp/qs        # venv with tiktoken, numpy, zstandard
Reads steps/tokens/NNNNN.bin/.idx with numpy (megatron's MMIDIDX layout), the source documents
from steps/html and steps/zh (the step's input, in unit order), and compares document by document.
"""
import json, struct, sys, glob, io, os
import numpy as np, tiktoken

run = sys.argv[1]
try:
    import zstandard
except ImportError:
    sys.exit("pip install zstandard")

def docs(path):
    with open(path, "rb") as f:
        data = zstandard.ZstdDecompressor().stream_reader(f).read()
    return [json.loads(l) for l in data.decode("utf-8").splitlines() if l.strip()]

def megatron(prefix):
    idx = open(prefix + ".idx", "rb").read()
    assert idx[:9] == b"MMIDIDX\x00\x00", "magic"
    version, = struct.unpack_from("<Q", idx, 9); dtype_code = idx[17]
    n, ndocs = struct.unpack_from("<QQ", idx, 18)
    lengths = np.frombuffer(idx, dtype=np.int32, count=n, offset=34)
    dtype = {8: np.uint16, 4: np.int32}[dtype_code]
    tokens = np.fromfile(prefix + ".bin", dtype=dtype)
    out, pos = [], 0
    for L in lengths:
        out.append(tokens[pos:pos + L].tolist()); pos += L
    assert pos == len(tokens)
    return out

sys.path.insert(0, os.path.dirname(__file__))
from tokenizer_refs import TiktokenRef, _enc_params  # the local rank file; no download
pat, specials = _enc_params("cl100k_base")
enc = TiktokenRef(os.path.join(os.path.dirname(__file__), "../../samples/tokenizers/cl100k_base.tiktoken"), pat, specials).enc
sources = sorted(glob.glob(f"{run}/steps/html/*.jsonl.zst")) + sorted(glob.glob(f"{run}/steps/zh/*.jsonl.zst"))
shards = sorted(p[:-4] for p in glob.glob(f"{run}/steps/tokens/*.bin"))
same = total = 0
for src, shard in zip(sources, shards):
    for d, got in zip(docs(src), megatron(shard)):
        want = enc.encode_ordinary(d["text"]) + [enc.eot_token]
        total += 1; same += want == got
print(f"tokenize step vs tiktoken cl100k: {same}/{total} documents with identical ids")
sys.exit(0 if same == total and total > 0 else 1)

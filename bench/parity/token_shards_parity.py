#!/usr/bin/env python3
"""Winnow's token shard writers and readers against the formats' own code.

    python3 -m venv .venv-shards && .venv-shards/bin/pip install datatrove tokenizers numpy
    .venv-shards/bin/python bench/parity/token_shards_parity.py [--work DIR]

Builds a throwaway release executable outside the repo (DIR/pkg, targets symlinked to this repo's
Sources, via sentencepiece_parity.build_bench) that calls `TokenShardBench`. For each format and
vocabulary size (around the uint16 limits: 65,536 for datatrove/llm.c, 65,500 for megatron) it
writes random documents (empty ones, long ones, the largest id) with Winnow, then:
- datatrove: writes the same documents with datatrove's own `TokenizedFile` and compares .ds,
  .ds.index, .ds.loss and .ds.metadata byte for byte; reads Winnow's files back with numpy;
- megatron: reads .bin/.idx with megatron-core's `IndexedDataset` when it imports (it needs
  torch), otherwise with numpy following megatron-core's _IndexReader layout, and compares
  bytes with a numpy replica of its _IndexWriter;
- nanoGPT: `np.memmap(uint16)`; llm.c: the header checks of llm.c's dataloader (magic, version,
  token count, exact file size) and bytes against its `write_datafile` layout;
- reads every shard back with Winnow's reader (exact tokens, documents, loss flags), and checks
  that a shard cut short by a few bytes is refused;
then prints write speed (one core, MB of token bytes per second).
"""
import argparse, os, shutil, struct, subprocess, sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sentencepiece_parity import build_bench  # noqa: E402

MAIN = r'''
import WinnowTokenize
let a = CommandLine.arguments
do {
    switch a[1] {
    case "write":
        print(try TokenShardBench.write(format: TokenShardFormat(rawValue: a[2])!, path: a[3], vocabularySize: Int(a[4])!,
                                        documentsPath: a[5], saveLoss: a[6] == "1", tokenizerName: a[7]))
    case "read":
        print(try TokenShardBench.read(format: TokenShardFormat(rawValue: a[2])!, path: a[3], outPath: a[4]))
    case "speed":
        print(try TokenShardBench.writeSpeed(format: TokenShardFormat(rawValue: a[2])!, path: a[3], vocabularySize: Int(a[4])!,
                                             tokens: Int(a[5])!))
    default: print("unknown command")
    }
} catch { print("ERROR: \(error)") }
'''


def make_docs(rng, vocab, n=300):
    docs = []
    for i in range(n):
        length = 0 if i % 37 == 0 else int(rng.geometric(1 / 400))
        if i == 5:
            length = 150_000
        ids = rng.integers(0, vocab, size=length, dtype=np.int64)
        if length:
            ids[0] = vocab - 1
        loss = rng.random(length) < 0.8
        docs.append((ids.astype(np.uint32), loss))
    return docs


def save_docs(docs, path):
    with open(path, "wb") as f:
        for ids, loss in docs:
            f.write(struct.pack("<I", len(ids)))
            f.write(ids.astype("<u4").tobytes())
            f.write(loss.astype(np.uint8).tobytes())


def load_docs(path):
    raw = open(path, "rb").read()
    docs, p = [], 0
    while p < len(raw):
        (n,) = struct.unpack_from("<I", raw, p)
        p += 4
        ids = np.frombuffer(raw, "<u4", n, p)
        p += 4 * n
        loss = np.frombuffer(raw, np.uint8, n, p).astype(bool)
        p += n
        docs.append((ids, loss))
    return docs


def same_bytes(a, b):
    return open(a, "rb").read() == open(b, "rb").read()


def check_datatrove(base, docs, width, loss, name, work):
    from datatrove.pipeline.tokens.tokenizer import TokenizedFile
    ref_dir = os.path.join(work, "datatrove-ref")
    shutil.rmtree(ref_dir, ignore_errors=True)
    os.makedirs(ref_dir)
    tf = TokenizedFile(ref_dir, "ref.ds", save_loss_metadata=loss, tokenizer_name_or_path=name,
                       save_final_metadata=True, token_size=width)
    for ids, lm in docs:
        tf.write([int(x) for x in ids], lm if loss else None)
    tf.close()
    exts = ["", ".index", ".metadata"] + ([".loss"] if loss else [])
    identical = all(same_bytes(base + e, os.path.join(ref_dir, "ref.ds" + e)) for e in exts)
    tokens = np.fromfile(base, dtype=np.uint16 if width == 2 else np.uint32)
    ends = np.fromfile(base + ".index", dtype=np.uint64)
    starts = np.concatenate([[0], ends[:-1]]).astype(np.int64)
    ok = len(ends) == len(docs) and all(np.array_equal(tokens[s:e], d[0]) for s, e, d in zip(starts, ends.astype(np.int64), docs))
    if loss:
        lm = np.fromfile(base + ".loss", dtype=np.uint8).astype(bool)
        ok = ok and np.array_equal(lm, np.concatenate([d[1] for d in docs]))
    return identical, ok


def megatron_reference(prefix, docs, width):
    dtype = np.uint16 if width == 2 else np.int32
    code = 8 if width == 2 else 4
    lengths = np.array([len(d[0]) for d in docs], dtype=np.int32)
    pointers = np.concatenate([[0], np.cumsum(lengths.astype(np.int64) * np.dtype(dtype).itemsize)[:-1]]).astype(np.int64)
    with open(prefix + ".idx", "wb") as f:
        f.write(b"MMIDIDX\x00\x00" + struct.pack("<Q", 1) + struct.pack("<B", code))
        f.write(struct.pack("<Q", len(lengths)) + struct.pack("<Q", len(docs) + 1))
        f.write(lengths.tobytes() + pointers.tobytes() + np.arange(len(docs) + 1, dtype=np.int64).tobytes())
    with open(prefix + ".bin", "wb") as f:
        for ids, _ in docs:
            f.write(ids.astype(dtype).tobytes())


def check_megatron(prefix, docs, width, work):
    megatron_used = False
    try:
        from megatron.core.datasets.indexed_dataset import IndexedDataset  # needs torch
        ds = IndexedDataset(prefix)
        got = [np.asarray(ds[i]) for i in range(len(ds))]
        megatron_used = True
    except Exception:
        idx = open(prefix + ".idx", "rb").read()
        assert idx[:9] == b"MMIDIDX\x00\x00" and struct.unpack_from("<Q", idx, 9)[0] == 1
        code = idx[17]
        dtype = {8: np.uint16, 4: np.int32}[code]
        n, _ = struct.unpack_from("<QQ", idx, 18)
        lengths = np.frombuffer(idx, np.int32, n, 34)
        pointers = np.frombuffer(idx, np.int64, n, 34 + 4 * n)
        bin_ = np.memmap(prefix + ".bin", dtype=dtype, mode="r")
        got = [np.array(bin_[p // np.dtype(dtype).itemsize: p // np.dtype(dtype).itemsize + l]) for p, l in zip(pointers, lengths)]
    ok = len(got) == len(docs) and all(np.array_equal(g.astype(np.int64), d[0].astype(np.int64)) for g, d in zip(got, docs))
    ref = os.path.join(work, "megatron-ref")
    megatron_reference(ref, docs, width)
    identical = same_bytes(prefix + ".idx", ref + ".idx") and same_bytes(prefix + ".bin", ref + ".bin")
    return identical, ok, megatron_used


def check_llmc(path, docs, width):
    raw = open(path, "rb").read()
    header = np.frombuffer(raw[:1024], dtype=np.int32)
    magic, version = (20240520, 1) if width == 2 else (20240801, 7)
    ntok = int(header[2])
    size_ok = len(raw) == 256 * 4 + ntok * width          # llm.c dataloader's exact-size check
    header_ok = header[0] == magic and header[1] == version and size_ok
    concat = np.concatenate([d[0] for d in docs])
    toks = np.frombuffer(raw, dtype=np.uint16 if width == 2 else np.uint32, offset=1024)
    ref = np.zeros(256, dtype=np.int32)
    ref[0], ref[1], ref[2] = magic, version, len(concat)
    identical = raw == ref.tobytes() + concat.astype(np.uint16 if width == 2 else np.uint32).tobytes()
    return identical, bool(header_ok) and np.array_equal(toks, concat)


def check_nanogpt(path, docs):
    concat = np.concatenate([d[0] for d in docs]).astype(np.uint16)
    m = np.memmap(path, dtype=np.uint16, mode="r")
    return open(path, "rb").read() == concat.tobytes(), np.array_equal(np.asarray(m), concat)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="/tmp/winnow-shards-parity")
    ap.add_argument("--speed-tokens", type=int, default=50_000_000)
    args = ap.parse_args()
    work = args.work
    os.makedirs(work, exist_ok=True)
    exe = build_bench(work, MAIN, "shard-bench")
    rng = np.random.default_rng(0)
    cases = [("datatrove", 1000, True), ("datatrove", 65536, False), ("datatrove", 65537, True), ("datatrove", 200019, False),
             ("megatron", 32000, False), ("megatron", 65499, False), ("megatron", 65500, False), ("megatron", 128256, False),
             ("nanogpt", 50257, False), ("llmc", 50257, False), ("llmc", 128256, False)]
    passed = 0
    for fmt, vocab, loss in cases:
        docs = make_docs(rng, vocab)
        ntok = sum(len(d[0]) for d in docs)
        dpath = os.path.join(work, "docs.bin")
        save_docs(docs, dpath)
        out = os.path.join(work, "out")
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        path = {"datatrove": os.path.join(out, "shard.ds"), "megatron": os.path.join(out, "shard"),
                "nanogpt": os.path.join(out, "shard.bin"), "llmc": os.path.join(out, "shard.bin")}[fmt]
        res = subprocess.run([exe, "write", fmt, path, str(vocab), dpath, "1" if loss else "0", "winnow-test"],
                             capture_output=True, text=True).stdout.strip()
        if res.startswith("ERROR"):
            print(f"{fmt} vocab {vocab}: {res}")
            continue
        width = int(res.split()[2])
        leftovers = [f for f in os.listdir(out) if f.endswith(".tmp") or f.endswith(".lengths")]
        note = ""
        if fmt == "datatrove":
            identical, read_ok = check_datatrove(path, docs, width, loss, "winnow-test", work)
            ref = "datatrove TokenizedFile"
        elif fmt == "megatron":
            identical, read_ok, used = check_megatron(path, docs, width, work)
            ref = "megatron layout (numpy replica of _IndexWriter)"
            note = " read with megatron-core IndexedDataset" if used else " read with numpy (megatron-core not importable: no torch)"
        elif fmt == "llmc":
            identical, read_ok = check_llmc(path, docs, width)
            ref = "llm.c write_datafile layout + dataloader header checks"
        else:
            identical, read_ok = check_nanogpt(path, docs)
            ref = "np.memmap(uint16)"
        back = os.path.join(work, "back.bin")
        rres = subprocess.run([exe, "read", fmt, path, back], capture_output=True, text=True).stdout.strip()
        got = load_docs(back) if not rres.startswith("ERROR") else []
        if fmt in ("datatrove", "megatron"):
            winnow_read = len(got) == len(docs) and all(np.array_equal(g[0], d[0]) and (not loss or np.array_equal(g[1], d[1]))
                                                        for g, d in zip(got, docs))
        else:
            winnow_read = len(got) == 1 and np.array_equal(got[0][0], np.concatenate([d[0] for d in docs]))
        # Cut the token file (and the index) short: Winnow's reader must refuse it.
        refused = 0
        targets = [path if fmt != "megatron" else path + ".bin"] + ([path + ".index"] if fmt == "datatrove" else [])
        targets += [path + ".idx"] if fmt == "megatron" else []
        for t in targets:
            saved = open(t, "rb").read()
            open(t, "wb").write(saved[:-3])
            r = subprocess.run([exe, "read", fmt, path, back], capture_output=True, text=True).stdout.strip()
            refused += r.startswith("ERROR")
            open(t, "wb").write(saved)
        ok = identical and read_ok and winnow_read and not leftovers and refused == len(targets)
        passed += ok
        print(f"{fmt:9} vocab {vocab:6} width {width} docs {len(docs)} tokens {ntok}: bytes identical to {ref}: {identical}; "
              f"read back exact: {read_ok}{note}; Winnow reader exact: {winnow_read}; truncations refused {refused}/{len(targets)}; "
              f"temporaries left: {len(leftovers)}")
    print(f"{passed}/{len(cases)} cases passed")

    for fmt, vocab in [("datatrove", 50257), ("megatron", 50257), ("llmc", 128256)]:
        out = os.path.join(work, "speed")
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        path = os.path.join(out, "s.ds" if fmt == "datatrove" else "s.bin" if fmt == "llmc" else "s")
        cmd = [exe, "speed", fmt, path, str(vocab), str(args.speed_tokens)]
        if shutil.which("taskset"):
            cmd = ["taskset", "-c", "0"] + cmd
        secs = float(subprocess.run(cmd, capture_output=True, text=True).stdout.strip())
        width = 2 if vocab <= 65536 else 4
        print(f"write speed {fmt} ({args.speed_tokens / 1e6:.0f}M tokens, {width}-byte): {args.speed_tokens * width / secs / 1e6:.0f} MB/s "
              f"({args.speed_tokens / secs / 1e6:.1f}M tokens/s, one core, shared machine)")
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Shards a Winnow run wrote (tokenize, merge, pack), read back by the trainers' own readers.

    pip install datatrove tokenizers numpy megatron-core   # + CPU torch
    python bench/parity/shard_readers_parity.py [--winnow .build/debug/winnow] [--work DIR]

Runs one pipeline over samples/text/web-sample.jsonl.gz with GPT-NeoX's tokenizer (the shared
gpt-neo-test-tokenizer.json, 50,280 ids: uint16 in every format): tokenize into datatrove (with
.ds.loss), megatron, nanoGPT and llm.c shards; merge the datatrove shards into 3 datatrove, 2
megatron, 2 nanoGPT and 2 llm.c files (seed 5); pack the megatron shards and the merged megatron
files with bfd, pad and concat. Reference ids: HF `tokenizers` encoding of every kept document
(text_length_filter min 200 chars, as the pipeline) + <|endoftext|>. Then:
- megatron (.bin/.idx, tokenize, merge and pack outputs): megatron-core `IndexedDataset`;
- datatrove (.ds/.ds.index/.ds.loss): datatrove's `DatatroveFileDataset` token reader (windows
  of seq_len+1 over the token stream) and the .ds.index ends;
- nanoGPT: `np.memmap(uint16)`; llm.c: the header checks of llm.c's dataloader + memmap;
- tokenize shards equal the reference documents in input order; merged files hold the same
  documents (as a multiset), in one shuffled order shared by every merged format;
- packed sequences: every piece (boundaries sidecar) equals its source document's tokens at that
  offset, the rest is pad_id, and NNNNN.mask ([N, L] uint8) is 1 exactly on the pieces.
Prints counts per check; exits 1 on any mismatch.
"""
import argparse, collections, glob, gzip, json, os, shutil, subprocess, sys

import warnings

import numpy as np

warnings.filterwarnings("ignore")  # megatron-core: no Transformer Engine / Apex (not needed to read datasets)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
DATA = os.path.abspath(os.path.join(ROOT, "../shared/data"))
TOKJSON = os.path.join(DATA, "models/tokenizers/hf-tokenizer-json/gpt-neo-test-tokenizer.json.gz")
L = 512

PIPELINE = """
name: readers
steps:
  - name: tok_dt
    input: {{paths: [{src}]}}
    tasks: 2
    stages: [text_length_filter: {{min: 200, unit: chars}}]
    tokenize: {{tokenizer: {tok}, format: datatrove, eos: "<|endoftext|>", loss: true}}
  - name: tok_mg
    input: {{paths: [{src}]}}
    stages: [text_length_filter: {{min: 200, unit: chars}}]
    tokenize: {{tokenizer: {tok}, format: megatron, eos: "<|endoftext|>"}}
  - name: tok_nano
    input: {{paths: [{src}]}}
    stages: [text_length_filter: {{min: 200, unit: chars}}]
    tokenize: {{tokenizer: {tok}, format: nanogpt, eos: "<|endoftext|>"}}
  - name: tok_llmc
    input: {{paths: [{src}]}}
    stages: [text_length_filter: {{min: 200, unit: chars}}]
    tokenize: {{tokenizer: {tok}, format: llmc, eos: "<|endoftext|>"}}
  - name: merge_dt
    input: {{from: tok_dt}}
    tasks: 2
    merge: {{files: 3, seed: 5, loss: true}}
  - name: merge_mg
    input: {{from: tok_dt}}
    merge: {{files: 2, seed: 5, format: megatron}}
  - name: merge_nano
    input: {{from: tok_dt}}
    merge: {{files: 2, seed: 5, format: nanogpt}}
  - name: merge_llmc
    input: {{from: tok_dt}}
    merge: {{files: 2, seed: 5, format: llmc}}
  - name: pack_bfd
    input: {{from: tok_mg}}
    pack: {{seq_len: {L}, strategy: bfd, pad_id: 1}}
  - name: pack_pad
    input: {{from: tok_mg}}
    pack: {{seq_len: {L}, strategy: pad, pad_id: 1}}
  - name: pack_concat
    input: {{from: tok_mg}}
    pack: {{seq_len: {L}, strategy: concat, pad_id: 1}}
  - name: pack_merged
    input: {{from: merge_mg}}
    pack: {{seq_len: {L}, strategy: bfd, pad_id: 1}}
"""

results = []


def check(name, ok, detail):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")


def reference(tok_path):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(tok_path)
    eos = tok.token_to_id("<|endoftext|>")
    docs = []
    with gzip.open(os.path.join(ROOT, "samples/text/web-sample.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            text = json.loads(line)["text"]
            if len(text) >= 200:  # unit: chars = Unicode scalars, as Python's len
                docs.append(tuple(tok.encode(text, add_special_tokens=False).ids + [eos]))
    return docs


def megatron_docs(prefix):
    from megatron.core.datasets.indexed_dataset import IndexedDataset
    ds = IndexedDataset(prefix)
    return [tuple(int(x) for x in ds[i]) for i in range(len(ds))], ds


def datatrove_docs(ds_path, seq_len=L):
    """datatrove's own reader: DatatroveFileDataset's windows of seq_len+1 tokens (the stream
    it reads) and its positions (from .ds.index: 0 at each document start) give the documents
    of the part its windows cover; the tail past the last full window, from .ds/.ds.index."""
    from datatrove.utils.dataset import DatatroveFileDataset
    meta = open(ds_path + ".metadata").read().split("\n")
    token_size = int(meta[0].rsplit("|", 1)[1])
    ds = DatatroveFileDataset(ds_path, seq_len, token_size=token_size, return_positions=True)
    stream, starts_seen = [], []
    for i in range(len(ds)):
        item = ds[i]
        base = len(stream)
        stream.extend(item["input_ids"].tolist())
        starts_seen += [base + j for j, p in enumerate(item["positions"].tolist()) if p == 0]
    raw = np.fromfile(ds_path, dtype=np.uint16 if token_size == 2 else np.uint32)
    covered = len(stream)
    ends = np.fromfile(ds_path + ".index", dtype=np.uint64).astype(np.int64)
    starts = np.concatenate([[0], ends[:-1]])
    # positions restart at every window and at every document start inside it
    want = sorted(set(int(s) for s, e in zip(starts, ends) if s < covered and e > s) | set(range(0, covered, seq_len + 1)))
    stream_ok = stream == raw[:covered].tolist() and starts_seen == want
    docs = [tuple(int(x) for x in raw[s:e]) for s, e in zip(starts, ends)]
    loss = np.fromfile(ds_path + ".loss", dtype=np.uint8) if os.path.exists(ds_path + ".loss") else None
    return docs, stream_ok, covered, len(raw), loss


def llmc_tokens(path):
    raw = open(path, "rb").read()
    h = np.frombuffer(raw[:1024], dtype=np.int32)
    ok = h[0] == 20240520 and h[1] == 1 and len(raw) == 1024 + int(h[2]) * 2  # llm.c dataloader checks (uint16)
    return ok, np.memmap(path, dtype=np.uint16, mode="r", offset=1024).tolist()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--winnow", default=os.path.join(ROOT, ".build/debug/winnow"))
    ap.add_argument("--work", default="/tmp/winnow-readers-parity")
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    tok_path = os.path.join(args.work, "gpt-neo.json")
    with gzip.open(TOKJSON, "rb") as f, open(tok_path, "wb") as o:
        o.write(f.read())
    p = os.path.join(args.work, "p.yaml")
    open(p, "w").write(PIPELINE.format(src=os.path.join(ROOT, "samples/text/web-sample.jsonl.gz"), tok=tok_path, L=L))
    run = os.path.join(args.work, "run")
    r = subprocess.run([args.winnow, "run", p, "--output-dir", run, "--workers", "2", "--progress", "none"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"winnow run failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    ref = reference(tok_path)
    ref_tokens = sum(len(d) for d in ref)
    print(f"reference: {len(ref)} documents, {ref_tokens} tokens (HF tokenizers, gpt-neo-test-tokenizer.json + <|endoftext|>)")
    steps = os.path.join(run, "steps")

    # tokenize outputs, in input order
    mg = []
    for prefix in sorted(x[:-4] for x in glob.glob(f"{steps}/tok_mg/*.idx")):
        mg += megatron_docs(prefix)[0]
    check("tokenize megatron / megatron-core IndexedDataset", mg == ref, f"{sum(a == b for a, b in zip(mg, ref))}/{len(ref)} documents equal")
    dt, loss_ok, covered, total = [], True, 0, 0
    for ds in sorted(glob.glob(f"{steps}/tok_dt/*.ds")):
        d, s_ok, c, t, loss = datatrove_docs(ds)
        dt += d
        loss_ok = loss_ok and s_ok and loss is not None and len(loss) == t and bool(loss.all())
        covered += c; total += t
    check("tokenize datatrove / DatatroveFileDataset + .ds.index", dt == ref and loss_ok,
          f"{sum(a == b for a, b in zip(dt, ref))}/{len(ref)} documents equal; reader windows cover {covered}/{total} tokens, all equal; .ds.loss all 1: {loss_ok}")
    flat = [t for d in ref for t in d]
    nano = []
    for b in sorted(glob.glob(f"{steps}/tok_nano/*.bin")):
        nano += np.memmap(b, dtype=np.uint16, mode="r").tolist()
    check("tokenize nanoGPT / np.memmap(uint16)", nano == flat, f"{len(nano)}/{len(flat)} tokens")
    llmc, hdr = [], True
    for b in sorted(glob.glob(f"{steps}/tok_llmc/*.bin")):
        ok, t = llmc_tokens(b)
        hdr = hdr and ok
        llmc += t
    check("tokenize llm.c / header checks + memmap", hdr and llmc == flat, f"headers ok: {hdr}; {len(llmc)}/{len(flat)} tokens")

    # merge outputs: the same documents, one shuffled order for every format
    mdt = []
    mloss = True
    for ds in sorted(glob.glob(f"{steps}/merge_dt/*.ds")):
        d, s_ok, _, t, loss = datatrove_docs(ds)
        mdt += d
        mloss = mloss and s_ok and loss is not None and len(loss) == t
    same = collections.Counter(mdt) == collections.Counter(ref)
    check("merge datatrove / DatatroveFileDataset", same and mloss and mdt != ref,
          f"{len(mdt)} documents, same multiset as reference: {same}, shuffled: {mdt != ref}, loss files ok: {mloss}")
    mmg = []
    for prefix in sorted(x[:-4] for x in glob.glob(f"{steps}/merge_mg/*.idx")):
        mmg += megatron_docs(prefix)[0]
    check("merge megatron / IndexedDataset", mmg == mdt, f"{len(mmg)} documents in the datatrove merge's order: {mmg == mdt}")
    mflat = [t for d in mdt for t in d]
    mn = []
    for b in sorted(glob.glob(f"{steps}/merge_nano/*.bin")):
        mn += np.memmap(b, dtype=np.uint16, mode="r").tolist()
    check("merge nanoGPT / np.memmap", mn == mflat, f"{len(mn)}/{len(mflat)} tokens in merge order")
    ml, hdr = [], True
    for b in sorted(glob.glob(f"{steps}/merge_llmc/*.bin")):
        ok, t = llmc_tokens(b)
        hdr = hdr and ok
        ml += t
    check("merge llm.c / header checks + memmap", hdr and ml == mflat, f"headers ok: {hdr}; {len(ml)}/{len(mflat)} tokens")

    # pack outputs: pieces equal their source documents, padding is pad_id, mask marks the pieces
    sources = {"pack_bfd": ("tok_mg", mg), "pack_pad": ("tok_mg", mg), "pack_concat": ("tok_mg", mg), "pack_merged": ("merge_mg", mmg)}
    for step, (src_step, _) in sources.items():
        src_shards = [megatron_docs(x[:-4])[0] for x in sorted(glob.glob(f"{steps}/{src_step}/*.idx"))]
        nseq = pieces_ok = mask_ok = 0
        real = 0
        for prefix in sorted(x[:-4] for x in glob.glob(f"{steps}/{step}/*.idx")):
            seqs, ds = megatron_docs(prefix)
            mask = np.fromfile(prefix + ".mask", dtype=np.uint8).reshape(-1, L)
            lines = open(prefix + ".boundaries.jsonl").read().splitlines()
            bin2d = np.fromfile(prefix + ".bin", dtype=ds.index.dtype).reshape(-1, L)  # the .bin is the raw [N, L] array
            for i, (seq, line) in enumerate(zip(seqs, lines)):
                nseq += 1
                pos, good = 0, len(seq) == L and list(bin2d[i]) == list(seq)
                for shard, doc, off, n in json.loads(line)["pieces"]:
                    good = good and seq[pos:pos + n] == src_shards[shard][doc][off:off + n]
                    pos += n
                good = good and all(t == 1 for t in seq[pos:])
                pieces_ok += good
                mask_ok += mask[i].tolist() == [1] * pos + [0] * (L - pos)
                real += pos
        src_tokens = sum(len(d) for s in src_shards for d in s)
        check(f"{step} / IndexedDataset + boundaries + mask", nseq > 0 and pieces_ok == nseq and mask_ok == nseq and real == src_tokens,
              f"{nseq} sequences of {L}: pieces equal {pieces_ok}/{nseq}, mask matches {mask_ok}/{nseq}, document tokens {real}/{src_tokens}, padding {nseq * L - real}")
    print(f"{sum(results)}/{len(results)} checks passed")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()

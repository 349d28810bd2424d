#!/usr/bin/env python3
"""Writes tiny fastText models (fastText's binary format, version 12) as fuzz seeds: a pruned,
quantized one with quantized norms (the lid.176.ftz layout, a few KB instead of 900) and
dense ones. Values are random; only the structure matters. Usage: make_fasttext_seeds.py DIR"""
import random, struct, sys, os

def model(path, loss, dim, words, labels, bucket, minn, maxn, ngrams, prune, qin, qnorm, qout, rng):
    b = bytearray()
    i32 = lambda v: b.extend(struct.pack('<i', v))
    i64 = lambda v: b.extend(struct.pack('<q', v))
    f32s = lambda vs: b.extend(struct.pack('<%df' % len(vs), *vs))
    i32(793712314); i32(12)
    for v in [dim, 5, 5, 1, 5, ngrams, loss, 3, bucket, minn, maxn, 100]: i32(v)
    b.extend(struct.pack('<d', 1e-4))
    entries = [(w, 10 - i, 0) for i, w in enumerate(words)] + [(l, 5 - i, 1) for i, l in enumerate(labels)]
    i32(len(entries)); i32(len(words)); i32(len(labels)); i64(100)
    i64(len(prune) if prune is not None else -1)
    for w, c, t in entries:
        b.extend(w.encode() + b'\0'); i64(c); b.append(t)
    for j, key in enumerate(prune or []): i32(key); i32(j)
    rows = len(words) + (len(prune) if prune is not None else bucket)
    def quant(rows, norm):
        b.append(1 if norm else 0); i64(rows); i64(dim)
        nsubq = (dim + 1) // 2
        i32(rows * nsubq); b.extend(bytes(rng.randrange(256) for _ in range(rows * nsubq)))
        i32(dim); i32(nsubq); i32(2); i32(dim - 2 * (nsubq - 1))
        f32s([rng.uniform(-1, 1) for _ in range(dim * 256)])
        if norm:
            b.extend(bytes(rng.randrange(256) for _ in range(rows)))
            i32(1); i32(1); i32(1); i32(1); f32s([rng.uniform(0, 2) for _ in range(256)])
    def dense(rows):
        i64(rows); i64(dim); f32s([rng.uniform(-1, 1) for _ in range(rows * dim)])
    b.append(1 if qin else 0)
    quant(rows, qnorm) if qin else dense(rows)
    outRows = len(labels) - 1 if loss == 1 else len(labels)
    b.append(1 if qout else 0)
    quant(outRows, False) if qout else dense(outRows)
    open(path, 'wb').write(b)

out = sys.argv[1]
rng = random.Random(7)
words = ['</s>', 'hello', 'world', 'test', '中文']
labels = ['__label__en', '__label__zh', '__label__de']
model(os.path.join(out, 'pruned-qnorm-hs.ftz'), 1, 4, words, labels, 1000, 2, 3, 2, [3, 17, 99, 256, 511, 999], True, True, False, rng)
model(os.path.join(out, 'qout-softmax.ftz'), 3, 3, words, labels, 20, 1, 2, 1, None, True, False, True, rng)
model(os.path.join(out, 'dense-ova.bin'), 4, 3, words, labels, 16, 3, 4, 3, None, False, False, False, rng)
model(os.path.join(out, 'dense-ns-noprune.bin'), 2, 2, words, labels, 8, 0, 0, 1, [], False, False, False, rng)

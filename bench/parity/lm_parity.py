#!/usr/bin/env python3
"""PyTorch parity for WinnowLM (issue 19).

The reference models are written here in plain PyTorch (functional, one tensor per Winnow
parameter name). For each case the script makes a seeded init, writes an input safetensors
(config, optimizer settings, init, token batches), runs `winnow lm parity-dump`, and compares
logits, loss and every parameter gradient; cases with steps > 0 then compare the loss of every
AdamW step (warm-up + cosine, global-norm clipping).

Relative error of a tensor = max|winnow - torch| / max|torch| (elementwise ratios blow up on
values near zero); for gradients the denominator is at least 1e-4 of the model's largest
gradient, because the key bias gradient is exactly zero in exact arithmetic.

  python bench/parity/lm_parity.py [--winnow .build/release/winnow]
  ... --fixtures Tests/WinnowLMTests/Fixtures   # also (re)write the unit-test fixtures
"""
import argparse, gzip, json, math, os, subprocess, sys, tempfile
import numpy as np
import torch
import torch.nn.functional as F
from safetensors.numpy import save_file, load_file
from safetensors import safe_open

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PRESETS = {
    "gpt2-tiny": dict(vocab_size=8192, context_length=256, d_model=256, n_layers=4, n_heads=4, n_kv_heads=4, mlp_hidden=1024,
                      activation="gelu_tanh", norm="layernorm", norm_eps=1e-5, positions="learned", rope_theta=10000.0,
                      tied_embeddings=True, bias=True, block_repeat=1),
    "mobilellm-tiny": dict(vocab_size=8192, context_length=256, d_model=192, n_layers=8, n_heads=6, n_kv_heads=2, mlp_hidden=512,
                           activation="swiglu", norm="rmsnorm", norm_eps=1e-5, positions="rope", rope_theta=10000.0,
                           tied_embeddings=True, bias=False, block_repeat=1),
    "eiw-m1": dict(vocab_size=256, context_length=1024, d_model=256, n_layers=3, n_heads=4, n_kv_heads=4, mlp_hidden=1024,
                   activation="relu", norm="rmsnorm", norm_eps=1e-6, positions="t5_bias", rope_theta=10000.0,
                   tied_embeddings=False, bias=False, block_repeat=1, rel_buckets=32, rel_max_distance=128),
}
PRESETS["mobilellm-ls-tiny"] = dict(PRESETS["mobilellm-tiny"], block_repeat=2)

OPT = dict(lr=1e-3, min_lr=1e-4, warmup=20, schedule="cosine", beta1=0.9, beta2=0.95, eps=1e-8, weight_decay=0.1,
           no_decay=["bias", "norm"], clip=1.0, grad_accum=1, z_loss=0.0)


# ---------------------------------------------------------------- the reference model
def param_specs(c):
    D, hd = c["d_model"], c["d_model"] // c["n_heads"]
    s = [("embed.weight", (c["vocab_size"], D))]
    if c["positions"] == "learned":
        s.append(("pos_embed.weight", (c["context_length"], D)))
    def norm(n):
        s.append((n + ".weight", (D,)))
        if c["bias"] and c["norm"] == "layernorm":
            s.append((n + ".bias", (D,)))
    def linear(n, o, i):
        s.append((n + ".weight", (o, i)))
        if c["bias"]:
            s.append((n + ".bias", (o,)))
    for l in range(c["n_layers"]):
        p = f"blocks.{l}"
        norm(p + ".attn_norm")
        linear(p + ".attn.q", c["n_heads"] * hd, D)
        linear(p + ".attn.k", c["n_kv_heads"] * hd, D)
        linear(p + ".attn.v", c["n_kv_heads"] * hd, D)
        linear(p + ".attn.out", D, c["n_heads"] * hd)
        if c["positions"] == "t5_bias":
            s.append((p + ".attn.rel_bias.weight", (c["rel_buckets"], c["n_heads"])))
        norm(p + ".mlp_norm")
        if c["activation"] == "swiglu":
            linear(p + ".mlp.gate", c["mlp_hidden"], D)
        linear(p + ".mlp.up", c["mlp_hidden"], D)
        linear(p + ".mlp.down", D, c["mlp_hidden"])
    norm("final_norm")
    if not c["tied_embeddings"]:
        s.append(("lm_head.weight", (c["vocab_size"], D)))
    return s


def kind(name):
    if name.startswith("embed.") or name.startswith("pos_embed."):
        return "embedding"
    if "_norm." in name:
        return "norm"
    if name.endswith(".bias") or name.endswith(".rel_bias.weight"):
        return "bias"
    return "weight"


def init_params(c, seed):
    g = torch.Generator().manual_seed(seed)
    L = c["n_layers"] * c["block_repeat"]
    P = {}
    for name, shape in param_specs(c):
        k = kind(name)
        if k == "norm":
            t = torch.zeros(shape) if name.endswith(".bias") else torch.ones(shape)
        elif k == "bias":
            t = torch.randn(shape, generator=g) * 0.02   # non-zero so bias gradients and decay are exercised
        else:
            std = 0.02 / math.sqrt(2 * L) if (name.endswith("attn.out.weight") or name.endswith("mlp.down.weight")) else 0.02
            t = torch.randn(shape, generator=g) * std
        P[name] = t.float()
    return P


def rope_tables(c, T):
    hd = c["d_model"] // c["n_heads"]
    half = hd // 2
    inv = 1.0 / (c["rope_theta"] ** (np.arange(half, dtype=np.float64) * 2 / hd))
    ang = np.arange(T, dtype=np.float64)[:, None] * inv[None, :]
    return torch.from_numpy(np.cos(ang).astype(np.float32)), torch.from_numpy(np.sin(ang).astype(np.float32))


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    a, b = x[..., :half], x[..., half:]
    return torch.cat([a * cos - b * sin, b * cos + a * sin], dim=-1)


def t5_buckets(n, buckets, max_distance):
    """HF T5 `_relative_position_bucket(bidirectional=False)` of distances n = i - j >= 0 (float32 log)."""
    exact = buckets // 2
    large = exact + (torch.log(n.float() / exact) / math.log(max_distance / exact) * (buckets - exact)).to(torch.long)
    large = torch.min(large, torch.full_like(large, buckets - 1))
    return torch.where(n < exact, n, large)


def t5_buckets_double(n, buckets, max_distance):
    """The same in double precision, as Winnow computes it."""
    exact = buckets // 2
    if n < exact:
        return n
    return min(exact + int(math.log(n / exact) / math.log(max_distance / exact) * (buckets - exact)), buckets - 1)


def check_bucket_tables():
    """Winnow computes the buckets in double; torch (T5) in float32. They must agree."""
    worst = None
    for buckets, maxd in [(32, 128), (4, 6), (16, 64), (64, 256)]:
        n = torch.arange(0, 8192)
        a = t5_buckets(n, buckets, maxd).tolist()
        b = [t5_buckets_double(i, buckets, maxd) for i in range(8192)]
        bad = [i for i in range(8192) if a[i] != b[i]]
        if bad:
            raise SystemExit(f"t5 buckets ({buckets}, {maxd}): float32 and double differ at distances {bad[:10]}")
        exact = buckets // 2
        for i in range(exact, 8192):
            v = math.log(i / exact) / math.log(maxd / exact) * (buckets - exact)
            if v < buckets - exact:
                m = abs(v - round(v)) if abs(v - round(v)) > 0 else 1.0
                worst = m if worst is None else min(worst, m)
    print(f"t5 bucket tables: float32 (torch) = double (winnow) for distances < 8192; closest edge {worst:.2e}")


def forward(c, P, tokens, targets, segments=None, z_loss=0.0):
    B, T = tokens.shape
    D, H, KV = c["d_model"], c["n_heads"], c["n_kv_heads"]
    hd = D // H
    def lin(x, n):
        return F.linear(x, P[n + ".weight"], P.get(n + ".bias"))
    def norm(x, n):
        if c["norm"] == "layernorm":
            return F.layer_norm(x, (D,), P[n + ".weight"], P.get(n + ".bias"), c["norm_eps"])
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + c["norm_eps"]) * P[n + ".weight"]
    x = P["embed.weight"][tokens]
    if c["positions"] == "learned":
        x = x + P["pos_embed.weight"][:T]
    mask = torch.ones(T, T, dtype=torch.bool).tril()[None, None]
    if segments is not None:
        mask = mask & (segments[:, None, :, None] == segments[:, None, None, :])
    if c["positions"] == "rope":
        cos, sin = rope_tables(c, T)
    if c["positions"] == "t5_bias":
        pos = torch.arange(T)
        bucket = t5_buckets((pos[:, None] - pos[None, :]).clamp(min=0), c["rel_buckets"], c["rel_max_distance"])
    for l in range(c["n_layers"] * c["block_repeat"]):
        p = f"blocks.{l // c['block_repeat']}"
        h = norm(x, p + ".attn_norm")
        q = lin(h, p + ".attn.q").view(B, T, H, hd).transpose(1, 2)
        k = lin(h, p + ".attn.k").view(B, T, KV, hd).transpose(1, 2)
        v = lin(h, p + ".attn.v").view(B, T, KV, hd).transpose(1, 2)
        if c["positions"] == "rope":
            q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        k = k.repeat_interleave(H // KV, dim=1)
        v = v.repeat_interleave(H // KV, dim=1)
        s = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        if c["positions"] == "t5_bias":
            s = s + P[p + ".attn.rel_bias.weight"][bucket].permute(2, 0, 1)[None]
        a = torch.softmax(s.masked_fill(~mask, float("-inf")), dim=-1) @ v
        x = x + lin(a.transpose(1, 2).reshape(B, T, H * hd), p + ".attn.out")
        h = norm(x, p + ".mlp_norm")
        if c["activation"] == "swiglu":
            m = F.silu(lin(h, p + ".mlp.gate")) * lin(h, p + ".mlp.up")
        elif c["activation"] == "relu":
            m = F.relu(lin(h, p + ".mlp.up"))
        else:
            m = F.gelu(lin(h, p + ".mlp.up"), approximate="tanh")
        x = x + lin(m, p + ".mlp.down")
    x = norm(x, "final_norm")
    logits = x @ P["lm_head.weight" if not c["tied_embeddings"] else "embed.weight"].T
    flat, tg = logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)
    loss = F.cross_entropy(flat, tg, ignore_index=-100)
    if z_loss > 0:
        keep = tg != -100
        loss = loss + z_loss * torch.logsumexp(flat[keep], dim=-1).pow(2).mean()
    return logits, loss


def lr_at(o, step, total):
    if step < o["warmup"]:
        return o["lr"] * (step + 1) / o["warmup"]
    prog = min(1.0, (step - o["warmup"]) / max(1, total - o["warmup"]))
    if o["schedule"] == "cosine":
        return o["min_lr"] + 0.5 * (o["lr"] - o["min_lr"]) * (1 + math.cos(math.pi * prog))
    if o["schedule"] == "linear":
        return o["lr"] - (o["lr"] - o["min_lr"]) * prog
    if o["schedule"] == "rsqrt":
        return o["lr"] * math.sqrt(max(o["warmup"], 1) / (step + 1))
    return o["lr"]


def reference(c, o, P0, tokens, targets, segments, steps):
    """Logits, loss and grads of the first step, then `steps` AdamW steps; returns a dict."""
    P = {n: t.clone().requires_grad_(True) for n, t in P0.items()}
    acc = o["grad_accum"]
    seg = lambda i: None if segments is None else segments[i]
    for a in range(acc):
        logits, loss = forward(c, P, tokens[a], targets[a], seg(a), o["z_loss"])
        if a == 0:
            out = dict(logits=logits.detach().reshape(-1).numpy().copy(), loss=loss.item())
        (loss / acc).backward()
    out["grads"] = {n: p.grad.detach().numpy().copy() for n, p in P.items()}
    P = {n: t.clone().requires_grad_(True) for n, t in P0.items()}
    decay = [p for n, p in P.items() if kind(n) not in o["no_decay"]]
    nodecay = [p for n, p in P.items() if kind(n) in o["no_decay"]]
    opt = torch.optim.AdamW([dict(params=decay, weight_decay=o["weight_decay"]), dict(params=nodecay, weight_decay=0.0)],
                            lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"], foreach=False)
    losses, norms = [], []
    for s in range(steps):
        opt.zero_grad(set_to_none=True)
        tot = 0.0
        for a in range(acc):
            i = s * acc + a
            _, loss = forward(c, P, tokens[i], targets[i], seg(i), o["z_loss"])
            (loss / acc).backward()
            tot += loss.item()
        n = torch.nn.utils.clip_grad_norm_(list(P.values()), o["clip"] if o["clip"] > 0 else float("inf"))
        for gr in opt.param_groups:
            gr["lr"] = lr_at(o, s, steps)
        opt.step()
        losses.append(tot / acc)
        norms.append(n.item())
    out["losses"], out["grad_norms"] = np.array(losses), np.array(norms)
    return out


# ---------------------------------------------------------------- data and exchange
def text_bytes():
    path = os.path.join(os.path.dirname(ROOT), "shared/data/en-web/cc_en_head-0091.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        text = "\n\n".join(json.loads(line)["text"] for line in f)
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8).astype(np.int64)


def batches(data, n, B, T, offset=0):
    """n micro-batches of B windows of T+1 consecutive bytes (real English web text)."""
    tok = np.zeros((n, B, T), np.int64)
    tgt = np.zeros((n, B, T), np.int64)
    pos = offset
    for i in range(n):
        for b in range(B):
            if pos + T + 1 > len(data):
                pos = 0
            w = data[pos:pos + T + 1]
            tok[i, b], tgt[i, b] = w[:-1], w[1:]
            pos += T
    return tok, tgt


def write_input(path, c, o, P, tok, tgt, seg, steps, expected=None):
    t = {"param." + n: v.numpy() for n, v in P.items()}
    t["tokens"], t["targets"] = tok, tgt
    if seg is not None:
        t["segments"] = seg
    if expected is not None:
        t["expected.logits"] = expected["logits"].astype(np.float32)
        t["expected.loss"] = np.array([expected["loss"]], np.float32)
        t["expected.losses"] = expected["losses"].astype(np.float32)
        for n, g in expected["grads"].items():
            t["expected.grad." + n] = g
    save_file(t, path, metadata=dict(config=json.dumps(c), optimizer=json.dumps(o), steps=str(steps)))


def rel(a, b, floor=1e-30):
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(b))), floor))


def run_case(name, c, o, B, T, steps, winnow, data, segments=False, ignore=False, threads=1, fixture=None, seed=0):
    torch.manual_seed(seed)
    P = init_params(c, seed)
    n = max(1, steps) * o["grad_accum"]
    tok, tgt = batches(data, n, B, T, offset=seed * 997)
    tok %= c["vocab_size"]; tgt %= c["vocab_size"]
    if ignore:
        tgt[:, :, ::7] = -100
    seg = None
    if segments:
        seg = np.zeros_like(tok)
        seg[:, :, T // 3:] = 1
        seg[:, :, (2 * T) // 3:] = 2
    ref = reference(c, o, P, torch.from_numpy(tok), torch.from_numpy(tgt), None if seg is None else torch.from_numpy(seg), steps)
    with tempfile.TemporaryDirectory() as d:
        inp, outp = os.path.join(d, "in.safetensors"), os.path.join(d, "out.safetensors")
        write_input(inp, c, o, P, tok, tgt, seg, steps)
        subprocess.run([winnow, "lm", "parity-dump", inp, outp, "--threads", str(threads)], check=True)
        got = load_file(outp)
    if fixture:
        write_input(fixture, c, o, P, tok, tgt, seg, steps, expected=ref)
    # The key bias gradient is exactly zero in exact arithmetic (softmax ignores a per-row
    # constant), so both sides hold rounding noise: floor the denominator at 1e-4 of the largest
    # gradient of the model.
    floor = 1e-4 * max(float(np.max(np.abs(v))) for v in ref["grads"].values())
    grel = {k: rel(got["grad." + k], v, floor) for k, v in ref["grads"].items()}
    g_rel = max(grel.values())
    if os.environ.get("LM_PARITY_VERBOSE"):
        for k, v in ref["grads"].items():
            print(f"  {k:32} {grel[k]:.2e}  max|ref| {np.max(np.abs(v)):.2e}")
    worst = max(grel, key=grel.get)
    row = dict(case=name, logits=rel(got["logits"], ref["logits"]), loss=abs(float(got["loss"][0]) - ref["loss"]),
               grads=g_rel, worst=worst, steps=steps)
    if steps:
        row["curve"] = float(np.max(np.abs(got["losses"].astype(np.float64) - ref["losses"])))
        row["first_last"] = (ref["losses"][0], ref["losses"][-1])
        row["norms"] = float(np.max(np.abs(got["grad_norms"] - ref["grad_norms"]) / np.maximum(ref["grad_norms"], 1e-12)))
        row["clipped"] = int(np.sum(ref["grad_norms"] > o["clip"]))
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--winnow", default=None)
    ap.add_argument("--fixtures", default=None, help="write tiny unit-test fixtures into this directory")
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--only", default=None, help="run only the cases whose name contains this")
    ap.add_argument("--only-fixture", default=None, help="with --fixtures: write only this fixture (e.g. t5bias)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    winnow = a.winnow or next(p for p in [os.path.join(ROOT, ".build/release/winnow"), os.path.join(ROOT, ".build/debug/winnow")] if os.path.exists(p))
    check_bucket_tables()
    data = text_bytes()
    small = lambda base, **kw: dict(PRESETS[base], **kw)
    gqa = dict(PRESETS["gpt2-tiny"], vocab_size=512, d_model=128, n_layers=2, n_heads=8, n_kv_heads=2, mlp_hidden=256,
               positions="rope", tied_embeddings=False)
    zo = dict(OPT, z_loss=1e-4, grad_accum=2, schedule="linear")
    cases = [
        # name, config, optimizer, B, T, steps, kwargs
        ("gpt2-tiny", PRESETS["gpt2-tiny"], OPT, 2, 64, 0, {}),
        ("mobilellm-tiny", PRESETS["mobilellm-tiny"], OPT, 2, 64, 0, {}),
        ("mobilellm-ls-tiny (sharing)", PRESETS["mobilellm-ls-tiny"], OPT, 2, 64, 0, {}),
        ("gqa 8q/2kv rope+doc mask+ignore+z", gqa, zo, 2, 48, 0, dict(segments=True, ignore=True)),
        ("swiglu + biases (Llama mlp_bias)", dict(gqa, activation="swiglu", norm="rmsnorm"), OPT, 2, 48, 0, {}),
        ("eiw-m1", PRESETS["eiw-m1"], OPT, 2, 64, 0, {}),
        ("eiw-m1 T=256 (all buckets)", PRESETS["eiw-m1"], OPT, 1, 256, 0, {}),
        ("eiw-m1 bytes: t5 bias, 200 steps", small("eiw-m1", d_model=128, n_layers=2, n_heads=4, n_kv_heads=4, mlp_hidden=512),
         OPT, 4, 64, a.steps, {}),
        ("gpt2 bytes: 200 steps", small("gpt2-tiny", vocab_size=256, d_model=128, n_layers=2, n_heads=4, n_kv_heads=4, mlp_hidden=512),
         OPT, 4, 64, a.steps, {}),
        ("mobilellm-ls bytes: 200 steps", small("mobilellm-ls-tiny", vocab_size=256, d_model=96, n_layers=2, n_heads=6, n_kv_heads=2, mlp_hidden=256),
         OPT, 4, 64, a.steps, {}),
        ("gqa bytes: accum 2, z-loss, linear", dict(gqa, vocab_size=256), zo, 2, 48, a.steps // 4, dict(segments=True, ignore=True)),
    ]
    print(f"{'case':38} {'logits rel':>10} {'loss |Δ|':>9} {'grads rel':>9}  {'curve max|Δ|':>12} {'gnorm rel':>9}  clipped  loss first→last")
    ok = True
    for name, c, o, B, T, steps, kw in cases:
        if a.only and a.only not in name:
            continue
        r = run_case(name, c, o, B, T, steps, winnow, data, threads=a.threads, **kw)
        curve = f"{r['curve']:12.2e} {r['norms']:9.2e}  {r['clipped']:7d}  {r['first_last'][0]:.3f}→{r['first_last'][1]:.3f}" if steps else ""
        print(f"{name:38} {r['logits']:10.2e} {r['loss']:9.2e} {r['grads']:9.2e}  {curve}", flush=True)
        ok &= r["grads"] <= 1e-4 and r["logits"] <= 1e-4 and (not steps or r["curve"] <= 1e-3)
    if a.fixtures:
        tiny = dict(vocab_size=24, context_length=16, d_model=8, n_layers=2, n_heads=2, n_kv_heads=2, mlp_hidden=16, rope_theta=10000.0,
                    block_repeat=1)
        fx = [
            ("gpt2", dict(tiny, activation="gelu_tanh", norm="layernorm", norm_eps=1e-5, positions="learned", tied_embeddings=True, bias=True), OPT, {}),
            ("mobilellm-ls", dict(tiny, n_kv_heads=1, activation="swiglu", norm="rmsnorm", norm_eps=1e-5, positions="rope",
                                  tied_embeddings=True, bias=False, block_repeat=2), OPT, {}),
            ("gqa-docmask-zloss", dict(tiny, n_heads=4, n_kv_heads=2, activation="relu", norm="rmsnorm", norm_eps=1e-6,
                                       positions="rope", tied_embeddings=False, bias=True), zo, dict(segments=True, ignore=True)),
            ("t5bias", dict(tiny, activation="relu", norm="rmsnorm", norm_eps=1e-6, positions="t5_bias", rel_buckets=4,
                            rel_max_distance=6, tied_embeddings=False, bias=False), OPT, dict(segments=True)),
        ]
        for n, c, o, kw in fx:
            if a.only_fixture and n != a.only_fixture:
                continue
            path = os.path.join(a.fixtures, f"parity-{n}.safetensors")
            r = run_case("fixture " + n, c, o, 2, 8, 5, winnow, data, fixture=path, **kw)
            print(f"fixture {n}: grads rel {r['grads']:.2e}, curve {r['curve']:.2e} → {path}")
    print("PASS" if ok else "FAIL: above tolerance (logits/grads 1e-4, curve 1e-3)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

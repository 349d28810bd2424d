#!/usr/bin/env python3
"""Hugging Face layout parity for WinnowLM (issue 19): `winnow lm export-hf` and transformers
directories loaded by Winnow.

(a) Winnow → transformers. mobilellm-tiny (RoPE, GQA 6/2, tied) and gpt2-tiny are trained for a
    few steps by `winnow lm train` on real English web text (Winnow's 8k BPE); mobilellm-ls-tiny
    (block sharing, unrolled on export) and variants (a Llama with biases and an untied head, an
    untied ReLU GPT-2) are written as Winnow checkpoints from a seeded init. Each is exported with
    `winnow lm export-hf` and loaded by LlamaForCausalLM / GPT2LMHeadModel.from_pretrained; its
    logits are compared with `winnow lm parity-dump --model CHECKPOINT`, and the exported
    directory read back by Winnow (`--model EXPORT`) with the original.
(b) transformers → Winnow. Tiny random models made and `save_pretrained` by transformers
    (sharded and single-file, tied and untied, GQA, Llama biases, ReLU GPT-2) are loaded by
    `winnow lm parity-dump --model DIR`; logits vs the transformers forward pass.

Relative error = max|Δ| / max|reference| (as lm_parity.py); target ≤ 1e-4.

  python bench/parity/hf_layout_parity.py [--winnow .build/debug/winnow]
  ... --fixtures Tests/WinnowLMTests/Fixtures   # also (re)write the fixtures hf-llama/, hf-gpt2/, hf-llama-bias/
"""
import argparse, gzip, json, math, os, shutil, subprocess, sys, tempfile
import numpy as np
import torch
import torch.nn.functional as F
from safetensors.numpy import save_file, load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lm_parity as lp  # noqa: E402  (reference init and presets)

ROOT = lp.ROOT
DATA = os.path.join(os.path.dirname(ROOT), "shared", "data")
TOKENIZER = os.path.join(ROOT, "samples/tokenizers/winnow-bpe-8k.json.gz")


def find_winnow(arg):
    if arg:
        return arg
    for p in (".build/debug/winnow", ".build/release/winnow"):
        if os.path.exists(os.path.join(ROOT, p)):
            return os.path.join(ROOT, p)
    sys.exit("build winnow first (swift build)")


def load_tokenizer():
    from tokenizers import Tokenizer
    return Tokenizer.from_str(gzip.open(TOKENIZER, "rt", encoding="utf-8").read())


def web_texts(name):
    with gzip.open(os.path.join(DATA, "en-web", name), "rt", encoding="utf-8") as f:
        return [json.loads(l)["text"] for l in f]


def token_stream(tok, name="cc_en_head-0091.jsonl.gz"):
    eot = tok.token_to_id("<|endoftext|>")
    ids = []
    for t in web_texts(name):
        ids += tok.encode(t, add_special_tokens=False).ids + [eot]
    return np.array(ids, dtype=np.int64)


# ---------------------------------------------------------------- Winnow side
def train_winnow(winnow, work, preset, ids, steps):
    """A checkpoint written by `winnow lm train` (nanoGPT uint16 shard of real text)."""
    d = os.path.join(work, preset)
    os.makedirs(d, exist_ok=True)
    ids.astype(np.uint16).tofile(os.path.join(d, "train.bin"))
    cfg = os.path.join(d, "train.yaml")
    with open(cfg, "w") as f:
        f.write(f"""model: {{preset: {preset}}}
data: {{train: [{d}/train.bin], format: nanogpt}}
optimizer: {{lr: 3e-3, warmup: 5, schedule: cosine, min_lr: 3e-4}}
batch_size: 4
seq_len: 64
steps: {steps}
log_every: {steps}
seed: 1
threads: 2
output_dir: {d}/run
""")
    subprocess.run([winnow, "lm", "train", cfg], check=True, stdout=subprocess.DEVNULL)
    ckpts = sorted(os.listdir(os.path.join(d, "run/checkpoints")))
    return os.path.join(d, "run/checkpoints", ckpts[-1])


def write_winnow_checkpoint(d, c, seed):
    """A Winnow checkpoint from lm_parity's seeded init, norms and biases perturbed so every
    parameter's mapping matters."""
    os.makedirs(d, exist_ok=True)
    P = lp.init_params(c, seed)
    g = torch.Generator().manual_seed(seed + 1)
    for n in P:
        if "_norm." in n or n.endswith(".bias"):
            P[n] = P[n] + 0.1 * torch.randn(P[n].shape, generator=g)
    save_file({n: v.numpy() for n, v in P.items()}, os.path.join(d, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump({"model": c}, f)
    return d


def winnow_logits(winnow, model_dir, tokens):
    """Logits of `winnow lm parity-dump --model DIR` for tokens [B, T]."""
    with tempfile.TemporaryDirectory() as t:
        inp, out = os.path.join(t, "in.safetensors"), os.path.join(t, "out.safetensors")
        tk = tokens[None].astype(np.int64)
        save_file({"tokens": tk, "targets": tk}, inp)
        subprocess.run([winnow, "lm", "parity-dump", inp, out, "--model", model_dir], check=True)
        return load_file(out)["logits"].reshape(tokens.shape + (-1,))


# ---------------------------------------------------------------- transformers side
def hf_class(d):
    from transformers import LlamaForCausalLM, GPT2LMHeadModel
    arch = json.load(open(os.path.join(d, "config.json")))["architectures"][0]
    return {"LlamaForCausalLM": LlamaForCausalLM, "GPT2LMHeadModel": GPT2LMHeadModel}[arch]


def hf_model(d):
    m = hf_class(d).from_pretrained(d, dtype=torch.float32, attn_implementation="eager")
    return m.eval()


def hf_logits(d, tokens):
    with torch.no_grad():
        return hf_model(d)(torch.from_numpy(tokens.astype(np.int64))).logits.numpy()


def random_hf(d, config, seed, shard=None):
    """A transformers model with its own init, every parameter then perturbed (norm weights
    away from 1, biases away from 0), saved by save_pretrained."""
    from transformers import LlamaConfig, LlamaForCausalLM, GPT2LMHeadModel
    torch.manual_seed(seed)
    m = (LlamaForCausalLM if isinstance(config, LlamaConfig) else GPT2LMHeadModel)(config)
    with torch.no_grad():
        for p in m.parameters():
            p.add_(0.1 * torch.randn_like(p))
    kw = {"max_shard_size": shard} if shard else {}
    m.save_pretrained(d, **kw)
    return d


def rel(a, b):
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(b))), 1e-30))


def harness_loglikelihood(model, context, continuation, encode, max_length, prefix):
    """lm-evaluation-harness HFLM's loglikelihood for one request, in torch (the reference
    for `winnow lm score`): whitespace moved, whole-minus-context split, left truncation,
    float32 log_softmax, summed continuation log-probabilities and is_greedy."""
    if context == "":
        ctx, cont = [prefix], encode(continuation)
    else:
        n = len(context) - len(context.rstrip())
        if n:
            context, continuation = context[:-n], context[-n:] + continuation
        whole, ctx = encode(context + continuation), encode(context)
        cont = whole[len(ctx):]
    inp = torch.tensor((ctx + cont)[-(max_length + 1):][:-1])[None]
    with torch.no_grad():
        logp = F.log_softmax(model(inp).logits, dim=-1)[0]
    T = inp.shape[1]
    logp = logp[T - len(cont):T]
    c = torch.tensor(cont)
    return float(torch.gather(logp, 1, c[:, None]).sum()), bool((logp.argmax(-1) == c).all())


# ---------------------------------------------------------------- cases
def winnow_to_hf(winnow, work, steps):
    from transformers import LlamaConfig  # noqa: F401  (fail early if transformers is missing)
    tok = load_tokenizer()
    ids = token_stream(tok)
    held = token_stream(tok, "cc_en_head-0174.jsonl.gz")
    tokens = held[:2 * 64].reshape(2, 64)
    small = dict(vocab_size=512, context_length=64, d_model=48, n_layers=2, n_heads=4, n_kv_heads=2, mlp_hidden=96, rope_theta=10000.0,
                 block_repeat=1, norm_eps=1e-5)
    cases = [
        ("mobilellm-tiny (trained, GQA 6/2)", train_winnow(winnow, work, "mobilellm-tiny", ids, steps), tokens),
        ("gpt2-tiny (trained)", train_winnow(winnow, work, "gpt2-tiny", ids, steps), tokens),
        ("mobilellm-ls-tiny (sharing unrolled)", write_winnow_checkpoint(os.path.join(work, "ls"), lp.PRESETS["mobilellm-ls-tiny"], 3), tokens),
        ("llama + biases, untied", write_winnow_checkpoint(os.path.join(work, "llama-bias"), dict(small, activation="swiglu", norm="rmsnorm",
                                                            positions="rope", tied_embeddings=False, bias=True), 4), tokens % 512),
        ("gpt2 relu, untied", write_winnow_checkpoint(os.path.join(work, "gpt2-relu"), dict(small, n_kv_heads=4, activation="relu",
                                                      norm="layernorm", positions="learned", tied_embeddings=False, bias=True), 5), tokens % 512),
    ]
    rows, ok = [], True
    for name, ckpt, tk in cases:
        out = ckpt + "-hf"
        subprocess.run([winnow, "lm", "export-hf", ckpt, out], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ref = winnow_logits(winnow, ckpt, tk)
        hf = hf_logits(out, tk)
        back = winnow_logits(winnow, out, tk)
        r = rel(hf, ref)
        rows.append((name, hf_class(out).__name__, float(np.max(np.abs(hf - ref))), r, rel(back, ref)))
        ok &= r <= 1e-4 and rel(back, ref) == 0
    return rows, ok


def hf_configs():
    from transformers import LlamaConfig, GPT2Config
    return [
        ("llama GQA 4/2, tied, sharded", LlamaConfig(vocab_size=256, hidden_size=16, intermediate_size=40, num_hidden_layers=2,
                                                     num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=32,
                                                     rope_theta=500.0, rms_norm_eps=1e-5, tie_word_embeddings=True), "12KB"),
        ("llama biases, untied", LlamaConfig(vocab_size=320, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                                             num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=64,
                                             attention_bias=True, mlp_bias=True, tie_word_embeddings=False), None),
        ("gpt2 tied", GPT2Config(vocab_size=64, n_positions=32, n_embd=16, n_layer=2, n_head=2), None),
        ("gpt2 relu n_inner 40, untied", GPT2Config(vocab_size=300, n_positions=64, n_embd=32, n_layer=2, n_head=4, n_inner=40,
                                                    activation_function="relu", tie_word_embeddings=False), None),
    ]


def hf_to_winnow(winnow, work):
    rows, ok = [], True
    rng = np.random.default_rng(7)
    for i, (name, cfg, shard) in enumerate(hf_configs()):
        d = random_hf(os.path.join(work, f"hf{i}"), cfg, 10 + i, shard)
        T = min(cfg.max_position_embeddings, 32)   # GPT2Config maps it to n_positions
        tk = rng.integers(0, cfg.vocab_size, size=(2, T))
        ref = hf_logits(d, tk)
        got = winnow_logits(winnow, d, tk)
        r = rel(got, ref)
        shards = len([f for f in os.listdir(d) if f.endswith(".safetensors")])
        rows.append((name, f"{shards} file(s)", float(np.max(np.abs(got - ref))), r))
        ok &= r <= 1e-4
    return rows, ok


def write_fixtures(winnow, work, dest):
    """hf-llama/ (byte vocabulary, sharded, with harness log-likelihoods over UTF-8 bytes),
    hf-gpt2/ and hf-llama-bias/ (attention and MLP biases, untied head), each with expected.json: tokens, transformers' logits (flattened), and for the
    Llama a few scored (context, continuation) requests."""
    from transformers import LlamaConfig
    cfgs = hf_configs()
    bias = ("llama biases, untied", LlamaConfig(vocab_size=64, hidden_size=16, intermediate_size=24, num_hidden_layers=2,
                                                num_attention_heads=2, max_position_embeddings=16, attention_bias=True,
                                                mlp_bias=True, tie_word_embeddings=False), None)
    rng = np.random.default_rng(11)
    for name, (label, cfg, shard) in (("hf-llama", cfgs[0]), ("hf-gpt2", cfgs[2]), ("hf-llama-bias", bias)):
        d = os.path.join(dest, name)
        shutil.rmtree(d, ignore_errors=True)
        random_hf(d, cfg, 100, shard)
        gen = os.path.join(d, "generation_config.json")
        if os.path.exists(gen):
            os.remove(gen)   # token ids only; Winnow does not read it
        tk = rng.integers(0, cfg.vocab_size, size=(1, 8))
        logits = hf_logits(d, tk)
        assert rel(winnow_logits(winnow, d, tk), logits) <= 1e-4, name
        exp = {"source": f"bench/parity/hf_layout_parity.py --fixtures ({label})", "tokens": tk[0].tolist(),
               "logits": [float(x) for x in logits.reshape(-1)]}
        if name == "hf-llama":
            m = hf_model(d)
            enc = lambda s: list(s.encode("utf-8"))
            reqs = [("The cat sat on the", " mat"), ("Trailing spaces move:  ", "x"), ("", " empty context"),
                    ("A context longer than the window of thirty-two tokens, cut from the left", " ok"), ("Ünïcödé ", "→ ✓")]
            exp["score"] = []
            for ctx, cont in reqs:
                ll, greedy = harness_loglikelihood(m, ctx, cont, enc, cfg.max_position_embeddings, 0)
                exp["score"].append({"context": ctx, "continuation": cont, "loglikelihood": ll, "greedy": greedy})
            exp["score_max_length"], exp["score_prefix_token"] = cfg.max_position_embeddings, 0
        with open(os.path.join(d, "expected.json"), "w") as f:
            json.dump(exp, f, ensure_ascii=False)
        print(f"fixture {d}: {sum(os.path.getsize(os.path.join(d, x)) for x in os.listdir(d))} bytes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--winnow", default=None)
    ap.add_argument("--steps", type=int, default=20, help="training steps of the trained cases")
    ap.add_argument("--fixtures", default=None)
    a = ap.parse_args()
    torch.set_num_threads(2)
    winnow = find_winnow(a.winnow)
    with tempfile.TemporaryDirectory() as work:
        rows, ok1 = winnow_to_hf(winnow, work, a.steps)
        print(f"{'Winnow → transformers':40} {'class':17} {'max|Δ|':>9} {'rel':>9}  {'re-import rel':>13}")
        for name, cls, d, r, back in rows:
            print(f"{name:40} {cls:17} {d:9.2e} {r:9.2e}  {back:13.2e}")
        rows, ok2 = hf_to_winnow(winnow, work)
        print(f"\n{'transformers → Winnow':40} {'files':17} {'max|Δ|':>9} {'rel':>9}")
        for name, files, d, r in rows:
            print(f"{name:40} {files:17} {d:9.2e} {r:9.2e}")
        if a.fixtures:
            write_fixtures(winnow, work, a.fixtures)
    ok = ok1 and ok2
    print("PASS" if ok else "FAIL: above 1e-4 relative (or the re-import changed the logits)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

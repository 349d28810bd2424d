#!/usr/bin/env python3
"""Training throughput, Winnow vs PyTorch, same model and thread count (rough on a shared machine).

Model: gpt2-tiny shape (d 256, 4 layers, 4 heads, MLP 1024, ctx 256, vocab 8192, tied), batch 16.
Each side does forward + backward + clip + AdamW per step; the first steps are warm-up.

  /work/venv-torch/bin/python bench/lm_speed.py [--threads 2] [--steps 12] [--winnow .build/release/winnow]
"""
import argparse, os, re, subprocess, sys, tempfile, time
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "parity"))
import lm_parity as ref  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--winnow", default=os.path.join(ROOT, ".build/release/winnow"))
    a = ap.parse_args()
    c = ref.PRESETS["gpt2-tiny"]
    B, T = 16, 256
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as d:
        data = rng.integers(0, c["vocab_size"], size=B * T * (a.steps + 2) + 1, dtype=np.uint16)
        data.tofile(os.path.join(d, "train.bin"))
        cfg = os.path.join(d, "speed.yaml")
        with open(cfg, "w") as f:
            f.write(f"model: {{preset: gpt2-tiny}}\ndata: {{train: [{d}/train.bin], format: nanogpt}}\n"
                    f"batch_size: {B}\nseq_len: {T}\nsteps: {a.steps}\nlog_every: 1\nthreads: {a.threads}\noutput_dir: {d}/run\n")
        out = subprocess.run([a.winnow, "lm", "train", cfg], check=True, capture_output=True, text=True).stdout
        rates = [int(m) for m in re.findall(r"(\d+) tok/s", out)][a.warmup:]
        winnow = sorted(rates)[len(rates) // 2]

    torch.set_num_threads(a.threads)
    P = {n: t.requires_grad_(True) for n, t in ref.init_params(c, 0).items()}
    opt = torch.optim.AdamW(list(P.values()), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.1, foreach=False)
    tok = torch.from_numpy(rng.integers(0, c["vocab_size"], size=(B, T + 1)).astype(np.int64))
    times = []
    for s in range(a.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        _, loss = ref.forward(c, P, tok[:, :-1], tok[:, 1:])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(P.values()), 1.0)
        opt.step()
        times.append(time.perf_counter() - t0)
    t = sorted(times[a.warmup:])[len(times[a.warmup:]) // 2]
    torch_rate = int(B * T / t)
    print(f"gpt2-tiny d256 L4 ctx256 V8192 batch16, {a.threads} thread(s), median of {a.steps - a.warmup} steps")
    print(f"  winnow : {winnow:8d} tok/s")
    print(f"  pytorch: {torch_rate:8d} tok/s (eager, same math as the parity reference, foreach=False AdamW)")
    print(f"  ratio  : {winnow / torch_rate:.2f}x")


if __name__ == "__main__":
    main()

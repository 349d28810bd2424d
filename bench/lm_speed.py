#!/usr/bin/env python3
"""Training throughput, Winnow vs PyTorch, same model and thread count (rough on a shared machine).

Models: --preset gpt2-tiny (d 256, 4 layers, 4 heads, MLP 1024, ctx 256, vocab 8192, tied) or
mobilellm-tiny (d 192, 8 layers, 6 heads / 2 kv, SwiGLU 512, RoPE, tied), batch 16.
Achieved GFLOP/s count 6 x matmul parameters (incl. the LM head) + 6 x layers x ctx x d for causal
attention per token, next to the measured single-GEMM peak (1024^3 sgemm in numpy/OpenBLAS and torch).
Each side does forward + backward + clip + AdamW per step; the first steps are warm-up.
On a machine shared with other jobs wall-clock rates mostly measure the load, so the script also
reports tokens per CPU-second (user + system time of the process and its threads; OpenBLAS's
spinning threads count against whoever runs them).

  python bench/lm_speed.py [--preset gpt2-tiny] [--threads 2] [--steps 12] [--winnow .build/release/winnow]
"""
import argparse, os, re, resource, subprocess, sys, tempfile, time
# numpy's OpenBLAS reads its thread count at import: take it from --threads before importing.
_t = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "2"
os.environ["OPENBLAS_NUM_THREADS"] = _t
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "parity"))
import lm_parity as ref  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="gpt2-tiny", choices=["gpt2-tiny", "mobilellm-tiny"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--winnow", default=os.path.join(ROOT, ".build/release/winnow"))
    a = ap.parse_args()
    c = ref.PRESETS[a.preset]
    B, T = 16, 256
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as d:
        data = rng.integers(0, c["vocab_size"], size=B * T * (a.steps + 2) + 1, dtype=np.uint16)
        data.tofile(os.path.join(d, "train.bin"))
        cfg = os.path.join(d, "speed.yaml")
        with open(cfg, "w") as f:
            f.write(f"model: {{preset: {a.preset}}}\ndata: {{train: [{d}/train.bin], format: nanogpt}}\n"
                    f"batch_size: {B}\nseq_len: {T}\nsteps: {a.steps}\ncheckpoint_every: 1000000\nlog_every: 1\nthreads: {a.threads}\noutput_dir: {d}/run\n")
        def run(steps):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            out = subprocess.run([a.winnow, "lm", "train", cfg, "--max-steps", str(steps)], check=True, capture_output=True, text=True).stdout
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(["rm", "-rf", f"{d}/run"], check=True)
            return out, (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
        _, cpu_warm = run(a.warmup)
        out, cpu_all = run(a.steps)
        rates = [int(m) for m in re.findall(r"(\d+) tok/s", out)][a.warmup:]
        winnow = sorted(rates)[len(rates) // 2]
        winnow_cpu = int(B * T * (a.steps - a.warmup) / max(cpu_all - cpu_warm, 1e-9))

    torch.set_num_threads(a.threads)
    P = {n: t.requires_grad_(True) for n, t in ref.init_params(c, 0).items()}
    opt = torch.optim.AdamW(list(P.values()), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.1, foreach=False)
    tok = torch.from_numpy(rng.integers(0, c["vocab_size"], size=(B, T + 1)).astype(np.int64))
    times, cpus = [], []
    for s in range(a.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        opt.zero_grad(set_to_none=True)
        _, loss = ref.forward(c, P, tok[:, :-1], tok[:, 1:])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(P.values()), 1.0)
        opt.step()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    t = sorted(times[a.warmup:])[len(times[a.warmup:]) // 2]
    torch_rate = int(B * T / t)
    torch_cpu = int(B * T * len(cpus[a.warmup:]) / sum(cpus[a.warmup:]))
    load = os.getloadavg()[0]
    fpt = flops_per_token(c, T)
    peak_np, peak_torch = sgemm_peak(a.threads)
    print(f"{a.preset} d{c['d_model']} L{c['n_layers']} ctx{T} V{c['vocab_size']} batch{B}, {a.threads} thread(s), {a.steps - a.warmup} timed steps, load average {load:.1f}")
    print(f"  training FLOPs/token {fpt / 1e6:.1f} M; sgemm 1024^3 peak: {peak_np:.1f} GFLOP/s OpenBLAS (numpy), {peak_torch:.1f} GFLOP/s torch")
    print(f"  winnow : {winnow:8d} tok/s wall (median step)  {winnow_cpu:8d} tok/CPU-s  {winnow * fpt / 1e9:6.1f} GFLOP/s = {winnow * fpt / 1e9 / peak_np:.0%} of the OpenBLAS peak")
    print(f"  pytorch: {torch_rate:8d} tok/s wall (median step)  {torch_cpu:8d} tok/CPU-s  {torch_rate * fpt / 1e9:6.1f} GFLOP/s = {torch_rate * fpt / 1e9 / peak_torch:.0%} of the torch peak  (eager, parity reference math, foreach=False AdamW)")
    print(f"  ratio  : {winnow / torch_rate:.2f}x wall, {winnow_cpu / torch_cpu:.2f}x CPU")


def flops_per_token(c, T):
    d, h, L = c["d_model"], c["mlp_hidden"], c["n_layers"] * c.get("block_repeat", 1)
    kv = d // c["n_heads"] * c["n_kv_heads"]
    mlp = (3 if c["activation"] == "swiglu" else 2) * d * h
    per_layer = d * d + 2 * d * kv + d * d + mlp
    return 6 * (L * per_layer + c["vocab_size"] * d) + 6 * L * T * d


def sgemm_peak(threads, n=1024, reps=7):
    torch.set_num_threads(threads)
    a = np.random.default_rng(1).standard_normal((n, n), dtype=np.float32)
    def best(f):
        ts = []
        for _ in range(reps):
            t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
        return 2 * n ** 3 / sorted(ts)[len(ts) // 2] / 1e9
    peak_np = best(lambda: a @ a)
    t = torch.from_numpy(a)
    return peak_np, best(lambda: t @ t)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generation speed, Winnow vs transformers, same model and prompt, greedy with a KV cache.

A seeded random mobilellm-tiny-shape LlamaForCausalLM (d 192, 8 layers, 6 heads / 2 kv, SwiGLU
512, RoPE, tied, vocab 8192) is saved by transformers; `winnow lm generate` reads the same
directory. Both continue the same prompt for --tokens tokens greedily; the script checks that
they produce the same text and prints tokens/s (median of --repeats) for the prompt and the
generation. transformers runs `generate(do_sample=False, use_cache=True)` with torch at 1 and
2 threads; Winnow's KV-cache decoder is single-threaded.

  python bench/lm_generate_speed.py [--tokens 200] [--repeats 3] [--winnow .build/release/winnow]
"""
import argparse, gzip, os, re, shutil, subprocess, tempfile, time
import torch
from transformers import LlamaConfig, LlamaForCausalLM
from tokenizers import Tokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKENIZER = os.path.join(ROOT, "samples/tokenizers/winnow-bpe-8k.json.gz")
PROMPT = "The history of the city begins in the early nineteenth century, when"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--winnow", default=os.path.join(ROOT, ".build/release/winnow"))
    a = ap.parse_args()
    tok = Tokenizer.from_str(gzip.open(TOKENIZER, "rt", encoding="utf-8").read())
    prompt_ids = tok.encode(PROMPT, add_special_tokens=False).ids
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=8192, hidden_size=192, intermediate_size=512, num_hidden_layers=8, num_attention_heads=6,
                      num_key_value_heads=2, max_position_embeddings=256, rms_norm_eps=1e-5, rope_theta=10000.0,
                      tie_word_embeddings=True, attention_bias=False, mlp_bias=False, hidden_act="silu")
    model = LlamaForCausalLM(cfg).eval()
    with tempfile.TemporaryDirectory() as d:
        model.save_pretrained(d, safe_serialization=True)
        rates, text = [], None
        for _ in range(a.repeats):
            r = subprocess.run([a.winnow, "lm", "generate", d, "--tokenizer", TOKENIZER, "--prompt", PROMPT,
                                "--tokens", str(a.tokens), "--stats"], check=True, capture_output=True, text=True)
            m = re.search(r"prompt: (\d+) tokens, ([\d.]+) tok/s; generated: (\d+) tokens, ([\d.]+) tok/s", r.stderr)
            rates.append((float(m.group(2)), float(m.group(4))))
            text = r.stdout.rstrip("\n")
        w_prompt = sorted(x[0] for x in rates)[len(rates) // 2]
        w_gen = sorted(x[1] for x in rates)[len(rates) // 2]
    print(f"mobilellm-tiny shape (random init), prompt {len(prompt_ids)} tokens, {a.tokens} generated, greedy, KV cache; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"  winnow (1 thread):       {w_gen:8.1f} tok/s generated, {w_prompt:8.1f} tok/s prompt (token by token)")
    ids = torch.tensor([prompt_ids])
    for threads in (1, 2):
        torch.set_num_threads(threads)
        times = []
        with torch.no_grad():
            for _ in range(a.repeats):
                t0 = time.perf_counter()
                out = model.generate(ids, max_new_tokens=a.tokens, min_new_tokens=a.tokens, do_sample=False, use_cache=True,
                                     pad_token_id=0)
                times.append(time.perf_counter() - t0)
        t = sorted(times)[len(times) // 2]
        hf_text = PROMPT + tok.decode(out[0, len(prompt_ids):].tolist(), skip_special_tokens=False)
        same = "same text" if hf_text == text else "DIFFERENT text"
        print(f"  transformers ({threads} thread{'s' if threads > 1 else ''}): {a.tokens / t:8.1f} tok/s generated (prompt included in the time); "
              f"winnow / transformers = {w_gen / (a.tokens / t):.2f}x; {same}")


if __name__ == "__main__":
    main()

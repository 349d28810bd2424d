#!/usr/bin/env python3
"""`winnow lm score` against a direct torch computation with transformers (issue 19).

A mobilellm-tiny model trained a few steps by `winnow lm train` is exported with
`winnow lm export-hf`; multiple-choice rows are built from held-out English web text (the true
next words against words from elsewhere; trailing-space contexts, an empty context, non-ASCII
choices, contexts longer than the window, labels as text, and bad rows). `winnow lm score`
scores them on the exported directory; the reference is LlamaForCausalLM on the same directory
with lm-evaluation-harness's loglikelihood procedure (hf_layout_parity.harness_loglikelihood)
and its acc / acc_norm (characters) / acc_bytes. When `lm_eval` is installed, its own HFLM
scores the same requests too.

  python bench/parity/lm_score_parity.py [--winnow .build/debug/winnow] [--rows 60]
"""
import argparse, json, os, random, subprocess, sys, tempfile
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_layout_parity as hp  # noqa: E402


def build_rows(n, seed=3):
    """(rows as JSONL strings, good-row count): real text, varied the ways the harness cares about."""
    rnd = random.Random(seed)
    docs = [t.split() for t in hp.web_texts("cc_en_head-0174.jsonl.gz")]
    docs = [d for d in docs if len(d) >= 60]
    def span(k):
        d = rnd.choice(docs)
        i = rnd.randrange(0, len(d) - k)
        return d[i:i + k]
    rows = []
    for i in range(n):
        d = rnd.choice(docs)
        long = i % 10 == 7
        k = rnd.randrange(220, 420) if long else rnd.randrange(8, 40)   # long: beyond the 256-token window
        start = rnd.randrange(0, max(1, len(d) - k - 5))
        if long:
            words = sum((rnd.choice(docs) for _ in range(4)), [])
            ctx_words, gold = words[:k], d[start:start + 4]
        else:
            ctx_words, gold = d[start:start + k], d[start + k:start + k + 4]
        choices = [" ".join(gold)] + [" ".join(span(rnd.randrange(1, 7))) for _ in range(3)]
        if i % 9 == 4:
            choices[2] = "café naïve — “quoted” ✓"
        order = list(range(4)); rnd.shuffle(order)
        choices = [choices[j] for j in order]
        label = order.index(0)
        context = " ".join(ctx_words)
        if i % 6 == 1:
            context += " "          # moved to the continuation, as the harness does
        if i % 17 == 5:
            context = ""            # the prefix token
        row = {"context": context, "choices": choices, "label": choices[label] if i % 8 == 3 else label}
        rows.append(json.dumps(row, ensure_ascii=False))
    good = len(rows)
    rows.insert(5, json.dumps({"context": "no label here", "choices": ["a", "b"]}))
    rows.insert(9, json.dumps({"context": "label out of range", "choices": ["a", "b"], "label": 2}))
    rows.insert(13, "{not json")
    rows.insert(20, "")
    return rows, good


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--winnow", default=None)
    ap.add_argument("--rows", type=int, default=60)
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--harness-rows", type=int, default=8, help="rows also scored by lm_eval's HFLM when installed")
    a = ap.parse_args()
    torch.set_num_threads(2)
    winnow = hp.find_winnow(a.winnow)
    tok = hp.load_tokenizer()
    with tempfile.TemporaryDirectory() as work:
        ckpt = hp.train_winnow(winnow, work, "mobilellm-tiny", hp.token_stream(tok), a.steps)
        export = os.path.join(work, "export")
        subprocess.run([winnow, "lm", "export-hf", ckpt, export], check=True, stdout=subprocess.DEVNULL)
        lines, good = build_rows(a.rows)
        data, out = os.path.join(work, "rows.jsonl"), os.path.join(work, "scores.jsonl")
        open(data, "w", encoding="utf-8").write("\n".join(lines) + "\n")
        p = subprocess.run([winnow, "lm", "score", "--model", export, "--tokenizer", hp.TOKENIZER, data, "--output", out],
                           capture_output=True, text=True)
        print(p.stdout.strip()); print(p.stderr.strip())
        got = [json.loads(l) for l in open(out, encoding="utf-8")]

        model = hp.hf_model(export)
        max_length = model.config.max_position_embeddings
        enc = lambda s: tok.encode(s, add_special_tokens=False).ids
        prefix = tok.token_to_id("<|endoftext|>")
        worst_abs, worst_rel, mism, greedy_mism, n = 0.0, 0.0, 0, 0, 0
        metrics = {"acc": [], "acc_norm": [], "acc_bytes": []}
        requests = []
        for g in got:
            if "error" in g:
                continue
            row = json.loads(lines[g["line"] - 1])
            choices = row["choices"]
            label = row["label"] if isinstance(row["label"], int) else choices.index(row["label"])
            ref = [hp.harness_loglikelihood(model, row["context"], " " + c, enc, max_length, prefix) for c in choices]
            requests += [(row["context"], " " + c) for c in choices]
            lls = np.array([r[0] for r in ref])
            d = np.abs(np.array(g["loglikelihoods"]) - lls)
            worst_abs = max(worst_abs, float(d.max()))
            worst_rel = max(worst_rel, float((d / np.maximum(np.abs(lls), 1e-12)).max()))
            greedy_mism += sum(int(x != r[1]) for x, r in zip(g["greedy"], ref))
            preds = (int(np.argmax(lls)), int(np.argmax(lls / np.array([float(len(c)) for c in choices]))),
                     int(np.argmax(lls / np.array([float(len(c.encode("utf-8"))) for c in choices]))))
            mism += int(preds != (g["pred"], g["pred_norm"], g["pred_bytes"]))
            for k, pr in zip(metrics, preds):
                metrics[k].append(1.0 if pr == label else 0.0)
            n += 1
        bad = [g["line"] for g in got if "error" in g]
        print(f"\nrows scored {n} (expected {good}), bad rows at lines {bad}, exit status {p.returncode}")
        print(f"log-likelihoods: max |Δ| {worst_abs:.2e}, max rel {worst_rel:.2e}; greedy flags differing {greedy_mism}; rows whose predictions differ {mism}")
        for k, v in metrics.items():
            m = float(np.mean(v))
            se = float(np.std(v, ddof=1) / np.sqrt(len(v)))
            print(f"reference {k:9} {m:.4f} ± {se:.4f}")
        harness_d = harness_check(model, tok, requests, got, max_length, a.harness_rows)
    ok = n == good and bad == [6, 10, 14] and worst_rel <= 1e-4 and mism == 0 and greedy_mism == 0 and p.returncode == 3 and harness_d <= 1e-3
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


def harness_check(model, tok, requests, got, max_length, rows):
    """The requests of the first `rows` scored rows (a trailing-space context, a label given as
    text, a non-ASCII choice, an empty context, a truncated context) through lm_eval's own HFLM,
    when it is installed (it runs a few seconds per request on CPU, hence not all of them)."""
    try:
        from lm_eval.models.huggingface import HFLM
        from lm_eval.api.instance import Instance
        from transformers import PreTrainedTokenizerFast
    except ImportError:
        print("lm_eval not installed: HFLM cross-check skipped")
        return 0.0
    t = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>")
    lm = HFLM(pretrained=model, tokenizer=t, max_length=max_length, batch_size=1)
    mine = np.array([ll for g in got if "error" not in g for ll in g["loglikelihoods"]])
    n = sum(len(g["loglikelihoods"]) for g in [g for g in got if "error" not in g][:rows])
    inst = [Instance(request_type="loglikelihood", doc={}, arguments=r, idx=i) for i, r in enumerate(requests[:n])]
    ref = np.array([x[0] for x in lm.loglikelihood(inst)])
    mine = mine[:n]
    d = float(np.max(np.abs(ref - mine)))
    print(f"lm_eval {lm_eval_version()} HFLM: {len(ref)} requests of {rows} rows, max |Δ| vs winnow {d:.2e}")
    return d


def lm_eval_version():
    from importlib.metadata import version
    return version("lm_eval")


if __name__ == "__main__":
    main()

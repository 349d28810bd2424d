#!/usr/bin/env python3
"""Where in the article does an extractor lose text? A snippet view of extraction-dev's gold.

Token F1 (score.py) weighs every word alike, so a lost closing paragraph costs a long article
little. Evaluations that score snippets (a few sentences per page that must or must not be in the
output, mostly at the beginning and the end of the main text) weigh it as much as the rest. This
script takes, from each page's gold text, the lines of six words or more (12 characters for CJK
text), and asks whether eight words from the start of the first line, the middle of the middle
line and the end of the last line are in each tool's text (whitespace collapsed on both sides).
Per dataset: the share of pages where each snippet is found, for Winnow, trafilatura
(favor_precision and defaults) and resiliparse, side by side.

The first line of Dragnet's, GoogleTrends' and CleanPortalEval's gold is often the headline,
which Winnow leaves out unless `headline: true` (scrapinghub's and readability's bodies leave it
out too). The last line is often a credit or a "Write to … at …" line in Dragnet's gold.

Run (venv with trafilatura and resiliparse; Winnow from a release build; the Python tools' texts
are cached as score.py caches them):
    python bench/extraction/snippets.py [--split dev|holdout|all] [--winnow-params '{headline: true}']
        [--misses N]   # print N snippets per set that Winnow misses and a trafilatura run has
"""
import argparse, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score

WHERE = ("first", "middle", "last")


def collapse(text):
    return " ".join((text or "").split())


def snippets(gold):
    """{where: snippet} for a gold text: eight words (20 characters of CJK text) from the start of
    its first line, the middle of its middle line (three lines or more) and the end of its last."""
    lines = [collapse(l) for l in gold.split("\n")]
    lines = [l for l in lines if len(l.split()) >= 6 or (score.is_cjk(l) and len(l) >= 12)]
    if not lines:
        return {}

    def cut(line, where):
        if score.is_cjk(line):
            n, k = len(line), min(len(line), 20)
            return {"first": line[:k], "last": line[-k:]}.get(where, line[(n - k) // 2:(n - k) // 2 + k])
        w = line.split()
        k = min(len(w), 8)
        return " ".join({"first": w[:k], "last": w[-k:]}.get(where, w[(len(w) - k) // 2:(len(w) - k) // 2 + k]))

    out = {"first": cut(lines[0], "first"), "last": cut(lines[-1], "last")}
    if len(lines) >= 3:
        out["middle"] = cut(lines[len(lines) // 2], "middle")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["dev", "holdout", "all"], default="all")
    ap.add_argument("--winnow-params", default="{}", help="html_extract parameters, YAML flow map")
    ap.add_argument("--cache", default="/tmp/winnow-extract-score-cache")
    ap.add_argument("--misses", type=int, default=0)
    opts = ap.parse_args()
    tools = score.python_tools()
    names = ["winnow"] + list(tools)
    print(f"split: {opts.split}; winnow html_extract params: {opts.winnow_params}")
    print(f"{'set':26} {'where':7} {'pages':>5}  " + " ".join(f"{n:>21}" for n in names))
    for name, items in score.pages(opts.split).items():
        texts = {"winnow": score.winnow_batch(items, opts.winnow_params)[0]}
        for tool, fn in tools.items():
            texts[tool] = score.cached_run(tool, fn, name, items, opts.cache)[0]
        found = {w: {n: 0 for n in names} for w in WHERE}
        count = {w: 0 for w in WHERE}
        misses = []
        for k, (pid, _, gold) in enumerate(items):
            outs = {n: collapse(texts[n][k]) for n in names}
            for where, s in snippets(gold).items():
                count[where] += 1
                hit = {n: s in outs[n] for n in names}
                for n in names:
                    found[where][n] += hit[n]
                if not hit["winnow"] and (hit["trafilatura-precision"] or hit["trafilatura"]):
                    misses.append((where, pid, s))
        for where in WHERE:
            n = count[where]
            if n:
                print(f"{name:26} {where:7} {n:5d}  " + " ".join(f"{found[where][t] / n:21.3f}" for t in names))
        for where, pid, s in misses[: opts.misses]:
            print(f"    {where:6} {pid[:16]}  {s[:90]}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

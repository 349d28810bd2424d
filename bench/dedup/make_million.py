#!/usr/bin/env python3
"""Builds N (default 1,000,000) documents from the bench text by mutation, for the dedup scale
benchmark: each document is a 300-600 character window of a real bench document with ~3 % of
its characters replaced; one in five is instead a near-copy (1 % edits) of an earlier document.
Written as SHARDS gzip'd JSONL files. Deterministic (seed 0).

python3 bench/dedup/make_million.py OUT_DIR [N] [SHARDS]
"""
import gzip, json, os, random, sys

out, n, shards = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000, int(sys.argv[3]) if len(sys.argv) > 3 else 20
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
src = [json.loads(l)["text"] for l in gzip.open(os.path.join(root, "../shared/data/warc/bench/bench-text.jsonl.gz"), "rt", encoding="utf-8")]
src = [t for t in src if len(t) > 700]
rng = random.Random(0)
alphabet = "abcdefghijklmnopqrstuvwxyz的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
os.makedirs(out, exist_ok=True)
made = []
per = (n + shards - 1) // shards
k = 0
for s in range(shards):
    with gzip.open(os.path.join(out, f"docs-{s:03d}.jsonl.gz"), "wt", encoding="utf-8", compresslevel=1) as f:
        for _ in range(per):
            if k >= n:
                break
            if made and rng.random() < 0.2:
                base, rate, kind = made[rng.randrange(len(made))], 0.01, "near"
            else:
                t = src[rng.randrange(len(src))]
                start = rng.randrange(0, len(t) - 600)
                base, rate, kind = t[start:start + rng.randrange(300, 600)], 0.03, "window"
            chars = list(base)
            for _ in range(max(1, int(len(chars) * rate))):
                chars[rng.randrange(len(chars))] = rng.choice(alphabet)
            text = "".join(chars)
            if len(made) < 200_000:
                made.append(text)
            f.write(json.dumps({"id": f"m{k:07d}", "text": text, "metadata": {"kind": kind}}, ensure_ascii=False) + "\n")
            k += 1
print(f"{k} documents in {shards} shards under {out}")

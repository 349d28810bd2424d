#!/usr/bin/env python3
"""MAP-CC parity with CT-LLM's own code: `filter/filter.py` of Chinese-Tiny-LLM, run document by
document (`filter_single_line`, jieba words for R3, fastText lid.176.ftz for D) next to Winnow's
`mapcc_filter` (`jieba: DIR` = the venv's jieba package, the same model). Compares, per source,
keep/drop, the drop rule and the cleaned text (A's full-width → ASCII and B's link removal): for
documents both keep, the text written; for every document both take past A and B, the text the
rules see (Winnow's `--keep-dropped` output; CT-LLM's `url_filter` called on its own).

Documents: every shared Chinese text (HPLT zh, ChineseWebText, the two review sets, the zh pages
of the bench text) plus built cases for each class of pattern (links next to Han or `_`, dotted
names, the numeric pass, 【】, URL whitespace, no URL at all, line breaks, digits that are not decimal), with a
block list made of some of the documents' hosts.

CT-LLM's code is not in this repository: reconstruct `filter/filter.py` (its driver functions
are not needed; `bad_url_words` may be a stand-in with two empty sets) in a folder given by
--ctllm or $CTLLM_DIR, and run with a venv holding jieba and fasttext (fasttext-predict):
    CTLLM_DIR=DIR/filter python bench/parity/mapcc_ctllm_parity.py
Two releases of `filter.py` differ only in the block list: the one with `utils.py` (a trie of
scheme-less prefixes; put `utils.py` next to it) is compared with Winnow's default
`url_blocklist_match: prefix`, the earlier one (commit 92e2f32, a set: host or substring) with
`url_blocklist_match: host`; the script tells them apart by the module's `Trie`.
Prints counts per source and the first differences; exit status 1 on any difference.
"""
import argparse, csv, gzip, io, json, os, subprocess, sys, tempfile, types

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
MODEL = os.path.join(DATA, "models/langid/lid.176.ftz")

# CT-LLM's drop messages → Winnow's drop reasons.
RULES = {
    "Number of senteces less than 1": "mapcc_sentences", "Word count less than 50 or larger than 10000": "mapcc_length",
    "Mean word length less than 1.3 or larger than 10": "mapcc_word_length", "Hash tag ratios exceeding 0.1": "mapcc_hashtags",
    "Ellipsis ratios exceeding 0.1": "mapcc_ellipsis", "Digit over non_punctuation words": "mapcc_digits",
    "Lines ending with readmore etc.": "mapcc_read_more", "Line starting with bullet point": "mapcc_bullets",
    "Punctuation ratio": "mapcc_no_punctuation", "Unique words fraction": "mapcc_unique_chars",
    "Entropy of unigram distribution": "mapcc_entropy",
}
STAGES = {"unify_format": "mapcc_brackets", "url_filter": "mapcc_url_blocklist", "ccnet_rules": "mapcc_fasttext_score"}
# (A line without a string `url` raises in url_filter: "except url_filter", Winnow's mapcc_no_url.)

# A paragraph of ordinary Chinese prose that passes every rule, around which the built cases sit.
PROSE = ("今天的天气很好，我们一起去公园散步。公园里有很多人在锻炼身体，有的跑步，有的打太极拳！"
         "孩子们在草地上玩耍，老人们坐在长椅上聊天；大家都很开心。我们走了一个小时，然后去附近的餐馆吃午饭?")


# A document with no `url` field at all (None is a JSON null).
MISSING = object()


def with_url(obj, url):
    if url is not MISSING:
        obj["url"] = url
    return obj


def built_cases():
    """(name, text, url): one or more per class of pattern that CT-LLM's regular expressions,
    block list and rules decide in their own way."""
    snippets = {
        # pass 3: \b and the Han look-behind
        "tld_after_han": "请访问中文abc.com了解", "tld_before_han": "网站abc.com中文", "tld_then_han_after_space": "见 abc.com 吧",
        "tld_underscore_before": "见 x_abc.com 吧", "tld_underscore_after": "见 abc.com_x 吧", "tld_digit_after": "见 abc.com2 吧",
        "tld_dash_after": "见 abc.com-x 吧", "tld_hyphen_after_han": "中-abc.com 吧", "tld_dot_after_han": "中.abc.com 吧",
        "tld_kana_before": "のabc.com 吧", "tld_hangul_after": " abc.com한 吧", "tld_upper": " ABC.COM 吧",
        "tld_long": " abc.informat 吧", "tld_seven": " abc.abcdefg 吧", "tld_dotted_tail": " abc.com. 吧",
        "tld_three_labels": " x.com.cn 吧", "tld_three_labels_han": "见x.com.cn吧", "tld_after_dot": " ...abc.com 吧",
        "tld_after_digit_dot": " 1.5.abc.com 吧", "tld_version": " v1.2.3 吧", "tld_email": " 联系 a.b@mail.qq.com 吧",
        "tld_after_dash_run": " --abc.com 吧", "tld_leading_dot": " .abc.com 吧", "tld_accented_after": " abc.comé 吧",
        "tld_superscript_after": " abc.com² 吧", "tld_nbsp_after": " abc.com\u00a0吧", "tld_numbers": " 3.14 和 2.5cm 吧",
        # pass 2: four or more labels, the dotted tail
        "four_labels": " a.b.c.d 吧", "four_labels_trailing_dots": " a.b.c.d.. 吧", "four_labels_double_dot": " a.b.c..d 吧",
        "name_after_dot": " x..a.b.c.d 吧", "numeric": " 192.168.1.1 吧", "numeric_tail": " 1.2.3.4.5.6. 吧",
        "three_then_dot": " a.b.c.. 吧", "after_han_four": "中a.b.c.d吧", "underscore_four": " a_b.c.d.e 吧",
        "empty_label": " a..b.c.d.e 吧", "dash_labels": " -.-.-.- 吧",
        # pass 1
        "http_han_stop": "看http://abc.com/x中文", "www_comma": " www.abc.com,后", "https_fullwidth_comma": " https://a.b/c，后",
        "http_nbsp": " http://a.b/c\u00a0后", "http_ideographic_space": " http://a.b/c\u3000后", "wwww": " wwww.abc.com 吧",
        "http_inside_word": " xhttp://a.b 吧", "http_ext_a_han": " http://a.b/㐀c 吧",
        # 【】
        "brackets_small": "【通知】", "brackets_nested": "【a【b】c】", "brackets_newline": "【开始\n结束】",
        # lines and digits
        "crlf_lines": "第一行。\r\n第二行。\r\n", "cr_lines": "第一行。\r第二行。\r", "ls_lines": "第一行。\u2028第二行。",
        "trailing_newlines": "结尾\n\n", "circled_digits": "❶❷❸➀➁➂",
    }
    cases = []
    for name, snip in snippets.items():
        cases.append((name, PROSE + snip + PROSE, "http://example.org/" + name))
        cases.append((name + "/start", snip + PROSE, ""))
    # 【】: the share of what is inside the brackets, near the 0.1 line.
    inner = "通知" * 9
    cases.append(("brackets_ratio_inside", PROSE + "【" + inner + "】" + PROSE[:20], ""))
    cases.append(("brackets_ratio_edge", "【" + "x" * 30 + "】" + "中" * 270, ""))
    # R8/R9: line counts on \r\n, \r, a final newline.
    readmore = "\n".join(["阅读更多"] * 3 + [PROSE[:40]] * 6) + "\n"
    cases.append(("readmore_final_newline", readmore, ""))
    cases.append(("readmore_crlf", readmore.replace("\n", "\r\n"), ""))
    cases.append(("readmore_cr", readmore.replace("\n", "\r"), ""))
    bullets = "\n".join(["•" + PROSE[i:i + 30] for i in range(0, 300, 30)]) + "\n"
    cases.append(("bullets_final_newline", bullets + "说明。\n", ""))
    cases.append(("bullets_crlf", bullets.replace("\n", "\r\n") + "说明。", ""))
    # R7: ❶ and superscripts count as digits in Python's str.isdigit.
    cases.append(("digits_circled", PROSE + "❶❷❸❹❺❻❼❽❾" * 8, ""))
    cases.append(("digits_superscript", PROSE + "x²y³" * 30, ""))
    # The block list and the URL's whitespace.
    cases.append(("url_whitespace", PROSE, "  http://blocked.example.com/page \n"))
    cases.append(("url_port", PROSE, "http://blocked.example.com:8080/page"))
    cases.append(("url_path_entry", PROSE, "http://example.net/bad/page"))
    cases.append(("url_no_scheme", PROSE, "see blocked.example.com/x"))
    cases.append(("url_subdomain", PROSE, "https://sub.blocked.example.com/"))
    cases.append(("url_upper", PROSE, "HTTP://blocked.example.com/"))
    # Entries with a scheme or whitespace around them (the trie release strips both), a host
    # that only starts like an entry, a path entry's prefix.
    cases.append(("url_entry_scheme", PROSE, "http://schemed.example.org/page"))
    cases.append(("url_entry_spaces", PROSE, "https://spaced.example.com/"))
    cases.append(("url_longer_host", PROSE, "https://blocked.example.com.evil.org/"))
    cases.append(("url_path_prefix", PROSE, "http://example.net/ba"))
    cases.append(("url_double_scheme", PROSE, "https://https://blocked.example.com/"))
    # CT-LLM reads line['url'].strip(): no URL, a null or a number raises there (dropped).
    cases += [("url_missing", PROSE, MISSING), ("url_null", PROSE, None), ("url_number", PROSE, 7), ("url_empty", PROSE, "")]
    return cases


def chinese_sources():
    src = {}
    src["hplt-zh"] = [(d.get("url", ""), d["text"]) for d in (json.loads(l) for l in gzip.open(
        os.path.join(DATA, "zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz"), "rt", encoding="utf-8"))]
    cwt = []
    for f in ("ccnet_CC-MAIN-2022-21_zh_100docs.jsonl", "quality_clean_10docs.jsonl", "quality_dirty_10docs.jsonl"):
        for l in open(os.path.join(DATA, "zh-web/chinesewebtext", f), encoding="utf-8"):
            d = json.loads(l)
            cwt.append((d.get("url", ""), d.get("text") or d.get("raw_content")))
    src["chinesewebtext"] = cwt
    seen, pages = set(), []
    for l in gzip.open(os.path.join(DATA, "warc/bench/bench-text.jsonl.gz"), "rt", encoding="utf-8"):
        d = json.loads(l)
        if d.get("lang") != "zh" or d["id"].startswith("hplt") or "rep=" in d["id"] or "/rep" in d["id"] or d["text"] in seen:
            continue
        seen.add(d["text"])
        pages.append((d["id"] if d["id"].startswith("http") else "", d["text"]))
    src["bench-zh-pages"] = pages
    for f in ("ChnSentiCorp_htl_all.csv.gz", "waimai_10k.csv.gz"):
        rows = list(csv.reader(io.StringIO(gzip.open(os.path.join(DATA, "zh-web/reviews", f), "rt", encoding="utf-8").read())))
        src[f.split(".")[0]] = [("", r[1]) for r in rows[1:] if len(r) > 1]
    return src


def block_list(sources):
    """Some of the documents' hosts (every 25th HPLT page), a host with a port-less twin, a
    path entry, entries that only match as substrings of scheme-less URLs, and entries with a
    scheme or whitespace around them (which only the trie release strips)."""
    hosts = {u.split("/")[2] for u, _ in sources["hplt-zh"][::25] if u.startswith(("http://", "https://"))}
    return sorted(hosts | {"blocked.example.com", "example.net/bad", "https://schemed.example.org/", " spaced.example.com\t"})


def ctllm_decide(filt, docs, forbidden):
    """(verdict, text) per document: verdict 'keep' or Winnow's reason name (or 'except:STAGE');
    text = what the rules see (after A and B), or None when A or B dropped it."""
    out = []
    for i, (url, text) in enumerate(docs):
        line = json.dumps(with_url({"raw_content": text}, url), ensure_ascii=False)
        fo, fl = io.StringIO(), io.StringIO()
        kept = filt.filter_single_line(line, i, types.SimpleNamespace(fasttext_model_dir=MODEL), fo, fl, forbidden)
        if kept:
            verdict = "keep"
        else:
            err = json.loads(fl.getvalue())
            if err["except"] == "url_filter":
                verdict = "mapcc_no_url"
            elif err["except"]:
                verdict = "except:" + err["except"]
            elif err["dump"] == "self_defined_rules":
                verdict = RULES[next(iter(err["flag"]))]
            else:
                verdict = STAGES[err["dump"]]
        seen = None
        ok, unified, _ = filt.unify_format(text)
        if ok:
            try:
                ok2, seen, _ = filt.url_filter(with_url({"raw_content": unified}, url), forbidden)
            except Exception:
                seen = None
        out.append((verdict, seen))
    return out


def winnow_decide(winnow, docs, blocklist_path, jieba_dir, match):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for i, (url, text) in enumerate(docs):
            f.write(json.dumps({"id": str(i), "text": text, "metadata": with_url({}, url)}, ensure_ascii=False) + "\n")
    stages = "[mapcc_filter: {model: %s, jieba: %s, url_blocklist: %s, url_blocklist_match: %s}]" % (MODEL, jieba_dir, blocklist_path, match)
    r = subprocess.run([winnow, "apply", "--keep-dropped", "--stages", stages, f.name], capture_output=True, text=True)
    os.unlink(f.name)
    if r.returncode != 0:
        sys.exit("winnow apply failed: " + r.stderr[-2000:])
    out = [None] * len(docs)
    for l in r.stdout.split("\n"):
        if not l:
            continue
        d = json.loads(l)
        m = d.get("metadata", {})
        out[int(d["id"])] = (m.get("drop_reason") or "keep" if "dropped_by" in m else "keep", d["text"])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ctllm", default=os.environ.get("CTLLM_DIR"), help="folder holding CT-LLM's filter.py")
    ap.add_argument("--winnow", default=os.path.join(ROOT, ".build/release/winnow"))
    ap.add_argument("--show", type=int, default=5, help="differences shown per source")
    ap.add_argument("--sources", nargs="*", help="only these sources (default: all)")
    args = ap.parse_args()
    if not args.ctllm:
        sys.exit("give --ctllm DIR or CTLLM_DIR (the folder with CT-LLM's filter.py)")
    sys.path.insert(0, args.ctllm)
    import jieba, fasttext
    jieba.setLogLevel(60)
    import filter as filt
    filt.model = fasttext.load_model(MODEL)
    jieba_dir = os.path.dirname(jieba.__file__)

    sources = chinese_sources()
    sources["built-cases"] = [(u, t) for _, t, u in built_cases()]
    names = {"built-cases": [n for n, _, _ in built_cases()]}
    blocked = block_list(sources)
    if args.sources:
        sources = {k: v for k, v in sources.items() if k in args.sources}
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as bl:
        bl.write("\n".join(blocked) + "\n")
    if hasattr(filt, "Trie"):
        # As the trie release's driver builds it from a list file.
        match, forbidden = "prefix", filt.Trie()
        for line in blocked:
            forbidden.insert(filt.remove_url_head(line.strip()))
    else:
        match, forbidden = "host", set(blocked)
    print(f"CT-LLM's filter.py from {args.ctllm}: block list as a {'trie of prefixes' if match == 'prefix' else 'set (host or substring)'}; "
          f"Winnow url_blocklist_match: {match}")

    total = {"docs": 0, "verdict": 0, "kept_text": 0, "kept_both": 0, "seen_text": 0, "seen_both": 0}
    bad = False
    for name, docs in sources.items():
        ref = ctllm_decide(filt, docs, forbidden)
        got = winnow_decide(args.winnow, docs, bl.name, jieba_dir, match)
        verdict = sum(a[0] == b[0] for a, b in zip(ref, got))
        both_kept = [(a, b) for a, b in zip(ref, got) if a[0] == b[0] == "keep"]
        kept_text = sum(a[1] == b[1] for a, b in both_kept)
        seen = [(i, a, b) for i, (a, b) in enumerate(zip(ref, got)) if a[1] is not None and b[0] not in ("mapcc_brackets", "mapcc_url_blocklist", "mapcc_no_url")]
        seen_text = sum(a[1] == b[1] for _, a, b in seen)
        drops = {}
        for v, _ in ref:
            drops[v] = drops.get(v, 0) + 1
        print(f"{name:22} {len(docs):6} docs: keep/drop+rule agree {verdict}/{len(docs)}, "
              f"kept text equal {kept_text}/{len(both_kept)}, text after A+B equal {seen_text}/{len(seen)}; "
              f"CT-LLM: " + " ".join(f"{k}={v}" for k, v in sorted(drops.items())))
        shown = 0
        for i, (a, b) in enumerate(zip(ref, got)):
            if (a[0] != b[0] or (a[1] is not None and b[0] not in ("mapcc_brackets", "mapcc_url_blocklist", "mapcc_no_url") and a[1] != b[1])) and shown < args.show:
                shown += 1
                label = names.get(name, [str(j) for j in range(len(docs))])[i]
                print(f"   [{label}] CT-LLM {a[0]}, Winnow {b[0]}; url {'(none)' if docs[i][0] is MISSING else repr(docs[i][0])}")
                if a[1] is not None and a[1] != b[1]:
                    k = next((j for j, (x, y) in enumerate(zip(a[1], b[1])) if x != y), min(len(a[1]), len(b[1])))
                    print(f"      text differs at {k}: CT-LLM {a[1][max(0, k - 30):k + 30]!r}\n{'':24}Winnow {b[1][max(0, k - 30):k + 30]!r}")
        total["docs"] += len(docs); total["verdict"] += verdict; total["kept_text"] += kept_text; total["kept_both"] += len(both_kept)
        total["seen_text"] += seen_text; total["seen_both"] += len(seen)
        bad |= verdict != len(docs) or kept_text != len(both_kept) or seen_text != len(seen)
    os.unlink(bl.name)
    print(f"{'all':22} {total['docs']:6} docs: keep/drop+rule agree {total['verdict']}/{total['docs']}, kept text equal "
          f"{total['kept_text']}/{total['kept_both']}, text after A+B equal {total['seen_text']}/{total['seen_both']}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

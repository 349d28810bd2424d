#!/usr/bin/env python3
"""Writes Tests/WinnowFiltersTests/Fixtures/mapcc-ctllm.json: what CT-LLM's own `filter/filter.py`
decides on small built cases, one group per class of difference found against Winnow
(`mapcc_ctllm_parity.py`), so the unit tests check Winnow without Python:
  links     — `url_filter`'s three passes (Python `re`: \\b and \\w with Han and `_`, dotted
              labels, the tail of the four-label pass, the Han look-behind);
  brackets  — `unify_format`'s 【(.*?)】 characters (inside the brackets only);
  blocklist — `url_filter`'s block list: with the release of `filter.py` that has `utils.py`
              (a trie of scheme-less entries, each a prefix of the scheme-less URL) the
              `blocklist_prefix` group, with the earlier one (commit 92e2f32: stripped URL, host
              field, substring for other URLs) the `blocklist` group; the fixture's other groups
              are kept, so running the script once with each release fills both;
  rules     — `self_defined_rules` (R7's str.isdigit, R8/R9's str.splitlines).

    CTLLM_DIR=DIR/filter python bench/parity/mapcc_ctllm_fixture.py
"""
import json, os, re, sys, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.environ.get("CTLLM_DIR") or sys.exit("set CTLLM_DIR to the folder with CT-LLM's filter.py"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jieba
jieba.setLogLevel(60)
import filter as filt
from mapcc_ctllm_parity import RULES, PROSE

LINKS = [
    "请访问中文abc.com了解", "网站abc.com中文", "见 abc.com 吧", "见 x_abc.com 吧", "见 abc.com_x 吧", "见 abc.com2 吧",
    "见 abc.com-x 吧", "中-abc.com 吧", "中.abc.com 吧", "のabc.com 吧", " abc.com한 吧", " ABC.COM 吧", " abc.informat 吧",
    " abc.abcdefg 吧", " abc.com. 吧", " x.com.cn 吧", "见x.com.cn吧", " ...abc.com 吧", " 1.5.abc.com 吧", " v1.2.3 吧",
    " a.b@mail.qq.com 吧", " --abc.com 吧", " .abc.com 吧", " abc.comé 吧", " abc.com² 吧", " abc.com\u00a0吧", " 3.14 和 2.5cm 吧",
    " a.b.c.d 吧", " a.b.c.d.. 吧", " a.b.c..d 吧", " x..a.b.c.d 吧", " 192.168.1.1 吧", " 1.2.3.4.5.6. 吧", " a.b.c.. 吧",
    "中a.b.c.d吧", " a_b.c.d.e 吧", " a..b.c.d.e 吧", " -.-.-.- 吧", "看http://abc.com/x中文", " www.abc.com,后",
    " http://a.b/c\u00a0后", " http://a.b/c\u3000后", " wwww.abc.com 吧", " xhttp://a.b 吧", " http://a.b/㐀c 吧",
    "版权所有 cjyq.org.cn Inc", "合作伙伴 ·www-559955.com起哄", "邮箱:jubao@vip.sina.com\n", "MongoClient().test.data\n",
    "IT.com.cn\n您可以", "a.b.chttp://x.y z", "end.com", "x.co", "x.y.z.com.cn.", "_a.com", "a.com_", "中文.com", "中文。com",
    "Ⅻabc.com", "①abc.com", "a.b.c.d.e.f.g.h", "foo.bar-baz.com/x", "e.g. 例如", "i.e. 即", "U.S.A. 美国", "No.1 第一",
]


# Digits that are one-character jieba words among long English words (so R3's mean stays in range).
DIGITS = "这是一个测试。" + " ".join(["internationally"] * 8) + ". " + "{0}" * 7 + "。结束!"


def main():
    out = {"links": [], "brackets": [], "rules": []}
    nothing_blocked = filt.Trie() if hasattr(filt, "Trie") else set()
    for t in LINKS:
        ok, cleaned, _ = filt.url_filter({"raw_content": t, "url": ""}, nothing_blocked)
        out["links"].append({"text": t, "expected": cleaned})
    for t in ["【通知】" + "正文" * 20, "【a【b】c】" + "x" * 10, "【开始\n结束】【好】", "【】【x】", "】【", "【未闭合", "【一\n【二】"]:
        n = unicodedata.normalize("NFKC", t)
        out["brackets"].append({"text": t, "inside": sum(len(x) for x in re.findall(r"【(.*?)】", n))})
    path = os.path.join(ROOT, "Tests/WinnowFiltersTests/Fixtures/mapcc-ctllm.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            out = {**json.load(f), **out}
    urls = ["  http://blocked.example.com/page \n", "http://blocked.example.com:8080/page", "http://example.net/bad/page",
            "see blocked.example.com/x", "https://sub.blocked.example.com/", "HTTP://blocked.example.com/",
            "https://spam.example.org", "http://spam.example.org/", "ftp://spam.example.org/a", "http://", "example.net/bad",
            "\thttps://blocked.example.com\u3000", "https://blocked.example.com.evil/"]
    if hasattr(filt, "Trie"):
        # Lines of a list file: a scheme, surrounding whitespace, a bare scheme and a blank line.
        lines = ["blocked.example.com", "example.net/bad", "https://schemed.example.org/", " \tspaced.example.com\u3000", "汉字", "http://", ""]
        trie = filt.Trie()
        for line in lines:
            trie.insert(filt.remove_url_head(line.strip()))
        urls += ["", "   ", "https://", "http://example.net/ba", "https://https://blocked.example.com", "schemed.example.org/x",
                 "http://schemed.example.org/", "http://schemed.example.org", "spaced.example.com/a", "http://汉字.cn/",
                 "http://汉", "ftp://blocked.example.com", "blocked.example.co", "http:// blocked.example.com"]
        cases = [{"url": u, "blocked": not filt.url_filter({"raw_content": "", "url": u}, trie)[0]} for u in urls]
        out["blocklist_prefix"] = {"lines": lines, "cases": cases}
    else:
        entries = ["blocked.example.com", "example.net/bad", "spam.example.org"]
        cases = [{"url": u, "blocked": not filt.url_filter({"raw_content": "", "url": u}, set(entries))[0]} for u in urls]
        out["blocklist"] = {"entries": entries, "cases": cases}
    readmore = "\n".join(["阅读更多"] * 3 + [PROSE[:40]] * 6)
    bullets = "\n".join(["•" + PROSE[i:i + 30] for i in range(0, 300, 30)])
    texts = {
        "readmore, final newline": readmore + "\n", "readmore, CRLF": readmore.replace("\n", "\r\n"),
        "readmore, CR": readmore.replace("\n", "\r"), "readmore, U+2028": readmore.replace("\n", "\u2028"),
        "readmore, form feed": readmore.replace("\n", "\f"), "readmore, no final newline": readmore,
        "bullets, final newline": bullets + "\n说明。\n", "bullets, CRLF": bullets.replace("\n", "\r\n") + "\r\n说明。",
        "bullets, blank final lines": bullets + "\n说明。\n\n",
        "digits ❶": DIGITS.format("❶❷❸❹❺❻❼❽❾"), "digits ⓵": DIGITS.format("⓵⓶⓷⓸⓹⓺⓻⓼⓽"), "digits ➀": DIGITS.format("➀➁➂➃➄➅➆➇➈"),
        "digits ¹ (NFKC makes it 1)": DIGITS.format("¹²³¹²³¹²³"), "digits ❿ (numeric, not a digit)": DIGITS.format("❿❿❿❿❿❿❿❿❿"),
    }
    for name, t in texts.items():
        t = filt.unify_format(t)[1]  # the rules read the unified text
        ok, flag = filt.self_defined_rules(t)
        out["rules"].append({"name": name, "text": t, "reason": None if ok else RULES[next(iter(flag))]})
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    print(f"wrote {path}: {len(out['links'])} link texts, {len(out['brackets'])} bracket texts, {len(cases)} URLs, {len(out['rules'])} rule texts")
    for r in out["rules"]:
        print(f"  {r['name']}: {r['reason']}")


if __name__ == "__main__":
    main()

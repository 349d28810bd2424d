#!/usr/bin/env python3
"""Character references in HTML text: Winnow (`html_extract`, mode: full) against an HTML5
reading of the same pages — lxml's HTML parser when its libxml2 is 2.14 or newer (the HTML5
tokenizer: what trafilatura and datatrove see), else Python's html.unescape (the HTML5 rules
for text). Each page holds random runs of text and references: every HTML5 name (with and
without `;`, with letters after it), the legacy names browsers read without `;`, numeric
references (decimal and hex, any case, with and without `;`, C1 numbers that HTML5 maps as
Windows-1252, 0, surrogates, numbers past U+10FFFF, long runs of digits), bare `&`, names
that are no reference. Prints the pages that differ (after folding whitespace, as Winnow
folds it) and exits 1 if any does.

Run: python bench/parity/charref_parity.py [--pages 3000] [--seed 1] [--winnow .build/release/winnow]
"""
import argparse, html, html.entities as he, os, random, re, sys
from winnow_full_text import full_texts

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def reference(rng):
    k = rng.random()
    names = list(he.html5)
    if k < 0.35:
        return "&" + rng.choice(names)
    if k < 0.5:  # a legacy name with letters or digits after it
        legacy = [n for n in names if not n.endswith(";")]
        return "&" + rng.choice(legacy) + rng.choice(["", "x", "2017", "it;", "in;", ";", "=", "-", " "])
    if k < 0.8:
        v = rng.choice([rng.randint(0x80, 0x9F), rng.randint(0x20, 0x7E), rng.randint(0xA0, 0x2FFF), 0,
                        rng.randint(0xD800, 0xDFFF), 0x10FFFF, 0x110000, rng.randint(0x1F300, 0x1F64F), 10 ** 12])
        hexa = rng.random() < 0.5
        digits = ("%x" % v if rng.random() < 0.5 else "%X" % v) if hexa else str(v)
        if rng.random() < 0.1:
            digits = "0" * rng.randint(1, 8) + digits
        return "&#" + (rng.choice("xX") if hexa else "") + digits + (";" if rng.random() < 0.8 else rng.choice([" ", "z", "."]))
    return rng.choice(["& ", "&&", "&;", "&#;", "&#x;", "&#xg;", "AT&T", "&nosuchname;", "&123;", "&a", "&x"])


def page(rng):
    parts = []
    for _ in range(rng.randint(3, 12)):
        parts.append(rng.choice(["word", "Text", "a", "b c", "1", "-", ".", "é", "中文"]))
        parts.append(reference(rng))
    # Kept apart from the markup (a decoded `<` or `&` must stay text).
    return " ".join(parts)


def fold(s):
    s = s.replace("\xa0", " ")
    return " ".join(s.split())


def html5_text(body):
    try:
        import lxml.etree, lxml.html
        if lxml.etree.LIBXML_VERSION >= (2, 14, 0):
            return lxml.html.fromstring("<html><body><p>" + body + "</p></body></html>").text_content()
    except ImportError:
        pass
    return html.unescape(body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--winnow", default=os.path.join(ROOT, ".build/release/winnow"))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    bodies = [page(rng) for _ in range(a.pages)]
    got = full_texts(a.winnow, ["<html><body><p>" + b + "</p></body></html>" for b in bodies])
    bad = 0
    for k, b in enumerate(bodies):
        want, have = fold(html5_text(b)), fold(got[k])
        # Winnow leaves out control characters that HTML5 keeps (`&#1;`): not compared.
        want = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", "", want)
        if want != have:
            bad += 1
            if bad <= 10:
                print(f"page {k}: {b!r}\n  html5:  {want!r}\n  winnow: {have!r}")
    print(f"{a.pages - bad}/{a.pages} pages read as HTML5 reads them")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

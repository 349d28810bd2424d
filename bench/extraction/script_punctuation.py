#!/usr/bin/env python3
"""Does the main text depend on which script's marks end a page's sentences? No gold text needed.

Each scored page (`score.py --split all`) is written again with the sentence ends and commas of
its text (not its markup, scripts or styles) in another script's marks: `danda` (". " → "। ",
Hindi, Bengali, Marathi), `urdu` (". " → "۔ ", ", " → "، "), `arabic` (", " → "، ", "? " → "؟ "),
`armenian` (". " → "։ "); or with its quotations in French « … » (`guillemets`) or German „…“
(`german-quotes`) quotes. A mark is replaced only after a letter or ")" and before a space or the
text's end, so numbers and addresses stay. The tool's text for the changed page, its marks read
back, should be the text for the page as it is: the share of pages where it is not, and of those
where it differs by over a tenth of its words, are printed. (Abbreviations such as "Dr." are
rewritten too, so a few pages differ whatever the tool does.)

Run (venv with trafilatura and resiliparse for score.py; Winnow from a release build; `--baseline
BIN` also runs another Winnow binary, an older build, side by side):
    python bench/extraction/script_punctuation.py [--variants danda,urdu,...] [--baseline BIN]
"""
import argparse, os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score

TAG = re.compile(r"(<[^>]*>)")
VARIANTS = {
    "danda": [(".", "।")],
    "urdu": [(".", "۔"), (",", "،")],
    "arabic": [(",", "،"), ("?", "؟")],
    "armenian": [(".", "։")],
}
# Quotations written in another language's quotes: "…" and “…” as « … » (French, no-break
# spaces inside) or „…“ (German); read back, every quote is ".
QUOTES = {"guillemets": ("«\u00a0", "\u00a0»"), "german-quotes": ("„", "“")}
PAIR = re.compile(r'(?<![\w=])"([^"<>]{1,400}?)"(?!\w)')


def requote(html, opening, closing):
    """`html` with the quotations of its text requoted."""
    return in_text(html, lambda text: PAIR.sub(opening + r"\1" + closing, text).replace("\u201c", opening).replace("\u201d", closing))


def quotes_read_back(text):
    return re.sub(r'[«»„“”"]', '"', text.replace("\u00a0", " ")).replace('" ', '"').replace(' "', '"')


def in_text(html, change):
    """`html` with `change` applied to its text: outside tags, scripts and styles."""
    out, raw = [], False
    for part in TAG.split(html):
        if part.startswith("<"):
            low = part[:8].lower()
            if low.startswith("<script") or low.startswith("<style"):
                raw = True
            elif low.startswith("</script") or low.startswith("</style"):
                raw = False
        elif not raw:
            part = change(part)
        out.append(part)
    return "".join(out)


def rewrite(html, marks):
    """`html` with each mark of its text replaced."""
    def change(text):
        for ascii_mark, other in marks:
            text = re.sub(r"(?<=[A-Za-z\)])" + re.escape(ascii_mark) + r"(?=\s|$)", other, text)
        return text
    return in_text(html, change)


def reread(text, marks):
    for ascii_mark, other in marks:
        text = text.replace(other, ascii_mark)
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--variants", default=",".join(list(VARIANTS) + list(QUOTES)))
    ap.add_argument("--baseline", help="another Winnow binary to run side by side")
    args = ap.parse_args()
    pages = [html for _, items in sorted(score.pages("all").items()) for _, html, _ in items]
    binaries = ([args.baseline] if args.baseline else []) + [score.WINNOW]
    print(f"{len(pages)} pages")
    for name in args.variants.split(","):
        if name in QUOTES:
            changed = [requote(h, *QUOTES[name]) for h in pages]
            base_read, read = quotes_read_back, quotes_read_back
        else:
            marks = VARIANTS[name]
            changed = [rewrite(h, marks) for h in pages]
            base_read, read = (lambda t: t), (lambda t, marks=marks: reread(t, marks))
        for binary in binaries:
            score.WINNOW = binary
            base = score.winnow_batch([(str(i), h, "") for i, h in enumerate(pages)], "{}")[0]
            out = score.winnow_batch([(str(i), h, "") for i, h in enumerate(changed)], "{}")[0]
            differ = far = 0
            for a, b in zip(base, out):
                if base_read(a) != read(b):
                    differ += 1
                    na, nb = len(a.split()), len(b.split())
                    far += abs(na - nb) > na / 10
            label = "baseline" if binary == args.baseline and len(binaries) > 1 else "winnow"
            print(f"{name:9} {label:9} pages whose text changes {differ:4d} ({differ / len(pages):.1%}), "
                  f"by over a tenth of their words {far:4d} ({far / len(pages):.1%})", flush=True)


if __name__ == "__main__":
    main()

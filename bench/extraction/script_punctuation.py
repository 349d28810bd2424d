#!/usr/bin/env python3
"""Does the main text depend on which script's marks end a page's sentences? No gold text needed.

Each scored page (`score.py --split all`) is written again with the sentence ends and commas of
its text (not its markup, scripts or styles) in another script's marks: `danda` (". " → "। ",
Hindi, Bengali, Marathi), `urdu` (". " → "۔ ", ", " → "، "), `arabic` (", " → "، ", "? " → "؟ "),
`armenian` (". " → "։ "); or with its quotations in French « … » (`guillemets`) or German „…“
(`german-quotes`) quotes; or (`thai`) written as Thai is, without spaces between words and with
a space for ". " and ", " (its letters Thai consonants; read back, compared without spaces); or
(`cyrillic`) its Latin letters written as Cyrillic ones, two bytes each as Greek, Arabic and
Hebrew letters are; or (`long-words`) every third space between two words taken out, words a
half longer and a third fewer as Finnish or Turkish ones are (compared without spaces). A mark is replaced only after a letter or ")" and before a space or the
text's end, so numbers and addresses stay. The tool's text for the changed page, its marks read
back, should be the text for the page as it is: the share of pages where it is not, and of those
where it differs by over a tenth of its words, are printed. (Abbreviations such as "Dr." are
rewritten too, so a few pages differ whatever the tool does.)

Run (venv with trafilatura and resiliparse for score.py; Winnow from a release build; `--baseline
BIN` also runs another Winnow binary, an older build, side by side; `--trafilatura` trafilatura):
    python bench/extraction/script_punctuation.py [--variants danda,urdu,...] [--baseline BIN] [--trafilatura]
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
# Thai writes no space between words and no full stop or comma: a space ends a sentence or a
# clause. Here each Latin letter becomes a Thai consonant, ". " and ", " a space, and the spaces
# between words of a text node go; read back, letters, spaces, "." and "," are compared without
# the spaces and marks (so only which text is kept counts).
THAI = {"thai"}
THAI_LETTERS = {c: chr(0x0E01 + i) for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}
THAI_BACK = {v: k for k, v in THAI_LETTERS.items()}
ENTITY_OR_LETTER = re.compile(r"(&#?\w+;)|([A-Za-z])")


def thai(html):
    """`html` with its text written as Thai is: no spaces between words, no "." or ","."""
    def change(text):
        text = re.sub(r"(?<=[A-Za-z\)])[.,](\s+|$)", lambda m: "\0" if m.group(1) else "", text)
        text = re.sub(r"(?<=[A-Za-z]) (?=[A-Za-z])", "", text).replace("\0", " ")
        return ENTITY_OR_LETTER.sub(lambda m: m.group(1) or THAI_LETTERS[m.group(2).lower()], text)
    return in_text(html, change)


# Russian, Greek, Arabic, Hebrew and Armenian letters take two bytes each: `cyrillic` writes each
# Latin letter as a Cyrillic one, spaces and marks as they are (read back letter for letter).
CYRILLIC_LETTERS = {c: chr(0x0430 + i) for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}
CYRILLIC_BACK = {v: k for k, v in CYRILLIC_LETTERS.items()}


def cyrillic(html):
    """`html` with the Latin letters of its text written as Cyrillic ones."""
    return in_text(html, lambda text: ENTITY_OR_LETTER.sub(lambda m: m.group(1) or CYRILLIC_LETTERS[m.group(2).lower()], text))


def cyrillic_read_back(text):
    return "".join(CYRILLIC_BACK.get(c, c) for c in text.lower())


def long_words(html):
    """`html` with every third space between two letters of its text gone: words a half longer
    and a third fewer, as Finnish, Hungarian or Turkish words are beside English ones."""
    def change(text):
        n = [0]
        def drop(m):
            n[0] += 1
            return "" if n[0] % 3 == 0 else " "
        return re.sub(r"(?<=[A-Za-z]) (?=[A-Za-z])", drop, text)
    return in_text(html, change)


def thai_read_back(text):
    return "".join(THAI_BACK.get(c, c) for c in text.lower() if not c.isspace() and c not in ".,")


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
    ap.add_argument("--variants", default=",".join(list(VARIANTS) + list(QUOTES) + sorted(THAI) + ["cyrillic", "long-words"]))
    ap.add_argument("--baseline", help="another Winnow binary to run side by side")
    ap.add_argument("--trafilatura", action="store_true", help="also trafilatura (defaults, without deduplicate): slow")
    args = ap.parse_args()
    pages = [html for _, items in sorted(score.pages("all").items()) for _, html, _ in items]

    def winnow(binary):
        def run(htmls):
            score.WINNOW = binary
            return score.winnow_batch([(str(i), h, "") for i, h in enumerate(htmls)], "{}")[0]
        return run
    tools = [("baseline", winnow(args.baseline))] if args.baseline else []
    tools.append(("winnow", winnow(score.WINNOW)))
    if args.trafilatura:
        import trafilatura
        tools.append(("trafilatura", lambda htmls: [trafilatura.extract(h, include_comments=False, deduplicate=False) or "" for h in htmls]))
    plain = {}  # each tool's texts for the pages as they are, made once
    print(f"{len(pages)} pages")
    for name in args.variants.split(","):
        if name == "long-words":
            changed = [long_words(h) for h in pages]
            base_read, read = thai_read_back, thai_read_back
        elif name == "cyrillic":
            changed = [cyrillic(h) for h in pages]
            base_read, read = cyrillic_read_back, cyrillic_read_back
        elif name in THAI:
            changed = [thai(h) for h in pages]
            base_read, read = thai_read_back, thai_read_back
        elif name in QUOTES:
            changed = [requote(h, *QUOTES[name]) for h in pages]
            base_read, read = quotes_read_back, quotes_read_back
        else:
            marks = VARIANTS[name]
            changed = [rewrite(h, marks) for h in pages]
            base_read, read = (lambda t: t), (lambda t, marks=marks: reread(t, marks))
        for label, run in tools:
            if label not in plain:
                plain[label] = run(pages)
            base, out = plain[label], run(changed)
            differ = far = 0
            for a, b in zip(base, out):
                if base_read(a) != read(b):
                    differ += 1
                    na, nb = (len(a.split()), len(b.split())) if name not in THAI and name != "long-words" else (len(base_read(a)), len(read(b)))
                    far += abs(na - nb) > na / 10
            print(f"{name:9} {label:9} pages whose text changes {differ:4d} ({differ / len(pages):.1%}), "
                  f"by over a tenth of their words {far:4d} ({far / len(pages):.1%})", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Does content set in the middle of an article come out with it? No gold text needed.

The companion of `invariance.py`, for content instead of boilerplate: each scored page (`score.py
--split all`) gets a short list, numbered steps, a headed list, a data table, a one-sentence
paragraph, a line with a link of its own (a listing's linked address and its price), a table whose
first column is links (a league table), a list of linked names with notes, a definition list, a code
block, a round-up's entry under a linked heading, a wiki's section heading with its
long "[modifier le code]" edit link, a list of dates, or a sentence with a formula (KaTeX, MediaWiki's
image with the MathML hidden beside it, bare MathML: kept whole only with the formula as TeX, which
trafilatura drops) after its middle `</p>`, and the tool's text for the changed page is
checked for the inserted text (up to three probes each). Only pages where the insertion sits inside the
article count: the tool's text for the page as it is holds 100 words or more and both paragraphs
around the insertion point (60 characters or more each, read without markup). The issue's held-out
check found such content — headed lists, numbered product lists, one-sentence paragraphs, date
lists, tables — dropped next to good paragraphs.

`--at start` puts it before the article's first paragraph (the first `<p>` of 80 characters or more
without markup inside it, on some pages not the article's first; counted where that paragraph is in
the tool's text for the page as it is). `--at
end` puts the content after the article's last paragraph instead (the last `<p>` of 80
characters or more without markup, on pages with three or more): counted where that paragraph is
in the tool's text for the page as it is, which holds 100 words or more. What follows an article
is often not its own (a related list, a share line), so both tools leave some of it out there.

Run (venv with trafilatura for --trafilatura; Winnow from a release build):
    python bench/extraction/inserted.py [--insertions ul-short,...] [--at middle|end|start] [--trafilatura]
"""
import argparse, os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score
from invariance import in_the_middle, after_last_paragraph, PARAGRAPH

INSERTIONS = {
    "ul-short": ('<ul><li>Flour, 200 grams</li><li>Sugar, 100 grams</li><li>Three large eggs</li><li>A pinch of salt</li>'
                 '<li>Butter for the tin</li></ul>', ["Flour, 200 grams", "Three large eggs", "Butter for the tin"]),
    "ol-steps": ('<ol><li>Heat the oven to 180 degrees.</li><li>Mix the flour and the sugar in a bowl.</li>'
                 '<li>Beat in the eggs one at a time.</li><li>Bake for forty minutes.</li></ol>',
                 ["Heat the oven to 180 degrees.", "Beat in the eggs one at a time.", "Bake for forty minutes."]),
    "headed-ul": ('<h3>What you need</h3><ul><li>A bicycle pump</li><li>Two tyre levers</li><li>A spare inner tube</li>'
                  '<li>A patch kit</li></ul>', ["What you need", "Two tyre levers", "A patch kit"]),
    "table": ('<table><tr><th>Year</th><th>Sales</th><th>Profit</th></tr><tr><td>2015</td><td>1.2 million</td><td>300,000</td></tr>'
              '<tr><td>2016</td><td>1.5 million</td><td>410,000</td></tr><tr><td>2017</td><td>1.9 million</td><td>520,000</td></tr></table>',
              ["Year", "1.5 million", "520,000"]),
    "one-sentence": ('<p>That was the end of it.</p>', ["That was the end of it."]),
    "linked-line": ('<p><a href="/homes/3103">3103 E Olive St, Seattle WA</a> For sale: $599,999</p>',
                    ["3103 E Olive St, Seattle WA For sale: $599,999"]),
    "linked-table": ('<table><tr><th>Team</th><th>Points</th></tr><tr><td><a href="/t/1">Riverside United</a></td><td>54</td></tr>'
                     '<tr><td><a href="/t/2">Hill Town</a></td><td>51</td></tr><tr><td><a href="/t/3">Old Harbour</a></td><td>47</td></tr></table>',
                     ["Riverside United", "Hill Town", "Old Harbour"]),
    "linked-ul": ('<ul><li><a href="/a">The city council</a> – minutes of every meeting since 2001</li><li><a href="/b">The river trust</a>'
                  ' – maps of the flood zones</li><li><a href="/c">The bridge archive</a> – photos from 1890 to today</li></ul>',
                  ["minutes of every meeting since 2001", "maps of the flood zones", "photos from 1890 to today"]),
    "dl": ('<dl><dt>Bandwidth</dt><dd>The rate at which data moves</dd><dt>Latency</dt><dd>The delay before data arrives</dd>'
           '<dt>Jitter</dt><dd>The variation in that delay</dd></dl>', ["Bandwidth", "The delay before data arrives", "The variation in that delay"]),
    "pre-code": ('<pre><code>def area(r):\n    return 3.14159 * r * r\n</code></pre>', ["return 3.14159 * r * r"]),
    "linked-heading": ('<h3>1. <a href="/p/1">Acme Widget Pro</a></h3><p>The best widget we tested, with a battery that lasts two days, '
                       'a screen you can read in bright sun, and a case that survived every fall our testers put it through.</p>',
                       ["1. Acme Widget Pro", "The best widget we tested"]),
    "wiki-heading": ('<h2><span class="mw-headline" id="Early_years">Early years</span><span class="mw-editsection">'
                     '<span class="mw-editsection-bracket">[</span><a href="/w/index.php?title=Page&amp;action=edit&amp;section=2" '
                     'title="Modifier la section : Early years">modifier le code</a><span class="mw-editsection-bracket">]</span></span></h2>',
                     ["Early years"]),
    "formula-katex": ('<p>The sum of the first n whole numbers is <span class="katex"><span class="katex-mathml"><math><semantics><mrow>'
                      '<mfrac><mrow><mi>n</mi><mo>(</mo><mi>n</mi><mo>+</mo><mn>1</mn><mo>)</mo></mrow><mn>2</mn></mfrac></mrow>'
                      '<annotation encoding="application/x-tex">\\frac{n(n+1)}{2}</annotation></semantics></math></span>'
                      '<span class="katex-html" aria-hidden="true"><span class="mord">n(n+1)/2</span></span></span>, as Gauss found at school.</p>',
                      ["The sum of the first n whole numbers is $\\frac{n(n+1)}{2}$, as Gauss found at school."]),
    "formula-wiki": ('<p>The conjugate transpose of <span class="mwe-math-element"><span class="mwe-math-mathml-inline mwe-math-mathml-a11y" '
                     'style="display: none;"><math alttext="{\\displaystyle A}"><semantics><mi>A</mi><annotation encoding="application/x-tex">'
                     '{\\displaystyle A}</annotation></semantics></math></span><img src="/media/math/render/svg/7daff4" '
                     'class="mwe-math-fallback-image-inline" aria-hidden="true" alt="{\\displaystyle A}"></span> is written '
                     '<span class="mwe-math-element"><span class="mwe-math-mathml-inline mwe-math-mathml-a11y" style="display: none;">'
                     '<math alttext="{\\displaystyle A^{\\mathsf {H}}}"><semantics><msup><mi>A</mi><mi>H</mi></msup><annotation '
                     'encoding="application/x-tex">{\\displaystyle A^{\\mathsf {H}}}</annotation></semantics></math></span><img '
                     'src="/media/math/render/svg/4b1a" class="mwe-math-fallback-image-inline" aria-hidden="true" '
                     'alt="{\\displaystyle A^{\\mathsf {H}}}"></span> in most books.</p>',
                     ["The conjugate transpose of $A$ is written $A^{\\mathsf {H}}$ in most books."]),
    "formula-mathml": ('<p>The area of a circle is <math><mi>&#x3C0;</mi><msup><mi>r</mi><mn>2</mn></msup></math>, as Archimedes showed.</p>',
                       ["The area of a circle is $\\pi r^2$, as Archimedes showed."]),
    "dates": ('<ul><li>12 March 2016: first meeting</li><li>4 April 2016: the plan is agreed</li><li>9 May 2016: building starts</li></ul>',
              ["12 March 2016: first meeting", "9 May 2016: building starts"]),
}
END_P = re.compile(r"</p\s*>", re.I)


def plain(html):
    return " ".join(re.sub(r"<[^>]*>", " ", html).split())


def inside_article(html, base):
    """Whether the paragraphs on both sides of `in_the_middle`'s insertion point are in `base`."""
    ends = [m.end() for m in END_P.finditer(html)]
    if len(ends) < 4 or len(base.split()) < 100:
        return False
    k = len(ends) // 2
    before = plain(html[html.rfind("<p", 0, ends[k]):ends[k]])
    after = plain(html[html.find("<p", ends[k]):ends[k + 1]]) if k + 1 < len(ends) else ""
    return all(len(p) >= 60 and "&" not in p and p[:40] in base for p in (before, after))


def closes_article(html, base):
    """Whether `after_last_paragraph`'s paragraph is in `base` (100 words or more)."""
    found = list(PARAGRAPH.finditer(html))
    if len(found) < 3 or len(base.split()) < 100:
        return False
    last = plain(found[-1].group(2))
    return "&" not in last and last[:40] in " ".join(base.split())


def opens_article(html, base):
    """Whether `before_first_paragraph`'s paragraph is in `base` (100 words or more)."""
    found = list(PARAGRAPH.finditer(html))
    if len(found) < 3 or len(base.split()) < 100:
        return False
    first = plain(found[0].group(2))
    return "&" not in first and first[:40] in " ".join(base.split())


def before_first_paragraph(snippet):
    """Puts `snippet` before the first paragraph of 80 characters or more without markup, on a
    page with three or more of them."""
    return after_last_paragraph(snippet, before_first=True)


def extractors(with_trafilatura):
    """The tools to run: Winnow (a release build, `score.WINNOW`), and trafilatura (defaults,
    without deduplicate) when asked."""
    tools = {"winnow": lambda htmls: score.winnow_batch([(str(i), h, "") for i, h in enumerate(htmls)], "{}")[0]}
    if with_trafilatura:
        import trafilatura
        tools["trafilatura"] = lambda htmls: [trafilatura.extract(h, include_comments=False, deduplicate=False) or "" for h in htmls]
    return tools


def report(pages, tools, insertions, names, insert, counts, read=lambda text: text, width=14):
    """Per tool and insertion, the share of counted pages (`counts(html, text)` for the page as it
    is) whose text for the changed page holds every probe; `read` normalises both before the test."""
    for tool, run in tools.items():
        base = run(pages)
        counted = [i for i, (h, b) in enumerate(zip(pages, base)) if counts(h, b)]
        for name in names:
            snippet, probes = insertions[name]
            out = run([insert(snippet)(pages[i]) for i in counted])
            whole = sum(all(read(p) in read(o) for p in probes) for o in out)
            print(f"{name:{width}} {tool:12} pages {len(counted):5d}  inserted content kept whole {whole:5d} ({whole / max(1, len(counted)):.1%})", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--insertions", default=",".join(INSERTIONS))
    ap.add_argument("--at", choices=["middle", "end", "start"], default="middle",
                    help="after the middle paragraph or the last one, or before the first one")
    ap.add_argument("--trafilatura", action="store_true", help="also trafilatura (defaults, without deduplicate): slow")
    args = ap.parse_args()
    pages = [html for _, items in sorted(score.pages("all").items()) for _, html, _ in items]
    counts, insert, where = {
        "middle": (inside_article, in_the_middle, "after the middle paragraph, counted where that is inside the article"),
        "end": (closes_article, after_last_paragraph, "after the last paragraph, counted where that is in the text"),
        "start": (opens_article, before_first_paragraph, "before the first paragraph, counted where that is in the text"),
    }[args.at]
    print(f"{len(pages)} pages; content inserted {where}")
    report(pages, extractors(args.trafilatura), INSERTIONS, args.insertions.split(","), insert, counts)

if __name__ == "__main__":
    main()

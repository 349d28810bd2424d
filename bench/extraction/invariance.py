#!/usr/bin/env python3
"""Does an extractor's main text survive markup that should not change it? No gold text needed.

Every page of the scored sets (`score.py --split all`: 1,922 pages) is changed in one way — the
whole body wrapped in an ASP.NET `<form>`, an `<article>`, a layout table, nested divs; a cookie
notice, a navigation list, a footer, a comment section or a related-stories box added (or, named in
another language, a German or Spanish comment section, a Portuguese footer, a Dutch navigation
block: `comments-de`, `comments-es`, `footer-pt`, `nav-nl`; a German ad box mid-article, `ad-de`;
every class and id word written as a German site writes it, `names-de`); an ad box,
label, figure, related list, embedded tweet, newsletter box, quotation or "Read more:" line set
mid-article; a shop box of links (a product's title, price, seller and "Buy Now") after every list
(`list-boxes`, as a buying guide sets one after each product's feature list); an unnamed list of
related stories, linked titles and blurbs, after the last paragraph (`end-related`); a site's notice
("best viewed with style sheets", `notice-end`) or legal paragraph (`legal-end`) in a `<div>` whose id
names no boilerplate, after everything else on the page; an author's box ("About the author", a
photo and a bio in a `<div class="author-bio">`) after the last paragraph (`author-box`); the longest run of plain paragraphs but its first and last set in a quotation (`quoted-story`, a
post quoting a story at length); the whole body in a `<nav>` or a `<div class="sidebar">` (an unclosed element around
the rest of the page); a subheading before every third paragraph, plain or linked to its own place
on the page, or with a table of contents linking to them after the first paragraph; paragraphs split into one `<p>`
per sentence, joined by `<br>`s, opened with a link, each put in a `<div>` or (any paragraph, markup
and all) in a page builder's two wrappers; headings and HTML5
sectioning elements made `<div>`s; every `<div>` made a custom element (`custom-divs`: `<x-box>`, as sites
built from web components lay pages out in `<app-root>`, `<story-body>`…); every class and id removed (class names are much of what tells
boilerplate apart: both tools lose text there, and which text is the page is then a judgement);
tag names upper-cased; non-ASCII characters written as character references; every third word of
each paragraph linked (prose with links in its sentences, as on a wiki), every second word
(`dense-links`), and every third word with a note marker after each paragraph (`wiki`, as
Wikipedia sets them) — and the extractor's text for the changed
page is scored against its own text for the page as it is (bag-of-tokens, as score.py). A wrapper or a notice that costs a page its text, or
puts the notice in its place, shows up as a page under F1 0.8, whatever the page's gold says. This
finds classes of failure that a held-out set would find (a page-wide wrapper emptied pages there),
without tuning on gold.

Known limits (see docs/BENCHMARKS.md): `about` and `header` add a paragraph of site prose at the
top, with no boilerplate name or in a `<header>`: pages without an article of their own (listings,
rosters, 404 pages, one-line posts) take it for their text. `inline-share`, `newsletter`,
`read-more` and `inline-related` put a box after the page's middle paragraph: the lines beside it
are kept when the box sits in their flow (the paragraphs on both sides under one parent), but can
be lost when it lands inside a small element of its own (a photo's caption) — 7 to 12 pages.

Run (venv with trafilatura for --trafilatura; Winnow from a release build):
    python bench/extraction/invariance.py [--transforms form,article,...] [--trafilatura [--winnow-only]] [--list]
"""
import argparse, json, os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score

NOTICE = ("We use cookies and similar technologies to improve your experience on our website, to analyse traffic "
          "and to personalise content and advertising. By continuing to browse this site you agree to our use of "
          "cookies as described in our privacy policy, which you can read at any time.")
LEGAL = ("Copyright 2017 Example Media Group. All rights reserved. This material may not be published, broadcast, "
         "rewritten or redistributed without prior written permission. The views expressed in the articles are those "
         "of the authors and do not necessarily reflect the views of the publisher or its partners.")
COMMENT = ("I have been reading this site for years and I have to say that this is one of the best pieces you have "
           "published so far, thank you for taking the time to write it all down, I will share it with my friends.")
NAV = "<nav><ul>" + "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(30)) + "</ul></nav>"
RELATED = '<aside class="related"><h3>Related stories</h3><ul>' + "".join(
    f'<li><a href="/r{i}"><h4>Another story number {i} about something</h4></a><p>A short blurb about the story '
    f'that tells the reader why this other story is worth a click, with a few more words to make it long enough.</p></li>'
    for i in range(5)) + "</ul></aside>"
SHOP_BOX = ('<div class="product-box"><div class="product-title"><a href="/shop/item">Example Product, 128GB (Latest Model)</a></div>'
            '<div class="price"><a href="/shop/item">$99.99</a></div><div class="seller"><a href="/shop/item">Available from '
            'Example Store</a></div><a class="button" href="/shop/item">Buy Now</a></div>')
END_RELATED = '<div><h3>More stories</h3><ul>' + "".join(
    f'<li><a href="/r{i}">Another story number {i} about the city council and its plans</a><p>A short blurb about the story '
    f'that tells the reader why this other story is worth a click, with a few more words to make it long enough.</p></li>'
    for i in range(4)) + "</ul></div>"
BROWSER_NOTE = ("This page is best viewed in an up-to-date web browser with style sheets (CSS) enabled. While you will be "
                "able to view the content of this page in your current browser, you will not be able to get the full visual "
                "experience. Please consider upgrading your browser software or enabling style sheets (CSS) if you are able to do so.")
AUTHOR_BOX = ('<div class="author-bio"><img src="/author.jpg" alt=""><h4>About the author</h4><p>Jane Smith is a senior reporter '
              'who has covered city hall, the courts and the police for the paper since 2004. She lives in the valley with her '
              'family and two dogs, and you can follow her on Twitter.</p></div>')
LIST_END = re.compile(r"</li>\s*</(?:ul|ol)\s*>", re.I)
BODY_OPEN, BODY_CLOSE = re.compile(r"<body[^>]*>", re.I), re.compile(r"</body\s*>", re.I)


def around_body(before, after):
    """Puts `before` right after <body …> and `after` right before the last </body>."""
    def change(html):
        start = BODY_OPEN.search(html)
        if not start:
            return before + html + after
        ends = [m.start() for m in BODY_CLOSE.finditer(html) if m.start() > start.end()]
        end = ends[-1] if ends else len(html)
        return html[:start.end()] + before + html[start.end():end] + after + html[end:]
    return change


def in_the_middle(snippet):
    """Puts `snippet` after the middle </p> of a page with four or more paragraphs."""
    def change(html):
        ends = [m.end() for m in re.finditer(r"</p\s*>", html, re.I)]
        if len(ends) < 4:
            return html
        k = ends[len(ends) // 2]
        return html[:k] + snippet + html[k:]
    return change


PARAGRAPH = re.compile(r"(<p(?:\s[^>]*)?>)([^<]{80,})(</p\s*>)", re.I)
SENTENCE_END = re.compile(r"(?<=[a-z0-9][.!?]) (?=[A-Z])")


def after_last_paragraph(snippet, before_first=False):
    """Puts `snippet` after the last paragraph of 80 characters or more without markup (or
    before the first one), on a page with three or more of them."""
    def change(html):
        found = list(PARAGRAPH.finditer(html))
        if len(found) < 3:
            return html
        k = found[0].start() if before_first else found[-1].end()
        return html[:k] + snippet + html[k:]
    return change


def quoted_middle(html):
    """The page's longest run of adjacent plain paragraphs (`PARAGRAPH`: 80 characters or more
    without markup), but its first and last, set in a `<blockquote>`: a post that quotes a story
    at length between its own opening and closing lines. Pages without a run of four or more are
    left as they are."""
    best, run = [], []
    for m in PARAGRAPH.finditer(html):
        if run and html[run[-1].end():m.start()].strip():
            run = []
        run.append(m)
        if len(run) > len(best):
            best = list(run)
    if len(best) < 4:
        return html
    start, end = best[1].start(), best[-2].end()
    return html[:start] + "<blockquote>" + html[start:end] + "</blockquote>" + html[end:]


def per_paragraph(rewrite):
    """Rewrites the text of every paragraph that holds 80 characters or more and no markup."""
    return lambda html: PARAGRAPH.sub(lambda m: rewrite(m.group(1), m.group(2), m.group(3)), html)


def unspaced(words):
    """Fewer than 12 space-separated words: CJK text, where a "word" is a whole sentence."""
    return len([w for w in words if w]) < 12


def first_words_linked(open_tag, text, close_tag):
    words = text.split(" ")
    if unspaced(words):  # three "words" would be all of it
        return open_tag + text + close_tag
    k = next((i for i, w in enumerate(words) if w), 0)
    return open_tag + " ".join(words[:k]) + (" " if k else "") + '<a href="/topic">' + " ".join(words[k:k + 3]) + "</a> " + " ".join(words[k + 3:]) + close_tag


START_TAG = re.compile(r"<[a-zA-Z][^>]*>")
# Class and id words as a German site names them (`names-de`): each English word, case aside,
# where it stands as a word of its own or at a word's start or end ("post-content", "navbar").
GERMAN = {"content": "inhalt", "article": "artikel", "post": "beitrag", "entry": "eintrag", "story": "meldung", "body": "rumpf",
          "text": "text", "comments": "kommentare", "comment": "kommentar", "footer": "fusszeile", "sidebar": "seitenleiste",
          "menu": "menue", "share": "teilen", "advertisement": "werbung", "related": "verwandte", "header": "kopfzeile",
          "navigation": "navigation", "main": "haupt"}
GERMAN_NAME = re.compile(r"(?i)(?<![a-z])(" + "|".join(sorted(GERMAN, key=len, reverse=True)) + r")(?![a-z])")
CLASS_OR_ID = re.compile(r"""\s(?:class|id)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
# A paragraph with inline markup but no block-level element inside (a page builder's text block).
ANY_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>[^<]*(?:<(?!/?(?:p|div|li|ul|ol|table|tr|td|h[1-6]|section|article|blockquote)\b)[^<]*)*</p\s*>", re.I)
SECTIONING = re.compile(r"<(/?)(?:article|main|nav|aside|header|footer|section|figure|figcaption)\b", re.I)


def every_nth_word_linked(open_tag, text, close_tag, n):
    words = text.split(" ")
    if unspaced(words):
        return open_tag + text + close_tag
    return open_tag + " ".join(f'<a href="/wiki/{i}">{w}</a>' if i % n == n - 1 and w else w for i, w in enumerate(words)) + close_tag


def every_third_word_linked(open_tag, text, close_tag):
    """Every third word of the paragraph linked, as a wiki or a news story links what it names
    (`dense-links`: every second word, as a wiki stub links nearly every name it has)."""
    return every_nth_word_linked(open_tag, text, close_tag, 3)


def with_subheads(html, heading):
    """`heading(n)` before every third paragraph of 80 characters or more without markup; the
    page and the number of headings added."""
    count = [0]
    def add(m):
        count[0] += 1
        return m.group(0) if count[0] % 3 else heading(count[0] // 3) + m.group(0)
    return PARAGRAPH.sub(add, html), count[0] // 3


def subheads(html, permalink=False):
    """A subheading before every third paragraph of 80 characters or more without markup
    (`permalink`: the heading linked to its own place on the page, as docs sites and blogs set them)."""
    if permalink:
        return with_subheads(html, lambda n: f'<h2 id="section-{n}"><a href="#section-{n}">Section heading</a></h2>')[0]
    return with_subheads(html, lambda n: "<h2>Section heading</h2>")[0]


def wiki(html):
    """Every third word of each paragraph linked and a note marker after it, numbered down the
    page, as Wikipedia sets its paragraphs (`...in 1973.[4]`)."""
    count = [0]
    def rewrite(open_tag, text, close_tag):
        count[0] += 1
        n = count[0]
        marker = f'<sup id="cite_ref-{n}" class="reference"><a href="#cite_note-{n}">[{n}]</a></sup>'
        return every_third_word_linked(open_tag, text.rstrip(), marker + close_tag)
    return per_paragraph(rewrite)(html)


def table_of_contents(html):
    """A subheading with an id before every third paragraph (as `subheads`) and, after the first
    paragraph, a table of contents linking to them, as wikis, docs sites and blog plugins set one."""
    body, k = with_subheads(html, lambda n: f'<h2 id="section-{n}">Section heading {n}</h2>')
    if k == 0:
        return html
    toc = '<div id="toc" class="toc"><h2>Contents</h2><ul>' + "".join(
        f'<li><a href="#section-{i}"><span class="tocnumber">{i}</span> <span class="toctext">Section heading {i}</span></a></li>'
        for i in range(1, k + 1)) + "</ul></div>"
    return PARAGRAPH.sub(lambda m: m.group(0) + toc, body, count=1)


TRANSFORMS = {
    "form": around_body('<form name="aspnetForm" method="post" action="./Default.aspx" id="aspnetForm">'
                        '<input type="hidden" name="__VIEWSTATE" value="x">', "</form>"),
    "article": around_body("<article>", "</article>"),
    "main": around_body('<main id="main">', "</main>"),
    "table": around_body('<table width="100%" border="0"><tr><td valign="top">', "</td></tr></table>"),
    "tweet": in_the_middle('<blockquote class="twitter-tweet"><p lang="en" dir="ltr">What a night! Thank you all for coming out, '
                           'see you next year <a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; Jane Doe (@janedoe) '
                           '<a href="https://twitter.com/janedoe/status/1">March 3, 2017</a></blockquote>'),
    "newsletter": in_the_middle('<div class="newsletter-signup"><h3>Get our newsletter</h3><p>Sign up for the best stories of the '
                                'day, delivered to your inbox every morning, free of charge.</p><input type="email"><button>Sign up'
                                '</button></div>'),
    "read-more": in_the_middle('<p><strong>Read more:</strong> <a href="/other">Another story about something else entirely</a></p>'),
    "divs": around_body('<div id="wrapper"><div class="container"><div class="row"><div class="col-md-12">', "</div></div></div></div>"),
    "font": around_body('<center><font face="Arial" size="2">', "</font></center>"),
    "cookie": around_body(f'<div class="cookie-consent"><p>{NOTICE}</p><button>Accept</button></div>', ""),
    "cookie2": around_body(f'<div id="gdpr" class="cookie-notice"><h3>We value your privacy</h3><p>{NOTICE}</p>'
                           '<a href="/privacy">Privacy policy</a><button>Accept</button></div>', ""),
    "nav": around_body(NAV, ""),
    "footer": around_body("", f'<footer id="footer"><p>{LEGAL}</p></footer>'),
    "comments": around_body("", '<div id="comments"><h3>3 Comments</h3>'
                            + "".join(f'<div class="comment"><p>{COMMENT}</p></div>' for _ in range(3)) + "</div>"),
    # The same furniture named in another language: German and Spanish comment sections, a
    # Portuguese footer, a German ad box, a Dutch navigation block.
    "comments-de": around_body("", '<div id="kommentare"><h3>3 Kommentare</h3>'
                               + "".join(f'<div class="kommentar"><p>{COMMENT}</p></div>' for _ in range(3)) + "</div>"),
    "comments-es": around_body("", '<section class="comentarios"><h3>3 comentarios</h3>'
                               + "".join(f'<div class="comentario-texto"><p>{COMMENT}</p></div>' for _ in range(3)) + "</section>"),
    "footer-pt": around_body("", f'<div id="rodape"><p>{LEGAL}</p></div>'),
    "ad-de": in_the_middle(f'<div class="werbung"><p>{NOTICE}</p></div>'),
    "nav-nl": around_body('<div id="navigatie"><ul>' + "".join(f'<li><a href="/{w}">{w.title()}</a></li>' for w in
                          ["nieuws", "sport", "economie", "cultuur", "wetenschap", "opinie", "contact"]) + f'</ul><p>{NOTICE}</p></div>', ""),
    "related": around_body("", RELATED),
    "about": around_body(f'<div id="header"><h1><a href="/">Example Site</a></h1><p>{LEGAL}</p></div>', ""),
    "header": around_body(f'<header><a href="/">Example Site</a><p>{LEGAL}</p></header>', ""),
    "aside": around_body("", f'<aside><h3>About the author</h3><p>{COMMENT} {LEGAL}</p></aside>'),
    "hidden": around_body(f'<div style="display:none"><p>{LEGAL}</p></div><div hidden><p>{NOTICE}</p></div>', ""),
    "deep": around_body("<div>" * 80, "</div>" * 80),
    "inline-ad": in_the_middle('<div class="advertisement"><p>Advertisement</p><iframe src="/ad"></iframe></div>'),
    "inline-label": in_the_middle('<div id="div-gpt-ad-1"><span>ADVERTISEMENT</span></div>'),
    "inline-share": in_the_middle('<ul class="share-buttons"><li><a href="/tw">Tweet</a></li><li><a href="/fb">Share</a></li></ul>'),
    "sentences": per_paragraph(lambda o, t, c: o + SENTENCE_END.sub(lambda m: c + o, t) + c),
    "brs": lambda h: re.sub(r"</p\s*>\s*<p(?:\s[^>]*)?>", "<br><br>", h, flags=re.I),
    "linked": per_paragraph(first_words_linked),
    "subheads": lambda h: subheads(h),
    "permalink-subheads": lambda h: subheads(h, permalink=True),
    "figure": in_the_middle('<figure><img src="/photo.jpg" alt=""><figcaption>Photo: Example Agency</figcaption></figure>'),
    "inline-related": in_the_middle('<div class="box"><h3>Read more</h3><ul>' + "".join(
        f'<li><a href="/story{i}">Another story number {i} about something else entirely</a></li>' for i in range(4)) + "</ul></div>"),
    "nav-wrap": around_body("<nav>", "</nav>"),
    "sidebar-wrap": around_body('<div class="sidebar">', "</div>"),
    "quoted-story": quoted_middle,
    "blockquote": in_the_middle('<blockquote><p>This is a quotation that somebody said at some point and that the author '
                                'found worth quoting in full here.</p></blockquote>'),
    "para-divs": lambda h: PARAGRAPH.sub(lambda m: '<div class="block">' + m.group(0) + "</div>", h),
    "builder-divs": lambda h: ANY_PARAGRAPH.sub(lambda m: '<div class="sqs-block html-block"><div class="sqs-block-content">'
                                                + m.group(0) + "</div></div>", h),
    "no-headings": lambda h: re.sub(r"<(/?)h[1-6]\b", lambda m: "<" + m.group(1) + "div", h, flags=re.I),
    "no-sectioning": lambda h: SECTIONING.sub(lambda m: "<" + m.group(1) + "div", h),
    "custom-divs": lambda h: re.sub(r"<(/?)div\b", lambda m: "<" + m.group(1) + "x-box", h, flags=re.I),
    "no-class": lambda h: START_TAG.sub(lambda m: CLASS_OR_ID.sub("", m.group(0)), h),
    "names-de": lambda h: START_TAG.sub(lambda m: CLASS_OR_ID.sub(lambda a: GERMAN_NAME.sub(lambda w: GERMAN[w.group(0).lower()], a.group(0)), m.group(0)), h),
    "upper": lambda h: re.sub(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)", lambda m: "<" + m.group(1) + m.group(2).upper(), h),
    "numrefs": lambda h: re.sub(r"[^\x00-\x7f]", lambda m: f"&#{ord(m.group(0))};", h),
    "inline-links": per_paragraph(every_third_word_linked),
    "wiki": wiki,
    "dense-links": per_paragraph(lambda o, t, c: every_nth_word_linked(o, t, c, 2)),
    "toc": table_of_contents,
    "list-boxes": lambda h: LIST_END.sub(lambda m: m.group(0) + SHOP_BOX, h),
    "end-related": after_last_paragraph(END_RELATED),
    "notice-end": around_body("", f'<div id="site-note"><p><strong>{BROWSER_NOTE}</strong></p></div>'),
    "legal-end": around_body("", f'<div id="bottom"><p>{LEGAL}</p></div>'),
    "author-box": after_last_paragraph(AUTHOR_BOX),
}


def compare(pages, base, changed):
    """Mean P and R of each changed text against its base text, the pages under F1 0.8, and the
    number of pages that lose over a tenth of their text (R < 0.9)."""
    ps, rs, low, tenth = [], [], [], 0
    for (key, _), b, c in zip(pages, base, changed):
        if not b.strip() and not c.strip():
            ps.append(1.0); rs.append(1.0)
            continue
        p, r, f = score.prf(c, b)
        ps.append(p); rs.append(r)
        tenth += r < 0.9
        if f < 0.8:
            low.append((f, p, r, key))
    return sum(ps) / len(ps), sum(rs) / len(rs), sorted(low), tenth


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--transforms", default=",".join(TRANSFORMS))
    ap.add_argument("--winnow-params", default="{}", help="html_extract parameters, YAML flow map")
    ap.add_argument("--trafilatura", action="store_true", help="also trafilatura (defaults, without deduplicate), one page at a time: slow")
    ap.add_argument("--list", action="store_true", help="print the pages under F1 0.8")
    ap.add_argument("--winnow-only", action="store_true",
                    help="with --trafilatura: print the pages under F1 0.8 for Winnow that trafilatura keeps at 0.8 or more")
    args = ap.parse_args()
    pages = [(f"{name}|{pid}", html) for name, items in sorted(score.pages("all").items()) for pid, html, _ in items]
    tools = {"winnow": lambda htmls: score.winnow_batch([(str(i), h, "") for i, h in enumerate(htmls)], args.winnow_params)[0]}
    if args.trafilatura:
        import trafilatura
        # Without deduplicate: its cache of seen paragraphs is shared across calls, so the second
        # reading of a page (changed) would lose paragraphs the first reading had seen.
        tools["trafilatura"] = lambda htmls: [trafilatura.extract(h, include_comments=False, deduplicate=False) or "" for h in htmls]
    print(f"{len(pages)} pages; each changed text scored against the tool's text for the page as it is")
    print(f"{'transform':14} {'tool':12} {'P':>7} {'R':>7}  pages under F1 0.8 (R < 0.5: text lost; P < 0.5: text replaced)"
          "  pages losing over a tenth (R < 0.9)")
    base = {tool: run([h for _, h in pages]) for tool, run in tools.items()}
    for name in args.transforms.split(","):
        change = TRANSFORMS[name]
        changed = [change(h) for _, h in pages]
        lows = {}
        for tool, run in tools.items():
            p, r, low, tenth = compare(pages, base[tool], run(changed))
            lows[tool] = low
            lost, replaced = sum(x[2] < 0.5 for x in low), sum(x[1] < 0.5 for x in low)
            print(f"{name:14} {tool:12} {p:7.4f} {r:7.4f}  {len(low):4d} (R<0.5 {lost}, P<0.5 {replaced})  {tenth:4d}", flush=True)
            if args.list:
                for f, p, r, key in low:
                    print(f"    {f:.2f} P {p:.2f} R {r:.2f} {key}")
        if args.winnow_only and "trafilatura" in lows:
            theirs = {x[3] for x in lows["trafilatura"]}
            only = [x for x in lows["winnow"] if x[3] not in theirs]
            print(f"{name:14} winnow-only  {len(only):4d} pages under F1 0.8 that trafilatura keeps at 0.8 or more", flush=True)
            for f, p, r, key in only:
                print(f"    {f:.2f} P {p:.2f} R {r:.2f} {key}")


if __name__ == "__main__":
    main()

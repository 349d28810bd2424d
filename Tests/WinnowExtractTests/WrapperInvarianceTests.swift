import XCTest
@testable import WinnowExtract

/// Issue 16: a page's main text must not depend on markup around the whole page or on a small
/// notice beside it. Found by wrapping each of the 1,922 scored pages and comparing Winnow's text
/// with its text for the page as it is (`bench/extraction/invariance.py`), not on gold text.
final class WrapperInvarianceTests: XCTestCase {
    let nav = TestPages.menu
    let bio = "I have been an advertising copywriter in this city for nineteen years, and I write about the ads I hate, the ads I love, "
        + "and the people who make them, which is most of what I think about when I am not thinking about lunch or the weather."
    let notice = "We use cookies and similar technologies to improve your experience on our website, to analyse traffic and to "
        + "personalise content. By continuing to browse this site you agree to our use of cookies as described in our privacy policy."

    func text(_ html: String) -> String { HTMLExtractor().extract(html).text }

    /// `body` as a page, and the same page with `open`/`close` around everything in its body.
    func page(_ body: String, wrappedIn open: String = "", _ close: String = "") -> String {
        "<html><head><title>t</title></head><body>\(open)\(body)\(close)</body></html>"
    }

    /// A short post in the page's one article body beside a longer author bio: the body is the
    /// content. An `<article>` (or a "post-content" div) around the whole page, menus included,
    /// says nothing about where the article is; it used to make the page's one body the wrapper,
    /// which holds the bio too, and the bio came out instead of the post.
    func testArticleAroundTheWholePageIsNoArticleBody() {
        let links = ["Eighteen prank signs on the Tube.", "Thirteen science museum billboards.", "A rejection letter from a club.", "A singer sings to his cat."]
        let post = "<div class=\"post-body entry-content\"><p>My five favourite posts of the week, in no order at all.</p><ul>"
            + links.map { "<li><a href=/x>\($0)</a></li>" }.joined() + "</ul><p>posted by the author at 6:01 PM</p></div>"
        let body = "\(nav)<div class=main>\(post)</div><div class=profile><p>\(bio)</p><p>\(bio)</p></div>"
        let plain = text(page(body))
        XCTAssertTrue(plain.contains("My five favourite posts of the week"), plain)
        XCTAssertFalse(plain.contains("copywriter"), plain)
        for (open, close) in [("<article>", "</article>"), ("<div class=post-content>", "</div>"), ("<article><div id=page>", "</div></article>")] {
            XCTAssertEqual(text(page(body, wrappedIn: open, close)), plain, "wrapped in \(open)")
        }
    }

    /// Two article cards side by side inside a page-wide wrapper are still no one article body,
    /// as they are without the wrapper: the longer prose elsewhere is the content.
    func testCardsInsideAPageWideArticleAreStillNoArticleBody() {
        let cards = (1...2).map { "<article><p><a href=/c\($0)>Story number \($0) of the day, with a line or two to go with it.</a></p></article>" }.joined()
        let body = "\(nav)<div class=cards>\(cards)</div><div class=story><p>\(bio)</p><p>\(bio)</p></div>"
        let plain = text(page(body))
        XCTAssertTrue(plain.contains("copywriter"), plain)
        XCTAssertEqual(text(page(body, wrappedIn: "<article>", "</article>")), plain)
    }

    /// A cookie notice's long paragraph above a page-wide ASP.NET form on a page of short lines
    /// (a "page not found" page): the notice is boilerplate, so its prose is not the page's, and
    /// the form is still the page. The notice's paragraph used to count as the page's prose, the
    /// form held none of it, and the form — the whole page — was dropped.
    func testCookieNoticeDoesNotTakeAPageWideFormsPageAway() {
        let form = "<form id=Form1 action=PageNotFound method=post><div id=wrapper>\(nav)<div id=main><h1>404 Page Not Found</h1>"
            + "<p><b>The web page you are looking for has not been found.</b></p>"
            + "<p>We have redesigned our website, and the page may have been moved.</p>"
            + "<p>Try the search engine or the site map.</p></div></div></form>"
        let withNotice = text(page("<div class=cookie-consent><p>\(notice)</p><button>Accept</button></div>" + form))
        XCTAssertEqual(withNotice, text(page(form)))
        XCTAssertTrue(withNotice.contains("The web page you are looking for has not been found."), withNotice)
        XCTAssertFalse(withNotice.contains("cookies"), withNotice)
    }

    /// A boilerplate-named notice that holds most of a short page's text and prose is still a
    /// notice: a container counts as the page (a layout wrapper misnamed "sidebar-…") only with
    /// three blocks of text or more. The notice used to come out as the page's text.
    func testCookieNoticeOverAShortPageIsNotThePage() {
        let body = "\(nav)<div id=main><h1>File Not Found</h1><p>The file is no longer available at that location.</p></div>"
        for notice in ["<div class=cookie-banner><p>\(notice)</p></div>",
                       "<div class=cookie-notice><h3>We value your privacy</h3><p>\(notice)</p><a href=/privacy>Privacy policy</a></div>"] {
            let t = text(page(notice + body))
            XCTAssertTrue(t.contains("The file is no longer available at that location."), t)
            XCTAssertFalse(t.contains("cookies"), t)
        }
    }

    /// A page-wide form whose text is all inside a `javascript:` link (a script hook, not a link
    /// to a page) is still the page: its share of the page's text counts that text.
    func testFormAroundScriptLinkTextIsThePage() {
        let body = "<a href=\"javascript:\"><p>abc</p><p>def</p>ghi</a>"
        let plain = text(page(body))
        XCTAssertEqual(plain, "abc\ndef\nghi")
        XCTAssertEqual(text(page(body, wrappedIn: "<form method=post action=./Default.aspx>", "</form>")), plain)
    }
}

extension WrapperInvarianceTests {
    /// A `<header>` outside every `<article>`, `<section>` and `<main>` is the page's banner: a
    /// paragraph of site prose in it is not a one-line post's text (it used to be the page's only
    /// good block, and came out first). A header that holds a heading is the story's: its title
    /// and standfirst stay as they were.
    func testBannerHeaderProseIsNotThePost() {
        let post = "<div class=post><h2>Hacker Monthly at SXSW</h2><p>By Lim, 16 March 2011</p><p>Our magazine made a tiny appearance at the booth.</p></div>"
        let banner = "<header><a href=/>Example Site</a><p>\(bio)</p></header>"
        let t = text(page(banner + nav + post))
        XCTAssertTrue(t.contains("Our magazine made a tiny appearance at the booth."), t)
        XCTAssertFalse(t.contains("copywriter"), t)

        let standfirst = "A council will vote next week on a plan to close the old railway bridge to cars, after engineers found cracks in two of its piers."
        let story = "<header><h1>Bridge may close to cars</h1><p>\(standfirst)</p></header><div class=story><p>\(bio)</p><p>\(bio)</p></div>"
        let s = text(page(nav + story))
        XCTAssertTrue(s.contains(standfirst), s)
        XCTAssertTrue(s.contains("copywriter"), s)
    }

    /// A `<nav>`, `<aside>` or `<footer>` around the whole page (an unclosed element in a menu,
    /// a layout that puts the page in one) used to empty it: main-text mode skips them unread.
    /// One that holds more text than the rest of a page left without text is read again as a
    /// boilerplate-named container, which is the page when it holds most of its text and prose.
    func testNavigationElementAroundTheWholePageIsThePage() {
        let article = "<div class=story><h1>Ad of the week</h1><p>\(bio)</p><p>\(notice)</p><p>\(bio)</p></div>"
        let plain = text(page(nav + article))
        XCTAssertTrue(plain.contains("copywriter"), plain)
        for tag in ["nav", "aside", "footer"] {
            XCTAssertEqual(text(page(nav + article, wrappedIn: "<\(tag)>", "</\(tag)>")), plain, tag)
            // The menu inside the wrapper is still navigation.
            XCTAssertFalse(text(page("<\(tag)><nav>\(nav)</nav>\(article)</\(tag)>")).contains("Travel"), tag)
        }
    }

    /// A sidebar `<aside>` that holds more text than a short post stays a sidebar: the page has
    /// text of its own (here only the short-page fallback's), so it is walked once.
    func testALongAsideBesideAShortPostIsNotThePage() {
        let post = "<div class=post><h2>5 Nov 2012</h2><h3>LFW...</h3></div>"
        let aside = "<aside>" + (0..<3).map { "<h3>Widget \($0)</h3><p>\(bio)</p>" }.joined() + nav + "</aside>"
        let out = text(page(post + aside))
        XCTAssertTrue(out.contains("5 Nov 2012"), out)
        XCTAssertFalse(out.contains("copywriter"), out)
    }

    /// On a page with no prose (a squad list of short lines), a boilerplate-named layout wrapper
    /// around everything is the page: it holds nine tenths of the text. It used to be dropped as
    /// boilerplate, emptying the page; a footer holding only most of the text still goes.
    func testWrapperAroundAPageWithoutProseIsThePage() {
        let squad = "<div class=squad><h2>Goalkeepers</h2><ul>" + ["M. Perin Age 25", "W. Szczesny Age 28", "C. Pinsoglio Age 28"].map { "<li>\($0)</li>" }.joined()
            + "</ul><h2>Defenders</h2><ul>" + ["G. Chiellini Age 34", "L. Bonucci Age 31", "M. De Sciglio Age 26"].map { "<li>\($0)</li>" }.joined() + "</ul></div>"
        let plain = text(page(squad))
        XCTAssertTrue(plain.contains("W. Szczesny Age 28"), plain)
        for (open, close) in [("<div class=sidebar-wrapper>", "</div>"), ("<div id=footer>", "</div>"), ("<nav>", "</nav>")] {
            XCTAssertEqual(text(page(squad, wrappedIn: open, close)), plain, open)
        }
        let footer = "<div id=footer>" + (0..<9).map { "<p>Partner site number \($0) of the network</p>" }.joined() + "</div>"
        let withFooter = text(page(squad + footer))
        XCTAssertTrue(withFooter.contains("W. Szczesny Age 28"), withFooter)
        XCTAssertFalse(withFooter.contains("Partner site"), withFooter)
    }

    /// Page builders set each paragraph in a stack of wrappers of its own (Squarespace's
    /// `sqs-block` / `sqs-block-content`, Elementor's widget containers). The paragraphs are still
    /// siblings: a linked lead sentence beside the one long paragraph is kept either way, as the
    /// rules that look for a good block's siblings and "levels up" skip single-block wrappers.
    func testParagraphsInWrappersOfTheirOwnAreStillSiblings() {
        let lead = "Posted this morning: episode #145 of the <a href=/podcast>Startup Success Podcast</a>, which was our show #52 from <a href=/2010>January, 2010</a>."
        let body = "Figuring out what to build and who the market is are problems every startup must solve to succeed. In this interview, "
            + "the author shares her experience with positioning, testing and validating ideas before a single line of code is written."
        func article(_ wrap: (String) -> String) -> String {
            "<div class=post><h2>Positioning your startup</h2>" + wrap("<p>\(lead)</p>") + wrap("<p>\(body)</p>") + wrap("<p>Give it a listen.</p>") + "</div>"
        }
        let side = "<div class=sidebar><h3>About</h3><p>\(bio)</p></div>"
        let plain = text(page(nav + article { $0 } + side))
        XCTAssertTrue(plain.contains("Startup Success Podcast"), plain)
        XCTAssertTrue(plain.contains("Figuring out"), plain)
        for wrap in [{ "<div class=block>\($0)</div>" },
                     { "<div class=\"sqs-block html-block\"><div class=sqs-block-content><div class=x>\($0)</div></div></div>" }] as [(String) -> String] {
            XCTAssertEqual(text(page(nav + article(wrap) + side)), plain, wrap("…"))
        }
    }

    /// A spacer paragraph of invisible characters (a zero-width space, a byte-order mark, a soft
    /// hyphen, a right-to-left page's direction marks) is no line of text: it used to come out as a line that renders as nothing, and as
    /// the only block outside a page-wide `<nav>` it made the page look non-empty, so the
    /// navigation element was never read again and the page's text was lost.
    func testInvisibleSpacerIsNoLine() {
        let article = "<div class=story><h1>Ad of the week</h1><p>\(bio)</p><p>\(notice)</p><p>\(bio)</p></div>"
        let plain = text(page(article))
        for spacer in ["\u{200B}", "\u{FEFF}", "&#8203; &#173;", "\u{2060}\u{200C}", "&rlm;", "&lrm; \u{061C}", "\u{202B}\u{202C}", "\u{2067}\u{2069}"] {
            let spaced = text(page("<div class=story><h1>Ad of the week</h1><p>\(bio)</p><p>\(spacer)</p><p>\(notice)</p><p>\(bio)</p></div>"))
            XCTAssertEqual(spaced, plain, spacer)
            XCTAssertEqual(text(page("<p>\(spacer)</p><nav>\(nav)\(article)</nav>")), plain, spacer)
        }
        // Visible text around such characters stays, characters and all.
        XCTAssertTrue(text(page("<p>\(bio)</p><p>\u{200B}Note\u{200B}</p><p>\(bio)</p>")).contains("\u{200B}Note\u{200B}"))
    }
}

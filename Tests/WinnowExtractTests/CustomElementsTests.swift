import XCTest
@testable import WinnowExtract

/// Custom elements (`<app-root>`, `<story-body>`, `<relative-time>`: names with a hyphen), which
/// this machine's libxml2 2.9 does not know. Sites built from web components lay the page out in
/// them as others do in divs, and set small ones in a line of text.
final class CustomElementsTests: XCTestCase {
    let story = TestPages.story.map { "<p>\($0)</p>" }.joined()
    let related = "<ul>" + (1...4).map {
        "<li><a href=/r\($0)>Another story number \($0) about the town</a> A short blurb that tells the reader why this other "
            + "story is worth a click, with a few more words to make it long enough.</li>"
    }.joined() + "</ul>"

    func main(_ html: String) -> String { HTMLExtractor(mode: .main).extract(html).text }
    func full(_ html: String) -> String { HTMLExtractor(mode: .full).extract(html).text }

    /// A page without `<html>`, `<head>` or `<body>` tags that opens with a script: libxml2 puts
    /// the script in an implied `<head>` and left the head open at a custom element, so the
    /// whole page was skipped as head (an empty text). HTML5 ends the head at any element that
    /// is not head content.
    func testAPageOfCustomElementsAfterAScriptIsNotReadAsItsHead() {
        let page = "<script>var tracking = 1;</script><app-root><story-body>\(story)</story-body></app-root>"
        XCTAssertEqual(main(page), TestPages.story.joined(separator: "\n"))
        XCTAssertEqual(full("<meta charset=utf-8><x-box><h1>Heading</h1></x-box><p>After.</p>"), "Heading\nAfter.")
    }

    /// A custom element before `</head>` is the body's in HTML5, and the title is still read;
    /// head content after it in that head stays unread (a second `<title>`, a `<noframes>`), as
    /// a browser shows none of it. An element libxml2 knows (an SVG sprite) leaves the head as it is.
    func testACustomElementInsideTheHeadIsTheBodysAndTheTitleStays() {
        let r = HTMLExtractor(mode: .full).extract("<html><head><title>The title</title><site-banner>Banner text</site-banner>"
            + "<title>The title again</title><noframes>Your browser does not show frames.</noframes><style>p{}</style></head><body><p>Body.</p></body></html>")
        XCTAssertEqual(r.text, "Banner text\nBody.")
        XCTAssertEqual(r.title, "The title")
        XCTAssertEqual(HTMLExtractor(mode: .full).extract("<meta charset=utf-8><x-a>Text one</x-a><title>Late title</title><p>After.</p>").title, "Late title")
        XCTAssertEqual(full("<html><head><title>T</title><x-a><title>T again</title>Shown</x-a></head><body><p>Body.</p></body></html>"), "Shown\nBody.")
        XCTAssertEqual(full("<html><head><meta charset=utf-8><svg style=display:none><symbol id=i><path d=M0/></symbol></svg>"
                            + "<title>Budget vote | Town News</title><title>Budget vote | Town News</title></head><body><p>Body.</p></body></html>"), "Body.")
        // Head content stays unread: a style, a noscript, a meta, an old frame page's noframes.
        XCTAssertEqual(full("<html><head><title>t</title><style>p{}</style><noscript><x-a>No script</x-a></noscript><meta name=a>"
                            + "<noframes>Your browser does not show frames.</noframes></head><body><p>Body.</p></body></html>"), "Body.")
    }

    /// No `<title>` is text, in the head or out of it (browsers show none); the first is the title.
    func testNoTitleIsText() {
        let r = HTMLExtractor(mode: .full).extract("<html><head><title>The title</title></head><body><p>One.</p><title>A stray title</title><p>Two.</p></body></html>")
        XCTAssertEqual(r.text, "One.\nTwo.")
        XCTAssertEqual(r.title, "The title")
        XCTAssertEqual(HTMLExtractor(mode: .full).extract("<p>One.</p><div><title>Late title</title></div><p>Two.</p>").title, "Late title")
    }

    /// A custom element that holds a block is a container like a div: its class and id count
    /// (a related list in `<related-stories class="related">` goes), and the text read in it
    /// before that block is a block of its own.
    func testCustomElementsHoldingBlocksAreContainersWhoseNamesCount() {
        let page = "<html><head><title>t</title></head><body><app-root><site-header class=header>\(TestPages.menu)</site-header>"
            + "<story-body class=story>\(story)</story-body>"
            + "<related-stories class=related><h3>More from the town</h3>\(related)</related-stories>"
            + "<site-footer class=footer><p>Copyright 2024 The Town News. All rights reserved.</p></site-footer></app-root></body></html>"
        XCTAssertEqual(main(page), TestPages.story.joined(separator: "\n"))
        XCTAssertEqual(full("<x-a><p>one</p></x-a><x-b>two <x-c><div>three</div></x-c> four</x-b>"), "one\ntwo\nthree\nfour")
        // An article body named as one (`entry-content`) rules the page, as a div of that name
        // does, over a box with more prose beside it.
        let short = TestPages.story.prefix(2).map { "<p>\($0)</p>" }.joined()
        let box = "<div class=intro>" + String(repeating: "<p>\(TestPages.about)</p>", count: 3) + "</div>"
        for tag in ["x-story", "div"] {
            XCTAssertEqual(main("<html><body>\(TestPages.menu)\(box)<\(tag) class=entry-content>\(short)</\(tag)></body></html>"),
                           TestPages.story.prefix(2).joined(separator: "\n"), tag)
        }
    }

    /// A custom element that holds only text is inline, as browsers show an element they do not
    /// know: in a paragraph, a heading, a link, a list item, a cell, a span, or first in a div.
    func testACustomElementOfTextStaysInItsLine() {
        let lines = [
            ("<div>Posted <relative-time datetime=2024-03-01>March 1</relative-time> by Jane</div>", "Posted March 1 by Jane"),
            ("<div class=meta><relative-time>March 1</relative-time> by Jane</div>", "March 1 by Jane"),
            ("<p><g-emoji alias=tada>🎉</g-emoji> Version two is out today.</p>", "🎉 Version two is out today."),
            ("<h2><x-icon>★</x-icon> Top story</h2>", "★ Top story"),
            ("<div><a href=/a><x-label>Read</x-label> more</a></div>", "Read more"),
            ("<ul><li><x-icon>★</x-icon> Starred repositories</li></ul>", "★ Starred repositories"),
            ("<div><img src=a.png><x-label>Foo</x-label> bar baz</div>", "Foo bar baz"),
            ("<div><span><relative-time>3 days ago</relative-time> · 5 min read</span></div>", "3 days ago · 5 min read"),
        ]
        for (html, line) in lines { XCTAssertEqual(full(html), line, html) }
    }

    /// A table of the article whose first cells open with a custom flag icon: each row stays one
    /// block of two cells, and the table is kept whole.
    func testATableWhoseCellsOpenWithACustomElementKeepsItsRows() {
        let countries = ["France", "Spain", "Italy", "Norway"]
        let rows = countries.enumerated().map {
            "<tr><td><x-flag>⚑</x-flag> <a href=\"/c/\($0.element)\">\($0.element)</a></td><td><a href=\"/m/\($0.element)\">\($0.offset + 3) medals</a></td></tr>"
        }.joined()
        let before = TestPages.story.prefix(2).map { "<p>\($0)</p>" }.joined(), after = TestPages.story.suffix(2).map { "<p>\($0)</p>" }.joined()
        let out = main("<html><body>\(TestPages.menu)<article>\(before)<table><tr><th>Country</th><th>Medals</th></tr>\(rows)</table>"
                       + "\(after)</article></body></html>")
        for (i, c) in countries.enumerated() { XCTAssertTrue(out.contains("⚑ \(c) \(i + 3) medals"), "lost the row of \(c)") }
    }
}

import XCTest
@testable import WinnowExtract

/// Custom elements (`<app-root>`, `<story-body>`, `<relative-time>`: names with a hyphen), which
/// this machine's libxml2 2.9 does not know. Sites built from web components lay the page out in
/// them as others do in divs.
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

    /// A custom element before `</head>` is the body's in HTML5, and the title is still read.
    func testACustomElementInsideTheHeadIsTheBodysAndTheTitleStays() {
        let r = HTMLExtractor(mode: .full).extract("<html><head><title>The title</title><site-banner>Banner text</site-banner></head><body><p>Body.</p></body></html>")
        XCTAssertEqual(r.text, "Banner text\nBody.")
        XCTAssertEqual(r.title, "The title")
        // Head content stays unread: a style, a noscript, a meta, an old frame page's noframes.
        XCTAssertEqual(full("<html><head><title>t</title><style>p{}</style><noscript><x-a>No script</x-a></noscript><meta name=a>"
                            + "<noframes>Your browser does not show frames.</noframes></head><body><p>Body.</p></body></html>"), "Body.")
    }

    /// Custom elements are containers: their boilerplate names count (a related list in
    /// `<related-stories class="related">` goes) and each one's text is a block of its own.
    func testCustomElementsAreContainersWhoseNamesCount() {
        let page = "<html><head><title>t</title></head><body><app-root><site-header class=header>\(TestPages.menu)</site-header>"
            + "<story-body class=story>\(story)</story-body>"
            + "<related-stories class=related><h3>More from the town</h3>\(related)</related-stories>"
            + "<site-footer class=footer><app-text>Copyright 2024 The Town News. All rights reserved.</app-text></site-footer></app-root></body></html>"
        XCTAssertEqual(main(page), TestPages.story.joined(separator: "\n"))
        // An article body named as one (`entry-content`) rules the page, as a div of that name
        // does, over a box with more prose beside it.
        let short = TestPages.story.prefix(2).map { "<p>\($0)</p>" }.joined()
        let box = "<div class=intro>" + String(repeating: "<p>\(TestPages.about)</p>", count: 3) + "</div>"
        for tag in ["x-story", "div"] {
            XCTAssertEqual(main("<html><body>\(TestPages.menu)\(box)<\(tag) class=entry-content>\(short)</\(tag)></body></html>"),
                           TestPages.story.prefix(2).joined(separator: "\n"), tag)
        }
        XCTAssertEqual(full("<x-a>one</x-a><x-b><x-c>two</x-c> three <x-d>four</x-d></x-b>"), "one\ntwo\nthree four")
    }

    /// In a line of text (a paragraph, a heading, a link, or after words of its block) a custom
    /// element is inline, as `<relative-time>` or `<g-emoji>` are set.
    func testACustomElementInALineOfTextStaysInTheLine() {
        XCTAssertEqual(full("<div>Posted <relative-time datetime=2024-03-01>March 1</relative-time> by Jane</div>"), "Posted March 1 by Jane")
        XCTAssertEqual(full("<p><g-emoji alias=tada>🎉</g-emoji> Version two is out today.</p>"), "🎉 Version two is out today.")
        XCTAssertEqual(full("<h2><x-icon>★</x-icon> Top story</h2>"), "★ Top story")
        XCTAssertEqual(full("<div><a href=/a><x-label>Read</x-label> more</a></div>"), "Read more")
    }
}

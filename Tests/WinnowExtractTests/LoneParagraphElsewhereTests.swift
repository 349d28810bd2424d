import XCTest
@testable import WinnowExtract

/// Issue 16 (site prose kept with a short article): the container holding most good text is
/// the article's only when it holds seven tenths of the page's good text. One good paragraph
/// elsewhere — a site notice after the footer ("This page is best viewed…"), a subscriber
/// notice, a quotation in the sidebar — could tip a short article under that share, and then
/// every block of the page counted as the article's: the notice, and the reaction, alert and
/// follow lines between the story and it. Found with an `invariance.py`-style change (such a
/// notice set before `</body>`: 239 of the 1,922 scored pages under F1 0.8; trafilatura 95),
/// not on gold text.
final class LoneParagraphElsewhereTests: XCTestCase {
    let story = [
        "The city council voted on Tuesday to rebuild the old bridge over the river, ending a debate that has lasted for more than ten years and divided the town.",
        "Work is due to start next spring, and the council expects the new bridge to open to traffic two years later, at a cost of about forty million dollars.",
        "Residents who live near the bridge will be able to comment on the plans at three public meetings in the town hall, the first of them in early March.",
        "The old bridge will stay open while the new one is built beside it, so that the farms on the far bank keep their only road into the town.",
    ]
    let notice = "This page is best viewed in an up-to-date web browser with style sheets (CSS) enabled. While you will be able to "
        + "view the content of this page in your current browser, you will not be able to get the full visual experience. "
        + "Please consider upgrading your browser."
    // (The story's four paragraphs hold 588 bytes, the notice 263: under seven tenths of the
    // good text is the story's, and the notice is under half of it.)
    let tail = ["What's your reaction?", "Receive email alerts on:", "Follow us"]

    func text(_ html: String) -> String { HTMLExtractor().extract(html).text }

    /// The story in its container, short lines after it in the page's wrapper, then `extra`.
    func page(_ paragraphs: [String], extra: String) -> String {
        "<html><head><title>t</title></head><body>\(TestPages.menu)<div id=wrap><div id=main><div class=story>"
            + paragraphs.map { "<p>\($0)</p>" }.joined() + "</div></div>" + tail.map { "<div>\($0)</div>" }.joined()
            + "<ul class=footer><li><a href=/a>About</a></li><li><a href=/c>Contact</a></li></ul></div>\(extra)</body></html>"
    }

    /// A site notice after the footer, under half the story's text: the story stays, the notice
    /// and the lines between go.
    func testASiteNoticeAfterTheFooterDoesNotJoinAShortStory() {
        let out = text(page(story, extra: "<div id=note><p><strong>\(notice)</strong></p></div>"))
        for s in story { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the site notice:\n\(out)")
        for t in tail { XCTAssertFalse(out.contains(t), "kept a line after the story: \(t)\n\(out)") }
    }

    /// The same paragraph as a quotation in a column above the site's menu. (Right above the
    /// story, a paragraph can be its standfirst, which the lead-in rule takes.)
    func testAQuotationInAColumnAboveTheMenuGoes() {
        let html = "<html><head><title>t</title></head><body><div class=rail><blockquote><p>\(notice)</p></blockquote></div>\(TestPages.menu)"
            + "<div id=wrap><div class=story>" + story.map { "<p>\($0)</p>" }.joined() + "</div></div></body></html>"
        let out = text(html)
        for s in story { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the sidebar's paragraph:\n\(out)")
    }

    /// A story of two paragraphs holds under twice the notice's text: which of them is the
    /// page's is not told by size, and both stay, as before.
    func testAParagraphOverHalfTheStorysTextStays() {
        let out = text(page(Array(story.prefix(2)), extra: "<div id=note><p><strong>\(notice)</strong></p></div>"))
        for s in story.prefix(2) { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertTrue(out.contains("best viewed"), "dropped the other paragraph:\n\(out)")
    }
}

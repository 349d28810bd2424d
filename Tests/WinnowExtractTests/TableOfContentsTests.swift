import XCTest
@testable import WinnowExtract

/// Issue 16: a table of contents (lines linking to the page's own headings) is dropped as
/// structure, so that it no longer ends the article's run of paragraphs; links to places that are
/// no heading (a tab bar) stay the page's controls.
final class TableOfContentsTests: XCTestCase {
    let nav = TestPages.menu
    let lead = "The village lies in the green hills above the river, some forty kilometres to the east of the provincial capital, "
        + "and it has been home to farmers and shepherds since the middle ages, when the first stone houses were built."
    /// After the lead: two short lines and a borderline paragraph, then two sections whose
    /// headings the table of contents links to, each one borderline line.
    func page(toc: String) -> String {
        "<html><head><title>t</title></head><body>\(nav)<div class=content><p>\(lead)</p>\(toc)"
            + "<p>Well, the mill opened four weeks ago.</p><p>What has happened since then?</p>"
            + "<p>The old mill by the river is open to <a href=/v>visitors on summer weekends</a> and on holidays, and the "
            + "<a href=/m>museum of rural life</a> inside it too.</p>"
            + "<h2 id=History>Part 1</h2><p>The church was partly destroyed in the war and rebuilt by <a href=/x>the villagers, stone by stone</a></p>"
            + "<h2 id=Geography>Part 2</h2><p>The village school opened its doors again with <a href=/s>eleven pupils</a></p>"
            + "</div><div class=footer><a href=/a>About us</a> | <a href=/c>Contact</a></div></body></html>"
    }

    func toc(_ hrefs: [String]) -> String {
        "<div id=toc><ul>" + hrefs.enumerated().map { "<li><a href=\"#\($0.element)\">\($0.offset + 1) Part \($0.offset + 1)</a></li>" }.joined() + "</ul></div>"
    }

    /// With a table of contents after the lead, the page reads as without it. Read as a link
    /// list, it ended the run of paragraphs, and all that follows it was lost.
    func testATableOfContentsNeitherIsTextNorEndsTheArticle() {
        let plain = HTMLExtractor().extract(page(toc: "")).text
        let withTOC = HTMLExtractor().extract(page(toc: toc(["History", "Geography"]))).text
        XCTAssertTrue(plain.contains("opened its doors again"), plain)
        XCTAssertEqual(withTOC, plain)
    }

    /// An href escapes what an id writes as it is; MediaWiki sets the id inside the heading.
    func testEscapedHrefsAndIdsInsideHeadings() {
        let ids = ["Cheografía", "Historia"]
        let escaped = ["Cheograf%C3%ADa", "Historia"]
        var html = page(toc: toc(escaped))
        for (old, id) in zip(["id=History", "id=Geography"], ids) {
            html = html.replacingOccurrences(of: "<h2 \(old)>Part", with: "<h2><span class=mw-headline id=\"\(id)\">Part").replacingOccurrences(of: "Part 1</h2>", with: "Part 1</span></h2>")
        }
        html = html.replacingOccurrences(of: "Part 2</h2>", with: "Part 2</span></h2>")
        XCTAssertTrue(html.contains("<span class=mw-headline id=\"Cheografía\">Part 1</span></h2>"), html)
        let blocks = HTMLExtractor().explain(html)
        XCTAssertFalse(blocks.contains { $0.contains(": 1 Part 1") || $0.contains(": 2 Part 2") }, blocks.joined(separator: "\n"))
        XCTAssertEqual(TableOfContents.hash(Array("Cheograf%C3%ADa\0".utf8), from: 0), TableOfContents.hash(Array("Cheografía\0".utf8), from: 0))
        XCTAssertEqual(TableOfContents.fragmentHash(Array(" #History\0".utf8)), TableOfContents.hash(Array("History\0".utf8), from: 0))
        XCTAssertEqual(TableOfContents.fragmentHash(Array("/page#History\0".utf8)), 0)
        XCTAssertEqual(TableOfContents.hash(Array("\0".utf8), from: 0), 0)
    }

    /// Links to places that are no heading — a tab bar's panes, "back to top" — are the page's
    /// controls: they stay blocks (bad ones), and in full-text mode nothing is dropped at all.
    func testLinksToPlacesThatAreNoHeadingStay() {
        let tabs = "<ul class=tabs><li><a href=\"#most-viewed\">Most Viewed</a></li><li><a href=\"#latest\">Latest Contributors</a></li></ul>"
            + "<div id=most-viewed><p>x</p></div><div id=latest><p>y</p></div>"
        let blocks = HTMLExtractor().explain(page(toc: tabs))
        XCTAssertTrue(blocks.contains { $0.contains("Latest Contributors") }, blocks.joined(separator: "\n"))
        let full = HTMLExtractor(mode: .full).extract(page(toc: toc(["History", "Geography"]))).text
        XCTAssertTrue(full.contains("2 Part 2"), full)
    }
}

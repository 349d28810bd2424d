import XCTest
@testable import WinnowExtract

/// Issue 16: an article's closing line, a short sentence with a link of its own right after its
/// last paragraph ("Visit the … webpage for more information."), was dropped: it is too short
/// to be borderline, and its link made it no short line to take back. Found on gold pages' last
/// lines (`bench/extraction/snippets.py`), where trafilatura kept it and Winnow did not.
final class ClosingLinkedLineTests: XCTestCase {
    let paragraphs = [
        "The village lies in the green hills above the river, some forty kilometres to the east of the provincial capital, and it has been home to farmers and shepherds since the middle ages.",
        "Most of the houses in the village are built of the grey stone that was cut by hand in the old quarries on the hill, to the north of the river, in the years before the railway came.",
        "The old mill, which ground wheat for the whole district until the railway came, now holds a small museum of rural life that is open to visitors on summer weekends and holidays.",
    ]
    let closing = "Visit the <a href=/museum>museum website</a> for its hours."
    let posted = "Posted in <a href=/c/1>Villages</a>, <a href=/c/2>Museums</a>, <a href=/c/3>Rivers</a> | <a href=/c#comments>2 Comments</a>"

    func page(_ afterArticle: String, inArticle: String) -> String {
        TestPages.withAbout("<div class=content><div class=post>" + paragraphs.map { "<p>\($0)</p>" }.joined()
                            + inArticle + "</div>\(afterArticle)<p>\(posted)</p></div>")
    }

    func text(_ html: String, _ favor: HTMLExtractor.Favor = .balanced) -> String { HTMLExtractor(favor: favor).extract(html).text }

    func testAClosingSentenceWithALinkIsKept() {
        let html = page("", inArticle: "<p>\(closing)</p>")
        for favor in [HTMLExtractor.Favor.balanced, .recall] {
            let out = text(html, favor)
            XCTAssertTrue(out.contains("Visit the museum website for its hours."), out)
            XCTAssertFalse(out.contains("Posted in"), out)
        }
        // Favoring precision takes no short line back.
        XCTAssertFalse(text(html, .precision).contains("Visit the museum"))
    }

    /// After a bad block (a "Posted in" line) rather than right after the last paragraph, the
    /// line is no closing line.
    func testALineAfterABadBlockStaysOut() {
        let out = text(page("", inArticle: "<p>\(posted)</p><p>\(closing)</p>"))
        XCTAssertFalse(out.contains("Visit the museum"), out)
        XCTAssertTrue(out.contains(paragraphs[2]), out)
    }

    /// Set in a box of its own at the article's end (a tools bar with a print link), out of the
    /// paragraphs' flow, or after the article, the line stays out; so does a line mostly linked.
    func testALineOutsideTheArticlesFlowStaysOut() {
        let boxed = text(page("", inArticle: "<div class=tools><p>\(closing)</p><p><a href=/print>Print</a></p></div>"))
        XCTAssertFalse(boxed.contains("Visit the museum"), boxed)
        XCTAssertTrue(boxed.contains(paragraphs[2]), boxed)
        let after = text(page("<div class=tools><p>\(closing)</p></div>", inArticle: ""))
        XCTAssertFalse(after.contains("Visit the museum"), after)
        let link = "<a href=/partner>Read the whole story on our partner site</a> today."
        XCTAssertFalse(text(page("", inArticle: "<p>\(link)</p>")).contains("partner site"))
    }
}

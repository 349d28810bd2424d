import XCTest
@testable import WinnowExtract

/// Issue 16: a quotation is never the article's container. A post that quotes a story at length
/// between its own opening and closing lines kept only the quotation: the element with most of
/// the good text was the `<blockquote>`, and the post's own lines, outside it, were dropped.
/// Found on gold pages' last lines (`bench/extraction/snippets.py`) and checked with
/// `invariance.py`'s `quoted-story`, which sets a page's paragraphs, but its first and last, in a quotation.
final class QuotationTests: XCTestCase {
    let quoted = [
        "The farmer who was convicted of collecting rain water and snow on his own land began his thirty day sentence on Wednesday morning, in the county jail.",
        "He told a small crowd of supporters outside the jail that he was giving up his liberty so that the people of the country could stand up for theirs.",
        "He was found guilty two weeks ago of breaking a law from the nineteen twenties for having three illegal reservoirs on his property, and fined.",
        "He has vowed to go on fighting the penalty, saying that the state has become a bully and that from here on he is going to fight it in every court.",
    ]
    let opening = "Via the news service, the story of the farmer and his ponds:"
    let closing = "Here is audio of the interview with him."

    func page(quote: Bool) -> String {
        let story = quoted.map { "<p>\($0)</p>" }.joined()
        let related = "<div class=related><h3>Related Posts</h3><ul>"
            + (1...4).map { "<li><a href=/p\($0)>Another post number \($0) about something else</a></li>" }.joined() + "</ul></div>"
        return TestPages.withAbout("<div class=post><p>\(opening)</p>\(quote ? "<blockquote>\(story)</blockquote>" : story)<p>\(closing)</p></div>\(related)")
    }

    func testAPostsOwnLinesAroundAQuotationAreKept() {
        let plain = HTMLExtractor().extract(page(quote: false)).text
        let out = HTMLExtractor().extract(page(quote: true)).text
        for line in quoted + [opening, closing] { XCTAssertTrue(out.contains(line), out) }
        XCTAssertEqual(out, plain)
        XCTAssertFalse(out.contains("Another post number"), out)
    }

    /// The quotation's paragraphs in a wrapper of their own inside it, and a lead sentence with
    /// a long link above it ("Below, read the statement…", link-dense): the element around the
    /// outermost quotation is the container, and the lead sentence reads as linked prose beside
    /// the quotation's paragraphs.
    func testAQuotationsWrapperAndALinkedLeadSentence() {
        let lead = "Below, <a href=/statement>read the full statement from the farmer</a> on the sentence he received."
        let story = "<blockquote><div class=inner>" + quoted.map { "<p>\($0)</p>" }.joined() + "</div></blockquote>"
        let blocks = HTMLExtractor().explain(TestPages.withAbout("<div class=post><p>\(lead)</p>\(story)<p>\(closing)</p></div>"))
        let all = blocks.joined(separator: "\n")
        XCTAssertTrue(blocks.contains { $0.hasPrefix("+ bad>near ") && $0.contains("Below, read the full statement from the farmer on the sentence he received.") }, all)
        XCTAssertTrue(blocks.contains { $0.hasPrefix("+ ") && $0.contains(closing) }, all)
        for line in quoted { XCTAssertTrue(blocks.contains { $0.hasPrefix("+ ") && $0.contains(line) }, all) }
    }
}

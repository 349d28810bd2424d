import XCTest
@testable import WinnowExtract

/// Issue 16 (short or near-good blocks next to good content never rescued): a line with a link
/// of its own between the article's paragraphs (a listing's linked address and its price under
/// each headed entry) reads as link-dense and ended the run of content, so every entry lost it.
final class LinkedLinesBetweenParagraphsTests: XCTestCase {
    let entries = [
        ("Seattle, WA", "3103 E Olive St, Seattle WA", "For sale: $599,999",
         "This neighbourhood home recently had a price cut. The three-bedroom house was built in 1929 and has been updated with a new kitchen and new windows."),
        ("Tucson, AZ", "1855 N Camino De Oeste, Tucson AZ", "For sale: $599,000",
         "This stucco home has six bedrooms and sits on three acres outside the city. Built in 1997, it has a large open living room with views of the hills."),
        ("Erie, PA", "3834 Montrose Ave, Erie PA", "For sale: $599,900",
         "This country property sits on a little over two acres near the lake. The farmhouse was restored ten years ago and keeps its original wooden floors."),
    ]
    let intro = "Each week we look at how much house you can get at one price. This week we are looking at homes for sale for about six hundred thousand dollars."

    func text(_ html: String) -> String { HTMLExtractor().extract(html).text }

    /// The text of a page with `line` set between two of the article's paragraphs (both kept).
    func textWith(_ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) -> String {
        let out = text(page("<p>\(entries[0].3)</p>\(line)<p>\(entries[1].3)</p>"))
        XCTAssertTrue(out.contains(entries[0].3) && out.contains(entries[1].3), "lost the paragraphs around the line", file: file, line: lineNumber)
        return out
    }

    func page(_ body: String) -> String {
        "<html><head><title>t</title></head><body>\(TestPages.menu)<div class=post><p>\(intro)</p>\(body)</div>"
            + "<div class=footer><p>Copyright 2012 Example Homes. All rights reserved.</p></div></body></html>"
    }

    /// Each entry: a heading, the linked address and its price, a paragraph. The address lines
    /// are kept with the paragraphs around them (the short headings between are passed over).
    func testAListingsLinkedAddressLinesAreKept() {
        let body = entries.map { "<h3>\($0.0)</h3><p><a href=\"/homes/\($0.1.count)\">\($0.1)</a> \($0.2)</p><p>\($0.3)</p>" }.joined()
        let out = text(page(body))
        for e in entries {
            XCTAssertTrue(out.contains(e.3), "lost \(e.3)")
            XCTAssertTrue(out.contains("\(e.1) \(e.2)"), "lost the entry's address line: \(e.1)")
        }
    }

    /// A borderline paragraph (one sentence) on one side, a good one on the other, and more
    /// of the article beyond both: the line is inside the article and is kept. The same kind
    /// of line between the last good paragraph and a borderline closing sentence, with no good
    /// paragraph after it, is at the article's edge: a line of several links there ("Download the
    /// report … or read it online") stays out (a line of one link there is a closing line, below).
    func testALinkedLineNextToABorderlineParagraphIsKeptInsideTheArticleOnly() {
        let out = text(page(bodyWithEdgeLine("<p><a href=\"/report\">Download the report</a> as a PDF of 575 KB or <a href=\"/report/web\">read it online</a></p>")))
        XCTAssertTrue(out.contains("\(entries[0].1) \(entries[0].2)"), "lost the address line between the paragraphs")
        XCTAssertTrue(out.hasSuffix(borderlineClosing), "lost the closing sentence")
        XCTAssertFalse(out.contains("Download the report"), "kept the link line at the article's edge")
    }

    /// A line of one link between the last good paragraph and a borderline closing sentence is
    /// the article's closing line: kept, but when favouring precision.
    func testAClosingLineOfOneLinkBeforeABorderlineClosingSentenceIsKept() {
        let html = page(bodyWithEdgeLine("<p><a href=\"/report\">Download the full price report</a> as a PDF of 575 KB</p>"))
        XCTAssertTrue(text(html).contains("Download the full price report as a PDF of 575 KB\n\(borderlineClosing)"), "lost the closing line")
        XCTAssertFalse(HTMLExtractor(favor: .precision).extract(html).text.contains("Download the full price report"), "kept the closing line when favouring precision")
    }

    let borderlineClosing = "The agent says the owners want to move before the winter starts."

    /// An article of a borderline sentence between two good paragraphs, a linked address line
    /// after it, two more good paragraphs, `edgeLine` and the borderline sentence again to close.
    func bodyWithEdgeLine(_ edgeLine: String) -> String {
        "<p>\(entries[0].3)</p><p>\(borderlineClosing)</p><p><a href=\"/homes/27\">\(entries[0].1)</a> \(entries[0].2)</p>"
            + "<p>\(entries[1].3)</p><p>\(entries[2].3)</p>\(edgeLine)<p>\(borderlineClosing)</p>"
    }

    /// A borderline paragraph before the line with a good one beyond it, and the article's last
    /// good paragraph after it: the line is inside the article (nothing beyond the good side
    /// need follow), and is kept.
    func testALinkedLineAfterABorderlineParagraphBeforeTheLastGoodOneIsKept() {
        let short = "The agent says the owners want to move before the winter starts."
        let body = "<p>\(entries[0].3)</p><p>\(short)</p><p><a href=\"/homes/27\">\(entries[1].1)</a> \(entries[1].2)</p><p>\(entries[1].3)</p>"
        let out = text(page(body))
        XCTAssertTrue(out.contains(entries[1].3))
        XCTAssertTrue(out.contains("\(entries[1].1) \(entries[1].2)"), "lost the address line before the last paragraph")
    }

    /// A borderline opening sentence with no good paragraph before it: the line after it is at
    /// the article's edge, and stays out.
    func testALinkedLineAfterABorderlineOpeningStaysOut() {
        let html = "<html><head><title>t</title></head><body>\(TestPages.menu)<div class=post><p>The agent says the owners want to move before the winter starts.</p>"
            + "<p><a href=\"/homes/27\">\(entries[0].1)</a> \(entries[0].2)</p><p>\(entries[0].3)</p><p>\(entries[1].3)</p></div></body></html>"
        let out = text(html)
        XCTAssertTrue(out.contains(entries[0].3) && out.contains(entries[1].3))
        XCTAssertFalse(out.contains(entries[0].1), "kept the line at the article's edge")
    }

    /// An embedded post that did not load leaves its stub: a `<blockquote>` whose only text is
    /// the credit line. Its wrappers hold one block each, so the line reads as one of the
    /// article's flow; as all the text of a quotation it stays out.
    func testAnEmbedStubStaysOut() {
        let out = textWith("<blockquote class=\"instagram-media\"><div><div></div><p><a href=\"https://www.instagram.com/p/1/\">A post shared by Jane Doe</a> (@janedoe) on <time>May 20, 2018 at 4:26am PDT</time></p></div></blockquote>")
        XCTAssertFalse(out.contains("A post shared by"), "kept an embed's stub")
    }

    /// An inline "Read more" line is mostly its link (another story's title): it stays out.
    func testAReadMoreLineBetweenParagraphsStaysOut() {
        let out = textWith("<p><strong>Read more:</strong> <a href=\"/other\">Another story about something else entirely</a></p>")
        XCTAssertFalse(out.contains("Another story about something else"), "kept the read-more line")
    }

    /// A "[Top]" link between sections has too few words to be a line of the article.
    func testABackToTopLinkStaysOut() {
        let out = textWith("<p>[<a href=\"#top\">Top</a>]</p>")
        XCTAssertFalse(out.contains("Top"), "kept the back-to-top link")
    }

    /// An embedded post's credit line, after the quoted post inside its `<blockquote>`, is not
    /// in the article's flow: it stays out, though a paragraph of the article follows (the same
    /// line set bare between the paragraphs is kept).
    func testAnEmbedsCreditLineStaysOut() {
        let quote = "What a night it was at the old theatre, thank you all for coming out to see the show, and we hope to see every one of you again next year."
        let out = textWith("<blockquote class=\"embed\"><p>\(quote)</p><p>A post shared by <a href=\"/janedoe\">Jane Doe</a> (@janedoe) on <a href=\"/p/1\">March 3, 2017</a></p></blockquote>")
        XCTAssertFalse(out.contains("A post shared by"), "kept the embed's credit line")
        let bare = textWith("<p>A post shared by <a href=\"/janedoe\">Jane Doe</a> (@janedoe) on <a href=\"/p/1\">March 3, 2017</a></p>")
        XCTAssertTrue(bare.contains("A post shared by Jane Doe"), "lost the same line set bare between the paragraphs")
    }

    // The article's end: a closing line with one link after the last good paragraph.

    let writeTo = "Write to Jane Doe at <a href=\"mailto:jane.doe@example.com\">jane.doe@example.com</a>"
    let shareLine = "<p><a href=\"/share/fb\">Facebook</a> | <a href=\"/share/tw\">Twitter</a> | <a href=\"/share/mail\">Email</a></p>"

    /// "Write to … at <address>" after the last paragraph, a line of share links after it: the
    /// closing line is the article's and is kept; the share links are not.
    func testAClosingLineWithOneLinkAfterTheLastParagraphIsKept() {
        let out = text(page("<p>\(entries[0].3)</p><p>\(entries[1].3)</p><p>\(writeTo)</p>\(shareLine)"))
        XCTAssertTrue(out.contains(entries[1].3))
        XCTAssertTrue(out.hasSuffix("Write to Jane Doe at jane.doe@example.com"), "lost the closing line: \(out)")
    }

    /// Asserts that `closing` (markup) after the article's last two paragraphs, a share line
    /// after it, leaves its text (`probe`) out, and keeps the last paragraph.
    func assertClosingLineStaysOut(_ closing: String, _ probe: String, _ message: String, favor: HTMLExtractor.Favor = .balanced,
                                   file: StaticString = #filePath, line: UInt = #line) {
        let out = HTMLExtractor(favor: favor).extract(page("<p>\(entries[0].3)</p><p>\(entries[1].3)</p>\(closing)\(shareLine)")).text
        XCTAssertTrue(out.contains(entries[1].3), "lost the last paragraph", file: file, line: line)
        XCTAssertFalse(out.contains(probe), message, file: file, line: line)
    }

    /// `favor: precision` leaves the closing line out, as it leaves out short closing lines.
    func testAClosingLineStaysOutWhenFavouringPrecision() {
        assertClosingLineStaysOut("<p>\(writeTo)</p>", "Write to Jane Doe", "kept the closing line when favouring precision", favor: .precision)
    }

    /// A closing line of several links ("Follow us on Facebook, Twitter and YouTube", tags,
    /// page numbers) stays out, though it is no more link-dense than the one-link line.
    func testAClosingLineOfSeveralLinksStaysOut() {
        assertClosingLineStaysOut("<p>Follow our team on <a href=\"/fb\">Facebook</a>, <a href=\"/tw\">Twitter</a> and <a href=\"/yt\">YouTube</a></p>",
                                  "Follow our team", "kept a closing line of several links")
    }

    /// A line with one link in a box of its own at the article's foot (an author box of two
    /// lines inside the post's container; a wrapper of one block is no box of its own) is not
    /// in the paragraphs' flow and stays out.
    func testAClosingLineOutsideTheArticlesFlowStaysOut() {
        assertClosingLineStaysOut("<div class=note><p>\(writeTo)</p><p>Jane Doe writes about homes</p></div>",
                                  "Write to Jane Doe", "kept a line from a box outside the article's flow")
    }

    /// Links with only a space between them ("Facebook Twitter") are several links, not one run.
    func testAClosingLineOfLinksSetSideBySideStaysOut() {
        assertClosingLineStaysOut("<p>Follow the Example Homes property team on <a href=\"/fb\">Facebook</a> <a href=\"/tw\">Twitter</a> <a href=\"/ig\">Instagram</a></p>",
                                  "Follow the Example Homes property team", "kept a closing line of links set side by side")
    }

    /// The closing line as the page's last block (no share line, no footer after it) is kept.
    func testAClosingLineAtThePagesEndIsKept() {
        let html = "<html><head><title>t</title></head><body>\(TestPages.menu)<div class=post><p>\(intro)</p><p>\(entries[0].3)</p><p>\(entries[1].3)</p><p>\(writeTo)</p></div></body></html>"
        XCTAssertTrue(text(html).hasSuffix("Write to Jane Doe at jane.doe@example.com"), "lost the closing line at the page's end")
    }
}

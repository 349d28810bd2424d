import XCTest
@testable import WinnowExtract

/// Issue 16 (tables dropped next to good content): a data table set between the article's
/// paragraphs whose first cells are links (a league table, a cast list) reads as link-dense row
/// by row, and was dropped whole. Found with an `inserted.py`-style change (such a table after a
/// page's middle paragraph: kept on 2 of 313 pages, trafilatura 304 of 321), not on gold text.
final class TablesInFlowTests: XCTestCase {
    let before = "The league has never been this close with three games left. Riverside United lead by three points after a draw at home on Saturday afternoon."
    let after = "Hill Town play Old Harbour next week, and a win for either of them would leave the title race open until the very last day of the season."
    let teams = [("Riverside United", "54"), ("Hill Town", "51"), ("Old Harbour", "47"), ("North Quay", "45")]

    func text(_ html: String) -> String { HTMLExtractor().extract(html).text }

    /// A table of one row per team (`row(i, name)`) under `head`, set between the paragraphs.
    func textWithTable(_ head: String, _ row: (Int, String) -> String) -> String {
        text(page(head + teams.enumerated().map { row($0.offset, $0.element.0) }.joined() + "</table>"))
    }

    func page(_ table: String) -> String {
        "<html><head><title>t</title></head><body>\(TestPages.menu)<div class=story><p>\(before)</p>\(table)<p>\(after)</p></div>"
            + "<div class=footer><p>Copyright 2018 Example Sport. All rights reserved.</p></div></body></html>"
    }

    /// Each row: the team's name (a link to its page) and its points. The table is kept.
    func testALeagueTableBetweenParagraphsIsKept() {
        let table = "<table><tr><th>Team</th><th>Points</th></tr>"
            + teams.enumerated().map { "<tr><td><a href=\"/team/\($0.offset)\">\($0.element.0)</a></td><td>\($0.element.1)</td></tr>" }.joined() + "</table>"
        let out = text(page(table))
        XCTAssertTrue(out.contains(before) && out.contains(after))
        for t in teams { XCTAssertTrue(out.contains("\(t.0) \(t.1)"), "lost the row of \(t.0)") }
    }

    /// The same table marked up with a `<thead>` and a `<tbody>` (a row group each) is kept.
    func testALeagueTableWithAHeadAndABodyIsKept() {
        let out = text(page("<table><thead><tr><th>Team</th><th>Points</th></tr></thead><tbody>"
            + teams.enumerated().map { "<tr><td><a href=\"/team/\($0.offset)\">\($0.element.0)</a></td><td>\($0.element.1)</td></tr>" }.joined() + "</tbody></table>"))
        XCTAssertTrue(out.contains("Team Points"), "lost the table's head")
        for t in teams { XCTAssertTrue(out.contains("\(t.0) \(t.1)"), "lost the row of \(t.0)") }
    }

    /// A table at the article's edge, after its last paragraph and before a line of links that
    /// is not kept (the site's other stories, each a linked title and its date): it is not known
    /// to be the article's, and stays out.
    func testATableAtTheArticlesEdgeStaysOut() {
        let html = "<html><head><title>t</title></head><body>\(TestPages.menu)<div class=story><p>\(before)</p><p>\(after)</p><table>"
            + teams.enumerated().map { "<tr><td><a href=\"/story/\($0.offset)\">More news from \($0.element.0)</a></td><td>March \($0.offset + 3)</td></tr>" }.joined()
            + "</table><p><a href=/share/fb>Share on Facebook</a> <a href=/share/tw>Share on Twitter</a></p></div></body></html>"
        let out = text(html)
        XCTAssertTrue(out.contains(after))
        XCTAssertFalse(out.contains("More news from"), "kept a table at the article's edge")
    }

    /// A table of links and nothing else under its header (each row two linked cells) is a
    /// box of links: it stays out, its header too.
    func testATableOfLinksOnlyStaysOut() {
        let out = textWithTable("<table><tr><th>Club</th><th>Next match</th></tr>") {
            "<tr><td><a href=\"/team/\($0)\">\($1)</a></td><td><a href=\"/fixtures/\($0)\">Fixtures of \($1)</a></td></tr>"
        }
        XCTAssertTrue(out.contains(after))
        XCTAssertFalse(out.contains("Fixtures of"), "kept a table of links")
        XCTAssertFalse(out.contains("Next match"), "kept the header of a table of links")
    }

    /// A table of contents set between the article's introduction and its body, each in a
    /// container of its own (each row a link to a section and its page): the paragraphs
    /// around it are in other flows than the one that holds it, and it stays out.
    func testATableBetweenTwoContainersOfTheArticleStaysOut() {
        let sections = ["Uniform", "Welcome", "Graduation", "Badges"]
        let html = "<html><head><title>t</title></head><body>\(TestPages.menu)<div class=page><div class=intro><p>\(before)</p><p>\(after)</p></div>"
            + "<table>" + sections.map { "<tr><td><a href=\"#\($0)\">The \($0.lowercased()) ceremony of the den</a></td><td>page \($0.count)</td></tr>" }.joined() + "</table>"
            + "<div class=body><p>\(after)</p><p>\(before)</p></div></div></body></html>"
        let out = text(html)
        XCTAssertTrue(out.contains(before) && out.contains(after))
        XCTAssertFalse(out.contains("ceremony of the den"), "kept a table of contents between the article's parts")
    }

    /// A floated "related reading" box set in a layout table: a bullet image beside each linked
    /// title and its source. Each row has one cell of text: it stays out.
    func testARelatedReadingBoxInALayoutTableStaysOut() {
        let out = textWithTable("<table align=right width=194>") {
            "<tr><td><img src=/bullet.gif width=4 height=4></td><td><a href=\"/read/\($0)\">The story of \($1)</a> by a staff writer, March 2005</td></tr>"
        }
        XCTAssertTrue(out.contains(after))
        XCTAssertFalse(out.contains("The story of"), "kept a related-reading box")
    }
}

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

    /// A page of the site's menu and `body`.
    func shell(_ body: String) -> String { "<html><head><title>t</title></head><body>\(TestPages.menu)\(body)</body></html>" }

    /// One table row per team, `row(i)` for `teams[i]`.
    func rows(_ row: (Int) -> String) -> String { teams.indices.map(row).joined() }

    /// Each row: the team's name (a link to its page) and its points.
    var leagueRows: String { rows { "<tr><td><a href=\"/team/\($0)\">\(teams[$0].0)</a></td><td>\(teams[$0].1)</td></tr>" } }

    /// The text of `html`, asserted to keep the article's paragraphs and to leave `table`'s text out.
    @discardableResult
    func assertLeavesOut(_ html: String, _ tableText: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let out = text(html)
        XCTAssertTrue(out.contains(before) && out.contains(after), "lost the article's paragraphs", file: file, line: line)
        XCTAssertFalse(out.contains(tableText), message, file: file, line: line)
        return out
    }

    func page(_ table: String) -> String {
        shell("<div class=story><p>\(before)</p>\(table)<p>\(after)</p></div><div class=footer><p>Copyright 2018 Example Sport. All rights reserved.</p></div>")
    }

    /// Each row: the team's name (a link to its page) and its points. The table is kept.
    func testALeagueTableBetweenParagraphsIsKept() {
        let out = text(page("<table><tr><th>Team</th><th>Points</th></tr>\(leagueRows)</table>"))
        XCTAssertTrue(out.contains(before) && out.contains(after))
        for t in teams { XCTAssertTrue(out.contains("\(t.0) \(t.1)"), "lost the row of \(t.0)") }
    }

    /// The same table marked up with a `<thead>` and a `<tbody>` (a row group each) is kept.
    func testALeagueTableWithAHeadAndABodyIsKept() {
        let out = text(page("<table><thead><tr><th>Team</th><th>Points</th></tr></thead><tbody>\(leagueRows)</tbody></table>"))
        XCTAssertTrue(out.contains("Team Points"), "lost the table's head")
        for t in teams { XCTAssertTrue(out.contains("\(t.0) \(t.1)"), "lost the row of \(t.0)") }
    }

    /// A table at the article's edge, after its last paragraph and before a line of links that
    /// is not kept (the site's other stories, each a linked title and its date): it is not known
    /// to be the article's, and stays out.
    func testATableAtTheArticlesEdgeStaysOut() {
        assertLeavesOut(shell("<div class=story><p>\(before)</p><p>\(after)</p><table>"
            + rows { "<tr><td><a href=\"/story/\($0)\">More news from \(teams[$0].0)</a></td><td>March \($0 + 3)</td></tr>" }
            + "</table><p><a href=/share/fb>Share on Facebook</a> <a href=/share/tw>Share on Twitter</a></p></div>"),
                        "More news from", "kept a table at the article's edge")
    }

    /// The share links after the article (not kept).
    let shareLinks = "<p><a href=/share/fb>Share on Facebook</a> <a href=/share/tw>Share on Twitter</a></p>"

    /// A league table with a head row after the article's last paragraph, nothing kept after
    /// it: the article's closing table, kept.
    func testALeagueTableWithAHeadAtTheArticlesEndIsKept() {
        let out = text(shell("<div class=story><p>\(before)</p><p>\(after)</p><table><tr><th>Team</th><th>Points</th></tr>\(leagueRows)</table>\(shareLinks)</div>"))
        XCTAssertTrue(out.contains(after))
        for t in teams { XCTAssertTrue(out.contains("\(t.0) \(t.1)"), "lost the row of \(t.0)") }
        XCTAssertFalse(out.contains("Share on Facebook"))
    }

    /// The same table in a widget of its own after the article's last paragraph (the table and
    /// a link to the full standings) is not set in the article's flow: it stays out.
    func testALeagueTableInAWidgetAfterTheArticleStaysOut() {
        let widget = "<div class=standings><table><tr><th>Team</th><th>Points</th></tr>\(leagueRows)</table><p><a href=/standings>Full standings</a></p></div>"
        let out = text(shell("<div class=story><p>\(before)</p><p>\(after)</p>\(widget)\(shareLinks)</div>"))
        XCTAssertTrue(out.contains(after))
        XCTAssertFalse(out.contains("Riverside United 54"), "kept a table from a widget after the article")
    }

    /// The same table before a share bar the article drops, with the article going on after it
    /// (`inserted.py`'s tables mid-article: last stop's misses), is the article's: kept; the bar
    /// is not.
    func testALeagueTableWithAHeadBeforeADroppedShareBarMidArticleIsKept() {
        let table = "<table><tr><th>Team</th><th>Points</th></tr>\(leagueRows)</table>"
        let out = text(shell("<div class=story><p>\(before)</p>\(table)\(shareLinks)<p>\(after)</p></div>"))
        XCTAssertTrue(out.contains(before) && out.contains(after))
        for t in teams { XCTAssertTrue(out.contains("\(t.0) \(t.1)"), "lost the row of \(t.0)") }
        XCTAssertFalse(out.contains("Share on Facebook"))
    }

    /// A table of links and nothing else under its header (each row two linked cells) is a
    /// box of links: it stays out, its header too.
    func testATableOfLinksOnlyStaysOut() {
        let out = assertLeavesOut(page("<table><tr><th>Club</th><th>Next match</th></tr>" + rows {
            "<tr><td><a href=\"/team/\($0)\">\(teams[$0].0)</a></td><td><a href=\"/fixtures/\($0)\">Fixtures of \(teams[$0].0)</a></td></tr>"
        } + "</table>"), "Fixtures of", "kept a table of links")
        XCTAssertFalse(out.contains("Next match"), "kept the header of a table of links")
    }

    /// A table of contents set between the article's introduction and its body, each in a
    /// container of its own (each row a link to a section and its page): the paragraphs
    /// around it are in other flows than the one that holds it, and it stays out.
    func testATableBetweenTwoContainersOfTheArticleStaysOut() {
        let sections = ["Uniform", "Welcome", "Graduation", "Badges"]
        assertLeavesOut(shell("<div class=page><div class=intro><p>\(before)</p><p>\(after)</p></div><table>"
            + sections.map { "<tr><td><a href=\"#\($0)\">The \($0.lowercased()) ceremony of the den</a></td><td>page \($0.count)</td></tr>" }.joined()
            + "</table><div class=body><p>\(after)</p><p>\(before)</p></div></div>"),
                        "ceremony of the den", "kept a table of contents between the article's parts")
    }

    /// A floated "related reading" box set in a layout table: a bullet image beside each linked
    /// title and its source. Each row has one cell of text: it stays out.
    func testARelatedReadingBoxInALayoutTableStaysOut() {
        assertLeavesOut(page("<table align=right width=194>" + rows {
            "<tr><td><img src=/bullet.gif width=4 height=4></td><td><a href=\"/read/\($0)\">The story of \(teams[$0].0)</a> by a staff writer, March 2005</td></tr>"
        } + "</table>"), "The story of", "kept a related-reading box")
    }
    /// A lineage table of a personal page: a head row of `<th>` cells, and rows whose name and
    /// title are links in some rows (link-dense) and plain in others. The classes keep every
    /// other row; under a head row half the rows kept is enough to keep the table whole. Without
    /// the head row the link-dense rows stay out (the rule reads the head, not the share alone).
    func testAHeadedTableWhoseRowsTheClassesSplitIsKeptWhole() {
        let people = [("Ada Lovelace", "Notes on the Analytical Engine of Charles Babbage", "1843", "Augustus De Morgan"),
                      ("Augustus De Morgan", "Formal Logic, or the Calculus of Inference, Necessary and Probable", "1847", "George Peacock"),
                      ("George Peacock", "A Treatise on Algebra in Two Volumes for Students", "1830", "Adam Sedgwick"),
                      ("Adam Sedgwick", "Lectures on the Geology of the Lake District", "1818", "Thomas Jones"),
                      ("Thomas Jones", "No dissertation on record for this teacher", "1782", "Thomas Postlethwaite"),
                      ("Thomas Postlethwaite", "No dissertation on record for this teacher", "1756", "Stephen Whisson")]
        let body = people.enumerated().map { i, p in
            let title = i % 2 == 0 ? "<a href=/d\(i).pdf>\(p.1)</a>" : p.1
            return "<tr><td>\(i)</td><td><a href=/p\(i)>\(p.0)</a></td><td>\(title)</td><td>Trinity College</td><td>\(p.2)</td><td>\(p.3)</td></tr>"
        }.joined()
        let head = "<thead><tr><th></th><th>Name</th><th>Dissertation</th><th>University</th><th>Year</th><th>Advisor</th></tr></thead>"
        let note = "The genealogy before Stephen Whisson can be explored in the records of the university, which list every fellow and the "
            + "tutor who taught him. The records go back to the founding of the college, and each entry names the fellow's county, his "
            + "school, the year he came up and the tutor he read with, so the line can be followed for two centuries more."
        // (Headless, the line above the table ends in a full stop: ending in a colon it would
        // announce the table, which is then kept whole by `isIntroduction`, with or without a head.)
        func lineage(_ head: String, _ line: String = "Here is a table of my teachers and their teachers:") -> String {
            shell("<div class=content><h1>Academic lineage</h1><p>\(line)</p>"
                  + "<table>\(head)<tbody>\(body)</tbody></table><p>\(note)</p></div>")
        }
        let out = text(lineage(head))
        XCTAssertTrue(out.contains(note))
        XCTAssertTrue(out.contains("Name Dissertation University Year Advisor"), "lost the head row")
        for (i, p) in people.enumerated() { XCTAssertTrue(out.contains("\(i) \(p.0) \(p.1)"), "lost the row of \(p.0)") }
        let headless = text(lineage("", "My teachers and their teachers are in the table below."))
        XCTAssertTrue(headless.contains("1 Augustus De Morgan") && !headless.contains("0 Ada Lovelace"))
    }
    /// A personal page's lineage table under its section's heading and a line announcing it
    /// ("Here is a table with my five most recent academic ancestors:"), its rows link-dense by
    /// their names, universities and advisors: nothing kept above it, the line and the table
    /// held each other out. The line announces the table: both are kept, and the heading
    /// above (a bench WARC page; trafilatura keeps them). A label too short to be a sentence
    /// ("Our partners:") announces nothing.
    func testATableAnnouncedByALineIsKeptWithTheLineAndItsHeading() {
        // (The first two rows borderline, the rest bad: the rows end the run the line is in.)
        let people = [("Luca Rossini", "Natural Language Processing, Information Retrieval", "The Knowledge and Language Gap in Medical Information Seeking", "Georgetown University", "2018", "Nina Goldman"),
                      ("Nina Goldman", "Information Retrieval, Natural Language Processing", "A Sparse Matrix Approach for Information Retrieval", "Florida Institute of Technology", "2001", "Tarek El-Ghazi"),
                      ("Tarek El-Ghazi", "Distributed Systems", "Theory and Design of a Real-Time Motion Detection Computer System", "New Mexico State University", "1988", "Gerald Flachs"),
                      ("Gerald Flachs", "Computer Vision", "Stability and Cut Points of Probabilistic Automata", "Michigan State University", "1967", "James Frame"),
                      ("James Frame", "Mathematics", "The Theory of Tables of Group Characteristics", "Harvard University", "1933", "Henry Brinkman")]
        func university(_ u: String) -> String { u.contains("University") ? "<a href=/u>\(u)</a>" : u }
        let table = "<table><thead><tr><th>Name</th><th>Field</th><th>Dissertation</th><th>University</th><th>Year</th><th>Advisor</th></tr></thead><tbody>"
            + people.map { "<tr><td><a href=/p>\($0.0)</a></td><td>\($0.1)</td><td>\($0.2)</td><td>\(university($0.3))</td><td>\($0.4)</td><td><a href=/a>\($0.5)</a></td></tr>" }.joined()
            + "</tbody></table>"
        let notes = ["After obtaining a degree from Harvard University, James Frame went on to teach at Michigan State University for decades, where he supervised many doctoral students in mathematics and wrote on group theory.",
                     "After obtaining a bachelor's degree from Yale University, Henry Brinkman did not pursue a doctorate, as no American university offered one at the time; he studied in Paris for a year instead.",
                     "His teacher does not seem to have published a dissertation; historians indicate that his first published work was a memoir on the geometry of surfaces, read before the academy in 1814.",
                     "Soon after starting his university studies in 1798, that teacher was noted by two professors, who became his mentors and supported his election to the academy a few years later."]
        func lineage(_ line: String) -> String {
            shell("<div id=content><h2>Academic Lineage</h2><p>\(line)</p>\(table)<p>The genealogy before them can be explored on the "
                  + "<a href=https://example.org/genealogy>Math Genealogy project</a>.</p>" + notes.map { "<p>\($0)</p>" }.joined() + "</div>")
        }
        let announced = "Here is a table with my five most recent academic ancestors:"
        let out = text(lineage(announced))
        for n in notes { XCTAssertTrue(out.contains(n), "lost \(n)") }
        XCTAssertTrue(out.contains("Academic Lineage\n\(announced)\nName Field Dissertation University Year Advisor"), "lost the heading, the line or the head row:\n\(out)")
        for p in people { XCTAssertTrue(out.contains("\(p.0) \(p.1) \(p.2)"), "lost the row of \(p.0)") }
        // Headless, the line still announces the table.
        let headless = text(lineage(announced).replacingOccurrences(of: "<thead><tr><th>Name</th><th>Field</th><th>Dissertation</th><th>University</th><th>Year</th><th>Advisor</th></tr></thead>", with: ""))
        for p in people { XCTAssertTrue(headless.contains("\(p.0) \(p.1) \(p.2)"), "lost the row of \(p.0) with no head row:\n\(headless)") }
        let label = text(lineage("Our partners:"))
        XCTAssertTrue(label.contains(notes[0]))
        XCTAssertFalse(label.contains("Our partners:") || label.contains("Tarek El-Ghazi Distributed Systems"), "a label announced the table:\n\(label)")
    }

    /// A table of the site's other stories after the share bar that ends the article, under its
    /// box's heading and a line announcing it ("Read more stories on this subject:"), with a head
    /// row and nothing kept after it: the line stands in for a kept block above a table only
    /// when the article goes on after the table. It stays out, the line and the heading too.
    func testATableAnnouncedAfterTheArticlesEndStaysOut() {
        let story = ["The city council voted on Tuesday to rebuild the old bridge over the river, ending a debate that has lasted for more than ten years and divided the town.",
                     "Work is due to start next spring, and the council expects the new bridge to open to traffic two years later, at a cost of about forty million dollars.",
                     "Residents who live near the bridge will be able to comment on the plans at three public meetings in the town hall, the first of them in early March.",
                     "The mayor said the new bridge would carry two lanes of traffic, a cycle path and a wide footpath, and that the old stone piers would be kept as a monument."]
        let related = ["Council approves budget for the new year", "Old bridge closed after storm damage", "Cyclists ask for a safer river crossing"]
        let table = "<h3>More from the newsroom</h3><p>Read more stories on this subject:</p><table><tr><th>Story</th><th>Date</th></tr>"
            + related.enumerated().map { "<tr><td><a href=/r\($0.offset)>\($0.element)</a></td><td>March \($0.offset + 3)</td></tr>" }.joined() + "</table>"
        // (A share bar of three links: a lone short line of links does not end the article's run.)
        let share = "<p><a href=/share/fb>Share on Facebook</a> <a href=/share/tw>Share on Twitter</a> <a href=/share/mail>Email this story</a></p>"
        let out = text(shell("<div class=story><h1>Bridge to be rebuilt</h1>" + story.map { "<p>\($0)</p>" }.joined() + share + table + "</div>"))
        for p in story { XCTAssertTrue(out.contains(p), "lost \(p)") }
        XCTAssertFalse(out.contains("Council approves budget") || out.contains("Read more stories") || out.contains("More from the newsroom"),
                       "kept a table announced after the article's end:\n\(out)")
    }
}

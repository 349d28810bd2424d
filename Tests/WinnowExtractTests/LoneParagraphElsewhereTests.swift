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
    let story = TestPages.story
    let notice = TestPages.browserNotice
    // (The story's four paragraphs hold 588 bytes, the notice 263: under seven tenths of the
    // good text is the story's, and the notice is under half of it.)
    let tail = ["What's your reaction?", "Receive email alerts on:", "Follow us"]

    func text(_ html: String) -> String { HTMLExtractor().extract(html).text }

    /// The story in its container, short lines after it in the page's wrapper (and the site's
    /// footer), then `extra`.
    func page(_ paragraphs: [String], extra: String, footer: Bool = true) -> String {
        "<html><head><title>t</title></head><body>\(TestPages.menu)<div id=wrap><div id=main><div class=story>"
            + paragraphs.map { "<p>\($0)</p>" }.joined() + "</div></div>" + tail.map { "<div>\($0)</div>" }.joined()
            + (footer ? TestPages.footer : "")
            + "</div>\(extra)</body></html>"
    }

    /// `above`, then the first two paragraphs of the story in its container three levels down.
    func pageWithShortStory(below above: String) -> String {
        "<html><head><title>t</title></head><body>\(above)<div id=wrap><div id=main><div class=story>"
            + story.prefix(2).map { "<p>\($0)</p>" }.joined() + "</div></div></div></body></html>"
    }

    /// A site notice after the footer, under half the story's text: the story stays, the notice
    /// and the lines between go.
    func testASiteNoticeAfterTheFooterDoesNotJoinAShortStory() {
        let out = text(page(story, extra: "<div id=note><p><strong>\(notice)</strong></p></div>"))
        for s in story { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the site notice:\n\(out)")
        for t in tail { XCTAssertFalse(out.contains(t), "kept a line after the story: \(t)\n\(out)") }
    }

    /// Under half the story's text, the notice goes with no footer between them too.
    func testANoticeUnderHalfTheStorysTextGoesWithoutAFooter() {
        let out = text(page(story, extra: "<div id=note><p><strong>\(notice)</strong></p></div>", footer: false))
        for s in story { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the site notice:\n\(out)")
    }

    /// The same paragraph as a quotation in a column above the site's menu, over a story of
    /// two paragraphs. (Right above the story, a paragraph can be its standfirst, which the
    /// lead-in rule takes.)
    func testAQuotationInAColumnAboveTheMenuGoes() {
        let out = text(pageWithShortStory(below: "<div class=rail><blockquote><p>\(notice)</p></blockquote></div>\(TestPages.menu)"))
        for s in story.prefix(2) { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the column's paragraph:\n\(out)")
    }

    /// A story of two paragraphs holds under twice the notice's text. Below the footer, the
    /// notice is still the site's: it goes.
    func testANoticeBelowTheFooterGoesFromAStoryOfAsMuchText() {
        let out = text(page(Array(story.prefix(2)), extra: "<div id=note><p><strong>\(notice)</strong></p></div>"))
        for s in story.prefix(2) { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the site notice:\n\(out)")
    }

    /// With no boilerplate between them, which of the two is the page's is not told by size:
    /// both stay, as before.
    func testAParagraphOverHalfTheStorysTextAndNoBoilerplateBetweenStays() {
        let out = text(page(Array(story.prefix(2)), extra: "<div id=note><p><strong>\(notice)</strong></p></div>", footer: false))
        for s in story.prefix(2) { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertTrue(out.contains("best viewed"), "dropped the other paragraph:\n\(out)")
    }

    /// Below the footer but longer than a story of one paragraph: the container of most good
    /// text holds both, and both stay.
    func testAParagraphLongerThanTheStoryStaysBelowTheFooter() {
        let out = text(page([story[0]], extra: "<div id=note><p><strong>\(notice)</strong></p></div>"))
        XCTAssertTrue(out.contains(story[0]), "lost the story:\n\(out)")
        XCTAssertTrue(out.contains("best viewed"), "dropped the longer paragraph:\n\(out)")
    }

    /// Two paragraphs past a share bar (the story continued in a container of its own) are no
    /// lone notice: the share rule decides, and keeps them.
    func testTwoParagraphsPastAShareBarAreNoLoneNotice() {
        let more = ["The council will publish the full plans for the bridge on its website next week, together with the cost of each stage of the work.",
                    "A second vote, on the money for the road on the far bank, is due in the autumn, after the first of the public meetings has been held."]
        let html = "<html><head><title>t</title></head><body>\(TestPages.menu)<div id=wrap><div id=main><div class=story>"
            + story.map { "<p>\($0)</p>" }.joined() + "</div></div>"
            + "<ul class=share><li><a href=/tw>Tweet</a></li><li><a href=/fb>Share</a></li></ul>"
            + "<div class=more>" + more.map { "<p>\($0)</p>" }.joined() + "</div></div></body></html>"
        let out = text(html)
        for s in story + more { XCTAssertTrue(out.contains(s), "lost \(s)\n\(out)") }
    }

    /// A story told in list items (a numbered guide) with the notice below the footer: the
    /// notice stands alone among links, and goes.
    func testANoticeBelowAStoryInListItemsGoes() {
        let html = "<html><head><title>t</title></head><body>\(TestPages.menu)<div id=wrap><div id=main><ol class=story>"
            + story.map { "<li>\($0)</li>" }.joined() + "</ol></div>"
            + "<ul class=footer><li><a href=/a>About</a></li><li><a href=/c>Contact</a></li></ul></div>"
            + "<div id=note><p><strong>\(notice)</strong></p></div></body></html>"
        let out = text(html)
        for s in story { XCTAssertTrue(out.contains(s), "lost \(s)\n\(out)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the site notice:\n\(out)")
    }

    /// A page's one good paragraph between two borderline ones, above the footer, and a list
    /// of steps below it that holds twice its text: the paragraph has prose beside it, and the
    /// steps are list items, not an article's paragraphs, so it is no lone notice.
    func testAParagraphAmongThePagesProseIsNoLoneNotice() {
        let prose = ["Get to know the features that make it the most complete browser for building the Web.",
                     "Developer Edition comes with a new profile so you can run it alongside other versions of Firefox. To access your "
                        + "bookmarks, browsing history and more, you need to sync the profile with Firefox Sync, which takes a minute or two on most machines.",
                     "Examine the HTML and CSS of any Web page and easily modify the structure and layout of a page."]
        let steps = (1...4).map { "Step \($0): open the menu, choose the settings page and look for the section on profiles, then follow the instructions shown there to finish." }
        let html = "<html><head><title>t</title></head><body>\(TestPages.menu)<div class=intro>" + prose.map { "<p>\($0)</p>" }.joined() + "</div>"
            + TestPages.footer
            + "<div id=wrap><div id=main><ol class=steps>" + steps.map { "<li>\($0)</li>" }.joined() + "</ol></div></div></body></html>"
        let out = text(html)
        XCTAssertTrue(out.contains(prose[1]), "lost the page's own paragraph:\n\(out)")
        for s in steps { XCTAssertTrue(out.contains(s), "lost \(s)") }
    }

    /// A subscriber notice below the footer with a borderline line beside it ("Distribution
    /// and use of this material are governed by …"): it does not stand alone, but the story's
    /// container holds prose, and the notice and its line go.
    func testASubscriberNoticeWithALineBesideItGoes() {
        let terms = "Distribution and use of this material are governed by our subscriber agreement and by copyright law."
        let out = text(page(story, extra: "<div id=legal><p>\(terms)</p><p><strong>\(notice)</strong></p></div>"))
        for s in story { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the notice:\n\(out)")
        XCTAssertFalse(out.contains(terms), "kept the line beside it:\n\(out)")
    }

    /// The same below a story of two paragraphs, under twice the notice's text: past the footer,
    /// with the line beside it, it is no closing notice (it does not stand alone), and the edge
    /// test alone takes it out.
    func testASubscriberNoticeWithALineBesideItGoesFromAStoryOfAsMuchText() {
        let terms = "Distribution and use of this material are governed by our subscriber agreement and by copyright law."
        let out = text(page(Array(story.prefix(2)), extra: "<div id=legal><p>\(terms)</p><p><strong>\(notice)</strong></p></div>"))
        for s in story.prefix(2) { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the notice:\n\(out)")
    }

    /// Past a newsletter box, a paragraph with a borderline line after it (the page's text goes
    /// on): it is not at the page's edge, and stays.
    func testAParagraphPastABoxWithProseAfterItStays() {
        let more = ["The Aspen cluster management software gives an administrator the ability to manage every node of the cluster from one console, with reports on the health of each.",
                    "Follow the link below to learn more about the cluster management software."]
        let html = "<html><head><title>t</title></head><body>\(TestPages.menu)<div id=wrap><div id=main><div class=story>"
            + story.prefix(2).map { "<p>\($0)</p>" }.joined() + "</div></div></div>"
            + "<div class=newsletter-signup><h3>Get our newsletter</h3><p>Sign up for the best stories of the day.</p></div>"
            + "<div class=more>" + more.map { "<p>\($0)</p>" }.joined() + "</div></body></html>"
        let out = text(html)
        for s in story.prefix(2) { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertTrue(out.contains(more[0]), "lost the paragraph past the box:\n\(out)")
    }

    /// Above the menu, a paragraph with a borderline line above it: not at the page's edge, it
    /// stays.
    func testAParagraphAboveTheMenuWithProseAboveItStays() {
        let above = "Get to know the features that make it the most complete browser for building the Web."
        let out = text(pageWithShortStory(below: "<div class=rail><p>\(above)</p><blockquote><p>\(notice)</p></blockquote></div>\(TestPages.menu)"))
        for s in story.prefix(2) { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertTrue(out.contains("best viewed"), "dropped the paragraph with prose above it:\n\(out)")
    }

    /// Above the story with links between that no boilerplate name marks (a list of the
    /// story's topics): the paragraph is not past boilerplate, and stays.
    func testAParagraphAboveTheStoryWithNoBoilerplateBetweenStays() {
        let topics = "<ul>" + ["Bridges", "Town council", "Roads", "Spring works"].map { "<li><a href=\"/t/\($0)\">\($0)</a></li>" }.joined() + "</ul>"
        let out = text(pageWithShortStory(below: "<div class=rail><p>\(notice)</p></div>\(topics)<h1>The bridge</h1>"))
        for s in story.prefix(2) { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertTrue(out.contains("best viewed"), "dropped the paragraph above the story:\n\(out)")
    }
}

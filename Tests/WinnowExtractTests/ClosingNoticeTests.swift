import XCTest
@testable import WinnowExtract

/// Issue 16 (a notice closing the page): a site notice set after everything else on the page
/// ("This page is best viewed…" before `</body>`, the `notice-end` change of `invariance.py`).
/// Two ways it took a page over, found with that change and not on gold text:
/// - on a page with good text beside its article (a blurb in a column), the notice tipped the
///   article's container under seven tenths of the good text: every block counted as the
///   article's, the notice too;
/// - on a page with no good block of its own (a listing, a post of short lines), the notice
///   was the one good block: the page's text became the notice.
final class ClosingNoticeTests: XCTestCase {
    let story = TestPages.story
    let blurbs = ["Our town's weekly paper has covered the council, the schools and the farms of the valley since 1921, and it is still written and printed here.",
                  "Letters to the editor are welcome: write to us at the office on Mill Street or leave them at the counter, and please keep them under three hundred words so that we can print them all."]
    let notice = TestPages.browserNotice
    let links = "<div><a href=/a>About us</a></div><div><a href=/c>Contact us</a></div>"
    let footer = TestPages.footer
    // A band's discography: a borderline line, then each record's line (short, no links) and
    // its songs (links). No good block of its own.
    let intro = "All the albums, EPs and demos of the band, with the songs on each."
    let records = ["First Light", "Harbour", "Northern Roads", "Basement Tapes", "Long Winter", "Open Water",
                   "Salt Roads", "The Lighthouse", "Low Tide", "Winter Harbour"].enumerated().map { i, name in
        "album: \"\(name)\" (\(2001 + i)), eleven songs, forty minutes"
    }

    func text(_ html: String) -> String { HTMLExtractor().extract(html).text }

    /// The story in its container, `blurbs` blurbs in a column beside it (with one, seven tenths
    /// of the good text is the story's: the story's container rules the page), link lines or
    /// the footer, then `end`.
    func storyPage(blurbs: Int = 1, end: String, footer withFooter: Bool = false) -> String {
        "<html><head><title>t</title></head><body>\(TestPages.menu)<div id=wrap><div id=main><div class=story>"
            + story.map { "<p>\($0)</p>" }.joined() + "</div></div><div id=col>"
            + self.blurbs.prefix(blurbs).map { "<p>\($0)</p>" }.joined() + "</div>"
            + (withFooter ? footer : links) + "</div>\(end)</body></html>"
    }

    /// The discography (records 0..<n) in the page's wrapper, the footer or plain link lines
    /// after it, then `end`.
    func discography(_ n: Int = 10, end: String, footer withFooter: Bool = true) -> String {
        let songs = ["Grey Morning", "Salt", "The Pier", "Lanterns", "Slow Boat", "Last Light"]
        return "<html><head><title>t</title></head><body><div id=page>\(TestPages.menu)<div id=records><h1>The Tide</h1><div>\(intro)</div>"
            + records.prefix(n).map { "<div>\($0)</div><div>" + songs.map { "<a href=/s>\($0)</a> " }.joined() + "</div>" }.joined()
            + "</div>" + (withFooter ? footer : links) + "</div>\(end)</body></html>"
    }

    func testANoticeClosingThePageDoesNotTipTheStorysShare() {
        let out = text(storyPage(end: "<div id=note><p><strong>\(notice)</strong></p></div>"))
        for s in story { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the notice:\n\(out)")
        XCTAssertFalse(out.contains(blurbs[0]), "kept the column's blurb:\n\(out)")
    }

    /// The page as it is, for the two tests above and below: the story's container rules it.
    func testWithoutTheNoticeTheStorysContainerRules() {
        let out = text(storyPage(end: ""))
        for s in story { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertFalse(out.contains(blurbs[0]), "kept the column's blurb:\n\(out)")
    }

    /// Prose after the paragraph (past link lines): it does not close the page, and counts as
    /// before.
    func testAParagraphWithProseAfterItStillCounts() {
        let after = "\(links)<div id=more><p>Read about the meetings and the plans for the bridge in the next issue of the paper, out on Friday.</p></div>"
        let out = text(storyPage(end: "<div id=note><p>\(notice)</p></div>\(after)"))
        XCTAssertTrue(out.contains("best viewed"), "dropped a paragraph that does not close the page:\n\(out)")
    }

    /// A borderline line right before it: it is among the page's prose, not alone.
    func testAParagraphWithALineBesideItStillCounts() {
        let line = "<div>The paper is printed on Thursday nights and sold in the town's shops.</div>"
        let out = text(storyPage(end: "\(line)<div id=note><p>\(notice)</p></div>"))
        XCTAssertTrue(out.contains("best viewed"), "dropped a paragraph with a line beside it:\n\(out)")
    }

    /// Two blurbs in the column: the story's container does not rule the page, with or without
    /// the notice, and every block is kept. A notice past the footer is not one of them.
    func testANoticePastTheFooterOfAPageThatNoContainerRulesGoes() {
        let plain = text(storyPage(blurbs: 2, end: "", footer: true))
        XCTAssertTrue(plain.contains(blurbs[1]), "the page as it is keeps the blurbs:\n\(plain)")
        let out = text(storyPage(blurbs: 2, end: "<div id=note><p><strong>\(notice)</strong></p></div>", footer: true))
        for s in story { XCTAssertTrue(out.contains(s), "lost \(s)") }
        for b in blurbs { XCTAssertTrue(out.contains(b), "lost \(b)\n\(out)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the notice:\n\(out)")
    }

    /// A page with no good block of its own and a notice past its footer: the page's lines
    /// stay, the notice goes.
    func testANoticePastTheFooterOfAPageWithoutProseGoes() {
        let plain = text(discography(end: ""))
        for r in records { XCTAssertTrue(plain.contains(r), "the page as it is lost \(r)\n\(plain)") }
        let out = text(discography(end: "<div id=note><p><strong>\(notice)</strong></p></div>"))
        XCTAssertTrue(out.contains(intro), "lost the page's line:\n\(out)")
        for r in records { XCTAssertTrue(out.contains(r), "lost \(r)\n\(out)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the notice:\n\(out)")
    }

    /// With plain link lines instead of the footer between them, the paragraph may be the
    /// page's own (a description below its lines): it is taken for the page's text, as before.
    func testAParagraphAfterThePagesLinesWithNoFooterBetweenStays() {
        let out = text(discography(end: "<div id=note><p>\(notice)</p></div>", footer: false))
        XCTAssertTrue(out.contains("best viewed"), "dropped the paragraph:\n\(out)")
    }

    /// Past the footer of a page with less text above than its own (two records): the paragraph
    /// may be the page's (an address, a statement) and stays.
    func testAParagraphPastTheFooterOfAShortPageStays() {
        let out = text(discography(2, end: "<div id=note><p>\(notice)</p></div>"))
        XCTAssertTrue(out.contains("best viewed"), "dropped the paragraph of a short page:\n\(out)")
    }

    /// A paragraph closing the story inside the story's own container is the story's: it is
    /// not left out of the vote either (two paragraphs and it, under seven tenths of the good
    /// text with both blurbs above the menu: the container does not rule, and every block is
    /// kept).
    func testAClosingParagraphInsideTheStorysContainerStillVotes() {
        let html = "<html><head><title>t</title></head><body><div id=wrap><div id=col>"
            + blurbs.map { "<p>\($0)</p>" }.joined() + "</div>\(TestPages.menu)<div id=main><div class=story>"
            + story.prefix(2).map { "<p>\($0)</p>" }.joined() + links + "<p>\(notice)</p></div></div></div></body></html>"
        let out = text(html)
        for b in blurbs { XCTAssertTrue(out.contains(b), "the story's container ruled the page:\n\(out)") }
    }

    /// A short post the rules find by its borderline lines (read as prose on a second pass),
    /// with the notice past the footer, which that pass drops: the page is not read again
    /// without it (that reading keeps every borderline line, the comment form's too).
    func testANoticeTheRulesDropLeavesThePageAsItIs() {
        // (Lines, not sentences: a run of sentences would read as prose from the start.)
        let post = ["The theme for this week's photo challenge is water, in any form you can find it around you",
                    "Send us your pictures of rivers, rain, puddles, harbours and the sea before Sunday night at ten",
                    "Deadline: Sunday at midnight, and we will show twelve of the pictures in a post on Tuesday",
                    "At most three pictures each, all of them your own work and taken during this year",
                    "Tag them with the name of the challenge so that we can find them among all the others"]
        let form = "Name (required) Mail (will not be published) (required) Website Comments"
        let html = "<html><head><title>t</title></head><body><div id=page>\(TestPages.menu)<div id=post><h1>Photo challenge: water</h1>"
            + post.map { "<div>\($0)</div>" }.joined() + "</div><div id=reply><h3>Leave a Reply</h3><div>\(form)</div></div>"
            + footer + "</div><div id=next><p>\(notice)</p></div></body></html>"
        let out = text(html)
        for p in post { XCTAssertTrue(out.contains(p), "lost \(p)\n\(out)") }
        XCTAssertFalse(out.contains(form), "kept the comment form:\n\(out)")
    }

    /// A line after the paragraph that the page keeps without it ("Page last updated …"): the
    /// paragraph is not past the page's text, and stays.
    func testAParagraphBeforeALineThePageKeepsStays() {
        let out = text(discography(end: "<div id=note><p>\(notice)</p></div><div>Page last updated in March 2012</div>"))
        XCTAssertTrue(out.contains("best viewed"), "dropped the paragraph:\n\(out)")
    }

    /// The story's last paragraph past a newsletter box set into the story, before the footer,
    /// closes the page like a notice, but it is the story's and stays (`oneStory`). Here in a
    /// page builder's boxes, one to a paragraph with a photo between, inside the story's
    /// classed wrapper: elements of one kind above both.
    func testAStorysLastParagraphInItsBuildersBoxesPastANewsletterBoxStays() {
        let box = "<div class=newsletter-signup><h3>Get our newsletter</h3><p>Sign up for the best stories of the day, delivered every morning.</p></div>"
        let photo = "<div class=media><img src=/b.jpg></div><div class=media-caption>The old bridge in winter</div>"
        let body = "<div class=entry>" + story.prefix(2).map { "<div class=text-box><p>\($0)</p></div>\(photo)" }.joined()
            + "<div class=text-box><p>\(story[2])</p>\(box)</div>\(photo)<div class=text-box><p>\(story[3])</p></div></div>"
        let out = text("<html><head><title>t</title></head><body><div id=page>\(TestPages.menu)\(body)\(footer)</div></body></html>")
        for s in story { XCTAssertTrue(out.contains(s), "lost \(s)\n\(out)") }
    }

    /// The same among the story's own paragraphs, no class anywhere: one flow. (The box is
    /// over 20 words, too long to be read as a box set into the story's flow.)
    func testAStorysLastParagraphInItsFlowPastANewsletterBoxStays() {
        let box = "<div class=newsletter-signup><h3>Get our newsletter</h3><p>Sign up for our daily newsletter to get the best stories "
            + "of the day delivered to your inbox every morning, free of charge.</p></div>"
        let body = "<div id=main>" + story.prefix(3).map { "<p>\($0)</p>" }.joined() + box + "<p>\(story[3])</p></div>"
        let out = text("<html><head><title>t</title></head><body><div id=page>\(TestPages.menu)\(body)\(footer)</div></body></html>")
        for s in story { XCTAssertTrue(out.contains(s), "lost \(s)\n\(out)") }
    }

    /// A one-paragraph post (borderline: the rescues read it as prose), last on its page, with
    /// a blurb about the site in a column before it: the closing notice is read before the
    /// rescues, so the post is none, and stays with its heading.
    func testAShortPostTheRescuesReadIsNoNotice() {
        let post = "Our photo of the week shows the old mill at Ashford in the deep snow of the hard winter of 1963."
        let about = "This website is written by a small group of volunteers who collect the history of the villages of the region, from parish records and old papers."
        let html = "<html><head><title>t</title></head><body><div id=cols><div id=left><div id=side><h3>About</h3><p>\(about)</p></div></div>"
            + "<div id=right>\(links)</div></div><div id=content><h1>Photo of the week</h1><div>\(post)</div></div>\(links)</body></html>"
        let out = text(html)
        XCTAssertTrue(out.contains(post), "lost the post:\n\(out)")
        XCTAssertTrue(out.contains("Photo of the week"), "lost the post's heading:\n\(out)")
    }

    /// A teaser card closing the page (a linked headline and its blurb) is left out of the good
    /// text already: it is not taken out of the share a second time. (The story and both blurbs
    /// in the column: under seven tenths, the container does not rule, and the blurbs stay.)
    func testATeaserClosingThePageIsLeftOutOnce() {
        let card = "<div class=card><h3><a href=/next>The ferry will run again in the spring</a></h3><p>The old ferry across the river "
            + "will carry cars and farm vans again from April, the council said, while the new bridge is being built.</p></div>"
        let html = "<html><head><title>t</title></head><body>\(TestPages.menu)<div id=wrap><div id=main><div class=story>"
            + story.map { "<p>\($0)</p>" }.joined() + "</div></div><div id=col>" + blurbs.map { "<p>\($0)</p>" }.joined() + "</div>"
            + links + "</div>\(card)</body></html>"
        let out = text(html)
        for b in blurbs { XCTAssertTrue(out.contains(b), "the story's container ruled the page:\n\(out)") }
        XCTAssertFalse(out.contains("The old ferry"), "kept the teaser:\n\(out)")
    }

    /// Past the footer of a short story (two paragraphs: more text than the notice's, under
    /// twice it): the notice goes when the story is all the page keeps without it and nothing
    /// the page keeps, and no boilerplate, comes after it.
    func testANoticePastTheFooterOfAShortStoryGoes() {
        func page(_ end: String) -> String {
            "<html><head><title>t</title></head><body><div id=page>\(TestPages.menu)<div class=story>"
                + story.prefix(2).map { "<p>\($0)</p>" }.joined() + "</div>\(footer)</div>\(end)</body></html>"
        }
        let out = text(page("<div id=note><p>\(notice)</p></div>"))
        for s in story.prefix(2) { XCTAssertTrue(out.contains(s), "lost \(s)\n\(out)") }
        XCTAssertFalse(out.contains("best viewed"), "kept the notice:\n\(out)")
        // A line the page keeps after it ("Page last updated …"): the notice is not past the page's text.
        let updated = text(page("<div id=note><p>\(notice)</p></div><div>Page last updated in March 2012</div>"))
        XCTAssertTrue(updated.contains("best viewed"), "dropped the paragraph before a kept line:\n\(updated)")
    }

    /// A one-paragraph post below the menu, the site's name and paragraph about itself above
    /// it (more text than the post, in a box of their own): the post closes the page's prose,
    /// stands alone among link lines and lies past the menu, as a notice would. A footer after
    /// it says it is no notice past the page's end, and so do a sign-off line the page keeps
    /// after it and, with nothing after it, its title right above it: it stays (read without
    /// it, the page would be the site's paragraph alone).
    func testAShortPostBetweenMenuAndFooterIsNoNotice() {
        let post = "Sports balls, disco balls and meatballs are all here in this short film by a studio in Brooklyn, with no plot to follow, just a treat for your eyes on a grey day."
        for (after, name) in [(footer, "a footer after it"), ("<div>Until next time!</div>", "a sign-off after it"), ("", "its title above it")] {
            let out = text("<html><head><title>t</title></head><body><div id=top><h1>Example Site</h1><p>\(TestPages.about)</p></div>"
                + "\(TestPages.menu)<div id=main><h2>Balls</h2><p>\(post)</p></div>\(after)</body></html>")
            XCTAssertTrue(out.contains(post), "lost the post with \(name):\n\(out)")
        }
    }
}

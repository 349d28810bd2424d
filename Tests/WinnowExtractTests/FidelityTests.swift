import XCTest
import WinnowTestSupport
@testable import WinnowExtract

/// Issue 16: classes of main-text loss seen on held-out pages, each on a small real-ish page.
final class FidelityTests: XCTestCase {
    static let fixtures = TestPaths.fixtures("WinnowExtractTests") + "/fidelity/"

    func page(_ name: String) -> String {
        guard let f = fopen(Self.fixtures + name, "rb") else { XCTFail("missing fixture \(name)"); return "" }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true { let n = fread(&buf, 1, buf.count, f); if n <= 0 { break }; out += buf[0..<n] }
        return String(decoding: out, as: UTF8.self)
    }

    func main(_ name: String) -> String { HTMLExtractor().extract(page(name)).text }

    /// Checks a fixture page's main text (`favor` as given): each of `keeps` is in it, none of
    /// `drops` is. Failures point at the caller's line.
    func expectMain(_ name: String, favor: HTMLExtractor.Favor = .balanced, keeps: [String] = [], drops: [String] = [],
                    file: StaticString = #filePath, line: UInt = #line) {
        let text = HTMLExtractor(favor: favor).extract(page(name)).text
        for s in keeps { XCTAssertTrue(text.contains(s), "\(s) missing from:\n\(text)", file: file, line: line) }
        for s in drops { XCTAssertFalse(text.contains(s), "\(s) kept in:\n\(text)", file: file, line: line) }
    }

    /// A page-wide <form> (ASP.NET) holds the whole page: it is not dropped as a form.
    func testPageWideFormIsThePage() {
        let text = main("aspnet-form.html")
        XCTAssertTrue(text.contains("Summer safety for kids"), text)
        XCTAssertTrue(text.contains("Sunscreen needs to be put on again after swimming."), text)
        XCTAssertFalse(text.contains("Allergies"), "the navigation column is still boilerplate")
        XCTAssertFalse(text.contains("Privacy"))
    }

    /// A page-wide form on a page with no prose paragraph (an ASP.NET "page not found" page of
    /// short lines) is still the page: it used to be dropped as a form, and the page with it.
    func testPageWideFormWithoutProseIsThePage() {
        let page = "<html><body><form id=Form1 action=PageNotFound method=post><div id=wrapper>"
            + "<ul id=mainNav><li><a href=/>home</a></li></ul><div id=main><h1>404 Page Not Found</h1>"
            + "<p><b>The web page you are looking for has not been found.</b></p>"
            + "<p>We have redesigned our website, and the page may have been moved.</p>"
            + "<p>Try the search engine or the site map.</p></div></div></form></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("The web page you are looking for has not been found."), text)
        XCTAssertTrue(text.contains("We have redesigned our website"), text)
    }

    /// A page-wide form is the page when it holds most of the non-link text and prose, however
    /// long the site's menus of links around it (a classified-ads listing whose category lists
    /// outweighed the ads: the page used to come out as its footer).
    func testPageWideFormAmidLinkMenusIsThePage() {
        let ads = [
            "Two black poodle puppies, ten weeks old, house trained and microchipped. Both parents can be seen; they are raised in a family home with young children and other dogs.",
            "Miniature poodle for sale due to her owner's ill health. She loves to play fetch and long walks, is up to date with worming and flea treatment, and is very gentle.",
            "Cockapoo puppies, all females, ready now. They come with a month of free pet insurance and a puppy pack, and they are used to household noises and visitors.",
        ].map { "<div class=listing><h2><a href=/ad>Puppies for sale</a></h2><div class=description>\($0)</div><div class=price>£550</div></div>" }.joined()
        func menu(_ word: String) -> String {
            "<ul class=breeds>" + (1...40).map { "<li><a href=/\(word)/\($0)>\(word) breed number \($0)</a></li>" }.joined() + "</ul>"
        }
        let page = "<html><body><div class=container><div class=top><h3>Dogs</h3>\(menu("Dog"))<h3>Cats</h3>\(menu("Cat"))</div>"
            + "<form action='' method=post><div class=results><h1>Poodle puppies for sale</h1>\(ads)</div></form>"
            + "<div class=locations>\(menu("Town"))</div><p class=small>© Pets Example 2018. Use of this website constitutes acceptance of the terms of use and the privacy policy.</p></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("Two black poodle puppies"), text)
        XCTAssertTrue(text.contains("Cockapoo puppies, all females"), text)
        XCTAssertFalse(text.contains("breed number"), text)
    }

    /// Plural class words are boilerplate too: a footer's `<div class="copyrights">` notice is
    /// not the page's prose. (Here it was the only good block besides a one-paragraph post
    /// followed by a linked video heading, which made the post read as a teaser card.)
    func testPluralBoilerplateClassWord() {
        let post = "It is nice to see that the company is still promoting its older phones with a heavy focus on converting feature phone users. "
            + "A reader noticed a new interactive video series where you click on parts of the video to continue the story, and the results are funny."
        let page = "<html><body><div id=page><div id=content><div class='post hentry'><div class=hentry-meta><h1>Interactive promo videos</h1></div>"
            + "<div class=hentry-container><div class=hentry-middle><div class=hentry-content><p>\(post)</p><p>Let us know what you think!</p>"
            + "<h3><a href=https://video.example/v/1>Desktop Video Link</a> | <a href=https://m.video.example/v/1>Mobile Video Link</a></h3>"
            + "</div></div></div></div></div><div id=bottom><div class=copyrights><p>Product names are registered trademarks of their owners. "
            + "This site is in no way affiliated with the company, though sometimes their lawyers send us letters about it.</p></div></div></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("A reader noticed a new interactive video series"), text)
        XCTAssertFalse(text.contains("registered trademarks"), text)
    }

    /// `headline: true` keeps the heading just above the article (past a byline), in its
    /// section; by default the title stays out (metadata.title has it). A linked heading (a
    /// teaser's title) is not a headline.
    func testHeadlineOption() {
        let body = "<p>The city council voted on Tuesday to extend the late-night bus service through the winter months, after a year of complaints from shift workers. Riders had written to the council for months, and a petition gathered four thousand names before the vote was called.</p>"
            + "<p>The extension costs less than the council had feared, the transport committee said, because the buses already run on the daytime routes. Drivers will be offered extra shifts first, and the first winter timetable will be printed next week for every stop in the city.</p>"
        let page = "<html><body><div id=site><h1><a href=/>City Daily</a></h1><div id=main><div class=story><div class=story-head><h1>Night buses run all winter</h1>"
            + "<p class=byline>By A. Reporter, March 3</p></div><div class=story-body>\(body)</div></div></div></div></body></html>"
        let plain = HTMLExtractor().extract(page).text
        XCTAssertTrue(plain.contains("voted on Tuesday"), plain)
        XCTAssertFalse(plain.contains("Night buses run all winter"), plain)
        let titled = HTMLExtractor(headline: true).extract(page).text
        XCTAssertTrue(titled.hasPrefix("Night buses run all winter"), titled)
        XCTAssertFalse(titled.contains("City Daily"), titled)
        let linked = page.replacingOccurrences(of: "<h1>Night buses run all winter</h1>", with: "<h1><a href=/story/1>Night buses run all winter</a></h1>")
        XCTAssertFalse(HTMLExtractor(headline: true).extract(linked).text.contains("Night buses"))
    }

    /// A small form (a search box with a long label) is still dropped.
    func testSmallFormIsDropped() {
        let text = main("search-form.html")
        XCTAssertTrue(text.contains("protected bicycle lanes"), text)
        XCTAssertFalse(text.contains("Search this site"), text)
    }

    /// A layout container named like boilerplate ("layout-with-sidebar") around the whole page
    /// is not boilerplate; the navigation inside it still is.
    func testBoilerplateNamedWrapperIsThePage() {
        let text = main("sidebar-layout.html")
        XCTAssertTrue(text.contains("The old railway line between the two villages closed in 1962"), text)
        XCTAssertTrue(text.contains("first Sunday of every month"), text)
        XCTAssertFalse(text.contains("Sport"), text)
    }
}

extension FidelityTests {
    /// Lines broken by single <br>s (a poem, an address) are one block, with its line breaks:
    /// as separate lines each was too short to be trusted and the whole text was lost.
    func testLinesBrokenByBrStayOneBlock() {
        let text = main("poem-lines.html")
        XCTAssertTrue(text.contains("I wander often from the way,\nAnd sin afflicts me every day:"), text)
        XCTAssertTrue(text.contains("And there I see what's best."), text)
        XCTAssertFalse(text.contains("Hymns"), text)
        XCTAssertFalse(text.contains("RSS"), text)
    }
}

extension FidelityTests {
    /// `itemprop="articleBody"` names the article as class names do, also inside a container
    /// named like boilerplate ("share_wrapper").
    func testItempropArticleBodyIsContent() {
        let text = main("itemprop-body.html")
        XCTAssertTrue(text.contains("99 percent of its cell towers"), text)
        XCTAssertTrue(text.contains("restored service to almost 95 percent"), text)
        XCTAssertFalse(text.contains("newsletter"), text)
    }
}

extension FidelityTests {
    /// Short lines without links among the article's paragraphs (a list of one-line items, a
    /// date) are the article's; the navigation and footer links are not.
    func testShortLinesAmongContentAreKept() {
        let text = main("short-items.html")
        for line in ["SEXY IS: The moon at Christmas.", "SEXY IS: An amateur sweeper.", "Nov 9, 2012 6:33 PM", "Now you know."] {
            XCTAssertTrue(text.contains(line), "\(line) in \(text)")
        }
        XCTAssertFalse(text.contains("Privacy"), text)
        XCTAssertFalse(text.contains("Style"), text)
    }
}

extension FidelityTests {
    /// A story with one long paragraph: the container is the story, not that paragraph, so the
    /// short paragraphs around it stay.
    func testOneGoodParagraphKeepsItsStory() {
        let text = main("one-good-paragraph.html")
        for line in ["cast as Gloss in the sequel, the studio confirmed", "thrown into the arena again", "He joins additional new cast members", "November 2013"] {
            XCTAssertTrue(text.contains(line), "\(line) in \(text)")
        }
        XCTAssertFalse(text.contains("Privacy"), text)
    }

    /// Content split over sibling containers: the one with most text does not push out its
    /// sibling with the tour dates.
    func testSiblingContentCellsAreKept() {
        let text = main("content-cells.html")
        XCTAssertTrue(text.contains("The tribute project will honour two studio albums"), text)
        XCTAssertTrue(text.contains("Thursday January 18, New York - Tonic"), text)
        XCTAssertFalse(text.contains("MAIL ORDER"), text)
    }
}

extension FidelityTests {
    /// `favor: precision` keeps only good blocks and borderline ones right next to them (the
    /// one-line items go); `favor: recall` keeps at least what `balanced` keeps.
    func testFavorPrecisionAndRecall() {
        let html = page("short-items.html")
        let precise = HTMLExtractor(favor: .precision).extract(html).text
        let balanced = HTMLExtractor().extract(html).text
        let recall = HTMLExtractor(favor: .recall).extract(html).text
        XCTAssertTrue(precise.contains("A hand on the hip"), precise)
        XCTAssertFalse(precise.contains("Nov 9, 2012 6:33 PM"), precise)
        XCTAssertTrue(balanced.contains("Nov 9, 2012 6:33 PM"), balanced)
        XCTAssertGreaterThanOrEqual(recall.count, balanced.count)
        XCTAssertGreaterThan(balanced.count, precise.count)
    }
}

extension FidelityTests {
    /// Teaser cards whose title is a linked list item (a related-posts list with blurbs) are not
    /// the article, even though each blurb is a good paragraph.
    func testLinkedListTeasersAreDropped() {
        let text = main("related-list.html")
        XCTAssertTrue(text.contains("showed its first crossover concept this week"), text)
        XCTAssertTrue(text.contains("roadsters of the sixties"), text)
        XCTAssertFalse(text.contains("looks almost the same as its older versions"), text)
        XCTAssertFalse(text.contains("long trucks of the seventies"), text)
    }
}

extension FidelityTests {
    /// A list of linked summaries between the article's paragraphs is the article's; a list of
    /// bare links elsewhere is not.
    func testLinkedSummaryListInArticleIsKept() {
        let text = main("linked-summaries.html")
        XCTAssertTrue(text.contains("Calling all germs – Do you really want to know how dirty your phone is?"), text)
        XCTAssertTrue(text.contains("New peril for parents"), text)
        XCTAssertTrue(text.contains("That is all for today."), text)
        XCTAssertFalse(text.contains("Popular post"), text)
    }
}

extension FidelityTests {
    /// A table row is one block (its cells were each too short to be trusted alone).
    func testTableRowsAreBlocks() {
        let text = main("table-rows.html")
        XCTAssertTrue(text.contains("Groundhog Day 1993 A weatherman relives one day in a small town."), text)
        XCTAssertTrue(text.contains("Le 15 Mai 1969"), text)
        XCTAssertFalse(text.contains("Privacy"), text)
    }
}

extension FidelityTests {
    /// An article of several paragraphs (two of them long enough to be good) that holds a
    /// related-story box with a linked heading is not a teaser card; the card in the sidebar
    /// (linked heading and blurb) still is. (A BBC story page lost its two good paragraphs to
    /// the card rule, and with them the choice of its main container.)
    func testArticleWithRelatedBoxIsNoTeaserCard() {
        var tree = Containers()
        var blocks: [HTMLExtractor.Block] = []
        var cls: [HTMLExtractor.Class] = []
        func block(_ parent: Int32, _ c: HTMLExtractor.Class, bytes: Int, heading: Bool = false, linked: Bool = false) {
            let id = tree.open(parent: parent)
            tree.close(id)
            var b = HTMLExtractor.Block()
            b.container = id
            b.bytes = [UInt8](repeating: 0x61, count: bytes)
            b.headingLevel = heading ? 2 : 0
            b.linkBytes = linked ? bytes : 0
            blocks.append(b)
            cls.append(c)
        }
        let root = tree.open(parent: -1)
        let story = tree.open(parent: root)
        block(story, .good, bytes: 150)                              // 0
        block(story, .bad, bytes: 30, heading: true, linked: true)   // 1: the related box's linked heading
        block(story, .near, bytes: 80)
        block(story, .near, bytes: 80)
        block(story, .near, bytes: 80)
        block(story, .good, bytes: 150)                              // 5
        tree.close(story)
        let card = tree.open(parent: root)
        block(card, .bad, bytes: 30, heading: true, linked: true)
        block(card, .good, bytes: 150)                               // 7: the card's blurb
        tree.close(card)
        block(root, .good, bytes: 150)
        block(root, .good, bytes: 150)
        tree.close(root)
        let teaser = HTMLExtractor.teasers(blocks, cls, tree)
        XCTAssertFalse(teaser[0])
        XCTAssertFalse(teaser[5])
        XCTAssertTrue(teaser[7])
    }

    /// A lead paragraph set as bare text in the page's one marked article body, beside the
    /// wrapper that holds the rest of the post (Blogger), is the article's.
    func testBareLeadInArticleBodyIsKept() {
        let text = main("bare-lead-in-article-body.html")
        XCTAssertTrue(text.contains("Who does not love a good quiche?"), text)
        XCTAssertTrue(text.contains("Bake the shells blind for fifteen minutes"), text)
        XCTAssertFalse(text.contains("Recipe Index"), text)
    }

    /// Screen-reader-only text and back-to-top / scroll-to-top controls are not page text; a
    /// page-wide flag on <body> that merely names such a control hides nothing.
    /// A container named "foot" (`site-foot`, BBC's `blq-foot`) is a footer: its browser notice
    /// is no paragraph of the story.
    func testFootNamedContainerIsBoilerplate() {
        let text = main("foot-named-footer.html")
        XCTAssertTrue(text.contains("Engineers rebuilt forty metres of the wall"), text)
        XCTAssertFalse(text.contains("best viewed"), text)
        XCTAssertFalse(text.contains("Site links"), text)
    }

    /// A class token `hidden` is `display: none` (here WSJ-style: a signed-out preview copy of
    /// the story next to the full one); `hidden md:block` is shown on wider screens and stays.
    func testHiddenClassIsInvisibleUnlessShownAtSomeWidth() {
        let text = main("hidden-class-preview.html")
        XCTAssertTrue(text.contains("ending a decade of argument about traffic"), text)
        XCTAssertFalse(text.contains("The preview copy"), text)
        XCTAssertTrue(text.contains("a cycle lane on each side"), text)
        XCTAssertTrue(HTMLExtractor.namesInvisible("article hidden", isClass: true))
        XCTAssertFalse(HTMLExtractor.namesInvisible("hidden", isClass: false))
        XCTAssertFalse(HTMLExtractor.namesInvisible("hidden lg:flex", isClass: true))
        XCTAssertFalse(HTMLExtractor.namesInvisible("is-hidden-mobile", isClass: true))
    }

    /// A list page's introduction sits above the table that holds most of its prose: it is the
    /// page's lead-in. A row whose film title and note are both links stays with its table.
    func testListPageKeepsItsIntroductionAndEveryTableRow() {
        let text = main("list-page-intro-table.html")
        XCTAssertTrue(text.contains("This list of films set on night trains"), text)
        XCTAssertTrue(text.contains("Night Crossing 1967 Remake of Sleeper East"), text)
        XCTAssertTrue(text.contains("returning to the same station"), text)
        XCTAssertFalse(text.contains("Privacy"), text)
        XCTAssertFalse(text.contains("About"), text)
    }

    /// A standfirst above the story's body is its lead-in; the lead photo's caption between
    /// them is not.
    func testStandfirstIsLeadInAndPhotoCaptionIsNot() {
        let text = main("lead-photo-caption.html")
        XCTAssertTrue(text.contains("The island's only ferry is back in service"), text)
        XCTAssertTrue(text.contains("replaced a damaged propeller shaft"), text)
        XCTAssertFalse(text.contains("watched by a crowd"), text)
    }

    /// A standfirst under the title, then a byline (a link) and a date line, then the story in
    /// its own container: the standfirst is the story's lead-in; the byline, the date and the
    /// related links are not its text.
    func testStandfirstAboveBylineIsLeadIn() {
        expectMain("standfirst-byline.html",
                   keeps: ["Apple will offer recent Mac buyers an upgrade", "Those of you who picked up a Mac", "priced lower than any of the earlier versions"],
                   drops: ["Lance Whitney", "July 24, 2012", "Related stories", "Mountain Lion to cost", "Terms of use"])
    }

    /// A lead sentence whose link makes it read as link-dense, right above the story's body in
    /// another container (a statement set as a blockquote): it is the story's opening.
    func testLinkedLeadSentenceIsLeadIn() {
        expectMain("linked-lead-sentence.html",
                   keeps: ["Today marks the fourth annual Nelson Mandela International Day. Below, read the full statement", "There is no more fitting tribute"],
                   drops: ["Privacy Policy", "Briefing Room"])
    }

    /// A story's opening paragraphs, a lone "Read more" link, then the rest in another
    /// container: the opening is the story's lead-in, the link is not its text.
    func testOpeningBeforeReadMoreLinkIsKept() {
        let p = { (s: String) in "<p>" + s + " It was the third such meeting this month, and the last before the vote in parliament next week.</p>" }
        let page = "<html><body><div id=page><div class=intro>" + p("A government team has been visiting newsrooms to explain the new data retention bill to editors.")
            + "</div><a href=/full>Read more</a><div class=rest>"
            + (1...8).map { p("Part \($0) of the story goes on to describe what the bill would require of the telephone companies and internet providers.") }.joined()
            + "</div></div><div class=links><a href=/a>Home</a> <a href=/b>World</a> <a href=/c>Sport</a></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("A government team has been visiting newsrooms"), text)
        XCTAssertTrue(text.contains("Part 8 of the story"), text)
        XCTAssertFalse(text.contains("Read more"), text)
    }

    /// A list of linked event dates between the story's paragraphs, with a photo credit line
    /// (short, too linked to be rescued itself) between the first paragraph and the list, is
    /// the story's.
    func testLinkedListAfterAPhotoCreditIsKept() {
        let para = { (s: String) in "<p>" + s + " The festival runs over four weekends, and most of its events are free for families.</p>" }
        let items = ["November 17th to 18th, 2012: Launch and Main Event in Harrison Mills", "November 23rd to 25th, 2012: Featured Region: Hot Springs",
                     "November 30th to 2nd, 2012: Featured Region: Harrison Mills"]
            .map { "<li>\($0.prefix(28))<a href=/e>\($0.dropFirst(28))</a></li>" }.joined()
        let page = "<html><body><div class=post>" + para("The eagle festival is happening over the next weeks around the lake, surrounded by mountains and forest.")
            + "<p>Photo credit: <a href=/f>Tyler Ingram</a> on Flickr</p><ul>" + items + "</ul>"
            + para("Stop at the visitor centre on your way to the hatchery, or visit the old general store for the exhibits and the tea room.")
            + "</div><div class=menu><a href=/a>Home</a> <a href=/b>Events</a> <a href=/c>About</a></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("Launch and Main Event"), text)
        XCTAssertTrue(text.contains("Featured Region: Hot Springs"), text)
        XCTAssertFalse(text.contains("About"), text)
    }

    /// An old page's named anchor left unclosed (`<a name=roads>` and no `</a>`) wraps the
    /// rest of the page (which came out empty: every block a link); it is an anchor, not a
    /// link, so its text is not link text. An anchor
    /// without href but no name (a script button) still counts as a link.
    func testUnclosedNamedAnchorIsNotALink() {
        let para = { (s: String) in "<P>" + s + " Growers who follow these practices usually see a greater long-term profit from the same land.\n" }
        let page = "<HTML><BODY><A HREF=index.html>Contents</A>\n<A NAME=roads>\n<H3>Farm Road Construction</H3>"
            + para("The roads on many farms are too steep, are built of easily eroded material, or are poorly designed to manage flood water.")
            + para("Adequate drainage ditches lined with large gravel or riprap keep the roads from washing out in heavy spring rains.")
            + "<H3>Field Borders</H3>" + para("Field borders and stream buffers are perhaps the cheapest way to keep sediment out of the creeks.")
            + "</BODY></HTML>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("The roads on many farms are too steep"), text)
        XCTAssertTrue(text.contains("Adequate drainage ditches"), text)
        let buttons = "<html><body><div><p>" + String(repeating: "A paragraph of the story that goes on for a while. ", count: 4)
            + "</p><p><a class=share>Share on Facebook</a> <a class=share>Share on Twitter</a></p></div></body></html>"
        XCTAssertFalse(HTMLExtractor().extract(buttons).text.contains("Share on"))
    }

    /// Related posts as list items of a title and an excerpt cut off with "[...]" (WordPress)
    /// are teasers, in the article's container or not; a paragraph ending in "[...]" (an
    /// omission in a quotation) is the article's.
    func testExcerptListItemsAreTeasers() {
        let para = "The new crossover is bigger than the maker's earlier models, and the cabin has room for five adults on long trips."
        let excerpt = { (t: String) in "<li><img src=x.jpg><a href=/p>\(t)</a> The new model looks almost the same as its older versions, but there is a significant improvement under the hood [...]</li>" }
        let page = "<html><body><div class=wrap><div class=entry><p>\(para)</p><p>\(para) Its spokeswoman said: \u{201C}We will keep our focus on the economy.\u{201D} [...]</p></div>"
            + "<div class=box><div>Related Posts</div><ul>" + excerpt("2012 Pilot looks the same") + excerpt("What is new in the Q5") + "</ul></div></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("keep our focus on the economy"), text)
        XCTAssertFalse(text.contains("2012 Pilot looks the same"), text)
        XCTAssertFalse(text.contains("under the hood"), text)
    }

    func testScreenReaderTextAndPageControlsAreDropped() {
        let text = main("invisible-controls.html")
        XCTAssertTrue(text.contains("Apple growers across the valley began picking two weeks earlier"), text)
        XCTAssertTrue(text.contains("Price per crate"), text)
        for hidden in ["top of page", "bottom of page", "Back to top", "Article body", "Regular price", "opens in a new tab",
                       "Scroll up to the headline"] {
            XCTAssertFalse(text.contains(hidden), "\(hidden) in \(text)")
        }
        XCTAssertTrue(HTMLExtractor.namesInvisible("sr-only", isClass: true))
        XCTAssertTrue(HTMLExtractor.namesInvisible("foo visuallyHidden", isClass: true))
        XCTAssertTrue(HTMLExtractor.namesInvisible("back-to-top", isClass: true))
        XCTAssertTrue(HTMLExtractor.namesInvisible("x\u{0C}SCROLL_TO_TOP", isClass: true))
        XCTAssertFalse(HTMLExtractor.namesInvisible("gp-back-to-top-desktop", isClass: true))
        XCTAssertFalse(HTMLExtractor.namesInvisible("screen-reader-text-and-more", isClass: true))
    }

    /// Comment sections named as one word with "comment" in it (postcomments, commentlist)
    /// go like those named "comments"; "commentary" is writing. `comments: true` keeps them.
    func testCommentSectionsAndTheCommentsOption() {
        let html = page("comment-sections.html")
        let text = HTMLExtractor().extract(html).text
        XCTAssertTrue(text.contains("The council voted on Tuesday to extend the tram line"), text)
        XCTAssertTrue(text.contains("Opinion writers have argued for years"), "commentary is the article: \(text)")
        XCTAssertFalse(text.contains("I take this tram every day"), text)
        XCTAssertFalse(text.contains("What about the buses on the north side"), text)
        let withComments = HTMLExtractor(comments: true).extract(html).text
        XCTAssertTrue(withComments.contains("The council voted on Tuesday to extend the tram line"), withComments)
        XCTAssertTrue(withComments.contains("I take this tram every day"), withComments)
        XCTAssertTrue(withComments.contains("What about the buses on the north side"), withComments)
        XCTAssertTrue(HTMLExtractor.isCommentCompound(Array("postcomments".utf8)))
        XCTAssertTrue(HTMLExtractor.isCommentCompound(Array("commentlist".utf8)))
        XCTAssertFalse(HTMLExtractor.isCommentCompound(Array("commentary".utf8)))
        XCTAssertFalse(HTMLExtractor.isCommentCompound(Array("commentator".utf8)))
    }

    /// A short post whose only long prose is a comment: the no-good-block fallback keeps the
    /// post's lines, not the comment (boilerplate prose counts as borderline, comments do not).
    func testLongCommentUnderShortPostIsNoContent() {
        let html = page("short-post-long-comment.html")
        let text = HTMLExtractor().extract(html).text
        XCTAssertTrue(text.contains("Use a Z-pass render to combine stock footage"), text)
        XCTAssertFalse(text.contains("I have bought every product so far"), text)
        let withComments = HTMLExtractor(comments: true).extract(html).text
        XCTAssertTrue(withComments.contains("I have bought every product so far"), withComments)
    }
}

extension FidelityTests {
    /// A listing page (a shop's product grid) has no article: its linked cards and the prices
    /// between them are its content, not the menu or the header. Favoring precision keeps what
    /// the article rules found.
    func testListingPageKeepsItsCards() {
        let html = page("listing-page.html")
        let text = HTMLExtractor().extract(html).text
        for title in ["Vinyl + Digital Album", "Cassette + Digital Album", "CD + Digital Album", "Soundtrack Digital Album"] {
            XCTAssertTrue(text.contains("Season 2 Official " + (title.hasPrefix("Soundtrack") ? "" : "Soundtrack ") + title), text)
        }
        XCTAssertTrue(text.contains("$41.98") && text.contains("$11.98"), text)
        XCTAssertFalse(text.contains("Catalog"), text)
        XCTAssertFalse(text.contains("Searching for"), "the header is outside the listing: \(text)")
        XCTAssertFalse(text.contains("Previous post"), text)
        expectMain("listing-page.html", favor: .precision, drops: ["Official Soundtrack"])
    }

    /// A short post's "Previous post: …" / "Next post: …" lines and share links are partly
    /// linked or too few words: they are no listing, and the post stays its two lines.
    func testPrevNextLinksAreNoListing() {
        let text = main("short-post-prev-next.html")
        XCTAssertEqual(text, "In the pink...\n6 Nov 2012")
    }

    /// A short post of three borderline paragraphs, on a page whose only long block is a
    /// browser notice at the end: the post is the content, not the notice alone.
    func testShortPostOfBorderlineParagraphsIsKept() {
        expectMain("short-post-long-notice.html",
                   keeps: ["Visitors from all over the world are coming to London for the Games.",
                           "Scott and Kathy from the state of Idaho are among the thousands making the trip.",
                           "They made a home-made film about getting ready for the visit."],
                   drops: ["Skydiver", "Share this page", "Terms of use", "Weather"])
        // Favoring precision, that page-level rescue is off (`testOneParagraphPostIsKept` checks
        // it), but these three one-sentence paragraphs are read together as the paragraph they
        // would be (SentenceParagraphs.swift), so the post is kept there too: before, precision
        // gave the browser notice alone.
        expectMain("short-post-long-notice.html", favor: .precision,
                   keeps: ["Visitors from all over the world are coming to London for the Games.\nScott and Kathy from the state of Idaho"],
                   drops: ["Skydiver", "Share this page", "Terms of use", "Weather"])
    }

    /// A blog post of one borderline paragraph, and the page's one long block is the footer's
    /// note: with under 80 words kept, the paragraph is read as the post (not the comment
    /// form, the feed links or the blog's menu).
    func testOneParagraphPostIsKept() {
        expectMain("one-paragraph-post.html",
                   keeps: ["A perfect song by Francisco The Man. A big thanks to a friend for bringing this one to my attention."],
                   drops: ["No comments yet", "RSS feed", "TrackBack", "Name (required)", "images"])
        expectMain("one-paragraph-post.html", favor: .precision, drops: ["A perfect song"])
    }

    /// A discography: album lines the rules keep (short lines, one borderline title), each
    /// followed by its songs as one line of links. The kept text is lines, not an article, so the
    /// listing rule reads the linked songs as the page's cards; the menu and footer stay out.
    func testDiscographyKeepsLinkedSongsBetweenAlbumLines() {
        expectMain("discography-linked-songs.html",
                   keeps: ["album: \"Hybrid Theory\" (2000)\nPapercut One Step Closer With You", "Keys To The Kingdom All For Nothing"],
                   drops: ["Submit Lyrics", "Privacy", "Lyrics A B C"])
        expectMain("discography-linked-songs.html", favor: .precision, drops: ["Papercut"])
    }

    /// A short news post of three borderline paragraphs is an article, however many linked
    /// headlines the page lists beside it: the listing rule leaves them out.
    func testShortNewsPostIsNotReadAsListing() {
        expectMain("short-news-post-headline-list.html", keeps: ["Set your alarms, boys and girls"],
                   drops: ["BlackBerry theme roundup", "Skype becomes", "vibrator assembly"])
    }

    /// A page that carries its article twice, each copy in a container of its own, gives it once.
    func testArticlePrintedTwiceIsKeptOnce() {
        let once = page("article-printed-twice.html")
        guard let start = once.range(of: "<div class=\"story-page\">"), let again = once.range(of: "<!--again") else { return XCTFail("fixture") }
        let twice = once.replacingCharacters(in: again.lowerBound..<again.lowerBound, with: once[start.lowerBound..<again.lowerBound])
        let text = HTMLExtractor().extract(twice).text
        XCTAssertEqual(text.components(separatedBy: "Apple growers in the valley").count - 1, 1, text)
        XCTAssertEqual(text.components(separatedBy: "several farms are offering them housing").count - 1, 1, text)
    }

    /// Paragraphs the author pasted twice in one body are what the page says: both runs stay.
    func testParagraphsPastedTwiceInOneBodyStay() {
        let text = main("paragraphs-pasted-twice.html")
        XCTAssertEqual(text.components(separatedBy: "Supporters ran a stall").count - 1, 2, text)
        XCTAssertEqual(text.components(separatedBy: "passed without a vote against").count - 1, 2, text)
    }

    /// `--explain` shows a class a rescue changed as "first>final", so a promoted block does not
    /// read as a borderline block kept against the rules.
    func testExplainShowsPromotedClasses() {
        let post = HTMLExtractor().explain(page("one-paragraph-post.html"))
        XCTAssertTrue(post.contains { $0.hasPrefix("+ near>good ") && $0.contains("A perfect song") }, post.joined(separator: "\n"))
        let lead = HTMLExtractor().explain(page("linked-lead-sentence.html"))
        XCTAssertTrue(lead.contains { $0.hasPrefix("+ bad>near ") && $0.contains("Today marks") }, lead.joined(separator: "\n"))
        XCTAssertTrue(lead.contains { $0.hasPrefix("+ good ") && $0.contains("There is no more fitting tribute") }, lead.joined(separator: "\n"))
    }
}

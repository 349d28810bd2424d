import XCTest
@testable import WinnowExtract

/// Posts whose text is full of links: a round-up of linked sentences, a short post with no
/// paragraph light enough in links to pass as content on its own.
final class RoundupTests: XCTestCase {
    let intro = "We are back home this week after a short trip to the coast, and I am pleased to say that the garden survived without us, mostly."
    let more = "The neighbours watered it twice, which is more than we managed ourselves in the whole of last summer, to be honest."

    /// Complete sentences with their own links, next to the article's paragraphs, are the
    /// article's; teaser blurbs cut short with "…" and link lists are not.
    func testLinkedSentencesNextToTheArticleAreKept() {
        let linked = [
            "<a href=/a>This photo contest</a> has finalists that are <a href=/b>absolutely breathtaking</a>, see them.",
            "Someone drew <a href=/c>a map of life expectancy</a> on the <a href=/d>London Tube</a>, station by station.",
        ]
        let teaser = "<a href=/t>Ten clever ways to water a garden while you are away</a> on holiday, from those who know…"
        let page = "<html><body><div id=main><p>\(intro)</p><p>\(more)</p>" + linked.map { "<p>\($0)</p>" }.joined()
            + "<p>\(teaser)</p><p><a href=/x>Home</a> <a href=/y>Archive</a> <a href=/z>Contact</a></p></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains(intro), text)
        XCTAssertTrue(text.contains("This photo contest has finalists that are absolutely breathtaking, see them."), text)
        XCTAssertTrue(text.contains("Someone drew a map of life expectancy on the London Tube, station by station."), text)
        XCTAssertFalse(text.contains("Ten ways to water"), "a teaser cut short is not the article's")
        XCTAssertFalse(text.contains("Archive"), text)
    }

    /// A linked sentence ending in a colon introduces what follows (embedded posts, a list):
    /// it is the article's, and so is the borderline question after it.
    func testLinkedSentenceIntroducingEmbedsIsKept() {
        let lead = "The <a href=/t>@Garden community</a> chirped away this week as we asked <a href=/q>what is the first thing you plant in spring?</a> Take a peek at a few of our favourites:"
        let page = "<html><body><div class=post><p>\(intro) \(more)</p><p>\(lead)</p><div class=embeds><img src=a.png><img src=b.png></div>"
            + "<p>How long do you wait before planting? Share your thoughts here.</p></div>"
            + "<div class=nav><a href=/p>Previous post</a> <a href=/n>Next post</a></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("Take a peek at a few of our favourites:"), text)
        XCTAssertTrue(text.contains("How long do you wait before planting?"), text)
        XCTAssertFalse(text.contains("Previous post"), text)
    }

    /// The linked lines a sentence announces with a colon (a tour's cities) are the post's; a
    /// list of linked headlines after "More from the paper:" stays a related-stories box.
    func testLinesIntroducedByAColonAreKept() {
        let cities = ["Lisbon", "Porto", "Seville", "Valencia"].map { "<a href=/\($0)>\($0)</a><br><br>" }.joined()
        let related = ["Harbour wall repairs finish early", "Ferry fares rise in spring", "New bridge gets the go-ahead"]
            .map { "<li><a href=/r>\($0)</a></li>" }.joined()
        let page = "<html><body><div class=post><p>\(intro) \(more)</p>"
            + "<p>Here are the places we will visit on the first part of the tour, in this order:</p>\(cities)"
            + "<p>\(more) \(intro)</p><p>More stories from the paper this week, in case you missed them:</p><ul>\(related)</ul></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("Lisbon") && text.contains("Valencia"), text)
        XCTAssertFalse(text.contains("Ferry fares rise"), text)
    }

    /// The same with a full-width colon ("："), as Chinese text ends such a line: the lines it
    /// introduces are kept (the ASCII colon alone was read before the review of this change).
    func testLinesIntroducedByAFullWidthColonAreKept() {
        let cities = ["西安", "洛阳", "开封", "南京"].enumerated().map { "<a href=/c\($0.offset)>\($0.element)</a><br><br>" }.joined()
        let page = "<html><body><div class=post><p>这次旅行我们从北京出发，一路向南，经过很多历史悠久的城市，每到一处都会停留两三天，好好看看当地的风景和人。</p>"
            + "<p>以下是我们这次旅行第一段要去的城市，按顺序排列：</p>\(cities)"
            + "<p>每个城市我们都会写一篇游记，记下吃了什么、住在哪里、花了多少钱，希望对以后想去的朋友有一点帮助。</p></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("按顺序排列：\n西安\n洛阳\n开封\n南京\n"), text)
    }

    /// A short post whose only paragraph carries many links has no good block: its best prose
    /// (under half links) is the content, and boilerplate-named parts stay out.
    func testPostWithNoLightParagraphKeepsItsProse() {
        let post = "I would love to invite you to <a href=/e>the Little Gifts book event</a> at <a href=/s>the Reading Shop on Laurel Street</a> this Saturday at "
            + "two, where I will sign <a href=/b>the new book about the forgotten beast</a> and draw things for all who come."
        let page = "<html><body><div class=post><h3>Little gifts for friends</h3><p>\(post)</p><p>Hope to see you there.</p></div>"
            + "<div class=sidebar><p>Thank you for visiting my blog. I draw for a living and, for fun, I show my work in galleries, as often as I can.</p></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("I would love to invite you to the Little Gifts book event"), text)
        XCTAssertFalse(text.contains("Thank you for visiting"), text)
    }

    /// A headed list whose items each end in a short "Learn more" link, after the article's
    /// paragraph: the link lines do not cut the items off from the content.
    func testHeadedListWithLinkLinesIsKept() {
        let item = { (name: String, what: String) in "<li><h3>\(name)</h3><p>\(what)</p><p><a href=/\(name)>Learn more about \(name)</a></p></li>" }
        let page = "<html><body><div><p>\(intro) \(more)</p><ul>"
            + item("Inspector", "Examine the markup and style of any page and change its layout as you go, live.")
            + item("Console", "See the messages a page logs and run commands of your own against the page.")
            + item("Debugger", "Step through the code of a page and look at its state to track down the bugs.")
            + "</ul></div><div><a href=/h>Home</a> <a href=/n>News</a></div><div><a href=/c>Contact</a></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("Examine the markup"), text)
        XCTAssertTrue(text.contains("Console") && text.contains("Step through the code"), text)
        XCTAssertFalse(text.contains("Learn more"), text)
        XCTAssertFalse(text.contains("Contact"), text)
    }

    /// A short post of linked lines inside the page's one article body (Blogger's post-body
    /// entry-content) beside a long author bio: the marked body is the content, not the bio. A
    /// list of article cards (bodies side by side in one container) is no such marking.
    func testTheOneMarkedArticleBodyBeatsLongerProseElsewhere() {
        let bio = "I have been an advertising copywriter in this city for nineteen years, and I write about the ads I hate, the ads I love, "
            + "and the people who make them, which is most of what I think about when I am not thinking about lunch or the weather."
        let links = ["Eighteen prank signs on the Tube.", "Thirteen science museum billboards.", "A rejection letter from a club.", "A singer sings to his cat."]
        let post = "<div class=\"post-body entry-content\"><p>My five favourite posts of the week, in no order at all.</p><ul>"
            + links.map { "<li><a href=/x>\($0)</a></li>" }.joined() + "</ul><p>posted by the author at 6:01 PM</p></div>"
        let page = "<html><body><div class=main>\(post)</div><div class=profile><p>\(bio)</p><p>\(bio)</p></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("My five favourite posts of the week"), text)
        XCTAssertTrue(links.allSatisfy { text.contains($0) }, text)
        XCTAssertFalse(text.contains("copywriter"), text)

        let cards = (1...3).map { "<div class=\"card-article-body\"><p><a href=/c\($0)>Story number \($0) of the day, with a line or two to go with it.</a></p></div>" }.joined()
        let list = "<html><body><div class=\"cards-article-body\">\(cards)</div><div class=story><p>\(bio)</p><p>\(bio)</p></div></body></html>"
        let listText = HTMLExtractor().extract(list).text
        XCTAssertTrue(listText.contains("copywriter"), listText)
        XCTAssertFalse(listText.contains("Story number"), listText)
    }

    /// Share buttons (a boilerplate-named list of short links) beside a short post make no
    /// teaser card of the post: its two paragraphs stay the content, not a lightbox's blurb.
    func testShareButtonsDoNotMakeThePostATeaser() {
        let share = "<ul class=social-buttons><li class=social-tweet><a href=/t>Tweet</a></li><li class=social-like><a href=/l>Like</a></li></ul>"
        let post = "<h1>A case study</h1><div class=post><p>\(intro) \(more)</p><p>\(more) \(intro)</p></div>"
        let box = "<div class=lightbox><p>The letter keeps you in touch with what is happening in the world of design and marketing every week, "
            + "with a secret in each one, and a way to leave whenever you like.</p>"
            + "<p>We will never pass your details on to anyone, and every letter you get will come from us and nobody else at all, ever, "
            + "which is a promise we have kept for ten years.</p></div>"
        let page = "<html><body><div class=wrap>\(share)\(post)</div>\(box)</body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains(intro) && text.contains(more), text)
    }

    /// A section whose id is its heading's slug ("sharing-with-a-single-developer") is named
    /// for its topic: "sharing" in it does not make the section boilerplate. A short id
    /// ("share-buttons") still does.
    func testHeadingSlugIdsDoNotMarkBoilerplate() {
        let para = "<p>\(intro) \(more)</p>"
        let page = "<html><body><div class=content><div class=section id=getting-started>\(para)\(para)\(para)</div>"
            + "<div class=section id=sharing-with-a-single-developer><p>Keep your changes in draft until the reviewers are done with them, "
            + "then publish them all at once, so that nobody else ever builds on a change that is about to be rewritten.</p>\(para)</div>"
            + "<div id=share-buttons><p>Share this page with your friends and colleagues on every network you use, today, for free, right now.</p></div>"
            + "</div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("Keep your changes in draft"), text)
        XCTAssertFalse(text.contains("Share this page"), text)
    }

    /// A page whose one good paragraph sits in a box of its own (a notice) takes the box's
    /// parent as its main container: the headed feature list beside the box is content.
    func testOneGoodParagraphInABoxDoesNotNarrowTheMainContainer() {
        let item = { (name: String, what: String) in "<li><h3>\(name)</h3><p>\(what)</p></li>" }
        let features = ["Examine the markup and the style of any page and change its layout as you go.",
                        "See the messages a page logs and run commands against it while it is open.",
                        "Step through the code and look at its state to track down what went wrong."]
        let page = "<html><body><main><section class=intro><h2>Welcome</h2>"
            + "<div class=notice><p>\(intro) \(more)</p></div>"
            + "</section><section class=more><div class=container><h2>Features and tools</h2>"
            + "<ul>" + item("Inspector", features[0]) + item("Console", features[1]) + item("Debugger", features[2]) + "</ul>"
            + "</div></section></main><div class=side><p>Some other text that is not part of anything on this page.</p></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(features.allSatisfy { text.contains($0) }, text)
    }

    /// A page of short lines with no paragraph of prose (a product page) keeps its short
    /// unlinked lines with the one borderline line, not just that line; menus and the
    /// boilerplate footer stay out.
    func testProductPageOfShortLinesKeepsThem() {
        let page = "<html><body><div class=menu><a href=/>Home</a> <a href=/shop>Shop</a> <a href=/c>Contact us</a></div>"
            + "<div class=product><h2>The Palm Institute logo</h2><p>Premium graphic design</p><p>Order your logo</p>"
            + "<p>- Graphic, typographic and colour research and a proposal</p><p>- Delivery of your files in high resolution</p>"
            + "<p>Satisfaction guaranteed</p><p>- The number of changes is unlimited so that you are completely and fully satisfied</p>"
            + "<p>CHF 1,290.00 regular price</p></div><div class=footer><p>© design by somebody, all rights reserved</p></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        for line in ["Premium graphic design", "Delivery of your files in high resolution", "Satisfaction guaranteed", "The number of changes is unlimited"] {
            XCTAssertTrue(text.contains(line), text)
        }
        XCTAssertFalse(text.contains("Contact us") || text.contains("rights reserved"), text)
    }

    /// A round-up's entries each under a linked heading ("1. <a>Acme Widget Pro</a>") between
    /// the article's paragraphs: the headings are the article's. The cards of related stories
    /// after the article (a linked heading over a blurb each) are not, nor is a linked title
    /// above everything kept (the headline is `headline: true`'s to keep).
    func testLinkedHeadingsBetweenTheArticlesParagraphsAreKept() {
        let entries = [("Acme Widget Pro", "The best widget we tested, with a battery that lasts two days, a screen you can read in bright sun, and a case that survived every fall."),
                       ("Brightline Mini", "Half the price of the others and nearly as good, though its battery ran out a day sooner than the Acme's in every one of our tests."),
                       ("Cobalt Home", "The one to get for a family: four profiles, a stand for the kitchen table, and a speaker loud enough to be heard over the dishwasher.")]
        let body = entries.enumerated().map { "<h3>\($0.offset + 1). <a href=/p/\($0.offset)>\($0.element.0)</a></h3><p>\($0.element.1)</p>" }.joined()
        let cards = [("Why widgets cost more this year", "Prices rose by a third in a single year, and the makers say that the chips are to blame for most of it, not the shipping or the wages."),
                     ("The widget that started it all", "Twenty years ago a small shop in a garage built the first one, and sold eleven of them in its first year to friends and family alone.")]
            .map { "<div class=card><h4><a href=/other>\($0.0)</a></h4><p>\($0.1)</p></div>" }.joined()
        let page = "<html><body>\(TestPages.menu)<div class=post><h1><a href=/best>The best widgets of the year</a></h1><p>\(intro) \(more)</p>"
            + body + "<p>\(more) \(intro)</p><div class=more>\(cards)</div></div>\(TestPages.footer)</body></html>"
        let text = HTMLExtractor().extract(page).text
        for (k, e) in entries.enumerated() {
            XCTAssertTrue(text.contains(e.1), "lost the entry's paragraph: \(text)")
            XCTAssertTrue(text.contains("\(k + 1). \(e.0)"), "lost the entry's linked heading: \(text)")
        }
        XCTAssertFalse(text.contains("Why widgets cost more") || text.contains("started it all"), "a related story's card is not the article's: \(text)")
        XCTAssertFalse(text.contains("The best widgets of the year"), "a linked title above the article is the headline rule's: \(text)")
    }

    /// A round-up right under its title, a share bar between (nothing kept above the first
    /// entry): two or more linked headings in one flow are its entries, the first one too.
    func testARoundUpsFirstEntryUnderItsTitleIsKept() {
        let entries = [("Acme Widget Pro", "The best widget we tested, with a battery that lasts two days, a screen you can read in bright sun, and a case that survived every fall."),
                       ("Brightline Mini", "Half the price of the others and nearly as good, though its battery ran out a day sooner than the Acme in every one of our tests.")]
        let page = "<html><body>\(TestPages.menu)<div class=post><h1>The best widgets of the year</h1><div class=share><a href=/tw>Tweet</a> <a href=/fb>Share</a></div>"
            + entries.enumerated().map { "<h3>\($0.offset + 1). <a href=/p/\($0.offset)>\($0.element.0)</a></h3><p>\($0.element.1)</p>" }.joined()
            + "</div>\(TestPages.footer)</body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("1. Acme Widget Pro") && text.contains("2. Brightline Mini"), text)
    }

    /// Linked headlines set into the story are pointers to other pages, not its titles: a
    /// "READ MORE: <a>…</a>" heading between its paragraphs, a box of linked headlines (the
    /// story's next paragraph follows the last of them), a teaser's card (a flow of its own,
    /// two levels below the story's).
    func testLinkedHeadlinesSetIntoTheStoryAreLeftOut() {
        let story = TestPages.story.map { "<p>\($0)</p>" }
        let pointer = "<h3>READ MORE: <a href=/x>Mayor resigns after a year of scandal at city hall</a></h3>"
        let box = "<div class=more>" + ["Mayor resigns after a year of scandal", "New school opens in the valley", "Flood warning for the river towns"]
            .map { "<h4><a href=/h>\($0)</a></h4>" }.joined() + "</div>"
        let card = "<div class=teaser><div class=card><h3><a href=/x>Mayor resigns after a year of scandal at city hall</a></h3><div>2 hours ago</div></div></div>"
        for (inset, name) in [(pointer, "a pointer"), (box, "a box of headlines"), (card, "a teaser's card")] {
            let page = "<html><body>\(TestPages.menu)<div class=story>" + story[0...1].joined() + inset + story[2...3].joined() + "</div>\(TestPages.footer)</body></html>"
            let text = HTMLExtractor().extract(page).text
            XCTAssertTrue(text.contains(TestPages.story[2]), "lost the story's paragraph after \(name): \(text)")
            XCTAssertFalse(text.contains("Mayor resigns") || text.contains("Flood warning"), "kept \(name): \(text)")
        }
    }

    /// A blog's front page: each post's linked title in its header, its body beside it (one
    /// level up from the title's flow). The titles are the posts'.
    func testPostTitlesInTheirHeadersAreKept() {
        let posts = [("A week at the coast", intro), ("The garden in winter", more)]
        let page = "<html><body>\(TestPages.menu)<div id=posts>" + posts.enumerated().map { k, p in
            "<div class=post><div class=post-header><h2><a href=/p/\(k)>\(p.0)</a></h2><div class=meta>March \(k + 3), 2012</div></div>"
                + "<div class=post-body><p>\(p.1)</p><p>\(p.1)</p></div></div>"
        }.joined() + "</div>\(TestPages.footer)</body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains(intro) && text.contains(more), text)
        XCTAssertTrue(text.contains("The garden in winter"), "lost the second post's title: \(text)")
    }

    /// A linked name over a borderline note (an author's line set into the story) is no title:
    /// a title heads the good prose of the article's next part.
    func testALinkedNameOverANoteIsNoTitle() {
        let story = TestPages.story.map { "<p>\($0)</p>" }
        let note = "<h4><a href=/people/carrie>Carrie Arnold</a></h4><p>She writes about science and health from her home in Virginia for several magazines.</p>"
        let page = "<html><body>\(TestPages.menu)<div class=story>" + story[0...1].joined() + note + story[2...3].joined() + "</div>\(TestPages.footer)</body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("She writes about science"), "lost the borderline note between the paragraphs: \(text)")
        XCTAssertFalse(text.contains("Carrie Arnold"), "kept a linked name as a title: \(text)")
    }
}

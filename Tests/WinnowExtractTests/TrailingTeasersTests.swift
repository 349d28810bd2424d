import XCTest
@testable import WinnowExtract

/// Issue 16 (related-story teaser lists kept): a related-posts list set inside the post's own
/// container, after its last paragraph, each item a linked title and a blurb, was kept with
/// the post, because the teaser rule only dropped cards outside the container it chose.
/// Found with an `invariance.py`-style change (such a list after a page's last paragraph: 39
/// of the 1,922 scored pages under F1 0.8; trafilatura 82), not on gold text.
final class TrailingTeasersTests: XCTestCase {
    let post = [
        "The city council voted on Tuesday to rebuild the old bridge over the river, ending a debate that has lasted for more than ten years and divided the town.",
        "Work is due to start next spring, and the council expects the new bridge to open to traffic two years later, at a cost of about forty million dollars.",
        "Residents who live near the bridge will be able to comment on the plans at three public meetings in the town hall, the first of them in early March.",
    ]
    let blurbs = (0..<3).map { "A short blurb about story number \($0) that tells the reader why this other story is worth a click, with a few more words to make it long enough." }

    func text(_ html: String) -> String { HTMLExtractor().extract(html).text }

    func page(_ related: String) -> String {
        "<html><head><title>t</title></head><body>\(TestPages.menu)<div class=story>"
            + post.map { "<p>\($0)</p>" }.joined() + related + "</div>"
            + "<div class=footer><p>Copyright 2018 Example Media. All rights reserved.</p></div></body></html>"
    }

    /// Linked titles, each with its blurb below, after the post's last paragraph in its own
    /// container: the post stays, the blurbs go.
    func testRelatedPostsAfterThePostInItsContainerAreDropped() {
        let related = "<div><h3>More stories</h3><ul>" + blurbs.enumerated().map {
            "<li><a href=\"/story/\($0.offset)\">Another story number \($0.offset) about the city and its plans</a><p>\($0.element)</p></li>"
        }.joined() + "</ul></div>"
        let out = text(page(related))
        for s in post { XCTAssertTrue(out.contains(s), "lost \(s)") }
        for b in blurbs { XCTAssertFalse(out.contains(b), "kept a related story's blurb: \(b)") }
    }

    /// A list of notes whose only link-only item comes after them (a homepage's "Other things",
    /// ending in a link) reads as a card too, but no linked title heads its blurbs: it stays.
    func testNotesWithoutALinkedTitleAboveStay() {
        let notes = "<h3>Other things</h3><ul>" + blurbs.prefix(2).map { "<li>\($0)</li>" }.joined()
            + "<li><a href=\"/books\">books books books</a></li></ul>"
        let out = text(page(notes))
        for s in post + Array(blurbs.prefix(2)) { XCTAssertTrue(out.contains(s), "lost \(s)") }
    }
    /// A personal page's sections: a paragraph that announces the list of links after it
    /// ("…topics in language processing:"), in one wrapper with it, is the page's own; a list
    /// item that opens with a linked title makes its wrapper a card, but not for the paragraph
    /// that announces it. A paragraph of the same wrapper that announces nothing (an author's bio
    /// above the list of the author's other stories) is still a card's blurb.
    func testAParagraphThatAnnouncesTheLinksAfterItIsNoTeaser() {
        let topics = ["Open data for language models", "Adapting models to specialised texts", "Evaluation in language processing",
                      "Reading assistance", "Limits of language models"]
        let links = "<ul>" + topics.enumerated().map { "<li><a href=\"/topic/\($0.offset)\">\($0.element)</a></li>" }.joined() + "</ul>"
        let intro = "I am a scientist at an institute for artificial intelligence working on open language models and on tools that help "
            + "people read scientific papers. I specialise in these topics in language processing:"
        func homepage(_ intro: String) -> String {
            "<html><head><title>t</title></head><body>\(TestPages.menu)<article><div class=clearfix><h2>research</h2><p>\(intro)</p>\(links)</div>"
                + "<div class=personal><h2>me</h2><p>\(post[0]) \(post[1])</p></div><div class=news><h2>news</h2><p>\(post[2]) \(blurbs[0])</p></div>"
                + "</article></body></html>"
        }
        let out = text(homepage(intro))
        XCTAssertTrue(out.contains(intro), "lost the paragraph announcing the list")
        XCTAssertTrue(out.contains(post[0]) && out.contains(post[2]))
        let bio = String(intro.dropLast()) + " and on many other things besides."
        XCTAssertFalse(text(homepage(bio)).contains(bio), "kept a paragraph above a card's links that announces nothing")
    }

    /// Cards under linked headings after the post, each blurb ending in a colon: still teasers
    /// (only a list's card spares a paragraph that announces what follows).
    func testABlurbEndingInAColonUnderALinkedHeadingIsStillATeaser() {
        let cards = blurbs.enumerated().map {
            "<div class=card><h3><a href=\"/story/\($0.offset)\">Another story number \($0.offset) about the city</a></h3><p>\($0.element.dropLast()):</p></div>"
        }.joined()
        let out = text(page(cards))
        for s in post { XCTAssertTrue(out.contains(s), "lost \(s)") }
        for b in blurbs { XCTAssertFalse(out.contains(String(b.dropLast())), "kept a related story's blurb: \(b)") }
        // A card under a linked heading that also lists its parts as links is a heading's card.
        let listed = blurbs.enumerated().map {
            "<div class=card><h3><a href=\"/story/\($0.offset)\">Another story number \($0.offset) about the city</a></h3><p>\($0.element.dropLast()):</p>"
                + "<ul><li><a href=\"/story/\($0.offset)#1\">Part one</a></li><li><a href=\"/story/\($0.offset)#2\">Part two</a></li></ul></div>"
        }.joined()
        let listedOut = text(page(listed))
        for b in blurbs { XCTAssertFalse(listedOut.contains(String(b.dropLast())), "kept a related story's blurb over its parts: \(b)") }
    }
}

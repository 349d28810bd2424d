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
}

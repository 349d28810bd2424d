import XCTest
@testable import WinnowExtract

/// Issue 16 (text missed): an article whose markup splits it into sibling parts of one kind
/// (Medium's `<section class="section …">` at each full-width figure, a story's lead in a `div`
/// of its body's class) kept only the part with most of the text; a part with under a fifth of
/// it was not taken for another column of content. Found on the readability set's Medium page
/// (its last three sections lost) and checked on the rest: 16 pages up, 3 down (end matter
/// that sits in a part of the same kind: "A version of this article appeared in print…").
final class SameKindSiblingsTests: XCTestCase {
    let body = [
        "In late 2011 I sat in the design room of our student newsroom with a few other editors, and we talked about how the web was changing the way people read the news.",
        "Photography was my lucky way into the newsroom, and it taught me that the story is more than the words: it is the pictures, the layout and the way the reader moves through it.",
        "We spent much of the rest of the year asking other student newsrooms how they worked, what tools they used and who in the room was in charge of the website.",
        "Our questioning of other student newsrooms showed that most of them lacked mentors, had no editor for the web and very little control over their own websites.",
        "Two years later we went back to the same newsrooms and asked the same questions, and found that some of them had changed, while others had not changed at all.",
        "From all this we realised that changing a student newsroom is difficult: it takes patience, and it requires the business side and the editors to agree on the goal.",
    ]
    let lastPart = [
        "We are going to continue slowly growing the content of the project, and we expect to polish it and add more original tutorials over the next year.",
    ]

    func text(_ html: String) -> String { HTMLExtractor().extract(html).text }

    /// The article's parts under one parent, the second a full-width figure, the last one
    /// paragraph; `lastClass` is the class of the last part's element.
    func page(lastClass: String) -> String {
        "<html><head><title>t</title></head><body>\(TestPages.menu)<article><div class=postBody>"
            + "<section class=\"section section--body section--first\"><div class=inner>" + body.map { "<p>\($0)</p>" }.joined() + "</div></section>"
            + "<section class=\"section section--body\"><figure><img src=/a.jpg><figcaption>The newsroom in 2012</figcaption></figure></section>"
            + "<section class=\"\(lastClass)\"><div class=inner>" + lastPart.map { "<p>\($0)</p>" }.joined() + "</div></section>"
            + "</div></article><div class=footer><p>Copyright 2018 Example Media. All rights reserved.</p></div></body></html>"
    }

    /// The last part, a section of the same kind as the first, is the article's.
    func testLastPartOfTheSameKindIsKept() {
        let out = text(page(lastClass: "section section--body section--last"))
        for s in body + lastPart { XCTAssertTrue(out.contains(s), "lost \(s)") }
    }

    /// The same parts in custom elements (`<story-part class="section …">`, a site built from
    /// web components): each becomes a container when its first block opens, with its tag and
    /// class as its kind, so the last part is of the first one's kind and kept; one of another
    /// class is not.
    func testPartsInCustomElementsOfTheSameKindAreKept() {
        func custom(_ lastClass: String) -> String {
            page(lastClass: lastClass).replacingOccurrences(of: "<section", with: "<story-part").replacingOccurrences(of: "</section>", with: "</story-part>")
        }
        let same = text(custom("section section--body section--last"))
        for s in body + lastPart { XCTAssertTrue(same.contains(s), "lost \(s)") }
        let other = text(custom("column"))
        for s in lastPart { XCTAssertFalse(other.contains(s), "kept \(s)") }
    }

    /// A sibling of another kind with as little text (a column of its own) is not.
    func testSiblingOfAnotherKindStaysOut() {
        let out = text(page(lastClass: "column"))
        for s in body { XCTAssertTrue(out.contains(s), "lost \(s)") }
        for s in lastPart { XCTAssertFalse(out.contains(s), "kept \(s)") }
    }
    /// An element of the kind nested in a sibling of another kind (a section inside a
    /// column beside the article) is not a part of the article.
    func testSameKindInsideAnotherKindStaysOut() {
        let html = "<html><head><title>t</title></head><body>\(TestPages.menu)<div class=postBody>"
            + "<section class=\"section section--first\"><div class=inner>" + body.map { "<p>\($0)</p>" }.joined() + "</div></section>"
            + "<div class=column><h3>Elsewhere</h3><section class=\"section section--last\"><div class=inner>"
            + lastPart.map { "<p>\($0)</p>" }.joined() + "</div></section></div>"
            + "</div><div class=footer><p>Copyright 2018 Example Media. All rights reserved.</p></div></body></html>"
        let out = text(html)
        for s in body { XCTAssertTrue(out.contains(s), "lost \(s)") }
        for s in lastPart { XCTAssertFalse(out.contains(s), "kept \(s)") }
    }

    /// A story's lead paragraph in a `div` of its body's class, with a box of links between it
    /// and the rest of the story (which stops the lead-in rule), is the story's.
    func testLeadInADivOfTheBodysClassIsKept() {
        let lead = "MOSCOW — Election results reported on Monday in the parliamentary election point to an effort by the ruling party and the president to keep their hold on parliament, observers said."
        let html = "<html><head><title>t</title></head><body>\(TestPages.menu)<div class=story>"
            + "<div class=\"storyText first\"><p>\(lead)</p></div>"
            + "<div class=inset><ul><li><a href=/live>Live results from the regions</a></li><li><a href=/map>Map: how each region voted</a></li></ul></div>"
            + "<div class=storyText>" + (body + body.reversed()).map { "<p>\($0)</p>" }.joined() + "</div>"
            + "</div><div class=footer><p>Copyright 2018 Example Media. All rights reserved.</p></div></body></html>"
        let out = text(html)
        for s in [lead] + body { XCTAssertTrue(out.contains(s), "lost \(s)") }
    }
}

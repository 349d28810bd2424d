import XCTest
@testable import WinnowExtract

/// The author's box under a story ("About the author", a photo and a bio in a
/// `<div class="author-bio">`) is not the story's, as trafilatura's "author" class test has it;
/// "author" or "bio" alone marks nothing (a byline, a biography page), nor does a paragraph
/// about its author (an essay's note under its title).
final class AuthorBoxTests: XCTestCase {
    let story = TestPages.story
    let bio = "Jane Smith is a senior reporter who has covered city hall, the courts and the police for the paper since 2004. "
        + "She lives in the valley with her family and two dogs, and you can follow her on Twitter."

    func text(_ body: String) -> String {
        HTMLExtractor().extract("<html><head><title>t</title></head><body>\(TestPages.menu)\(body)\(TestPages.footer)</body></html>").text
    }

    func storyWith(_ box: String) -> String {
        text("<div class=story>" + story.map { "<p>\($0)</p>" }.joined() + box + "</div>")
    }

    func testAnAuthorsBoxAfterTheStoryIsLeftOut() {
        for box in ["<div class=\"author-bio\"><img src=/a.jpg><h4>About the author</h4><p>\(bio)</p></div>",
                    "<div id=authorbox><p>\(bio)</p></div>",
                    "<section class=\"about-the-author\"><p>\(bio)</p></section>",
                    "<div class=\"author-card\"><p>\(bio)</p></div>"] {
            let out = storyWith(box)
            for s in story { XCTAssertTrue(out.contains(s), "lost \(s) beside \(box)") }
            XCTAssertFalse(out.contains("Jane Smith is a senior reporter"), "kept the author's box \(box):\n\(out)")
        }
    }

    /// A byline's "author" class and a biography's "bio" class are not an author's box.
    func testAuthorOrBioAloneMarksNothing() {
        let byline = storyWith("<div class=author><p>\(bio)</p></div>")
        XCTAssertTrue(byline.contains("Jane Smith is a senior reporter"), byline)
        let life = ["Ada Lovelace was born in London in 1815, the only child of the poet Lord Byron and his wife, who left him a month later.",
                    "She worked with Charles Babbage on his Analytical Engine, and her notes on it hold what is often called the first program.",
                    "She died in 1852, at the age of thirty-six, and was buried beside her father in the church of St Mary Magdalene."]
        let page = text("<div class=bio><h1>Ada Lovelace</h1>" + life.map { "<p>\($0)</p>" }.joined() + "</div>")
        for l in life { XCTAssertTrue(page.contains(l), "lost \(l):\n\(page)") }
    }

    /// An author's own page, the bio in an "author-description" element, keeps it: that word
    /// names no box. Nor does a quotation marked with its author ("author-card" on a
    /// `<blockquote>`).
    func testAnAuthorsPageAndAQuotationKeepTheirText() {
        let page = text("<div class=profile><h1>Jane Smith</h1><div class=\"author-description\"><p>\(bio)</p></div>"
            + "<ul>" + story.map { "<li>\($0)</li>" }.joined() + "</ul></div>")
        XCTAssertTrue(page.contains("Jane Smith is a senior reporter"), page)
        let quoted = storyWith("<blockquote class=\"author-card\"><p>\(bio)</p></blockquote>")
        XCTAssertTrue(quoted.contains("Jane Smith is a senior reporter"), quoted)
    }

    /// An essay's note on its author, a paragraph under its title, is the essay's.
    func testAParagraphAboutItsAuthorIsText() {
        let out = text("<div class=essay><h1>On bridges</h1><p class=\"author-bio\">\(bio)</p>" + story.map { "<p>\($0)</p>" }.joined() + "</div>")
        XCTAssertTrue(out.contains("Jane Smith is a senior reporter"), out)
    }
}

import XCTest
@testable import WinnowExtract

/// Issue 16: a heading linked to its own place on the page (a section's permalink, as
/// documentation sites, wikis and many blogs set them) heads no teaser card. Found with
/// `invariance.py`-style changes (a linked subheading before every third paragraph: 18 pages
/// under F1 0.8, trafilatura 5), not on gold text.
final class SectionPermalinkTests: XCTestCase {
    let paragraphs = [
        "Graduation parties are a great way to mark the years of hard work that teenagers and students give to their education, and they are costly for the parents who pay for them.",
        "The average cost of a party last year was over a thousand dollars, and most of it went on food, drink and the hire of a hall for the evening, by the figures of one survey.",
        "Parties held at restaurants and clubhouses save the hours of cleaning up once the guests have gone home, and some include the food and the drink in a single price per head.",
        "Serve jugs of water with lemon and cucumber slices instead of canned drinks, which guests often open and never finish, and keep a few bottles of soda for the children.",
    ]

    func text(_ html: String) -> String { HTMLExtractor().extract(html).text }

    /// A how-to page's steps, each a box with a heading and two paragraphs; the headings of the
    /// first and the last step linked to `href`, the others plain.
    func page(headingLink href: (Int) -> String) -> String {
        let steps = (0..<5).map { i -> String in
            let title = "Step \(i + 1) of the plan"
            let heading = i == 0 || i == 4 ? "<a href=\"\(href(i))\">\(title)</a>" : title
            return "<div class=\"mod step\"><div class=stepContent><div class=content><h3>\(heading)</h3>"
                + "<p>Step \(i + 1): \(paragraphs[i % 4])</p><p>\(paragraphs[(i + 1) % 4])</p></div></div></div>"
        }
        return "<html><body><ul class=menu><li><a href=/>Home</a></li><li><a href=/tips>Tips</a></li></ul>"
            + "<div class=col-main>\(steps.joined())</div></body></html>"
    }

    /// Sections under permalinked headings are the article; the same sections under headings
    /// linked to other pages are teaser cards (a list of other stories with their blurbs).
    func testPermalinkedHeadingsHeadNoTeaserCards() {
        let permalinked = text(page { "#step-\($0)" })
        for i in 1...5 { XCTAssertTrue(permalinked.contains("Step \(i): "), permalinked) }
        let teasers = text(page { "/stories/\($0)" })
        XCTAssertFalse(teasers.contains("Step 1: "), teasers)
        XCTAssertTrue(teasers.contains("Step 2: "), teasers)
    }

    /// A bare "#" is a script hook (an author box's toggle), and "#!/…" an AJAX page's address:
    /// such headings still head cards.
    func testBareHashAndHashbangAreNoPermalinks() {
        for href in ["#", "#!/stories/1"] {
            let out = text(page { _ in href })
            XCTAssertFalse(out.contains("Step 1: "), "\(href): \(out)")
        }
    }
}

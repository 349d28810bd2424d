import XCTest
@testable import WinnowExtract

/// Issue 16: a box set into an article (a newsletter sign-up, a share bar, a "Read more:" line)
/// ended the run of borderline lines beside it, so the lines on its other side were lost when no
/// good paragraph stood there with them: a story's closing sentences, a headed feature list.
/// Found with `invariance.py`'s `newsletter`, `read-more`, `inline-share` and `inline-related`
/// changes (35–38 of the 1,922 scored pages lost over a tenth of their text), not on gold text.
final class ArticleInsetsTests: XCTestCase {
    let opening = [
        "The state swimming championships were held on Saturday at the new aquatic centre, where more than three hundred swimmers from forty schools raced in front of a full house.",
        "Trinity Academy junior Ben Patton added to his collection of state titles, winning the individual medley by almost two seconds ahead of the defending champion.",
    ]
    let closing = [
        "West senior David Garcia finished second in the fifty yard freestyle.",
        "East junior Hugh McPherson won first place in the backstroke final.",
    ]
    let newsletter = "<div class=\"newsletter-signup\"><h3>Get our newsletter</h3><p>Sign up for the best stories of the day, "
        + "delivered to your inbox every morning, free of charge.</p></div>"
    let share = "<ul class=\"share-buttons\"><li><a href=\"/tw\">Tweet</a></li><li><a href=\"/fb\">Share</a></li></ul>"

    func paragraphs(_ s: [String]) -> String { s.map { "<p>\($0)</p>" }.joined() }

    /// The story: its opening, `inset`, then `afterInset` (its closing sentences by default), and a footer.
    func story(_ inset: String, afterInset: String? = nil) -> String {
        let rest = afterInset ?? paragraphs(closing)
        return "<html><head><title>t</title></head><body>\(TestPages.menu)<div class=story>\(paragraphs(opening))\(inset)\(rest)</div>"
            + "<div class=footer><p>Copyright 2018 Example Media. All rights reserved.</p></div></body></html>"
    }

    func text(_ html: String) -> String { HTMLExtractor().extract(html).text }

    let related = "<div class=box><h3>Read more</h3><ul>" + (0..<3).map { "<li><a href=\"/s\($0)\">Another story number \($0)</a></li>" }.joined()
        + "</ul></div>"

    /// The closing sentences after a newsletter box, a share bar or a short related list set
    /// into the story are the story's; the box is not, nor its heading.
    func testClosingSentencesAfterABoxAreKept() {
        for inset in [newsletter, share, related] {
            let out = text(story(inset))
            for s in opening + closing { XCTAssertTrue(out.contains(s), "\(inset.prefix(30)): lost \(s)") }
            for boxText in ["Get our newsletter", "Sign up for the best stories", "Tweet", "Read more", "Another story", "Copyright"] {
                XCTAssertFalse(out.contains(boxText), "\(inset.prefix(30)): kept \(boxText)")
            }
        }
    }

    /// A headed feature list between a link line and a "Read more:" line, in the flow of the
    /// paragraphs around it, is the article's.
    func testFeatureListBetweenLinkLinesIsKept() {
        let intro = [
            "RedNotebook Portable 1.6 has been released. RedNotebook is a modern journal that includes a calendar navigation, customizable templates, export functionality and word clouds.",
            "The journal keeps every entry in a plain text file for each month, so that your notes stay readable with any editor for as long as you want to keep them, on any system.",
        ]
        let after = [
            "RedNotebook Portable is packaged in an installer so it will automatically detect an existing installation when your drive is plugged in, and it keeps your settings between versions.",
            "The portable version keeps every entry in a plain text file for each month, so that your notes stay readable with any editor for as long as you want to keep them, on any system.",
        ]
        let features = ["Tagging", "Format your text bold, italic or underlined", "Export the journal to PDF, HTML, Latex or plain text",
                        "The data is stored in plain text files, no database is needed", "Translated into more than twenty languages"]
        let body = paragraphs(intro) + "<p><a href=/update>Update automatically or install from the portable app store in the platform.</a></p>"
            + "<h3>Features</h3><ul>" + features.map { "<li>\($0)</li>" }.joined() + "</ul>"
            + "<p><strong>Read more:</strong> <a href=\"/other\">Another story about something else entirely</a></p>"
            + "<h3>Installer</h3>" + paragraphs(after)
        let out = text("<html><head><title>t</title></head><body>\(TestPages.menu)<div class=story>\(body)</div></body></html>")
        for s in intro + after { XCTAssertTrue(out.contains(s)) }
        for f in features { XCTAssertTrue(out.contains("- " + f), "lost feature: \(f)") }
        XCTAssertFalse(out.contains("Another story"))
    }

    /// No inset: lines under another parent after the box (an author's note, a footer's box),
    /// and lines after a stretch holding a long block (a related story's headline, a comment).
    func testLinesPastTheFlowOrALongBlockStayOut() {
        let otherParent = text(story(share, afterInset: "</div><div class=note>" + paragraphs(closing)))
        let longRelated = "<ul>" + (0..<2).map { "<li><a href=\"/s\($0)\">Another story about the swimming season that the readers of this page might like to read next, number \($0) of them</a></li>" }.joined() + "</ul>"
        let pastRelated = text(story(longRelated))
        for out in [otherParent, pastRelated] {
            for s in opening { XCTAssertTrue(out.contains(s)) }
            for s in closing { XCTAssertFalse(out.contains(s)) }
        }
    }
    /// A buying guide: per product a heading, its feature list and a shop box of links. A
    /// product whose features are all short lines ("GPS", "Swim proof") sits between two shop
    /// boxes in a stretch of over eight blocks; its lines are the flow's own, so the boxes are
    /// set into the article and the product stays with the rest.
    func testShortFeatureListsBetweenShopBoxesAreKept() {
        func shopBox(_ n: Int) -> String {
            "<div class=callout><div><a href=\"/p\(n)\">Example Watch \(n) (Latest Model)</a></div><div><a href=\"/p\(n)\">$199.00</a></div>"
                + "<div><a href=\"/p\(n)\">Available from Example Store</a></div><a href=\"/p\(n)\">Buy Now</a></div>"
        }
        let longFeatures = ["A bright always-on display that is easy to read in direct sunlight on a run",
                            "Battery life of up to eighteen hours between charges on a normal working day"]
        let shortFeatures = ["GPS", "Optical heart sensor", "Digital Crown", "Dual-core processor", "Accelerometer and gyroscope",
                             "Swim proof", "Aluminum case", "Sport band"]
        func product(_ n: Int, _ features: [String]) -> String {
            "<h2>Example Watch \(n)</h2><ul>" + features.map { "<li>\($0)</li>" }.joined() + "</ul>" + shopBox(n)
        }
        let body = paragraphs(opening) + product(1, longFeatures) + product(2, shortFeatures) + product(3, longFeatures) + paragraphs(closing)
        let out = text("<html><head><title>t</title></head><body>\(TestPages.menu)<div class=story>\(body)</div></body></html>")
        for s in opening + closing + longFeatures { XCTAssertTrue(out.contains(s), "lost \(s)") }
        XCTAssertTrue(out.contains("Example Watch 2\n"), "lost the heading of the product of short features")
        for f in shortFeatures { XCTAssertTrue(out.contains("- " + f + "\n"), "lost feature: \(f)") }
        for boxText in ["Buy Now", "Available from", "$199.00"] { XCTAssertFalse(out.contains(boxText), "kept \(boxText)") }
    }

    /// Past eight blocks, plain lines in an element of their own (a lesson plan's titles in a
    /// box) are no shop box's text beside the flow: no inset is made of them, and they are
    /// judged as the article's short lines, as before.
    func testPlainLinesOfTheirOwnElementMakeNoLongInset() {
        let titles = (1...10).map { "Lesson \($0): Title of lesson number \($0)" }
        let box = "<div class=lessons><h3>Lessons</h3>" + titles.map { "<div>\($0)</div>" }.joined()
            + "<div><a href=/all>See all of the lessons</a></div><div><a href=/print>Print this page</a></div></div>"
        let after = ["The relay teams closed the meet in the evening session, when the home crowd saw the academy's four swimmers break the state record by a full second.",
                     "The championships return to the aquatic centre next year, when the organisers expect even more schools to send their swimmers to the three days of racing."]
        let out = text(story(box, afterInset: paragraphs(after)))
        for s in opening + after + titles { XCTAssertTrue(out.contains(s), "lost \(s)") }
    }
}

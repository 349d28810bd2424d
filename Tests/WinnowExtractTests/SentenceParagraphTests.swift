import XCTest
@testable import WinnowExtract

/// Issue 16: an article written one sentence to a paragraph must come out as the same article
/// written in paragraphs. Found with `bench/extraction/invariance.py` (`sentences`: every paragraph
/// split at its sentences; 16 of the 1,922 scored pages fell under F1 0.8, trafilatura 1).
final class SentenceParagraphTests: XCTestCase {
    let sentences = [
        "The council voted on Tuesday night to close the old library on the corner of Main Street.",
        "Residents had argued for months that the building should stay open for the children.",
        "The mayor said the town could no longer pay for the repairs the roof needs.",
        "A new reading room will open in the school next spring, with longer hours.",
        "The books will move there over the summer, and the old building will be sold.",
        "Some residents said they would take the decision to court before the sale.",
        "The library first opened its doors in 1911, with a gift from a local family.",
        "The council will meet again next month to decide what to do with the money.",
    ]
    let bio = "Jane Doe has covered the town hall for this paper for nineteen years, and before that she wrote about schools, "
        + "roads and the weather for a weekly paper in the next county, which closed in 2004."
    let nav = "<ul class=menu>" + ["Home", "News", "Sport", "Weather", "Contact"].map { "<li><a href=/\($0)>\($0)</a></li>" }.joined() + "</ul>"

    func text(_ html: String, favor: HTMLExtractor.Favor = .balanced) -> String { HTMLExtractor(favor: favor).extract(html).text }
    func words(_ s: String) -> [Substring] { s.split(whereSeparator: { $0 == " " || $0 == "\n" }) }

    func page(_ story: String) -> String {
        "<html><body>\(nav)<div id=main><h1>Old library to close</h1><div class=story>\(story)</div></div>"
            + "<div id=side><div class=profile><p>\(bio)</p></div></div></body></html>"
    }

    /// No sentence alone is prose, so the bio beside the story, the page's one long paragraph,
    /// used to be taken for the content and the story was lost.
    func testAStoryOfOneSentenceParagraphsIsTheContent() {
        let split = text(page(sentences.map { "<p>\($0)</p>" }.joined()))
        XCTAssertEqual(split, sentences.joined(separator: "\n"))
        XCTAssertFalse(split.contains("Jane Doe"), split)
        // Favoring precision (no borderline rescues), the story is still the content.
        XCTAssertEqual(text(page(sentences.map { "<p>\($0)</p>" }.joined()), favor: .precision), sentences.joined(separator: "\n"))
    }

    /// The same story in two paragraphs, one sentence to a paragraph, and one sentence to a line
    /// between `<br>`s gives the same words.
    func testTheSameStoryWrittenThreeWaysGivesTheSameWords() {
        let paragraphs = text(page("<p>" + sentences[..<4].joined(separator: " ") + "</p><p>" + sentences[4...].joined(separator: " ") + "</p>"))
        XCTAssertEqual(words(paragraphs), words(sentences.joined(separator: " ")), paragraphs)
        XCTAssertEqual(words(text(page(sentences.map { "<p>\($0)</p>" }.joined()))), words(paragraphs))
        XCTAssertEqual(words(text(page("<div>" + sentences.joined(separator: "<br><br>") + "</div>"))), words(paragraphs))
    }

    /// Short lines that are not sentences of a paragraph stay short: list items, headings, lines
    /// that end no sentence, mostly-linked lines.
    func testWhatIsALoneSentence() {
        func block(_ s: String, heading: Bool = false, listItem: Bool = false, links: Int = 0) -> HTMLExtractor.Block {
            var b = HTMLExtractor.Block()
            b.bytes = Array(s.utf8)
            b.headingLevel = heading ? 2 : 0
            b.listItem = listItem
            b.linkBytes = links
            return b
        }
        XCTAssertTrue(HTMLExtractor.isLoneSentence(block("The mayor said so."), .short))
        XCTAssertTrue(HTMLExtractor.isLoneSentence(block("“We will go to court,” she said, “and we will win.”"), .near))
        XCTAssertTrue(HTMLExtractor.isLoneSentence(block("市议会周二晚上投票决定关闭老图书馆。"), .near))
        XCTAssertFalse(HTMLExtractor.isLoneSentence(block("The mayor said so."), .good))
        XCTAssertFalse(HTMLExtractor.isLoneSentence(block("The mayor said so."), .bad))
        XCTAssertFalse(HTMLExtractor.isLoneSentence(block("The mayor said so.", heading: true), .short))
        XCTAssertFalse(HTMLExtractor.isLoneSentence(block("The mayor said so.", listItem: true), .short))
        XCTAssertFalse(HTMLExtractor.isLoneSentence(block("Posted by Jane Doe on Tuesday"), .short))
        XCTAssertFalse(HTMLExtractor.isLoneSentence(block("Read the mayor's letter here.", links: 20), .short))
        for s in ["Stop!", "Why?", "And then…", "(See below.)", "It was \"over.\"", "完了！", "真的吗？"] {
            XCTAssertTrue(HTMLExtractor.endsSentence(Array(s.utf8)), s)
        }
        for s in ["", "  ", "Main Street", "Price: $5", "etc,"] {
            XCTAssertFalse(HTMLExtractor.endsSentence(Array(s.utf8)), s)
        }
    }

    /// Two sentences that together are still shorter than prose stay what they are.
    func testAShortPairStaysShort() {
        let blocks = ["Thank you.", "Come again."].map { s -> HTMLExtractor.Block in
            var b = HTMLExtractor.Block()
            b.bytes = Array(s.utf8)
            return b
        }
        var cls = blocks.map { HTMLExtractor.classify($0) }
        HTMLExtractor.readSentenceRunsAsParagraphs(blocks, Containers(), &cls)
        XCTAssertEqual(cls, [.short, .short])
    }
}

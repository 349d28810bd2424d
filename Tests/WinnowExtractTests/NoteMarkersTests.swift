import XCTest
@testable import WinnowExtract

/// Issue 16: a paragraph that ends with note markers ("…in 1973.[4][5]", as Wikipedia and
/// footnoted essays set them) still ends a sentence. It did not, so the rules that read sentences
/// (linked prose, sentence runs, linked sentences next to the article) passed every Wikipedia
/// paragraph by. Found with an `invariance.py` change (`wiki`: every third word linked and a
/// note marker after each paragraph), not on gold text.
final class NoteMarkersTests: XCTestCase {
    func ending(_ s: String) -> String {
        let b = Array(s.utf8)
        return String(decoding: b[..<HTMLExtractor.endingBeforeNoteMarkers(b)], as: UTF8.self)
    }

    func testNoteMarkersAfterTheLastSentenceAreSetAside() {
        XCTAssertEqual(ending("It was published in 1973.[4][5]"), "It was published in 1973.")
        XCTAssertEqual(ending("It lasted for a millennium. [MPH SP / MP2 SP / MP3 LB]"), "It lasted for a millennium.")
        XCTAssertEqual(ending("The town has 84 inhabitants.[citation needed] [a]"), "The town has 84 inhabitants.")
        XCTAssertEqual(ending("No markers here."), "No markers here.")
        // A bracket of over 40 bytes is text, not a marker; so is one that is never opened.
        let long = "See the notes. [this bracket holds a remark far longer than any note marker is]"
        XCTAssertEqual(ending(long), long)
        XCTAssertEqual(ending("a list ] of things"), "a list ] of things")
        XCTAssertEqual(ending("1] 2]"), "1] 2]")

        XCTAssertTrue(HTMLExtractor.endsSentence(Array("It was published in 1973.[4][5]".utf8)))
        XCTAssertTrue(HTMLExtractor.endsSentence(Array("“It was,” he said.”[12]".utf8)))
        // Closing quotes of other languages after the sentence: German „…“, French «…», Japanese 「…」.
        XCTAssertTrue(HTMLExtractor.endsSentence(Array("Er sagte: „Ich komme morgen.“".utf8)))
        XCTAssertTrue(HTMLExtractor.endsSentence(Array("Il a dit : « Je viens demain. »".utf8)))
        XCTAssertTrue(HTMLExtractor.endsSentence(Array("彼は「明日行きます。」".utf8)))
        XCTAssertTrue(HTMLExtractor.endsSentence(Array("I go, “Oh no! I’ll be right back!”‘".utf8)))
        // A wiki heading's edit link follows no sentence; nor does an elided quotation.
        XCTAssertFalse(HTMLExtractor.endsSentence(Array("History[edit]".utf8)))
        XCTAssertFalse(HTMLExtractor.endsSentence(Array("and then he said [...]".utf8)))
    }

    let nav = TestPages.menu
    let about = TestPages.about
    let sentences = [
        "The village lies in the green hills above the river, some forty kilometres to the east of the provincial capital, and it has been home to farmers and shepherds since the middle ages.",
        "Most of the houses in the village are built of the grey stone that was cut by hand in the old quarries on the hill, to the north of the river, long before the railway came.",
        "The population of the village fell from more than four hundred people at the start of the last century to fewer than a hundred today, as the young families left for the cities.",
    ]

    func page(_ body: String) -> String { TestPages.withAbout(body) }

    func linked(_ s: String, every n: Int) -> String { TestPages.linked(s, every: n) }

    func note(_ n: Int) -> String { "<sup id=\"cite_ref-\(n)\" class=\"reference\"><a href=\"#cite_note-\(n)\">[\(n)]</a></sup>" }

    /// Short paragraphs with links in their sentences and a note marker after each (a Wikipedia
    /// stub) are the page's content, as they are without the markers. The page used to come out
    /// as the box about the site.
    func testFootnotedLinkedParagraphsAreContent() {
        func out(_ withNotes: Bool) -> String {
            let body = sentences.enumerated().map { "<p>\(linked($0.element, every: 3))\(withNotes ? note($0.offset + 1) : "")</p>" }.joined()
            return HTMLExtractor().extract(page("<div class=content>\(body)</div>")).text
        }
        let plain = out(false), noted = out(true)
        for s in sentences { XCTAssertTrue(plain.contains(s), plain) }
        XCTAssertEqual(noted.replacingOccurrences(of: #"\[\d\]"#, with: "", options: .regularExpression), plain)
    }

    /// A sentence mostly made of links next to the article's paragraphs is borderline there
    /// (prose with inline links, words between its links; or `linkedProse`) and kept, with a
    /// note marker after it too.
    func testFootnotedLinkedSentenceIsBorderline() {
        let prose = "Most of the houses in the village are built of the grey stone that was cut by hand in the old quarries on the hill, "
            + "to the north of the river, and the old mill, which ground wheat for the whole district until the railway came, "
            + "now holds a small museum of rural life that is open to visitors on summer weekends and on public holidays."
        let sentence = "It was twinned with <a href=/a>Saint-Jean-de-Luz</a> and <a href=/b>Hondarribia</a> in <a href=/c>the spring of 1994</a> by the two mayors."
        for marker in ["", note(3)] {
            let blocks = HTMLExtractor().explain(page("<div class=content><p>\(prose)</p><p>\(prose)</p><p>\(sentence)\(marker)</p></div>"))
            XCTAssertTrue(blocks.contains { $0.hasPrefix("+ ") && ($0.contains(" near links=") || $0.contains("bad>near")) && $0.contains("It was twinned") }, blocks.joined(separator: "\n"))
        }
        // Two links, three fifths of a sentence too short for prose with inline links: only
        // `linkedProse` takes it back, past the note marker.
        let twoLinks = "It was twinned with <a href=/a>Saint-Jean-de-Luz, in France</a> and <a href=/b>Hondarribia, in Spain</a> in 1994."
        for marker in ["", note(3)] {
            let blocks = HTMLExtractor().explain(page("<div class=content><p>\(prose)</p><p>\(prose)</p><p>\(twoLinks)\(marker)</p></div>"))
            XCTAssertTrue(blocks.contains { $0.hasPrefix("+ bad>near ") && $0.contains("It was twinned") }, blocks.joined(separator: "\n"))
        }
    }
}

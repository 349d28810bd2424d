import XCTest
@testable import WinnowExtract

/// Issue 16: prose with links inside its sentences is content, however much of it is linked; a
/// link list with separators between its links is not. Found with `bench/extraction/invariance.py`'s
/// `inline-links` (every third word of each paragraph linked), not on gold text.
final class ProseWithInlineLinksTests: XCTestCase {
    let nav = TestPages.menu
    let paragraphs = [
        "The village lies in the green hills above the river, some forty kilometres to the east of the provincial capital, and it has been home to farmers and shepherds since the middle ages. Its church, built in the thirteenth century, was partly destroyed during the civil war and rebuilt by the people of the valley, stone by stone, in the years that followed the end of the war.",
        "Most of the houses in the village are built of the grey stone that was cut by hand in the old quarries on the hill, to the north of the river. The old mill, which ground wheat for the whole district until the railway came, now holds a small museum of rural life that is open to visitors on summer weekends, on public holidays and on the feast of the patron saint in August.",
        "The population of the village fell from more than four hundred people at the start of the last century to fewer than a hundred today, as the young families left for work in the cities. In recent years a few of the empty houses have been restored as holiday homes, and the village school opened its doors again with eleven pupils and a single teacher.",
    ]

    /// A paragraph about the site, without links, in a box of its own: the content of a page that
    /// has no other prose.
    let about = TestPages.about

    func text(_ html: String) -> String { HTMLExtractor().extract(html).text }

    func page(_ body: String) -> String { TestPages.withAbout(body) }

    func linked(_ s: String, every n: Int) -> String { TestPages.linked(s, every: n) }

    /// An article whose paragraphs have every third word linked (a third of their text) reads as
    /// the same article without the links. No paragraph of it used to be content, and the page
    /// came out as the one paragraph without links, the box about the site.
    func testProseWithLinksInItsSentencesIsContent() {
        let plain = text(page("<div class=content>" + paragraphs.map { "<p>\($0)</p>" }.joined() + "</div>"))
        let linkedPage = text(page("<div class=content>" + paragraphs.map { "<p>\(linked($0, every: 3))</p>" }.joined() + "</div>"))
        XCTAssertEqual(linkedPage, plain)
        for p in paragraphs { XCTAssertTrue(linkedPage.contains(p), linkedPage) }
    }

    /// Links with little between them (a menu's " | ", a tag list's " (3), ") are a link list, however
    /// long the line and however it ends; so is a line that does not end a sentence (a category
    /// list with post counts). In a box after the article, such a line stays out.
    func testLinkListsAreNoProse() {
        let words = ["Alps", "Bern", "Como", "Dijon", "Elba", "Fano", "Genoa", "Hyde", "Ibiza", "Jaca"]
        let topics = (0..<60).map { "<a href=/t\($0)>\(words[$0 % 10])</a> (\($0 % 9 + 1))" }
        let categories = (0..<12).map { "<a href=/c\($0)>\(words[$0 % 10]) region</a> (posts: \($0 * 7 + 3))" }
        for line in ["Topics: " + topics.joined(separator: ", ") + ".", "Categories: " + categories.joined(separator: " ")] {
            let out = text(page("<div class=content>" + paragraphs.map { "<p>\($0)</p>" }.joined() + "</div><div class=more><p>\(line)</p></div>"))
            XCTAssertFalse(out.contains("Elba"), out)
            XCTAssertTrue(out.contains(paragraphs[2]), out)
        }
    }

    /// A short paragraph with links in its sentences (an author bio, a "filed under" line) is
    /// borderline, kept only among content; a long one is content on its own.
    func testShortLinkedProseIsBorderline() {
        let bio = "Maria Lopez is a <a href=/staff>senior editor</a> at <a href=/>Example Media</a>. She also hosts the "
            + "<a href=/podcast>weekly science podcast</a> and writes for <a href=/other>another magazine</a> about travel, "
            + "food and the history of the small towns of the <a href=/south>south of the country</a>, where she grew up."
        let blocks = HTMLExtractor().explain(page("<div class=box><p>\(bio)</p></div><div class=content><p>\(linked(paragraphs[0], every: 3))</p></div>"))
        XCTAssertTrue(blocks.contains { $0.contains(" near links=") && $0.contains("Maria Lopez") }, blocks.joined(separator: "\n"))
        XCTAssertTrue(blocks.contains { $0.contains(" good links=") && $0.contains("The village lies") }, blocks.joined(separator: "\n"))
    }

    /// Short paragraphs with links in their sentences, two or more in a row, are an article's
    /// paragraphs: each is content, though alone it would be borderline.
    func testARunOfShortLinkedParagraphsIsContent() {
        let short = paragraphs.map { $0.components(separatedBy: ". ")[0] + "." }
        let run = HTMLExtractor().explain(page("<div class=content>" + short.map { "<p>\(linked($0, every: 3))</p>" }.joined() + "</div>"))
        for p in short.map({ String($0.prefix(40)) }) {
            XCTAssertTrue(run.contains { $0.contains(" near>good links=") && $0.contains(p) }, run.joined(separator: "\n"))
        }
        let blocks = HTMLExtractor().explain(page("<div class=content><p>\(linked(short[0], every: 3))</p></div>"))
        XCTAssertTrue(blocks.contains { $0.contains(" near links=") && $0.contains("The village lies") }, blocks.joined(separator: "\n"))
    }

    /// Every other word linked: the words between the links are shorter than 8 bytes, but they
    /// are words, not separators, so it is prose (half linked), as the same paragraphs unlinked.
    func testEveryOtherWordLinkedIsProse() {
        let plain = text(page("<div class=content>" + paragraphs.map { "<p>\($0)</p>" }.joined() + "</div>"))
        let linkedPage = text(page("<div class=content>" + paragraphs.map { "<p>\(linked($0, every: 2))</p>" }.joined() + "</div>"))
        XCTAssertEqual(linkedPage, plain)
    }

    /// A wiki stub's sentence, nearly four fifths linked, with words between its links, is
    /// borderline prose; a link list of as many words with separators between its links (a
    /// footer's " · ", a tag list's ", ", a menu's " | ") stays bad, though it ends as a sentence does.
    func testWordsBetweenLinksMakeProseSeparatorsDoNot() {
        let stub = "<b>Escopete</b> ye un <a href=/w/M>municipio</a> d'a <a href=/w/P>provincia de Guadalachara</a>, en a "
            + "<a href=/w/C>comunidat autonoma</a> de <a href=/w/CM>Castiella-La Mancha</a>, <a href=/w/S>Espanya</a>, "
            + "<a href=/w/K>comarca</a> de <a href=/w/A>La Alcarria</a> y <a href=/w/J>partiu chudicial</a> de <a href=/w/G>Guadalachara</a>."
        let names = ["Provincia de Guadalachara", "Comunidat autonoma", "Castiella-La Mancha", "Comarca de La Alcarria",
                     "Partiu chudicial", "Relaciones Topograficas", "Felipe II de Castiella", "Ilesia de l'Asuncion"]
        let dots = names.enumerated().map { "<a href=/l\($0.offset)>\($0.element)</a>" }.joined(separator: " · ") + "."
        let commas = "See also: " + names.enumerated().map { "<a href=/l\($0.offset)>\($0.element)</a>" }.joined(separator: ", ") + "."
        let short = ["Alps", "Bern", "Como", "Dijon", "Elba", "Fano", "Genoa", "Hyde", "Ibiza", "Jaca"]
        let bar = (0..<15).map { "<a href=/b\($0)>\(short[$0 % 10])</a>" }.joined(separator: " | ") + "."
        let bars = bar + " " + bar
        let blocks = HTMLExtractor().explain(page("<div class=content><p>\(stub)</p><p>\(dots)</p><p>\(commas)</p><p>\(bars)</p></div>"))
        let all = blocks.joined(separator: "\n")
        XCTAssertTrue(blocks.contains { $0.contains(" near links=") && $0.contains("Escopete ye un") }, all)
        XCTAssertTrue(blocks.contains { $0.contains(" bad links=") && $0.contains("Provincia de Guadalachara · ") }, all)
        XCTAssertTrue(blocks.contains { $0.contains(" bad links=") && $0.contains("See also: ") }, all)
        XCTAssertTrue(blocks.contains { $0.contains(" bad links=") && $0.contains("Alps | Bern | ") }, all)
    }

    /// A news story told in one-sentence paragraphs of under 25 words, with every other word
    /// linked (half their text): each is a sentence with words between its links, so the story
    /// reads as it does without the links. Under 25 words such paragraphs were no prose, and the
    /// page came out as the box about the site.
    func testOneSentenceParagraphsWithLinksAreProse() {
        let story = [
            "The hockey club is on the verge of moving to the northern city for the start of the next season.",
            "The city council approved an agreement on Monday to a fifteen year lease of the old arena by the lake.",
            "The deal includes a renovation of the arena and requires two thousand season tickets sold for three years.",
            "The club owner said in a statement on the team website that he was looking forward to the new home.",
        ]
        let plain = text(page("<div class=content>" + story.map { "<p>\($0)</p>" }.joined() + "</div>"))
        let linkedPage = text(page("<div class=content>" + story.map { "<p>\(linked($0, every: 2))</p>" }.joined() + "</div>"))
        for p in story { XCTAssertTrue(plain.contains(p), plain) }
        XCTAssertEqual(linkedPage, plain)
    }

    /// A one-sentence line of links with only dates between them (an archive list) is no prose:
    /// without words between its links it takes two punctuation marks, as before.
    func testADatedLinkListIsNoProse() {
        let names = ["Alpine lake guide", "Bern museum walk", "Como villa tours", "Dijon food market", "Elba island ferry"]
        let archive = names.enumerated().map { "<a href=/a\($0.offset)>\($0.element)</a> — 1\($0.offset)/03/2012" }.joined(separator: " — ") + "."
        let blocks = HTMLExtractor().explain(page("<div class=content>" + paragraphs.map { "<p>\($0)</p>" }.joined() + "</div><div class=more><p>\(archive)</p></div>"))
        XCTAssertTrue(blocks.contains { $0.contains(" bad links=") && $0.contains("Alpine lake guide — 10/03/2012") }, blocks.joined(separator: "\n"))
    }
}

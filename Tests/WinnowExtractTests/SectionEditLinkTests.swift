import XCTest
@testable import WinnowExtract

/// A wiki's section headings carry an edit link ("History[edit]"); in other languages its label
/// is longer ("Cheografía[editar | modificar o codigo]", "[modifier le code]") and made the
/// heading read as a link, so every section's title was dropped; since 2024 MediaWiki sets the
/// link beside the heading, where its label was a line of its own. The section-edit link
/// (`mw-editsection`, older `editsection`) is a page control, skipped like screen-reader text.
/// Found on a bench WARC page (an.wikipedia.org); `inserted.py --insertions wiki-heading`.
final class SectionEditLinkTests: XCTestCase {
    let paragraphs = [
        "Escopete is a municipality of the province of Guadalajara, in the region of Castile-La Mancha, Spain, and the judicial district of Guadalajara.",
        "It lies 860 metres above the sea, 47 kilometres from Guadalajara, the capital of its province, and the village of Monteumbría is part of it.",
        "Escopete is named in the Topographical Relations of the towns of Spain, made for King Philip II of Castile in 1578, as a village of sixty houses.",
        "The parish church of the Assumption, in the Romanesque style of the thirteenth century, was partly destroyed during the Spanish Civil War."]
    let titles = ["Geography", "History", "Monuments"]

    func editLink(_ title: String, _ label: String, _ n: Int, class name: String) -> String {
        "<span class=\"\(name)\"><span class=\"\(name)-bracket\">[</span>"
            + "<a href=\"/w/index.php?title=Escopete&amp;action=edit&amp;section=\(n)\" title=\"Edit section: \(title)\">\(label)</a>"
            + "<span class=\"\(name)-bracket\">]</span></span>"
    }

    /// The link inside the heading (MediaWiki to 2024), or beside it in a `mw-heading` wrapper.
    func page(_ label: String, beside: Bool, class name: String = "mw-editsection") -> String {
        var body = "<div id=\"mw-content-text\"><p>\(paragraphs[0])</p>"
        for (k, t) in titles.enumerated() {
            let link = editLink(t, label, k + 1, class: name)
            body += beside ? "<div class=\"mw-heading mw-heading2\"><h2 id=\"\(t)\">\(t)</h2>\(link)</div>"
                           : "<h2><span class=\"mw-headline\" id=\"\(t)\">\(t)</span>\(link)</h2>"
            body += "<p>\(paragraphs[k + 1])</p>"
        }
        return "<html><head><title>Escopete</title></head><body>\(TestPages.menu)\(body)</div>\(TestPages.footer)</body></html>"
    }

    func assertHeadingsWithoutTheLink(_ html: String, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let out = HTMLExtractor().extract(html).text
        let lines = out.split(separator: "\n").map(String.init)
        for p in paragraphs { XCTAssertTrue(lines.contains(p), "lost \(p)", file: file, line: line) }
        for t in titles { XCTAssertTrue(lines.contains(t), "lost the heading \(t):\n\(out)", file: file, line: line) }
        XCTAssertFalse(out.contains(label) || out.contains("["), "kept the edit link \(label):\n\(out)", file: file, line: line)
    }

    func testSectionHeadingsComeOutWithoutTheirEditLinks() {
        for label in ["editar | modificar o codigo", "modifier le code", "edit"] {
            assertHeadingsWithoutTheLink(page(label, beside: false), label)
            assertHeadingsWithoutTheLink(page(label, beside: true), label)
        }
    }

    /// Wikis on MediaWiki before 1.18 name the link `editsection`.
    func testAnOlderWikisEditLinkIsLeftOutToo() {
        assertHeadingsWithoutTheLink(page("bearbeiten", beside: false, class: "editsection"), "bearbeiten")
    }
}

import XCTest
@testable import WinnowExtract

/// A wiki's section headings carry an edit link ("History[edit]"); in other languages its label
/// is longer ("Cheografía[editar | modificar o codigo]", "[modifier le code]") and made the
/// heading read as a link, so every section's title was dropped. The edit link is a page tool,
/// read as text. Found on a bench WARC page (an.wikipedia.org) where trafilatura kept the
/// headings; `inserted.py --insertions wiki-heading`: 78.5 → 100 % kept (trafilatura 81.9 %).
final class SectionEditLinkTests: XCTestCase {
    let paragraphs = [
        "Escopete is a municipality of the province of Guadalajara, in the region of Castile-La Mancha, Spain, and the judicial district of Guadalajara.",
        "It lies 860 metres above the sea, 47 kilometres from Guadalajara, the capital of its province, and the village of Monteumbría is part of it.",
        "Escopete is named in the Topographical Relations of the towns of Spain, made for King Philip II of Castile in 1578, as a village of sixty houses.",
        "The parish church of the Assumption, in the Romanesque style of the thirteenth century, was partly destroyed during the Spanish Civil War."]

    func section(_ title: String, _ label: String, _ n: Int) -> String {
        "<h2><span class=\"mw-headline\" id=\"\(title)\">\(title)</span><span class=\"mw-editsection\"><span class=\"mw-editsection-bracket\">[</span>"
            + "<a href=\"/w/index.php?title=Escopete&amp;action=edit&amp;section=\(n)\" title=\"Edit section: \(title)\">\(label)</a>"
            + "<span class=\"mw-editsection-bracket\">]</span></span></h2>"
    }

    func page(_ label: String) -> String {
        let titles = ["Geography", "History", "Monuments"]
        var body = "<div id=\"mw-content-text\"><p>\(paragraphs[0])</p>"
        for (k, t) in titles.enumerated() { body += section(t, label, k + 1) + "<p>\(paragraphs[k + 1])</p>" }
        return "<html><head><title>Escopete</title></head><body>\(TestPages.menu)\(body)</div>\(TestPages.footer)</body></html>"
    }

    func testSectionHeadingsWithALongEditLabelAreKept() {
        for label in ["editar | modificar o codigo", "modifier le code", "edit"] {
            let out = HTMLExtractor().extract(page(label)).text
            for p in paragraphs { XCTAssertTrue(out.contains(p), "lost \(p)") }
            for t in ["Geography", "History", "Monuments"] {
                XCTAssertTrue(out.contains("\(t)[\(label)]"), "lost the heading \(t) with the edit label \(label):\n\(out)")
            }
        }
    }

    /// Only a link that edits one section is the tool: a page's own edit link, or a link to
    /// another page with "section" in its address, is still a link.
    func testOnlyASectionEditAddressIsTheTool() {
        func edits(_ href: String) -> Bool {
            Array(href.utf8 + [0]).withUnsafeBufferPointer { HTMLExtractor.isSectionEditURL($0.baseAddress!) }
        }
        XCTAssertTrue(edits("/w/index.php?title=Escopete&action=edit&section=2"))
        XCTAssertTrue(edits("https://en.wikipedia.org/w/index.php?title=Mozilla&veaction=edit&section=1"))
        XCTAssertFalse(edits("/w/index.php?title=Escopete&action=edit"))
        XCTAssertFalse(edits("/news/section=sport/edit"))
        XCTAssertFalse(edits("/w/index.php?title=Escopete&action=history"))
    }
}

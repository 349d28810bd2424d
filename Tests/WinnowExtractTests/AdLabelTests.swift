import XCTest
@testable import WinnowExtract

/// Issue 16: an ad slot set into an article ("Advertisement" in a box, "Story continues below
/// advertisement") is neither text nor a break in it. Found with `bench/extraction/invariance.py`
/// (`inline-ad`: 39 of the 1,922 scored pages lost over a tenth of their text), not on gold text.
final class AdLabelTests: XCTestCase {
    let para = "RedNotebook Portable is packaged in an installer, so it will detect an existing installation when your "
        + "drive is plugged in, and it supports upgrades by installing right over an existing copy, preserving all settings."
    let intro = "RedNotebook is a modern journal with a calendar navigation, customizable templates, export functionality and "
        + "word clouds, and this release updates it to the latest version and greatly improves its start-up time."

    func text(_ html: String) -> String { HTMLExtractor().extract(html).text }

    /// A page with a headed list of short features between two link lines, and an ad slot `ad`
    /// right after the second.
    func page(ad: String) -> String {
        let features = ["Tagging", "Format your text bold, italic or underlined", "Live-Search", "Automatic saving", "Backup to zip archive"]
        return "<html><body><div id=content><p>\(intro)</p><p><a href=/u>Update automatically</a> or <a href=/s>install from the app store</a></p><h2>Features</h2><ul>" + features.map { "<li>\($0)</li>" }.joined()
            + "</ul><p><a href=/more>Learn more about RedNotebook...</a></p>\(ad)<h2>Installer</h2><p>\(para)</p></div></body></html>"
    }

    /// The ad box after the link line used to end the run of short lines with it (two bad blocks
    /// in a row), so the feature list, with no good paragraph left in its run, was lost.
    func testAnAdBoxDoesNotCutTheListBeforeIt() {
        let plain = text(page(ad: ""))
        XCTAssertTrue(plain.contains("- Format your text bold, italic or underlined"), plain)
        for ad in ["<div class=advertisement><p>Advertisement</p><iframe src=/ad></iframe></div>",
                   "<div class=\"ad-slot sponsored\"><span>— Advertisement —</span></div>"] {
            XCTAssertEqual(text(page(ad: ad)), plain, ad)
        }
    }

    /// A bare label between two paragraphs (a short block with good blocks on both sides) used
    /// to be kept as text.
    func testABareLabelBetweenParagraphsIsNotText() {
        for label in ["Advertisement", "Story continues below advertisement", "ADVERTISEMENT - CONTINUE READING BELOW", "[Anzeige]", "Реклама"] {
            let out = text("<html><body><article><p>\(intro)</p><div class=x9><span>\(label)</span></div><p>\(para)</p></article></body></html>")
            XCTAssertEqual(out, intro + "\n" + para, label)
        }
    }

    /// Only a whole line that is a label: not a heading (a section may be called "Advertising"),
    /// not a link, not a sentence that mentions ads.
    func testWhatIsALabel() {
        func block(_ s: String, heading: Bool = false, linked: Bool = false) -> HTMLExtractor.Block {
            var b = HTMLExtractor.Block()
            b.bytes = Array(s.utf8)
            b.headingLevel = heading ? 2 : 0
            b.linkBytes = linked ? b.bytes.count : 0
            return b
        }
        for s in ["Advertisement", "advertisement", " - ADVERTISEMENT - ", "Advertisement · Continue reading below", "Sponsored",
                  "Continue reading the main story", "Publicité", "PUBLICITÉ", "РЕКЛАМА", "Διαφήμιση", "广告", "Werbung:",
                  "ANÚNCIO", "Anuncio", "- Iklan -", "Quảng cáo", "विज्ञापन", "تبلیغات", "פרסומת", "โฆษณา", "Gesponsert", "スポンサーリンク"] {
            XCTAssertTrue(HTMLExtractor.isAdLabel(block(s)), s)
        }
        for s in ["Advertising rates for 2017", "Ads that work", "Advertisement for myself", "", "---", "Anuncios clasificados", "Iklan baris"] {
            XCTAssertFalse(HTMLExtractor.isAdLabel(block(s)), s)
        }
        XCTAssertFalse(HTMLExtractor.isAdLabel(block("Advertising", heading: true)))
        XCTAssertFalse(HTMLExtractor.isAdLabel(block("Ads", linked: true)))
    }

    /// The whole-page mode keeps every line, labels included: it is the page's text as it is.
    func testFullModeKeepsTheLabel() {
        let html = "<html><body><p>\(intro)</p><p>Advertisement</p><p>\(para)</p></body></html>"
        XCTAssertTrue(HTMLExtractor(mode: .full).extract(html).text.contains("Advertisement"))
    }
}

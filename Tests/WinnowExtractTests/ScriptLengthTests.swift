import XCTest
@testable import WinnowExtract

/// Lengths that do not depend on the script. Thai, Lao, Tibetan, Myanmar and Khmer write no
/// space between words, so a paragraph of them was one "word" per clause; and in bytes a
/// Cyrillic letter counts two and a Thai one three, so a byte threshold was half or a third as
/// long and a linked name among digits read as twice as linked. Found by writing every scored
/// page's text as Thai is written, and its letters as Cyrillic ones
/// (`bench/extraction/script_punctuation.py --variants thai,cyrillic`: 769 and 24 of 1,922 pages
/// lost or gained over a tenth of their text), not on gold text.
final class ScriptLengthTests: XCTestCase {
    /// Thai paragraphs: words run together, a space between clauses and sentences.
    static let thaiStory = [
        "สภาเมืองลงมติเมื่อคืนวันอังคารให้ปิดห้องสมุดเก่าที่หัวมุมถนนใหญ่ หลังจากถกเถียงกันมานานกว่าสิบปี ชาวบ้านหลายคนบอกว่าอาคารนี้ควรเปิดให้เด็กๆใช้ต่อไป",
        "นายกเทศมนตรีกล่าวว่าเมืองไม่มีเงินพอจะซ่อมหลังคาอีกแล้ว และห้องอ่านหนังสือแห่งใหม่จะเปิดที่โรงเรียนในฤดูใบไม้ผลิหน้า โดยจะเปิดให้บริการนานกว่าเดิม",
        "หนังสือทั้งหมดจะถูกย้ายไปที่นั่นในช่วงฤดูร้อน ส่วนอาคารเก่าจะถูกขายออกไป ชาวบ้านบางคนบอกว่าจะนำเรื่องนี้ขึ้นสู่ศาลก่อนการขายจะเกิดขึ้น",
        "ห้องสมุดแห่งนี้เปิดครั้งแรกเมื่อปี 1911 ด้วยเงินบริจาคของครอบครัวหนึ่งในท้องถิ่น สภาจะประชุมกันอีกครั้งในเดือนหน้าเพื่อตัดสินว่าจะใช้เงินที่ได้อย่างไร",
    ]

    /// A story written as Thai is — its clauses, not its words, set apart — is prose, as it is
    /// in English: it is the page's content, not its menu or a line of site text.
    func testAThaiStoryIsTheContent() {
        let html = "<html><body>" + TestPages.menu + "<div id=main><h1>ห้องสมุดเก่าจะปิด</h1><div class=story>"
            + Self.thaiStory.map { "<p>\($0)</p>" }.joined() + "</div></div>" + TestPages.footer + "</body></html>"
        XCTAssertEqual(HTMLExtractor().extract(html).text, Self.thaiStory.joined(separator: "\n"))
        for p in Self.thaiStory {
            var b = HTMLExtractor.Block()
            b.bytes = Array(p.utf8)
            XCTAssertEqual(HTMLExtractor.classify(b), .good, p)
        }
    }

    func testUnitsAndPunctuationOfScriptsWithoutSpaces() {
        func m(_ s: String) -> (units: Int, chars: Int, punct: Int) { HTMLExtractor.measure(Array(s.utf8)) }
        XCTAssertEqual(m("ภาษาไทย").units, 2, "seven characters: a unit per four")
        XCTAssertEqual(m("ภาษาไทยเป็นภาษาราชการ").units, 6)
        XCTAssertEqual(m("ภาษาไทย").punct, 0)
        XCTAssertEqual(m("ภาษาไทยเป็นภาษา ภาษาลาว").punct, 1, "a space between two runs ends a clause")
        XCTAssertEqual(m("หนังสือ ข่าว ห้องสมุดประชาชน").punct, 0, "not after a word of a keyword line: a run under eight characters")
        XCTAssertEqual(m("ภาษาไทย 1911 ภาษาลาว").punct, 0, "not a space before a number")
        XCTAssertEqual(m("ພາສາລາວ ພາສາໄທ").units, 4)
        XCTAssertEqual(m("ភាសាខ្មែរ។").punct, 1, "Khmer's full stop is a mark, not a letter")
        XCTAssertEqual(m("မြန်မာဘာသာ").units, 3)
        // Other scripts as before: a word per space, a CJK character each.
        XCTAssertEqual(m("the old bridge").units, 3)
        XCTAssertEqual(m("旧桥将重建").units, 5)
    }

    func testLatinLength() {
        XCTAssertEqual(HTMLExtractor.latinLength(Array("bridge".utf8)), 6)
        XCTAssertEqual(HTMLExtractor.latinLength(Array("мост".utf8)), 4, "a Cyrillic letter is one, not two bytes")
        XCTAssertEqual(HTMLExtractor.latinLength(Array("สะพาน".utf8)), 5)
        XCTAssertEqual(HTMLExtractor.latinLength(Array("γέφυρα".utf8)), 6)
        XCTAssertEqual(HTMLExtractor.latinLength(Array("桥梁".utf8)), 6, "a CJK character counts three, its bytes")
        XCTAssertEqual(HTMLExtractor.latinLength(Array("다리 はし".utf8)), 13)
        XCTAssertEqual(HTMLExtractor.latinLength(Array("ＡＢ\u{20B9F}".utf8)), 9, "full-width forms and supplementary ideographs count three")
        XCTAssertEqual(HTMLExtractor.latinLength(Array("мост 12".utf8), part: 8), 5, "eight of its eleven bytes, at seven letters to eleven bytes")
    }

    /// A results table's row: the team's linked name among numbers. Written in Cyrillic, Greek
    /// or Thai, the link is as much of the row as in English, and the row is read alike.
    func testALinkedNameAmongDigitsIsAsLinkedInEveryScript() {
        let names = ["Minnesota Vikings", "Миннесота Викинги", "Μινεσότα Βίκινγκς", "มินนิโซตาไวกิ้งส์"]
        var classes: [HTMLExtractor.Class] = []
        for (k, name) in names.enumerated() {
            let html = "<html><body><table><tr><td>2017</td><td><a href=/team>\(name)</a></td><td>15 15 45 31 14 13.0</td></tr></table></body></html>"
            guard let b = HTMLExtractor().walked(html, url: nil).walk.w.blocks.first(where: { $0.linkBytes > 0 }) else { return XCTFail(name) }
            XCTAssertLessThanOrEqual(b.linkBytes * 2, b.bytes.count, name)
            // (The Thai name, five units to the English two words, makes the row longer.)
            if k < 3 { classes.append(HTMLExtractor.classify(b)) }
        }
        XCTAssertEqual(classes, [.short, .short, .short])
        // All of a block linked stays all; none stays none; English keeps its bytes.
        for (html, linked) in [("<p><a href=/x>Миннесота Викинги</a></p>", true), ("<p>Миннесота Викинги</p>", false)] {
            let b = HTMLExtractor().walked("<html><body>\(html)</body></html>", url: nil).walk.w.blocks[0]
            XCTAssertEqual(b.linkBytes, linked ? b.bytes.count : 0)
        }
        let english = HTMLExtractor().walked("<html><body><p>See <a href=/x>the table</a> here</p></body></html>", url: nil).walk.w.blocks[0]
        XCTAssertEqual(english.linkBytes, 10, "the link's text and the space before it, in bytes as before")
    }

    /// A box of the next story — its linked title and byline — marked as an article's text
    /// (`article-text`) after the story: its title in Thai or Cyrillic takes two or three times
    /// the bytes, but is no more text, and the box is no article body in any script.
    func testAnotherStorysBoxIsNoArticleBodyInAnyScript() {
        let titles = ["Renowned Boxing Trainer Emanuel Steward Dies at 68",
                      "Известный тренер по боксу Эмануэль Стюард умер в 68 лет",
                      "ครูมวยชื่อดังเอมานูเอลสจ๊วร์ดเสียชีวิตแล้วในวัย 68 ปี"]
        for title in titles {
            let html = "<html><body>" + TestPages.menu + "<div id=node-content>" + TestPages.story.map { "<p>\($0)</p>" }.joined()
                + "</div><div class=nextbox><div class=\"article-text\"><div class=article-link><a href=/next>\(title)</a></div>"
                + "<span class=byline>by Jenée Desmond-Harris October 26, 2012</span></div></div>" + TestPages.footer + "</body></html>"
            XCTAssertEqual(HTMLExtractor().extract(html).text, TestPages.story.joined(separator: "\n"), title)
        }
    }
}

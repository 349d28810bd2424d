import XCTest
@testable import WinnowExtract

/// Lengths that do not depend on the script. Thai, Lao, Tibetan, Myanmar and Khmer write no
/// space between words, so a paragraph of them was one "word" per clause. Found by writing every
/// scored page's text as Thai is written (`bench/extraction/script_punctuation.py --variants
/// thai`: 769 of 1,922 pages lost or gained over a tenth of their text), not on gold text.
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
        XCTAssertEqual(m("ภาษาไทย ภาษาลาว").punct, 1, "a space between two runs ends a clause")
        XCTAssertEqual(m("ภาษาไทย 1911 ภาษาลาว").punct, 0, "not a space before a number")
        XCTAssertEqual(m("ພາສາລາວ ພາສາໄທ").units, 4)
        XCTAssertEqual(m("ភាសាខ្មែរ។").punct, 1, "Khmer's full stop is a mark, not a letter")
        XCTAssertEqual(m("မြန်မာဘာသာ").units, 3)
        // Other scripts as before: a word per space, a CJK character each.
        XCTAssertEqual(m("the old bridge").units, 3)
        XCTAssertEqual(m("旧桥将重建").units, 5)
    }
}

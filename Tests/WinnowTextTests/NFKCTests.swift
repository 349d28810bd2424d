import XCTest
@testable import WinnowText
import WinnowTestSupport
/// NFKC character by character (the fast path) equals ICU's NFKC of the whole text wherever it
/// applies: real Chinese pages, and strings built from characters that do interact (combining
/// marks, Hangul jamo, compatibility forms), where it must step aside.
final class NFKCTests: XCTestCase {
    func testCharacterByCharacterEqualsICU() {
        var fast = 0
        for text in SharedCorpora.chinesePages.prefix(300) {
            let s = Scalars.of(text)
            switch ICUText.nfkcByCharacter(s) {
            case .inert: XCTAssertEqual(s, ICUText.nfkcICU(text)); fast += 1
            case .mapped(let m): XCTAssertEqual(m, ICUText.nfkcICU(text)); fast += 1
            case .needsICU: break
            }
            XCTAssertEqual(ICUText.nfkc(scalars: s, of: text), ICUText.nfkcICU(text))
        }
        XCTAssertGreaterThan(fast, 200, "most pages take the fast path")
        var rng = SystemRandomNumberGenerator()
        let pieces: [String] = ["a", "e", "\u{301}", "\u{308}", "\u{1100}", "\u{1161}", "\u{11A8}", "가", "ＡＢ", "１２", "，", "。", "ﬁ", "㍻",
                                "\u{FDFA}", "ｶﾞ", "ﾞ", "ｷ", "\u{3099}", "か", "Å", "\u{212B}", "①", "½", "ℌ", "中文", " ", "\n", "ǅ", "ｸﾞ"]
        var built = 0
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 1...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let s = Scalars.of(text)
            XCTAssertEqual(ICUText.nfkc(scalars: s, of: text), ICUText.nfkcICU(text), text.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " "))
            if ICUText.nfkcByCharacter(s) != .needsICU { built += 1 }
        }
        XCTAssertGreaterThan(built, 100)
    }
}

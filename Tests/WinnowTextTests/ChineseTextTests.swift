import XCTest
import WinnowTestSupport
@testable import WinnowText

/// ICU text operations, half-width folding, the Aho-Corasick matcher and n-gram counting.
final class ChineseTextTests: XCTestCase {
    func testICUTextOperations() {
        XCTAssertEqual(ICUText.toSimplified("這是一個測試，東京與臺灣"), "这是一个测试，东京与台湾")
        XCTAssertEqual(ICUText.nfkc("ＡＢＣ１２３（全角）"), "ABC123(全角)")
        XCTAssertEqual(ICUText.wordLengths("我们今天去公园散步"), [2, 2, 1, 2, 2])
        XCTAssertEqual(ChineseText.halfWidth("你好！（测试）。"), "你好!(测试).")
        XCTAssertEqual(ChineseText.halfWidth("ＡＢ　１", general: true), "AB 1")
        // The half-width pass also notices 【 and its vertical form ︻ (NFKC: 【), long pages
        // included (where it skips eight bytes at a time), and nothing else.
        let long = String(repeating: "中文测试，", count: 40)
        for (text, expected, bracket) in [("【标题】正文。", "【标题】正文.", true), (long + "︻x", ChineseText.halfWidth(long) + "︻x", true),
                                          (long + "〖x〗", ChineseText.halfWidth(long) + "〖x〗", false), ("纯文本没有替换", "纯文本没有替换", false)] {
            var saw = false
            var t = text
            let out = t.withUTF8 { ChineseText.halfWidth(utf8: $0, sawLenticularBracket: &saw) }
            XCTAssertEqual(out.map { String(decoding: $0, as: UTF8.self) } ?? text, expected)
            XCTAssertEqual(saw, bracket, text)
        }
        XCTAssertEqual(ChineseText.hanRatio("中文ab"), 0.5)
        let ac = AhoCorasick(["赌博", "色情", "博彩"])
        XCTAssertEqual(ac.distinctMatches("网上赌博彩票色情赌博"), [0, 1, 2])
    }

    /// N-gram counts are exact (no two different n-grams merged), on real pages.
    func testNGramCounterIsExact() {
        var counter = NGramCounter()
        for page in SharedCorpora.chinesePages.prefix(30) {
            let s = Scalars.of(page)
            for n in [2, 5, 13] where s.count > n {
                var ref: [String: Int] = [:]
                for i in 0...(s.count - n) { ref[Scalars.string(s[i..<(i + n)]), default: 0] += 1 }
                s.withUnsafeBufferPointer { counter.count($0, n: n, positions: s.count - n + 1) }
                var got: [String: Int] = [:]
                for (k, c) in counter.counts.enumerated() { got[Scalars.string(s[Int(counter.first[k])..<(Int(counter.first[k]) + n)])] = Int(c) }
                XCTAssertEqual(got, ref)
            }
        }
        XCTAssertEqual(Scalars.lowercased(Scalars.of("ÀB İ Straße ΣΑΣ 中文")), Scalars.of("àb i̇ straße σασ 中文"))
    }
}

import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowText
@testable import WinnowFilters

final class ChineseFilterTests: XCTestCase {
    func verdict(_ s: some Stage, _ text: String) -> Verdict {
        var d = Document(id: "x", text: text)
        return s.apply(&d)
    }

    /// Each ChineseWebText rule drops a real document built to fail it, and keeps one that passes.
    func testChineseWebTextRulesOnRealText() throws {
        let f = try makeStage(ChineseWebTextFilter.init, [("sensitive_words", TestPaths.sharedData + "/zh-web/chinesewebtext/sensitive_words_dict.txt")])
        // A long simplified page with normal paragraphs passes everything.
        let good = SharedCorpora.chinesePages.first { f.apply(doc: $0) == .keep && $0.unicodeScalars.count > 2000 }!
        XCTAssertEqual(verdict(f, good), .keep)
        XCTAssertEqual(verdict(f, String(good.prefix(150))), .drop("cwt_too_short"))
        // The same page as a menu: every sentence cut to its first 6 characters, one per line.
        let navigation = good.prefix(2000).map { $0 == "。" ? "\n" : String($0) }.joined()
            .split(separator: "\n").map { String($0.prefix(6)) }.joined(separator: "\n")
        XCTAssertEqual(verdict(f, navigation), .drop("cwt_short_lines"))
        let english = SharedCorpora.jsonlTexts(TestPaths.sharedData + "/en-web/dolma_provided_documents_000.json.gz").first { $0.count > 1000 }!
        XCTAssertEqual(verdict(f, english), .drop("cwt_cjk_ratio"))
        XCTAssertEqual(verdict(f, ICUTextTraditional.make(good)), .drop("cwt_traditional"))
        XCTAssertEqual(verdict(f, good + "\n" + good), .drop("cwt_repetition"))
        // A gambling page's own lines, a few of them: several listed words per line.
        let gambling = SharedCorpora.chinesePages.first { $0.contains("六合彩") && $0.contains("开奖") }!
        let lines = gambling.split(separator: "\n").filter { $0.contains("六合彩") || $0.contains("彩票") }.prefix(3).joined(separator: "\n")
        let padded = lines + "\n" + String(good.prefix(600)).replacingOccurrences(of: "\n", with: "")
        XCTAssertEqual(verdict(f, padded), .drop("cwt_sensitive_words"), padded)
    }

    func testCJKRatio() throws {
        let f = try makeStage(CJKRatioFilter.init, [("min", "0.7")])
        XCTAssertEqual(verdict(f, "今天天气很好我们去公园散步"), .keep)
        XCTAssertEqual(verdict(f, "今天 weather is nice"), .drop("cjk_ratio"))
    }

}

extension Stage {
    func apply(doc text: String) -> Verdict {
        var d = Document(id: "x", text: text)
        return apply(&d)
    }
}

/// Simplified text made Traditional through ICU (for the traditional-character rule).
enum ICUTextTraditional {
    static func make(_ s: String) -> String { ICUText.transliterate(s, id: "Hans-Hant") }
}

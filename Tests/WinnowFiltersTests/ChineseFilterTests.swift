import XCTest
import WinnowCore
import WinnowText
@testable import WinnowFilters

final class ChineseFilterTests: XCTestCase {
    static let shared: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/../shared/data"
    }()

    static func jsonl(_ path: String, field: String = "text") -> [String] {
        let p = path.hasSuffix(".gz") ? popen("gzip -dc '\(path)'", "r")! : popen("cat '\(path)'", "r")!
        defer { pclose(p) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true { let n = fread(&buf, 1, buf.count, p); if n <= 0 { break }; out += buf[0..<n] }
        return String(decoding: out, as: UTF8.self).split(separator: "\n").compactMap {
            (try? JSONParser.parse(String($0)))?[field]?.stringValue
        }
    }

    static let hplt = jsonl(shared + "/zh-web/hplt-ia-wide15-zh-sample/hplt_r1.2_wide15_zh_sample.jsonl.gz")

    static func stage<S: Stage>(_ make: (inout StageParameters) throws -> S, _ yaml: [(String, String)] = []) throws -> S {
        var entries: [(key: String, keyMark: SourceMark, value: ConfigNode)] = []
        let m = SourceMark(file: "t", line: 1, column: 1)
        for (k, v) in yaml { entries.append((k, m, .scalar(v, m))) }
        var p = try StageParameters(stageName: "t", node: entries.isEmpty ? nil : .mapping(entries, m), path: "t", mark: m)
        return try make(&p)
    }

    func verdict(_ s: some Stage, _ text: String) -> Verdict {
        var d = Document(id: "x", text: text)
        return s.apply(&d)
    }

    func testICUTextOperations() {
        XCTAssertEqual(ICUText.toSimplified("這是一個測試，東京與臺灣"), "这是一个测试，东京与台湾")
        XCTAssertEqual(ICUText.nfkc("ＡＢＣ１２３（全角）"), "ABC123(全角)")
        XCTAssertEqual(ICUText.wordLengths("我们今天去公园散步"), [2, 2, 1, 2, 2])
        XCTAssertEqual(ChineseText.halfWidth("你好！（测试）。"), "你好!(测试).")
        XCTAssertEqual(ChineseText.halfWidth("ＡＢ　１", general: true), "AB 1")
        XCTAssertEqual(ChineseText.hanRatio("中文ab"), 0.5)
        let ac = AhoCorasick(["赌博", "色情", "博彩"])
        XCTAssertEqual(ac.distinctMatches("网上赌博彩票色情赌博"), [0, 1, 2])
    }

    /// Each ChineseWebText rule drops a real document built to fail it, and keeps one that passes.
    func testChineseWebTextRulesOnRealText() throws {
        let f = try Self.stage(ChineseWebTextFilter.init, [("sensitive_words", Self.shared + "/zh-web/chinesewebtext/sensitive_words_dict.txt")])
        // A long simplified page with normal paragraphs passes everything.
        let good = Self.hplt.first { f.apply(doc: $0) == .keep && $0.unicodeScalars.count > 2000 }!
        XCTAssertEqual(verdict(f, good), .keep)
        XCTAssertEqual(verdict(f, String(good.prefix(150))), .drop("cwt_too_short"))
        // The same page as a menu: every sentence cut to its first 6 characters, one per line.
        let navigation = good.prefix(2000).map { $0 == "。" ? "\n" : String($0) }.joined()
            .split(separator: "\n").map { String($0.prefix(6)) }.joined(separator: "\n")
        XCTAssertEqual(verdict(f, navigation), .drop("cwt_short_lines"))
        let english = Self.jsonl(Self.shared + "/en-web/dolma_provided_documents_000.json.gz").first { $0.count > 1000 }!
        XCTAssertEqual(verdict(f, english), .drop("cwt_cjk_ratio"))
        XCTAssertEqual(verdict(f, ICUTextTraditional.make(good)), .drop("cwt_traditional"))
        XCTAssertEqual(verdict(f, good + "\n" + good), .drop("cwt_repetition"))
        // A gambling page's own lines, a few of them: several listed words per line.
        let gambling = Self.hplt.first { $0.contains("六合彩") && $0.contains("开奖") }!
        let lines = gambling.split(separator: "\n").filter { $0.contains("六合彩") || $0.contains("彩票") }.prefix(3).joined(separator: "\n")
        let padded = lines + "\n" + String(good.prefix(600)).replacingOccurrences(of: "\n", with: "")
        XCTAssertEqual(verdict(f, padded), .drop("cwt_sensitive_words"), padded)
    }

    func testCJKRatio() throws {
        let f = try Self.stage(CJKRatioFilter.init, [("min", "0.7")])
        XCTAssertEqual(verdict(f, "今天天气很好我们去公园散步"), .keep)
        XCTAssertEqual(verdict(f, "今天 weather is nice"), .drop("cjk_ratio"))
    }

    /// MAP-CC's similar-line dedup on a real page: repeated navigation sentences and a
    /// near-copy of a sentence go; distinct sentences stay in order.
    func testSimilarLineDedup() throws {
        let s = try Self.stage(SimilarLineDedup.init)
        let a = "北京市今天发布了新的交通管理规定，要求所有车辆在高峰时段限行。"
        let nearA = "北京市今天发布了新的交通管理规定，要求全部车辆在高峰时段限行。"
        let b = "专家表示，这项规定将有效缓解城市拥堵问题，并改善空气质量。"
        let (out, removed) = s.dedup(a + b + nearA + "【返回首页】" + "【返回首页】")
        XCTAssertEqual(removed, 2)
        XCTAssertEqual(out, a + b + "【返回首页】")
        // Short sentences (≤ 15 characters) must match exactly.
        XCTAssertEqual(s.dedup("你好。你们好。").1, 0)
        XCTAssertEqual(SimilarLineDedup.levenshtein(Array("kitten".unicodeScalars), Array("sitting".unicodeScalars), limit: 5), 3)
        XCTAssertEqual(SimilarLineDedup.levenshtein(Array("kitten".unicodeScalars), Array("sitting".unicodeScalars), limit: 2), 3)
        // Real pages: kept sentences are the original's, in order; something is removed from
        // pages with repeated navigation.
        var pagesChanged = 0
        for page in Self.hplt.prefix(40) {
            let original = SimilarLineDedup.sentences(page).map { String(String.UnicodeScalarView($0)) }
            let (text, removed) = s.dedup(page)
            if removed > 0 { pagesChanged += 1 }
            var rest = Substring(text)
            for sentence in original where rest.hasPrefix(sentence) { rest = rest.dropFirst(sentence.count) }
            XCTAssertTrue(rest.isEmpty, "the output is a subsequence of the original sentences")
        }
        XCTAssertGreaterThan(pagesChanged, 5)
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

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

    /// The fast similar-line dedup (short-sentence set, length window, histogram bound, banded
    /// edit distance) removes exactly what the plain quadratic algorithm removes, on real pages
    /// and on pages given near-copies of their own sentences.
    func testSimilarLineDedupEqualsPlainAlgorithm() throws {
        let s = try Self.stage(SimilarLineDedup.init)
        func plain(_ text: String) -> String {
            let sent = SimilarLineDedup.sentences(text)
            var removed = [Bool](repeating: false, count: sent.count)
            func lev(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
                var prev = Array(0...b.count)
                for i in 1...max(1, a.count) where !a.isEmpty {
                    var cur = [i] + [Int](repeating: 0, count: b.count)
                    for j in 1...max(1, b.count) where !b.isEmpty { cur[j] = min(prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1) }
                    prev = cur
                }
                return a.isEmpty ? b.count : prev[b.count]
            }
            for i in 0..<sent.count where !removed[i] {
                for j in (i + 1)..<max(sent.count, i + 1) where !removed[j] {
                    let li = sent[i].count, lj = sent[j].count, longest = max(li, lj)
                    if Double(abs(li - lj)) / Double(longest) >= 0.3 { continue }
                    var ca: [Unicode.Scalar: Int] = [:], cb: [Unicode.Scalar: Int] = [:]
                    for c in sent[i] { ca[c, default: 0] += 1 }
                    for c in sent[j] { cb[c, default: 0] += 1 }
                    var mn = 0
                    for (k, v) in ca { mn += min(v, cb[k] ?? 0) }
                    if Double(mn) / Double(li + lj - mn) < 1.0 / 3.0 { continue }
                    let t = min(li, lj) <= 15 ? 0 : Int(0.1 * Double(longest))
                    if lev(sent[i], sent[j]) <= t { removed[j] = true }
                }
            }
            return zip(sent, removed).filter { !$0.1 }.map { String(String.UnicodeScalarView($0.0)) }.joined()
        }
        var changed = 0
        for (n, page) in Self.hplt.prefix(30).enumerated() {
            var text = page
            // Near-copies: a sentence with one character changed, appended.
            let sent = SimilarLineDedup.sentences(page).map { String(String.UnicodeScalarView($0)) }
            for x in sent.prefix(6) where x.unicodeScalars.count > 20 {
                var u = Array(x.unicodeScalars)
                u[n % u.count] = "某"
                text += String(String.UnicodeScalarView(u))
            }
            let (fast, removed) = s.dedup(text)
            XCTAssertEqual(fast, plain(text), "page \(n)")
            if removed > 0 { changed += 1 }
        }
        XCTAssertGreaterThan(changed, 15)
    }

    /// The banded edit distance equals the full one whenever it is within the limit.
    func testBandedLevenshtein() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("的一是了我不人在他有这个上们来到".unicodeScalars)
        func full(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
            var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0...a.count { d[i][0] = i }
            for j in 0...b.count { d[0][j] = j }
            for i in stride(from: 1, through: a.count, by: 1) { for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), d[i - 1][j] + 1, d[i][j - 1] + 1)
            } }
            return d[a.count][b.count]
        }
        for _ in 0..<2000 {
            let a = (0..<Int.random(in: 0...30, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            var b = a
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where !b.isEmpty: b.remove(at: Int.random(in: 0..<b.count, using: &rng))
                case 1: b.insert(alphabet.randomElement(using: &rng)!, at: Int.random(in: 0...b.count, using: &rng))
                default: if !b.isEmpty { b[Int.random(in: 0..<b.count, using: &rng)] = alphabet.randomElement(using: &rng)! }
                }
            }
            let limit = Int.random(in: 0...5, using: &rng)
            let d = full(a, b)
            XCTAssertEqual(SimilarLineDedup.levenshtein(a, b, limit: limit), d <= limit ? d : limit + 1, "\(a) \(b) \(limit)")
        }
    }

    /// N-gram counts are exact (no two different n-grams merged), on real pages.
    func testNGramCounterIsExact() {
        var counter = NGramCounter()
        for page in Self.hplt.prefix(30) {
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

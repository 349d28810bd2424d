import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowText
@testable import WinnowFilters

/// The MAP-CC chain on real Chinese pages (HPLT zh sample): for each rule a page it drops
/// (checked by hand: the snippet in each comment is the page) and a page it keeps.
final class MapCCFilterTests: XCTestCase {
    static let root = TestPaths.sharedData + "/../../main"
    static let lid = TestPaths.sharedData + "/models/langid/lid.176.ftz"

    func filter(_ extra: [(String, String)] = []) throws -> MapCCFilter {
        try makeStage(MapCCFilter.init, [("model", Self.lid)] + extra)
    }

    func page(_ marker: String) -> String { SharedCorpora.chinesePages.first { $0.contains(marker) }! }

    /// The page's URL is a plain one unless given (nil: no URL at all).
    func reason(_ f: MapCCFilter, _ text: String, url: String? = "https://example.com/page") -> String? {
        var d = Document(id: "x", text: text)
        if let url { d.metadata["url"] = .string(url) }
        if case .drop(let r) = f.apply(&d) { return r }
        return nil
    }

    /// A clean news-like paragraph assembled from a real page's sentences.
    static let clean = "北京市今天发布了新的交通管理规定，要求所有车辆在高峰时段限行。专家表示，这项规定将有效缓解城市拥堵问题，并改善空气质量。不少市民认为，公共交通的服务水平也需要同步提升，才能让出行更加方便。"

    func testKeptPageAndUnifiedFormat() throws {
        let f = try filter()
        var d = Document(id: "x", text: Self.clean + "（完）", metadata: JSONObject([("url", .string("https://example.com/a"))]))
        XCTAssertEqual(f.apply(&d), .keep)
        XCTAssertEqual(d.text, ChineseText.halfWidth(Self.clean) + "(完)", "34 full-width symbols become ASCII")
        XCTAssertTrue(d.text.contains("."))
    }

    func testRulesDropRealPages() throws {
        let f = try filter([("duplicates", "intended")])
        // A: "正在为您跳转到【帝娇t恤女夏装2016新款…】" — a redirect page, mostly a bracketed title.
        XCTAssertEqual(reason(f, page("正在为您跳转到【帝娇")), "mapcc_brackets")
        // R1: one sentence only.
        XCTAssertEqual(reason(f, "北京市今天发布了新的交通管理规定要求所有车辆在高峰时段限行专家表示这项规定将有效缓解城市拥堵问题"), "mapcc_sentences")
        // R2: too short (under 50 characters after NFKC).
        XCTAssertEqual(reason(f, "今天天气很好。我们去公园散步吧。"), "mapcc_length")
        // R3: "words" of 11+ characters on average (a list of serial numbers).
        let serials = (0..<12).map { "ABCDEFGHJKMNPQRSTUVWXYZ".shuffledDeterministic($0) + "。" }.joined(separator: " ")
        XCTAssertEqual(reason(f, serials), "mapcc_word_length")
        // R4: hashtag runs.
        XCTAssertEqual(reason(f, Self.clean + (0..<40).map { "#话题\($0)#" }.joined(separator: " ")), "mapcc_hashtags")
        // R5: ellipses.
        XCTAssertEqual(reason(f, Self.clean + String(repeating: "好……", count: 40)), "mapcc_ellipsis")
        // R7: "063期特码精准四肖…博客访问: 2370514830" — a lottery page, mostly numbers.
        XCTAssertEqual(reason(f, page("063期特码精准四肖")), "mapcc_digits")
        // R8: "联系方式-大眼界光商城 | 网站标志 | 更多 | 更多 | 购物车 | 更多" — menus ending in 更多.
        XCTAssertEqual(reason(f, page("大眼界光商城")), "mapcc_read_more")
        // R9: bullet lists.
        let bullets = (0..<10).map { "• 第\($0)项：本店商品质量保证，欢迎选购。" }.joined(separator: "\n")
        XCTAssertEqual(reason(f, bullets), "mapcc_bullets")
        // R11: one phrase repeated.
        XCTAssertEqual(reason(f, String(repeating: "哈哈哈，好的。", count: 30)), "mapcc_unique_chars")
        // R12: a dozen distinct characters only.
        XCTAssertEqual(reason(f, String(repeating: "春夏秋冬东南西北上下。", count: 6)), "mapcc_entropy")
        // D: "赛欧_中美军舰南海对峙事件_太阳的后裔 | 分享到: | 更多" — keyword spam fastText is unsure about.
        XCTAssertEqual(reason(f, page("赛欧_中美军舰南海对峙事件")), "mapcc_fasttext_score")
        // E (intended): "世界的分量_作文450字 … 小学作文 | 初中作文 | 高中作文" — one 4-gram everywhere.
        XCTAssertEqual(reason(f, page("世界的分量_作文450字")), "mapcc_top_4gram")
    }

    func testDuplicatesRulesAreANoOpAsReleased() throws {
        XCTAssertNil(reason(try filter(), page("世界的分量_作文450字")), "as released, duplicates_rules never removes anything")
    }

    func testURLBlocklistAndLinkRemoval() throws {
        let dir = temporaryDirectory()
        let list = dir + "/urls"
        TestFiles.write(Array("bad.example.com\nspam.example.org\n".utf8), to: list)
        let f = try filter([("url_blocklist", list)])
        XCTAssertEqual(reason(f, Self.clean, url: "https://bad.example.com/page.html"), "mapcc_url_blocklist")
        XCTAssertEqual(reason(f, Self.clean, url: "https://spam.example.org/x"), "mapcc_url_blocklist")
        XCTAssertNil(reason(f, Self.clean, url: "https://example.com/good"))
        XCTAssertEqual(LinkRemover.remove("详情请访问https://www.example.com/a?b=1，谢谢。"), "详情请访问，谢谢。")
        XCTAssertEqual(LinkRemover.remove("镜像 mirror.a.b.example 可用"), "镜像  可用")
        XCTAssertEqual(LinkRemover.remove("see example.com now"), "see  now")
        XCTAssertEqual(LinkRemover.remove("网站example.com"), "网站example.com", "not after a Han character")
    }

    /// CT-LLM's `url_filter` reads `line['url'].strip()`: a line without a string URL raises
    /// there and is dropped, after `unify_format` and before any rule.
    func testMissingURLDropsAsCTLLMUnlessKept() throws {
        let f = try filter()
        XCTAssertEqual(reason(f, Self.clean, url: nil), "mapcc_no_url")
        var null = Document(id: "x", text: Self.clean, metadata: JSONObject([("url", .null)]))
        XCTAssertEqual(f.apply(&null), .drop("mapcc_no_url"))
        var number = Document(id: "x", text: Self.clean, metadata: JSONObject([("url", .number("7"))]))
        XCTAssertEqual(f.apply(&number), .drop("mapcc_no_url"))
        XCTAssertNil(reason(f, Self.clean, url: ""), "an empty URL is a string: CT-LLM strips it and goes on")
        // A CCNet-style line read without url_key keeps its url at the top level, where CT-LLM reads it.
        var topLevel = Document(id: "x", text: Self.clean, extra: JSONObject([("url", .string("https://example.com/a"))]))
        XCTAssertEqual(f.apply(&topLevel), .keep)
        let listed = temporaryDirectory() + "/urls"
        TestFiles.write(Array("example.com/a\n".utf8), to: listed)
        var blocked = Document(id: "x", text: Self.clean, extra: JSONObject([("url", .string("https://example.com/a"))]))
        XCTAssertEqual(try filter([("url_blocklist", listed)]).apply(&blocked), .drop("mapcc_url_blocklist"))
        XCTAssertEqual(reason(f, "【广告】【广告】【广告】" + Self.clean.prefix(20), url: nil), "mapcc_brackets", "unify_format decides first")
        XCTAssertNil(reason(try filter([("missing_url", "keep")]), Self.clean, url: nil))
        XCTAssertThrowsError(try filter([("missing_url", "maybe")]))
    }

    /// R10 (no ASCII punctuation) cannot fire after R1: R1 needs a `. ! … ? ; "` and each of
    /// them counts as punctuation — a quirk of the released order, like R8's `。。。`.
    func testR10IsUnreachableAfterR1() {
        XCTAssertEqual(MapCCFilter.rules("没有标点的一段很长很长的中文文本没有任何句号也没有逗号只是一直写下去直到超过五十个字符为止吧好吧"), "mapcc_sentences")
    }

    /// R3 stops segmenting once the rest of the text cannot change the decision: on real pages,
    /// with thresholds around each page's own mean (where stopping early is hardest), the answer
    /// equals the mean over the whole text.
    func testWordLengthEarlyExitDecidesAsTheWholeText() {
        var early = 0
        for text in SharedCorpora.chinesePages.prefix(150) {
            let kept = Scalars.of(text).filter(MapCCFilter.isWordOrSpace)
            let (w, c) = ICUText.wordStats(kept)
            guard w > 0 else { XCTAssertFalse(MapCCFilter.meanWordLengthInRange(kept)); continue }
            let mean = Double(c) / Double(w)
            for (low, high) in [(1.3, 10.0), (mean - 0.01, mean + 0.01), (mean + 0.001, 20), (0.5, mean - 0.001), (1.9, 2.1)] {
                for block in [16, 256, 1 << 30] {
                    XCTAssertEqual(MapCCFilter.meanWordLengthInRange(kept, low: low, high: high, block: block), mean >= low && mean <= high, "\(low) \(high) \(block)")
                }
            }
            if kept.count > 600 { early += 1 }
        }
        XCTAssertGreaterThan(early, 50, "pages long enough to stop early")
    }

    /// R12's entropy from the c·log c table equals the term-by-term sum to 1e-12 on real pages,
    /// and near the threshold the term-by-term sum is what decides.
    func testEntropyTableEqualsTermByTerm() {
        var counts = CharCounts()
        for text in SharedCorpora.chinesePages.prefix(300) {
            let n = ICUText.nfkc(scalars: Scalars.of(text), of: text)
            guard n.count <= 10_000 else { continue }
            var exact = 0.0
            var seen: [UInt32: Int] = [:]
            var order: [UInt32] = []
            for c in n { if seen[c] == nil { order.append(c) }; seen[c, default: 0] += 1 }
            for c in order { let p = Double(seen[c]!) / Double(n.count); exact -= p * log(p) }
            let (distinct, fast) = counts.distinctAndEntropy(n)
            XCTAssertEqual(distinct, order.count)
            XCTAssertEqual(fast, exact, accuracy: 1e-12)
            XCTAssertEqual(counts.distinctAndEntropy(n, exactNear: fast).1, exact, "near the threshold: the same sum as Python")
        }
    }
}

extension String {
    /// A fixed permutation of the characters (for made-up serial numbers).
    func shuffledDeterministic(_ seed: Int) -> String {
        var c = Array(self)
        var s = UInt64(seed + 1)
        for i in stride(from: c.count - 1, to: 0, by: -1) {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            c.swapAt(i, Int(s >> 33) % (i + 1))
        }
        return String(c.prefix(14))
    }

}

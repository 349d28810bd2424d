import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowDedup

/// MAP-CC's similar_line_dedup stage and its banded edit distance.
final class SimilarLineDedupTests: XCTestCase {
    /// MAP-CC's similar-line dedup on a real page: repeated navigation sentences and a
    /// near-copy of a sentence go; distinct sentences stay in order.
    func testSimilarLineDedup() throws {
        let s = try makeStage(SimilarLineDedup.init)
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
        for page in SharedCorpora.chinesePages.prefix(40) {
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
        let s = try makeStage(SimilarLineDedup.init)
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
        for (n, page) in SharedCorpora.chinesePages.prefix(30).enumerated() {
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
}

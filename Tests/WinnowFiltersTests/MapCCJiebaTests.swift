import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowText
@testable import WinnowFilters

/// MAP-CC's rules that use jieba words and link removal.
final class MapCCJiebaTests: XCTestCase {
    /// `mapcc_filter` with `jieba:` measures R3 with these words, early exit included.
    func testMapCCFilterUsesJiebaForR3() throws {
        let f = try makeStage(MapCCFilter.init, [("model", "none"), ("jieba", JiebaFixture.directory), ("missing_url", "keep")])
        var d = Document(id: "x", text: MapCCFilterTests.clean)
        XCTAssertEqual(f.apply(&d), .keep)
        // Serial numbers: jieba's HMM keeps each ASCII run whole, 14 characters a word.
        let serials = (0..<12).map { "ABCDEFGHJKMNPQRSTUVWXYZ".shuffledDeterministic($0) + "。" }.joined(separator: " ")
        var s = Document(id: "s", text: serials)
        XCTAssertEqual(f.apply(&s), .drop("mapcc_word_length"))
        let seg = JiebaSegmenter(dictionary: try JiebaDictionary.shared(directory: JiebaFixture.directory))
        for c in try TestFiles.json(JiebaFixture.cases)["r3"]!.arrayValue! {
            let kept = Scalars.of(c["text"]!.stringValue!)
            let mean = c["mean"]!.doubleValue!
            var stats = MapCCFilter.WordStats.jieba(seg)
            for (low, high) in [(1.3, 10.0), (mean - 0.001, mean + 0.001), (mean + 0.001, 20)] {
                XCTAssertEqual(MapCCFilter.meanWordLengthInRange(kept, low: low, high: high, block: 64, stats: &stats), mean >= low && mean <= high && mean > 0)
            }
        }
    }

    /// Link removal skips what the pre-check rules out: with and without it, the same text.
    func testLinkRemovalPrecheckChangesNothing() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "b", "com", "3", ".", ".", "-", "http://", "https://", "www.", "中", "文", " ", ",", "，", "。", "x1", "Z", "😀", "/", "é"]
        var texts = SharedCorpora.chinesePages.prefix(200).map { ChineseText.halfWidth($0) }
        for _ in 0..<3000 { texts.append((0..<Int.random(in: 1...16, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()) }
        var changed = 0
        for t in texts {
            let everyPass = LinkRemover.remove(utf8: Array(t.utf8), [.urls, .names]).map { String(decoding: $0, as: UTF8.self) } ?? t
            XCTAssertEqual(LinkRemover.remove(t), everyPass, t)
            if everyPass != t { changed += 1 }
        }
        XCTAssertGreaterThan(changed, 500)
    }
}

/// The small jieba model in WinnowTextTests' fixtures and what jieba 0.42.1 cuts with it.
enum JiebaFixture {
    static let directory = TestPaths.fixtures("WinnowTextTests") + "/jieba-mini"
    static let cases = TestPaths.fixtures("WinnowTextTests") + "/jieba.json"
}

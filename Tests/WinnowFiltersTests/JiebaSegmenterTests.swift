import XCTest
import WinnowCore
@testable import WinnowText
@testable import WinnowFilters

/// The jieba cut against jieba 0.42.1 itself, on a small model of our own in jieba's file
/// formats (`Fixtures/jieba-mini`; `bench/parity/jieba_fixture.py` wrote it and what jieba cuts
/// with it): real Chinese pages and reviews, built edge cases, and MAP-CC's R3 inputs.
final class JiebaSegmenterTests: XCTestCase {
    static let directory = DatatroveDecisions.fixtures + "/jieba-mini"

    func segmenter() throws -> JiebaSegmenter {
        JiebaSegmenter(dictionary: try JiebaDictionary.shared(directory: Self.directory))
    }

    func testTokensEqualJieba() throws {
        var seg = try segmenter()
        let fixture = try DatatroveDecisions.json("jieba.json")
        let texts = fixture["texts"]!.arrayValue!.map { $0.stringValue! }
        let tokens = fixture["tokens"]!.arrayValue!.map { $0.arrayValue!.map { $0.stringValue! } }
        XCTAssertGreaterThan(texts.count, 150)
        var hmmWords = 0
        for (text, expected) in zip(texts, tokens) {
            let got = seg.tokens(text)
            XCTAssertEqual(got, expected, String(text.prefix(40)))
            hmmWords += got.filter { w in w.count > 1 && !Scalars.of(w).withUnsafeBufferPointer { seg.dictionary.isWord($0) } }.count
        }
        XCTAssertGreaterThan(hmmWords, 100, "the texts exercise the HMM on words the dictionary lacks")
    }

    func testR3MeanWordLengthEqualsJieba() throws {
        var seg = try segmenter()
        let cases = try DatatroveDecisions.json("jieba.json")["r3"]!.arrayValue!
        for c in cases {
            let text = c["text"]!.stringValue!, mean = c["mean"]!.doubleValue!
            let (w, chars) = Scalars.of(text).withUnsafeBufferPointer { seg.wordStats($0) }
            XCTAssertEqual(w == 0 ? 0 : Double(chars) / Double(w), mean, String(text.prefix(40)))
        }
    }

    /// `mapcc_filter` with `jieba:` measures R3 with these words, early exit included.
    func testMapCCFilterUsesJiebaForR3() throws {
        let f = try ChineseFilterTests.stage(MapCCFilter.init, [("model", "none"), ("jieba", Self.directory)])
        var d = Document(id: "x", text: MapCCFilterTests.clean)
        XCTAssertEqual(f.apply(&d), .keep)
        // Serial numbers: jieba's HMM keeps each ASCII run whole, 14 characters a word.
        let serials = (0..<12).map { "ABCDEFGHJKMNPQRSTUVWXYZ".shuffledDeterministic($0) + "。" }.joined(separator: " ")
        var s = Document(id: "s", text: serials)
        XCTAssertEqual(f.apply(&s), .drop("mapcc_word_length"))
        let seg = try segmenter()
        for c in try DatatroveDecisions.json("jieba.json")["r3"]!.arrayValue! {
            let kept = Scalars.of(c["text"]!.stringValue!)
            let mean = c["mean"]!.doubleValue!
            var stats = MapCCFilter.WordStats.jieba(seg)
            for (low, high) in [(1.3, 10.0), (mean - 0.001, mean + 0.001), (mean + 0.001, 20)] {
                XCTAssertEqual(MapCCFilter.meanWordLengthInRange(kept, low: low, high: high, block: 64, stats: &stats), mean >= low && mean <= high && mean > 0)
            }
        }
    }

    func testBadModelFilesAreReportedNotCrashed() throws {
        let dir = ExecutorTestsTemp.dir()
        XCTAssertThrowsError(try JiebaDictionary(directory: dir)) { XCTAssertTrue("\($0)".contains("dict.txt"), "\($0)") }
        mkdir(dir + "/finalseg", 0o755)
        for name in ["prob_start.py", "prob_trans.py", "prob_emit.py"] {
            let src = readFileBytes(Self.directory + "/finalseg/" + name)!
            FileManagerLite.write(dir + "/finalseg/" + name, src)
        }
        FileManagerLite.write(dir + "/dict.txt", Array("中国 10 ns\n人民 5 n\n坏行\n".utf8))
        XCTAssertThrowsError(try JiebaDictionary(directory: dir)) { XCTAssertTrue("\($0)".hasSuffix("dict.txt:3: expected `word frequency [tag]`"), "\($0)") }
        FileManagerLite.write(dir + "/dict.txt", Array("中国 10 ns\n".utf8))
        FileManagerLite.write(dir + "/finalseg/prob_emit.py", Array("P={'B': {'\\u4e00': oops".utf8))
        XCTAssertThrowsError(try JiebaDictionary(directory: dir)) { XCTAssertTrue("\($0)".contains("prob_emit.py"), "\($0)") }
        // Broken UTF-8 (a truncated character at the very end): the HMM file is an error, the
        // dictionary loads with U+FFFD in the broken word; neither reads past its bytes.
        FileManagerLite.write(dir + "/finalseg/prob_emit.py", Array("P={'B': {'".utf8) + [0xE4, 0xB8])
        XCTAssertThrowsError(try JiebaDictionary(directory: dir)) { XCTAssertTrue("\($0)".contains("prob_emit.py"), "\($0)") }
        FileManagerLite.write(dir + "/finalseg/prob_emit.py", readFileBytes(Self.directory + "/finalseg/prob_emit.py")!)
        FileManagerLite.write(dir + "/dict.txt", Array("中国 10 ns\n人民 5 n\n".utf8) + [0xE4, 0xB8, 0x20, 0x33, 0x0A])
        let d = try JiebaDictionary(directory: dir)
        XCTAssertTrue(Scalars.of("中国").withUnsafeBufferPointer { d.isWord($0) })
        XCTAssertTrue([0xFFFD].withUnsafeBufferPointer { d.isWord($0) }, "the broken word is U+FFFD")
    }

    /// Link removal skips what the pre-check rules out: with and without it, the same text.
    func testLinkRemovalPrecheckChangesNothing() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "b", "com", "3", ".", ".", "-", "http://", "https://", "www.", "中", "文", " ", ",", "，", "。", "x1", "Z", "😀", "/", "é"]
        var texts = ChineseFilterTests.hplt.prefix(200).map { ChineseText.halfWidth($0) }
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

enum FileManagerLite {
    static func write(_ path: String, _ bytes: [UInt8]) {
        let fh = fopen(path, "w")!
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, fh) }
        fclose(fh)
    }
}

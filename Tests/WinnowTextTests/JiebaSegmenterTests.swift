import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowText

/// The jieba cut against jieba 0.42.1 itself, on a small model of our own in jieba's file
/// formats (`Fixtures/jieba-mini`; `bench/parity/jieba_fixture.py` wrote it and what jieba cuts
/// with it): real Chinese pages and reviews, built edge cases, and MAP-CC's R3 inputs.
final class JiebaSegmenterTests: XCTestCase {
    static let fixtures = TestPaths.fixtures("WinnowTextTests")
    static let directory = fixtures + "/jieba-mini"

    func segmenter() throws -> JiebaSegmenter {
        JiebaSegmenter(dictionary: try JiebaDictionary.shared(directory: Self.directory))
    }

    func testTokensEqualJieba() throws {
        var seg = try segmenter()
        let fixture = try TestFiles.json(Self.fixtures + "/jieba.json")
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
        let cases = try TestFiles.json(Self.fixtures + "/jieba.json")["r3"]!.arrayValue!
        for c in cases {
            let text = c["text"]!.stringValue!, mean = c["mean"]!.doubleValue!
            let (w, chars) = Scalars.of(text).withUnsafeBufferPointer { seg.wordStats($0) }
            XCTAssertEqual(w == 0 ? 0 : Double(chars) / Double(w), mean, String(text.prefix(40)))
        }
    }

    func testBadModelFilesAreReportedNotCrashed() throws {
        let dir = temporaryDirectory()
        XCTAssertThrowsError(try JiebaDictionary(directory: dir)) { XCTAssertTrue("\($0)".contains("dict.txt"), "\($0)") }
        mkdir(dir + "/finalseg", 0o755)
        for name in ["prob_start.py", "prob_trans.py", "prob_emit.py"] {
            let src = readFileBytes(Self.directory + "/finalseg/" + name)!
            TestFiles.write(src, to: dir + "/finalseg/" + name)
        }
        TestFiles.write(Array("中国 10 ns\n人民 5 n\n坏行\n".utf8), to: dir + "/dict.txt")
        XCTAssertThrowsError(try JiebaDictionary(directory: dir)) { XCTAssertTrue("\($0)".hasSuffix("dict.txt:3: expected `word frequency [tag]`"), "\($0)") }
        TestFiles.write(Array("中国 10 ns\n".utf8), to: dir + "/dict.txt")
        TestFiles.write(Array("P={'B': {'\\u4e00': oops".utf8), to: dir + "/finalseg/prob_emit.py")
        XCTAssertThrowsError(try JiebaDictionary(directory: dir)) { XCTAssertTrue("\($0)".contains("prob_emit.py"), "\($0)") }
        // Broken UTF-8 (a truncated character at the very end): the HMM file is an error, the
        // dictionary loads with U+FFFD in the broken word; neither reads past its bytes.
        TestFiles.write(Array("P={'B': {'".utf8) + [0xE4, 0xB8], to: dir + "/finalseg/prob_emit.py")
        XCTAssertThrowsError(try JiebaDictionary(directory: dir)) { XCTAssertTrue("\($0)".contains("prob_emit.py"), "\($0)") }
        TestFiles.write(readFileBytes(Self.directory + "/finalseg/prob_emit.py")!, to: dir + "/finalseg/prob_emit.py")
        TestFiles.write(Array("中国 10 ns\n人民 5 n\n".utf8) + [0xE4, 0xB8, 0x20, 0x33, 0x0A], to: dir + "/dict.txt")
        let d = try JiebaDictionary(directory: dir)
        XCTAssertTrue(Scalars.of("中国").withUnsafeBufferPointer { d.isWord($0) })
        XCTAssertTrue([0xFFFD].withUnsafeBufferPointer { d.isWord($0) }, "the broken word is U+FFFD")
    }

}

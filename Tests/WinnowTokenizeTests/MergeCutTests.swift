import XCTest
import WinnowCore
@testable import WinnowTokenize

/// Pieces merged in segments cut between characters no token spans (`MergeCutTable`), and long
/// pieces answered from `LongPieceCache`, against the plain algorithm.
final class MergeCutTests: XCTestCase {
    // 中 E4 B8 AD, 文 E6 96 87, 国 E5 9B BD, 人 E4 BA BA, 我 E6 88 91, 们 E4 BB AC, é C3 A9, ж D0 B6.
    static let alphabet = ["中", "文", "国", "人", "我", "们", "é", "ж"]

    /// A rank file: the 256 bytes, each character of `alphabet` (its first two bytes, then
    /// whole), and tokens that span characters in each way a product can: "中文", "我们",
    /// "中国" and "中国人" joined, "人" then a lead byte E6 (文, 我 start with it), a tail byte AD (中 ends with it)
    /// then "国", the tail byte 91 (我) then the lead byte E4 (中, 人, 们); ranked so that they
    /// merge before some characters are whole. Plus runs of spaces, newlines and letters.
    static func syntheticRanks() -> [UInt8] {
        var tokens: [[UInt8]] = (0..<256).map { [UInt8($0)] }
        func add(_ t: [UInt8]) { if !tokens.contains(t) { tokens.append(t) } }
        add([0x91, 0xE4])
        add(Array("人".utf8) + [0xE6])
        for c in alphabet { let b = Array(c.utf8); if b.count == 3 { add(Array(b[0..<2])) }; add(b) }
        add([0xAD] + Array("国".utf8))
        add(Array("中文".utf8)); add(Array("我们".utf8)); add(Array("中国".utf8)); add(Array("中国人".utf8))
        for t in ["  ", "    ", "        ", "\n ", "\n\n", "ab", "abab", " a", "ba"] { add(Array(t.utf8)) }
        return Array(tokens.enumerated().map { "\(Base64.encode($0.element)) \($0.offset)\n" }.joined().utf8)
    }

    static func synthetic() throws -> TiktokenTokenizer {
        let ranks = syntheticRanks()
        let count = ranks.split(separator: 0x0A).count
        return try TiktokenTokenizer(bytes: ranks, path: "synthetic.tiktoken",
                                     encoding: TiktokenEncoding(name: "synthetic", rules: SplitPattern.cl100k, specialTokens: [], rankCount: count))
    }

    func testCutsOnlyWhereNoProductSpans() throws {
        let cuts = try Self.synthetic().core.cuts
        func c(_ s: String) -> Int { Int(s.unicodeScalars.first!.value) }
        XCTAssertFalse(cuts.canCut(c("中"), c("文")), "joined inside 中文")
        XCTAssertFalse(cuts.canCut(c("国"), c("人")), "joined inside 中国人")
        XCTAssertFalse(cuts.canCut(c("人"), c("文")), "人 then E6 spans it")
        XCTAssertFalse(cuts.canCut(c("人"), c("中")), "人 is followed by a partial character in a product")
        XCTAssertFalse(cuts.canCut(c("们"), c("国")), "AD then 国: 国 has a product ending inside the character before")
        XCTAssertFalse(cuts.canCut(c("é"), c("中")), "91 then E4: no cut before any character starting with E4")
        XCTAssertTrue(cuts.canCut(c("文"), c("我")))
        XCTAssertTrue(cuts.canCut(c("我"), c("é")))
        XCTAssertTrue(cuts.canCut(c("ж"), c("文")))
        XCTAssertEqual(cuts.joinedCount, 4, "中文, 我们, 中国, and 国人 inside 中国人")
    }

    /// Every kind of span, next to cuts, on documents long enough (over 64 KB in all) for the
    /// piece caches to be live, two models sharing one scratch.
    func testSegmentsAndLongPiecesGiveThePlainIds() throws {
        let synthetic = try Self.synthetic()
        let qwen = try TiktokenTokenizer(path: EncodingParityTests.tokenizers + "tiktoken/qwen.tiktoken")
        let letters = Self.alphabet + ["，", " ", "a", "b"]
        var rng = SplitMix64(seed: 29)
        let scratch = MergeScratch()
        var cutSeen = 0, longSeen = 0
        for doc in 0..<400 {
            var text = ""
            for _ in 0..<(5 + Int(rng.next() % 40)) {
                switch rng.next() % 8 {
                case 0:
                    // A whitespace run of 25 to 90 bytes: a long piece, repeated across documents.
                    let spaces = 3 + Int(rng.next() % 4)
                    text += String(repeating: "\n" + String(repeating: " ", count: spaces * 4), count: 1 + Int(rng.next() % 5))
                    longSeen += 1
                case 1:
                    // A long letter run (no spaces): over 24 bytes.
                    text += " " + String((0..<(25 + Int(rng.next() % 30))).map { _ in rng.next() % 2 == 0 ? "a" : "b" })
                    longSeen += 1
                default:
                    text += letters[Int(rng.next() % UInt64(letters.count))]
                }
            }
            let tok = doc % 3 == 2 ? qwen : synthetic
            var got: [UInt32] = []
            var t = text
            t.withUTF8 { tok.core.encodeOrdinary($0, into: &got, scratch) }
            XCTAssertEqual(got, EncodingFastPathTests.reference(tok.core, text), "doc \(doc): \(text.debugDescription)")
            let scalars = Array(text.unicodeScalars)
            for i in 1..<max(scalars.count, 1) where scalars[i - 1].value >= 0x80 && scalars[i].value >= 0x80 && scalars[i].value != 0xFF0C
                && scalars[i - 1].value != 0xFF0C && synthetic.core.cuts.canCut(Int(scalars[i - 1].value), Int(scalars[i].value)) {
                cutSeen += 1
            }
        }
        XCTAssertGreaterThan(cutSeen, 500, "the documents have cuts")
        XCTAssertGreaterThan(longSeen, 500)
    }

    /// The cut table of a real vocabulary: a Chinese text cut into words merges to the same ids.
    func testRealVocabularyCutsChineseClauses() throws {
        for file in ["tiktoken/cl100k_base.tiktoken", "tiktoken/qwen.tiktoken"] {
            let tok = try TiktokenTokenizer(path: EncodingParityTests.tokenizers + file)
            let clause = "我们今天在北京召开了关于人工智能发展的研讨会与会者包括来自清华大学和北京大学的教授"
            let scalars = clause.unicodeScalars.map { Int($0.value) }
            let cuts = (1..<scalars.count).filter { tok.core.cuts.canCut(scalars[$0 - 1], scalars[$0]) }.count
            XCTAssertGreaterThan(cuts, 5, file)
            XCTAssertLessThan(cuts, scalars.count - 1, file)
            // Enough text for the caches, then the clause again through them.
            let text = String(repeating: clause + "，", count: 3000)
            XCTAssertEqual(tok.encode(text), EncodingFastPathTests.reference(tok.core, text), file)
        }
    }
}

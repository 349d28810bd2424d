import Foundation
import XCTest
import WinnowCore
@testable import WinnowTokenize

/// The encoder's shortcuts (piece cache, whole characters as first merge symbols, word cuts
/// before "▁", the no-copy tokenizer.json path) against the plain byte-level algorithm.
final class EncodingFastPathTests: XCTestCase {
    static let tokenizers = EncodingParityTests.tokenizers

    /// Ids by the unshortened algorithm: split, whole-piece lookup (tiktoken), byte merge.
    static func reference(_ core: ByteLevelBPE, _ text: String) -> [UInt32] {
        var out: [UInt32] = []
        let scratch = MergeScratch()
        var t = text
        t.withUTF8 { s in
            core.splitter!.forEachPiece(s) { a, b in
                let piece = UnsafeBufferPointer(rebasing: s[a..<b])
                if core.lookupWholePiece, let id = core.vocab.lookup(piece.baseAddress!, piece.count) { out.append(id); return }
                var sym = piece.map { core.byteTokens[Int($0)] }
                let n = sym.withUnsafeMutableBufferPointer { BytePairMerger.merge($0.baseAddress!, $0.count, core.pairs, scratch) }
                out += sym[0..<n]
            }
        }
        return out
    }

    /// Random text over CJK, Hangul, Cyrillic, accented Latin and ASCII, in runs long enough
    /// for the heap merge.
    static func randomText(_ rng: inout SplitMix64, length: Int) -> String {
        var scalars = String.UnicodeScalarView()
        let ranges: [ClosedRange<UInt32>] = [0x4E00...0x9FFF, 0x4E00...0x4FFF, 0x3040...0x30FF, 0xAC00...0xD7A3,
                                             0x0400...0x04FF, 0x00C0...0x017F, 0x0061...0x007A, 0x0020...0x0040, 0xFF01...0xFF5E]
        var k = 0
        while k < length {
            let r = ranges[Int(rng.next() % UInt64(ranges.count))]
            let run = 1 + Int(rng.next() % 40)
            for _ in 0..<run {
                let c = r.lowerBound + UInt32(rng.next() % UInt64(r.upperBound - r.lowerBound + 1))
                if let u = Unicode.Scalar(c) { scalars.append(u) }
            }
            k += run
        }
        return String(scalars)
    }

    func testCharacterStartGivesTheByteMergeIds() throws {
        for file in ["tiktoken/cl100k_base.tiktoken", "tiktoken/o200k_base.tiktoken.gz", "tiktoken/qwen.tiktoken"] {
            let tok = try TiktokenTokenizer(path: Self.tokenizers + file)
            XCTAssertGreaterThan(tok.core.charStart.qualifying, 100, file)
            var rng = SplitMix64(seed: 7)
            for i in 0..<300 {
                let text = Self.randomText(&rng, length: 20 + i * 3)
                XCTAssertEqual(tok.encode(text), Self.reference(tok.core, text), "\(file): \(text.debugDescription)")
            }
            // Real text: the same sentence through the cache twice.
            let zh = "我们今天在北京召开了关于人工智能发展的研讨会，与会者包括来自清华大学和北京大学的教授。"
            XCTAssertEqual(tok.encode(zh + zh), Self.reference(tok.core, zh + zh), file)
        }
    }

    func testCharacterStartOnByteLevelTokenizerJSON() throws {
        let tok = try XCTUnwrap(TokenizerLoader.load(path: Self.tokenizers + "hf-tokenizer-json/gpt-neo-test-tokenizer.json.gz") as? HFTokenizer)
        let core = try XCTUnwrap(tok.model.byteLevel)
        var rng = SplitMix64(seed: 11)
        let gpt2 = PieceSplitter(SplitPattern.gpt2, unicode: ReferenceUnicode.oniguruma)
        let scratch = MergeScratch()
        for i in 0..<200 {
            // NFC text without runs of spaces (the file's added tokens), so only the split and
            // the merge decide the ids.
            var text = Self.randomText(&rng, length: 20 + i * 3).precomposedStringWithCanonicalMapping
            while text.contains("  ") { text = text.replacingOccurrences(of: "  ", with: " ") }
            var want: [UInt32] = []
            var t = text
            t.withUTF8 { s in
                gpt2.forEachPiece(s) { a, b in
                    var sym = s[a..<b].map { core.byteTokens[Int($0)] }
                    let n = sym.withUnsafeMutableBufferPointer { BytePairMerger.merge($0.baseAddress!, $0.count, core.pairs, scratch) }
                    want += sym[0..<n]
                }
            }
            XCTAssertEqual(tok.encode(text), want, text.debugDescription)
        }
    }

    /// One scratch used by two tokenizers in turn: the piece cache must not leak ids across.
    func testScratchSharedByTwoTokenizers() throws {
        let a = try TiktokenTokenizer(path: Self.tokenizers + "tiktoken/cl100k_base.tiktoken")
        let b = try TiktokenTokenizer(path: Self.tokenizers + "tiktoken/o200k_base.tiktoken.gz")
        let scratch = MergeScratch()
        // Past the size at which a scratch starts its piece cache.
        var warm: [UInt32] = []
        var long = String(repeating: "warm up the piece cache with words ", count: PieceCache.minimumText / 20)
        long.withUTF8 { a.encode(utf8: $0, allowedSpecial: [], into: &warm, scratch: scratch) }
        XCTAssertEqual(warm, a.encode(long))
        let texts = ["Hello world, unbelievable tokenization!", "the quick brown fox 的 数据", "Hello world, unbelievable tokenization!"]
        for t in texts {
            for tok in [a, b] {
                var ids: [UInt32] = []
                var s = t
                s.withUTF8 { tok.encode(utf8: $0, allowedSpecial: [], into: &ids, scratch: scratch) }
                XCTAssertEqual(ids, tok.encode(t), "\(tok.encoding.name): \(t)")
            }
        }
    }

    /// Llama-style (no pre-tokenizer, "▁" for spaces): the document merges word by word.
    func testWordCutsBeforeMarker() throws {
        let tok = try XCTUnwrap(TokenizerLoader.load(path: Self.tokenizers + "hf-tokenizer-json/llama-test-tokenizer.json.gz") as? HFTokenizer)
        XCTAssertNotNil(tok.model.wordMarker)
        var rng = SplitMix64(seed: 3)
        let scratch = MergeScratch()
        for i in 0..<100 {
            let text = "▁" + Self.randomText(&rng, length: 10 + i * 4).replacingOccurrences(of: " ", with: "▁")
            var got: [UInt32] = [], want: [UInt32] = []
            var t = text
            t.withUTF8 { s in
                tok.model.encodePiece(s, &got, scratch)
                tok.model.encodeUnsplitForTesting(s, &want, scratch)
            }
            XCTAssertEqual(got, want, text.debugDescription)
        }
    }

    /// The heap merge against a plain lowest-rank-leftmost loop, on pieces of 2 to 300 symbols.
    func testHeapMergeMatchesPlainLoop() throws {
        let tok = try TiktokenTokenizer(path: Self.tokenizers + "tiktoken/cl100k_base.tiktoken")
        let pairs = tok.core.pairs
        var rng = SplitMix64(seed: 5)
        let scratch = MergeScratch()
        let alphabet = Array("ab cde\n".utf8) + Array("é中文".utf8)
        for round in 0..<300 {
            let n = 2 + round
            let bytes = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            var plain = bytes.map { tok.core.byteTokens[Int($0)] }
            while plain.count > 1 {
                var best = PairMergeTable.none, at = -1
                for i in 0..<(plain.count - 1) {
                    let r = pairs.find(plain[i], plain[i + 1])
                    if r < best { best = r; at = i }
                }
                if at < 0 { break }
                plain[at] = pairs.merged(best)
                plain.remove(at: at + 1)
            }
            var sym = bytes.map { tok.core.byteTokens[Int($0)] }
            let m = sym.withUnsafeMutableBufferPointer { BytePairMerger.mergeByHeapForTesting($0.baseAddress!, n, pairs, scratch) }
            XCTAssertEqual(Array(sym[0..<m]), plain, "n=\(n)")
        }
    }
}

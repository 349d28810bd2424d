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

    /// The merge with nothing shortened: lowest rank, leftmost, over the piece's bytes.
    static func plainMerge(_ core: ByteLevelBPE, _ bytes: ArraySlice<UInt8>) -> [UInt32] {
        var sym = bytes.map { core.byteTokens[Int($0)] }
        while sym.count > 1 {
            var best = PairMergeTable.none, at = -1
            for i in 0..<(sym.count - 1) {
                let r = core.pairs.find(sym[i], sym[i + 1])
                if r < best { best = r; at = i }
            }
            if at < 0 { break }
            sym[at] = core.pairs.merged(best)
            sym.remove(at: at + 1)
        }
        return sym
    }

    /// Whole characters start merged only where the bytes around allow it: after a space, after
    /// another CJK character, at a piece's edges, next to stray lead and continuation bytes.
    /// Pieces here start at each space, so a piece can start with a space, a lone byte or a
    /// character.
    func testCharacterStartInEveryByteContext() throws {
        for file in ["tiktoken/cl100k_base.tiktoken", "tiktoken/qwen.tiktoken"] {
            let tok = try TiktokenTokenizer(path: Self.tokenizers + file)
            let core = tok.core
            XCTAssertGreaterThan(core.charStart.withEntry, 3000, file)
            var rng = SplitMix64(seed: 13)
            let scratch = MergeScratch()
            // Frequent Han characters (the ones with entries), punctuation, Latin, stray bytes.
            let han = ("的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切" + "，。、：“”（）").unicodeScalars.map { String($0) }
            let latin = ["a", "the", "e", "é", "ü", "x", "1", "-", "'"]
            for round in 0..<400 {
                var bytes: [UInt8] = []
                for _ in 0..<(4 + round % 60) {
                    switch rng.next() % 10 {
                    case 0: bytes.append(0x20)
                    case 1: bytes.append(UInt8(0x80 + rng.next() % 0x40))            // stray continuation
                    case 2: bytes.append(UInt8(0xE4 + rng.next() % 6))               // stray lead byte
                    case 3: bytes += Array(latin[Int(rng.next() % UInt64(latin.count))].utf8)
                    case 4: bytes += Array("，".utf8)
                    default: bytes += Array(han[Int(rng.next() % UInt64(han.count))].utf8)
                    }
                }
                // Pieces: a space and the run after it (as " ?\p{L}+" cuts " 中文").
                var want: [UInt32] = [], got: [UInt32] = []
                var start = 0
                for i in 1...bytes.count where i == bytes.count || bytes[i] == 0x20 {
                    bytes.withUnsafeBufferPointer { p in
                        core.encodePiece(p.baseAddress! + start, i - start, &got, scratch)
                        // tiktoken: a piece that is a token is that token.
                        want += core.vocab.lookup(p.baseAddress! + start, i - start).map { [$0] } ?? Self.plainMerge(core, bytes[start..<i])
                    }
                    start = i
                }
                XCTAssertEqual(got, want, "\(file): \(bytes)")
            }
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

extension EncodingFastPathTests {
    /// Split then a plain ByteLevel (Llama-3, Qwen2, and Winnow's own trained files) takes the
    /// no-copy split path, with the ids of the pre-tokenizer chain.
    func testSplitThenByteLevelTakesTheFastPath() throws {
        let tok = try XCTUnwrap(TokenizerLoader.load(path: EncodingParityTests.root + "/samples/tokenizers/winnow-bpe-8k.json.gz") as? HFTokenizer)
        XCTAssertEqual(tok.preTokenizers.count, 2)
        XCTAssertNotNil(tok.fastSplitter)
        var rng = SplitMix64(seed: 17)
        let scratch = MergeScratch()
        for i in 0..<200 {
            let text = Self.randomText(&rng, length: 10 + i * 3) + " don't  \r\n 12345 "
            var want: [UInt32] = []
            var pieces = [Array(text.utf8)]
            for p in tok.preTokenizers { pieces = p.apply(pieces, firstSegment: true) }
            for p in pieces where !p.isEmpty { p.withUnsafeBufferPointer { tok.model.encodePiece($0, &want, scratch) } }
            XCTAssertEqual(tok.encode(text), want, text.debugDescription)
        }
    }
}

extension EncodingFastPathTests {
    /// Special-token search: spellings with one common first byte jump with memchr; others
    /// scan; both find the leftmost match, the longest there, and nothing in a cut-off tail.
    func testSpecialTokenMatcherFindsLeftmostLongest() {
        let common = SpecialTokenMatcher([("<|a|>", 1), ("<|bb|>", 2), ("<|a|>x", 3)])
        let mixed = SpecialTokenMatcher([("<|a|>", 1), ("[SEP]", 4)])
        let text = Array("x<y<|bb|>z<|a|>xq[SEP]<|a".utf8)
        text.withUnsafeBufferPointer { s in
            XCTAssertEqual(common.next(in: s, from: 0).map { [$0.0, $0.1, Int($0.2)] }, [3, 9, 2])
            XCTAssertEqual(common.next(in: s, from: 9).map { [$0.0, $0.1, Int($0.2)] }, [10, 16, 3])
            XCTAssertNil(common.next(in: s, from: 16))
            XCTAssertEqual(mixed.next(in: s, from: 9).map { [$0.0, $0.1, Int($0.2)] }, [10, 15, 1])
            XCTAssertEqual(mixed.next(in: s, from: 15).map { [$0.0, $0.1, Int($0.2)] }, [17, 22, 4])
            XCTAssertNil(mixed.next(in: s, from: 22))
        }
    }
}

extension EncodingFastPathTests {
    /// The normalizers' Replace: left to right, non-overlapping, a partial match at the end kept.
    func testReplaceAllLeftToRightNonOverlapping() {
        func r(_ s: String, _ p: String, _ c: String) -> String {
            String(decoding: replaceAll(Array(s.utf8), Array(p.utf8), Array(c.utf8)), as: UTF8.self)
        }
        XCTAssertEqual(r(" a b ", " ", "▁"), "▁a▁b▁")
        XCTAssertEqual(r("aaa", "aa", "X"), "Xa")
        XCTAssertEqual(r("abcab", "abc", ""), "ab")
        XCTAssertEqual(r("中文 text", "文 ", "-"), "中-text")
        XCTAssertEqual(r("no match", "zz", "y"), "no match")
        XCTAssertEqual(r("a", "ab", "y"), "a")
        XCTAssertEqual(r("xxa", "xa", "!"), "x!")
    }
}

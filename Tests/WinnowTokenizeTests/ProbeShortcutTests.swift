import XCTest
import WinnowCore
@testable import WinnowTokenize

/// The probes' shortcuts: ASCII class runs eight bytes at a time, o200k's ASCII word path,
/// vocabulary slots that hold a token's first eight bytes, and the piece cache's padded keys.
final class ProbeShortcutTests: XCTestCase {
    func testASCIIRunsMatchBytewiseClasses() {
        let classes: [((UInt64) -> UInt64, (UInt8) -> Bool)] = [
            (ASCIIRun.upper, { $0 >= 0x41 && $0 <= 0x5A }),
            (ASCIIRun.lower, { $0 >= 0x61 && $0 <= 0x7A }),
            (ASCIIRun.letter, { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }),
        ]
        // Class edges and bytes that fold onto letters when bit 5 is set.
        let alphabet: [UInt8] = [0x40, 0x41, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7B, 0x00, 0x20, 0x7F, 0x80, 0xC1, 0xE1, 0xFA, 0xFF, 0x4D, 0x6D]
        var rng = SplitMix64(seed: 5)
        for _ in 0..<3000 {
            let n = Int(rng.next() % 30)
            // Mostly letters, so runs cross the eight-byte words.
            let bytes: [UInt8] = (0..<n).map { _ in
                rng.next() % 4 == 0 ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : UInt8(0x41 + rng.next() % 26) | (rng.next() % 2 == 0 ? 0x20 : 0)
            }
            bytes.withUnsafeBufferPointer { s in
                for i in 0...n {
                    for (swar, member) in classes {
                        var want = i
                        while want < n && member(s[want]) { want += 1 }
                        XCTAssertEqual(ASCIIRun.end(s, i, swar), want, "\(bytes) from \(i)")
                    }
                }
            }
        }
    }

    func testO200kASCIIWordsSplitAsTheRegex() {
        // Pieces from the o200k pattern with Python's `regex` (tiktoken's pattern string).
        let cases: [(String, [String])] = [
            ("HELLOworld's", ["HELLOworld's"]), (" helloWorld", [" hello", "World"]), ("USA's tour", ["USA's", " tour"]),
            ("(Hello)", ["(Hello", ")"]), ("HeLLo", ["He", "LLo"]), ("don't", ["don't"]), ("café", ["café"]),
            ("ABCé", ["ABCé"]), ("x", ["x"]), ("A", ["A"]), ("\tWord", ["\tWord"]), ("'s", ["'s"]), ("IT'S", ["IT'S"]),
            ("ab'LL", ["ab'LL"]), ("Wor!d", ["Wor", "!d"]), ("HELLO\nworld", ["HELLO", "\n", "world"]),
            ("abcdefghijklmnopqrstuvwxyzABCDEFGH", ["abcdefghijklmnopqrstuvwxyz", "ABCDEFGH"]), ("héllo", ["héllo"]),
            ("HELLO WORLD's", ["HELLO", " WORLD's"]), ("a1b", ["a", "1", "b"]), ("  Foo", [" ", " Foo"]),
        ]
        let splitter = PieceSplitter(SplitPattern.o200k, unicode: ReferenceUnicode.tiktoken)
        for (text, want) in cases {
            var got: [String] = []
            var t = text
            t.withUTF8 { s in splitter.forEachPiece(s) { a, b in got.append(String(decoding: s[a..<b], as: UTF8.self)) } }
            XCTAssertEqual(got, want, text.debugDescription)
        }
    }

    func testASCIIPunctuationSpacesAndDigitsSplitAsTheRegex() {
        // Pieces from Python's `regex` with tiktoken's o200k and cl100k pattern strings.
        let shared: [(String, [String])] = [
            ("(the) 12345 x", ["(the", ")", " ", "123", "45", " x"]), ("...(the end", ["...(", "the", " end"]),
            ("a  \t\n\n  b", ["a", "  \t\n\n", " ", " b"]), ("x, y.\r\n", ["x", ",", " y", ".\r\n"]),
            ("1² 3", ["1²", " ", "3"]), ("  ", ["  "]), ("\t(", ["\t", "("]), (" 12", [" ", "12"]),
            (". \u{A0}x", [".", " ", "\u{A0}x"]), ("-été", ["-été"]), ("x\u{01}y\u{7F}", ["x", "\u{01}y", "\u{7F}"]),
            ("tab\t\tend \t", ["tab", "\t", "\tend", " \t"]), ("1234567", ["123", "456", "7"]), ("$$ 9", ["$$", " ", "9"]),
        ]
        let o200k = shared + [
            (" (\n/x", [" (\n/", "x"]), ("'sound 's", ["'sound", " '", "s"]), ("a//\n/b", ["a", "//\n/", "b"]), ("'Ll'S", ["'Ll'S"]),
        ]
        let cl100k = shared + [
            (" (\n/x", [" (\n", "/x"]), ("'sound 's", ["'s", "ound", " '", "s"]), ("a//\n/b", ["a", "//\n", "/b"]), ("'Ll'S", ["'Ll", "'S"]),
        ]
        for (rules, cases) in [(SplitPattern.o200k, o200k), (SplitPattern.cl100k, cl100k)] {
            let splitter = PieceSplitter(rules, unicode: ReferenceUnicode.tiktoken)
            for (text, want) in cases {
                var got: [String] = []
                var t = text
                t.withUTF8 { s in splitter.forEachPiece(s) { a, b in got.append(String(decoding: s[a..<b], as: UTF8.self)) } }
                XCTAssertEqual(got, want, "\(rules.letters) \(text.debugDescription)")
            }
        }
    }

    /// Every ASCII shortcut against the general alternatives alone, on random text over the
    /// bytes where the alternatives part ways: cases, digits, each kind of space, apostrophes,
    /// slashes, and non-ASCII letters, marks, digits and spaces right after ASCII.
    func testASCIIShortcutsSplitAsTheGeneralScanner() {
        let alphabet: [String] = ["a", "z", "A", "Z", "q", "Q", "s", "t", "l", "e", "0", "9", " ", " ", "\t", "\n", "\r", "\u{0B}",
                                  "'", "/", ".", "(", "-", "\u{01}", "\u{7F}", "é", "É", "\u{301}", "²", "\u{A0}", "\u{3000}", "中",
                                  "ſ", "٣", "Ⅻ"]
        var rng = SplitMix64(seed: 11)
        var texts: [String] = []
        for _ in 0..<4000 {
            let n = 1 + Int(rng.next() % 24)
            texts.append((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined())
        }
        for (name, rules) in SplitPattern.named.sorted(by: { $0.key < $1.key }) {
            let fast = PieceSplitter(rules, unicode: ReferenceUnicode.tiktoken)
            let plain = PieceSplitter(rules, unicode: ReferenceUnicode.tiktoken, shortcuts: false)
            for text in texts {
                var a: [Int] = [], b: [Int] = []
                var t = text
                t.withUTF8 { s in
                    fast.forEachPiece(s) { _, e in a.append(e) }
                    plain.forEachPiece(s) { _, e in b.append(e) }
                }
                XCTAssertEqual(a, b, "\(name): \(text.debugDescription)")
            }
        }
    }

    func testVocabularyLookupComparesPastTheFirstEightBytes() throws {
        // Tokens sharing their first eight bytes, and lengths on both sides of 8 and 255.
        var tokens: [([UInt8], UInt32)] = []
        let stems = ["abcdefgh", "abcdefgh1", "abcdefgh2", "abcdefgh12", "abc", "abcd", "abcdefg", String(repeating: "z", count: 300)]
        for (i, s) in stems.enumerated() { tokens.append((Array(s.utf8), UInt32(i))) }
        for i in 0..<2000 { tokens.append((Array("tok\(i)".utf8), UInt32(stems.count + i))) }
        // Tokens past 24 bytes (behind the table's filter of long tokens), as many as o200k has.
        for i in 0..<900 { tokens.append((Array("a token longer than 24 bytes, \(i)".utf8), UInt32(stems.count + 2000 + i))) }
        let table = try ByteStringTable(tokens: tokens)
        for (bytes, id) in tokens {
            XCTAssertEqual(bytes.withUnsafeBufferPointer { table.lookup($0.baseAddress!, $0.count) }, id, String(decoding: bytes, as: UTF8.self))
        }
        for miss in ["abcdefgh3", "abcdefgh13", "abcdefg1", "abcde", "ab", String(repeating: "z", count: 299), "tok2000", "tok12x",
                     "a token longer than 24 bytes, 900", "a token longer than 24 bytes, 12x"] {
            let b = Array(miss.utf8)
            XCTAssertNil(b.withUnsafeBufferPointer { table.lookup($0.baseAddress!, $0.count) }, miss)
        }
    }

    func testVocabularySlotDecidesOnBytesNotHash() throws {
        // Probed with another token's hash (a forced collision of every hash bit), a piece must
        // still not be taken for that token: length and bytes decide.
        // Pairs of one length differing in the first, second or third 8-byte word, and past 24.
        let words = ["abcdefgh", "abcdefgi", "abcdefghij", "abcdefghik", "xy", "xz", "abcdefghijklmnopq", "abcdefghijklmnopr",
                     "abcdefghXjklmnopqrstuvw", "abcdefghYjklmnopqrstuvw", "abcdefghijklmnopqrstuvwxyz1", "abcdefghijklmnopqrstuvwxyz2"]
        let table = try ByteStringTable(tokens: words.enumerated().map { (Array($0.element.utf8), UInt32($0.offset)) })
        for a in words {
            for b in words where a != b && a.utf8.count == b.utf8.count {
                let pa = Array(a.utf8), pb = Array(b.utf8)
                let got = pa.withUnsafeBufferPointer { p in
                    pb.withUnsafeBufferPointer { q in
                        table.lookup(p.baseAddress!, p.count, hash: hashBytes(q.baseAddress!, q.count), head: headWord(p.baseAddress!, p.count))
                    }
                }
                XCTAssertNil(got, "\(a) probed with the hash of \(b)")
            }
        }
    }

    func testPieceCacheEntryMatchesOnlyItsOwnBytes() {
        // One entry per length; probes with the same hash and length that differ in one byte
        // anywhere must miss.
        let cache = UnsafeMutablePointer<UInt64>.allocate(capacity: 8 << 14)
        defer { cache.deallocate() }
        cache.initialize(repeating: 0, count: 8 << 14)
        let out = UnsafeMutablePointer<UInt32>.allocate(capacity: 8)
        defer { out.deallocate() }
        for n in 2...PieceCache.maxKey {
            let key = (0..<n).map { UInt8(0x61 + $0 % 26) }
            let h: UInt64 = 0x1234_5678_9ABC_DEF0 &+ UInt64(n)
            let ids: [UInt32] = [7, UInt32(n)]
            key.withUnsafeBufferPointer { k in ids.withUnsafeBufferPointer { PieceCache.store(cache, k.baseAddress!, n, h, $0.baseAddress!, 2) } }
            key.withUnsafeBufferPointer { k in
                let end = PieceCache.find(cache, k.baseAddress!, n, h, headWord(k.baseAddress!, n), out)
                XCTAssertEqual(end.map { out.distance(to: $0) }, 2, "n \(n)")
                XCTAssertEqual(out[1], UInt32(n))
            }
            for pos in 0..<n {
                var other = key
                other[pos] = 0x5A
                other.withUnsafeBufferPointer { k in
                    XCTAssertNil(PieceCache.find(cache, k.baseAddress!, n, h, headWord(k.baseAddress!, n), out), "n \(n), byte \(pos)")
                }
            }
        }
    }

    func testLongTextThroughCacheAndPrefetchMatchesPlainAlgorithm() throws {
        // Past the piece cache's threshold, with words that repeat (cache hits) and random
        // multi-script runs (misses, merges, whole-character starts), through the pipelined
        // encoder with one scratch, against split + whole-piece lookup + plain byte merge.
        for file in ["tiktoken/cl100k_base.tiktoken", "tiktoken/o200k_base.tiktoken.gz"] {
            let tok = try TiktokenTokenizer(path: EncodingParityTests.tokenizers + file)
            var rng = SplitMix64(seed: 99)
            var text = ""
            let words = ["the", " quick", " Brown", " FOX's", " jumps", " over", " 12345", " lazy", " dog.", "\n\n", "  ", " naïve", " café"]
            while text.utf8.count < 3 * PieceCache.minimumText {
                if rng.next() % 3 == 0 { text += EncodingFastPathTests.randomText(&rng, length: 5 + Int(rng.next() % 60)) }
                for _ in 0..<8 { text += words[Int(rng.next() % UInt64(words.count))] }
            }
            let scratch = MergeScratch()
            var ids: [UInt32] = []
            text.withUTF8 { tok.encode(utf8: $0, allowedSpecial: [], into: &ids, scratch: scratch) }
            XCTAssertEqual(ids, EncodingFastPathTests.reference(tok.core, text), file)
            // And again with the cache now warm.
            var again: [UInt32] = []
            text.withUTF8 { tok.encode(utf8: $0, allowedSpecial: [], into: &again, scratch: scratch) }
            XCTAssertEqual(again, ids, file)
        }
    }

    func testPieceCacheKeysOfEveryLength() throws {
        // Past the size at which the piece cache starts; pieces of 2 to 30 bytes that differ
        // only in one byte, at every position, each encoded again after the others.
        let tok = try TiktokenTokenizer(path: EncodingParityTests.tokenizers + "tiktoken/cl100k_base.tiktoken")
        var words: [String] = []
        for n in 2...30 {
            let stem = Array("qwertyuiopasdfghjklzxcvbnmqwer".utf8.prefix(n))
            for k in 0..<n {
                var w = stem
                w[k] = UInt8(ascii: "Q")
                words.append(String(decoding: w, as: UTF8.self))
            }
            words.append(String(decoding: stem, as: UTF8.self))
        }
        var text = String(repeating: "warm up the piece cache ", count: PieceCache.minimumText / 20)
        for _ in 0..<2 { for w in words { text += " " + w } }
        let scratch = MergeScratch()
        var ids: [UInt32] = []
        text.withUTF8 { tok.encode(utf8: $0, allowedSpecial: [], into: &ids, scratch: scratch) }
        var want: [UInt32] = tok.encode(String(repeating: "warm up the piece cache ", count: PieceCache.minimumText / 20))
        for _ in 0..<2 { for w in words { want += tok.encode(" " + w) } }
        XCTAssertEqual(ids, want)
    }

    func testPairFilterKeepsEveryMergeAndRanksStayExact() throws {
        // Every merge of o200k's table passes the filter (no false negatives), and ranks read
        // through the pair cache and the filter equal the table's for real and random pairs.
        let tok = try TiktokenTokenizer(path: EncodingParityTests.tokenizers + "tiktoken/o200k_base.tiktoken.gz")
        let pairs = tok.core.pairs
        let scratch = MergeScratch()
        defer { withExtendedLifetime(scratch) {} }
        let cache = scratch.pairCache.bind(pairs)
        var merges = 0
        pairs.forEach { a, b, rank in
            merges += 1
            XCTAssertTrue(pairs.filter.mayContain(a, b), "\(a) \(b)")
            XCTAssertEqual(pairs.find(a, b, cache), rank)
        }
        XCTAssertGreaterThan(merges, 400_000)
        var rng = SplitMix64(seed: 7)
        var passed = 0, absent = 0
        for _ in 0..<200_000 {
            let a = UInt32(rng.next() % 200_000), b = UInt32(rng.next() % 200_000)
            let r = pairs.find(a, b)
            XCTAssertEqual(pairs.find(a, b, cache), r)
            if r == PairMergeTable.none {
                absent += 1
                if pairs.filter.mayContain(a, b) { passed += 1 }
            }
        }
        // About 8 bits per pair and four bits per key: a few percent get through.
        XCTAssertLessThan(Double(passed) / Double(absent), 0.08, "\(passed) of \(absent)")
    }

    func testPipelineFlushesSegmentsOfOneToFivePieces() throws {
        // Pieces are encoded two behind the split: a segment of one, two or three pieces ends
        // with one or two still waiting. Short segments after the cache is live (past its
        // threshold), with pieces of one byte, cacheable ones and ones over 24 bytes.
        let tok = try TiktokenTokenizer(path: EncodingParityTests.tokenizers + "tiktoken/o200k_base.tiktoken.gz")
        let scratch = MergeScratch()
        var ids: [UInt32] = []
        var warm = String(repeating: "warm the piece cache up; ", count: PieceCache.minimumText / 20)
        warm.withUTF8 { tok.encode(utf8: $0, allowedSpecial: [], into: &ids, scratch: scratch) }
        let parts = [" hello", ",", " supercalifragilisticexpialidocious", " 世界", "!", " the", "\n\n", " Überraschung"]
        var rng = SplitMix64(seed: 5)
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<(1 + Int(rng.next() % 5)) { text += parts[Int(rng.next() % UInt64(parts.count))] }
            var got: [UInt32] = []
            text.withUTF8 { tok.encode(utf8: $0, allowedSpecial: [], into: &got, scratch: scratch) }
            XCTAssertEqual(got, EncodingFastPathTests.reference(tok.core, text), text)
        }
    }
}

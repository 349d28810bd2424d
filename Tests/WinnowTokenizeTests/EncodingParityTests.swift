import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowTokenize

/// Exact ids against tiktoken / HF tokenizers, from a fixture written by
/// bench/parity/tokenizer_fixture.py (adversarial pieces, real snippets, code points at the
/// Unicode-version boundaries); the tokenizer files are the shared ones.
final class EncodingParityTests: XCTestCase {
    static let root = TestPaths.repositoryRoot
    static let tokenizers = root + "/../shared/data/models/tokenizers/"

    static let fixture: JSONValue = {
        let bytes = readFileBytes(root + "/Tests/WinnowTokenizeTests/Fixtures/tokenizer-ids.json")!
        return try! JSONParser.parse(bytes)
    }()

    func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let texts = Self.fixture["texts"]!.arrayValue!.map { $0.stringValue! }
        let entry = Self.fixture["tokenizers"]!.arrayValue!.first { $0["name"]?.stringValue == name }!
        let tok = try TokenizerLoader.load(path: Self.tokenizers + entry["file"]!.stringValue!)
        let want = entry["ids"]!.arrayValue!.map { $0.arrayValue!.map { UInt32($0.intValue!) } }
        var same = 0
        for (t, w) in zip(texts, want) {
            let got = tok.encode(t)
            if got == w { same += 1 } else if same >= 0 {
                XCTFail("\(name): ids differ for \(t.prefix(60).debugDescription)", file: file, line: line)
            }
        }
        XCTAssertEqual(same, texts.count, "\(name): identical documents", file: file, line: line)
        let allSpecial = Set(tok.allSpecialSpellings)
        let wantAll = entry["ids_all_special"]!.arrayValue!.map { $0.arrayValue!.map { UInt32($0.intValue!) } }
        for (t, w) in zip(texts, wantAll) {
            XCTAssertEqual(tok.encode(t, allowedSpecial: allSpecial), w, "\(name) with specials: \(t.debugDescription)", file: file, line: line)
        }
    }

    func testCl100k() throws { try check("cl100k") }
    func testO200kFromGzip() throws { try check("o200k") }
    func testQwen() throws { try check("qwen") }
    func testQwen3_6() throws { try check("qwen3_6") }
    func testGPTNeoTokenizerJSON() throws { try check("hf-gpt-neo") }
    func testLlama2StyleByteFallbackTokenizerJSON() throws { try check("hf-llama2") }

    func testRoundTripAndSpecials() throws {
        let tok = try TiktokenTokenizer(path: Self.tokenizers + "tiktoken/cl100k_base.tiktoken")
        let text = "Hello <|endoftext|> 世界 👨‍👩‍👧 \r\n\t  x"
        XCTAssertEqual(tok.decode(tok.encode(text)), text)
        XCTAssertFalse(tok.encode(text).contains(100257), "special text is plain text by default")
        XCTAssertTrue(tok.encode(text, allowedSpecial: ["<|endoftext|>"]).contains(100257))
        XCTAssertEqual(tok.specialTokenID("<|endofprompt|>"), 100276)
        XCTAssertEqual(tok.vocabularySize, 100277)
        XCTAssertEqual(tok.piece(9906), "Hello")
    }

    /// A long piece goes through the tree merge; both merges must agree, and time stays linear.
    func testLongPiecesMergeLikeShortOnes() throws {
        let tok = try TiktokenTokenizer(path: Self.tokenizers + "tiktoken/cl100k_base.tiktoken")
        var rng = SystemRandomNumberGenerator()
        let letters = Array("abcdefghij".utf8)
        let word = String(decoding: (0..<200_000).map { _ in letters[Int.random(in: 0..<10, using: &rng)] }, as: UTF8.self)
        let ids = tok.encode(word)
        XCTAssertEqual(tok.decode(ids), word)
        // Same pieces merged by the quadratic scan, 60 bytes at a time, must equal the heap
        // result on a 60-byte word.
        let short = String(word.prefix(60))
        let heap = tok.encode(short + short + short)
        XCTAssertEqual(tok.decode(heap), short + short + short)
        let repeated = String(repeating: "x", count: 300_000)
        XCTAssertEqual(tok.decode(tok.encode(repeated)), repeated)
    }

    func testScanAndHeapMergesAgree() throws {
        let tok = try TiktokenTokenizer(path: Self.tokenizers + "tiktoken/cl100k_base.tiktoken")
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab c".utf8) + Array("é中".utf8)
        let scratch = MergeScratch()
        for _ in 0..<200 {
            let n = Int.random(in: 2...BytePairMerger.scanLimit, using: &rng)
            var bytes = (0..<n).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            var a = bytes.map { tok.core.byteTokens[Int($0)] }
            var b = a
            let na = a.withUnsafeMutableBufferPointer { BytePairMerger.merge($0.baseAddress!, n, tok.core.pairs, scratch) }
            let nb = b.withUnsafeMutableBufferPointer { BytePairMerger.mergeByHeapForTesting($0.baseAddress!, n, tok.core.pairs, scratch) }
            XCTAssertEqual(Array(a[0..<na]), Array(b[0..<nb]))
            bytes.removeAll()
        }
    }
}

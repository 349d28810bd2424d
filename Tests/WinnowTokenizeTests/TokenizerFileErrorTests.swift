import XCTest
import WinnowCore
@testable import WinnowTokenize

/// Bad or unsupported tokenizer files are errors naming the field, never a different encoding.
final class TokenizerFileErrorTests: XCTestCase {
    func tempFile(_ bytes: [UInt8], _ name: String) -> String {
        var t = Array("/tmp/winnow-tok-XXXXXX".utf8CString)
        let dir = t.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        let p = dir + "/" + name
        let f = fopen(p, "wb")!
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
        return p
    }

    func assertError(_ json: String, contains: String, file: StaticString = #filePath, line: UInt = #line) {
        let p = tempFile(Array(json.utf8), "tokenizer.json")
        XCTAssertThrowsError(try TokenizerLoader.load(path: p), file: file, line: line) { e in
            XCTAssertTrue("\(e)".contains(contains), "\(e)", file: file, line: line)
        }
    }

    static func json(model: String = #""type":"BPE","vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]"#,
                     pre: String = "null", norm: String = "null", added: String = "[]") -> String {
        #"{"version":"1.0","truncation":null,"padding":null,"added_tokens":\#(added),"normalizer":\#(norm),"pre_tokenizer":\#(pre),"post_processor":null,"decoder":null,"model":{\#(model)}}"#
    }

    func testMinimalCharacterBPE() throws {
        let p = tempFile(Array(Self.json().utf8), "t.json")
        let tok = try TokenizerLoader.load(path: p)
        XCTAssertEqual(tok.encode("abab"), [2, 2])  // no pre-tokenizer: one piece
        XCTAssertEqual(tok.encode("aba"), [2, 0])
        XCTAssertEqual(tok.decode([2, 0]), "aba")
    }

    func testUnsupportedFieldsAreNamed() {
        assertError(Self.json(model: #""type":"WordPiece","vocab":{"a":0}"#), contains: "model.type 'WordPiece'")
        assertError(Self.json(pre: #"{"type":"Split","pattern":{"Regex":"\\d+"},"behavior":"Isolated","invert":false}"#),
                    contains: "pre_tokenizer.pattern")
        assertError(Self.json(pre: #"{"type":"Whitespace"}"#), contains: "pre_tokenizer.type 'Whitespace'")
        assertError(Self.json(norm: #"{"type":"Lowercase"}"#), contains: "normalizer.type 'Lowercase'")
        assertError(Self.json(added: #"[{"id":3,"content":"<m>","single_word":false,"lstrip":true,"rstrip":false,"normalized":false,"special":true}]"#),
                    contains: "lstrip=true")
        assertError(Self.json(model: #""type":"BPE","dropout":0.1,"vocab":{"a":0},"merges":[]"#), contains: "model.dropout")
        assertError(Self.json(model: #""type":"BPE","vocab":{"a":0},"merges":["a c"]"#), contains: "model.merges[0]")
        assertError(#"{"model": "#, contains: "not valid JSON")
    }

    func testBadRankFiles() {
        XCTAssertThrowsError(try TiktokenTokenizer(bytes: Array("YQ== 0\nYg== x\n".utf8), path: "r.tiktoken")) { e in
            XCTAssertTrue("\(e)".contains("line 2"), "\(e)")
        }
        // An unknown rank count needs its encoding named.
        XCTAssertThrowsError(try TiktokenTokenizer(bytes: Array("YQ== 0\nYg== 1\n".utf8), path: "r.tiktoken")) { e in
            XCTAssertTrue("\(e)".contains("match no known"), "\(e)")
        }
        let all = (0..<256).map { Base64.encode([UInt8($0)]) + " \($0)" }.joined(separator: "\n")
        let enc = TiktokenEncoding(name: "bytes", rules: SplitPattern.gpt2, specialTokens: [("<|e|>", 256)], rankCount: 256)
        XCTAssertNoThrow(try TiktokenTokenizer(bytes: Array(all.utf8), path: "r", encoding: enc))
        XCTAssertThrowsError(try TiktokenTokenizer(bytes: Array((all + "\nYQ== 300").utf8), path: "r", encoding: enc)) { e in
            XCTAssertTrue("\(e)".contains("appears twice"), "\(e)")
        }
        // A huge rank in a small file (found by FuzzTiktoken: it allocated 20 GB) is an error.
        XCTAssertThrowsError(try TiktokenTokenizer(bytes: Array((all + "\nYWI= 2542639092").utf8), path: "r", encoding: enc)) { e in
            XCTAssertTrue("\(e)".contains("rank 2542639092 in a file of 257 ranks"), "\(e)")
        }
        // Gaps for specials numbered apart stay allowed.
        XCTAssertNoThrow(try TiktokenTokenizer(bytes: Array((all + "\nYWI= 100000").utf8), path: "r", encoding: enc))
    }

    func testSparseVocabularyIdsAreAnError() {
        assertError(Self.json(model: #""type":"BPE","vocab":{"a":0,"b":4000000000},"merges":[]"#), contains: "ids must number the tokens densely")
    }

    func testTruncatedGzipIsAnError() throws {
        let path = EncodingParityTests.tokenizers + "hf-tokenizer-json/llama-test-tokenizer.json.gz"
        let whole = try XCTUnwrap(readFileBytes(path))
        let p = tempFile(Array(whole.prefix(whole.count / 2)), "cut.json.gz")
        XCTAssertThrowsError(try TokenizerLoader.load(path: p)) { e in
            XCTAssertTrue("\(e)".contains("gzip") || "\(e)".contains("JSON"), "\(e)")
        }
    }

    func testFormatDetection() {
        XCTAssertEqual(TokenizerFile.format(of: Array("  {\"model\":{}}".utf8)), .huggingFace)
        XCTAssertEqual(TokenizerFile.format(of: Array("IQ== 0\n".utf8)), .tiktoken)
        XCTAssertEqual(TokenizerFile.format(of: [0x0A, 0x05, 0x3C, 0x75]), .sentencePiece)
    }
}

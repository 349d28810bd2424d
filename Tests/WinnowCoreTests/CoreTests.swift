import XCTest
@testable import WinnowCore

final class JSONTests: XCTestCase {
    func testNumbersAndKeyOrderRoundTrip() throws {
        let s = #"{"z":1,"a":0.10,"m":-0,"e":1E+2,"big":123456789012345678901234,"s":"\u00e9\ud83d\ude00","arr":[],"o":{}}"#
        let v = try JSONParser.parse(s)
        XCTAssertEqual(v.objectValue?.keys, ["z", "a", "m", "e", "big", "s", "arr", "o"])
        XCTAssertEqual(JSONWriter.string(v), #"{"z":1,"a":0.10,"m":-0,"e":1E+2,"big":123456789012345678901234,"s":"é😀","arr":[],"o":{}}"#)
    }

    /// U+0085, U+2028 and U+2029 are escaped (line breaks to Python's `splitlines` and old
    /// JavaScript); the other characters of their lead bytes (U+0080-U+00BF, U+2000-U+2FFF) are
    /// not; every string reads back the same.
    func testLineSeparatorsAreEscapedAndRoundTrip() throws {
        let s = "a\u{85}b\u{2028}c\u{2029}d é\u{A0}\u{2027}\u{202A}—\u{85}"
        let json = JSONWriter.string(.string(s))
        XCTAssertEqual(json, "\"a\\u0085b\\u2028c\\u2029d é\u{A0}\u{2027}\u{202A}—\\u0085\"")
        XCTAssertEqual(try JSONParser.parse(json), .string(s))
        XCTAssertEqual(json.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).count, 1)
        for _ in 0..<500 {
            let pieces = ["\u{85}", "\u{2028}", "\u{2029}", "\u{C2}", "\u{2000}", "é", "\"", "\\", "\n", "\u{1}", "x", "—", "😀"]
            let t = (0..<Int.random(in: 0...12)).map { _ in pieces.randomElement()! }.joined()
            XCTAssertEqual(try JSONParser.parse(JSONWriter.string(.string(t))), .string(t), t)
        }
    }

    func testRejectsInvalidJSON() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"\u{01}\"", "01", "1.", "{\"a\":1}x", "\"\\x\""] {
            XCTAssertThrowsError(try JSONParser.parse(bad), bad)
        }
    }

    func testLoneSurrogateBecomesReplacement() throws {
        XCTAssertEqual(try JSONParser.parse(#""a\ud800b""#), .string("a\u{FFFD}b"))
    }

    func testDocumentSchema() throws {
        let d = try Document(json: JSONParser.parse(#"{"text":"t","id":7,"source":"s","metadata":{"url":"u"}}"#))
        XCTAssertEqual(d.id, "7")
        XCTAssertEqual(d.extra["source"], .string("s"))
        var out: [UInt8] = []
        d.writeJSONLine(to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "{\"id\":\"7\",\"text\":\"t\",\"source\":\"s\",\"metadata\":{\"url\":\"u\"}}\n")
        XCTAssertThrowsError(try Document(json: JSONParser.parse(#"{"id":"x"}"#)))
        XCTAssertThrowsError(try Document(json: JSONParser.parse(#"[1]"#)))
    }
}

final class HashTests: XCTestCase {
    func testSHA1KnownVectors() {
        XCTAssertEqual(Hex.encode(SHA1.hash(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(Hex.encode(SHA1.hash([UInt8]())), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        XCTAssertEqual(Hex.encode(SHA1.hash(long)), "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        XCTAssertEqual(Hex.encode(SHA1.hash(million)), "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    func testIncrementalEqualsOneShot() {
        let data = (0..<1000).map { UInt8($0 % 251) }
        var s = SHA1()
        for chunk in stride(from: 0, to: data.count, by: 37) { s.update(data[chunk..<min(chunk + 37, data.count)]) }
        XCTAssertEqual(s.finalize(), SHA1.hash(data))
    }

    func testBase32() {
        XCTAssertEqual(Base32.encode(Array("foobar".utf8)), "MZXW6YTBOI======")
        XCTAssertEqual(Base32.encode(SHA1.hash([UInt8]())), "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ")
    }
}

final class StageContractTests: XCTestCase {
    final class DropShort: Stage {
        let name = "drop_short"
        let min: Int
        init(_ p: inout StageParameters) throws { min = try p.int("min", default: 3) }
        func apply(_ doc: inout Document) -> Verdict { doc.text.utf8.count < min ? .drop("too_short") : .keep }
    }
    final class Upper: Stage {
        let name = "upper"
        func apply(_ doc: inout Document) -> Verdict { doc.text = doc.text.uppercased(); return .keep }
    }

    func registry() -> StageRegistry {
        var r = StageRegistry()
        r.register(StageFactory(name: "drop_short", summary: "") { try DropShort(&$0) })
        r.register(StageFactory(name: "upper", summary: "") { _ in Upper() })
        return r
    }

    func testChainCountsDocsBytesAndReasons() throws {
        let m = SourceMark(file: "t.yaml", line: 3, column: 5)
        let params = ConfigNode.mapping([(key: "min", keyMark: m, value: .scalar("4", m))], m)
        let chain = StageChain([try registry().make(name: "drop_short", parameters: params, path: "s", mark: m),
                                try registry().make(name: "upper", parameters: nil, path: "u", mark: m)])
        var kept: [String] = []
        for t in ["hello", "ab", "world!", "x"] {
            var d = Document(id: t, text: t)
            if case .kept = chain.process(&d) { kept.append(d.text) }
        }
        XCTAssertEqual(kept, ["HELLO", "WORLD!"])
        XCTAssertEqual(chain.stats[0].docsIn, 4)
        XCTAssertEqual(chain.stats[0].docsOut, 2)
        XCTAssertEqual(chain.stats[0].bytesIn, 14)
        XCTAssertEqual(chain.stats[0].drops, ["too_short": 2])
        XCTAssertEqual(chain.stats[1].docsIn, 2)
        XCTAssertEqual(chain.stats[1].bytesOut, 11)
    }

    func testUnknownParameterAndStageAreLocatedErrors() {
        let m = SourceMark(file: "p.yaml", line: 7, column: 9)
        let params = ConfigNode.mapping([(key: "mni", keyMark: m, value: .scalar("4", m))], m)
        XCTAssertThrowsError(try registry().make(name: "drop_short", parameters: params, path: "steps[0].stages[0].drop_short", mark: m)) {
            XCTAssertEqual("\($0)", "p.yaml:7:9: steps[0].stages[0].drop_short.mni: unknown parameter 'mni' for stage 'drop_short' (did you mean 'min'?)")
        }
        XCTAssertThrowsError(try registry().make(name: "uper", parameters: nil, path: "x", mark: m)) {
            XCTAssertTrue("\($0)".contains("unknown stage 'uper' (did you mean 'upper'?)"))
        }
        let bad = ConfigNode.mapping([(key: "min", keyMark: m, value: .scalar("four", m))], m)
        XCTAssertThrowsError(try registry().make(name: "drop_short", parameters: bad, path: "x", mark: m)) {
            XCTAssertTrue("\($0)".contains("expected an integer, found 'four'"))
        }
    }

    func testStatsMergeAndJSON() {
        var a = StageStats(name: "s"); a.docsIn = 3; a.docsOut = 1; a.drops = ["x": 2]
        var b = StageStats(name: "s"); b.docsIn = 2; b.docsOut = 2; b.drops = ["y": 1]
        a.merge(b)
        XCTAssertEqual(a.docsIn, 5)
        XCTAssertEqual(a.drops, ["x": 2, "y": 1])
        XCTAssertEqual(StageStats(json: a.json(timing: false)), a)
    }
}

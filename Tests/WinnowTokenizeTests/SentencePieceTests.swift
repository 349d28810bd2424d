import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowTokenize

/// SentencePiece `.model` tokenizers against ids written by the `sentencepiece` package 0.2.3
/// (Fixtures/sentencepiece_expected.json, from bench/parity/sentencepiece_fixtures.py).
final class SentencePieceTests: XCTestCase {
    static let root = TestPaths.repositoryRoot
    static let fixtures = root + "/Tests/WinnowTokenizeTests/Fixtures"
    static let shared = root + "/../shared/data/models/tokenizers/sentencepiece"
    static let expected: JSONValue = {
        let bytes = readFileBytes(fixtures + "/sentencepiece_expected.json")!
        return try! JSONParser.parse(bytes)
    }()

    static func modelPath(_ name: String) -> String {
        name.hasPrefix("spm_") ? fixtures + "/" + name : shared + "/" + name
    }

    static let inputs: [[UInt8]] = expected["texts"]!.arrayValue!.map { rec in
        if let hex = rec["hex"]?.stringValue {
            let h = Array(hex.utf8)
            return stride(from: 0, to: h.count, by: 2).map { UInt8(String(decoding: h[$0...($0 + 1)], as: UTF8.self), radix: 16)! }
        }
        return Array(rec["text"]!.stringValue!.utf8)
    }

    func testIdsAndDecodesMatchSentencePieceForEveryModel() throws {
        let models = Self.expected["models"]!.objectValue!
        XCTAssertEqual(models.entries.count, 6)
        for (name, ref) in models.entries {
            let tok = try SentencePieceTokenizer(path: Self.modelPath(name))
            let ids = ref["ids"]!.arrayValue!
            let decoded = ref["decoded"]!.arrayValue!
            XCTAssertEqual(ids.count, Self.inputs.count)
            var sameIDs = 0, sameDecode = 0
            for (k, input) in Self.inputs.enumerated() {
                let want = ids[k].arrayValue!.map { UInt32($0.intValue!) }
                let got = input.withUnsafeBufferPointer { tok.encode(utf8: $0) }
                if got == want { sameIDs += 1 } else {
                    XCTFail("\(name) case \(k): \(got.prefix(12)) != \(want.prefix(12))")
                }
                let wantText = decoded[k].stringValue.map { Array($0.utf8) } ?? input
                if tok.decodeBytes(want) == wantText { sameDecode += 1 } else {
                    XCTFail("\(name) case \(k): decode differs")
                }
            }
            XCTAssertEqual(sameIDs, Self.inputs.count, name)
            XCTAssertEqual(sameDecode, Self.inputs.count, name)
        }
    }

    func testStringEncodeAndDecodeRoundTripOnLosslessModel() throws {
        let tok = try loadSentencePieceTokenizer(path: Self.shared + "/mistral_tokenizer.model.v1")
        XCTAssertEqual(tok.vocabularySize, 32000)
        for text in ["Hello  world\n\tdone ", "日本語 and 中文 🙂 e\u{301}", "  leading", "x\u{0}y", "🏳️‍🌈 ２０２４"] {
            XCTAssertEqual(tok.decode(tok.encode(text)), text)
        }
        XCTAssertEqual(tok.encode("Hello world"), [22557, 1526])
        XCTAssertEqual(tok.piece(22557), "▁Hello")
        XCTAssertNil(tok.piece(32000))
        XCTAssertEqual(tok.specialTokenID("<s>"), 1)
        XCTAssertEqual(tok.specialTokenID("</s>"), 2)
        XCTAssertEqual(tok.specialTokenID("<unk>"), 0)
        XCTAssertNil(tok.specialTokenID("▁Hello"))
    }

    func testNormalizerAppliesCharsmapAndWhitespaceRules() throws {
        let tok = try SentencePieceTokenizer(path: Self.shared + "/botchan_en_bpe_1000.model")
        // nmt_nfkc: full-width letters folded, U+3000 is a space, runs collapse, ends trimmed.
        XCTAssertEqual(tok.normalized("  Ｈｅｌｌｏ\u{3000}\u{3000}world \t"), "▁Hello▁world")
        XCTAssertEqual(tok.normalized("   "), "")
        XCTAssertEqual(tok.normalized("ﬁ ①"), "▁fi▁1")
        // Unknown characters decode as " ⁇ ", a run of them as one unknown id.
        let ids = tok.encode("漢字漢字")
        XCTAssertEqual(ids.filter { $0 == 0 }.count, 1)
        XCTAssertEqual(tok.decode(ids), " ⁇ ")
    }

    func testBOSEOSAndAllowedSpecialPieces() throws {
        let path = Self.shared + "/mistral_tokenizer.model.v1"
        let plain = try SentencePieceTokenizer(path: path)
        let wrapped = try SentencePieceTokenizer(path: path, addBOS: true, addEOS: true)
        let body = plain.encode("Hello world")
        XCTAssertEqual(wrapped.encode("Hello world"), [1] + body + [2])
        XCTAssertEqual(wrapped.decode(wrapped.encode("Hello world")), "Hello world")
        // "<s>" is plain text unless allowed; allowed, it is the control id between two sentences.
        XCTAssertFalse(plain.encode("a<s>b").contains(1))
        XCTAssertEqual(plain.encode("a<s>b", allowedSpecial: ["<s>"]), plain.encode("a") + [1] + plain.encode("b"))
        // User-defined pieces of the fixture model are never split.
        let ud = try SentencePieceTokenizer(path: Self.fixtures + "/spm_unigram_userdef_bytes.model")
        let sep = try XCTUnwrap(ud.specialTokenID("<sep>"))
        XCTAssertTrue(ud.encode("left<sep>right").contains(sep))
        let ctl = try XCTUnwrap(ud.specialTokenID("<ctl>"))
        XCTAssertFalse(ud.encode("x<ctl>y").contains(ctl))
        XCTAssertTrue(ud.encode("x<ctl>y", allowedSpecial: ["<ctl>"]).contains(ctl))
    }

    func testLongWordStaysExact() throws {
        // 200 KB without a space: BPE merges and Viterbi stay exact (and fast enough for a debug build).
        let tok = try SentencePieceTokenizer(path: Self.shared + "/mistral_tokenizer.model.v1")
        let word = String(repeating: "abcdefghij", count: 20_000)
        let ids = tok.encode(word)
        XCTAssertEqual(tok.decode(ids), word)
        XCTAssertLessThan(ids.count, word.utf8.count / 2)
        let uni = try SentencePieceTokenizer(path: Self.shared + "/kyoto_ja_unigram_8000.model")
        let ja = String(repeating: "日本語の文章", count: 10_000)
        XCTAssertEqual(uni.decode(uni.encode(ja)), ja)
    }

    // MARK: Hand-built models: the wire format, and every refusal names its field.

    func testHandBuiltBPEModelMergesByScore() throws {
        let tok = try SentencePieceTokenizer(modelBytes: TinyModel().bytes(), path: "tiny.model")
        XCTAssertEqual(tok.encode("ab"), [6])            // ▁ + a → ▁a (score −1), ▁a + b → ▁ab (−2)
        XCTAssertEqual(tok.encode("ba"), [4, 5, 3])      // ▁ b a: no pair is a piece
        XCTAssertEqual(tok.decode([6, 6]), "ab ab")
    }

    func testUnsupportedOrBrokenModelsAreNamedErrors() {
        func message(_ m: TinyModel) -> String {
            do { _ = try SentencePieceTokenizer(modelBytes: m.bytes(), path: "bad.model"); return "loaded" } catch {
                return "\(error)"
            }
        }
        var word = TinyModel(); word.modelType = 3
        XCTAssertTrue(message(word).contains("trainer_spec.model_type WORD"), message(word))
        var denorm = TinyModel(); denorm.denormalizerCharsmap = [1, 2, 3, 4, 5]
        XCTAssertTrue(message(denorm).contains("denormalizer_spec.precompiled_charsmap"), message(denorm))
        var charsmap = TinyModel(); charsmap.charsmap = [9, 0, 0, 0, 1, 2]
        XCTAssertTrue(message(charsmap).contains("normalizer_spec.precompiled_charsmap"), message(charsmap))
        var byte = TinyModel(); byte.pieces.append(("<0x41>", 0, 6))
        XCTAssertTrue(message(byte).contains("byte_fallback is false"), message(byte))
        var noUnk = TinyModel(); noUnk.pieces[0].type = 1
        XCTAssertTrue(message(noUnk).contains("unk is not defined"), message(noUnk))
        var dup = TinyModel(); dup.pieces.append(("a", -3, 1))
        XCTAssertTrue(message(dup).contains("already defined"), message(dup))
        var badType = TinyModel(); badType.pieces.append(("z", 0, 9))
        XCTAssertTrue(message(badType).contains("pieces[7].type"), message(badType))
        // Cut inside a field (a cut between two messages is a valid, smaller protobuf).
        let full = TinyModel().bytes()
        for cut in [1, 7, 20, full.count - 1] {
            XCTAssertThrowsError(try SentencePieceTokenizer(modelBytes: Array(full.prefix(cut)), path: "cut.model"), "cut at \(cut)")
        }
        XCTAssertThrowsError(try SentencePieceTokenizer(path: "/nonexistent/x.model")) {
            XCTAssertTrue("\($0)".contains("cannot read"))
        }
    }
}

/// A minimal ModelProto written with the protobuf wire format.
struct TinyModel {
    var pieces: [(piece: String, score: Float, type: Int)] = [
        ("<unk>", 0, 2), ("<s>", 0, 3), ("</s>", 0, 3), ("a", -3, 1), ("▁", -3, 1), ("b", -3, 1), ("▁ab", -2, 1),
    ]
    var modelType = 2
    var charsmap: [UInt8] = []
    var denormalizerCharsmap: [UInt8]?

    func bytes() -> [UInt8] {
        var out: [UInt8] = []
        for p in pieces {
            var m: [UInt8] = []
            Self.lengthDelimited(1, Array(p.piece.utf8), into: &m)
            Self.varint(2 << 3 | 5, into: &m)
            withUnsafeBytes(of: p.score.bitPattern.littleEndian) { m += $0 }
            Self.varint(3 << 3, into: &m); Self.varint(UInt64(p.type), into: &m)
            Self.lengthDelimited(1, m, into: &out)
        }
        // "▁a" after "▁ab" so ids 0…6 stay as listed above.
        var extra: [UInt8] = []
        Self.lengthDelimited(1, Array("▁a".utf8), into: &extra)
        Self.varint(2 << 3 | 5, into: &extra)
        withUnsafeBytes(of: Float(-1).bitPattern.littleEndian) { extra += $0 }
        Self.lengthDelimited(1, extra, into: &out)
        var trainer: [UInt8] = []
        Self.varint(3 << 3, into: &trainer); Self.varint(UInt64(modelType), into: &trainer)
        Self.varint(43 << 3, into: &trainer); Self.varint(UInt64(bitPattern: -1), into: &trainer)   // pad_id −1: a 10-byte varint
        Self.lengthDelimited(2, trainer, into: &out)
        var normalizer: [UInt8] = []
        Self.lengthDelimited(1, Array("identity".utf8), into: &normalizer)
        if !charsmap.isEmpty { Self.lengthDelimited(2, charsmap, into: &normalizer) }
        Self.varint(4 << 3, into: &normalizer); Self.varint(0, into: &normalizer)
        Self.lengthDelimited(3, normalizer, into: &out)
        if let d = denormalizerCharsmap {
            var spec: [UInt8] = []
            Self.lengthDelimited(2, d, into: &spec)
            Self.lengthDelimited(5, spec, into: &out)
        }
        return out
    }

    static func varint(_ v: UInt64, into out: inout [UInt8]) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    static func lengthDelimited(_ field: UInt64, _ body: [UInt8], into out: inout [UInt8]) {
        varint(field << 3 | 2, into: &out)
        varint(UInt64(body.count), into: &out)
        out += body
    }
}

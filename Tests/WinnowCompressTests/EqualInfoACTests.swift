import XCTest
import WinnowCore
import WinnowLM
import WinnowTestSupport
@testable import WinnowCompress

enum M1Fixture {
    /// A tiny M1 (bytes, d 16, 2 layers, T5 relative bias) trained on real web text by
    /// `bench/eiw/make_fixture.sh`; 33 KB.
    static let path = TestPaths.fixtures("WinnowCompressTests") + "/m1-tiny"
    static let model: ByteModel = try! ByteModel.load(checkpoint: path)
}

/// Real text from the shared data: Chinese (HPLT pages, ChineseWebText, reviews) and English
/// (CCNet head, dolma), `perSource` documents of each, cut to `maxBytes`.
enum SharedText {
    static func sample(perSource: Int, maxBytes: Int) -> [[UInt8]] {
        let d = TestPaths.sharedData
        var texts: [String] = []
        texts += SharedCorpora.chinesePages.prefix(perSource)
        texts += SharedCorpora.jsonlTexts(d + "/zh-web/chinesewebtext/ccnet_CC-MAIN-2022-21_zh_100docs.jsonl", field: "raw_content").prefix(perSource)
        texts += SharedCorpora.jsonlTexts(d + "/zh-web/chinesewebtext/quality_dirty_10docs.jsonl").prefix(perSource)
        texts += csvColumn(d + "/zh-web/reviews/waimai_10k.csv.gz", column: 1).prefix(perSource * 4)
        texts += SharedCorpora.jsonlTexts(d + "/en-web/cc_en_head-0091.jsonl.gz").prefix(perSource)
        texts += SharedCorpora.jsonlTexts(d + "/en-web/dolma_provided_documents_000.json.gz").prefix(perSource)
        return texts.map { t in
            var b = Array(t.utf8.prefix(maxBytes))
            while let last = b.last, last & 0xC0 == 0x80 || last >= 0xC0 { b.removeLast() }   // whole characters
            return b
        }
    }

    /// One column of a CSV file with a header line (RFC 4180 quoting), gzip'd.
    static func csvColumn(_ path: String, column: Int) -> [String] {
        let p = popen("gzip -dc '\(path)'", "r")!
        defer { pclose(p) }
        var raw: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true { let n = fread(&buf, 1, buf.count, p); if n <= 0 { break }; raw += buf[0..<n] }
        var rows: [[String]] = [], row: [String] = [], field: [UInt8] = [], quoted = false, i = 0
        while i < raw.count {
            let c = raw[i]
            if quoted {
                if c == 0x22 { if i + 1 < raw.count && raw[i + 1] == 0x22 { field.append(0x22); i += 1 } else { quoted = false } } else { field.append(c) }
            } else if c == 0x22 { quoted = true
            } else if c == 0x2C { row.append(String(decoding: field, as: UTF8.self)); field = []
            } else if c == 0x0A {
                row.append(String(decoding: field, as: UTF8.self)); field = []
                rows.append(row); row = []
            } else if c != 0x0D { field.append(c) }
            i += 1
        }
        return rows.dropFirst().compactMap { $0.count > column ? $0[column] : nil }
    }
}

final class ByteModelTests: XCTestCase {
    func cdfs(_ s: ByteModelState, rows: Int) -> [[UInt32]] {
        (0..<rows).map { Array(UnsafeBufferPointer(start: s.cdf(row: $0), count: 257)) }
    }

    /// The CDFs after each byte are the same fed one at a time (KV cache), as one whole context
    /// (full recomputation), interleaved with other contexts in a batch, and from the prefix cache.
    func testCDFsDoNotDependOnCacheOrBatch() {
        let m = M1Fixture.model
        let text: [Int32] = [0] + Array("Equal-info windows, 等信息窗口 — 2024!".utf8).map { Int32($0) }
        let one = ByteModelState(model: m, lanes: 1, capacity: 64)
        var stepwise: [[UInt32]] = []
        for t in text { one.step(lanes: [0], tokens: [t]); stepwise += cdfs(one, rows: 1) }

        let whole = ByteModelState(model: m, lanes: 1, capacity: 64)
        whole.step(lanes: [Int](repeating: 0, count: text.count), tokens: text)
        XCTAssertEqual(cdfs(whole, rows: text.count), stepwise)

        let other: [Int32] = [0] + Array("something else entirely, 完全不同".utf8).map { Int32($0) }
        let batch = ByteModelState(model: m, lanes: 3, capacity: 64)
        var batched: [[UInt32]] = []
        for i in 0..<text.count {
            // Lane 1 carries our text; lanes 0 and 2 other text at other positions, two rows at a time for lane 2.
            var lanes = [1, 0], toks = [text[i], other[i % other.count]]
            if i % 3 == 0 { lanes += [2, 2]; toks += [other[(i + 1) % other.count], other[(i + 2) % other.count]] }
            if i % 5 == 4 { batch.reset(lane: 0) }
            batch.step(lanes: lanes, tokens: toks)
            batched.append(Array(UnsafeBufferPointer(start: batch.cdf(row: 0), count: 257)))
        }
        XCTAssertEqual(batched, stepwise)

        let cached = ByteModelState(model: m, lanes: 2, capacity: 64)
        cached.loadStart(lane: 1)
        XCTAssertEqual(m.rootCDF, stepwise[0])
        let afterFirst = Array(UnsafeBufferPointer(start: cached.loadFirstByte(lane: 1, Int(text[1])), count: 257))
        XCTAssertEqual(afterFirst, stepwise[1])
        cached.step(lanes: [1], tokens: [text[2]])
        XCTAssertEqual(cdfs(cached, rows: 1)[0], stepwise[2])
    }

    /// The inference path computes the same model as the trainer's forward pass (to float rounding).
    func testLogitsMatchTheTrainingForwardPass() throws {
        let t = try Transformer.load(checkpoint: M1Fixture.path, threads: 1)
        let m = try ByteModel(t)
        let text: [Int32] = [0] + Array("The quick brown fox 跳过了懒狗".utf8).map { Int32($0) }
        try t.forward(Transformer.Batch(tokens: text, targets: text, batch: 1, seq: text.count))
        let ref = Array(t.logits!)
        let s = ByteModelState(model: m, lanes: 1, capacity: 64)
        s.step(lanes: [Int](repeating: 0, count: text.count), tokens: text)
        var worst: Float = 0, scale: Float = 0
        for r in 0..<text.count {
            let l = s.logits(row: r)
            for v in 0..<256 { worst = max(worst, abs(l[v] - ref[r * 256 + v])); scale = max(scale, abs(ref[r * 256 + v])) }
        }
        XCTAssertLessThan(worst / scale, 1e-5)
    }
}

final class EqualInfoACTests: XCTestCase {
    let model = M1Fixture.model

    func roundTrip(_ docs: [[UInt8]], _ f: EqualInfoFormat, file: StaticString = #filePath, line: UInt = #line) throws -> EncodeStats {
        let (w, stats) = EqualInfoAC.encode(docs, model: model, format: f, threads: 1, lanes: 1)
        // Other thread and lane counts write the same windows…
        let (w2, stats2) = EqualInfoAC.encode(docs, model: model, format: f, threads: 3, lanes: 5)
        XCTAssertEqual(w2, w, "windows depend on threads/lanes", file: file, line: line)
        XCTAssertEqual(stats2, stats, file: file, line: line)
        // …as do the tokens through the shard layout…
        for d in w { XCTAssertEqual(try f.windows(f.tokens(d)), d, file: file, line: line) }
        // …and a decoder on other counts, without the prefix cache, gets every document back.
        let back = try EqualInfoAC.decode(w, model: model, format: f, threads: 2, lanes: 3, cachedPrefix: 0)
        XCTAssertEqual(back.count, docs.count, file: file, line: line)
        for i in docs.indices where back[i] != docs[i] {
            XCTFail("document \(i) (\(docs[i].count) bytes) decodes to \(back[i].count) different bytes", file: file, line: line)
        }
        XCTAssertEqual(stats.bytes, docs.reduce(0) { $0 + $1.count }, file: file, line: line)
        XCTAssertEqual(stats.windows, w.reduce(0) { $0 + $1.count }, file: file, line: line)
        return stats
    }

    /// Every document of a sample of all the shared zh and en sources (web pages, CCNet, short
    /// reviews) decodes to itself, at b = 16 and 32, v = 65536 and 256 (the whole corpus, at
    /// every setting, is `bench/eiw/roundtrip.sh` with a release build).
    func testRoundTripOnSharedChineseAndEnglishText() throws {
        let docs = SharedText.sample(perSource: 2, maxBytes: 400)
        XCTAssertGreaterThan(docs.count, 15)
        var shortened = 0
        for (b, v) in [(16, 65_536), (32, 256)] {
            let s = try roundTrip(docs, try EqualInfoFormat(windowBits: b, vocabularySize: v))
            shortened += s.shortened
            // Windows carry close to b bits of information: the greedy windows are full.
            XCTAssertGreaterThan(s.informationBits / Double(s.windows * b), 0.6, "b=\(b)")
            XCTAssertEqual(s.escapes, 0, "UTF-8 text never needs an escape (b=\(b))")
        }
        print("EqualInfoAC round trip: \(docs.count) documents; windows shortened to stay decodable: \(shortened)")
    }

    /// Documents the greedy rule finds hard: empty, one byte of each value (255 included, which
    /// the window rule reserves and so goes through an escape), runs long enough to hit the byte
    /// cap, random bytes.
    func testEdgeCases() throws {
        var rng = SplitMix64(seed: 21)
        var docs: [[UInt8]] = [[], [0x20], [0x41, 0x41]]
        docs += (0..<256).map { [UInt8($0)] }
        docs.append([UInt8](repeating: 0x3D, count: 200))   // "====…"
        docs.append(Array("ab".utf8) + [0xFF, 0xFF] + Array("cd".utf8))
        for n in [1, 2, 3, 17, 100] { docs.append((0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }) }
        for b in [16, 40] {
            let f = try EqualInfoFormat(windowBits: b, tokenBits: 8)
            let s = try roundTrip(docs, f)
            XCTAssertGreaterThanOrEqual(s.escapes, 3)   // the lone 255 and the two in "ab…cd"
        }
        // Any two bytes cost at most 2 · 14 bits, so 40-bit windows always reach a cap of 2.
        let capped = try EqualInfoFormat(windowBits: 40, tokenBits: 8, maxWindowBytes: 2)
        let s = try roundTrip([[UInt8](repeating: 0x3D, count: 200), Array("cap".utf8)], capped)
        XCTAssertEqual(s.capped, 101)
        XCTAssertEqual(s.windows, 102)
    }

    /// The window values of a fixed text are pinned: any change in the arithmetic, the model
    /// path or the window rule (and any difference between builds or machines) shows here.
    func testWindowsArePinned() throws {
        let text = Array("EqualInfoAC 把文本压缩成等信息窗口。Every document decodes.".utf8)
        let f = try EqualInfoFormat(windowBits: 16, tokenBits: 16)
        let (w, _) = EqualInfoAC.encode([text], model: model, format: f, threads: 1, lanes: 1)
        let digest = Hex.encode(SHA1.hash(f.tokens(w[0]).flatMap { [UInt8($0 >> 8), UInt8($0 & 255)] }))
        XCTAssertEqual(digest, "4b86f2f3176eb1ac65c4c51835bf40c35eb43b2d", "windows \(w[0])")
    }

    /// Values no encoder writes are errors, not wrong text.
    func testDecoderRejectsWindowsNoEncoderWrites() throws {
        let f = try EqualInfoFormat(windowBits: 16, tokenBits: 16)
        let coder = EqualInfoCoder(model: model, format: f, lanes: 1)
        XCTAssertThrowsError(try coder.decode([[f.escape]]))                 // escape with nothing after it
        XCTAssertThrowsError(try coder.decode([[f.escape, 0x41 << 8 | 1]]))   // raw window with low bits set
        XCTAssertEqual(try coder.decode([[f.escape, 0x41 << 8]]), [[0x41]])
        // The root's byte-255 sub-interval holds values that decode to nothing but the escape.
        XCTAssertThrowsError(try coder.decode([[f.escape - 1]]))
    }

    func testFormatsAndShardNames() throws {
        let f = try EqualInfoFormat(windowBits: 32, vocabularySize: 256)
        XCTAssertEqual(f.tokens([0x0102_0304, 0xFFFF_FFFF]), [1, 2, 3, 4, 255, 255, 255, 255])
        XCTAssertThrowsError(try f.windows([1, 2, 3]))
        XCTAssertThrowsError(try EqualInfoFormat(windowBits: 24, vocabularySize: 65_536))
        XCTAssertThrowsError(try EqualInfoFormat(windowBits: 8, vocabularySize: 256))
        let name = f.tokenizerName(model: model)
        let p = EqualInfoFormat.parse(tokenizerName: name)
        XCTAssertEqual(p?.format, f)
        XCTAssertTrue(model.identity.hasPrefix(p?.model ?? "?"))
        XCTAssertNil(EqualInfoFormat.parse(tokenizerName: "cl100k_base"))
    }
}

/// The baselines of the compression table on real text.
final class BaselineTests: XCTestCase {
    func testBaselinesOnSharedText() throws {
        let docs = SharedText.sample(perSource: 2, maxBytes: 300)
        let bytes = docs.reduce(0) { $0 + $1.count }
        let ac = Baselines.plainACBits(docs, model: M1Fixture.model, lanes: 3)
        XCTAssertEqual(ac, Baselines.plainACBits(docs, model: M1Fixture.model, lanes: 1))
        // Plain AC under M1 beats the unigram model, which beats raw bytes.
        let st = Baselines.staticACBits(docs, cdf: QuantizedCDF.fromCounts(Baselines.byteCounts(docs)))
        XCTAssertLessThan(ac.reduce(0, +), st.reduce(0, +))
        XCTAssertLessThan(st.reduce(0, +), bytes * 8)
        let gz = Baselines.gzipBytes(docs)
        XCTAssertTrue(zip(gz, docs).allSatisfy { $0.0 >= 18 && $0.0 <= $0.1.count + 40 })
        XCTAssertEqual(CompressionRow.bitTokens([17, 16, 0], tokenBits: 16), 3)
    }

    /// The static model's bit stream decodes back (the coder the AC rows count).
    func testStaticACDecodes() {
        let docs = SharedText.sample(perSource: 1, maxBytes: 400)
        let cdf = QuantizedCDF.fromCounts(Baselines.byteCounts(docs))
        for d in docs where !d.isEmpty {
            let bits: BitWriter = cdf.withUnsafeBufferPointer { c in
                var e = ArithmeticEncoder()
                for b in d { e.encode(Int(b), c.baseAddress!) }
                return e.finish()
            }
            var dec = ArithmeticDecoder(bits.paddedBytes)
            XCTAssertEqual(cdf.withUnsafeBufferPointer { c in d.map { _ in UInt8(dec.decode(c.baseAddress!)) } }, d)
        }
    }
}

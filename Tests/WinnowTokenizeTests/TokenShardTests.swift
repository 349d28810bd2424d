import Foundation
import XCTest
import WinnowTestSupport
@testable import WinnowTokenize

/// Token shards: exact bytes (checked against datatrove's TokenizedFile, megatron-core's index
/// layout and llm.c's header by bench/parity/token_shards_parity.py), round trips, width choice,
/// atomic writes and refusals of damaged files.
final class TokenShardTests: XCTestCase {

    func bytes(_ path: String) -> [UInt8] { FileManager.default.contents(atPath: path).map { Array($0) } ?? [] }

    func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

    func write(_ format: TokenShardFormat, _ path: String, vocab: Int, _ docs: [[UInt32]], loss: [[Bool]]? = nil) throws -> TokenShardSummary {
        let w = try TokenShardWriter(format: format, path: path, vocabularySize: vocab, saveLoss: loss != nil)
        for (i, d) in docs.enumerated() { try w.write(document: d, lossMask: loss?[i]) }
        return try w.finish()
    }

    func testDatatroveBytesMatchItsTokenizedFile() throws {
        let dir = temporaryDirectory()
        let s = try write(.datatrove, dir + "/t.ds", vocab: 65536, [[1, 2], [], [65535]], loss: [[true, false], [], [true]])
        XCTAssertEqual(s.width, .uint16)
        // Bytes datatrove 0.10.1's TokenizedFile writes for the same documents.
        XCTAssertEqual(hex(bytes(dir + "/t.ds")), "01000200ffff")
        XCTAssertEqual(hex(bytes(dir + "/t.ds.index")), "020000000000000002000000000000000300000000000000")
        XCTAssertEqual(hex(bytes(dir + "/t.ds.loss")), "010001")
        XCTAssertEqual(String(decoding: bytes(dir + "/t.ds.metadata"), as: UTF8.self), "winnow|2\n3\n3.00 T")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(),
                       ["t.ds", "t.ds.index", "t.ds.loss", "t.ds.metadata"])

        let r = try TokenShardReader(format: .datatrove, path: dir + "/t.ds")
        XCTAssertEqual(r.tokenCount, 3)
        XCTAssertEqual(r.documentEnds, [2, 2, 3])
        XCTAssertEqual(try r.document(0), [1, 2])
        XCTAssertEqual(try r.document(1), [])
        XCTAssertEqual(try r.document(2), [65535])
        XCTAssertEqual(try r.lossFlags(0..<3), [true, false, true])
        XCTAssertEqual(r.tokenizerName, "winnow")
    }

    func testHumanizedCountsMatchHumanizeMetric() {
        let cases: [(Double, String)] = [(0, "0.00 T"), (3, "3.00 T"), (999, "999 T"), (1000, "1.00 kT"), (265_480, "265 kT"),
                                         (999_999, "1.00 MT"), (1_234_567, "1.23 MT"), (99_950, "100 kT"), (12_345_678_901, "12.3 GT")]
        for (v, want) in cases { XCTAssertEqual(Humanize.metric(v, unit: "T"), want, "\(v)") }
    }

    func testMegatronIndexLayout() throws {
        let dir = temporaryDirectory()
        let s = try write(.megatron, dir + "/m", vocab: 32000, [[1, 2], [3], []])
        XCTAssertEqual(s.width, .uint16)
        XCTAssertEqual(hex(bytes(dir + "/m.bin")), "010002000300")
        var want: [UInt8] = Array("MMIDIDX".utf8) + [0, 0]
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { want += $0 } }
        le(UInt64(1)); want.append(8); le(UInt64(3)); le(UInt64(4))
        le(Int32(2)); le(Int32(1)); le(Int32(0))
        le(Int64(0)); le(Int64(4)); le(Int64(6))
        for d in 0...3 { le(Int64(d)) }
        XCTAssertEqual(bytes(dir + "/m.idx"), want)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["m.bin", "m.idx"])
        let r = try TokenShardReader(format: .megatron, path: dir + "/m.idx")
        XCTAssertEqual(try r.document(0), [1, 2])
        XCTAssertEqual(try r.document(1), [3])
        XCTAssertEqual(try r.document(2), [])
        // megatron-core switches to int32 at 65,500 ids.
        XCTAssertEqual(try write(.megatron, dir + "/w", vocab: 65_500, [[65_499]]).width, .uint32)
        XCTAssertEqual(bytes(dir + "/w.idx")[17], 4)
        XCTAssertEqual(try TokenShardReader(format: .megatron, path: dir + "/w").document(0), [65_499])
    }

    func testLLMCAndNanoGPTLayouts() throws {
        let dir = temporaryDirectory()
        XCTAssertEqual(try write(.llmc, dir + "/a.bin", vocab: 50257, [[7, 8], [9]]).width, .uint16)
        let a = bytes(dir + "/a.bin")
        XCTAssertEqual(a.count, 1024 + 6)
        XCTAssertEqual(Array(a[0..<12]), [0x88, 0xD8, 0x34, 0x01, 1, 0, 0, 0, 3, 0, 0, 0])   // 20240520, 1, 3
        XCTAssertTrue(a[12..<1024].allSatisfy { $0 == 0 })
        XCTAssertEqual(Array(a[1024...]), [7, 0, 8, 0, 9, 0])
        XCTAssertEqual(try TokenShardReader(format: .llmc, path: dir + "/a.bin").tokens(0..<3), [7, 8, 9])

        XCTAssertEqual(try write(.llmc, dir + "/b.bin", vocab: 128_256, [[128_255]]).width, .uint32)
        let b = try TokenShardReader(format: .llmc, path: dir + "/b.bin")
        XCTAssertEqual(Array(bytes(dir + "/b.bin")[0..<8]), [0xA1, 0xD9, 0x34, 0x01, 7, 0, 0, 0])   // 20240801, 7
        XCTAssertEqual(try b.tokens(0..<1), [128_255])

        _ = try write(.nanogpt, dir + "/n.bin", vocab: 50257, [[1, 2], [50256]])
        XCTAssertEqual(bytes(dir + "/n.bin"), [1, 0, 2, 0, 0x50, 0xC4])
        let n = try TokenShardReader(format: .nanogpt, path: dir + "/n.bin")
        XCTAssertEqual(try n.tokens(0..<3), [1, 2, 50256])
        XCTAssertNil(n.documentEnds)
        XCTAssertThrowsError(try TokenShardWriter(format: .nanogpt, path: dir + "/x.bin", vocabularySize: 100_000)) {
            XCTAssertTrue("\($0)".contains("uint16"))
        }
    }

    func testWidthFollowsVocabulary() throws {
        let dir = temporaryDirectory()
        XCTAssertEqual(try write(.datatrove, dir + "/a.ds", vocab: 65_536, [[65_535]]).width, .uint16)
        XCTAssertEqual(try write(.datatrove, dir + "/b.ds", vocab: 65_537, [[65_536]]).width, .uint32)
        XCTAssertEqual(String(decoding: bytes(dir + "/b.ds.metadata"), as: UTF8.self), "winnow|4\n1\n1.00 T")
        let r = try TokenShardReader(format: .datatrove, path: dir + "/b.ds")
        XCTAssertEqual(r.width, .uint32)
        XCTAssertEqual(try r.document(0), [65_536])
    }

    func testBadInputIsRefusedAndNothingHalfWrittenAppears() throws {
        let dir = temporaryDirectory()
        let w = try TokenShardWriter(format: .datatrove, path: dir + "/t.ds", vocabularySize: 1000, saveLoss: true)
        XCTAssertThrowsError(try w.write(document: [70_000], lossMask: [true])) { XCTAssertTrue("\($0)".contains("70000")) }
        XCTAssertThrowsError(try w.write(document: [1, 2], lossMask: [true])) { XCTAssertTrue("\($0)".contains("loss mask")) }
        try w.write(document: [1, 2], lossMask: [true, true])
        // Until finish, only temporaries exist; abort removes them.
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/t.ds"))
        w.abort()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
        do {
            let dropped = try TokenShardWriter(format: .megatron, path: dir + "/m", vocabularySize: 1000)
            try dropped.write(document: [1])
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "a writer dropped unfinished leaves nothing")
    }

    func testDamagedShardsAreRefusedWithTheReason() throws {
        let dir = temporaryDirectory()
        func damage(_ path: String, _ edit: (inout [UInt8]) -> Void) {
            var b = bytes(path); edit(&b)
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(b)))
        }
        func reason(_ f: TokenShardFormat, _ p: String) -> String {
            do { _ = try TokenShardReader(format: f, path: p); return "opened" } catch { return "\(error)" }
        }
        _ = try write(.datatrove, dir + "/d.ds", vocab: 1000, [[1, 2, 3], [4]])
        damage(dir + "/d.ds") { $0.removeLast() }
        XCTAssertTrue(reason(.datatrove, dir + "/d.ds").contains("not a whole number"), reason(.datatrove, dir + "/d.ds"))
        damage(dir + "/d.ds") { $0.removeLast() }
        XCTAssertTrue(reason(.datatrove, dir + "/d.ds").contains("states 4 tokens"), reason(.datatrove, dir + "/d.ds"))

        _ = try write(.megatron, dir + "/m", vocab: 1000, [[1, 2, 3], [4]])
        damage(dir + "/m.bin") { $0.removeLast(2) }
        XCTAssertTrue(reason(.megatron, dir + "/m").contains("truncated"), reason(.megatron, dir + "/m"))
        damage(dir + "/m.idx") { $0[0] = UInt8(ascii: "X") }
        XCTAssertTrue(reason(.megatron, dir + "/m").contains("MMIDIDX"), reason(.megatron, dir + "/m"))

        _ = try write(.llmc, dir + "/l.bin", vocab: 1000, [[1, 2, 3]])
        damage(dir + "/l.bin") { $0.removeLast(2) }
        XCTAssertTrue(reason(.llmc, dir + "/l.bin").contains("truncated"), reason(.llmc, dir + "/l.bin"))
        damage(dir + "/l.bin") { $0[0] = 0 }
        XCTAssertTrue(reason(.llmc, dir + "/l.bin").contains("magic"), reason(.llmc, dir + "/l.bin"))
        damage(dir + "/l.bin") { $0 = Array($0.prefix(100)) }
        XCTAssertTrue(reason(.llmc, dir + "/l.bin").contains("header alone"), reason(.llmc, dir + "/l.bin"))

        XCTAssertTrue(reason(.nanogpt, dir + "/missing.bin").contains("cannot open"))
    }
}

import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowIO

/// Deliberately damaged copies of a real Common Crawl WARC: every intact record must come
/// through, and the damage must be counted.
final class DamageTests: XCTestCase {
    static let ccPath = TestData.warc + "/commoncrawl/CC-MAIN-2020-34_excerpt_resiliparse-warcfile.warc.gz"

    /// (record id, member offset, member length) of each record, from the warcio truth.
    static func members() throws -> [(id: String, offset: Int, length: Int)] {
        let truth = try TestData.json(TestData.fixtures + "/warc-truth.json")
        let f = truth.objectValue!["files"]!.arrayValue!.first { $0.objectValue!["file"]!.stringValue!.hasPrefix("commoncrawl/CC-MAIN-2020") }!
        return f.objectValue!["records"]!.arrayValue!.map {
            let r = $0.objectValue!
            return (r["record_id"]!.stringValue!, r["offset"]!.intValue!, r["record_length"]!.intValue!)
        }
    }

    func readIDs(_ path: String, libdeflate: Bool) throws -> ([String], DamageReport) {
        let r = WARCReader(source: try GzipSource(path: path, useLibdeflate: libdeflate))
        var ids: [String] = []
        while let rec = try r.next() { ids.append(rec.recordID!) }
        return (ids, r.allDamage)
    }

    func testFlippedByteLosesOnlyThatRecord() throws {
        let m = try Self.members()
        var bytes = try TestData.bytes(Self.ccPath)
        let victim = 5  // a 105 KB response
        bytes[m[victim].offset + m[victim].length / 2] ^= 0x5A
        let dir = temporaryDirectory()
        let path = dir + "/flipped.warc.gz"
        TestFiles.write(bytes, to: path)
        for libdeflate in [true, false] {
            let (ids, damage) = try readIDs(path, libdeflate: libdeflate)
            XCTAssertEqual(ids, m.map(\.id).enumerated().filter { $0.offset != victim }.map(\.element), "libdeflate=\(libdeflate)")
            XCTAssertEqual(damage.counts["gzip_corrupt_member"], 1, "\(damage.counts)")
            XCTAssertTrue(damage.samples.contains { $0.location.contains("@\(m[victim].offset)") }, "\(damage.samples)")
        }
    }

    func testTruncatedTailKeepsEveryCompleteRecord() throws {
        let m = try Self.members()
        let bytes = try TestData.bytes(Self.ccPath)
        let last = m.count - 1
        // Cut inside the second-to-last member: that record and the last one are lost.
        let cut = m[last - 1].offset + m[last - 1].length / 2
        let path = temporaryDirectory() + "/truncated.warc.gz"
        TestFiles.write(Array(bytes[0..<cut]), to: path)
        for libdeflate in [true, false] {
            let (ids, damage) = try readIDs(path, libdeflate: libdeflate)
            XCTAssertEqual(ids, Array(m.map(\.id)[0..<(last - 1)]))
            XCTAssertEqual(damage.counts["gzip_truncated_member"], 1, "\(damage.counts)")
        }
    }

    func testFlippedByteAndTruncationTogetherThroughDocumentReader() throws {
        let m = try Self.members()
        var bytes = try TestData.bytes(Self.ccPath)
        bytes[m[2].offset + 100] ^= 0xFF          // response #1
        bytes = Array(bytes[0..<(m[47].offset + 40)])  // cut inside response #16's member
        let path = temporaryDirectory() + "/both.warc.gz"
        TestFiles.write(bytes, to: path)
        let r = try WARCDocumentReader(path: path)
        var n = 0
        while try r.next() != nil { n += 1 }
        XCTAssertEqual(n, 14)  // 16 responses minus the corrupt one minus the cut one
        XCTAssertEqual(r.damage.counts["gzip_corrupt_member"], 1)
        XCTAssertEqual(r.damage.counts["gzip_truncated_member"], 1)
    }

    func testGarbageBetweenMembersIsSkipped() throws {
        let m = try Self.members()
        let bytes = try TestData.bytes(Self.ccPath)
        var spliced = Array(bytes[0..<m[10].offset])
        spliced += Array("this is not gzip at all \u{1F}\u{8B} nor this".utf8)
        spliced += bytes[m[10].offset...]
        let path = temporaryDirectory() + "/garbage.warc.gz"
        TestFiles.write(spliced, to: path)
        let (ids, damage) = try readIDs(path, libdeflate: true)
        XCTAssertEqual(ids, m.map(\.id))
        XCTAssertEqual(damage.counts["gzip_garbage_between_members"], 1, "\(damage.counts)")
    }

    func testZstdFramesAndCorruptFrameResync() throws {
        // Re-encode the records as one zstd frame each, then damage one frame.
        let m = try Self.members()
        let plain = try Self.decompressedCC()
        let dir = temporaryDirectory()
        var frames: [[UInt8]] = []
        var offsets: [Int] = [0]
        let records = try Self.splitRecords(plain)
        for rec in records {
            let p = dir + "/frame.zst"
            let sink = try openByteSink(p, compression: .zstd)
            try sink.write(rec)
            try sink.finish()
            let f = try TestData.bytes(p)
            frames.append(f)
            offsets.append(offsets.last! + f.count)
        }
        XCTAssertEqual(records.count, m.count)
        var all = frames.flatMap { $0 }
        let okPath = dir + "/ok.warc.zst"
        TestFiles.write(all, to: okPath)
        let ok = WARCReader(source: try openByteSource(okPath))
        var n = 0
        while try ok.next() != nil { n += 1 }
        XCTAssertEqual(n, m.count)
        all[offsets[5] + frames[5].count / 2] ^= 0x5A
        let badPath = dir + "/bad.warc.zst"
        TestFiles.write(all, to: badPath)
        let bad = WARCReader(source: try openByteSource(badPath))
        var ids: [String] = []
        while let r = try bad.next() { ids.append(r.recordID!) }
        XCTAssertEqual(bad.allDamage.counts["zstd_corrupt_frame"], 1, "\(bad.allDamage.counts)")
        XCTAssertEqual(ids, m.map(\.id).enumerated().filter { $0.offset != 5 }.map(\.element))
    }

    static func decompressedCC() throws -> [UInt8] {
        let src = try GzipSource(path: Self.ccPath)
        var out: [UInt8] = []
        while let c = try src.next() { out += c.bytes }
        return out
    }

    /// Splits a decompressed WARC at record starts (the line after a blank line starting "WARC/1.0").
    static func splitRecords(_ b: [UInt8]) throws -> [[UInt8]] {
        let marker = Array("\r\n\r\nWARC/1.0\r\n".utf8)
        var starts = [0]
        var i = 0
        while i + marker.count <= b.count {
            if b[i] == 0x0D && Array(b[i..<(i + marker.count)]) == marker { starts.append(i + 4); i += marker.count } else { i += 1 }
        }
        starts.append(b.count)
        return (0..<(starts.count - 1)).map { Array(b[starts[$0]..<starts[$0 + 1]]) }
    }
}

import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowIO

/// Single-bit flips of real compressed WARCs: whatever comes out must be byte-identical to the
/// original record of the same id (a damaged member or frame loses its records, never alters
/// them), and the records after the damage must still come through.
final class IntegrityTests: XCTestCase {
    struct Original {
        let bytes: [UInt8]
        let blocks: [String: [UInt8]]
    }

    static func original(_ path: String) throws -> Original {
        let r = WARCReader(source: try openByteSource(path))
        var blocks: [String: [UInt8]] = [:]
        while let rec = try r.next() { blocks[rec.recordID!] = rec.block }
        XCTAssertTrue(r.allDamage.isEmpty)
        return Original(bytes: try TestData.bytes(path), blocks: blocks)
    }

    /// Reads the file with `bit` flipped; returns a failure description, or nil when every
    /// record read is intact.
    static func mutant(_ o: Original, bit: Int, dir: String, ext: String, libdeflate: Bool = true) throws -> (failure: String?, read: Int) {
        var b = o.bytes
        b[bit / 8] ^= UInt8(1 << (bit % 8))
        let path = dir + "/mutant" + ext
        TestFiles.write(b, to: path)
        let source: ByteSource = ext.hasSuffix(".gz") ? try GzipSource(path: path, useLibdeflate: libdeflate) : try openByteSource(path)
        let r = WARCReader(source: source)
        var n = 0
        while let rec = try r.next() {
            n += 1
            guard let id = rec.recordID, let want = o.blocks[id] else { return ("bit \(bit): unknown record \(rec.recordID ?? "-")", n) }
            if want != rec.block { return ("bit \(bit): record \(id) altered (\(rec.block.count) vs \(want.count) bytes)", n) }
        }
        return (nil, n)
    }

    static let ccPath = TestData.warc + "/commoncrawl/CC-MAIN-2020-34_excerpt_resiliparse-warcfile.warc.gz"

    func testGzipBitFlipsNeverAlterARecord() throws {
        let o = try Self.original(Self.ccPath)
        let dir = temporaryDirectory()
        var rng = SplitMix64(seed: 15)
        var bits: [Int] = []
        for _ in 0..<60 { bits.append(Int(rng.next() % UInt64(o.bytes.count * 8))) }
        var failures: [String] = []
        for (i, bit) in bits.enumerated() {
            let (f, _) = try Self.mutant(o, bit: bit, dir: dir, ext: ".warc.gz", libdeflate: i % 2 == 0)
            if let f { failures.append(f) }
        }
        XCTAssertEqual(failures, [], "\(failures.count) of \(bits.count) mutants passed damaged bytes on")
    }

    /// A damaged member whose deflate stream no longer ends where the member did (here: a
    /// non-final stored block whose length runs over the next member to the end of the file)
    /// must not swallow what follows, and its text, never checked against a CRC, must not come out.
    func testDamagedMemberRunningToTheEndIsDroppedAndTheNextMemberKept() throws {
        let members = try DamageTests.members()
        let bytes = try TestData.bytes(Self.ccPath)
        let plain = try DamageTests.decompressedCC()
        let records = try DamageTests.splitRecords(plain)
        let last = members.count - 1
        let tail = Array(bytes[members[last].offset...])
        // The latest record that, with the last member after it, fits one stored block.
        let k = try XCTUnwrap((0..<last).last { records[$0].count + tail.count <= 65535 && members[$0 + 1].offset == members[last].offset })
        var altered = records[k]
        altered[altered.count - 10] ^= 0x20   // one letter's case: the text changes, nothing else
        // The stored block's length covers the altered record and the whole next member.
        let len = altered.count + tail.count
        var damaged: [UInt8] = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF]
        damaged += [0x00, UInt8(len & 0xFF), UInt8(len >> 8), UInt8(~len & 0xFF), UInt8((~len >> 8) & 0xFF)]
        damaged += altered
        let file = Array(bytes[0..<members[k].offset]) + damaged + tail
        let path = temporaryDirectory() + "/runs-to-end.warc.gz"
        TestFiles.write(file, to: path)
        let o = try Self.original(Self.ccPath)
        for libdeflate in [true, false] {
            let r = WARCReader(source: try GzipSource(path: path, useLibdeflate: libdeflate))
            var ids: [String] = []
            while let rec = try r.next() {
                ids.append(rec.recordID!)
                XCTAssertEqual(rec.block, o.blocks[rec.recordID!], "record \(rec.recordID!) altered (libdeflate=\(libdeflate))")
            }
            XCTAssertEqual(ids, members.map(\.id).enumerated().filter { $0.offset != k }.map(\.element), "libdeflate=\(libdeflate)")
            let d = r.allDamage
            XCTAssertEqual(d.counts["gzip_truncated_member"], 1, "\(d.counts)")
            XCTAssertTrue(d.samples.contains { $0.location.hasSuffix("@\(members[k].offset)") }, "\(d.samples)")
        }
    }

    /// The CC records re-encoded one zstd frame each, with checksums (as our sink writes them).
    static func zstdFramesFile(dir: String) throws -> String {
        var all: [UInt8] = []
        for rec in try DamageTests.splitRecords(try DamageTests.decompressedCC()) {
            let p = dir + "/frame.zst"
            let sink = try openByteSink(p, compression: .zstd)
            try sink.write(rec)
            try sink.finish()
            all += try TestData.bytes(p)
        }
        let path = dir + "/frames.warc.zst"
        TestFiles.write(all, to: path)
        return path
    }

    /// The CC WARC as one frame from the zstd tool (`zstd -3 --check`, as `zstd file.warc` makes
    /// it), whose output the reader used to release in 256 KB pieces before the checksum at the
    /// frame's end was checked.
    static func zstdToolFile(dir: String) throws -> String {
        TestFiles.write(try DamageTests.decompressedCC(), to: dir + "/plain.warc")
        let path = dir + "/one.warc.zst"
        guard system("zstd -q -3 --check -f -o \(path) \(dir)/plain.warc") == 0 else { throw MissingTestData(path: "the zstd tool") }
        return path
    }

    func testZstdBitFlipsNeverAlterARecord() throws {
        let dir = temporaryDirectory()
        var failures: [String] = []
        var n = 0
        // Flips that altered records before the fix (85 of 150 seeded flips of this file did).
        let alteredBefore = [557889, 286691, 716616, 213413, 4919, 48531, 36560, 198417, 521971, 642896]
        var rng = SplitMix64(seed: 5)
        for (file, random) in [(try Self.zstdToolFile(dir: dir), 20), (try Self.zstdFramesFile(dir: dir), 60)] {
            let o = try Self.original(file)
            let bits = (file.hasSuffix("one.warc.zst") ? alteredBefore : []) + (0..<random).map { _ in Int(rng.next() % UInt64(o.bytes.count * 8)) }
            for bit in bits {
                n += 1
                if let f = try Self.mutant(o, bit: bit, dir: dir, ext: ".warc.zst").failure { failures.append(f) }
            }
        }
        XCTAssertEqual(failures, [], "\(failures.count) of \(n) mutants passed damaged bytes on")
    }

    /// A member (frame) larger than the in-memory cap spills to a temporary file and is still
    /// released only after verification: intact, it reads back byte for byte; with one flipped
    /// bit, nothing of it comes out.
    func testMembersOverTheMemoryCapSpillAndStillVerify() throws {
        let plain = try DamageTests.decompressedCC()
        let dir = temporaryDirectory()
        for (ext, compression) in [(".warc.gz", Compression.gzip), (".warc.zst", Compression.zstd)] {
            let path = dir + "/whole" + ext
            let sink = try openByteSink(path, compression: compression)
            try sink.write(plain)
            try sink.finish()
            func read(_ p: String, libdeflate: Bool) throws -> ([UInt8], DamageReport) {
                let src: ByteSource = compression == .gzip
                    ? try GzipSource(path: p, useLibdeflate: libdeflate, heldMemoryCap: 4096)
                    : try ZstdSource(path: p, heldMemoryCap: 4096)
                var out: [UInt8] = []
                while let c = try src.next() { out += c.bytes }
                return (out, src.damage)
            }
            var bytes = try TestData.bytes(path)
            bytes[bytes.count / 2] ^= 0x10
            let bad = dir + "/bad" + ext
            TestFiles.write(bytes, to: bad)
            for libdeflate in [true, false] {
                let (out, damage) = try read(path, libdeflate: libdeflate)
                XCTAssertEqual(out.count, plain.count, ext)
                XCTAssertTrue(out == plain && damage.isEmpty, "\(ext) \(damage.counts)")
                let (badOut, badDamage) = try read(bad, libdeflate: libdeflate)
                XCTAssertEqual(badOut.count, 0, ext)
                XCTAssertEqual(badDamage.total, 1, "\(ext) \(badDamage.counts)")
            }
        }
    }

    /// A zstd frame written without a checksum cannot be verified; it is read and counted.
    func testZstdFrameWithoutChecksumIsCountedAsUnverified() throws {
        let dir = temporaryDirectory()
        let path = dir + "/nocheck.zst"
        TestFiles.write(Array("hello\n".utf8), to: dir + "/plain")
        XCTAssertEqual(system("zstd -q --no-check -f -o \(path) \(dir)/plain"), 0)
        let src = try ZstdSource(path: path)
        var out: [UInt8] = []
        while let c = try src.next() { out += c.bytes }
        XCTAssertEqual(out, Array("hello\n".utf8))
        XCTAssertEqual(src.warnings.counts["zstd_frame_without_checksum"], 1)
        XCTAssertTrue(src.damage.isEmpty)
    }
}

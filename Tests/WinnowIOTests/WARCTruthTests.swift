import XCTest
import WinnowCore
@testable import WinnowIO

/// Every WARC/ARC file under ../shared/data/warc compared with values computed independently
/// by warcio (bench/parity/warc_truth.py → Fixtures/warc-truth.json).
final class WARCTruthTests: XCTestCase {
    struct ExpectedRecord { let type: String; let id: String?; let blockLen: Int; let blockSHA1: String }

    static let truth: JSONValue = try! TestData.json(TestData.fixtures + "/warc-truth.json")

    var files: [JSONObject] { (Self.truth.objectValue!["files"]!.arrayValue!).map { $0.objectValue! } }
    var gzipTruth: JSONObject { Self.truth.objectValue!["gzip_members"]!.objectValue! }

    func readAll(_ path: String) throws -> ([WARCRecord], DamageReport) {
        let r = try WARCReader(path: path)
        var out: [WARCRecord] = []
        while let rec = try r.next() { out.append(rec) }
        return (out, r.allDamage)
    }

    /// Complete records as warcio sees them. For .gz files that is warcio over the concatenated
    /// members (Winnow reads a multi-member gzip as one stream, so a record may span members).
    func expectedRecords(_ f: JSONObject) -> (complete: [ExpectedRecord], truncated: Int) {
        let name = f["file"]!.stringValue!
        if name.hasSuffix(".gz"), let ods = gzipTruth[name]?.objectValue?["warcio_on_decompressed_stream"]?.objectValue {
            var out: [ExpectedRecord] = []
            var truncated = 0
            for row in ods["records"]!.arrayValue! {
                let r = row.arrayValue!
                if r[3].intValue! > 0 { truncated += 1; continue }
                out.append(ExpectedRecord(type: r[0].stringValue!, id: r[1].stringValue, blockLen: r[2].intValue!, blockSHA1: r[4].stringValue!))
            }
            return (out, truncated)
        }
        var out: [ExpectedRecord] = []
        var truncated = 0
        for rv in f["records"]!.arrayValue! {
            let r = rv.objectValue!
            if r["truncated"]?.boolValue == true { truncated += 1; continue }
            out.append(ExpectedRecord(type: r["warc_type"]!.stringValue!, id: r["record_id"]?.stringValue,
                                      blockLen: r["block_len"]!.intValue!, blockSHA1: r["block_sha1_b32"]!.stringValue!))
        }
        return (out, truncated)
    }

    func testTruthCoversEveryWARCFile() throws {
        let covered = Set(files.map { $0["file"]!.stringValue! })
        var onDisk: [String] = []
        for dir in ["commoncrawl", "other-crawlers", "edge-cases"] {
            onDisk += FileGlob.expand(TestData.warc + "/\(dir)/*").map { String($0.dropFirst(TestData.warc.count + 1)) }
        }
        XCTAssertEqual(onDisk.count, 19)
        XCTAssertEqual(Set(onDisk), covered)
    }

    func testRecordsBlocksAndDigestsMatchWarcio() throws {
        var checked = 0
        for f in files {
            let name = f["file"]!.stringValue!
            let (records, damage) = try readAll(TestData.warc + "/" + name)
            let (expected, truncated) = expectedRecords(f)
            if name.hasSuffix("example.arc.gz") {
                // warcio consumes the ARC version block itself; Winnow keeps it as a warcinfo record.
                let truth = f["records"]!.arrayValue!.map { $0.objectValue! }
                XCTAssertEqual(records.map(\.type), ["warcinfo", "response"], name)
                XCTAssertEqual(records[0].targetURI, truth[0]["target_uri"]!.stringValue)
                XCTAssertEqual(records[1].targetURI, truth[1]["target_uri"]!.stringValue)
                XCTAssertEqual(records[1].block.count, truth[1]["block_len"]!.intValue!)
                XCTAssertEqual(Base32.encode(SHA1.hash(records[1].block)), truth[1]["block_sha1_b32"]!.stringValue!)
                let head = try XCTUnwrap(records[1].block.withUnsafeBufferPointer { HTTPHead.parse($0) })
                XCTAssertEqual(head.status, 200)
                XCTAssertEqual(head.bodyOffset, truth[1]["http_header_len"]!.intValue!)
                continue
            }
            XCTAssertEqual(records.count, expected.count, "record count of \(name)")
            for (rec, exp) in zip(records, expected) {
                XCTAssertEqual(rec.type, exp.type, name)
                XCTAssertEqual(rec.recordID, exp.id, name)
                XCTAssertEqual(rec.block.count, exp.blockLen, "\(name) \(exp.id ?? "")")
                XCTAssertEqual(Base32.encode(SHA1.hash(rec.block)), exp.blockSHA1, "\(name) \(exp.id ?? "")")
                checked += 1
            }
            // A record cut inside a gzip member is lost with the member (whose CRC was never reached).
            let cut = (damage.counts["warc_truncated_record"] ?? 0) + (damage.counts["gzip_truncated_member"] ?? 0)
            XCTAssertEqual(cut, truncated, "truncated records in \(name)")
        }
        XCTAssertEqual(checked, 230)  // every complete record of the 18 WARC files
    }

    func testHTTPPayloadsAndDecodingMatchWarcio() throws {
        var raw = 0, decoded = 0, digests = 0
        for f in files {
            let name = f["file"]!.stringValue!
            let (records, _) = try readAll(TestData.warc + "/" + name)
            var byID: [String: WARCRecord] = [:]
            for r in records { if let id = r.recordID { byID[id] = r } }
            for rv in f["records"]!.arrayValue! {
                let e = rv.objectValue!
                guard e["has_http_headers"]?.boolValue == true, e["truncated"]?.boolValue != true,
                      let id = e["record_id"]?.stringValue, let rec = byID[id] else { continue }
                try rec.block.withUnsafeBufferPointer { b in
                    let head = try XCTUnwrap(HTTPHead.parse(b), "\(name) \(id)")
                    let payload = Array(b[head.bodyOffset...])
                    XCTAssertEqual(payload.count, e["raw_payload_len"]!.intValue!, "\(name) \(id)")
                    XCTAssertEqual(Base32.encode(SHA1.hash(payload)), e["raw_payload_sha1_b32"]!.stringValue!, "\(name) \(id)")
                    raw += 1
                    if let status = e["http_status"]?.intValue { XCTAssertEqual(head.status, status, "\(name) \(id)") }
                    if e["decoded_error"] == nil, let len = e["decoded_payload_len"]?.intValue {
                        let d = HTTPBodyDecoder.decode(UnsafeBufferPointer(rebasing: b[head.bodyOffset...]), headers: head.headers)
                        XCTAssertEqual(d.body.count, len, "decoded \(name) \(id)")
                        XCTAssertEqual(Hex.encode(SHA1.hash(d.body)), e["decoded_payload_sha1_hex"]!.stringValue!, "decoded \(name) \(id)")
                        decoded += 1
                    }
                    if e["payload_digest_matches"]?.boolValue == true {
                        let header = rec.headers["WARC-Payload-Digest"]!
                        if header.hasPrefix("sha1:"), header.count == 37 {
                            XCTAssertEqual("sha1:" + Base32.encode(SHA1.hash(payload)), header, "\(name) \(id)")
                            digests += 1
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(raw, 100)
        XCTAssertGreaterThan(decoded, 100)
        XCTAssertGreaterThan(digests, 60)
    }

    func testGzipMembersAndSizesMatchZlib() throws {
        for (name, v) in gzipTruth where name != "bench/bench-60mb.warc.gz" {
            let t = v.objectValue!
            for libdeflate in [true, false] {
                let src = try GzipSource(path: TestData.warc + "/" + name, useLibdeflate: libdeflate)
                var total = 0
                while let c = try src.next() { total += c.bytes.count }
                let complete = t["error"] == .null
                // A truncated member yields nothing: its CRC was never reached, so none of it is verified.
                XCTAssertEqual(total, t["decompressed_bytes"]!.intValue!, "\(name) libdeflate=\(libdeflate)")
                XCTAssertEqual(src.members, t["members"]!.intValue!, "\(name) libdeflate=\(libdeflate)")
                XCTAssertEqual(src.damage.isEmpty, complete, "\(name) \(src.damage.counts)")
            }
        }
    }

    func testDocumentsFromCommonCrawlExcerpt() throws {
        let r = try WARCDocumentReader(path: TestData.warc + "/commoncrawl/CC-MAIN-2020-34_excerpt_resiliparse-warcfile.warc.gz")
        var docs: [Document] = []
        while let d = try r.next() { docs.append(d) }
        XCTAssertEqual(docs.count, 16)
        XCTAssertEqual(r.stats.docsIn, 50)
        XCTAssertEqual(r.stats.drops, ["skipped_request": 17, "skipped_metadata": 16, "skipped_warcinfo": 1])
        XCTAssertEqual(docs[0].id, "<urn:uuid:c4c112a5-3503-4483-abf8-51a0dd86dd53>")
        XCTAssertEqual(docs[0].metadata["url"]?.stringValue, "http://003338.cn/l41/481397.html")
        XCTAssertEqual(docs[0].metadata["content_type"]?.stringValue, "text/html")
        XCTAssertEqual(docs[0].metadata["http_status"]?.intValue, 200)
        XCTAssertNotNil(docs[0].metadata["date"]?.stringValue)
        XCTAssertTrue(docs.allSatisfy { $0.text.contains("<") && $0.payload != nil })
    }

    func testWETConversionRecordBecomesTextDocument() throws {
        let r = try WARCDocumentReader(path: TestData.warc + "/commoncrawl/CC-MAIN-2024-22_whirlwind.warc.wet.gz")
        let d = try XCTUnwrap(try r.next())
        XCTAssertNil(try r.next())
        XCTAssertEqual(d.metadata["url"]?.stringValue, "https://an.wikipedia.org/wiki/Escopete")
        XCTAssertEqual(d.metadata["content_type"]?.stringValue, "text/plain")
        XCTAssertTrue(d.text.contains("Escopete"))
        XCTAssertNotNil(d.metadata["warc_languages"])
    }
}

import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowIO

final class JSONLTests: XCTestCase {
    func testRoundTripIsExactAcrossCompressions() throws {
        let lines = [
            #"{"id":"a","text":"héllo \"wörld\"\n\ttab","source":"cc","added":"2024-01-01","metadata":{"url":"http://x/","score":0.10,"big":12345678901234567890,"exp":1e-7,"nested":{"b":[1,2.50,null,true]},"z":"中文"}}"#,
            #"{"id":"b","text":"","metadata":{}}"#,
            #"{"id":"c","text":"control \u0001 char","metadata":{"emoji":"😀"}}"#,
        ]
        let input = lines.joined(separator: "\n") + "\n"
        let dir = temporaryDirectory()
        for comp in Compression.allCases {
            let path = dir + "/docs.jsonl" + comp.fileExtension
            let w = try JSONLWriter(path: path)
            for l in lines { try w.write(try Document(json: try JSONParser.parse(l))) }
            try w.commit()
            let r = try JSONLReader(path: path)
            var out: [UInt8] = []
            while let d = try r.next() { d.writeJSONLine(to: &out) }
            XCTAssertEqual(String(decoding: out, as: UTF8.self), input, "\(comp)")
            XCTAssertTrue(r.damage.isEmpty)
        }
    }

    func testMalformedLinesAreCountedWithFileAndLine() throws {
        let dir = temporaryDirectory()
        let path = dir + "/bad.jsonl"
        let text = """
        {"id":"1","text":"ok"}
        {"id":"2","text":"missing brace"
        not json at all

        {"id":"3"}
        {"id":"4","text":"ok too","metadata":{"k":1}}
        """
        TestFiles.write(Array(text.utf8), to: path)
        let r = try JSONLReader(path: path)
        var ids: [String] = []
        while let d = try r.next() { ids.append(d.id) }
        XCTAssertEqual(ids, ["1", "4"])
        XCTAssertEqual(r.damage.counts["jsonl_malformed_line"], 3)
        XCTAssertEqual(r.damage.samples.map(\.location), [path + ":2", path + ":3", path + ":5"])
        XCTAssertEqual(r.stats.drops["malformed_line"], 3)
    }

    func testAtomicWriterLeavesNothingOnAbort() throws {
        let dir = temporaryDirectory()
        let w = try JSONLWriter(path: dir + "/x.jsonl.zst")
        try w.write(Document(id: "1", text: "t"))
        w.abort()
        XCTAssertFalse(FileGlob.isFile(dir + "/x.jsonl.zst"))
        XCTAssertEqual(FileGlob.expand(dir + "/*"), [])
    }

    func testRealDolmaAndCCNetFilesRead() throws {
        for name in ["cc_en_head-0091.jsonl.gz", "dolma_provided_documents_000.json.gz"] {
            let r = try JSONLReader(path: TestData.shared + "/en-web/" + name)
            var n = 0
            while let d = try r.next() { n += 1; XCTAssertFalse(d.text.isEmpty) }
            XCTAssertGreaterThan(n, 5, name)
            XCTAssertTrue(r.damage.isEmpty, "\(r.damage.counts)")
        }
    }

    // Issue 15, finding 8.

    func testByteOrderMarkDoesNotLoseTheFirstLine() throws {
        let path = temporaryDirectory() + "/bom.jsonl"
        TestFiles.write([0xEF, 0xBB, 0xBF] + Array("{\"id\":\"1\",\"text\":\"a\"}\n{\"id\":\"2\",\"text\":\"b\"}\n".utf8), to: path)
        let r = try JSONLReader(path: path)
        var ids: [String] = []
        while let d = try r.next() { ids.append(d.id) }
        XCTAssertEqual(ids, ["1", "2"])
        XCTAssertTrue(r.damage.isEmpty, "\(r.damage.counts)")
    }

    /// A lone CR ends a line (JSON strings cannot hold a raw CR); CRLF is one line break, so
    /// line numbers stay right.
    func testLoneCRAndCRLFEndLines() throws {
        let dir = temporaryDirectory()
        for (name, sep) in [("cr", "\r"), ("crlf", "\r\n"), ("mixed", "\r")] {
            let path = dir + "/\(name).jsonl"
            var text = ["{\"id\":\"1\",\"text\":\"a\"}", "{\"id\":\"2\",\"text\":\"b\"}", "not json", "{\"id\":\"3\",\"text\":\"c\"}"].joined(separator: sep) + sep
            if name == "mixed" { text = "{\"id\":\"1\",\"text\":\"a\"}\r{\"id\":\"2\",\"text\":\"b\"}\r\nnot json\n{\"id\":\"3\",\"text\":\"c\"}" }
            TestFiles.write(Array(text.utf8), to: path)
            let r = try JSONLReader(path: path)
            var ids: [String] = []
            while let d = try r.next() { ids.append(d.id) }
            XCTAssertEqual(ids, ["1", "2", "3"], name)
            XCTAssertEqual(r.damage.samples.map(\.location), [path + ":3"], name)
        }
    }

    /// Formats are sniffed from the decoded content when the name does not tell: JSONL or a
    /// WARC inside `x.gz`, JSONL in a file without an extension.
    func testFormatSniffedFromContent() throws {
        let dir = temporaryDirectory()
        let w = try JSONLWriter(path: dir + "/docs.jsonl.gz")
        try w.write(Document(id: "1", text: "a"))
        try w.write(Document(id: "2", text: "b"))
        try w.commit()
        XCTAssertEqual(rename(dir + "/docs.jsonl.gz", dir + "/x.gz"), 0)
        TestFiles.write(Array("\u{FEFF}\n{\"id\":\"9\",\"text\":\"c\"}\n".utf8), to: dir + "/plain")
        TestFiles.write(try TestData.bytes(TestData.warc + "/commoncrawl/CC-MAIN-2024-22_whirlwind.warc.gz"), to: dir + "/y.gz")
        for (file, expected) in [("x.gz", ["1", "2"]), ("plain", ["9"])] {
            let r = try openDocumentReader(path: dir + "/" + file, format: nil)
            XCTAssertTrue(r is JSONLReader, file)
            var ids: [String] = []
            while let d = try r.next() { ids.append(d.id) }
            XCTAssertEqual(ids, expected, file)
        }
        let warc = try openDocumentReader(path: dir + "/y.gz", format: nil)
        XCTAssertTrue(warc is WARCDocumentReader)
        var n = 0
        while try warc.next() != nil { n += 1 }
        XCTAssertGreaterThan(n, 0)
        TestFiles.write(Array("<html>".utf8), to: dir + "/page")
        XCTAssertThrowsError(try openDocumentReader(path: dir + "/page", format: nil)) {
            XCTAssertTrue("\($0)".contains("first bytes"), "\($0)")
        }
    }

    /// Field mapping: CCNet / CT-LLM lines (`raw_content`, a top-level `url`) read as
    /// documents with metadata.url; defaults fill missing metadata; other fields stay.
    func testFieldMappingReadsCCNetLines() throws {
        let path = TestData.shared + "/zh-web/chinesewebtext/ccnet_CC-MAIN-2022-21_zh_100docs.jsonl"
        XCTAssertNil(try JSONLReader(path: path).next(), "raw_content is not text by default")
        let fields = JSONLFields(textKey: "raw_content", idKey: "digest", urlKey: "url", metadataDefaults: JSONObject([("source", .string("ccnet"))]))
        let r = try openDocumentReader(path: path, format: nil, jsonl: fields)
        var docs: [Document] = []
        while let d = try r.next() { docs.append(d) }
        XCTAssertEqual(docs.count, 100)
        XCTAssertTrue(r.damage.isEmpty, "\(r.damage.counts)")
        let first = docs[0]
        XCTAssertFalse(first.text.isEmpty)
        XCTAssertTrue(first.metadata["url"]?.stringValue?.hasPrefix("http") ?? false)
        XCTAssertEqual(first.metadata["source"], .string("ccnet"))
        XCTAssertNotNil(first.extra["perplexity"], "unmapped fields stay on the document")
        XCTAssertNil(first.extra["raw_content"])

        let dir = temporaryDirectory()
        TestFiles.write(Array(#"{"doc_id":7,"body":"t","url":"http://a/","metadata":{"url":"http://kept/","source":"dolma"}}"#.utf8), to: dir + "/m.jsonl")
        let m = try JSONLReader(path: dir + "/m.jsonl", fields: JSONLFields(textKey: "body", idKey: "doc_id", urlKey: "url", metadataDefaults: JSONObject([("source", .string("x"))])))
        let d = try XCTUnwrap(try m.next())
        XCTAssertEqual(d.id, "7")
        XCTAssertEqual(d.text, "t")
        XCTAssertEqual(d.metadata["url"], .string("http://kept/"), "metadata.url wins; the top-level one stays as it was")
        XCTAssertEqual(d.extra["url"], .string("http://a/"))
        XCTAssertEqual(d.metadata["source"], .string("dolma"))
    }
}

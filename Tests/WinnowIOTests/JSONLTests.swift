import XCTest
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
        let dir = TestData.tempDir()
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
        let dir = TestData.tempDir()
        let path = dir + "/bad.jsonl"
        let text = """
        {"id":"1","text":"ok"}
        {"id":"2","text":"missing brace"
        not json at all

        {"id":"3"}
        {"id":"4","text":"ok too","metadata":{"k":1}}
        """
        TestData.write(Array(text.utf8), to: path)
        let r = try JSONLReader(path: path)
        var ids: [String] = []
        while let d = try r.next() { ids.append(d.id) }
        XCTAssertEqual(ids, ["1", "4"])
        XCTAssertEqual(r.damage.counts["jsonl_malformed_line"], 3)
        XCTAssertEqual(r.damage.samples.map(\.location), [path + ":2", path + ":3", path + ":5"])
        XCTAssertEqual(r.stats.drops["malformed_line"], 3)
    }

    func testAtomicWriterLeavesNothingOnAbort() throws {
        let dir = TestData.tempDir()
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
}

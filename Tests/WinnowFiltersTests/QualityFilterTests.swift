import XCTest
import WinnowCore
import WinnowIO
@testable import WinnowFilters

/// Gopher repetition, Gopher quality, FineWeb quality and C4 (both configurations) decide exactly as datatrove 0.10.1
/// (keep, or the same drop reason) on the 180 real documents of samples/text.
final class QualityFilterTests: XCTestCase {
    func testDecisionsEqualDatatrove() throws {
        let dir = #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fixture = try JSONParser.parse(String(decoding: readFileBytes(dir + "/Fixtures/datatrove-filters.json")!, as: UTF8.self))
        let root = dir + "/../.."
        let reader = try JSONLReader(path: root + "/samples/text/web-sample.jsonl.gz")
        var docs: [Document] = []
        while let d = try reader.next() { docs.append(d) }
        XCTAssertEqual(docs.count, 180)
        let stages: [(String, any Stage)] = [
            ("gopher_repetition", try ChineseFilterTests.stage(GopherRepetitionFilter.init)),
            ("gopher_quality", try ChineseFilterTests.stage(GopherQualityFilter.init)),
            ("fineweb_quality", try ChineseFilterTests.stage(FineWebQualityFilter.init)),
            ("c4_quality", try ChineseFilterTests.stage(C4QualityFilter.init)),
            ("c4_quality_fineweb", try ChineseFilterTests.stage(C4QualityFilter.init, [("filter_no_terminal_punct", "false")])),
        ]
        for (name, stage) in stages {
            let expected = fixture["decisions"]![name]!.arrayValue!.map { $0.stringValue! }
            let texts = fixture["c4_texts"]?[name]?.arrayValue
            var drops = 0
            for (k, (d, e)) in zip(docs, expected).enumerated() {
                var doc = d
                let got: String
                switch stage.apply(&doc) {
                case .keep: got = "keep"
                case .drop(let r): got = r; drops += 1
                }
                XCTAssertEqual(got, e, "\(name) on \(d.id)")
                // C4 rewrites what it keeps: the same lines as datatrove keeps.
                if got == "keep", let t = texts?[k].stringValue { XCTAssertEqual(doc.text, t, "\(name) text of \(d.id)") }
            }
            XCTAssertGreaterThan(drops, 0, "\(name) drops something on real web text")
        }
    }
}

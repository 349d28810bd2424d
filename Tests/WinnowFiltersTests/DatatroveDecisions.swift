import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowIO
@testable import WinnowFilters

/// Runs filter stages over documents and compares each decision ("keep" or the drop reason)
/// with datatrove's, and the text a kept document comes out with where datatrove rewrote it.
enum DatatroveDecisions {
    static let fixtures = TestPaths.fixtures("WinnowFiltersTests")

    /// The 180 documents of samples/text.
    static func sampleDocuments() throws -> [Document] {
        let reader = try JSONLReader(path: fixtures + "/../../../samples/text/web-sample.jsonl.gz")
        var docs: [Document] = []
        while let d = try reader.next() { docs.append(d) }
        XCTAssertEqual(docs.count, 180)
        return docs
    }

    static func json(_ name: String) throws -> JSONValue {
        try TestFiles.json(fixtures + "/" + name)
    }

    /// `expected[name]` per document; `texts[name]?[k]` the kept text where given (nil: not compared).
    static func check(_ stages: [(String, any Stage)], on docs: [Document], expected: (String) -> [String],
                      texts: (String) -> [JSONValue]?, file: StaticString = #filePath, line: UInt = #line) {
        for (name, stage) in stages {
            let want = expected(name)
            let kept = texts(name)
            var drops = 0
            for (k, (d, e)) in zip(docs, want).enumerated() {
                var doc = d
                let got: String
                switch stage.apply(&doc) {
                case .keep: got = "keep"
                case .drop(let r): got = r; drops += 1
                }
                XCTAssertEqual(got, e, "\(name) on \(d.id)", file: file, line: line)
                if got == "keep", let t = kept?[k].stringValue { XCTAssertEqual(doc.text, t, "\(name) text of \(d.id)", file: file, line: line) }
            }
            XCTAssertGreaterThan(drops, 0, "\(name) drops something on real web text", file: file, line: line)
        }
    }
}

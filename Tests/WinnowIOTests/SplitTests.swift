import XCTest
@testable import WinnowIO
import WinnowCore

/// A gzip'd WARC read in byte-range splits gives exactly the documents of a whole read, in order.
final class SplitTests: XCTestCase {
    func ids(_ path: String, split: Range<Int>?) throws -> [String] {
        var opts = WARCDocumentReader.Options()
        opts.recordTypes = ["response", "warcinfo", "request", "metadata", "resource"]
        let r = try openDocumentReader(path: path, format: .warc, warc: opts, split: split)
        var out: [String] = []
        while let d = try r.next() { out.append(d.id + "|" + String(d.text.utf8.count)) }
        XCTAssertTrue(r.damage.isEmpty, "\(split.map { "\($0)" } ?? "whole"): \(r.damage.counts)")
        return out
    }

    func testSplitsCoverEveryRecordOnce() throws {
        for path in [DamageTests.ccPath, TestData.warc + "/bench/bench-60mb.warc.gz"] {
            let size = fileSize(path)!
            let whole = try ids(path, split: nil)
            XCTAssertGreaterThan(whole.count, 40)
            for splitBytes in [size / 3 + 1, 100_003, 7_777] where splitBytes < size && (size / splitBytes) < 400 {
                let splits = InputSplits.plan(path: path, size: size, format: .warc, splitBytes: splitBytes)!
                XCTAssertEqual(splits.first?.lowerBound, 0)
                XCTAssertEqual(splits.last?.upperBound, size)
                var joined: [String] = []
                for s in splits { joined += try ids(path, split: s) }
                XCTAssertEqual(joined, whole, "\(path) split every \(splitBytes) bytes")
            }
        }
    }

    func testUnsplittableInputsAreReadWhole() {
        XCTAssertNil(InputSplits.plan(path: "x.jsonl.gz", size: 1 << 30, format: .jsonl, splitBytes: 1 << 20))
        // A gzip'd WARC smaller than the split size is one piece.
        XCTAssertNil(InputSplits.plan(path: DamageTests.ccPath, size: fileSize(DamageTests.ccPath)!, format: .warc, splitBytes: 1 << 30))
    }
}

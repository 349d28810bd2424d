import XCTest
@testable import WinnowCompress

final class M1DataTests: XCTestCase {
    /// Segments cover every byte exactly once, stay within their lengths, come from across
    /// documents in a seeded order, and are the same for the same seed.
    func testSegmentsCoverTheTextAndAreSeeded() {
        var docs: [[UInt8]] = []
        for d in 0..<40 {
            let n: Int = d * 97 % 3000 + 1
            var doc = [UInt8](repeating: 0, count: n)
            for i in 0..<n { doc[i] = UInt8((i + d) % 200 + 1) }
            docs.append(doc)
        }
        let a = M1Data.segments(docs, maxLength: 256, seed: 7)
        XCTAssertEqual(a, M1Data.segments(docs, maxLength: 256, seed: 7))
        XCTAssertNotEqual(a, M1Data.segments(docs, maxLength: 256, seed: 8))
        XCTAssertEqual(a.reduce(0) { $0 + $1.count }, docs.reduce(0) { $0 + $1.count })
        XCTAssertTrue(a.allSatisfy { $0.count >= 1 && $0.count <= 256 })
        // Log-uniform lengths: short segments (what a window's context looks like) are common.
        let full = a.filter { $0.count >= 4 }
        XCTAssertGreaterThan(full.filter { $0.count <= 32 }.count * 4, full.count)
        // Multiset of bytes preserved.
        var want = [Int](repeating: 0, count: 256), got = want
        for d in docs { for b in d { want[Int(b)] += 1 } }
        for s in a { for b in s { got[Int(b)] += 1 } }
        XCTAssertEqual(want, got)
        // Shuffled across documents: the segments in order are not the documents in order.
        XCTAssertNotEqual(Array(a.joined()), Array(docs.joined()))
    }
}

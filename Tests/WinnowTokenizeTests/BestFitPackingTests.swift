import XCTest
import WinnowCore
@testable import WinnowTokenize

/// Best-fit decreasing against a brute-force reference with the same tie rules, and the
/// packing's promises: every token once, no document cut unless longer than the sequence.
final class BestFitPackingTests: XCTestCase {
    /// O(N²) best-fit decreasing: scan every open bin for the least sufficient room; among
    /// equals, the bin that reached that room last.
    func bruteForce(sizes: [Int], capacity: Int) -> [[Int]] {
        let order = sizes.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        var bins: [[Int]] = [], room: [Int] = [], stamp: [Int] = []
        var clock = 0
        for i in order {
            var best = -1
            for b in bins.indices where room[b] >= sizes[i] && room[b] > 0 {
                if best < 0 || room[b] < room[best] || (room[b] == room[best] && stamp[b] > stamp[best]) { best = b }
            }
            if best < 0 { bins.append([]); room.append(capacity); stamp.append(0); best = bins.count - 1 }
            bins[best].append(i)
            room[best] -= sizes[i]
            clock += 1
            stamp[best] = clock
        }
        return bins
    }

    func testEqualsBruteForceOnRandomInstances() {
        var rng = SplitMix64(seed: 42)
        for trial in 0..<3000 {
            let capacity = 1 + Int(rng.next() % 64)
            let n = Int(rng.next() % 60)
            let sizes = (0..<n).map { _ in 1 + Int(rng.next() % UInt64(capacity)) }
            XCTAssertEqual(BestFitPacking.pack(sizes: sizes, capacity: capacity), bruteForce(sizes: sizes, capacity: capacity),
                           "trial \(trial): capacity \(capacity), sizes \(sizes)")
        }
    }

    func testPaperFigureExample() {
        // L = 8, documents 14, 7, 5, 2, 3 → pieces 8, 6, 7, 5, 2, 3 (SPECS §5).
        let chunks = BestFitPacking.chunks(lengths: [14, 7, 5, 2, 3], capacity: 8)
        XCTAssertEqual(chunks.map(\.length), [8, 6, 7, 5, 2, 3])
        let bins = BestFitPacking.pack(sizes: chunks.map(\.length), capacity: 8)
        XCTAssertEqual(bins.map { $0.map { chunks[$0].length }.reduce(0, +) }.sorted(), [7, 8, 8, 8])
    }

    func testEveryTokenOnceAndOnlyLongDocumentsCut() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let capacity = 16 + Int(rng.next() % 2048)
            let lengths = (0..<Int(rng.next() % 400)).map { _ in Int(rng.next() % UInt64(capacity * 3)) }
            let chunks = BestFitPacking.chunks(lengths: lengths, capacity: capacity)
            let bins = BestFitPacking.pack(sizes: chunks.map(\.length), capacity: capacity)
            // Every piece placed exactly once, no bin over capacity.
            XCTAssertEqual(bins.flatMap { $0 }.sorted(), Array(chunks.indices))
            for b in bins { XCTAssertLessThanOrEqual(b.reduce(0) { $0 + chunks[$1].length }, capacity) }
            // The pieces of each document tile it exactly; only documents longer than L have several.
            var covered = [Int](repeating: 0, count: lengths.count)
            var pieces = [Int](repeating: 0, count: lengths.count)
            for c in chunks { XCTAssertEqual(c.offset, covered[c.document]); covered[c.document] += c.length; pieces[c.document] += 1 }
            XCTAssertEqual(covered, lengths)
            for (d, n) in lengths.enumerated() { XCTAssertEqual(pieces[d], n == 0 ? 0 : (n + capacity - 1) / capacity) }
        }
    }
}

import XCTest
@testable import WinnowExtract

/// The prescan reads runs of text sixteen bytes at a time; its counts must be those of a
/// byte-by-byte reading wherever the special bytes fall inside a chunk.
final class PrescanTests: XCTestCase {
    /// Scalars, odd characters and NUL bytes of random pages (text, tags, quoted values, NULs,
    /// controls, DEL, multi-byte and odd characters at every offset) against a byte loop.
    func testWordAtATimeCountsEqualByteCounts() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            Array("plain text of a page ".utf8), Array("<p class=\"lead story\">".utf8), Array("</p>".utf8),
            Array("<a href='https://example.com/a?b=c&d=e'>".utf8), Array("<img alt=\"x > y\" src=z.png>".utf8),
            [0], [0x01], [0x09], [0x0A], [0x7F], [0xC2, 0x85], [0xC3, 0xA9], [0xE4, 0xB8, 0xAD], [0xEF, 0xBF, 0xBD],
            [0xEE, 0x80, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x80, 0x80, 0x80], Array("<".utf8), Array(">".utf8),
            Array("\"".utf8), Array("'".utf8), Array("=".utf8), Array(" ".utf8), Array("<div data-x=\"a\u{1}b\">".utf8),
        ]
        for _ in 0..<3000 {
            var page: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &rng) {
                let piece = pieces.randomElement(using: &rng)!
                // Pad with a random number of letters so special bytes land at every offset of a word.
                page += Array(repeating: 0x61, count: Int.random(in: 0...9, using: &rng)) + piece
            }
            let scan = page.withUnsafeBufferPointer { HTMLPrescan($0) }
            let ws: Set<UInt8> = [0x09, 0x0A, 0x0C, 0x0D]
            var scalars = 0, odd = 0
            page.withUnsafeBufferPointer { p in
                for (i, b) in p.enumerated() {
                    if b & 0xC0 != 0x80 { scalars += 1 }
                    if (b < 0x20 && !ws.contains(b)) || (b >= 0x7F && HTMLPrescan.isOdd(p, i)) { odd += 1 }
                }
            }
            XCTAssertEqual(scan.scalars, scalars, "\(page)")
            XCTAssertEqual(scan.oddScalars, odd, "\(page)")
            XCTAssertEqual(scan.nulBytes, page.filter { $0 == 0 }.count, "\(page)")
        }
    }

    /// Attributes beyond the limit are cut from the 101st on, whatever the quoted values hold
    /// and wherever they fall in a word.
    func testAttributeCutStartsAtTheFirstExcessAttribute() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let count = Int.random(in: 95...110, using: &rng)
            var tag = Array("<div".utf8)
            var excessAt = -1
            for k in 0..<count {
                tag += [0x20]
                if k == HTMLPrescan.maxAttributes { excessAt = tag.count }
                let value = String(repeating: "v", count: Int.random(in: 0...20, using: &rng)) + (Bool.random(using: &rng) ? " > " : "")
                tag += Array("a\(k)=\"\(value)\"".utf8)
            }
            tag += Array("><p>text</p>".utf8)
            let scan = tag.withUnsafeBufferPointer { HTMLPrescan($0) }
            XCTAssertEqual(scan.attributesDropped, max(0, count - HTMLPrescan.maxAttributes))
            XCTAssertEqual(scan.cuts.first?.lowerBound, excessAt >= 0 ? excessAt : nil)
        }
    }
}

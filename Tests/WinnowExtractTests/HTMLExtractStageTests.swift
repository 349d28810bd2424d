import XCTest
import WinnowCore
import WinnowText
@testable import WinnowExtract

/// The html_extract stage: binary input is a counted drop (`extract_binary`), not text; repairs are recorded.
final class HTMLExtractStageTests: XCTestCase {
    func stage() throws -> HTMLExtractStage {
        var p = try StageParameters(stageName: "html_extract", node: nil, path: "html_extract", mark: SourceMark(file: "t", line: 1, column: 1))
        return try HTMLExtractStage(&p)
    }

    func testBinaryIsDroppedWithAReason() throws {
        let s = try stage()
        var rng: UInt64 = 3
        let bytes = (0..<100_000).map { _ -> UInt8 in rng = rng &* 6364136223846793005 &+ 1; return UInt8(truncatingIfNeeded: rng >> 33) }
        // What charset_decode makes of random bytes: its sniffing takes them for UTF-16.
        let text = bytes.withUnsafeBufferPointer { Charset.decode($0, charset: Charset.decide($0).charset)!.0 }
        var doc = Document(id: "bin", text: text)
        XCTAssertEqual(s.apply(&doc), .drop("extract_binary"))

        var page = Document(id: "nul", text: "<p>A first paragraph with enough words to be the content of this page.</p>\u{0}<p>And a second one after a NUL byte, kept as well.</p>")
        XCTAssertEqual(s.apply(&page), .keep)
        XCTAssertTrue(page.text.contains("second one after a NUL byte"), page.text)
        XCTAssertEqual(page.metadata["nul_bytes_removed"]?.intValue, 1)
    }
}

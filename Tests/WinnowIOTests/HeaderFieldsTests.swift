import XCTest
@testable import WinnowIO

final class HeaderFieldsTests: XCTestCase {
    func testLookupIsASCIICaseInsensitiveOnly() {
        let h = HeaderFields([("content-TYPE", "text/html; charset=GBK"), ("X@Y", "1")])
        XCTAssertEqual(h["Content-Type"], "text/html; charset=GBK")
        XCTAssertNil(h["Content_Type"])
        XCTAssertNil(h["x`y"])  // '@' and '`' differ only in bit 0x20 but are not letters
        XCTAssertEqual(h["x@y"], "1")
        XCTAssertEqual(charsetOf(h["content-type"]!), "gbk")
    }
}

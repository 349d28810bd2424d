import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowFilters

/// Email and public-IP replacement gives datatrove's PIIFormatter output (expected strings
/// produced by datatrove 0.10.1), including its regex quirks: octets matched inside longer numbers,
/// leading zeros not parsed as addresses, private ranges kept, replacements used in turn.
final class PIITests: XCTestCase {
    func testMatchesDatatrove() throws {
        let s = try makeStage(PIIFormatter.init)
        let cases: [(String, String)] = [
            ("mail john.doe@example.co.uk or a..b@c.com, x@[10.0.0.1] and me@b-.com; #tag@host.org", "mail email@example.com or a..firstname.lastname@example.org, email@example.com and me@b-.com; #firstname.lastname@example.org"),
            ("servers 8.8.8.8, 10.1.2.3, 1234.1.1.1, 1.2.3.456, 01.2.3.4 and 192.168.0.1:80", "servers 22.214.171.124, 10.1.2.3, 1126.96.36.199, 188.8.131.526, 01.2.3.4 and 192.168.0.1:80"),
            ("ünï@exämple.com a_b@c.io (test@test.test).", "ünï@exämple.com email@example.com (firstname.lastname@example.org)."),
        ]
        for (input, expected) in cases {
            var d = Document(id: "x", text: input)
            XCTAssertEqual(s.apply(&d), .keep)
            XCTAssertEqual(d.text, expected)
        }
    }

    /// `preset: fineweb-2024`: datatrove 0.2.0's lowercase-only email expression (expected string
    /// from datatrove 0.2.0).
    func testFineWeb2024LowercaseEmails() throws {
        let old = try makeStage(PIIFormatter.init, [("preset", "fineweb-2024")])
        let text = "Write to John.Doe@Example.com or jane@example.com, Admin@HOST.ORG and x@y.Io today."
        var d = Document(id: "x", text: text)
        _ = old.apply(&d)
        XCTAssertEqual(d.text, "Write to John.Doe@Example.com or email@example.com, Admin@HOST.ORG and x@y.Io today.")
        var e = Document(id: "x", text: text)
        _ = try makeStage(PIIFormatter.init).apply(&e)
        XCTAssertFalse(e.text.contains("Example.com"))
    }
}

import XCTest
import WinnowText
@testable import WinnowExtract

/// Issue 15, finding 4: input that made extraction lose text silently, or take quadratic time.
final class LostTextTests: XCTestCase {
    let first = "First paragraph of the article, long enough to be content, with several words and a comma."
    let second = "Second paragraph, after the NUL byte, also long enough to count as content on its own."

    /// libxml2 reads a NUL byte as the end of the input: it is removed, and the rest of the page kept.
    func testNulByteBetweenElementsKeepsTheRest() {
        for sep in ["\u{0}", "\n\u{0}\u{0}\n", "<b>\u{0}</b>"] {
            let r = HTMLExtractor().extract("<html><body><p>\(first)</p>\(sep)<p>\(second)</p></body></html>")
            XCTAssertTrue(r.text.contains(first), r.text)
            XCTAssertTrue(r.text.contains(second), "text after the NUL byte: \(r.text)")
            XCTAssertEqual(r.nulBytesRemoved, sep.utf8.filter { $0 == 0 }.count)
        }
        let inWord = HTMLExtractor(mode: .full).extract("<p>ab\u{0}cd</p>")
        XCTAssertEqual(inWord.text, "abcd")
    }

    /// An `<svg>` or `<math>` left open ends, as HTML5 ends foreign content, at the next `<div>`,
    /// `<p>` and the like: libxml2 kept it open to the end of its parent, and the walk, skipping it,
    /// lost the rest of the page (`HTMLPrescan.foreignContentEnd`).
    func testAnUnclosedSVGOrMathEndsWhereABrowserEndsIt() {
        for (open, math) in [("<svg viewBox=\"0 0 1 1\"><path d=\"M0\">", true), ("<math><mi>x</mi>", false), ("<svg><g><text>icon", true)] {
            let page = "<html><body><div><p>\(first)</p><div>Icon \(open)<div>\(second)</div><p>\(first) Again.</p></div></div></body></html>"
            let r = HTMLExtractor(math: math).extract(page)
            XCTAssertTrue(r.text.contains(second) && r.text.contains("\(first) Again."), "\(open): \(r.text)")
        }
    }

    /// Text under any number of unclosed inline or block elements is kept (a fixed depth limit dropped it).
    func testDeeplyNestedTextIsKept() {
        for (open, n) in [("<font>", 1_000), ("<div>", 3_000), ("<div><p><font>", 2_000), ("<span>", 20_000)] {
            let page = "<html><body>" + String(repeating: open, count: n) + "<p>\(first)</p><p>\(second)</p></body></html>"
            let main = HTMLExtractor().extract(page).text
            XCTAssertTrue(main.contains(first) && main.contains(second), "\(open) x \(n): \(main.prefix(200))")
            XCTAssertTrue(HTMLExtractor(mode: .full).extract(page).text.contains(second), "\(open) x \(n), full mode")
        }
    }

    /// Text at every level of a deep nest: all of it comes out, in order.
    func testTextAtEveryLevelOfADeepNest() {
        var page = "<html><body>"
        for k in 0..<2_000 { page += "<div>Level \(k) holds a sentence long enough to be a paragraph of real content, with a comma." }
        let text = HTMLExtractor().extract(page).text
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 2_000)
        XCTAssertTrue(lines.last?.hasPrefix("Level 1999 ") ?? false)
    }

    /// One element with 200,000 attributes: the excess beyond `maxAttributes` is cut before
    /// parsing (libxml2's duplicate-attribute check is quadratic), and the page's text is kept.
    func testManyAttributesAreCutAndTextKept() {
        let n = 200_000
        var attrs = ""
        attrs.reserveCapacity(n * 12)
        for k in 0..<n { attrs += " a\(k)=\"v>\(k)\"" }  // a quoted '>' does not end the tag
        let page = "<html><body><div\(attrs)><p>\(first)</p></div><p>\(second)</p></body></html>"
        let r = HTMLExtractor().extract(page)
        XCTAssertEqual(r.attributesDropped, n - HTMLPrescan.maxAttributes)
        XCTAssertTrue(r.text.contains(first) && r.text.contains(second), r.text)
        XCTAssertFalse(r.text.contains("v>"), "attribute values are not text")
        // Attributes within the limit still count; those beyond it are not seen.
        let hiddenEarly = "<div hidden" + String(repeating: " x", count: 500) + "><p>\(first)</p></div><p>\(second)</p>"
        XCTAssertFalse(HTMLExtractor().extract(hiddenEarly).text.contains(first))
        let scan = Array(("<div" + String(repeating: " x=1", count: 150) + " class='a'>").utf8).withUnsafeBufferPointer { HTMLPrescan($0) }
        XCTAssertEqual(scan.attributesDropped, 51)
        XCTAssertEqual(scan.cuts.count, 1)
        XCTAssertEqual(Array(("<p class=x>" + first + "</p>").utf8).withUnsafeBufferPointer { HTMLPrescan($0) }.cuts.count, 0)
    }

    /// Random bytes are not text, whatever charset decoded them (charset sniffing takes them
    /// for UTF-16): no text comes out, `binary` says why. Real pages with a few odd characters
    /// (icon-font glyphs, a stray control character) are not binary.
    func testBinaryInputIsRecognised() {
        var rng: UInt64 = 42
        let bytes = (0..<300_000).map { _ -> UInt8 in rng = rng &* 6364136223846793005 &+ 1442695040888963407; return UInt8(truncatingIfNeeded: rng >> 33) }
        for charset in ["UTF-8", "UTF-16BE", "UTF-16LE", "windows-1252", "GB18030", "Shift_JIS"] {
            guard let (s, _) = bytes.withUnsafeBufferPointer({ Charset.decode($0, charset: charset) }) else { XCTFail(charset); continue }
            let r = HTMLExtractor().extract(s)
            XCTAssertTrue(r.binary, charset)
            XCTAssertEqual(r.text, "", charset)
        }
        let icons = "<html><body>" + String(repeating: "<p><i>\u{F099}</i> \(first)\u{1} \(second)</p>", count: 50) + "</body></html>"
        let r = HTMLExtractor().extract(icons)
        XCTAssertFalse(r.binary)
        XCTAssertTrue(r.text.contains(second))
    }
}

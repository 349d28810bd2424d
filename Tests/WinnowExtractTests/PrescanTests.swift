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
            Array("<![if !supportLists]>".utf8), Array("<![endif]>".utf8), Array("<!".utf8),
            Array("&".utf8), Array("&#146;".utf8), Array("&copy 2".utf8), Array("&amp;".utf8), Array("&#x".utf8),
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
    /// and wherever they fall in a word (the ones before it are unread, and cut one by one).
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
            if excessAt >= 0 { XCTAssertEqual(scan.cuts.last?.lowerBound, excessAt) }
            XCTAssertTrue(zip(scan.cuts, scan.cuts.dropFirst()).allSatisfy { $0.upperBound <= $1.lowerBound }, "ordered, disjoint")
            let cleaned = tag.withUnsafeBufferPointer { scan.cleaned($0) }
            // (The excess cut starts at the 101st name: the blank before it stays.)
            XCTAssertEqual(String(decoding: cleaned, as: UTF8.self), excessAt >= 0 ? "<div ><p>text</p>" : "<div><p>text</p>")
        }
    }
}

/// Elements the walk skips whole lose their content before parsing, so one left unbalanced
/// inside (`<noscript><div></noscript>`) cannot keep them open over the rest of the page.
final class SkippedElementContentTests: XCTestCase {
    let story = "A long paragraph of the story that comes after the element, with enough words in it to count as the page's content."

    func testUnbalancedSkippedElementsNoLongerSwallowThePage() {
        for (open, close) in [("<noscript>", "</noscript>"), ("<NOSCRIPT>", "</NoScript>"), ("<button type=button>", "</button>"),
                              ("<template>", "</template>"), ("<select name=s>", "</select>"), ("<object data=x>", "</object>")] {
            let page = "<html><body>\(open)<div id=left>\n\(close)\n<p>\(story)</p><p>\(story) Twice.</p></body></html>"
            let text = HTMLExtractor().extract(page).text
            XCTAssertTrue(text.contains("Twice."), "\(open): \(text)")
        }
    }

    func testCutsLeaveScriptsCommentsAndSelfClosingTagsAlone() {
        func cuts(_ s: String) -> [String] {
            let b = Array(s.utf8)
            return b.withUnsafeBufferPointer { p in HTMLPrescan(p).cuts.map { String(decoding: b[$0], as: UTF8.self) } }
        }
        XCTAssertEqual(cuts("<p>a</p><noscript><img src=x></noscript><p>b</p>"), ["<img src=x>"])
        // Nested same-named elements: the outer one's end tag closes the cut.
        XCTAssertEqual(cuts("<svg><g><svg><path/></svg></g></svg><p>text</p>"), ["<g><svg><path/></svg></g>"])
        // Not a start inside a script, a style or a comment; a self-closing tag has no content.
        XCTAssertEqual(cuts("<script>var s = '<noscript>';</script><p>text</p></noscript>"), [])
        XCTAssertEqual(cuts("<style>/* <button> */</style><p>text</p></button>"), [])
        XCTAssertEqual(cuts("<!-- <select> --><p>text</p></select>"), [])
        XCTAssertEqual(cuts("<textarea><button></textarea><p>text</p></button>"), [])
        XCTAssertEqual(cuts("<title>Buy <object> now</title><p>text</p></object>"), [])
        XCTAssertEqual(cuts("<svg class=icon /><p>text</p></svg>"), [])
        // No end tag: nothing is cut (libxml2 keeps it open, as before).
        XCTAssertEqual(cuts("<button><p>text</p>"), [])
        // Custom elements that start like one of the names are not it.
        XCTAssertEqual(cuts("<button-group><p>text</p></button-group></button>"), [])
    }

    /// `<!` without `--` or DOCTYPE is a bogus comment to the first `>`, as browsers read it:
    /// Word's `<![if !supportLists]>` … `<![endif]>` around a list number is not text.
    func testBogusCommentsAreCut() {
        func cuts(_ s: String) -> [String] {
            let b = Array(s.utf8)
            return b.withUnsafeBufferPointer { p in HTMLPrescan(p).cuts.map { String(decoding: b[$0], as: UTF8.self) } }
        }
        XCTAssertEqual(cuts("<p><![if !supportLists]>8.0 <![endif]>The Secretary shall:</p>"), ["<![if !supportLists]>", "<![endif]>"])
        XCTAssertEqual(cuts("<p>a <![CDATA[ x > y ]]> b</p>"), ["<![CDATA[ x >"])
        XCTAssertEqual(cuts("<!DOCTYPE html><!doctype html><!-- <![if x]> --><p>a</p>"), [])
        XCTAssertEqual(cuts("<script>if (a <!b) {}</script><p>a</p>"), [])
        let page = "<html><body><div><p>" + story + "</p><p><![if !supportLists]>8.0 <![endif]>The Treasurer shall keep the accounts of the society and report on them at every general meeting.</p></div></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("8.0 The Treasurer shall keep"), text)
        XCTAssertFalse(text.contains("<!["), text)
    }

    /// Thousands of unclosed skipped elements: every search for an end tag fails, and the
    /// searches together stop after reading four times the page (no quadratic time).
    func testUnclosedSkippedElementsStayLinear() {
        let page = String(repeating: "<button>x ", count: 50_000) + "<p>\(story)</p>"
        let b = Array(page.utf8)
        let scan = b.withUnsafeBufferPointer { HTMLPrescan($0) }
        XCTAssertEqual(scan.cuts, [])
        XCTAssertEqual(scan.scalars, page.unicodeScalars.count)
    }
}

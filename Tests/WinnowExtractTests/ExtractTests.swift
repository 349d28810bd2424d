import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowText
@testable import WinnowExtract

final class ExtractTests: XCTestCase {
    static let data = TestPaths.sharedData

    func gunzip(_ path: String) -> [UInt8] {
        let p = popen("gzip -dc '\(path)'", "r")!
        defer { pclose(p) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true { let n = fread(&buf, 1, buf.count, p); if n <= 0 { break }; out += buf[0..<n] }
        return out
    }

    func html(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { b in Charset.decode(b, charset: Charset.decide(b).charset)!.0 }
    }

    /// A real news article (ScrapingHub benchmark): the body is kept, the navigation is not.
    func testRealArticleMainText() {
        let page = html(gunzip(Self.data + "/extraction-dev/scrapinghub-dev/html/359fee228518d55b921194561e9ca88e428df81940246f8fac7a75398377daea.html.gz"))
        let r = HTMLExtractor().extract(page)
        XCTAssertTrue(r.text.contains("Scientists on Monday unveiled the first global geological map of Saturn"), r.text)
        XCTAssertTrue(r.text.contains("Titan is the only Solar System object other than Earth"))
        XCTAssertFalse(r.text.contains("Trending Latest Sections"), "navigation dropped")
        XCTAssertEqual(r.language, "en-gb")
        XCTAssertTrue(r.title?.contains("Titan") ?? false)
        let full = HTMLExtractor(mode: .full).extract(page).text
        XCTAssertTrue(full.contains("Trending Latest Sections"), "full mode keeps every visible block")
        XCTAssertGreaterThan(full.count, r.text.count)
    }

    /// A page whose only text is short is its own content (readability's test pages
    /// `lazy-image-3`, `005-unescape-html-entities`); a page of navigation or links only is still empty.
    func testShortPagesKeepTheirText() {
        let page = html(gunzip(Self.data + "/extraction-dev/mozilla-readability-testpages/lazy-image-3/source.html.gz"))
        XCTAssertEqual(HTMLExtractor().extract(page).text, "Test Case 1\nTest Case 2")
        let entities = html(gunzip(Self.data + "/extraction-dev/mozilla-readability-testpages/005-unescape-html-entities/source.html.gz"))
        XCTAssertFalse(HTMLExtractor().extract(entities).text.isEmpty)
        XCTAssertEqual(HTMLExtractor().extract("<html><body><nav><a href=/a>Home</a> <a href=/b>About</a></nav><div class=footer>© 2024</div></body></html>").text, "")
        XCTAssertEqual(HTMLExtractor().extract("<html><body><ul><li><a href=/a>One link</a></li><li><a href=/b>Another link</a></li></ul></body></html>").text, "")
        // Text inside a javascript: link is text, not a link to another page (readability's
        // `js-link-replacement`); the same inside a real link stays a link list.
        let script = html(gunzip(Self.data + "/extraction-dev/mozilla-readability-testpages/js-link-replacement/source.html.gz"))
        XCTAssertEqual(HTMLExtractor().extract(script).text, "abc\ndef\nghi")
        XCTAssertEqual(HTMLExtractor().extract("<html><body><a href=' JavaScript:void(0)'><p>abc</p><p>def</p></a></body></html>").text, "abc\ndef")
        XCTAssertEqual(HTMLExtractor().extract("<html><body><a href='/javascript:'><p>abc</p><p>def</p></a></body></html>").text, "")
    }

    /// A Chinese news page (GNE test set): CJK text is measured in characters, so its
    /// paragraphs count as content although they contain no spaces.
    func testChineseNewsPage() throws {
        let dir = Self.data + "/html/zh-news-gne"
        let names = try TestFiles.list(dir).filter { $0.hasSuffix(".html") }
        XCTAssertFalse(names.isEmpty)
        var withText = 0
        for name in names.prefix(20) {
            let bytes = readAll(dir + "/" + name)
            let r = HTMLExtractor().extract(html(bytes))
            let han = r.text.unicodeScalars.filter { ChineseText.isHan($0) }.count
            if han > 100 { withText += 1 }
            XCTAssertFalse(r.text.contains("<script"), name)
        }
        XCTAssertGreaterThanOrEqual(withText, 15, "most Chinese news pages yield their article text")
    }

    func testHostileInputsFinishInBoundedTime() {
        let t0 = monotonicNanos()
        // 100,000 nested elements.
        let deep = String(repeating: "<div>", count: 100_000) + "deep text that is long enough to be a paragraph of content, with punctuation." + String(repeating: "</div>", count: 100_000)
        _ = HTMLExtractor().extract(deep)
        // 50 MB of markup.
        let para = "<p>" + String(repeating: "A long sentence of real words, repeated to make a very large page. ", count: 20) + "</p>\n"
        let huge = String(repeating: para, count: 50_000_000 / para.utf8.count)
        XCTAssertGreaterThan(huge.utf8.count, 45_000_000)
        let r = HTMLExtractor().extract(huge)
        XCTAssertGreaterThan(r.text.utf8.count, 10_000_000)
        // Binary garbage and a truncated page.
        var rng: UInt64 = 7
        let garbage = String(decoding: (0..<1_000_000).map { _ -> UInt8 in rng = rng &* 6364136223846793005 &+ 1; return UInt8(truncatingIfNeeded: rng >> 33) }, as: UTF8.self)
        XCTAssertTrue(HTMLExtractor().extract(garbage).binary)
        _ = HTMLExtractor().extract("<html><body><p>Cut off in the mid")
        _ = HTMLExtractor().extract("")
        XCTAssertLessThan(Double(monotonicNanos() - t0) / 1e9, 120, "bounded time even in a debug build")
    }

    func readAll(_ path: String) -> [UInt8] {
        let f = fopen(path, "rb")!
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true { let n = fread(&buf, 1, buf.count, f); if n <= 0 { break }; out += buf[0..<n] }
        return out
    }
}

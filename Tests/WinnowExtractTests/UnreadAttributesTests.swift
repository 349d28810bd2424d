import XCTest
@testable import WinnowExtract

/// The prescan cuts the attributes the walk never reads; the parser must then read the same
/// elements, the same read attributes and the same text as from the whole page.
final class UnreadAttributesTests: XCTestCase {
    func cleaned(_ html: String) -> String {
        let bytes = Array(html.utf8)
        let scan = bytes.withUnsafeBufferPointer { HTMLPrescan($0) }
        return String(decoding: bytes.withUnsafeBufferPointer { scan.cleaned($0) }, as: UTF8.self)
    }

    func testUnreadAttributesGoAndReadOnesStay() {
        XCTAssertEqual(cleaned("<p data-x=\"1\" CLASS=\"a\" onclick='f(\"q\")' hidden id=b title=\"x > y\" style=\"display:none\">t</p>"),
                       "<p CLASS=\"a\" hidden id=b style=\"display:none\">t</p>")
        XCTAssertEqual(cleaned("<a aria-hidden=true href=\"/x\" name=n target=_blank rel = 'nofollow'>t</a>"), "<a aria-hidden=true href=\"\" name=n>t</a>")
        XCTAssertEqual(cleaned("<a href=' JavaScript:go()'>a</a><a HREF=\"&#106;avascript:go()\">b</a><a href=/x?a=1>c</a>"),
                       "<a href=' JavaScript:go()'>a</a><a HREF=\"&#106;avascript:go()\">b</a><a href=/x?a=1>c</a>",
                       "a script URL, a value with a character reference and an unquoted one keep their value")
        XCTAssertEqual(cleaned("<meta charset=utf-8 data-x=1><meta http-equiv=\"Content-Type\" content=\"text/html\"/>"),
                       "<meta charset=utf-8><meta http-equiv=\"Content-Type\" content=\"text/html\"/>")
        XCTAssertEqual(cleaned("<img src=a.png/><p>t</p>"), "<img><p>t</p>", "an unquoted value runs to the `>`: its `/` with it")
    }

    /// The next name straight after a value keeps the blanks before the cut one: `<a  title=""href=…>`
    /// must not become `<ahref=…>`, a different element.
    func testBlanksStayWhenTheNextNameFollowsStraightOn() {
        XCTAssertEqual(cleaned("<a  title=\"\"href=\"x\">t</a>"), "<a  href=\"\">t</a>")
        XCTAssertEqual(cleaned("<a class=\"c\"data-x=\"1\"href=\"x\">t</a>"), "<a class=\"c\"href=\"\">t</a>")
    }

    /// What libxml2 reads its own way (a bogus attribute, a form feed, a `>` it ends the tag
    /// at, a NUL it never sees, an unclosed quote) stops the cutting: what comes after stays.
    func testCuttingStopsAtWhatLibxml2ReadsItsOwnWay() {
        XCTAssertEqual(cleaned("<div data-a=1 \"x\" data-b=2 class=c>t</div>"), "<div \"x\" data-b=2 class=c>t</div>")
        XCTAssertEqual(cleaned("<div data-a=\u{0C}\"v>x\" class=c>t</div>"), "<div data-a=\u{0C}\"v>x\" class=c>t</div>")
        XCTAssertEqual(cleaned("<div data-a=1 / data-b=2>t</div>"), "<div / data-b=2>t</div>")
        XCTAssertEqual(cleaned("<div data\u{0}-x=\"1\" class=c>t</div>"), "<div data-x=\"1\" class=c>t</div>", "only the NUL goes")
        XCTAssertEqual(cleaned("<div data-a=\"1>t</div>"), "<div data-a=\"1>t</div>")
    }

    /// Inside a script (and a style, a comment) a `<` and a letter start no tag: its "attributes"
    /// are code. Cutting them could take the `</script>` too, and the parser then read the
    /// rest of the head as script: the page's title was lost (8 of 2,444 pages of the shared data).
    func testScriptContentIsNeverCut() {
        let code = "for(var i=0;i<n " + (0..<150).map { "a\($0)=b" }.joined(separator: " ") + " x;i++){}"
        let page = "<html><head><script>\(code)</script><title>Kept</title></head><body><!-- <p data-x=1> --><p>Body text.</p></body></html>"
        XCTAssertEqual(cleaned(page), page)
        let r = HTMLExtractor().extract(page)
        XCTAssertEqual(r.title, "Kept")
        XCTAssertEqual(r.attributesDropped, 0)
    }

    /// Random pages whose tags carry read and unread attributes in every syntax (quoted either
    /// way, unquoted, bare, spaced `=`, glued after a quote): the walk sees the page as it sees
    /// the same page written without the unread ones.
    func testCutPagesReadAsPagesWithoutThoseAttributes() {
        var rng = SystemRandomNumberGenerator()
        let read = ["class=\"nav\"", "class='content main'", "id=sidebar", "id=\"post-body\"", "role=navigation", "hidden", "href=\"/a\"",
                    "href='javascript:void(0)'", "href=\" &#x6A;avascript:x\"", "href='https://a.example/?q=<b>'", "style=\"display: none\"", "aria-hidden=\"true\"", "name=top", "itemprop=articleBody"]
        let unread = ["data-x=\"1 > 2\"", "title=''", "title=\"a 'q' b\"", "src=x.png", "onclick=\"f('<p>')\"", "alt = \"x\"", "srcset='a 1x, b 2x'",
                      "target=_blank", "disabled", "data-json='{\"a\":\"<b>\"}'", "width=100%"]
        let tags = ["div", "p", "a", "span", "li", "ul", "h2", "section", "article", "td", "tr", "table", "br", "img", "b"]
        let words = ["Lorem", "news", "of", "the", "day", "and", "more", "text", "here."]
        for _ in 0..<400 {
            var whole = "<html><body>", without = "<html><body>"
            var open: [String] = []
            for _ in 0..<Int.random(in: 5...40, using: &rng) {
                if !open.isEmpty && Int.random(in: 0..<4, using: &rng) == 0 {
                    let t = open.removeLast()
                    whole += "</\(t)>"; without += "</\(t)>"
                    continue
                }
                let t = tags.randomElement(using: &rng)!
                var a = "<\(t)", b = "<\(t)"
                for _ in 0..<Int.random(in: 0...4, using: &rng) {
                    // Glued straight after a quoted value, or spaced (the version without glues it only
                    // where it follows the same quoted value).
                    let sep = a.hasSuffix("\"") && Bool.random(using: &rng) ? "" : " "
                    let sepWithout = sep.isEmpty && b.hasSuffix("\"") ? "" : " "
                    if Bool.random(using: &rng) { let x = read.randomElement(using: &rng)!; a += sep + x; b += sepWithout + x }
                    else { a += " " + unread.randomElement(using: &rng)! }
                }
                a += ">"; b += ">"
                let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in words.randomElement(using: &rng)! }.joined(separator: " ")
                whole += a + text; without += b + text
                if t != "br" && t != "img" { open.append(t) }
            }
            whole += "</body></html>"; without += "</body></html>"
            for e in [HTMLExtractor(), HTMLExtractor(mode: .full)] {
                XCTAssertEqual(e.explain(whole), e.explain(without), whole)
                XCTAssertEqual(e.extract(whole).text, e.extract(without).text, whole)
            }
        }
    }
}

import XCTest
@testable import WinnowExtract

/// `<pre>` keeps its spaces, tabs and line breaks in the output (code keeps its lines and
/// indentation, as browsers, trafilatura and resiliparse keep them); the rules read the same
/// folded text as before, so which blocks are kept does not change.
final class PreformattedTextTests: XCTestCase {
    let intro = "<p>Here is the small function we wrote for this post, with enough words in the paragraph to be content.</p>"
    let outro = "<p>And a closing paragraph of the same article, which also has enough words to count as content text.</p>"

    func testCodeKeepsItsLinesAndIndentation() {
        let page = "<html><body><article>" + intro + "<pre><code>def f(x):\n    if x:\n        return x + 1\n\nprint(f(2))</code></pre>" + outro + "</article></body></html>"
        let text = HTMLExtractor().extract(page).text
        XCTAssertTrue(text.contains("def f(x):\n    if x:\n        return x + 1\n\nprint(f(2))"), text)
    }

    /// Blank lines before the first character go (HTML5 drops the line break after `<pre>`); CR LF
    /// and CR are LF; tabs stay; lines lose trailing spaces, the block its trailing blank lines;
    /// a no-break space is a space; a `<br>` is a line break; inline markup stays inline.
    func testWhitespaceRules() {
        let page = "<html><body><pre>\n  \n  first\r\n\tsecond &amp; <b>bold</b>   \rthird&nbsp;x<br>fourth\n\n</pre></body></html>"
        XCTAssertEqual(HTMLExtractor(mode: .full).extract(page).text, "  first\n\tsecond & bold\nthird x\nfourth")
    }

    /// The same page with `<div>` for `<pre>` keeps the same words: only the whitespace differs.
    func testKeptBlocksDoNotDependOnTheFormatting() {
        let code = "<code>for i in range(10):\n        total += weights[i] * values[i]   # the running sum of every weighted value\n        print(i, total)</code>"
        for wrap in [("<pre>", "</pre>"), ("<pre class=\"sidebar\">", "</pre>")] {  // (kept, and dropped as boilerplate)
            let pre = "<html><body><div>" + intro + wrap.0 + code + wrap.1 + outro + "</div></body></html>"
            let div = pre.replacingOccurrences(of: "<pre", with: "<div").replacingOccurrences(of: "</pre>", with: "</div>")
            let words = { (s: String) in s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) }
            XCTAssertEqual(words(HTMLExtractor().extract(pre).text), words(HTMLExtractor().extract(div).text), wrap.0)
        }
    }
}

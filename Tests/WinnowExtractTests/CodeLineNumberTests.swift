import XCTest
@testable import WinnowExtract

/// A code listing's line-number column (Pygments, Rouge, SyntaxHighlighter, highlight.js) came
/// out as lines "1", "2", "3" above the code: no part of it, and no ground truth has them
/// (WebMainBench writes code as a fenced block). It is a page control now, skipped like
/// screen-reader text (`ElementNames.namesInvisible`); the code stays.
final class CodeLineNumberTests: XCTestCase {
    static let prose = "<p>Every scientist knows the famous relation between energy and mass that Einstein found in 1905, and it is taught in every school.</p>"
        + "<p>The function below reads a file and counts the words in it, which is a common first exercise in many programming courses today.</p>"
    static let code = ["def count(path):", "    with open(path) as f:", "        return len(f.read().split())"]

    func text(_ listing: String) -> [String] {
        HTMLExtractor().extract("<html><body>\(TestPages.menu)<article>\(Self.prose)\(listing)\(Self.prose)</article>\(TestPages.footer)</body></html>")
            .text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func assertCodeWithoutNumbers(_ listing: String, file: StaticString = #filePath, line: UInt = #line) {
        let out = text(listing)
        let code = Self.code
        guard let first = out.firstIndex(of: code[0]) else { return XCTFail("no code in:\n\(out.joined(separator: "\n"))", file: file, line: line) }
        XCTAssertEqual(Array(out[first..<min(out.count, first + 3)]), code, file: file, line: line)
        XCTAssertFalse(out.contains { ["1", "2", "3", "1 2 3"].contains($0.trimmingCharacters(in: .whitespaces)) },
                       "line numbers kept:\n\(out.joined(separator: "\n"))", file: file, line: line)
    }

    func testPygmentsTable() {
        let numbers = (1...3).map { "<span class=\"normal\">\($0)</span>" }.joined(separator: "\n")
        assertCodeWithoutNumbers("<table class=\"highlighttable\"><tr><td class=\"linenos\"><div class=\"linenodiv\"><pre>\(numbers)</pre></div></td>"
            + "<td class=\"code\"><div class=\"highlight\"><pre><span></span>\(Self.code.joined(separator: "\n"))\n</pre></div></td></tr></table>")
    }

    func testPygmentsInlineNumbers() {
        let lines = Self.code.enumerated().map { "<span class=\"linenos\">\($0.offset + 1)</span>\($0.element)" }
        assertCodeWithoutNumbers("<div class=\"highlight\"><pre><span></span>\(lines.joined(separator: "\n"))\n</pre></div>")
    }

    func testRougeGutter() {
        assertCodeWithoutNumbers("<figure class=\"highlight\"><pre><code class=\"language-python\"><table class=\"rouge-table\"><tbody><tr>"
            + "<td class=\"gutter gl\"><pre class=\"lineno\">1\n2\n3\n</pre></td><td class=\"code\"><pre>\(Self.code.joined(separator: "\n"))\n</pre></td>"
            + "</tr></tbody></table></code></pre></figure>")
        assertCodeWithoutNumbers("<table class=\"rouge-table\"><tr><td class=\"rouge-gutter gl\"><pre class=\"lineno\">1\n2\n3</pre></td>"
            + "<td class=\"rouge-code\"><pre>\(Self.code.joined(separator: "\n"))</pre></td></tr></table>")
    }

    func testSyntaxHighlighterGutter() {
        // Its code column indents with runs of &nbsp; in a <code> of their own: kept (`Walker.codeDepth`).
        let gutter = (1...3).map { "<div class=\"line number\($0) index\($0 - 1) alt2\">\($0)</div>" }.joined()
        let lines = Self.code.enumerated().map { k, line -> String in
            let indent = line.prefix(while: { $0 == " " }).count
            return "<div class=\"line number\(k + 1) index\(k) alt2\">"
                + (indent > 0 ? "<code class=\"python spaces\">\(String(repeating: "&nbsp;", count: indent))</code>" : "")
                + "<code class=\"python plain\">\(line.dropFirst(indent))</code></div>"
        }
        assertCodeWithoutNumbers("<div class=\"syntaxhighlighter python\"><table border=\"0\" cellpadding=\"0\" cellspacing=\"0\"><tbody><tr>"
            + "<td class=\"gutter\">\(gutter)</td><td class=\"code\"><div class=\"container\">\(lines.joined())</div></td></tr></tbody></table></div>")
    }

    func testNoBreakSpacesIndentCodeOnlyAtALineStart() {
        // A snippet written by hand: <br> lines, "&nbsp; &nbsp;" indentation; inside prose they fold as before.
        let snippet = "<p><code>def count(path):<br>&nbsp; &nbsp; with open(path) as f:<br>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;return "
            + "len(f.read().split())</code></p>"
        assertCodeWithoutNumbers(snippet)
        let prose = text("<p>Call&nbsp;&nbsp;&nbsp;<code>count(path)&nbsp;&nbsp;&nbsp;</code>&nbsp;&nbsp;to count the words of a file, as the examples in the first chapter do.</p>")
        XCTAssertTrue(prose.contains("Call count(path) to count the words of a file, as the examples in the first chapter do."), prose.joined(separator: "\n"))
    }

    func testHighlightJSLineNumbers() {
        let rows = Self.code.enumerated().map { k, c in
            "<tr><td class=\"hljs-ln-line hljs-ln-numbers\" data-line-number=\"\(k + 1)\"><div class=\"hljs-ln-n\">\(k + 1)</div></td>"
                + "<td class=\"hljs-ln-line hljs-ln-code\">\(c)</td></tr>"
        }
        assertCodeWithoutNumbers("<pre><code class=\"hljs python\"><table class=\"hljs-ln\"><tbody>\(rows.joined())</tbody></table></code></pre>")
    }

    func testPrismLineNumbersClassIsTheCodeItself() {
        assertCodeWithoutNumbers("<pre class=\"line-numbers language-python\"><code class=\"language-python\">\(Self.code.joined(separator: "\n"))"
            + "<span aria-hidden=\"true\" class=\"line-numbers-rows\"><span></span><span></span><span></span></span></code></pre>")
    }
}

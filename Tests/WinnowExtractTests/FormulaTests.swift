import XCTest
import WinnowCore
import WinnowTestSupport
@testable import WinnowExtract

/// Formulas come out as TeX (`Formulas`, `MathMLToTeX`): `$…$` in the line, `$$…$$` on a line
/// of its own, once each, from the markup real pages use: KaTeX, MediaWiki, MathJax 2 and 3,
/// kramdown's `math/tex` scripts, WordPress's formula images. Before, `<math>` was skipped
/// whole and a formula's sentence read "If the conjugate transpose of a matrix is denoted by , then…".
/// The TeX `MathMLToTeX` makes of a MathML fragment.
func tex(_ mml: String) -> String {
    let b = Array(mml.utf8)
    return b.withUnsafeBufferPointer { MathMLToTeX($0, 0..<b.count).tex }
}

final class FormulaTests: XCTestCase {
    static let after = ", which Einstein found in 1905 and which every school teaches today to pupils of fourteen or fifteen."
    static let closing = "<p>Every scientist knows the famous relation between energy and mass that Einstein found in 1905, and it is taught in every school.</p>"

    func text(_ body: String, math: Bool = true) -> String {
        HTMLExtractor(math: math).extract("<html><body>\(TestPages.menu)<article>\(body)\(Self.closing)</article>\(TestPages.footer)</body></html>").text
    }

    func lines(_ body: String) -> [String] { text(body).split(separator: "\n").map(String.init) }

    func testKaTeXGivesItsAnnotationOnceAndDisplayMathOnALineOfItsOwn() {
        let inline = "<p>The energy of a body at rest is <span class=\"katex\"><span class=\"katex-mathml\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\">"
            + "<semantics><mrow><mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup></mrow>"
            + "<annotation encoding=\"application/x-tex\">E = mc^2</annotation></semantics></math></span>"
            + "<span class=\"katex-html\" aria-hidden=\"true\"><span class=\"mord mathnormal\">E</span><span class=\"mrel\">=</span>"
            + "<span class=\"mord mathnormal\">mc</span><span class=\"msupsub\">2</span></span></span>\(Self.after)</p>"
        let display = "<p>The integral below appears in many textbooks about probability and statistics, with its proof:</p>"
            + "<span class=\"katex-display\"><span class=\"katex\"><span class=\"katex-mathml\"><math display=\"block\"><semantics><mrow><mo>∫</mo></mrow>"
            + "<annotation encoding=\"application/x-tex\">\\int_{-\\infty}^{\\infty} e^{-x^2}\\,dx = \\sqrt{\\pi}</annotation></semantics></math></span>"
            + "<span class=\"katex-html\" aria-hidden=\"true\">∫ e dx = π</span></span></span>"
        let out = lines(inline + display)
        XCTAssertEqual(out.first, "The energy of a body at rest is $E = mc^2$" + Self.after)
        XCTAssertTrue(out.contains("$$\\int_{-\\infty}^{\\infty} e^{-x^2}\\,dx = \\sqrt{\\pi}$$"), out.joined(separator: "\n"))
        XCTAssertFalse(out.joined().contains("∫ e dx"), "KaTeX's glyphs are aria-hidden")
    }

    func testMediaWikiFormulasComeFromTheFallbackImageOnce() {
        // MediaWiki 2015–2023: the MathML in a `display: none` span, the SVG image beside it with the TeX as alt.
        func formula(_ tex: String, display: Bool = false) -> String {
            let kind = display ? "display" : "inline"
            return "<span class=\"mwe-math-element\"><span class=\"mwe-math-mathml-\(kind) mwe-math-mathml-a11y\" style=\"display: none;\">"
                + "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" alttext=\"{\\displaystyle \(tex)}\"><semantics><mrow><mi>A</mi></mrow>"
                + "<annotation encoding=\"application/x-tex\">{\\displaystyle \(tex)}</annotation></semantics></math></span>"
                + "<img src=\"https://wikimedia.org/api/rest_v1/media/math/render/svg/459d\" class=\"mwe-math-fallback-image-\(kind)\" "
                + "aria-hidden=\"true\" style=\"vertical-align: -0.338ex;\" alt=\"{\\displaystyle \(tex)}\"></span>"
        }
        let body = "<p>If the conjugate transpose of a matrix \(formula("A")) is denoted by \(formula("A^{\\mathsf {H}}")), then the Hermitian "
            + "property can be written concisely as</p><dl><dd>\(formula("A=A^{\\mathsf {H}}", display: true))</dd></dl>"
            + "<p>Hermitian matrices are named after Charles Hermite, who showed in 1855 that matrices of this form always have real eigenvalues.</p>"
        let out = lines(body)
        XCTAssertEqual(out.first, "If the conjugate transpose of a matrix $A$ is denoted by $A^{\\mathsf {H}}$, then the Hermitian property can be written concisely as")
        XCTAssertTrue(out.contains("- $$A=A^{\\mathsf {H}}$$"), out.joined(separator: "\n"))  // (a <dd>: a list item)
    }

    func testMathMLWithoutTeXIsConverted() {
        // MathJax 3's output: glyphs aria-hidden, an assistive MathML copy.
        func mjx(_ mml: String, display: Bool = false) -> String {
            "<mjx-container class=\"MathJax\" jax=\"CHTML\"\(display ? " display=\"true\"" : "")><mjx-math aria-hidden=\"true\"><mjx-mi><mjx-c></mjx-c></mjx-mi></mjx-math>"
                + "<mjx-assistive-mml display=\"\(display ? "block" : "inline")\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\"\(display ? " display=\"block\"" : "")>\(mml)</math></mjx-assistive-mml></mjx-container>"
        }
        let body = "<p>When \(mjx("<mi>a</mi><mo>&#x2260;</mo><mn>0</mn>")), there are two solutions to "
            + "\(mjx("<mi>a</mi><msup><mi>x</mi><mn>2</mn></msup><mo>+</mo><mi>b</mi><mi>x</mi><mo>+</mo><mi>c</mi><mo>=</mo><mn>0</mn>")) and they are</p>"
            + "<p>\(mjx("<mi>x</mi><mo>=</mo><mfrac><mrow><mo>−</mo><mi>b</mi><mo>±</mo><msqrt><msup><mi>b</mi><mn>2</mn></msup><mo>−</mo><mn>4</mn><mi>a</mi><mi>c</mi></msqrt></mrow><mrow><mn>2</mn><mi>a</mi></mrow></mfrac><mo>.</mo>", display: true))</p>"
            + "<p>The quadratic formula has been known in some form since the Babylonians, who solved such problems on clay tablets.</p>"
        let out = lines(body)
        XCTAssertEqual(out.first, "When $a \\neq 0$, there are two solutions to $a x^2 + b x + c = 0$ and they are")
        XCTAssertTrue(out.contains("$$x = \\frac{-b \\pm \\sqrt{b^2 - 4a c}}{2a}.$$"), out.joined(separator: "\n"))
    }

    func testMathMLConversion() {
        XCTAssertEqual(tex("<munderover><mo>∑</mo><mrow><mi>k</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><msub><mi>a</mi><mi>k</mi></msub>"),
                       "\\sum_{k = 1}^n a_k")
        XCTAssertEqual(tex("<mover><mi>x</mi><mo>¯</mo></mover><mo>+</mo><mover accent=\"true\"><mi>v</mi><mo>→</mo></mover>"), "\\overline{x} + \\vec{v}")
        XCTAssertEqual(tex("<mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>0</mn></mtd></mtr><mtr><mtd><mn>0</mn></mtd><mtd><mn>1</mn></mtd></mtr></mtable>"),
                       "\\begin{matrix} 1 & 0 \\\\ 0 & 1 \\end{matrix}")
        XCTAssertEqual(tex("<mfenced><mi>x</mi><mi>y</mi></mfenced>"), "\\left( x, y \\right)")
        XCTAssertEqual(tex("<mi>sin</mi><mo>&ApplyFunction;</mo><mi>θ</mi><mo>&lt;</mo><mroot><mi>x</mi><mn>3</mn></mroot>"), "\\sin\\theta < \\sqrt[3]{x}")
        XCTAssertEqual(tex("<m:mi mathvariant=\"double-struck\">R</m:mi><mtext>for all </mtext><mi>x</mi>"), "\\mathbb{R}\\text{for all}x")
        XCTAssertEqual(tex("<mfrac linethickness=\"0\"><mi>n</mi><mi>k</mi></mfrac>"), "{n \\atop k}")
        // Only a sign stands tight before its operand; a relation opening an aligned row is spaced.
        XCTAssertEqual(tex("<mtable><mtr><mtd><mi>x</mi></mtd><mtd><mo>=</mo><mo>-</mo><mn>1</mn></mtd></mtr></mtable>"),
                       "\\begin{matrix} x & = -1 \\end{matrix}")
    }

    func testTeXScriptsAndARenderedMathJax2FormulaComeOutOnce() {
        let body = "<p>The energy of a body at rest is <script type=\"math/tex\">E = mc^2 < \\infty</script>\(Self.after)</p>"
            + "<p>Rendered: <span class=\"MathJax_Preview\" style=\"display: none;\"></span><span class=\"MathJax\" id=\"MathJax-Element-1-Frame\">"
            + "<nobr aria-hidden=\"true\"><span class=\"math\">a2+b2</span></nobr><span class=\"MJX_Assistive_MathML\"><math><msup><mi>a</mi><mn>2</mn></msup>"
            + "<mo>+</mo><msup><mi>b</mi><mn>2</mn></msup></math></span></span><script type=\"math/tex\" id=\"MathJax-Element-1\">a^2+b^2</script>"
            + " is the sum of two squares, which Pythagoras knew well and wrote about at length.</p>"
            + "<script type=\"math/tex; mode=display\">\\sum_{k=1}^n k = \\frac{n(n+1)}{2}</script>"
            + "<script>var notTeX = 'a < b';</script>"
            + "<p>So the sum <script type=\"math/tex; mode=display\">1 + 2 + \\cdots + n</script> grows as the square of n, as Gauss found.</p>"
        let out = lines(body)
        // A displayed formula inside a paragraph is a line of its own.
        XCTAssertTrue(out.contains("So the sum") && out.contains("$$1 + 2 + \\cdots + n$$")
                      && out.contains("grows as the square of n, as Gauss found."), out.joined(separator: "\n"))
        XCTAssertEqual(out[0], "The energy of a body at rest is $E = mc^2 < \\infty$" + Self.after)
        XCTAssertEqual(out[1], "Rendered: $a^2+b^2$ is the sum of two squares, which Pythagoras knew well and wrote about at length.")
        XCTAssertTrue(out.contains("$$\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$$"), out.joined(separator: "\n"))
        XCTAssertFalse(out.joined().contains("notTeX"))
    }

    func testFormulaImagesGiveTheirTeXAndOtherImagesNothing() {
        let body = "<p>The energy of a body at rest is <img src=\"https://s0.wp.com/latex.php?latex=E%3Dmc%5E2&amp;bg=ffffff\" alt=\"E=mc^2\" class=\"latex\">\(Self.after)</p>"
            + "<p>A picture of the author, <img src=\"me.jpg\" alt=\"me at the blackboard\" class=\"photo\"><img src=\"/img/texture-text.png\" alt=\"paper\">, taken in 1999 at the university of the town where I grew up.</p>"
            + "<p>A diagram, <img src=\"d.png\" alt=\"the area of a circle\" class=\"math\">, drawn by hand on the back of an envelope during a long train ride.</p>"
            + "<p>Both copies visible: <span class=\"mwe-math-element\"><math alttext=\"{\\displaystyle x^{2}}\"><msup><mi>x</mi><mn>2</mn></msup></math>"
            + "<img src=\"/media/math/render/svg/abc\" class=\"mwe-math-fallback-image-inline\" aria-hidden=\"true\" alt=\"{\\displaystyle x^{2}}\"></span>"
            + " is a square, which everybody learns at school in the first years of algebra.</p>"
            + "<p>Renderers without a class: <img src=\"https://latex.codecogs.com/gif.latex?%5Calpha\" alt=\"\\alpha\"> and "
            + "<img src=\"https://wikimedia.org/api/rest_v1/media/math/render/svg/7daff4\" alt=\"{\\displaystyle \\beta}\">, both shown as images.</p>"
        let out = lines(body)
        XCTAssertEqual(out[4], "Renderers without a class: $\\alpha$ and $\\beta$, both shown as images.")
        XCTAssertEqual(out[0], "The energy of a body at rest is $E=mc^2$" + Self.after)
        XCTAssertEqual(out[1], "A picture of the author, , taken in 1999 at the university of the town where I grew up.")
        XCTAssertEqual(out[2], "A diagram, , drawn by hand on the back of an envelope during a long train ride.")
        XCTAssertEqual(out[3], "Both copies visible: $x^{2}$ is a square, which everybody learns at school in the first years of algebra.")
    }

    func testTeXIsTextNotMarkup() {
        // A matrix's `&` and a comparison's `<` are the formula's, not the page's markup.
        let body = "<p>The identity matrix <math><annotation encoding=\"application/x-tex\">\\begin{pmatrix}1 &amp; 0\\\\0 &amp; 1\\end{pmatrix}</annotation></math> "
            + "is smaller than <script type=\"math/tex\">x<y && y>z</script>\(Self.after)</p>"
        XCTAssertEqual(lines(body).first, "The identity matrix $\\begin{pmatrix}1 & 0\\\\0 & 1\\end{pmatrix}$ is smaller than $x<y && y>z$" + Self.after)
    }

    func testMathOffDropsFormulasAsBefore() throws {
        let body = "<p>The energy of a body at rest is <math alttext=\"E=mc^2\"><mi>E</mi></math> <script type=\"math/tex\">x</script>"
            + "<img src=\"x\" class=\"latex\" alt=\"y^2\">\(Self.after)</p>"
        XCTAssertEqual(text(body, math: false).split(separator: "\n").first.map(String.init), "The energy of a body at rest is " + Self.after)
        let stage = try makeStage(HTMLExtractStage.init, [("math", "false")])
        var doc = Document(id: "d", text: "<html><body><article>\(body)\(Self.closing)</article></body></html>")
        XCTAssertEqual(stage.apply(&doc), .keep)
        XCTAssertFalse(doc.text.contains("$"), doc.text)
        XCTAssertTrue(HTMLExtractor().extract("<html><body><article>\(body)\(Self.closing)</article></body></html>").text.contains("$E=mc^2$"),
                      "formulas are kept by default")
        let on = try makeStage(HTMLExtractStage.init)
        var again = Document(id: "d", text: "<html><body><article>\(body)\(Self.closing)</article></body></html>")
        _ = on.apply(&again)
        XCTAssertTrue(again.text.contains("$E=mc^2$ $x$ $y^2$"), again.text)
    }

    func testHostileMathCostsLittleAndLosesNoText() {
        // 100,000 nested rows, an unclosed token, and an unclosed <math> at the end.
        let deep = String(repeating: "<mrow>", count: 100_000) + "<mi>x" + String(repeating: "</mrow>", count: 100_000)
        let body = "<p>Deep \(("<math>" + deep + "</math>")) formula\(Self.after)</p><p>Unclosed <math><mi>a</mi><mo>+</mo><mi>b"
        let out = text(body)
        // (Past `MathMLToTeX.maxNodes` elements the formula is left out, not the text around it.)
        let line = out.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(line.hasPrefix("Deep ") && line.hasSuffix("formula" + Self.after), String(out.prefix(300)))
        XCTAssertTrue(out.contains("Every scientist knows"), "the text after an unclosed <math> is kept")
    }
}

/// The cases of the review of the first version (each failed there), read in `full` mode so
/// that only the formula handling decides: one paragraph in, one line out.
final class FormulaReviewTests: XCTestCase {
    func line(_ html: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        HTMLExtractor(mode: .full).extract("<html><body>\(html)</body></html>").text
    }

    func check(_ cases: [(String, String)], file: StaticString = #filePath, line l: UInt = #line) {
        for (html, expected) in cases { XCTAssertEqual(line(html), expected, html, file: file, line: l) }
    }

    func testNoRawMathMLAndNoFormulaLost() {
        check([
            // An unclosed <math> ends where HTML5 ends it (a <p>): read, and the text after it kept.
            ("<p>It is <math><mi>E</mi><mo>=</mo><mi>m</mi></math><p>Next", "It is $E = m$\nNext"),
            ("<p>It is <math><mi>E</mi><mo>=</mo><mi>m</mi><p>Next", "It is $E = m$\nNext"),
            // Hidden on <math> itself.
            ("<p>a <math aria-hidden=\"true\"><mi>x</mi></math> b</p>", "a b"),
            // Equal formulas side by side, in a row's cells or in a line, are all kept.
            ("<table><tr><td><math><mn>0</mn></math></td><td><math><mn>0</mn></math></td><td><math><mn>1</mn></math></td></tr></table>", "$0$ $0$ $1$"),
            ("<p><math><mi>x</mi></math><math><mi>x</mi></math></p>", "$x$ $x$"),
            // MediaWiki's display formula with both copies visible: once.
            ("<dl><dd><math display=\"block\" alttext=\"{\\displaystyle A=B}\"><mi>A</mi></math><img class=\"mwe-math-fallback-image-display\" "
             + "aria-hidden=\"true\" src=\"/media/math/render/svg/1\" alt=\"{\\displaystyle A=B}\"></dd></dl>", "$$A=B$$"),
            // An image formula right where a cut starts (a bogus comment after it).
            ("<p>a <img class=\"latex\" src=\"x.png\" alt=\"x^2\"><![endif]> b</p>", "a $x^2$ b"),
        ])
    }

    func testTeXAsWrittenIsCleaned() {
        check([
            // kramdown's CDATA wrapper and % comments.
            ("<p><script type=\"math/tex\">% <![CDATA[\n\\begin{pmatrix}a & b\\\\c & d\\end{pmatrix} %]]></script></p>", "$\\begin{pmatrix}a & b\\\\c & d\\end{pmatrix}$"),
            ("<p><script type=\"math/tex\">x %comment\n+ y</script></p>", "$x + y$"),
            // A control space at the end would escape the closing $.
            ("<p><math><mi>x</mi><mspace width=\"1em\"/></math> and <script type=\"math/tex\">y\\ </script></p>", "$x$ and $y$"),
            // Delimiters the source wrote are not doubled; \[…\] and $$…$$ display.
            ("<p>a <img class=\"latex\" src=\"/latex.php?latex=x\" alt=\"$x$\"> b <img src=\"/latex.php?x\" alt=\"\\(y\\)\"></p>", "a $x$ b $y$"),
            ("<p>a <img src=\"/latex.php?x\" alt=\"\\[z^2\\]\"> b</p>", "a\n$$z^2$$\nb"),
            // Macro definitions are no formula.
            ("<p>a <script type=\"math/tex\">\\newcommand{\\R}{\\mathbb{R}}</script>b</p>", "a b"),
            ("<p>a <script type=\"math/tex\">\\letter x</script>b</p>", "a $\\letter x$b"),
            // Only TeX's encodings are TeX; references as HTML5 reads them.
            ("<p><math><semantics><mi>y</mi><annotation encoding=\"text/plain\">plain words</annotation>"
             + "<annotation encoding=\"application/x-tex\">y_1</annotation></semantics></math></p>", "$y_1$"),
            ("<p><math alttext=\"a&#150;b^2\"><mi>a</mi></math></p>", "$a–b^2$"),
            ("<p><math>\\frac{a}{b}</math></p>", "$\\frac{a}{b}$"),
        ])
    }

    func testOrdinaryImagesAreNoFormulas() {
        check([
            ("<p>A <img src=\"/images/natural-latex-mattress-queen.jpg\" alt=\"Natural latex mattress, queen size\"> bed</p>", "A bed"),
            ("<p>A <img class=\"wp-image-12 size-full tex\" src=\"/f.png\" alt=\"Figure 1: growth of the population\"> chart</p>", "A chart"),
            ("<p>A <img class=\"equation\" src=\"/s.png\" alt=\"screenshot_2020_01_01\"> shot</p>", "A shot"),
            ("<p>A <img src=\"/img/texture-text.png\" alt=\"paper\"> texture</p>", "A texture"),
        ])
    }

    func testMathJax2RenderingsGiveWayToTheirScript() {
        check([
            // Without its assistive MathML the frame's glyphs are text; with a preview, the preview is.
            ("<p>Cube <span class=\"MathJax\" id=\"MathJax-Element-3-Frame\"><nobr><span class=\"math\"><span>z</span><span>3</span></span></nobr></span>"
             + "<script type=\"math/tex\" id=\"MathJax-Element-3\">z^3</script> end</p>", "Cube $z^3$ end"),
            ("<p>Square <span class=\"MathJax_Preview\">x^2</span><script type=\"math/tex\">x^2</script> end</p>", "Square $x^2$ end"),
            // Another formula before the frame is not the frame's copy.
            ("<p>Let <math><mi>a</mi></math> <span class=\"MathJax_SVG\" id=\"MathJax-Element-5-Frame\"><svg><text>b</text></svg></span>"
             + "<script type=\"math/tex\" id=\"MathJax-Element-5\">b</script> be</p>", "Let $a$ $b$ be"),
        ])
    }

    func testConverterCases() {
        XCTAssertEqual(tex("<mo>⟨</mo><mi>x</mi><mo>⟩</mo>"), "\\langle x\\rangle")
        XCTAssertEqual(tex("<mo>¬</mo><mi>p</mi>"), "\\neg p")
        XCTAssertEqual(tex("<mfenced open=\"⌊\" close=\"⌋\"><mi>x</mi></mfenced>"), "\\left\\lfloor x \\right\\rfloor")
        XCTAssertEqual(tex("<mmultiscripts><mi>C</mi><mprescripts/><mn>6</mn><mn>14</mn></mmultiscripts>"), "{}_6^{14}C")
        XCTAssertEqual(tex("<munder><mo>lim</mo><mrow><mi>x</mi><mo>→</mo><mn>0</mn></mrow></munder><mi>f</mi>"), "\\lim_{x \\to 0}f")
        XCTAssertEqual(tex("<msup><mi>f</mi><mo>′</mo></msup><mo>+</mo><mi mathvariant=\"double-struck\">ℝ</mi><mo>+</mo><mi>𝑥</mi>"), "f^' + \\mathbb{R} + x")
        XCTAssertEqual(tex("<mi>a</mi><mo>_</mo><mi>b</mi>"), "a \\_ b")
        // Past `maxNodes` elements the formula is left out, not cut short.
        let rows = String(repeating: "<mtr>" + String(repeating: "<mtd><msub><mi>a</mi><mn>1</mn></msub></mtd>", count: 100) + "</mtr>", count: 100)
        let b = Array("<mtable>\(rows)</mtable>".utf8)
        XCTAssertTrue(b.withUnsafeBufferPointer { MathMLToTeX($0, 0..<b.count).truncated })
        XCTAssertEqual(line("<p>Big <math><mtable>\(rows)</mtable></math> end</p>"), "Big end")
    }
}

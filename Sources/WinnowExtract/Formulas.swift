#if canImport(Glibc)
import Glibc
#endif
import WinnowCore

/// Formulas kept as TeX, as math-aware pretraining sets keep them (OpenWebMath, MegaMath,
/// WebMainBench's ground truth): `$…$` in the line, `$$…$$` on a line of its own. Without them
/// a formula's sentence reads "If the conjugate transpose of a matrix is denoted by , then…".
/// The prescan finds the formulas of a page crawled without running its scripts:
/// - `<math>` (MathML): a TeX-looking `alttext` (MediaWiki), its TeX annotation (KaTeX,
///   MediaWiki), TeX written straight inside it, else the MathML converted (`MathMLToTeX`:
///   MathJax 3's assistive copy, hand-written MathML), else a plain `alttext`;
/// - `<script type="math/tex">` and `"math/tex; mode=display"` (kramdown, MathJax 2 pages);
/// - an image of a formula whose `alt` is its TeX: MediaWiki's fallback image, a LaTeX
///   renderer's image (`latex.php?`, codecogs, QuickLaTeX, mimeTeX, Wikimedia's renderer),
///   WordPress's `class="latex"` when the alt reads as TeX.
/// Each becomes a `<mathtex>` element (a name no page uses; a `<math>` the prescan could not
/// read, unclosed or past the search budget, stays skipped whole) holding its TeX as text,
/// which the walk reads as inline text. Hidden copies stay hidden: MediaWiki's MathML sits in a
/// `display: none` span beside its image, KaTeX's and MathJax's glyphs are `aria-hidden`, a
/// rendered MathJax 2 formula (`id="MathJax-Element-7-Frame"`) and its preview give way to the
/// script it was made from (`ElementNames`). A formula image right after a `<math>` of the same
/// TeX is its picture: the walk shows it only when it did not show the `<math>`
/// (`SAXWalk.formula`). TeX written in the text itself (`\(…\)`, `$…$`) is text already.
enum Formulas {
    /// The element the prescan puts a formula's TeX in.
    static let tag = "mathtex"

    /// The TeX of a `<math>` element: start tag `<` + 1 ..< its `>`, content up to `</math>`.
    static func mathTeX(_ p: UnsafeBufferPointer<UInt8>, tag: Range<Int>, content: Range<Int>) -> TeXText {
        var alt = TeXText(), display = false, altIsTeX = false
        MarkupBytes.forEachAttribute(p, from: tag.lowerBound, to: tag.upperBound) { n, v in
            // (Read as written: `{\displaystyle A=B}` is TeX, though `A=B` alone would not say so.)
            if MarkupBytes.named(p, n, "alttext") { let t = TeXText.decoded(p, v); altIsTeX = TeXText.looksLikeTeX(t); alt = TeXText(t) }
            if MarkupBytes.named(p, n, "display") { display = ASCIIBytes.hasPrefix(p, at: v.lowerBound, end: v.upperBound, "block") }
        }
        var found: TeXText
        if altIsTeX && !alt.tex.isEmpty {
            found = alt
        } else if let a = annotationTeX(p, content), !a.tex.isEmpty {
            found = a
        } else if let raw = rawTeX(p, content) {
            found = raw
        } else {
            let tree = MathMLToTeX(p, content)
            found = tree.truncated ? alt : TeXText(Array(tree.tex.utf8), verbatim: true)
            if found.tex.isEmpty { found = alt }
        }
        found.display = found.display || display
        return found
    }

    /// The first TeX annotation in `p[r]` (`<annotation encoding="application/x-tex">…</annotation>`,
    /// as KaTeX and MediaWiki write), read without building the MathML tree. (Only TeX's own
    /// encodings: not `text/plain` or AsciiMath's `text/x-asciimath`.)
    static func annotationTeX(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> TeXText? {
        var i = r.lowerBound
        while let a = MarkupBytes.find(p, "<annotation", from: i, end: r.upperBound) {
            let nameEnd = a + 11
            // (Not `<annotation-xml>`.)
            guard nameEnd < r.upperBound, p[nameEnd] == 0x3E || MarkupBytes.isSpace(p[nameEnd]) else { i = nameEnd; continue }
            let close = MarkupBytes.tagEnd(p, from: nameEnd, end: r.upperBound)
            var tex = false
            MarkupBytes.forEachAttribute(p, from: nameEnd, to: close) { n, v in
                if MarkupBytes.named(p, n, "encoding") { tex = isTeXEncoding(p, v) }
            }
            let contentEnd = MarkupBytes.find(p, "</annotation", from: close + 1, end: r.upperBound) ?? r.upperBound
            if tex { return TeXText(TeXText.decoded(p, min(close + 1, contentEnd)..<contentEnd)) }
            i = contentEnd
        }
        return nil
    }

    static func isTeXEncoding(_ p: UnsafeBufferPointer<UInt8>, _ v: Range<Int>) -> Bool {
        var a = v.lowerBound, b = v.upperBound
        while a < b && MarkupBytes.isSpace(p[a]) { a += 1 }
        while b > a && MarkupBytes.isSpace(p[b - 1]) { b -= 1 }
        let r = a..<b
        return MarkupBytes.named(p, r, "application/x-tex") || MarkupBytes.named(p, r, "application/x-latex")
            || MarkupBytes.named(p, r, "tex") || MarkupBytes.named(p, r, "latex")
    }

    /// A `<math>` holding TeX as its text, no elements (MediaWiki's source, some converters): that TeX.
    static func rawTeX(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> TeXText? {
        guard !r.isEmpty, !UnsafeBufferPointer(rebasing: p[r]).contains(0x3C) else { return nil }
        let t = TeXText(TeXText.decoded(p, r))
        return TeXText.looksLikeTeX(t.tex) ? t : nil
    }

    /// The TeX of a `<script>` of type `math/tex` (start tag `<` + 1 ..< its `>`), or nil for any other script.
    static func scriptTeX(_ p: UnsafeBufferPointer<UInt8>, tag: Range<Int>, content: Range<Int>) -> TeXText? {
        var type: Range<Int>? = nil
        MarkupBytes.forEachAttribute(p, from: tag.lowerBound, to: tag.upperBound) { n, v in if MarkupBytes.named(p, n, "type") { type = v } }
        guard let t = type else { return nil }
        var i = t.lowerBound
        while i < t.upperBound && MarkupBytes.isSpace(p[i]) { i += 1 }
        guard ASCIIBytes.hasPrefix(p, at: i, end: t.upperBound, "math/tex") else { return nil }
        var tex = TeXText(Array(UnsafeBufferPointer(rebasing: p[content])))
        tex.display = tex.display || MarkupBytes.find(p, "mode=display", from: i, end: t.upperBound) != nil
        return tex
    }

    /// The TeX of an `<img>` that shows a formula (start tag `<` + 1 ..< its `>`), or nil: the
    /// image of a formula renderer (MediaWiki's fallback image, a LaTeX renderer's address), or
    /// one whose class or address names LaTeX, TeX or a formula and whose alt reads as TeX (not a
    /// "natural latex mattress" or a figure's caption).
    static let formulaClassWords: [StaticString] = ["latex", "tex", "latexcenter", "math", "mathtex", "equation", "formula"]
    static let rendererAddresses: [StaticString] = ["latex.php", "codecogs.com", "quicklatex.com", "mimetex", "mathtex.cgi", "cht=tx"]

    static func imageTeX(_ p: UnsafeBufferPointer<UInt8>, tag: Range<Int>) -> TeXText? {
        var alt: Range<Int>? = nil, src: Range<Int>? = nil, classes: Range<Int>? = nil
        MarkupBytes.forEachAttribute(p, from: tag.lowerBound, to: tag.upperBound) { n, v in
            if MarkupBytes.named(p, n, "alt") { alt = v } else if MarkupBytes.named(p, n, "src") { src = v } else if MarkupBytes.named(p, n, "class") { classes = v }
        }
        guard let a = alt, !a.isEmpty, a.count <= 4096 else { return nil }
        var renderer = false, named = false, display = false
        if let c = classes {
            MarkupBytes.forEachToken(p, c) { t in
                if ASCIIBytes.hasPrefix(p, at: t.lowerBound, end: t.upperBound, "mwe-math-fallback-image") { renderer = true }
                if !named { named = formulaClassWords.contains { MarkupBytes.named(p, t, $0) } }
                if MarkupBytes.named(p, t, "latexcenter") || (t.count > 8 && ASCIIBytes.hasPrefix(p, at: t.upperBound - 8, end: t.upperBound, "-display")) {
                    display = true
                }
            }
        }
        // A renderer's address: every one but Wikimedia's holds an "x" (LaTeX, TeX, cht=tx), which
        // most image addresses lack (one memchr); Wikimedia's, with a TeX alt (its images carry
        // MediaWiki's class anyway).
        if !renderer, let s = src, let base = p.baseAddress, memchr(base + s.lowerBound, 0x78, s.count) != nil {
            renderer = rendererAddresses.contains { MarkupBytes.find(p, $0, from: s.lowerBound, end: s.upperBound) != nil }
            if !renderer && MarkupBytes.find(p, "latex", from: s.lowerBound, end: s.upperBound) != nil { named = true }
        }
        let altIsTeX = !renderer && TeXText.looksLikeTeX(UnsafeBufferPointer(rebasing: p[a]))
        if altIsTeX, let s = src, MarkupBytes.find(p, "/math/render/", from: s.lowerBound, end: s.upperBound) != nil { renderer = true }
        guard renderer || (named && altIsTeX) else { return nil }
        var tex = TeXText(TeXText.decoded(p, a))
        guard !tex.tex.isEmpty else { return nil }
        tex.display = tex.display || display
        return tex
    }
}

extension HTMLPrescan {
    static let math = key("math"), img = key("img")

    /// A `<math>` element (start tag `<` at `at`, its `>` at `end - 1`, `</math>` at `close`)
    /// becomes a numbered `<mathtex>` holding its TeX. `unclosed`: no `</math>`, and `close` is
    /// where HTML5 ends it (`foreignContentEnd`), which gets the end tag.
    mutating func rewriteMath(_ p: UnsafeBufferPointer<UInt8>, at: Int, end: Int, close: Int, unclosed: Bool = false) {
        let f = Formulas.mathTeX(p, tag: (at + 1)..<(end - 1), content: end..<close)
        formulaCount += 1
        rewrite((at + 1)..<(at + 5), Array("\(Formulas.tag) n=\"\(formulaCount)\"".utf8))
        rewrite(end..<close, f.markup)
        if unclosed {
            rewrite(close..<close, "</\(Formulas.tag)>".utf8)
            lastFormula = nil
        } else {
            rewrite((close + 2)..<(close + 6), Formulas.tag.utf8)
            lastFormula = (end: (MarkupBytes.find(p, ">", from: close, end: p.count) ?? close) + 1, number: formulaCount, tex: f.tex)
        }
    }

    /// A `<script>` (start tag `<` at `at`, its `>` at `end - 1`, `</script>` at `close`) of
    /// type `math/tex` becomes a `<mathtex>` holding its TeX; false for any other script.
    mutating func rewriteTeXScript(_ p: UnsafeBufferPointer<UInt8>, at: Int, end: Int, close: Int) -> Bool {
        guard close + 8 <= p.count, let f = Formulas.scriptTeX(p, tag: (at + 1)..<(end - 1), content: end..<close) else { return false }
        rewrite((at + 1)..<(at + 7), Formulas.tag.utf8)
        rewrite(end..<close, f.markup)
        rewrite((close + 2)..<(close + 8), Formulas.tag.utf8)
        lastFormula = nil
        return true
    }

    /// An `<img>` of a formula (start tag `<` at `at`, its `>` at `end - 1`): a `<mathtex>`
    /// holding its TeX goes right after it, marked as the picture of the `<math>` just before it
    /// when that holds the same TeX with nothing but markup between.
    mutating func insertImageFormula(_ p: UnsafeBufferPointer<UInt8>, at: Int, end: Int) {
        guard let f = Formulas.imageTeX(p, tag: (at + 1)..<(end - 1)) else { return }
        var open = "<\(Formulas.tag)>"
        if let last = lastFormula, last.tex == f.tex, MarkupBytes.onlyMarkup(p, from: last.end, to: at) {
            open = "<\(Formulas.tag) of=\"\(last.number)\">"
        }
        rewrite(end..<end, Array(open.utf8) + f.markup + Array("</\(Formulas.tag)>".utf8))
    }
}

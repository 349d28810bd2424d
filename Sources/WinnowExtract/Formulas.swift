import CLibXML2
import WinnowCore

/// Formulas kept as TeX, as math-aware pretraining sets keep them (OpenWebMath, MegaMath,
/// WebMainBench's ground truth): `$…$` in the line, `$$…$$` on a line of its own. Without them
/// a formula's sentence reads "If the conjugate transpose of a matrix is denoted by , then…".
/// The prescan finds the formulas of a page crawled without running its scripts:
/// - `<math>` (MathML): a TeX-looking `alttext` (MediaWiki), its TeX annotation (KaTeX,
///   MediaWiki), else the MathML converted (`MathMLToTeX`: MathJax 3's assistive copy,
///   hand-written MathML), else a plain `alttext`;
/// - `<script type="math/tex">` and `"math/tex; mode=display"` (kramdown, MathJax 2 pages);
/// - an image of a formula whose `alt` is its TeX: MediaWiki's fallback image, WordPress's
///   `class="latex"`, images from LaTeX renderers (`latex.php?`, codecogs, mimeTeX).
/// Each becomes a `<math>` element holding its TeX as text, which the walk reads as inline text
/// (hidden copies stay hidden: MediaWiki's MathML sits in a `display: none` span beside its
/// image; KaTeX's and MathJax's glyphs are `aria-hidden`). A rendered MathJax 2 formula's
/// MathML copy gives way to the `math/tex` script right after it, the formula's own TeX. TeX
/// written in the text itself (`\(…\)`, `$…$`: MathJax's input) is text already.
enum Formulas {
    /// The TeX of a `<math>` element: start tag `<` + 1 ..< its `>`, content up to `</math>`.
    static func mathTeX(_ p: UnsafeBufferPointer<UInt8>, tag: Range<Int>, content: Range<Int>) -> (tex: [UInt8], display: Bool) {
        var alt: [UInt8] = [], display = false
        forEachAttribute(p, from: tag.lowerBound, to: tag.upperBound) { n, v in
            if named(p, n, "alttext") { alt = normalized(decoded(p, v)) }
            if named(p, n, "display") { display = ASCIIBytes.hasPrefix(p, at: v.lowerBound, end: v.upperBound, "block") }
        }
        if looksLikeTeX(alt) { return (alt, display) }
        if let a = annotationTeX(p, content), !a.isEmpty { return (a, display) }
        let converted = folded(Array(MathMLToTeX(p, content).tex.utf8))
        return (converted.isEmpty ? alt : converted, display)
    }

    /// The first TeX annotation in `p[r]` (`<annotation encoding="application/x-tex">…</annotation>`,
    /// as KaTeX and MediaWiki write), read without building the MathML tree.
    static func annotationTeX(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> [UInt8]? {
        var i = r.lowerBound
        while let a = find(p, "<annotation", from: i, end: r.upperBound) {
            let nameEnd = a + 11
            // (Not `<annotation-xml>`.)
            guard nameEnd < r.upperBound, p[nameEnd] == 0x3E || HTMLPrescan.isBlank(p[nameEnd]) else { i = nameEnd; continue }
            let close = tagEnd(p, from: nameEnd, end: r.upperBound)
            var tex = false
            forEachAttribute(p, from: nameEnd, to: close) { n, v in
                if named(p, n, "encoding") && find(p, "tex", from: v.lowerBound, end: v.upperBound) != nil { tex = true }
            }
            let contentEnd = find(p, "</annotation", from: close + 1, end: r.upperBound) ?? r.upperBound
            if tex { return normalized(decoded(p, min(close + 1, contentEnd)..<contentEnd)) }
            i = contentEnd
        }
        return nil
    }

    /// The TeX of a `<script>` of type `math/tex` (start tag `<` + 1 ..< its `>`), or nil for any other script.
    /// `rendered`: its id is MathJax 2's (`MathJax-Element-7`): MathJax has rendered it, right before it.
    static func scriptTeX(_ p: UnsafeBufferPointer<UInt8>, tag: Range<Int>, content: Range<Int>) -> (tex: [UInt8], display: Bool, rendered: Bool)? {
        var type: Range<Int>? = nil, rendered = false
        forEachAttribute(p, from: tag.lowerBound, to: tag.upperBound) { n, v in
            if named(p, n, "type") { type = v }
            if named(p, n, "id") { rendered = ASCIIBytes.hasPrefix(p, at: v.lowerBound, end: v.upperBound, "mathjax-element-") }
        }
        guard let t = type else { return nil }
        var i = t.lowerBound
        while i < t.upperBound && HTMLPrescan.isBlank(p[i]) { i += 1 }
        guard ASCIIBytes.hasPrefix(p, at: i, end: t.upperBound, "math/tex") else { return nil }
        let display = find(p, "mode=display", from: i, end: t.upperBound) != nil
        return (normalized(Array(UnsafeBufferPointer(rebasing: p[content]))), display, rendered)
    }

    /// The TeX of an `<img>` that shows a formula (start tag `<` + 1 ..< its `>`), or nil.
    static func imageTeX(_ p: UnsafeBufferPointer<UInt8>, tag: Range<Int>) -> (tex: [UInt8], display: Bool)? {
        var alt: Range<Int>? = nil, src: Range<Int>? = nil, classes: Range<Int>? = nil
        forEachAttribute(p, from: tag.lowerBound, to: tag.upperBound) { n, v in
            if named(p, n, "alt") { alt = v } else if named(p, n, "src") { src = v } else if named(p, n, "class") { classes = v }
        }
        guard let a = alt, !a.isEmpty, a.count <= 4096 else { return nil }
        var marked = false, display = false, weak = false
        if let c = classes {
            forEachToken(p, c) { t in
                if ASCIIBytes.hasPrefix(p, at: t.lowerBound, end: t.upperBound, "mwe-math-fallback-image") || named(p, t, "latex")
                    || named(p, t, "tex") || named(p, t, "latexcenter") { marked = true }
                if named(p, t, "math") || named(p, t, "equation") || named(p, t, "formula") || named(p, t, "mathtex") { weak = true }
                if named(p, t, "latexcenter") || (t.count > 8 && ASCIIBytes.hasPrefix(p, at: t.upperBound - 8, end: t.upperBound, "-display")) {
                    display = true
                }
            }
        }
        if !marked, let s = src {
            // A LaTeX renderer's address ("latex.php?", codecogs' "latex", "mimetex", "mathtex.cgi"; not any
            // "tex": "text", "texture"), Wikimedia's "/math/render/", Google Charts' TeX ("cht=tx"): one pass over it.
            var i = s.lowerBound
            while i < s.upperBound && !marked {
                switch p[i] {
                case 0x78:
                    func after(_ w: StaticString) -> Bool {
                        let m = w.utf8CodeUnitCount
                        return i + 1 - s.lowerBound >= m && ASCIIBytes.hasPrefix(p, at: i + 1 - m, end: i + 1, w)
                    }
                    marked = after("latex") || after("mimetex") || after("mathtex")
                case 0x2F: marked = ASCIIBytes.hasPrefix(p, at: i, end: s.upperBound, "/math/render/")
                case 0x3D: marked = i - s.lowerBound >= 3 && ASCIIBytes.hasPrefix(p, at: i - 3, end: s.upperBound, "cht=tx")
                default: break
                }
                i += 1
            }
        }
        let tex = normalized(decoded(p, a))
        guard marked || (weak && looksLikeTeX(tex)), !tex.isEmpty else { return nil }
        return (tex, display)
    }

    /// What the walk reads for a formula: `$tex$`, or `$$tex$$` on a line of its own, as HTML text.
    static func markup(_ tex: [UInt8], display: Bool) -> [UInt8] {
        guard !tex.isEmpty else { return [] }
        var out: [UInt8] = display ? Array("<br>$$".utf8) : [0x24]
        for b in tex {
            switch b {
            case 0x26: out += "&amp;".utf8
            case 0x3C: out += "&lt;".utf8
            case 0x3E: out += "&gt;".utf8
            default: out.append(b)
            }
        }
        out += display ? Array("$$<br>".utf8) : [0x24]
        return out
    }

    // MARK: bytes

    /// TeX as written, whitespace folded, without MediaWiki's `{\displaystyle …}` / `{\textstyle …}` wrapper.
    static func normalized(_ t: [UInt8]) -> [UInt8] {
        var s = folded(t)
        for wrapper in ["{\\displaystyle", "{\\textstyle"] {
            let w = Array(wrapper.utf8)
            guard s.count > w.count, s.starts(with: w), s.last == 0x7D, !CharacterReferences.isAlphanumeric(s[w.count]) else { continue }
            // Only when the wrapper's brace is the one that ends the formula.
            var depth = 0, closesAtEnd = false
            for (k, b) in s.enumerated() {
                if b == 0x7B && (k == 0 || s[k - 1] != 0x5C) { depth += 1 }
                if b == 0x7D && (k == 0 || s[k - 1] != 0x5C) { depth -= 1; if depth == 0 { closesAtEnd = k == s.count - 1; break } }
            }
            if closesAtEnd { s = folded(Array(s[w.count..<(s.count - 1)])) }
        }
        return s
    }

    /// ASCII whitespace runs as one space, none at either end.
    static func folded(_ t: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(t.count)
        var space = false
        for b in t {
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C { space = !out.isEmpty; continue }
            if space { out.append(0x20); space = false }
            out.append(b)
        }
        return out
    }

    /// Whether a text reads as TeX rather than words: a command, a script or a group.
    static func looksLikeTeX(_ t: [UInt8]) -> Bool { t.contains { $0 == 0x5C || $0 == 0x5E || $0 == 0x5F || $0 == 0x7B } }

    /// `p[r]` with its character references resolved (numeric ones, HTML5's names).
    static func decoded(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(r.count)
        var i = r.lowerBound
        while i < r.upperBound {
            let b = p[i]
            guard b == 0x26, i + 2 < r.upperBound else { out.append(b); i += 1; continue }
            if p[i + 1] == 0x23 {
                var j = i + 2, v: UInt32 = 0
                let hex = (p[j] | 0x20) == 0x78
                if hex { j += 1 }
                let start = j
                while j < r.upperBound, let d = digit(p[j], hex: hex) { v = min(v * (hex ? 16 : 10) + d, 0x110000); j += 1 }
                if j > start {
                    if j < r.upperBound && p[j] == 0x3B { j += 1 }
                    appendUTF8(&out, v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ? 0xFFFD : v)
                    i = j
                    continue
                }
            } else {
                var j = i + 1
                while j < r.upperBound && j - i <= CharacterReferences.longestName && CharacterReferences.isAlphanumeric(p[j]) { j += 1 }
                if j < r.upperBound && p[j] == 0x3B && j > i + 1 {
                    let name = CharacterReferences.name(p, i + 1, j)
                    if let v = CharacterReferences.named[name + ";"] ?? CharacterReferences.named[name], !v.isEmpty {
                        out += v; i = j + 1; continue
                    }
                    if let e = name.withCString({ htmlEntityLookup(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }) {
                        appendUTF8(&out, UInt32(e.pointee.value)); i = j + 1; continue
                    }
                }
            }
            out.append(b)
            i += 1
        }
        return out
    }

    @inline(__always) static func digit(_ c: UInt8, hex: Bool) -> UInt32? {
        if c >= 0x30 && c <= 0x39 { return UInt32(c - 0x30) }
        if hex && (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 { return UInt32((c | 0x20) - 0x61 + 10) }
        return nil
    }

    /// The index where `needle` (lowercase ASCII, matched in any case) starts in `p[from..<end]`, or nil.
    static func find(_ p: UnsafeBufferPointer<UInt8>, _ needle: StaticString, from: Int, end: Int) -> Int? {
        let m = needle.utf8CodeUnitCount
        guard m > 0, end - from >= m else { return nil }
        let first = needle.utf8Start[0]
        var i = from
        while i + m <= end {
            if ASCIIBytes.lowered(p[i]) == first && ASCIIBytes.hasPrefix(p, at: i, end: end, needle) { return i }
            i += 1
        }
        return nil
    }

    /// The index of the `>` that ends a tag whose attributes start at `from` (quotes respected), or `end - 1`.
    static func tagEnd(_ p: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Int {
        var i = from, quote: UInt8 = 0
        while i < end {
            let c = p[i]
            if quote != 0 { if c == quote { quote = 0 } } else if c == 0x22 || c == 0x27 { quote = c } else if c == 0x3E { return i }
            i += 1
        }
        return max(from, end - 1)
    }

    /// Each attribute in `p[from..<to]` (after a tag's name, before its `>`): name, value (quotes excluded).
    static func forEachAttribute(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int, _ body: (Range<Int>, Range<Int>) -> Void) {
        var i = from
        while i < to && HTMLPrescan.isNameChar(p[i]) { i += 1 }  // (the tag's own name, when given)
        while i < to {
            while i < to && (HTMLPrescan.isBlank(p[i]) || p[i] == 0x2F || p[i] == 0x0C) { i += 1 }
            let nameStart = i
            while i < to && !HTMLPrescan.isBlank(p[i]) && p[i] != 0x3D && p[i] != 0x2F && p[i] != 0x3E { i += 1 }
            guard i > nameStart else { i += 1; continue }
            let name = nameStart..<i
            while i < to && HTMLPrescan.isBlank(p[i]) { i += 1 }
            var value = i..<i
            if i < to && p[i] == 0x3D {
                i += 1
                while i < to && HTMLPrescan.isBlank(p[i]) { i += 1 }
                if i < to && (p[i] == 0x22 || p[i] == 0x27) {
                    let q = p[i]
                    var j = i + 1
                    while j < to && p[j] != q { j += 1 }
                    value = (i + 1)..<j
                    i = min(j + 1, to)
                } else {
                    let start = i
                    while i < to && !HTMLPrescan.isBlank(p[i]) && p[i] != 0x3E { i += 1 }
                    value = start..<i
                }
            }
            body(name, value)
        }
    }

    /// Each whitespace-separated token of `p[r]`.
    static func forEachToken(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ body: (Range<Int>) -> Void) {
        var i = r.lowerBound
        while i < r.upperBound {
            while i < r.upperBound && (HTMLPrescan.isBlank(p[i]) || p[i] == 0x0C) { i += 1 }
            let s = i
            while i < r.upperBound && !(HTMLPrescan.isBlank(p[i]) || p[i] == 0x0C) { i += 1 }
            if i > s { body(s..<i) }
        }
    }

    static func named(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ name: StaticString) -> Bool {
        r.count == name.utf8CodeUnitCount && ASCIIBytes.hasPrefix(p, at: r.lowerBound, end: r.upperBound, name)
    }

    /// Whether `p[from..<to]` is only tags and whitespace (at most `limit` bytes): nothing a reader sees.
    static func onlyMarkup(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int, limit: Int = 2048) -> Bool {
        guard from <= to, to - from <= limit else { return false }
        var i = from
        while i < to {
            if p[i] == 0x3C { i = tagEnd(p, from: i + 1, end: to) + 1; continue }
            guard HTMLPrescan.isBlank(p[i]) || p[i] == 0x0C else { return false }
            i += 1
        }
        return true
    }
}

extension HTMLPrescan {
    static let math = key("math"), img = key("img")

    /// A `<math>` element (start tag `<` at `at`, its `>` at `end - 1`, `</math>` at `close`):
    /// its content becomes its TeX.
    mutating func rewriteMath(_ p: UnsafeBufferPointer<UInt8>, at: Int, end: Int, close: Int) {
        let f = Formulas.mathTeX(p, tag: (at + 1)..<(end - 1), content: end..<close)
        rewrite(end..<close, Formulas.markup(f.tex, display: f.display))
        lastFormula = (end: close, rewrite: rewrites.count - 1)
    }

    /// A `<script>` (start tag `<` at `at`, its `>` at `end - 1`, `</script>` at `close`) of
    /// type `math/tex` becomes a `<math>` element holding its TeX; false for any other script.
    mutating func rewriteTeXScript(_ p: UnsafeBufferPointer<UInt8>, at: Int, end: Int, close: Int) -> Bool {
        guard close + 8 <= p.count, let f = Formulas.scriptTeX(p, tag: (at + 1)..<(end - 1), content: end..<close) else { return false }
        // A rendered MathJax 2 formula right before: its MathML copy gives way to this, the TeX it was made from.
        if f.rendered, let last = lastFormula, Formulas.onlyMarkup(p, from: last.end, to: at) {
            rewrites[last.rewrite].bytes = rewrites[last.rewrite].bytes.lowerBound..<rewrites[last.rewrite].bytes.lowerBound
        }
        rewrite((at + 1)..<(at + 7), "math".utf8)
        rewrite(end..<close, Formulas.markup(f.tex, display: f.display))
        rewrite((close + 2)..<(close + 8), "math".utf8)
        lastFormula = nil
        return true
    }

    /// An `<img>` of a formula (start tag `<` at `at`, its `>` at `end - 1`): a `<math>` element
    /// holding its TeX goes right after it.
    mutating func insertImageFormula(_ p: UnsafeBufferPointer<UInt8>, at: Int, end: Int) {
        guard let f = Formulas.imageTeX(p, tag: (at + 1)..<(end - 1)) else { return }
        rewrite(end..<end, Array("<math>".utf8) + Formulas.markup(f.tex, display: f.display) + Array("</math>".utf8))
    }
}

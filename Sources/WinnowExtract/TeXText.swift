import CLibXML2
import WinnowCore

/// A formula's TeX as the text gives it (`Formulas`), cleaned of what only its source needs:
/// kramdown's `% <![CDATA[ … %]]>` wrapper and other `%` comments (folded into one line they
/// would comment out the rest of the formula), line breaks, delimiters the source already wrote
/// (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`: the last two kinds make it a displayed formula),
/// MediaWiki's `{\displaystyle …}` wrapper, a control space at the end (its backslash would
/// escape the closing `$`). Macro definitions (`\newcommand`, `\def`, …) are no formula: empty.
struct TeXText {
    var tex: [UInt8] = []
    var display = false

    init() {}

    /// `verbatim`: TeX made by `MathMLToTeX`, whose `%` is escaped and whose spacing is its own.
    init(_ source: [UInt8], verbatim: Bool = false) {
        var t = verbatim ? source : Self.withoutComments(source)
        t = Self.folded(t)
        for _ in 0..<2 {
            if let (inner, shown) = Self.delimited(t) { t = inner; display = display || shown }
        }
        t = Self.unwrapped(t)
        var backslashes = 0
        while backslashes < t.count && t[t.count - 1 - backslashes] == 0x5C { backslashes += 1 }
        if backslashes % 2 == 1 { t.removeLast(); t = Self.folded(t) }
        // (A whole command's name: `\\left(` is no `\\let`.)
        for definition in Self.definitions where t.withUnsafeBufferPointer({ ASCIIBytes.hasPrefix($0, at: 0, end: $0.count, definition) }) {
            let m = definition.utf8CodeUnitCount
            if t.count == m || !((t[m] | 0x20) >= 0x61 && (t[m] | 0x20) <= 0x7A) { t = [] }
        }
        tex = t
    }

    static let definitions: [StaticString] = ["\\newcommand", "\\renewcommand", "\\providecommand", "\\def", "\\let", "\\declaremathoperator"]

    /// What the walk reads for the formula: `$tex$`, or `$$tex$$` on a line of its own, as HTML
    /// text (`&`, `<`, `>` escaped; NUL bytes, which the prescan removes from the page, left out).
    var markup: [UInt8] {
        guard !tex.isEmpty else { return [] }
        var out: [UInt8] = display ? Array("<br>$$".utf8) : [0x24]
        for b in tex {
            switch b {
            case 0x26: out += "&amp;".utf8
            case 0x3C: out += "&lt;".utf8
            case 0x3E: out += "&gt;".utf8
            case 0x00: continue
            default: out.append(b)
            }
        }
        out += display ? Array("$$<br>".utf8) : [0x24]
        return out
    }

    /// Without `<![CDATA[`, `]]>` and `%` comments (an unescaped `%` to the end of its line).
    static func withoutComments(_ t: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(t.count)
        var i = 0
        while i < t.count {
            if t[i] == 0x25 && (i == 0 || t[i - 1] != 0x5C) {
                while i < t.count && t[i] != 0x0A { i += 1 }
                continue
            }
            if t[i] == 0x3C && t[i...].starts(with: cdataOpen) { i += cdataOpen.count; continue }
            if t[i] == 0x5D && t[i...].starts(with: cdataClose) { i += cdataClose.count; continue }
            out.append(t[i])
            i += 1
        }
        return out
    }
    static let cdataOpen = Array("<![CDATA[".utf8), cdataClose = Array("]]>".utf8)

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

    /// The TeX inside delimiters written around the whole of it, and whether they display it.
    static func delimited(_ t: [UInt8]) -> ([UInt8], Bool)? {
        for (open, close, shown) in delimiters where t.count >= open.count + close.count + 1 && t.starts(with: open) && t.reversed().starts(with: close.reversed()) {
            // (`$a$ and $b$` is two formulas: no `$` inside a `$…$`.)
            let inner = Array(t[open.count..<(t.count - close.count)])
            if open == [0x24] && inner.contains(0x24) { continue }
            return (folded(inner), shown)
        }
        return nil
    }
    static let delimiters: [([UInt8], [UInt8], Bool)] = [(Array("$$".utf8), Array("$$".utf8), true), (Array("\\[".utf8), Array("\\]".utf8), true),
                                                         (Array("\\(".utf8), Array("\\)".utf8), false), (Array("$".utf8), Array("$".utf8), false)]

    /// Without MediaWiki's `{\displaystyle …}` / `{\textstyle …}` when its brace ends the formula.
    static func unwrapped(_ s: [UInt8]) -> [UInt8] {
        for w in wrappers {
            guard s.count > w.count, s.starts(with: w), s.last == 0x7D, !CharacterReferences.isAlphanumeric(s[w.count]) else { continue }
            var depth = 0
            for (k, b) in s.enumerated() where k == 0 || s[k - 1] != 0x5C {
                if b == 0x7B { depth += 1 }
                if b == 0x7D { depth -= 1; if depth == 0 { return k == s.count - 1 ? folded(Array(s[w.count..<(s.count - 1)])) : s } }
            }
        }
        return s
    }
    static let wrappers = [Array("{\\displaystyle".utf8), Array("{\\textstyle".utf8)]

    /// Whether a text reads as TeX rather than words: a command (`\frac`), a superscript, a group,
    /// or a subscript (`a_k`, `x_{12}`; not a file name's `screenshot_2020_01_01`).
    static func looksLikeTeX<C: RandomAccessCollection<UInt8>>(_ t: C) -> Bool where C.Index == Int {
        func alnum(_ k: Int) -> Bool { k < t.count && CharacterReferences.isAlphanumeric(t[k]) }
        for (k, b) in t.enumerated() {
            switch b {
            case 0x5E, 0x7B: return true
            case 0x5C: if k + 1 < t.count && (t[k + 1] | 0x20) >= 0x61 && (t[k + 1] | 0x20) <= 0x7A { return true }
            case 0x5F: if k + 1 < t.count && (t[k + 1] == 0x7B || (alnum(k + 1) && !alnum(k + 2))) { return true }
            default: break
            }
        }
        return false
    }

    /// `p[r]` with its character references resolved as HTML5 reads them: numbers (Windows-1252's
    /// for 0x80–0x9F), the WHATWG names (`CharacterReferences.named`; libxml2's table for the ones
    /// it reads alike).
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
                    if v >= 0x80 && v <= 0x9F && CharacterReferences.windows1252[Int(v - 0x80)] != 0 { v = CharacterReferences.windows1252[Int(v - 0x80)] }
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
}

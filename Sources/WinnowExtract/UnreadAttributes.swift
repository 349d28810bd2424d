#if canImport(Glibc)
import Glibc
#endif
import WinnowCore

/// Attributes the walk never reads (`data-*`, `src`, `srcset`, `onclick`, `alt`, `title`, …)
/// are a third of a typical page's markup outside scripts, and libxml2 parses each value
/// character by character and hands it over as a copy. The prescan cuts them before the
/// parser sees the page: only where a start tag reads exactly as libxml2's
/// `htmlParseStartTag` would read it (names of its name characters, blanks, `=`, quoted or
/// unquoted values, then `>` or `/>` where the prescan found the tag's end). Anything else in a
/// tag (a bogus attribute, a form feed, a lone `/`) stops the cutting there, so the parser
/// reads the same elements and the same attributes the walk reads. A quoted href keeps its
/// quotes and loses its URL (a tenth of the markup), unless it is `javascript:` or "#…".
extension HTMLPrescan {
    /// The attributes `HTMLExtractor.attributes` and the walk read, and `<meta>`'s (the
    /// parser's charset handling reads them); the two longer than eight bytes are in `isRead`.
    static let readAttributes: [UInt64] = ["class", "id", "itemprop", "role", "hidden", "href", "name", "style", "lang",
                                           "charset", "content"].map { packedName($0.utf8) }

    /// An attribute name of up to eight bytes, lowercased and packed (0 for longer names).
    static func packedName<C: Collection>(_ b: C) -> UInt64 where C.Element == UInt8 {
        guard b.count <= 8 else { return 0 }
        var k: UInt64 = 0
        for (j, c) in b.enumerated() { k |= UInt64(ASCIIBytes.lowered(c)) << (8 * UInt64(j)) }
        return k
    }

    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    /// libxml2's HTML name characters (`htmlParseHTMLName`): a letter, `_`, `:` or `.` first, then also digits and `-`.
    @inline(__always) static func isNameStart(_ c: UInt8) -> Bool { let l = c | 0x20; return (l >= 0x61 && l <= 0x7A) || c == 0x5F || c == 0x3A || c == 0x2E }
    @inline(__always) static func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 0x30 && c <= 0x39) || c == 0x2D }

    static func isRead(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        if r.count <= 8 { return readAttributes.contains(packedName(UnsafeBufferPointer(rebasing: p[r]))) }
        // "aria-hidden" and "http-equiv" are the only longer ones.
        return MarkupBytes.named(p, r, "aria-hidden") || MarkupBytes.named(p, r, "http-equiv")
    }

    static let hrefName = packedName("href".utf8)
    static func isHref(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        r.count == 4 && packedName(UnsafeBufferPointer(rebasing: p[r])) == hrefName
    }

    /// Whether the value in `from..<to` is a `javascript:` URL: leading blanks allowed, any
    /// case (`HTMLExtractor.isScriptURL`, on the parser's value, is this).
    static func isScriptURL(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var i = from
        while i < to && isBlank(p[i]) { i += 1 }
        return ASCIIBytes.hasPrefix(p, at: i, end: to, "javascript:")
    }

    /// Whether the value in `from..<to` names a place on the same page: "#" and a name (leading
    /// blanks allowed). A bare "#" is a script hook and "#!…" an AJAX page's address: neither is.
    /// (`HTMLExtractor.isFragmentURL`, on the parser's value, is this.)
    static func isFragmentURL(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var i = from
        while i < to && isBlank(p[i]) { i += 1 }
        return i + 1 < to && p[i] == 0x23 && p[i + 1] != 0x21 && !isBlank(p[i + 1])
    }

    /// Appends to `cuts` the unread attributes of the start tag whose name starts at `from` and
    /// whose `>` is at `close`, each from the blanks before it to the end of its value; only
    /// cuts that end by `limit` (where the excess-attribute cut of the tag starts).
    mutating func cutUnreadAttributes(_ p: UnsafeBufferPointer<UInt8>, from: Int, close: Int, limit: Int) {
        guard let base = p.baseAddress else { return }
        var i = from
        while i < close && Self.isNameChar(p[i]) { i += 1 }
        if i - from >= 100 { return }  // (libxml2 truncates names at 100 bytes)
        while true {
            let blanks = i
            while i < close && Self.isBlank(p[i]) { i += 1 }
            if i == close { break }
            if p[i] == 0x2F && i + 1 == close { break }  // `/>`
            guard Self.isNameStart(p[i]) else { break }   // a bogus attribute: libxml2 skips it its own way
            let nameStart = i
            while i < close && Self.isNameChar(p[i]) { i += 1 }
            let name = nameStart..<i
            guard name.count < 100 else { break }
            var j = i
            while j < close && Self.isBlank(p[j]) { j += 1 }
            var quoted = false
            var hrefValue: Range<Int>? = nil
            if j < close && p[j] == 0x3D {  // =
                j += 1
                while j < close && Self.isBlank(p[j]) { j += 1 }
                if j < close && (p[j] == 0x22 || p[j] == 0x27) {
                    // Quoted: to the closing quote (the prescan's tag end respects quotes too).
                    guard let q = memchr(base + j + 1, Int32(p[j]), close - j - 1) else { break }
                    let valueStart = j + 1
                    j = base.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1
                    quoted = true
                    // An href's URL is never read, only that there is one and whether it is
                    // `javascript:` or a place on the page ("#…"): the value goes, its quotes stay.
                    // (A value with a character reference stays: `&#106;avascript:` is one.)
                    if j - 1 > valueStart && j - 1 <= limit && Self.isHref(p, name) && !Self.isScriptURL(p, valueStart, j - 1)
                        && !Self.isFragmentURL(p, valueStart, j - 1)
                        && memchr(base + valueStart, 0x26, j - 1 - valueStart) == nil {
                        hrefValue = valueStart..<(j - 1)
                    }
                } else {
                    // Unquoted: to a blank or a `>`; a `>` before the prescan's end (after a form
                    // feed the prescan took for a blank) ends the tag for libxml2: stop.
                    while j < close && !Self.isBlank(p[j]) && p[j] != 0x3E { j += 1 }
                    if j < close && p[j] == 0x3E { break }
                }
                i = j
            }
            // (No `=`: a bare attribute, `i` is already after its name.) What follows must be what
            // libxml2 goes on from: the tag's end, a blank, `/`, or (after a quote) the next name;
            // anything else (a NUL the parser never sees, a form feed) stops the cutting.
            guard i == close || Self.isBlank(p[i]) || p[i] == 0x2F || (quoted && Self.isNameStart(p[i])) else { break }
            // The blanks before it go too, unless the next name follows straight on (`title=""href=…`):
            // they are what keeps it from the tag's name.
            let start = i == close || Self.isBlank(p[i]) || p[i] == 0x2F ? blanks : nameStart
            if !Self.isRead(p, name) && i <= limit { cuts.append(start..<i) } else if let v = hrefValue { cuts.append(v) }
        }
    }
}


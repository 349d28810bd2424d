import WinnowCore

/// Byte-level readers of markup the prescan looks into before libxml2 parses the page (formula
/// elements, their start tags and attributes, a declarative shadow root's template): on the
/// page's UTF-8 bytes, no allocation.
enum MarkupBytes {
    /// HTML's whitespace: space, tab, line feed, form feed, carriage return.
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { HTMLPrescan.isBlank(c) || c == 0x0C }

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
            while i < to && (isSpace(p[i]) || p[i] == 0x2F) { i += 1 }
            let nameStart = i
            while i < to && !isSpace(p[i]) && p[i] != 0x3D && p[i] != 0x2F && p[i] != 0x3E { i += 1 }
            guard i > nameStart else { i += 1; continue }
            let name = nameStart..<i
            while i < to && isSpace(p[i]) { i += 1 }
            var value = i..<i
            if i < to && p[i] == 0x3D {
                i += 1
                while i < to && isSpace(p[i]) { i += 1 }
                if i < to && (p[i] == 0x22 || p[i] == 0x27) {
                    let q = p[i]
                    var j = i + 1
                    while j < to && p[j] != q { j += 1 }
                    value = (i + 1)..<j
                    i = min(j + 1, to)
                } else {
                    let start = i
                    while i < to && !isSpace(p[i]) && p[i] != 0x3E { i += 1 }
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
            while i < r.upperBound && isSpace(p[i]) { i += 1 }
            let s = i
            while i < r.upperBound && !isSpace(p[i]) { i += 1 }
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
            guard isSpace(p[i]) else { return false }
            i += 1
        }
        return true
    }
}

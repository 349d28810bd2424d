#if canImport(Glibc)
import Glibc
#endif
import WinnowCore

/// The content of the elements the walk skips whole (`<noscript>`, `<template>`, `<button>`,
/// `<select>`, `<object>`, `<svg>`, `<math>`, `<canvas>`, `<video>`, `<audio>`, `<map>`), cut
/// before libxml2 parses the page. A browser ends such an element at its end tag whatever is
/// left open inside it (and runs `<noscript>` as raw text); libxml2 ignores an end tag that
/// does not match the innermost open element, so `<noscript><div></noscript>` kept the
/// `<noscript>` open to the end of the page, and the walk, skipping it, lost every word after
/// it. Cut, the element is empty and closes where the page says (an `<svg>` or a `<math>`
/// with no end tag at all, where HTML5 ends foreign content: `foreignContentEnd`). Content of well-formed
/// elements was skipped anyway: nothing else changes. (With formulas read, a `<math>`'s content
/// is its TeX instead, `Formulas`; a declarative shadow root's `<template>` is read, `ShadowRoots`.)
extension HTMLPrescan {
    /// A tag name of up to eight ASCII letters or digits, lowercased and packed (0: none or longer).
    typealias TagKey = UInt64

    /// (Packed as `WordKey` packs class words; our names fit its first eight bytes.)
    static func key(_ s: String) -> TagKey { HTMLExtractor.WordKey(s.utf8).a }
    /// Elements whose content libxml2 reads as raw text (no tags in it count).
    static let rawText: [TagKey] = ["script", "style", "textarea", "title", "iframe", "noembed", "noframes", "xmp"].map(key)
    static let script = key("script")
    /// Of those, the ones whose character references are text (RCDATA: `&amp;` in a title is `&`).
    static let referencesRead: [TagKey] = ["textarea", "title"].map(key)
    static let skippedWhole: [TagKey] = ["noscript", "template", "button", "select", "object", "svg", "math", "canvas", "video",
                                         "audio", "map"].map(key)

    /// Where HTML5 ends an `<svg>` or a `<math>` left open (its `>` ends before `from`): at the
    /// first tag that breaks out of foreign content (`<p>`, `<div>`, `<br>`, `<table>`, …, and
    /// `</p>`, `</br>`), so the page's text after it is the page's (libxml2 kept it open to the
    /// end of its parent, and the walk, skipping it, lost that text). Nil when none comes (at most
    /// `budget` bytes read).
    static func foreignContentEnd(_ p: UnsafeBufferPointer<UInt8>, from: Int, _ budget: inout Int) -> Int? {
        var i = from
        while i + 2 < p.count && budget > 0 {
            guard let base = p.baseAddress, let hit = memchr(base + i, 0x3C, p.count - i) else { return nil }
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            budget -= at + 1 - i
            let close = at + 1 < p.count && p[at + 1] == 0x2F
            let (k, _) = tagKey(p, at + (close ? 2 : 1))
            if close ? (k == Self.paragraph || k == Self.lineBreak) : Self.breakout.contains(k) { return at }
            i = at + 1
        }
        return nil
    }
    static let breakout: Set<TagKey> = Set(["b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
                                            "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta",
                                            "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table",
                                            "tt", "u", "ul", "var"].map(key))
    static let svg = key("svg"), paragraph = key("p"), lineBreak = key("br")

    /// The name of the tag whose name starts at `i`, and its length.
    static func tagKey(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (TagKey, Int) {
        var k: TagKey = 0, j = i
        while j < p.count {
            let c = p[j] | 0x20
            let letter = c >= 0x61 && c <= 0x7A, digit = p[j] >= 0x30 && p[j] <= 0x39
            guard letter || digit else { break }
            if j - i == 8 { return (0, 0) }
            k |= UInt64(letter ? c : p[j]) << (8 * UInt64(j - i))
            j += 1
        }
        // A name goes on with '-', ':' or '_' (custom elements, namespaces): not one of ours.
        if j < p.count && (p[j] == 0x2D || p[j] == 0x3A || p[j] == 0x5F) { return (0, 0) }
        return (k, j - i)
    }

    /// Whether a tag named `name` (`length` bytes) starts at `i` (after `<` or `</`).
    @inline(__always) static func names(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ name: TagKey, _ length: Int) -> Bool {
        guard i + length <= p.count else { return false }
        let (k, l) = tagKey(p, i)
        return l == length && k == name
    }

    /// Whether `name` (lowercase) is at `i`, in any case, followed by whitespace, `/` or `>` (the
    /// tag name ends there, as HTML5 reads one: `</br>`, `<script>`, not `</brx>`).
    static func namesTag(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ name: StaticString) -> Bool {
        let end = i + name.utf8CodeUnitCount
        guard end < p.count, ASCIIBytes.hasPrefix(p, at: i, end: p.count, name) else { return false }
        let c = p[end]
        return c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x2F || c == 0x3E
    }

    /// The index of the `<` of the end tag that closes the element named `name` whose start
    /// tag ends before `from`, or nil. `nested`: same-named elements inside are counted (a
    /// skipped element); otherwise the first end tag closes it (raw text: a script, a style).
    /// At most `budget` bytes are read (the caller's bound on the page's searches keeps them linear).
    static func endTag(_ p: UnsafeBufferPointer<UInt8>, from: Int, _ name: TagKey, _ length: Int, nested: Bool, _ budget: inout Int) -> Int? {
        guard let base = p.baseAddress else { return nil }
        var i = from, depth = 1
        while i < p.count && budget > 0 {
            guard let hit = memchr(base + i, 0x3C, p.count - i) else { budget -= p.count - i; return nil }
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            budget -= at + 1 - i
            if at + 1 < p.count && p[at + 1] == 0x2F {
                if names(p, at + 2, name, length) { depth -= 1; if depth == 0 { return at } }
            } else if nested && names(p, at + 1, name, length) {
                depth += 1
            }
            i = at + 1
        }
        return nil
    }

    /// The index after the `-->` (or `--!>`, as HTML5 and libxml2 also end one) that ends a
    /// comment whose `<!--` ends before `from`, or the end of the page.
    static func commentEnd(_ p: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        guard let base = p.baseAddress else { return p.count }
        var i = from
        while i + 2 < p.count, let hit = memchr(base + i, 0x2D, p.count - i - 2) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if p[at + 1] == 0x2D && p[at + 2] == 0x3E { return at + 3 }
            if p[at + 1] == 0x2D && p[at + 2] == 0x21 && at + 3 < p.count && p[at + 3] == 0x3E { return at + 4 }
            i = at + 1
        }
        return p.count
    }
}

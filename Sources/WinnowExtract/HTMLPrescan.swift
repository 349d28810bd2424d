import CByteScan
import WinnowCore

/// One linear pass over the page's UTF-8 bytes before libxml2 sees them, for what the parser
/// would otherwise lose or be slow on:
/// - NUL bytes: libxml2's HTML parser takes a NUL as the end of the input and drops the rest of
///   the page; they are removed (as browsers ignore them in text);
/// - start tags with more than `maxAttributes` attributes: libxml2 compares each attribute name
///   with every earlier one (quadratic: 200k attributes took 38 s); the excess is cut, so the
///   parser's work per tag is bounded by construction;
/// - binary input: the share of characters no text has (C0/C1 controls, U+FFFD, private-use
///   characters — random bytes decoded as UTF-8, a single-byte charset or UTF-16 all leave many);
/// - the content of elements the walk skips whole, so that one left unbalanced inside cannot
///   keep them open to the end of the page (`SkippedElementContent.swift`), but for a declarative
///   shadow root's `<template>`, which browsers show (`ShadowRoots.swift`);
/// - bogus comments (`<![if !supportLists]>`, `<![endif]>`: `<!` without `--` or DOCTYPE; `<?…>`,
///   `</ x>`), which browsers drop up to the first `>` and libxml2 would leave in the text; `<!-->`,
///   a DOCTYPE inside the page, the rest of a script HTML5 ends later (`ScriptData.swift`);
/// - what HTML5 reads otherwise than libxml2 2.9, rewritten: `</br>` (a line break), character
///   references (`&#146;`, `&copy 2017`, `&plus;`: `CharacterReferences.swift`), a declarative
///   shadow root's `<template>` (`ShadowRoots.swift`);
/// - formulas, rewritten as their TeX in a `<mathtex>` element (`Formulas.swift`).
struct HTMLPrescan {
    static let maxAttributes = 100

    var nulBytes = 0
    var attributesDropped = 0
    /// Characters (Unicode scalars) of the input, and those of them no text has.
    var scalars = 0
    var oddScalars = 0
    /// Byte ranges to leave out (excess attributes, skipped elements' content), in order.
    var cuts: [Range<Int>] = []
    /// Ranges to replace (character references, `</br>`, formulas, a shadow root's tag names) or
    /// empty places to insert at (a formula image's TeX), in order and none inside a cut, each
    /// with its replacement's range in `rewriteBytes` (one buffer: a page of a million
    /// references holds no million arrays).
    var rewrites: [(range: Range<Int>, bytes: Range<Int>)] = []
    var rewriteBytes: [UInt8] = []
    /// Formulas are read as TeX (`Formulas`); otherwise `<math>` is skipped whole like `<svg>`.
    let formulas: Bool
    /// Formulas numbered so far, and the last `<math>` read: where it ends, its number, its TeX
    /// (a formula image right after it with the same TeX is its picture: `insertImageFormula`).
    var formulaCount = 0
    var lastFormula: (end: Int, number: Int, tex: [UInt8])? = nil
    /// Where the `</template>` of each open declarative shadow root is (`ShadowRoots.swift`), innermost last.
    var shadowRootEnds: [Int] = []

    var needsCopy: Bool { nulBytes > 0 || !cuts.isEmpty || !rewrites.isEmpty }

    /// At least 5% odd characters (and 16 of them): no page of text in any language has that
    /// many; random or compressed bytes, whatever charset decoded them, have 10-50%.
    var looksBinary: Bool { oddScalars >= 16 && oddScalars * 20 >= scalars }

    init(_ p: UnsafeBufferPointer<UInt8>, formulas: Bool = true) {
        self.formulas = formulas
        let n = p.count
        var i = 0
        // No skipped element's content starts before this index (inside a script, a style, a
        // comment or content already cut); searches for end tags read at most 4n bytes in all.
        var quietUntil = 0, searchBudget = 4 * n
        // No character reference is text before this index (as `quietUntil`, but a `<title>`'s
        // references are read).
        var referencesFrom = 0
        // A DOCTYPE after the first start tag is ignored in HTML5; libxml2 then read the next end tag as text.
        var sawStartTag = false
        var contentCuts: [Range<Int>] = []
        while i < n {
            // Runs of text (most of a page's bytes) are counted sixteen bytes at a time.
            i += textRun(p, i, stop: 0x3C, 0x26)
            if i >= n { break }
            let b = p[i]
            if b & 0xC0 != 0x80 { scalars += 1 }
            if b < 0x20 {
                if b == 0 { nulBytes += 1; oddScalars += 1 } else if b != 0x09 && b != 0x0A && b != 0x0C && b != 0x0D { oddScalars += 1 }
            } else if b == 0x3C {
                if !shadowRootEnds.isEmpty { closeShadowRoots(p, at: i, readable: i >= quietUntil) }
                if i + 1 < n, (p[i + 1] | 0x20) >= 0x61, (p[i + 1] | 0x20) <= 0x7A {
                    let (name, length) = i >= quietUntil ? Self.tagKey(p, i + 1) : (0, 0)
                    let (end, excess) = scanTag(p, from: i + 1)
                    if i >= quietUntil { sawStartTag = true }
                    // Inside a script, a style or a comment a `<` and a letter start no tag: its
                    // "attributes" are code, and a cut could take the `</script>` or `-->` with them.
                    if i >= quietUntil {
                        // In order: the tag's unread attributes, then its excess ones.
                        if end < n && p[end - 1] == 0x3E { cutUnreadAttributes(p, from: i + 1, close: end - 1, limit: excess?.cut.lowerBound ?? end) }
                        if let excess { cuts.append(excess.cut); attributesDropped += excess.attributes }
                    }
                    if name != 0 && end < n && p[end - 1] == 0x3E {
                        if Self.rawText.contains(name) {
                            var unbounded = Int.max  // (each raw-text search starts where the last one ended: linear)
                            quietUntil = Self.endTag(p, from: end, name, length, nested: false, &unbounded) ?? n
                            if name == Self.script && formulas && quietUntil < n && rewriteTeXScript(p, at: i, end: end, close: quietUntil) {
                                // (a formula's TeX: no script data to read further)
                            } else if name == Self.script && quietUntil < n {
                                let close = Self.scriptDataEnd(p, from: end, first: quietUntil, &searchBudget)
                                if close != quietUntil { contentCuts.append(end..<close); quietUntil = close }
                            }
                            if !Self.referencesRead.contains(name) { referencesFrom = quietUntil }
                        } else if Self.skippedWhole.contains(name) && p[end - 2] != 0x2F,
                                  let close = Self.endTag(p, from: end, name, length, nested: true, &searchBudget) {
                            if name == Self.template && opensShadowRoot(p, at: i, end: end, close: close) {
                                i = end
                                continue
                            }
                            if name == Self.math && formulas { rewriteMath(p, at: i, end: end, close: close) }
                            else if close > end { contentCuts.append(end..<close) }
                            quietUntil = close
                            referencesFrom = close
                        } else if (name == Self.math || name == Self.svg) && p[end - 2] != 0x2F,
                                  let stop = Self.foreignContentEnd(p, from: end, &searchBudget) {
                            // An unclosed <svg> or <math>: ended where HTML5 ends it.
                            if name == Self.math && formulas {
                                rewriteMath(p, at: i, end: end, close: stop, unclosed: true)
                            } else {
                                if stop > end { contentCuts.append(end..<stop) }
                                rewrite(stop..<stop, (name == Self.svg ? "</svg>" : "</math>").utf8)
                            }
                            quietUntil = stop
                            referencesFrom = stop
                        } else if name == Self.img && formulas {
                            insertImageFormula(p, at: i, end: end)
                        }
                    }
                    i = end
                    continue
                }
                if i >= quietUntil && i + 1 < n && p[i + 1] == 0x2F && Self.namesTag(p, i + 2, "br") {
                    // `</br>` is a line break in HTML5 (as `<br>`); libxml2 dropped it, and the
                    // words on either side ran together.
                    var close = i + 4
                    while close < n && p[close] != 0x3E { close += 1 }
                    rewrite(i..<min(close + 1, n), "<br>".utf8)
                } else if i >= quietUntil && i + 3 < n && p[i + 1] == 0x21 && p[i + 2] == 0x2D && p[i + 3] == 0x2D {
                    // `<!-->` and `<!--->` are whole (empty) comments; libxml2 read on to the next
                    // `-->`, and the text between was lost.
                    let abrupt = i + 4 < n && p[i + 4] == 0x3E ? i + 5 : i + 5 < n && p[i + 4] == 0x2D && p[i + 5] == 0x3E ? i + 6 : nil
                    if let abrupt { cut(p, i..<abrupt) }
                    quietUntil = abrupt ?? Self.commentEnd(p, from: i + 4)
                    referencesFrom = quietUntil
                } else if i >= quietUntil && i + 1 < n && Self.opensBogusComment(p, i, doctype: !sawStartTag) {
                    // `<!` without `--` or DOCTYPE opens a bogus comment that the first `>` ends, as
                    // browsers read it: Word's `<![if !supportLists]>` / `<![endif]>` around list
                    // numbers, which libxml2 would leave in the text. So do `<?` and an end tag
                    // whose name is no name (`<//SPAN>`, `</ br>`, `</2>`; `</>` is dropped too), and
                    // a DOCTYPE in the page's body (a page pasted into another).
                    // (Its bytes are still read below, for the counts; nothing in it is cut again.)
                    var close = i + 2
                    while close < n && p[close] != 0x3E { close += 1 }
                    close = min(close + 1, n)
                    cut(p, i..<close)
                    quietUntil = close
                    referencesFrom = close
                }
            } else if b == 0x26 {
                if i >= referencesFrom, let r = CharacterReferences.rewrite(p, at: i) { rewrite(i..<r.end, r.bytes) }
            } else if b >= 0x7F {
                if Self.isOdd(p, i) { oddScalars += 1 }
            }
            i += 1
        }
        if !contentCuts.isEmpty {
            // Attribute cuts inside cut content go with it (both lists are in order: one merge).
            // A cut that would overlap the one before it (a tag running past the end of cut
            // content) is left out: the copy needs ordered, disjoint ranges.
            var merged: [Range<Int>] = []
            merged.reserveCapacity(cuts.count + contentCuts.count)
            func add(_ r: Range<Int>) { if r.lowerBound >= (merged.last?.upperBound ?? 0) { merged.append(r) } }
            var k = 0
            for c in contentCuts {
                while k < cuts.count && cuts[k].lowerBound < c.lowerBound { add(cuts[k]); k += 1 }
                while k < cuts.count && cuts[k].upperBound <= c.upperBound { k += 1 }
                add(c)
            }
            for r in cuts[k...] { add(r) }
            cuts = merged
        }
    }

    /// Cuts markup that browsers drop. A `<` right before it is text (`<<!-->`), and stays text
    /// once the cut brings it next to what follows (`&lt;`).
    mutating func cut(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) {
        if r.lowerBound > 0 && p[r.lowerBound - 1] == 0x3C { rewrite(r.lowerBound - 1..<r.lowerBound, "&lt;".utf8) }
        cuts.append(r)
    }

    /// Puts `bytes` in the place of `range` in the copy libxml2 reads.
    mutating func rewrite<S: Sequence<UInt8>>(_ range: Range<Int>, _ bytes: S) {
        let start = rewriteBytes.count
        rewriteBytes.append(contentsOf: bytes)
        rewrites.append((range, start..<rewriteBytes.count))
    }

    /// Whether the `<` at `i` (not the last byte) opens a bogus comment: `<!` without `--` or
    /// DOCTYPE (where a `doctype` may stand), `<?`, or `</` and a byte that is no letter (`</` at
    /// the end of the page is text).
    @inline(__always) static func opensBogusComment(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, doctype: Bool) -> Bool {
        switch p[i + 1] {
        case 0x21: return !(doctype && ASCIIBytes.hasPrefix(p, at: i + 2, end: p.count, "doctype"))
        case 0x3F: return true
        case 0x2F: return i + 2 < p.count && !((p[i + 2] | 0x20) >= 0x61 && (p[i + 2] | 0x20) <= 0x7A)
        default: return false
        }
    }

    /// The run of text from `i` before the first byte the scan must look at itself (`stop`, a
    /// control, DEL, a lead byte of a possibly odd character: `winnow_scan_stops`); its
    /// characters are added to `scalars`.
    @inline(__always) mutating func textRun(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, stop: UInt8, _ stop2: UInt8? = nil) -> Int {
        guard let base = p.baseAddress else { return 0 }
        var counted = 0
        let run = winnow_text_run(base + i, p.count - i, stop, stop2 ?? stop, &counted)
        scalars += counted
        return run
    }

    /// C1 controls, DEL, U+FFFD and private-use characters, from their UTF-8 lead byte (and the next).
    @inline(__always) static func isOdd(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = p[i]
        if b == 0x7F || b == 0xEE { return true }  // DEL; U+E000-U+EFFF
        guard i + 1 < p.count else { return false }
        let c = p[i + 1]
        switch b {
        case 0xC2: return c >= 0x80 && c <= 0x9F                                                  // U+0080-U+009F
        case 0xEF: return c <= 0xA3 || (c == 0xBF && i + 2 < p.count && p[i + 2] == 0xBD)  // U+F000-U+F8FF, U+FFFD
        case 0xF3: return c >= 0xB0                                                            // plane 15
        case 0xF4: return c < 0x90                                                             // plane 16
        default: return false
        }
    }

    /// Walks a start tag from its name to the `>` that ends it (quotes respected, as libxml2
    /// reads attribute values), counting attributes; returns the index after the tag, and the
    /// range from the first excess attribute to the `>` with how many attributes it holds.
    /// Odd characters inside are counted too.
    mutating func scanTag(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, excess: (cut: Range<Int>, attributes: Int)?) {
        let n = p.count
        var i = start
        var quote: UInt8 = 0
        var inToken = true      // the tag name
        var expectValue = false
        var attributes = 0
        var cutStart = -1
        while i < n {
            if quote != 0 {
                // An attribute value (URLs, class lists) up to its closing quote.
                i += textRun(p, i, stop: quote)
                if i >= n { break }
            }
            let c = p[i]
            if c & 0xC0 != 0x80 { scalars += 1 }
            if c < 0x20 {
                if c == 0 { nulBytes += 1; oddScalars += 1 } else if c != 0x09 && c != 0x0A && c != 0x0C && c != 0x0D { oddScalars += 1 }
                if quote == 0 && c != 0 { inToken = false }
                i += 1
                continue
            }
            if c >= 0x7F && Self.isOdd(p, i) { oddScalars += 1 }
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == 0x3E {  // >
                break
            } else if c == 0x20 {
                inToken = false
            } else if c == 0x3D {  // =
                expectValue = true
                inToken = false
            } else if expectValue && (c == 0x22 || c == 0x27) {
                quote = c
                expectValue = false
            } else if !inToken {
                inToken = true
                if expectValue {
                    expectValue = false  // an unquoted value
                } else if c != 0x2F {     // not the `/` of `/>`
                    attributes += 1
                    if attributes == Self.maxAttributes + 1 { cutStart = i }
                }
            }
            i += 1
        }
        return (i < n ? i + 1 : n, cutStart >= 0 ? (cutStart..<i, attributes - Self.maxAttributes) : nil)
    }

    /// The input without NUL bytes and cut ranges, with the rewritten references.
    func cleaned(_ p: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(p.count)
        var from = 0
        let nuls = nulBytes > 0
        func copy(_ r: Range<Int>) {
            // (Without NULs, a range is one copy.)
            if !nuls { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[r])); return }
            var i = r.lowerBound
            while i < r.upperBound {
                // Runs between NULs are appended whole.
                var j = i
                while j < r.upperBound && p[j] != 0 { j += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
                i = j + 1
            }
        }
        // Cuts and rewrites are each in order and disjoint: one merge.
        var k = 0
        for c in cuts {
            // (An insertion, an empty range, where a cut starts goes before the cut.)
            while k < rewrites.count && (rewrites[k].range.lowerBound < c.lowerBound
                                         || (rewrites[k].range.isEmpty && rewrites[k].range.lowerBound == c.lowerBound)) {
                if rewrites[k].range.lowerBound >= from {
                    copy(from..<rewrites[k].range.lowerBound)
                    out.append(contentsOf: rewriteBytes[rewrites[k].bytes])
                    from = rewrites[k].range.upperBound
                }
                k += 1
            }
            copy(from..<max(from, c.lowerBound))
            from = max(from, c.upperBound)
        }
        for r in rewrites[k...] where r.range.lowerBound >= from {
            copy(from..<r.range.lowerBound)
            out.append(contentsOf: rewriteBytes[r.bytes])
            from = r.range.upperBound
        }
        copy(from..<p.count)
        return out
    }
}

/// Paragraphs written one sentence to an element (`<p>One sentence.</p><p>Another.</p>`, or
/// sentences on lines of their own between `<br>`s): no sentence alone is long enough to read as
/// prose, so an article written that way looked like a page of short lines, and the container
/// with the most prose was somewhere else (a bio, a teaser). Read together, as the paragraph they
/// would be, they are prose. Found with `bench/extraction/invariance.py`'s `sentences` (every
/// paragraph split at its sentences), not on gold text.
extension HTMLExtractor {
    /// Runs of two or more consecutive sentence blocks (`isLoneSentence`) in one container, or in
    /// sibling containers, that together are as long as a good block (25 units, two punctuation
    /// marks): each is read as good.
    static func readSentenceRunsAsParagraphs(_ blocks: [Block], _ tree: Containers, _ cls: inout [Class]) {
        for run in paragraphRuns(blocks, tree, where: { isLoneSentence(blocks[$0], cls[$0]) }) {
            var units = 0, punct = 0
            for k in run {
                let m = measure(blocks[k].bytes)
                units += m.units
                punct += m.punct
            }
            if units >= 25 && punct > 1 { for k in run { cls[k] = .good } }
        }
    }

    /// Runs of two or more consecutive blocks that are `member`s, each in the container of the
    /// one before it or in a sibling container (paragraphs side by side: one `flowParent`).
    static func paragraphRuns(_ blocks: [Block], _ tree: Containers, where member: (Int) -> Bool) -> [Range<Int>] {
        func oneParagraph(_ x: Block, _ y: Block) -> Bool {
            if x.container == y.container { return true }
            return x.container >= 0 && y.container >= 0 && flowParent(x, tree) == flowParent(y, tree)
        }
        var runs: [Range<Int>] = []
        var i = 0
        while i < blocks.count {
            guard member(i) else { i += 1; continue }
            var j = i + 1
            while j < blocks.count && member(j) && oneParagraph(blocks[j - 1], blocks[j]) { j += 1 }
            if j - i >= 2 { runs.append(i..<j) }
            i = j
        }
        return runs
    }

    /// The element whose flow of text a block is part of: its element's parent, or for a list
    /// item the list's parent (a feature list between two paragraphs is in their flow); -1 for
    /// a block outside every element.
    static func flowParent(_ b: Block, _ tree: Containers) -> Int32 {
        guard b.container >= 0 else { return -1 }
        let p = tree.parent[Int(b.container)]
        return b.listItem && p >= 0 ? tree.parent[Int(p)] : p
    }

    /// A block of text that is too short for prose on its own (short or borderline) and reads as
    /// a sentence of a paragraph: it ends one, it is no heading, list item, table cell, caption or
    /// boilerplate, and at most a quarter of it is links. (A good block stands on its own and
    /// ends a run: its borderline neighbours are kept beside it anyway.)
    static func isLoneSentence(_ b: Block, _ cls: Class) -> Bool {
        (cls == .near || cls == .short) && b.runningText
            && b.linkBytes * 4 <= b.bytes.count && endsSentence(b.bytes)
    }

    /// Whether text ends a sentence: ".", "!", "?", "…", "。", "！", "？" or another script's
    /// sentence end (`isOtherScriptSentenceEnd`), with closing quotes and brackets (any
    /// language's, `lastBeforeClosers`) after it allowed, and note markers (`endingBeforeNoteMarkers`).
    static func endsSentence(_ b: [UInt8]) -> Bool {
        let k = lastBeforeClosers(b, end: endingBeforeNoteMarkers(b))
        return k >= 0 && isSentenceMark(b, last: k, colon: false, ellipsis: true)
    }

    /// The index of the last byte before `end` that is not a space (a no-break one too: French sets
    /// one inside « … ») or a closing quote or bracket:
    /// " ' ) ’ ” ‘ “ (German closes a quotation with “), » « (French « … », Swedish »…»), 」 』 ）
    /// (E2 80 99/9D/98/9C, C2 BB/AB/A0, E3 80 8D/8F, EF BC 89); -1 when there is none.
    static func lastBeforeClosers(_ b: [UInt8], end: Int) -> Int {
        var k = end - 1
        while k >= 0 {
            let c = b[k]
            if c == 0x20 || c == 0x22 || c == 0x27 || c == 0x29 { k -= 1; continue }
            if k >= 2 && b[k - 2] == 0xE2 && b[k - 1] == 0x80 && (c == 0x99 || c == 0x9D || c == 0x98 || c == 0x9C) { k -= 3; continue }
            if k >= 1 && b[k - 1] == 0xC2 && (c == 0xBB || c == 0xAB || c == 0xA0) { k -= 2; continue }
            if k >= 2 && b[k - 2] == 0xE3 && b[k - 1] == 0x80 && (c == 0x8D || c == 0x8F) { k -= 3; continue }
            if k >= 2 && b[k - 2] == 0xEF && b[k - 1] == 0xBC && c == 0x89 { k -= 3; continue }
            break
        }
        return k
    }

    /// Whether the character whose last byte is `b[last]` ends a sentence: ". ! ?", 。！？
    /// (E3 80 82, EF BC 81/9F), another script's end; ":" and "：" (EF BC 9A) with `colon`, "…"
    /// (E2 80 A6) with `ellipsis`.
    static func isSentenceMark(_ b: [UInt8], last k: Int, colon: Bool, ellipsis: Bool) -> Bool {
        let c = b[k]
        if c == 0x2E || c == 0x21 || c == 0x3F || (colon && c == 0x3A) { return true }
        if isOtherScriptSentenceEnd(b, last: k) { return true }
        guard k >= 2 else { return false }
        let (x, y) = (b[k - 2], b[k - 1])
        return (ellipsis && x == 0xE2 && y == 0x80 && c == 0xA6)
            || (x == 0xE3 && y == 0x80 && c == 0x82)
            || (x == 0xEF && y == 0xBC && (c == 0x81 || c == 0x9F || (colon && c == 0x9A)))
    }

    /// Whether the character whose last byte is `b[last]` ends a sentence in a script that does
    /// not use "." for it: the danda of Hindi, Bengali, Marathi, Nepali (। ॥), Tibetan (།), Urdu's
    /// full stop (۔), the Arabic question mark (؟), Armenian (։), Ethiopic (። ፧), Myanmar (။),
    /// Khmer (។ ៕), the Greek question mark (U+037E, which NFC makes ";": rare). Text in them
    /// reads as no sentence without it.
    @inline(__always)
    static func isOtherScriptSentenceEnd(_ b: [UInt8], last k: Int) -> Bool {
        let c = b[k]
        guard c >= 0x80 && c < 0xC0 && k >= 1 else { return false }
        let y = b[k - 1]
        switch y {
        case 0xD8: return c == 0x9F                      // ؟
        case 0xDB: return c == 0x94                      // ۔
        case 0xD6: return c == 0x89                      // ։
        case 0xCD: return c == 0xBE                      // ;
        case 0xA5: return k >= 2 && b[k - 2] == 0xE0 && (c == 0xA4 || c == 0xA5)  // । ॥
        case 0xBC: return k >= 2 && b[k - 2] == 0xE0 && c == 0x8D                 // །
        case 0x8D: return k >= 2 && b[k - 2] == 0xE1 && (c == 0xA2 || c == 0xA7)  // ። ፧
        case 0x81: return k >= 2 && b[k - 2] == 0xE1 && c == 0x8B                 // ။
        case 0x9F: return k >= 2 && b[k - 2] == 0xE1 && (c == 0x94 || c == 0x95)  // ។ ៕
        default: return false
        }
    }

    /// Where text ends without the note markers set after its last sentence: bracketed groups of
    /// at most 40 bytes each, spaces between ("…in 1973.[4][5]", "…a millennium. [MP2 SP]",
    /// "[citation needed]"), as a wiki or a footnoted essay sets them. Without this, a
    /// Wikipedia paragraph did not end a sentence, and the rules that read sentences passed it by.
    static func endingBeforeNoteMarkers(_ b: [UInt8]) -> Int {
        var end = b.count
        var k = end - 1
        while k >= 0 {
            if b[k] == 0x20 { k -= 1; continue }
            guard b[k] == 0x5D else { break }
            var o = k - 1
            while o >= 0 && k - o <= 40 && b[o] != 0x5B && b[o] != 0x5D { o -= 1 }
            guard o >= 0 && k - o <= 40 && b[o] == 0x5B else { break }
            end = o
            k = o - 1
        }
        while end < b.count && end > 0 && b[end - 1] == 0x20 { end -= 1 }
        return end
    }
}

/// Prose with links set inside its sentences (a Wikipedia paragraph, a news story that links
/// every name it mentions): a quarter to over half of its text can be linked, so link density
/// alone read it as a link list and dropped it. Found with `bench/extraction/invariance.py`'s
/// `inline-links` (every third word of each paragraph linked), not on gold text: trafilatura,
/// which tests link density on short elements only, kept such pages where Winnow lost them.
/// A long linked paragraph is content; a short one is borderline, unless it is one of a run.
/// (`linkedProse` in ContentRescues is another case: a sentence whose links are most of it, next
/// to the article's good paragraphs, is borderline there.)
extension HTMLExtractor {
    /// A block that reads as sentences with links inside them, not as links with separators
    /// between them: three or more separate runs of linked text, over a quarter of the block
    /// (less is read as prose anyway), and either at most 60 % of it with on average at least 8
    /// bytes of unlinked text around each run (a menu's " | " or a tag list's " (3), " is less),
    /// or at most 80 % of it with a word between the runs, not only separators, in two gaps of
    /// three (a wiki stub's "…de [Guadalachara], en a [comunidat autonoma] de [Castiella]…", or
    /// every other word linked: short words between links are under 8 bytes); at least 15 units,
    /// ending a sentence; no list item or heading (link lists are set as those). With separators
    /// between the links it takes two punctuation marks as well; with words between them one
    /// sentence is enough (a news story's one-sentence paragraphs, most of their names linked).
    static func isProseWithInlineLinks(_ b: Block, units: Int, punct: Int) -> Bool {
        guard b.linkRuns >= 3 && b.linkBytes * 4 > b.bytes.count else { return false }
        let spaced = b.linkBytes * 5 <= b.bytes.count * 3 && b.bytes.count - b.linkBytes >= (b.linkRuns + 1) * 8
        let worded = b.wordedLinkGaps * 3 >= (b.linkRuns - 1) * 2 && b.linkBytes * 5 <= b.bytes.count * 4
        return (spaced || worded) && units >= 15 && (punct >= 2 || worded) && !b.listItem && !b.heading && endsSentence(b.bytes)
    }

    /// A byte that starts a letter: an ASCII letter, or the lead byte of a letter of another
    /// script (Latin-1 letters to Arabic, Indic and Thai; kana, CJK and Hangul), not of the
    /// punctuation and symbols between them (U+0080–U+00BF, U+2000–U+2FFF, U+3000–U+303F).
    @inline(__always)
    static func isLetterByte(_ c: UInt8, next: UInt8) -> Bool {
        if c < 0x80 { return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        if c >= 0xC3 && c <= 0xE1 { return true }
        if c == 0xE3 { return next != 0x80 }
        return c >= 0xE4 && c <= 0xED
    }

    /// Linked prose of a long paragraph's length (60 units) is content on its own; shorter, it
    /// is borderline, kept next to content: author bios, "filed under" lines and copyright
    /// notices are prose with links of that length, and stay out unless the article is around them.
    static func inlineLinkedProseClass(units: Int) -> Class { units >= 60 ? .good : .near }

    /// Two or more borderline linked-prose paragraphs in a row (in one container, or in sibling
    /// containers) are an article's paragraphs, not a bio or a notice that stands alone: each is
    /// read as good.
    static func readInlineLinkedProseRuns(_ blocks: [Block], _ tree: Containers, _ cls: inout [Class]) {
        func inlineLinked(_ i: Int) -> Bool {
            let b = blocks[i]
            guard cls[i] == .near && !b.boilerplate && b.linkRuns >= 3 else { return false }
            let m = measure(b.bytes)
            return isProseWithInlineLinks(b, units: m.units, punct: m.punct)
        }
        for run in paragraphRuns(blocks, tree, where: inlineLinked) { for k in run { cls[k] = .good } }
    }
}

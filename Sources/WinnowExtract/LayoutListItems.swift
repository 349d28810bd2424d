/// A list item that holds a page's article: some sites lay out their columns as the items of a
/// list (`<ul class="two-coloum"><li class="left-main">` around the story's paragraphs). Its
/// paragraphs are no list items: read as such, the rules for link lists passed them by (prose
/// with links inside its sentences was dropped as a link list, and `- ` marked every paragraph).
/// Found with a probe of Chinese pages (`bench/extraction/inserted_zh.py`), not on gold text.
extension HTMLExtractor {
    /// Blocks of a list item holding three or more blocks of its own, two of them or more
    /// paragraphs of prose (25 units or more, at most a quarter links), and half the page's
    /// unlinked text or more (boilerplate aside), are no list items. A link list's item, a teaser
    /// card (a linked title, a blurb, a date) or a menu entry with a sub-list (whose items are
    /// list items of their own) holds fewer blocks; a comment in a list of comments, or a
    /// sidebar's widget, less of the page's text.
    static func readLayoutListItems(_ blocks: inout [Block]) {
        // Blocks per list item first: most items hold one or two, and their text is not measured.
        var owned: [Int32: Int] = [:]
        var pageText = 0
        for b in blocks where !b.boilerplate {
            pageText += b.bytes.count - b.linkBytes
            if b.listOwner >= 0 { owned[b.listOwner, default: 0] += 1 }
        }
        var held: [Int32: (prose: Int, text: Int)] = [:]
        for b in blocks where b.listOwner >= 0 && !b.boilerplate && owned[b.listOwner]! >= 3 {
            var h = held[b.listOwner, default: (0, 0)]
            h.text += b.bytes.count - b.linkBytes
            if b.bytes.count >= 25 && b.linkBytes * 4 <= b.bytes.count && measure(b.bytes).units >= 25 { h.prose += 1 }
            held[b.listOwner] = h
        }
        let layout = Set(held.filter { $0.value.prose >= 2 && $0.value.text * 2 >= pageText }.keys)
        guard !layout.isEmpty else { return }
        for k in blocks.indices where layout.contains(blocks[k].listOwner) { blocks[k].listItem = false }
    }
}

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
        // Blocks and unlinked text per list item first: at most two items hold half the page's
        // text, and only their blocks are measured.
        var owned: [Int32: (blocks: Int, text: Int)] = [:]
        var pageText = 0
        for k in blocks.indices where !blocks[k].boilerplate {
            let text = blocks[k].bytes.count - blocks[k].linkBytes
            pageText += text
            let owner = blocks[k].listOwner
            if owner >= 0 { var o = owned[owner, default: (0, 0)]; o.blocks += 1; o.text += text; owned[owner] = o }
        }
        let candidates = owned.filter { $0.value.blocks >= 3 && $0.value.text * 2 >= pageText }
        guard !candidates.isEmpty else { return }
        var prose: [Int32: Int] = [:]
        for k in blocks.indices where !blocks[k].boilerplate && candidates[blocks[k].listOwner] != nil {
            let b = blocks[k].bytes
            if b.count >= 25 && blocks[k].linkBytes * 4 <= b.count && measure(b).units >= 25 { prose[blocks[k].listOwner, default: 0] += 1 }
        }
        let layout = Set(prose.filter { $0.value >= 2 }.keys)
        guard !layout.isEmpty else { return }
        for k in blocks.indices where layout.contains(blocks[k].listOwner) { blocks[k].listItem = false }
    }
}

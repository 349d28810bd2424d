/// Boxes set into an article (a newsletter sign-up, a "Read more:" line, a share bar, a short
/// related list after a paragraph) are bad blocks, and a bad block that is not a lone short link
/// line ends a run of borderline blocks: the lines on one side of the box, with no good paragraph
/// on that side (a headed list of short features, a story's closing sentences, a product's
/// feature list under a promotion line), were lost with it. Found with
/// `bench/extraction/invariance.py`'s `newsletter`, `read-more`, `inline-share` and
/// `inline-related` changes (35–38 of the 1,922 scored pages lost over a tenth of their text;
/// trafilatura, which keeps what its main element holds, 1–7), not on gold text.
extension HTMLExtractor {
    /// A block's part in a box set into the article's flow.
    enum InsetPart: UInt8 {
        /// In no such box.
        case none
        /// In the stretch a box makes, under the flow's own parent (a list item or heading of
        /// the article beside the box): it ends no run, and a short line stays a line of the article.
        case flow
        /// The box's own text under the box's element (its heading, "Related Stories"): it ends
        /// no run, and is never taken back as a short line of the article.
        case box
    }

    /// For each block, its part in a box set into the article's flow: a stretch of bad or short
    /// blocks, at least one of them bad and none over 20 units, between two borderline or good
    /// blocks of the main content in one flow (`flowParent`) that are not boilerplate. The
    /// article goes on past it. The stretch holds at most eight blocks or, past that, at most
    /// eight bad blocks and lines with links and up to 30 plain lines of the flow's own (a
    /// product's feature list of "GPS", "Swim proof" between its heading and its shop box). A
    /// comment thread (long comments between the lines), a section under another parent after
    /// the box (an author box, a footer) and a long stretch of links (a page's menus) are no such box.
    static func articleInsets(_ blocks: [Block], _ cls: [Class], _ inMain: [Bool], _ tree: Containers) -> [InsetPart] {
        let maxBlocks = 8, maxPlainLines = 30, maxUnits = 20
        var part = [InsetPart](repeating: .none, count: blocks.count)
        func inStretch(_ k: Int) -> Bool { cls[k] == .bad || cls[k] == .short }
        func plainLine(_ k: Int) -> Bool { cls[k] == .short && blocks[k].linkBytes == 0 }
        var i = 0
        while i < blocks.count {
            guard cls[i] == .bad else { i += 1; continue }
            // Out from the bad block, plain lines counted apart from the rest.
            var a = i - 1, b = i + 1, others = 1, plain = 0
            func take(_ k: Int) -> Bool {
                guard inStretch(k) else { return false }
                if plainLine(k) {
                    guard plain < maxPlainLines else { return false }
                    plain += 1
                } else {
                    guard others < maxBlocks else { return false }
                    others += 1
                }
                return true
            }
            while a >= 0 && take(a) { a -= 1 }
            while b < blocks.count && take(b) { b += 1 }
            guard a >= 0, b < blocks.count, !inStretch(a), !inStretch(b),
                  inMain[a], inMain[b], !blocks[a].boilerplate, !blocks[b].boilerplate else { i += 1; continue }
            let parent = flowParent(blocks[a], tree)
            guard parent >= 0, parent == flowParent(blocks[b], tree),
                  (a + 1..<b).allSatisfy({ measure(blocks[$0].bytes).units <= maxUnits }),
                  // Past eight blocks the plain lines are the flow's own, not a box's text.
                  b - a - 1 <= maxBlocks || !(a + 1..<b).contains(where: { plainLine($0) && flowParent(blocks[$0], tree) != parent })
            else { i += 1; continue }
            for k in (a + 1)..<b { part[k] = flowParent(blocks[k], tree) == parent ? .flow : .box }
            i = b
        }
        return part
    }
}

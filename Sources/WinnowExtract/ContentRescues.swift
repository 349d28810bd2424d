/// The rules that take back into the main content what the block classes alone would drop:
/// each one a pattern of real pages (a list page's introduction, a table's link-dense rows, a
/// list of linked summaries, the lines a sentence announces, sentences with links of their own,
/// a short post of borderline paragraphs).
extension HTMLExtractor {
    /// The lead-in to the main container: prose right before it in the same section (a list
    /// page's introduction above its table, a standfirst above the story's body), with only
    /// short or borderline blocks between (a lone "Read more" link and a byline, passed over),
    /// no link lists or boilerplate. The run is taken from its first good block on (or a lead
    /// sentence with links of its own), without figure captions and credit lines (a lead
    /// photo's words are not the story's); a run without good prose (a title, a byline) is left
    /// to the context pass, but for a standfirst right under the title.
    static func leadIn(_ best: Int32, _ blocks: [Block], _ cls: inout [Class], _ teaser: [Bool], _ tree: Containers, _ inMain: inout [Bool]) {
        // The section: up to three levels above (a table's rows: tbody, table, then the page's text column).
        guard let section = tree.chain(best, limit: 4).dropFirst().last, let first = inMain.firstIndex(of: true) else { return }
        var k = first - 1, lead = first, standfirst = -1
        func lone(_ k: Int) -> Bool { cls[k] == .bad && (k == 0 || cls[k - 1] != .bad) }
        // A lone "Read more" link between a story's opening and the rest is passed over, not kept.
        func readMore(_ k: Int) -> Bool { lone(k) && isShortLinkLine(blocks[k], maxUnits: 3, whole: true) }
        // So is a lone byline ("by Donna Tam": four words at most, mostly the author's link).
        func byline(_ k: Int) -> Bool { lone(k) && !blocks[k].heading && isShortLinkLine(blocks[k], maxUnits: 4) }
        // A lead sentence whose links make it read as link-dense ("Below, read the statement…").
        func linkedLead(_ k: Int) -> Bool { cls[k] == .bad && !blocks[k].heading && isLinkedSentence(blocks[k]) }
        // A standfirst: a borderline sentence of twelve words or more, no links, right under a heading.
        func standfirstAt(_ k: Int) -> Bool {
            cls[k] == .near && k > 0 && blocks[k - 1].heading && !blocks[k].caption && !blocks[k].listItem && blocks[k].linkBytes == 0 && measure(blocks[k].bytes).units >= 12
        }
        var linkedLeads: [Int] = []  // rare: allocates only when a page has one
        while k >= 0 && !blocks[k].boilerplate && !teaser[k] && tree.contains(section, blocks[k].container) {
            let linked = linkedLead(k)
            guard cls[k] != .bad || linked || readMore(k) || byline(k) else { break }
            if linked { linkedLeads.append(k) }
            if (cls[k] == .good || linked) && !blocks[k].caption { lead = k }
            if standfirstAt(k) { standfirst = k }
            k -= 1
        }
        for i in lead..<first where !blocks[i].caption && !readMore(i) { inMain[i] = true }
        // A linked lead sentence taken in becomes borderline, as `linkedProse` makes one: the context pass decides.
        for i in linkedLeads where i >= lead && !blocks[i].caption { cls[i] = .near }
        // The standfirst alone, not the date and byline lines between it and the story.
        if standfirst >= 0 && standfirst < lead { inMain[standfirst] = true }
    }

    /// The article's headline: the heading just above the first kept block (a byline, a date
    /// or a category line may sit between), in the same section (within four levels of that
    /// block), not boilerplate and not mostly a link, is the title of the text below it.
    static func keepHeadline(_ blocks: [Block], _ cls: [Class], _ tree: Containers, _ keep: inout [Bool]) {
        // The section: the first kept block's ancestor four levels up (or the highest there is).
        guard let first = keep.firstIndex(of: true), let section = tree.chain(blocks[first].container, limit: 5).last else { return }
        var k = first - 1
        while k >= 0 && k >= first - 4 {
            let b = blocks[k]
            if b.boilerplate || cls[k] == .good { return }
            if b.heading {
                if b.linkBytes * 2 < b.bytes.count && tree.contains(section, b.container) { keep[k] = true }
                return
            }
            k -= 1
        }
    }

    /// A list of linked summaries inside the article ("10 things": each item a link and a
    /// comment on it) reads as link-dense, but a run of at least three list items with some
    /// text of their own, between kept content on both sides (short lines between do not
    /// count), is the article's.
    static func keepLinkedSummaries(_ blocks: [Block], _ cls: [Class], _ inMain: [Bool], _ keep: inout [Bool]) {
        var i = 0
        while i < blocks.count {
            guard blocks[i].listItem && inMain[i] && !blocks[i].boilerplate else { i += 1; continue }
            var j = i
            while j < blocks.count && blocks[j].listItem && inMain[j] && !blocks[j].boilerplate { j += 1 }
            let items = i..<j
            let withText = items.filter { blocks[$0].linkBytes * 10 <= blocks[$0].bytes.count * 7 && measure(blocks[$0].bytes).units >= 5 }.count
            // Kept content on both sides, past short lines between (a photo credit above the list).
            var before = i - 1, after = j
            while before >= 0 && !keep[before] && cls[before] == .short && !blocks[before].listItem { before -= 1 }
            while after < blocks.count && !keep[after] && cls[after] == .short && !blocks[after].listItem { after += 1 }
            if items.count >= 3 && withText * 2 >= items.count && before >= 0 && after < blocks.count && keep[before] && keep[after] {
                for k in items where cls[k] != .bad || blocks[k].linkBytes < blocks[k].bytes.count { keep[k] = true }
            }
            i = j
        }
    }

    /// A table whose rows are mostly kept is the article's table (a list page's films, a
    /// product comparison): its other rows go with it, unless they are links and nothing else
    /// (a row whose title and note are both links reads as link-dense). Under a head row of
    /// `<th>` cells half its other rows kept is enough (`keepsHalfUnderAHead`). So is a table set into
    /// the article's flow whose rows the classes drop (a league table or a cast list, each row's
    /// first cell a link): the blocks right before and after the table are kept and in one flow
    /// (the paragraph or heading above it, the next one below; with no kept block right below
    /// it, at the article's end or before a share bar it drops, the table has a head row of
    /// `<th>` cells and sits in the flow of the block above it), every row has some text outside
    /// its links, and two thirds of the rows have two cells or more with text (a floated
    /// "related reading" box set in a layout table has a bullet image beside each link). Data
    /// tables only: at least three rows in the main content, each one block of two or more
    /// cells (a layout table's rows hold paragraphs, or one cell each). A table's rows count
    /// together, its `<thead>` and `<tbody>` alike.
    static func keepTableRows(_ blocks: [Block], _ cls: [Class], _ tree: Containers, _ inMain: [Bool], _ keep: inout [Bool]) {
        guard !tree.rows.isEmpty else { return }
        var tables: [Int32: [Int]] = [:]
        for (i, b) in blocks.enumerated() where inMain[i] && !b.boilerplate && tree.rows.contains(b.container) {
            // The row's table: its parent, or the element above a `<thead>` or `<tbody>` it sits in
            // (two lookups, no chain built per row).
            let parent = tree.parent[Int(b.container)]
            let above = parent >= 0 ? tree.parent[Int(parent)] : -1
            let table = tree.tables.contains(parent) || !tree.tables.contains(above) ? parent : above
            tables[table, default: []].append(i)
        }
        for (table, rows) in tables where rows.count >= 3 && rows.allSatisfy({ blocks[$0].cells >= 2 }) {
            let kept = rows.count(where: { keep[$0] })
            guard kept * 3 >= rows.count * 2 || keepsHalfUnderAHead(rows, blocks, keep) || isSetInFlow(table, rows, blocks, cls, inMain, tree, keep) else { continue }
            for i in rows where blocks[i].linkBytes < blocks[i].bytes.count { keep[i] = true }
        }
    }

    /// Whether a table with a head row of `<th>` cells keeps half its other rows: a data table by
    /// its markup, whose rows the classes split by their links (a name and a title linked in
    /// some rows, not in others).
    private static func keepsHalfUnderAHead(_ rows: [Int], _ blocks: [Block], _ keep: [Bool]) -> Bool {
        guard blocks[rows[0]].isHeadRow else { return false }
        return rows.dropFirst().count(where: { keep[$0] }) * 2 >= rows.count - 1
    }

    /// Whether a data table (`table`: the element holding its rows; `rows`: its row blocks, in
    /// order) sits in the article's flow with rows of their own text (`keepTableRows`): under a
    /// kept block, or a line announcing it (`isIntroduction`, kept with it afterwards) when a
    /// kept block follows the table in the same flow.
    private static func isSetInFlow(_ table: Int32, _ rows: [Int], _ blocks: [Block], _ cls: [Class], _ inMain: [Bool], _ tree: Containers, _ keep: [Bool]) -> Bool {
        guard rows.allSatisfy({ blocks[$0].linkBytes < blocks[$0].bytes.count }),
              rows.count(where: { blocks[$0].textCells >= 2 }) * 3 >= rows.count * 2,
              var above = rows.first, var below = rows.last else { return false }
        // The blocks right outside the table (past its caption).
        while above >= 0 && tree.contains(table, blocks[above].container) { above -= 1 }
        while below < blocks.count && tree.contains(table, blocks[below].container) { below += 1 }
        guard above >= 0 && (keep[above] || isIntroduction(above, blocks, cls, inMain, tree)) else { return false }
        let flow = flowParent(blocks[above], tree)
        guard flow >= 0 else { return false }
        if below < blocks.count && keep[below] { return flow == flowParent(blocks[below], tree) }
        // The article's end, or a bar or label it drops after the table: a table with a head row,
        // set in the flow of a kept block above (a table of the site's other stories has no head;
        // a line announcing it is not enough here: "Read more stories on this subject:" over a
        // table of them after the share bar).
        return keep[above] && table >= 0 && blocks[rows[0]].isHeadRow && flow == tree.parent[Int(table)]
    }

    /// A line that announces with a colon the table kept right after it ("Here is a table with
    /// my ten most recent academic ancestors:") is the article's: between a heading and the
    /// table's rows, often bad by their links, the context pass finds no good block beside it.
    /// A heading right above the line (not bad) is its section's title and comes with it.
    static func keepIntroductions(_ blocks: [Block], _ cls: [Class], _ inMain: [Bool], _ tree: Containers, _ keep: inout [Bool]) {
        for i in blocks.indices.dropLast() where !keep[i] && keep[i + 1] && isIntroduction(i, blocks, cls, inMain, tree) {
            keep[i] = true
            if i > 0 && blocks[i - 1].heading && !blocks[i - 1].boilerplate && inMain[i - 1] && cls[i - 1] != .bad { keep[i - 1] = true }
        }
    }

    /// Whether block `i` announces the table right after it: a line of running text (`Block.runningText`)
    /// ending in a colon, short or borderline, five units or more and at most half links; the
    /// next block a table row inside the line's parent element. (A line before a list is kept
    /// with the list's items in the context pass.)
    static func isIntroduction(_ i: Int, _ blocks: [Block], _ cls: [Class], _ inMain: [Bool], _ tree: Containers) -> Bool {
        guard i + 1 < blocks.count, inMain[i], cls[i] == .near || cls[i] == .short else { return false }
        let b = blocks[i], next = blocks[i + 1]
        return b.runningText && b.linkBytes * 2 <= b.bytes.count
            && endsWithColon(b.bytes) && tree.rows.contains(next.container)
            && b.container >= 0 && tree.contains(tree.parent[Int(b.container)], next.container)
            && measure(b.bytes).units >= 5
    }

    /// Whether a line ends in a colon, ASCII or full-width ("：").
    static func endsWithColon(_ t: [UInt8]) -> Bool {
        t.last == 0x3A || (t.count >= 3 && t[t.count - 3] == 0xEF && t[t.count - 2] == 0xBC && t[t.count - 1] == 0x9A)
    }

    /// The short lines a kept sentence introduces with a colon ("Here are the places we will
    /// visit:" and a line per city, each a link) are what it announces: kept up to the next
    /// heading, boilerplate or prose block, however link-dense. Not list items: a list of
    /// linked headlines after "More from World News:" is a related-stories box
    /// (`keepLinkedSummaries` judges lists).
    static func keepIntroducedLines(_ blocks: [Block], _ cls: [Class], _ inMain: [Bool], _ keep: inout [Bool]) {
        var i = 0
        while i < blocks.count {
            defer { i += 1 }
            let b = blocks[i]
            guard keep[i], !b.heading, cls[i] == .good || cls[i] == .near, endsWithColon(b.bytes) else { continue }
            var j = i + 1
            while j < blocks.count && j - i <= 60 && inMain[j] && !keep[j] && !blocks[j].boilerplate && !blocks[j].heading
                    && !blocks[j].listItem && (cls[j] == .short || cls[j] == .bad) && measure(blocks[j].bytes).units <= 12 {
                j += 1
            }
            for k in (i + 1)..<j { keep[k] = true }
            i = j - 1
        }
    }

    /// A heading that is a link (a round-up's "1. <a>Acme Widget Pro</a>" over each entry)
    /// reads as link-dense, but over a kept good block in its own flow (short lines passed
    /// over) it is the title of the article's next part: two or more such headings of one level
    /// in one flow are a round-up's entries (the first one under the title too), and one alone needs a
    /// kept block among the three above it. A teaser box's heading over the article's next
    /// paragraph is in a flow of its own, a teaser card's blurb is not kept (`teasers`), and a
    /// pointer ("READ MORE: <a>…</a>") is no title.
    static func keepLinkedHeadings(_ blocks: [Block], _ cls: [Class], _ inMain: [Bool], _ tree: Containers, _ keep: inout [Bool]) {
        var titles: [(index: Int, flow: Int32)] = []
        for i in blocks.indices where blocks[i].heading && !keep[i] && inMain[i] && !blocks[i].boilerplate
            && blocks[i].linksElsewhere && !isPointer(blocks[i]) {
            let flow = flowParent(blocks[i], tree)
            guard let next = nearestNotShort(i, 1, cls), cls[next] == .good, keep[next] else { continue }
            // The next block in the heading's flow, or one level up (a post's title in its
            // header, the body beside it); not the last of a row of linked headlines.
            let up = flow >= 0 ? tree.parent[Int(flow)] : -1
            guard flowParent(blocks[next], tree) == flow || (up >= 0 && tree.contains(up, blocks[next].container)) else { continue }
            if let prev = nearestNotShort(i, -1, cls), blocks[prev].heading, !keep[prev], blocks[prev].linkBytes * 2 > blocks[prev].bytes.count { continue }
            titles.append((i, flow))
        }
        let kept = keep
        // (Of one level: a linked headline above a round-up is the headline rule's, not an entry.)
        for t in titles where titles.contains(where: { $0.flow == t.flow && $0.index != t.index && blocks[$0.index].headingLevel == blocks[t.index].headingLevel })
            || (max(0, t.index - 3)..<t.index).contains(where: { kept[$0] }) {
            keep[t.index] = true
        }
    }

    /// A label and a colon before a link that is the rest of the line ("READ MORE: <a>…</a>",
    /// "Related: <a>…</a>", "延伸阅读：<a>…</a>"): a pointer to another page. (A line linked
    /// whole, label and all, is not.)
    static func isPointer(_ b: Block) -> Bool {
        let head = b.bytes.prefix(24)
        var end = -1
        for k in head.indices {
            if head[k] == 0x3A { end = k + 1; break }
            // ：(U+FF1A, EF BC 9A)
            if head[k] == 0xEF && k + 2 < b.bytes.count && b.bytes[k + 1] == 0xBC && b.bytes[k + 2] == 0x9A { end = k + 3; break }
        }
        return end > 0 && abs(b.bytes.count - end - b.rawLinkBytes) <= 1
    }

    /// A line with a link of its own set between the article's paragraphs: a listing's address
    /// (linked) and price under each headed entry, an editor's note with its link, a reading
    /// list's source and URL lines. Link-dense enough to read as bad, so it ended the run of
    /// content, but the blocks on both sides of it (short lines, a listing's headings among
    /// them, passed over) are kept, in one flow with it: good paragraphs on both sides, or a
    /// good paragraph on one side and a borderline one on the other, with more of the
    /// article's good paragraphs beyond the borderline one (inside the article, not at its
    /// edge: "Download the report … or read it online" between the last good paragraph and a
    /// closing sentence; a line of one link there is a closing line, below). At most two
    /// thirds of it in links and three words or more: an inline "Read more: <a title>" line
    /// (four fifths links) and a "[Top]" link stay out, as does an embedded post's stub. No
    /// heading, list item, table row, caption or boilerplate (lists, tables and boxes have
    /// rules of their own). With `closingLines` (not `favor: precision`), such a line right after
    /// a good paragraph, in its flow, with a block not kept (or the page's end) or a borderline
    /// closing sentence after it, is the article's closing line ("Write to … at <address>", "This post was
    /// contributed by <name>.", a bare credit line), as trafilatura keeps it, when it holds one
    /// link (`Block.links`): a line of several (share buttons, tags, page numbers) stays out.
    static func keepLinkedLinesBetweenParagraphs(_ blocks: [Block], _ cls: [Class], _ inMain: [Bool], _ tree: Containers, closingLines: Bool, _ keep: inout [Bool]) {
        // The first and last kept good blocks (the rule keeps bad blocks only: they stay put).
        guard let firstGood = cls.indices.first(where: { keep[$0] && cls[$0] == .good }),
              let lastGood = cls.indices.last(where: { keep[$0] && cls[$0] == .good }) else { return }
        for i in cls.indices where cls[i] == .bad && inMain[i] && !keep[i] {
            let b = blocks[i]
            guard b.runningText && b.linkBytes * 3 <= b.bytes.count * 2,
                  let before = nearestNotShort(i, -1, cls), keep[before], measure(b.bytes).units >= 3 else { continue }
            // A closing line: one link, after a good paragraph.
            let closing = closingLines && b.links <= 1 && cls[before] == .good
            guard let after = nearestNotShort(i, 1, cls), keep[after] else {
                // The article's end: a block not kept, or the page's end, after the line.
                if closing && inOneFlow(i, before, nil, blocks, tree) { keep[i] = true }
                continue
            }
            let paragraphs = cls[after] == .good && cls[before] == .good
            let borderline = (cls[after] == .good && cls[before] == .near) || (cls[after] == .near && cls[before] == .good)
            // The borderline side is not the article's edge: a good paragraph lies beyond it
            // (or the line closes the article before a borderline closing sentence).
            let inside = (cls[before] != .near || firstGood < before) && (cls[after] != .near || lastGood > after)
            guard paragraphs || (borderline && (inside || closing)) else { continue }
            if inOneFlow(i, before, after, blocks, tree) { keep[i] = true }
        }
    }

    /// Whether line `i` shares its flow with blocks `before` and `after` (if any) and is no embedded post's stub.
    static func inOneFlow(_ i: Int, _ before: Int, _ after: Int?, _ blocks: [Block], _ tree: Containers) -> Bool {
        let flow = flowParent(blocks[i], tree)
        return flow >= 0 && flow == flowParent(blocks[before], tree) && (after.map { flow == flowParent(blocks[$0], tree) } ?? true)
            && !isEmbedStub(i, blocks, tree)
    }

    /// Whether block `i` is all the text of a quotation it is in: an embedded post's stub
    /// (Instagram's "A post shared by … on …" in its `<blockquote>`), not a line of the article.
    /// (By id ranges: a quotation of one block is a wrapper the container tree's parents skip.)
    static func isEmbedStub(_ i: Int, _ blocks: [Block], _ tree: Containers) -> Bool {
        let c = blocks[i].container
        guard !tree.quotations.isEmpty && c >= 0 else { return false }
        for q in tree.quotations where tree.contains(q, c) {
            if (i > 0 && tree.contains(q, blocks[i - 1].container)) || (i + 1 < blocks.count && tree.contains(q, blocks[i + 1].container)) { continue }
            return true
        }
        return false
    }

    /// Sentences with links of their own (a round-up post: "X discusses <a>this</a>, and …")
    /// read as link-dense, but a complete sentence — some text outside the links, ending in
    /// sentence punctuation or a colon ("a few of our favourites:" before the list or the
    /// embeds it introduces), not cut short with "…" — next to the article's good paragraphs
    /// (under the same parent, or around the quotation they are set in: "Below, read the
    /// statement" above it) is the article's: it becomes borderline, and the context pass
    /// decides. Teaser blurbs, cut short, and link lists, with no text of their own, stay bad.
    static func linkedProse(_ blocks: [Block], _ tree: Containers, _ inMain: [Bool], _ cls: inout [Class]) {
        var parents = Set<Int32>()
        for (i, b) in blocks.enumerated() where cls[i] == .good && inMain[i] && b.container >= 0 {
            let p = tree.parent[Int(b.container)]
            // (Paragraphs share parents: the walk up to a quotation is done once per parent.)
            if parents.insert(p).inserted, let outside = tree.outsideQuotations(p) { parents.insert(outside) }
        }
        guard !parents.isEmpty else { return }
        for (i, b) in blocks.enumerated() where cls[i] == .bad && inMain[i] && !b.boilerplate && !b.heading && b.container >= 0
            && parents.contains(tree.parent[Int(b.container)]) && isLinkedSentence(b) {
            cls[i] = .near
        }
    }

    /// A short sentence with a link of its own right after a kept good paragraph (`before`, its
    /// nearest block that is not short), in the same flow ("Visit the Improving Birth webpage
    /// for more information.", "Stream or download this week's sermon.", "This article was
    /// reprinted on Wired.com."): the article's closing line, as trafilatura keeps it. Five
    /// units or more, ending a sentence; no heading, list item or boilerplate. (A short line
    /// with a good paragraph on both sides the context pass keeps anyway: this one has a bad
    /// block, or the page's end, after it.)
    static func isClosingLinkedLine(_ i: Int, after before: Int, _ blocks: [Block], _ cls: [Class], _ keep: [Bool], _ tree: Containers) -> Bool {
        let b = blocks[i]
        guard cls[i] == .short && cls[before] == .good && keep[before] && !b.boilerplate && !b.heading && !b.listItem
              && b.linkBytes > 0 && endsSentence(b.bytes) && measure(b.bytes).units >= 5 else { return false }
        let flow = flowParent(b, tree)
        return flow >= 0 && flow == flowParent(blocks[before], tree)
    }

    /// Prose with links of its own: at most seven tenths in links, ten words or more with 30
    /// bytes outside links, ending as a sentence does (not in "..."; note markers after it allowed):
    /// in ". ! ? : \" )" or ”, or in a sentence end of any script (a colon too) with closing
    /// quotes and brackets after it (`lastBeforeClosers`: a German „…“, a French « … », a Chinese
    /// 「…」 or （…）). A quotation cut short ("……（详细）") or a bracket after no sentence end
    /// ("（2019年8月13日 来源：央视网）") ends none.
    static func isLinkedSentence(_ b: Block) -> Bool {
        let n = endingBeforeNoteMarkers(b.bytes)
        guard b.linkBytes * 10 <= b.bytes.count * 7, n > 0 else { return false }
        let last = b.bytes[n - 1]
        let ends = last == 0x2E || last == 0x21 || last == 0x3F || last == 0x22 || last == 0x29 || last == 0x3A
            || (n >= 3 && b.bytes[n - 3] == 0xE2 && b.bytes[n - 2] == 0x80 && last == 0x9D)
        if !ends {
            let k = lastBeforeClosers(b.bytes, end: n)
            guard k >= 0 && isSentenceMark(b.bytes, last: k, colon: true, ellipsis: false)
                  && !(k >= 1 && b.bytes[k] == 0x2E && b.bytes[k - 1] == 0x2E) else { return false }
        }
        if n >= 3 && b.bytes[n - 2] == 0x2E && b.bytes[n - 3] == 0x2E { return false }  // "..."
        return measure(b.bytes).units >= 10 && latinLength(b.bytes, part: b.bytes.count - b.linkBytes) >= 30
    }

    /// A listing page (a shop's product grid, a club's news list, a directory of exchanges) has
    /// no article: its text is linked cards, each a title (and a blurb) that is a link. When the
    /// article rules keep next to nothing (under 30 words) or only lines (no good block, at most
    /// one block of ten words or more: a discography's album lines between its linked song
    /// lists, a stylesheet notice above a page of linked reviews), the container holding the
    /// most such cards (at least four within three levels, the innermost of equals; a card is at
    /// least four words, nine tenths of them a link, so "Previous post: …" lines and share
    /// buttons are none) is the page's content when the cards' words are at least twice the
    /// kept ones: its cards and the unlinked lines between them (prices, dates).
    static func keepListingCards(_ blocks: [Block], _ cls: [Class], _ tree: Containers, _ keep: inout [Bool]) {
        var keptUnits = 0, good = false, sentences = 0
        for (i, b) in blocks.enumerated() where keep[i] {
            let u = measure(b.bytes).units
            keptUnits += u
            good = good || cls[i] == .good
            if u >= 10 { sentences += 1 }
            if keptUnits >= 30 && (good || sentences > 1) { return }  // an article's worth: most pages stop here
        }
        // A card's words (0: no card), per block.
        let cardUnits = blocks.map { b -> Int in
            guard !b.boilerplate && (b.linkBytes - b.scriptLinkBytes) * 10 >= b.bytes.count * 9 else { return 0 }
            let u = measure(b.bytes).units
            return u >= 4 ? u : 0
        }
        var cards: [Int32: Int] = [:]
        for (b, u) in zip(blocks, cardUnits) where u > 0 {
            for a in tree.chain(b.container, limit: 4) { cards[a, default: 0] += 1 }
        }
        guard cardUnits.reduce(0, +) >= 2 * keptUnits,
              let (listing, count) = cards.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }), count >= 4 else { return }
        for (i, b) in blocks.enumerated() where !b.boilerplate && tree.contains(listing, b.container) {
            if cardUnits[i] > 0 || (b.linkBytes - b.scriptLinkBytes) * 2 <= b.bytes.count { keep[i] = true }
        }
    }

    /// A short post whose paragraphs are all borderline (a video page's three sentences, a
    /// photo challenge's brief) on a page whose only long block is elsewhere (a "best viewed
    /// with CSS" notice, a teaser in the sidebar): the article rules follow the long block and
    /// drop the post. A run of at least three borderline blocks in a row (one short line may sit
    /// between two of them; a heading ends the run), mostly unlinked and of at least 30 words
    /// together, none of it kept, is such a post: its blocks, to be read as good prose. When the
    /// rules keep under 80 words (a blog post of one paragraph, and the page's one long block is
    /// its footer's disclaimer), a run of one or two borderline blocks of 15 words or more is
    /// one too. Only on pages with at most one good block (a page with an article keeps its own
    /// rules).
    static func droppedProseRuns(_ blocks: [Block], _ cls: [Class], _ keep: [Bool]) -> [Int] {
        guard cls.lazy.filter({ $0 == .good }).count <= 1 else { return [] }
        func borderline(_ k: Int) -> Bool { cls[k] == .near && !blocks[k].boilerplate && !blocks[k].heading }
        // The words kept so far, counted only up to 80.
        var keptWords = 0
        for (b, k) in zip(blocks, keep) where k && keptWords < 80 { keptWords += measure(b.bytes).units }
        var runs: [Int] = []
        var i = 0
        while i < blocks.count {
            guard borderline(i) else { i += 1; continue }
            var run = [i], shortBefore = false, j = i + 1
            while j < blocks.count {
                if borderline(j) { run.append(j); shortBefore = false }
                else if cls[j] == .short && !blocks[j].heading && !blocks[j].boilerplate && !shortBefore { shortBefore = true }
                else { break }
                j += 1
            }
            let bytes = run.reduce(0) { $0 + blocks[$1].bytes.count }, links = run.reduce(0) { $0 + blocks[$1].linkBytes }
            let words = run.reduce(0) { $0 + measure(blocks[$1].bytes).units }
            let long = run.count >= 3 && words >= 30, brief = run.count < 3 && words >= 15 && keptWords < 80
            if (long || brief) && links * 4 <= bytes && !run.contains(where: { keep[$0] }) { runs += run }
            i = j
        }
        return runs
    }
}

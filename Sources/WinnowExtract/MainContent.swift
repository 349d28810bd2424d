/// The block-level elements of a page as a tree: ids in document (pre-)order, each with its
/// parent and the last id inside it, so "is this block inside that container" costs two
/// comparisons whatever the nesting depth (deep pages are kept whole, and stay linear).
struct Containers {
    var parent: [Int32] = []
    var last: [Int32] = []
    /// Block elements marked up as an article's body (`HTMLExtractor.isArticleBody`), in
    /// document order, and the outermost of them.
    var articleBodies: [Int32] = []
    var outermostArticleBodies: [Int32] = []
    /// Table rows (`<tr>`): a block whose container is one is a row of its table.
    var rows = Set<Int32>()
    /// Tables (`<table>`): their rows may sit in a `<thead>` and a `<tbody>` of their own.
    var tables = Set<Int32>()
    /// Quotations (`<blockquote>`): an article quotes them; they are not the article.
    var quotations = Set<Int32>()
    /// Per element, its kind: tag and first class name hashed together (0: no class). Elements
    /// of one kind under one parent are parts of one thing (`HTMLExtractor.sameKindSiblings`).
    var kinds: [UInt64] = []

    /// An element's kind for `kinds`: its tag and its first class name (`<section
    /// class="section …">` too: not a symmetric mix), or 0 for an element without a class.
    static func elementKind(tag: UInt64, firstClass: UInt64) -> UInt64 {
        guard firstClass != 0 else { return 0 }
        let k = (tag &* 0x9E3779B97F4A7C15) ^ firstClass
        return k == 0 ? 1 : k
    }

    mutating func open(parent p: Int32, kind: UInt64 = 0) -> Int32 {
        let id = Int32(parent.count)
        parent.append(p)
        kinds.append(kind)
        last.append(id)
        return id
    }

    mutating func close(_ id: Int32) { last[Int(id)] = Int32(parent.count - 1) }

    /// Whether `node` is `c` or inside it.
    func contains(_ c: Int32, _ node: Int32) -> Bool { c >= 0 && node >= c && node <= last[Int(c)] }

    /// Per element, whether it is one of `elements` or inside one: each element marked once,
    /// however many of them there are or however they nest.
    func covered(_ elements: [Int32]) -> [Bool] {
        var inside = [Bool](repeating: false, count: parent.count)
        var end: Int32 = -1
        for x in elements.sorted() where x > end {
            for k in x...last[Int(x)] { inside[Int(k)] = true }
            end = last[Int(x)]
        }
        return inside
    }

    /// How many of `sortedIds` (element ids, ascending) are `c` or inside it.
    func count(_ sortedIds: [Int32], in c: Int32) -> Int {
        func below(_ x: Int32) -> Int {
            var lo = 0, hi = sortedIds.count
            while lo < hi { let m = (lo + hi) / 2; if sortedIds[m] < x { lo = m + 1 } else { hi = m } }
            return lo
        }
        return below(last[Int(c)] + 1) - below(c)
    }

    /// An element that holds a single block and no text of its own adds no structure: page
    /// builders set each paragraph in a stack of such wrappers (`<div class="sqs-block"><div
    /// class="sqs-block-content"><p>…`), where hand-written pages set paragraphs side by side.
    /// Each container's parent skips them, so paragraphs read as siblings either way and "how
    /// many levels up" (cards, the article's container) counts elements that group blocks.
    /// (Containment stays by id range: a skipped wrapper still contains its block.)
    mutating func skipSingleBlockWrappers(_ blockContainers: some Sequence<Int32>) {
        let n = parent.count
        var direct = [Int32](repeating: 0, count: n)
        for c in blockContainers where c >= 0 { direct[Int(c)] += 1 }
        var held = direct  // blocks in each container's subtree (children have higher ids)
        for id in stride(from: n - 1, through: 0, by: -1) where parent[id] >= 0 { held[Int(parent[id])] += held[id] }
        for id in 0..<n {
            var p = parent[id]
            while p >= 0 && held[Int(p)] == 1 && direct[Int(p)] == 0 { p = parent[Int(p)] }
            parent[id] = p
        }
    }

    /// The element around the outermost quotation that holds `node` (within 64 levels up), or
    /// nil when no quotation holds it or that quotation has no parent.
    func outsideQuotations(_ node: Int32) -> Int32? {
        guard !quotations.isEmpty else { return nil }
        var c = node, outermost: Int32 = -1, levels = 0
        while c >= 0 && levels < 65 {
            if quotations.contains(c) { outermost = c }
            c = parent[Int(c)]
            levels += 1
        }
        guard outermost >= 0, parent[Int(outermost)] >= 0 else { return nil }
        return parent[Int(outermost)]
    }

    /// `node` and its enclosing containers, innermost first, at most `limit` of them.
    func chain(_ node: Int32, limit: Int) -> [Int32] {
        var out: [Int32] = []
        var c = node
        while c >= 0 && out.count < limit { out.append(c); c = parent[Int(c)] }
        return out
    }
}

extension HTMLExtractor {
    /// A page whose whole visible text is short has no main part to find: that text is its
    /// content (as trafilatura falls back to the page's text). Blocks in boilerplate-named
    /// containers and link lists stay out (a `javascript:` link is not a link here); pages over 30
    /// words or CJK characters are not short.
    static func shortPageText(_ blocks: [Block]) -> String {
        let kept = blocks.filter { !$0.boilerplate && ($0.linkBytes - $0.scriptLinkBytes) * 2 <= $0.bytes.count }
        let units = kept.reduce(0) { $0 + measure($1.bytes).units }
        guard units > 0 && units <= 30 else { return "" }
        return kept.map { String(decoding: $0.text, as: UTF8.self) }.joined(separator: "\n")
    }

    enum Class { case good, near, short, bad }

    /// Length in "units": CJK characters count one each, other text one per word, and text in a
    /// script written without spaces between words (Thai, Lao, Tibetan, Myanmar, Khmer) one per
    /// four characters of a run, about a word; there a space ends a clause or a sentence, so a
    /// space between two such runs counts as punctuation (after a run of eight characters or
    /// more: a clause, not a word of a keyword line).
    static func measure(_ b: [UInt8]) -> (units: Int, chars: Int, punct: Int) {
        var units = 0, chars = 0, punct = 0
        var inWord = false
        var runChars = 0  // characters so far of a run of a script without spaces between words
        var afterRunSpace = false  // a space (or a line end) followed such a run of 8 characters or more
        var i = 0
        while i < b.count {
            let c = b[i]
            if c < 0x80 {
                if c == 0x20 || c == 0x0A { inWord = false; afterRunSpace = afterRunSpace || runChars >= 8; runChars = 0 } else {
                    afterRunSpace = false
                    runChars = 0
                    chars += 1
                    if !inWord { units += 1; inWord = true }
                    if c == 0x2E || c == 0x2C || c == 0x3B || c == 0x21 || c == 0x3F || c == 0x3A { punct += 1 }
                }
                i += 1
                continue
            }
            let len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4
            chars += 1
            if len >= 3 && i + 2 < b.count {
                let v = UInt32(c & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                if len == 3 && isScriptWithoutSpaces(v) {
                    if runChars == 0 && afterRunSpace { punct += 1 }
                    if runChars % 4 == 0 { units += 1 }
                    runChars += 1; inWord = true; afterRunSpace = false
                    i += len
                    continue
                }
                afterRunSpace = false
                runChars = 0
                if (v >= 0x3040 && v <= 0x30FF) || (v >= 0x3400 && v <= 0x9FFF) || (v >= 0xAC00 && v <= 0xD7AF) { units += 1; inWord = false }
                else if v == 0x3002 || v == 0xFF0C || v == 0xFF1B || v == 0xFF01 || v == 0xFF1F || v == 0x3001 || v == 0xFF1A { punct += 1; inWord = false }
                // Set after a word, as "." is (and, alone between spaces, a word, as " . " is): । ॥
                // (Devanagari, Bengali), ། (Tibetan), ። ፧ (Ethiopic), ၊ ။ (Myanmar), ។ ៕ (Khmer).
                else if len == 3 && isOtherScriptMark(v) { punct += 1; if !inWord { units += 1; inWord = true } }
                else if !inWord { units += 1; inWord = true }
            } else if len == 2 && i + 1 < b.count && isOtherScriptPunctuation(c, b[i + 1]) {
                afterRunSpace = false; runChars = 0
                punct += 1
                if !inWord { units += 1; inWord = true }
            } else {
                afterRunSpace = false; runChars = 0
                if !inWord { units += 1; inWord = true }
            }
            i += len
        }
        return (units, chars, punct)
    }

    /// Thai, Lao, Tibetan, Myanmar and Khmer letters and marks: scripts whose words have no
    /// spaces between them (their sentence marks, counted above as punctuation, aside).
    @inline(__always)
    static func isScriptWithoutSpaces(_ v: UInt32) -> Bool {
        (v >= 0x0E01 && v <= 0x0EFF) || (v >= 0x0F00 && v <= 0x0FFF && v != 0x0F0D) || (v >= 0x1000 && v <= 0x109F && v != 0x104A && v != 0x104B)
            || (v >= 0x1780 && v <= 0x17FF && v != 0x17D4 && v != 0x17D5)
    }

    /// Sentence ends and commas of scripts that do not use "." and ",", three bytes each.
    @inline(__always)
    static func isOtherScriptMark(_ v: UInt32) -> Bool {
        v == 0x0964 || v == 0x0965 || v == 0x0F0D || v == 0x1362 || v == 0x1367 || v == 0x104A || v == 0x104B || v == 0x17D4 || v == 0x17D5
    }

    /// Arabic-script and Armenian punctuation, two bytes each: ، ؛ ؟ ۔ ։ and the Greek question
    /// mark (U+037E). Counted as ASCII punctuation is: prose in these scripts has no other.
    @inline(__always)
    static func isOtherScriptPunctuation(_ c: UInt8, _ d: UInt8) -> Bool {
        switch c {
        case 0xD8: return d == 0x8C || d == 0x9B || d == 0x9F
        case 0xDB: return d == 0x94
        case 0xD6: return d == 0x89
        case 0xCD: return d == 0xBE
        default: return false
        }
    }

    static func classify(_ b: Block, ignoringBoilerplate: Bool = false) -> Class {
        let m = measure(b.bytes)
        let linkDensity = Double(b.linkBytes) / Double(max(1, b.bytes.count))
        // Inside a boilerplate-named container only long, link-free prose survives, and only as
        // borderline ("penci_sidebar" can name a page layout, not a sidebar); in a comment
        // section nothing does (a long comment is still a comment).
        if b.boilerplate && !ignoringBoilerplate {
            return !b.commentSection && m.units >= 50 && linkDensity <= 0.1 && m.punct > 1 ? .near : .bad
        }
        if isProseWithInlineLinks(b, units: m.units, punct: m.punct) { return inlineLinkedProseClass(units: m.units) }
        if linkDensity > 0.5 { return .bad }
        if m.units < 10 { return .short }
        if m.units >= 25 && linkDensity <= 0.25 && m.punct > 0 { return .good }
        if linkDensity > 0.35 { return .bad }
        return .near
    }

    /// Teaser cards (links to other articles: a heading that is a link, and a blurb): good
    /// blocks under a small container (at most two good blocks) that also holds a linked
    /// heading within three levels (or is a list item opening with a linked title: there a
    /// paragraph ending in a colon, which announces what follows, is no blurb). Not applied when
    /// such blurbs are most of the good text (a list page is its own content).
    static func teasers(_ blocks: [Block], _ cls: [Class], _ tree: Containers) -> [Bool] {
        var cards = Set<Int32>()
        // (Headings in boilerplate — "2 Comments", a widget's title — head no card; nor does a
        // heading linked to its own place on the page, a section's permalink.)
        for b in blocks where b.heading && !b.boilerplate && b.linksElsewhere {
            for a in tree.chain(b.container, limit: 4).dropFirst() { cards.insert(a) }
        }
        // A list item that starts with a linked title (a related-posts list with blurbs) is a card too.
        var listCards = Set<Int32>()
        for b in blocks where b.listItem && !b.heading && !b.boilerplate && b.linkBytes * 10 >= b.bytes.count * 9 && latinLength(b.bytes) < 120 {
            for a in tree.chain(b.container, limit: 3) where !cards.contains(a) { listCards.insert(a) }
        }
        cards.formUnion(listCards)
        var none = [Bool](repeating: false, count: blocks.count)
        guard !cards.isEmpty else { return none }
        // Good blocks (and prose blocks) under each card: range counts over sorted container ids.
        let goodIds = zip(blocks, cls).filter { $0.1 == .good }.map { $0.0.container }.sorted()
        var goodUnder: [Int32: Int] = [:]
        for c in cards { goodUnder[c] = tree.count(goodIds, in: c) }
        // A card is small: a container with more than three paragraphs of prose (good or
        // borderline) is an article that happens to hold a related-links box, not a card. (Such
        // containers still count below as linked-heading text: a blog's front page of whole
        // posts under linked titles is its own content.)
        let proseIds = zip(blocks, cls).filter { ($0.1 == .good || $0.1 == .near) && !$0.0.boilerplate }.map { $0.0.container }.sorted()
        let article = Set(cards.filter { tree.count(proseIds, in: $0) > 3 })
        var teaserBytes = 0, goodBytes = 0
        for (i, (b, c)) in zip(blocks, cls).enumerated() where c == .good {
            goodBytes += b.bytes.count
            var underCard = false, underCardNotArticle = false
            // A paragraph that ends in a colon announces what follows it ("…these topics in NLP:"
            // above a list of links to them), and is no blurb of a card a list makes.
            let announces = endsWithColon(b.bytes)
            for a in tree.chain(b.container, limit: 4) where cards.contains(a) && (goodUnder[a] ?? 0) <= 2 && !(announces && listCards.contains(a)) {
                underCard = true
                if !article.contains(a) { underCardNotArticle = true }
            }
            if underCard {
                none[i] = underCardNotArticle
                teaserBytes += b.bytes.count
            }
        }
        if teaserBytes * 4 > goodBytes * 3 { return [Bool](repeating: false, count: blocks.count) }
        return none
    }

    /// Teaser blurbs the main content still holds (the cards outside the main container are
    /// out already) after the last good block of the content's own, each with a block mostly
    /// of links to other pages among the three blocks above it, after that last good block (a
    /// related-posts list at the end of the post, a company's profile box under its linked
    /// name), are not the article's. A blurb with no such title above it (a homepage's list of
    /// notes that ends in a link) stays.
    static func dropTrailingTeasers(_ blocks: [Block], _ cls: [Class], _ teaser: [Bool], _ inMain: inout [Bool]) {
        guard let lastOwn = blocks.indices.last(where: { cls[$0] == .good && inMain[$0] && !teaser[$0] }) else { return }
        for i in (lastOwn + 1)..<blocks.count where teaser[i] && inMain[i] {
            let title = (max(lastOwn + 1, i - 3)..<i).contains { blocks[$0].linksElsewhere }
            if title { inMain[i] = false }
        }
    }

    /// Siblings of the main container, or of its parent, of the same kind (`Containers.kinds`:
    /// tag and first class name), under that element's parent, holding a good block that is
    /// neither boilerplate nor a teaser's: the parts of one article that its markup splits
    /// (Medium's `<section class="section …">`s at each full-width figure, a story's lead set in
    /// a `div` of the same class as its body), however little text they hold beside the main
    /// one. An element of the kind nested in a sibling of another kind is not one of them, and
    /// elements without a class have no kind.
    static func sameKindSiblings(_ best: Int32, _ blocks: [Block], _ cls: [Class], _ teaser: [Bool], _ tree: Containers) -> [Int32] {
        let chain = tree.chain(best, limit: 2)
        // Most pages' containers have no class: no kind to look for, no list to build.
        guard chain.contains(where: { tree.kinds[Int($0)] != 0 }) else { return [] }
        let good = blocks.indices.filter { cls[$0] == .good && !blocks[$0].boilerplate && !teaser[$0] }.map { blocks[$0].container }.sorted()
        var found: [Int32] = []
        for a in chain {
            let kind = tree.kinds[Int(a)], p = tree.parent[Int(a)]
            guard kind != 0, p >= 0 else { continue }
            // The parent's children by id range: the parent skips single-block wrappers, so a
            // one-paragraph part can sit deeper than the parent's direct children.
            var x = p + 1
            while x <= tree.last[Int(p)] {
                if tree.parent[Int(x)] == p && tree.kinds[Int(x)] == kind && !tree.contains(x, a) && tree.count(good, in: x) > 0 {
                    found.append(x)
                    x = tree.last[Int(x)] + 1
                } else {
                    x += 1
                }
            }
        }
        return found
    }

    /// Siblings of the main container (same parent) that hold content text — good and
    /// borderline blocks, not boilerplate — of at least a fifth of the main container's good
    /// text: another content column, the next part of a split article.
    static func contentSiblings(_ best: Int32, _ mainGood: Double, _ blocks: [Block], _ cls: [Class], _ teaser: [Bool], _ tree: Containers) -> [Int32] {
        let parent = tree.parent[Int(best)]
        guard parent >= 0 else { return [] }
        var text: [Int32: Int] = [:]
        for (i, b) in blocks.enumerated() where (cls[i] == .good || cls[i] == .near) && !b.boilerplate && !teaser[i]
            && tree.contains(parent, b.container) && !tree.contains(best, b.container) {
            if let child = tree.chain(b.container, limit: 64).first(where: { tree.parent[Int($0)] == parent }) { text[child, default: 0] += b.bytes.count }
        }
        return text.filter { Double($0.value) * 5 >= mainGood }.map(\.key)
    }

    /// The page's one outermost article body (`<article>`, entry-content, post-body, …), looking
    /// through a body that wraps the page — one that holds three quarters of the page's furniture
    /// (boilerplate and link lists) as well, like an `<article>` or "post-content" layout element
    /// around the menus and sidebars too — to the one body right inside it. Such a wrapper says
    /// nothing about where the article is. With no body inside it, it is the body (a short post
    /// of linked lines holds most of its page's links itself); with bodies side by side inside
    /// it, the rules that read the body find no one article in it (`bodiesNest`), as they find
    /// none on the page without the wrapper.
    static func pageArticleBody(_ blocks: [Block], _ tree: Containers) -> Int32? {
        guard tree.outermostArticleBodies.count == 1 else { return nil }
        var body = tree.outermostArticleBodies[0]
        func furniture(_ b: Block) -> Int { b.boilerplate || b.linkBytes * 2 > b.bytes.count ? b.bytes.count : 0 }
        let pageFurniture = blocks.reduce(0) { $0 + furniture($1) }
        func wrapsPage(_ d: Int32) -> Bool {
            pageFurniture > 0 && blocks.reduce(0) { $0 + (tree.contains(d, $1.container) ? furniture($1) : 0) } * 4 >= pageFurniture * 3
        }
        while wrapsPage(body) {
            // Bodies are in document order, so a body inside an earlier child is inside the last one.
            var children: [Int32] = []
            for b in tree.articleBodies where b != body && tree.contains(body, b) && !(children.last.map { tree.contains($0, b) } ?? false) {
                children.append(b)
            }
            guard children.count == 1 else { break }
            body = children[0]
        }
        return body
    }

    /// The page's article body (`pageArticleBody`) when the container with the most prose lies
    /// outside it, and it holds text of its own (≥ 150 letters outside boilerplate, `latinLength`: a
    /// box of another story's linked Thai title and byline is no article body): the markup
    /// says where the article is, and the prose elsewhere is not it. Bodies inside it must nest
    /// in one another (`<article>` › entry-content): side by side they are a list of article
    /// cards, not one article.
    static func markedArticleBody(_ blocks: [Block], _ tree: Containers, _ body: Int32?, _ best: Int32?) -> Int32? {
        guard let body, let best else { return nil }
        if tree.contains(body, best) || tree.contains(best, body) || !bodiesNest(tree, body) { return nil }
        let text = blocks.reduce(0) { $0 + (tree.contains(body, $1.container) && !$1.boilerplate ? latinLength($1.bytes) : 0) }
        return text >= 150 ? body : nil
    }

    /// Whether the article bodies inside `body` nest in one another (`<article>` ›
    /// entry-content) rather than stand side by side (a list of article cards).
    static func bodiesNest(_ tree: Containers, _ body: Int32) -> Bool {
        let inner = tree.articleBodies.filter { tree.contains(body, $0) }
        return zip(inner, inner.dropFirst()).allSatisfy { tree.contains($0, $1) }
    }

    /// The page's article body (`pageArticleBody`) when `best` lies strictly inside it and its bodies nest.
    static func innerMarkedArticleBody(_ tree: Containers, _ body: Int32?, _ best: Int32) -> Int32? {
        guard let body else { return nil }
        return body != best && tree.contains(body, best) && bodiesNest(tree, body) ? body : nil
    }

    /// A short block that is text of the article when it sits among content: no links, not boilerplate.
    static func rescuable(_ b: Block, _ favor: Favor) -> Bool {
        switch favor {
        case .precision: return false
        case .balanced: return !b.boilerplate && b.linkBytes * 5 <= b.bytes.count
        case .recall: return !b.boilerplate && b.linkBytes * 3 <= b.bytes.count
        }
    }

    /// Good blocks, and short/borderline blocks whose nearest non-short neighbours on both
    /// sides are good (or a heading right before a good block).
    static func mainContent(_ blocks: [Block], _ tree: Containers, _ favor: Favor = .balanced, headline: Bool = false) -> String {
        let (keep, marks, _) = mainKeep(blocks, tree, favor, headline: headline)
        var out: [String] = []
        for (i, b) in blocks.enumerated() where keep[i] {
            let t = String(decoding: b.text, as: UTF8.self)
            out.append(b.listItem && marks ? "- " + t : t)
        }
        return out.joined(separator: "\n")
    }

    /// A short line that is mostly a link (`whole`: all of it), the kind the rules pass over
    /// between pieces of an article: "Read more", "by Donna Tam", "Learn more about X".
    static func isShortLinkLine(_ b: Block, maxUnits: Int, whole: Bool = false) -> Bool {
        (whole ? b.linkBytes == b.bytes.count : b.linkBytes * 2 >= b.bytes.count) && measure(b.bytes).units <= maxUnits
    }

    /// Whether a block ends with "[...]" or "[…]" (spaces before the closing bracket allowed).
    static func endsWithExcerptMark(_ b: [UInt8]) -> Bool {
        guard let close = b.lastIndex(where: { $0 != 0x20 }), b[close] == 0x5D, close >= 2 else { return false }
        if close >= 4 && b[close - 1] == 0x2E && b[close - 2] == 0x2E && b[close - 3] == 0x2E && b[close - 4] == 0x5B { return true }
        return close >= 4 && b[close - 1] == 0xA6 && b[close - 2] == 0x80 && b[close - 3] == 0xE2 && b[close - 4] == 0x5B
    }

    /// Which blocks are main content, whether list items get a "- " mark, and each block's
    /// class as the rules last read it (a rescue's promotions included; `--explain` shows them).
    /// `notice`: a block the page is read without — bad from the start, never taken for the
    /// page's best prose (a rule that still takes it back makes that reading keep it, and the
    /// reading is not used). A closing notice dropped that way shows as `good>bad` in
    /// `--explain` (or `good>near`, read back as borderline).
    static func mainKeep(_ blocks: [Block], _ tree: Containers, _ favor: Favor = .balanced, headline: Bool = false, without notice: Int? = nil) -> (keep: [Bool], marks: Bool, classes: [Class]) {
        var cls = blocks.map { classify($0) }
        // A list item cut off with "[...]" or "[…]" (WordPress's excerpt mark) is a teaser for
        // another page. (In a paragraph the mark can be a quotation's omission.)
        for (i, b) in blocks.enumerated() where cls[i] != .bad && b.listItem && endsWithExcerptMark(b.bytes) { cls[i] = .bad }
        readSentenceRunsAsParagraphs(blocks, tree, &cls)
        readInlineLinkedProseRuns(blocks, tree, &cls)
        if let notice { cls[notice] = .bad }
        // Read before the rescues: a short post they promote, last on its page, is no notice.
        let closing = closingNotice(cls)
        var (keep, marks, final) = articleKeep(blocks, tree, cls, favor, headline: headline, without: notice, closing: closing)
        // Favoring precision, neither page-level rescue applies: borderline prose and a page of
        // links (a news front page's headlines) are not taken for content.
        if favor != .precision {
            // A dropped short post of borderline paragraphs is read as prose, and the article rules
            // run again (a second pass only there: promoted up front, runs the rules already keep
            // would pull in an author bio and a footer).
            let post = droppedProseRuns(blocks, cls, keep)
            if !post.isEmpty {
                for i in post { cls[i] = .good }
                (keep, marks, final) = articleKeep(blocks, tree, cls, favor, headline: headline, without: notice, closing: closing)
            }
            keepListingCards(blocks, final, tree, &keep)
        }
        dropRepeatedArticle(blocks, tree, final, &keep)
        // A closing notice the rules keep past a boilerplate block ("best viewed with…" below
        // the footer): the page reads as it does without it, when that keeps twice the notice's
        // text (or as much, with nothing kept and no boilerplate after the notice), all of it
        // before a boilerplate block that comes before the notice. On a page with
        // no good block of its own (a listing, a post of short lines) the notice was its one good
        // block, and all its text; on a page whose container does not rule, one more block. A
        // box set into the story (a newsletter sign-up) is boilerplate too: a paragraph in the
        // markup of the last good block kept without it (`oneStory`) is the story's last, and
        // stays.
        if notice == nil, let n = closing, keep[n] {
            let alt = mainKeep(blocks, tree, favor, headline: headline, without: n)
            let kept = blocks.indices.filter { alt.keep[$0] }
            let keptBytes = kept.reduce(0, { $0 + blocks[$1].bytes.count })
            // Under twice the notice's text, only a notice at the page's very end: nothing the
            // page keeps after it (a post's sign-off line) and no boilerplate (a post between the
            // menu and the footer, a site's paragraph about itself above the menu, is no notice),
            // and no heading of its own right above it (a post's title).
            func atTheEnd() -> Bool {
                !keep[(n + 1)...].contains(true) && !blocks[(n + 1)...].contains(where: { $0.boilerplate }) && !(n > 0 && blocks[n - 1].heading)
            }
            if let last = kept.last, last < n, blocks[(last + 1)..<n].contains(where: { $0.boilerplate }),
               keptBytes >= 2 * blocks[n].bytes.count || (keptBytes >= blocks[n].bytes.count && atTheEnd()),
               !(kept.last { alt.classes[$0] == .good }.map { oneStory($0, n, blocks, tree) } ?? false) {
                return alt
            }
        }
        return (keep, marks, final)
    }

    /// Whether blocks `a` and `b` are parts of one story's markup: in one flow (`flowParent`),
    /// or with an element of one kind (tag and first class) among each one's own element and
    /// the two above it — a page builder's classed boxes, the story's classed wrapper. (A wrapper
    /// around a single block is not in the tree: one-paragraph boxes count only through a
    /// classed element above them.)
    static func oneStory(_ a: Int, _ b: Int, _ blocks: [Block], _ tree: Containers) -> Bool {
        if flowParent(blocks[a], tree) == flowParent(blocks[b], tree) { return true }
        func kinds(_ i: Int) -> Set<UInt64> { Set(tree.chain(blocks[i].container, limit: 3).map { tree.kinds[Int($0)] }.filter { $0 != 0 }) }
        return !kinds(a).isDisjoint(with: kinds(b))
    }

    /// The page's closing notice, if any: its last good or borderline block is a good one that
    /// stands alone among link lines.
    static func closingNotice(_ cls: [Class]) -> Int? {
        guard let i = cls.lastIndex(where: { $0 == .good || $0 == .near }), cls[i] == .good, standsAlone(i, cls) else { return nil }
        return i
    }

    /// Whether block `i` stands alone: the nearest blocks on both sides that are not short
    /// lines are bad, or the page's end (a notice among links; not a paragraph with a good or
    /// borderline block beside it).
    static func standsAlone(_ i: Int, _ cls: [Class]) -> Bool {
        func badOrEnd(_ step: Int) -> Bool { nearestNotShort(i, step, cls).map { cls[$0] == .bad } ?? true }
        return badOrEnd(-1) && badOrEnd(1)
    }

    /// Whether block `i`, outside container `best`, lies past boilerplate from it at the page's
    /// edge: after the container's last block or before its first, with a boilerplate block (a
    /// footer, a menu) between them and no good or borderline block beyond it (a paragraph past
    /// a newsletter box, with the page's text going on after it, is no notice).
    static func isPastBoilerplate(_ i: Int, from best: Int32, _ blocks: [Block], _ cls: [Class], _ tree: Containers) -> Bool {
        guard let first = blocks.indices.first(where: { tree.contains(best, blocks[$0].container) }),
              let last = blocks.indices.last(where: { tree.contains(best, blocks[$0].container) }) else { return false }
        func prose(_ k: Int) -> Bool { cls[k] == .good || cls[k] == .near }
        if i > last { return blocks[(last + 1)..<i].contains { $0.boilerplate } && !((i + 1)..<blocks.count).contains(where: prose) }
        if i < first { return blocks[(i + 1)..<first].contains { $0.boilerplate } && !(0..<i).contains(where: prose) }
        return false
    }

    /// A page that carries its article twice, each copy in a container of its own (an
    /// infinite-scroll page that loads the same story again below it): the kept text, from its
    /// first block, recurs block for block further down, over at least four fifths of the
    /// text before the recurrence and three good blocks. The second copy goes. The same run
    /// twice within one parent is what the author wrote (a pasted paragraph run) and stays.
    static func dropRepeatedArticle(_ blocks: [Block], _ tree: Containers, _ cls: [Class], _ keep: inout [Bool]) {
        let kept = blocks.indices.filter { keep[$0] }
        // (A block outside every block element has no parent to tell the copies apart.)
        func parent(_ i: Int) -> Int32 { blocks[i].container >= 0 ? tree.parent[Int(blocks[i].container)] : -1 }
        guard let first = kept.first,
              let again = kept.dropFirst().firstIndex(where: { blocks[$0].bytes == blocks[first].bytes }),
              parent(first) != parent(kept[again]) else { return }
        var run = 0
        while again + run < kept.count && run < again && blocks[kept[run]].bytes == blocks[kept[again + run]].bytes { run += 1 }
        let good = kept[0..<run].filter { cls[$0] == .good }.count
        guard good >= 3, run * 5 >= again * 4 else { return }
        for k in again..<(again + run) { keep[kept[k]] = false }
    }

    /// The nearest block to `i` that is not short, `step` one way: the neighbour the context
    /// rules read past short lines.
    static func nearestNotShort(_ i: Int, _ step: Int, _ cls: [Class]) -> Int? {
        var j = i + step
        while j >= 0 && j < cls.count && cls[j] == .short { j += step }
        return j >= 0 && j < cls.count ? j : nil
    }

    /// The blocks the article rules keep, given the blocks' classes: the main container's prose
    /// and what the rescues take back. `notice`: a block the page is read without; `closing`:
    /// the page's closing notice, read before the rescues (`mainKeep`).
    static func articleKeep(_ blocks: [Block], _ tree: Containers, _ classes: [Class], _ favor: Favor = .balanced, headline: Bool = false, without notice: Int? = nil, closing: Int? = nil) -> (keep: [Bool], marks: Bool, classes: [Class]) {
        var cls = classes
        if !cls.contains(.good) {
            // No block passes as content: the page's best prose, long sentences with at most
            // half of their text in links outside boilerplate (a short post full of links),
            // is its content.
            for (i, b) in blocks.enumerated() where !b.boilerplate && b.linkBytes * 2 <= b.bytes.count && i != notice {
                let m = measure(b.bytes)
                if m.units >= 25 && m.punct > 1 { cls[i] = .good }
            }
        }
        guard cls.contains(.good) else {
            // No block long enough to trust (a landing or product page of short lines): keep the
            // borderline ones and the short lines without links outside boilerplate, as long as
            // a borderline block vouches for the page (no list-item marks).
            guard cls.contains(.near) else { return (cls.map { $0 == .near }, false, cls) }
            return (blocks.indices.map { cls[$0] == .near || (cls[$0] == .short && blocks[$0].linkBytes == 0 && !blocks[$0].boilerplate) }, false, cls)
        }
        let teaser = teasers(blocks, cls, tree)
        // The container holding most good text (a block's parent counts fully, grandparent
        // half, …), as readability scores candidates; good blocks elsewhere (comments, teasers)
        // go. The block's own element is no candidate: a page with one good paragraph would
        // otherwise be cut down to that paragraph.
        var score: [Int32: Double] = [:]
        var goodTotal = 0.0
        for (i, (b, c)) in zip(blocks, cls).enumerated() where c == .good && !teaser[i] {
            let l = Double(b.bytes.count)
            goodTotal += l
            // 64 levels up at most: beyond that a block's share is negligible, and deep pages stay linear.
            for (k, a) in tree.chain(b.container, limit: 65).dropFirst().enumerated() { score[a, default: 0] += l / Double(k < 2 ? k + 1 : k * 3) }
        }
        var inMain = [Bool](repeating: true, count: blocks.count)
        let bestContainer = score.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key
        let pageBody = pageArticleBody(blocks, tree)
        if let body = markedArticleBody(blocks, tree, pageBody, bestContainer) {
            // The page's one article body is elsewhere than the most prose (a short post with a
            // long author bio or disclaimer in the sidebar): its text is the content.
            return (blocks.indices.map { tree.contains(body, blocks[$0].container) && !blocks[$0].boilerplate }, true, cls)
        }
        if var best = bestContainer {
            // One good paragraph in a box (a notice) is not the article's container: its parent is.
            let goodInBest = zip(blocks, cls).enumerated().filter { $0.1.1 == .good && !teaser[$0.0] && tree.contains(best, $0.1.0.container) }.count
            if goodInBest == 1, tree.parent[Int(best)] >= 0 { best = tree.parent[Int(best)] }
            // Nor is a quotation, however much of the text it holds (a post that quotes a story
            // at length): the element around the outermost one is, with the post's own lines.
            if let outside = tree.outsideQuotations(best) { best = outside }
            var mainGood = 0.0, goodOutside = 0, outsider = -1, mainProse = false
            for (i, (b, c)) in zip(blocks, cls).enumerated() where c == .good && !teaser[i] {
                if tree.contains(best, b.container) { mainGood += Double(b.bytes.count); mainProse = mainProse || !b.listItem } else { goodOutside += 1; outsider = i }
            }
            // One good paragraph elsewhere (a subscriber or site notice after the footer, a
            // quotation in a column) does not outvote the container, in every mode: when the
            // container holds twice its text (two thirds of the good text, not seven tenths or,
            // favoring recall, nine), or when it lies past boilerplate at the page's edge (below
            // the footer, above the menu). Not when the container's good text is all list items
            // and the paragraph has a good or borderline block beside it: then it may be the
            // page's own, and the list a box beside it. (A notice standing alone at the page's end
            // is the closing notice below as well; below the footer this rule also takes one with
            // a borderline line beside it, a site's copyright line: 3 `notice-end` pages.)
            let loneOutside = goodOutside == 1 && (standsAlone(outsider, cls) || mainProse)
                && (2 * Double(blocks[outsider].bytes.count) <= mainGood || isPastBoilerplate(outsider, from: best, blocks, cls, tree))
            // Nor does the page's closing notice outside the container count toward its share:
            // beside a blurb in a column, it put a short article under seven tenths, and every
            // block of the page was kept with it. (A teaser's text is out of the total already.)
            let note = closing.flatMap { teaser[$0] || tree.contains(best, blocks[$0].container) ? nil : Double(blocks[$0].bytes.count) } ?? 0
            if loneOutside || mainGood >= (favor == .recall ? 0.9 : 0.7) * (goodTotal - note) {
                // Marked per element only when there are any (most pages have none).
                let parts = contentSiblings(best, mainGood, blocks, cls, teaser, tree) + sameKindSiblings(best, blocks, cls, teaser, tree)
                let siblings = parts.isEmpty ? nil : tree.covered(parts)
                // Inside the page's one marked article body, text set bare in the body itself
                // (a lead paragraph beside the wrapper of the rest) is the article's too.
                let body = innerMarkedArticleBody(tree, pageBody, best)
                for i in blocks.indices {
                    let c = blocks[i].container
                    inMain[i] = tree.contains(best, c) || (c >= 0 && siblings?[Int(c)] == true) || c == body
                }
                leadIn(best, blocks, &cls, teaser, tree, &inMain)
            }
        }
        for i in blocks.indices where teaser[i] && !(bestContainer.map { tree.contains($0, blocks[i].container) } ?? false) { inMain[i] = false }
        dropTrailingTeasers(blocks, cls, teaser, &inMain)
        linkedProse(blocks, tree, inMain, &cls)
        var keep = cls.indices.map { cls[$0] == .good && inMain[$0] }
        func neighbour(_ i: Int, _ step: Int) -> Class? { nearestNotShort(i, step, cls).map { cls[$0] } }
        // Borderline blocks in a run (between bad blocks) that holds a good block are content.
        // A lone short link line ("Learn more about X" after each item of a headed feature
        // list) does not end a run: only a longer bad block, or two in a row, does. Nor does a
        // box set into the article's flow (`articleInsets`).
        let inset = articleInsets(blocks, cls, inMain, tree)
        func endsRun(_ i: Int) -> Bool {
            guard cls[i] == .bad else { return false }
            func lone(_ k: Int) -> Bool { !blocks[k].boilerplate && isShortLinkLine(blocks[k], maxUnits: 6) }
            if lone(i) && (i == 0 || cls[i - 1] != .bad) && (i + 1 == cls.count || cls[i + 1] != .bad) { return false }
            return inset[i] == .none
        }
        var runStart = 0
        while runStart < cls.count {
            var runEnd = runStart
            while runEnd < cls.count && !endsRun(runEnd) { runEnd += 1 }
            if (runStart..<runEnd).contains(where: { cls[$0] == .good && inMain[$0] }) {
                for i in runStart..<runEnd where inMain[i] && cls[i] != .bad && inset[i] != .box
                    && ((cls[i] == .near && favor != .precision) || (cls[i] == .short && rescuable(blocks[i], favor))) {
                    keep[i] = true
                }
            }
            runStart = runEnd + 1
        }
        // Nearest good or bad block (short and borderline ones skipped), as jusText's context pass.
        func strong(_ i: Int, _ step: Int) -> Class {
            var j = i + step
            while j >= 0 && j < cls.count {
                if cls[j] == .good || cls[j] == .bad { return cls[j] }
                j += step
            }
            return .bad
        }
        for i in cls.indices where (cls[i] == .near || cls[i] == .short) && inMain[i] {
            let before = nearestNotShort(i, -1, cls)
            let prev = before.map { cls[$0] }, next = neighbour(i, 1)
            if cls[i] == .near && (prev == .good || next == .good) { keep[i] = true }
            if cls[i] == .short && !blocks[i].boilerplate {
                let p = strong(i, -1), n = strong(i, 1)
                if p == .good && n == .good { keep[i] = true }
                else if p != n && ((p == .bad && prev == .near) || (n == .bad && next == .near)) { keep[i] = true }
            }
            if blocks[i].heading && next == .good { keep[i] = true }
            if favor != .precision && !keep[i], let before, isClosingLinkedLine(i, after: before, blocks, cls, keep, tree) { keep[i] = true }
        }
        keepLinkedLinesBetweenParagraphs(blocks, cls, inMain, tree, closingLines: favor != .precision, &keep)
        keepLinkedSummaries(blocks, cls, inMain, &keep)
        keepTableRows(blocks, cls, tree, inMain, &keep)
        keepIntroductions(blocks, cls, inMain, tree, &keep)
        keepIntroducedLines(blocks, cls, inMain, &keep)
        keepLinkedHeadings(blocks, cls, inMain, tree, &keep)
        if headline { keepHeadline(blocks, cls, tree, &keep) }
        return (keep, true, cls)
    }
}

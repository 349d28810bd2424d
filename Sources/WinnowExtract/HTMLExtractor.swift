import CLibXML2
import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// HTML → main text. `HTMLPrescan` first removes what libxml2 would lose text on or be slow on
/// (NUL bytes, thousands of attributes on one element) and recognises binary input; libxml2's
/// recovering HTML parser (no network, no external entities) then drives a SAX walk, at any
/// nesting depth, that turns the page into text blocks (block-level elements, table rows with
/// their cells joined, list items; a single <br> is a line break inside a block), skipping
/// scripts, styles, navigation, hidden elements, forms and boilerplate-named containers (nav,
/// footer, sidebar, comments, share, …) unless one holds most of the page's text. Each block is
/// classified from its length, link density and punctuation — CJK text is measured in
/// characters, not spaces — and the main content is the good blocks of the main container plus
/// the short and borderline blocks that sit among them (a jusText-style context pass), leaning
/// to precision or recall as `favor` asks. `full` mode returns every visible block instead.
public struct HTMLExtractor: Sendable {
    public enum Mode: String, Sendable { case main, full }
    public let mode: Mode
    /// Which side of the precision/recall trade-off `main` mode leans to (like trafilatura's
    /// favor_precision / favor_recall): `precision` keeps only good blocks and the borderline
    /// ones next to them; `recall` also keeps short lines among content that carry some links,
    /// and cuts the page down to its main container only when that holds nearly all good text.
    public enum Favor: String, Sendable { case balanced, precision, recall }
    public let favor: Favor
    /// Keep comment sections (containers named comment(s), commentlist, postcomments, …) as
    /// text, like trafilatura's include_comments; off by default, as datatrove runs trafilatura.
    public let comments: Bool
    /// Keep the article's headline, the heading just above the main text (`keepHeadline`).
    /// Off by default: annotations differ (the WCEB sets count the title as content, the
    /// Scrapinghub and Readability ones do not), as trafilatura keeps the title in metadata.
    public let headline: Bool
    /// Keep formulas as TeX (`Formulas`: MathML, `math/tex` scripts, formula images), `$…$` in
    /// the line and `$$…$$` on a line of their own; off, they are dropped, as trafilatura drops them.
    public let math: Bool

    public init(mode: Mode = .main, favor: Favor = .balanced, comments: Bool = false, headline: Bool = false, math: Bool = true) {
        self.mode = mode; self.favor = favor; self.comments = comments; self.headline = headline; self.math = math
    }

    public struct Result: Sendable {
        public var text: String
        public var title: String?
        public var language: String?
        /// The input looks like binary data (see `HTMLPrescan.looksBinary`): nothing was extracted.
        public var binary = false
        /// Repairs made before parsing, so that no text is lost silently: NUL bytes removed,
        /// attributes cut beyond `HTMLPrescan.maxAttributes` on one element.
        public var nulBytesRemoved = 0
        public var attributesDropped = 0
    }

    struct Block {
        /// Id of the innermost enclosing block-level element (-1: none); `Containers` has the tree.
        var container: Int32 = -1
        var bytes: [UInt8] = []
        /// The bytes of its linked text, as long as that text at the block's bytes per letter
        /// (`countLinksInLetters`): in a line of Cyrillic links among digits, a link's share is
        /// its share of the letters, as in English.
        var linkBytes = 0
        /// The bytes of its linked text as they are (`linkBytes` before `countLinksInLetters`):
        /// where in `bytes` a link that ends the block starts.
        var rawLinkBytes = 0
        /// Of `linkBytes`, those inside `javascript:` links (script hooks, not links to pages:
        /// the short-page fallback reads them as text, as Readability does).
        var scriptLinkBytes = 0
        /// Of `linkBytes`, those inside links to a place on the same page (`href="#name"`).
        var fragmentLinkBytes = 0
        /// Separate stretches of linked text: links set inside sentences are many runs with
        /// text between them, a link list's are runs with only separators between them.
        var linkRuns = 0
        /// Of the stretches of unlinked text between link runs, those holding a letter: prose
        /// has words between its links ("…de Guadalachara, en a comunidat…"), a link list only
        /// separators (" | ", ", ", " · ").
        var wordedLinkGaps = 0
        /// `TableOfContents.hash` of the place the block's first `#name` link points to (0: none).
        var fragmentTarget: UInt64 = 0
        /// The outermost heading's level (1 for `<h1>` … 6; 0: no heading): a round-up's entries share one.
        var headingLevel: UInt8 = 0
        var heading: Bool { headingLevel > 0 }
        /// Mostly links to other pages (a heading linked to its own place, a section's permalink, is not).
        var linksElsewhere: Bool { (linkBytes - fragmentLinkBytes) * 2 > bytes.count }
        /// Running text: no heading, list item, table cell, caption or boilerplate.
        var runningText: Bool { !heading && !listItem && !boilerplate && !caption && cells == 0 }
        var listItem = false
        /// The innermost list item (`<li>`, `<dt>`, `<dd>`) the block is in (-1: none), a container id.
        var listOwner: Int32 = -1
        /// Table cells (`<td>`, `<th>`) opened in this block: a data table's row is one block of several.
        var cells = 0
        /// Of `cells`, those holding text (a layout table's spacer and bullet-image cells hold none).
        var textCells = 0
        /// Of `cells`, the header cells (`<th>`): a data table's head row is all of them.
        var headerCells = 0
        /// A table's head row: cells, all of them `<th>`.
        var isHeadRow: Bool { cells > 0 && headerCells == cells }
        /// Links with text (`linkRuns` joins links with only spaces between them: "Facebook Twitter").
        var links = 0
        /// Inside a figure, a caption, or a container named as a caption or credit line.
        var caption = false
        /// Innermost enclosing boilerplate-named container and <form> (`Walker.marks`; -1: none).
        var boilerMark: Int32 = -1
        var formMark: Int32 = -1
        /// Inside boilerplate that does not hold most of the page's text (`Walker.settle`).
        var boilerplate = false
        /// That boilerplate is (inside) a comment section: its prose is never borderline content.
        var commentSection = false
        /// A `<pre>` block's text with its spaces, tabs and line breaks as written, for the output
        /// (`bytes` folds whitespace as everywhere else, so the rules read the same text).
        var verbatim: [UInt8]? = nil
        /// The text the output gives for the block.
        var text: [UInt8] { verbatim ?? bytes }
    }

    /// What the walk needs to know about a tag name.
    struct TagInfo {
        var name: String
        var skip: Bool, block: Bool, link: Bool, list: Bool, cell: Bool, headerCell: Bool, form: Bool
        /// `<pre>` (and the old `<listing>`): its spaces, tabs and line breaks are the text's.
        var preformatted: Bool
        /// `<code>`: no-break spaces opening one of its lines are its indentation (`Walker.codeDepth`).
        var code: Bool
        /// 1 for `<h1>` … (0 for any other tag).
        var headingLevel: UInt8
        var heading: Bool { headingLevel > 0 }
        /// A custom element's name (`<app-root>`): unknown to the parser, often a page's containers.
        var custom: Bool
        /// What HTML5 keeps in `<head>` (`headContentTags`).
        var headContent: Bool
        /// `<p>` and `<blockquote>`: a paragraph or quotation named for its author ("author-bio")
        /// is text, not an author's box (`isBoilerplate`'s `authorBox`).
        var textElement: Bool
        /// The tags the walk treats specially, decided once per tag name (no string compares per element).
        enum Kind { case title, html, head, body, br, table, tr, blockquote, main, article, section, header, caption, navLike, math, other }
        var kind: Kind
        /// `FNV1a` hash of the (lowercased) name: with the first class name, an element's kind
        /// (`Containers.kinds`).
        var nameHash: UInt64

        init(name n: String) {
            name = n
            nameHash = n.utf8.reduce(FNV1a.offset, FNV1a.step)
            skip = HTMLExtractor.skipTags.contains(n)
            headContent = HTMLExtractor.headContentTags.contains(n)
            block = HTMLExtractor.blockTags.contains(n)
            link = n == "a"
            headingLevel = n.count == 2 && n.first == "h" && n.last!.isNumber ? UInt8(n.utf8.last! &- 0x30) : 0
            list = n == "li" || n == "dt" || n == "dd"
            cell = n == "td" || n == "th"
            headerCell = n == "th"
            form = n == "form"
            preformatted = n == "pre" || n == "listing"
            code = n == "code"
            textElement = n == "p" || n == "blockquote"
            custom = n.utf8.contains(0x2D)  // a valid custom element name has a hyphen
            switch n {
            case "title": kind = .title
            case "html": kind = .html
            case "head": kind = .head
            case "body": kind = .body
            case "br": kind = .br
            case "table": kind = .table
            case "tr": kind = .tr
            case "blockquote": kind = .blockquote
            case "main": kind = .main
            case "article": kind = .article
            case "section": kind = .section
            case "header": kind = .header
            case "figure", "figcaption", "caption": kind = .caption
            case "nav", "footer", "aside": kind = .navLike
            case Formulas.tag: kind = .math
            default: kind = .other
            }
        }
        /// <html>, <body>, <main> and <article> are never boilerplate, whatever their names.
        var structural: Bool { kind == .html || kind == .body || kind == .main || kind == .article }
    }

    final class Walker {
        /// libxml2 interns tag names in the document's dictionary: one lookup per distinct pointer.
        var tags: [UnsafeRawPointer: TagInfo] = [:]
        var blocks: [Block] = []
        var cur = Block()
        var title: String?
        var language: String?
        var linkDepth = 0, scriptLinkDepth = 0, fragmentLinkDepth = 0
        /// The current block's linked text in letters (`LatinLength`): all, in `javascript:` links, in `#name` links.
        var linkLetters = 0, scriptLinkLetters = 0, fragmentLinkLetters = 0
        /// The block's last character was linked (`Block.linkRuns`).
        var lastLinked = false
        /// The unlinked text since the block's last link run holds a letter (`Block.wordedLinkGaps`).
        var gapHasLetter = false
        /// Ids of headings and of elements inside headings: the places a table of contents links to.
        var headingIDs = Set<UInt64>()
        /// Containers whose text is dropped or distrusted (boilerplate-named, <form>), each with
        /// the enclosing one of its kind and whether it is (inside) a comment section; innermost
        /// open ones.
        var marks: [ContainerMark] = []
        var boilerMark: Int32 = -1
        var formMark: Int32 = -1
        /// Container ids of the open list items (`<li>`, `<dt>`, `<dd>`: block elements), innermost last.
        var listOwners: [Int32] = []
        var headingDepth = 0
        var headingLevel: UInt8 = 0  // the outermost open heading's
        /// The level a block starting now takes (0: no heading open).
        var openHeadingLevel: UInt8 { headingDepth > 0 ? headingLevel : 0 }
        var captionDepth = 0
        var articleDepth = 0
        var sectioningDepth = 0  // open <article>, <section> and <main> elements
        var pendingSpace = false
        /// Main-text mode: a block that is only an ad label (`AdLabels`) or only invisible characters
        /// (`InvisibleBlocks`) is dropped like a hidden element.
        var dropsNonText = false
        /// Open `<pre>` elements: their whitespace is kept as written (code keeps its lines and
        /// indentation, as browsers, trafilatura and resiliparse keep it).
        var preDepth = 0
        /// Open `<code>` elements outside `<pre>`: a run of no-break spaces that opens a line there
        /// is the code's indentation, kept as spaces (a browser shows each; SyntaxHighlighter and
        /// hand-written snippets indent so), where anywhere else it folds into one space.
        var codeDepth = 0
        /// A single <br> breaks the line inside a block (a poem, an address, a paragraph of
        /// short lines stays one block); a second one in a row ends the block.
        var pendingBreak = false
        /// A table cell opened and no text in it yet (`Block.textCells`).
        var cellWithoutText = false
        /// A link opened and no text in it yet (`Block.links`).
        var linkWithoutText = false
        /// Open block-level elements, innermost last, and the tree of all of them.
        var open: [Int32] = []
        var tree = Containers()

        /// The number of the last formula shown (`SAXWalk.formula`; 0: none).
        var lastShownFormula = 0

        func flush() {
            while let l = cur.bytes.last, l == 0x20 || l == 0x0A { cur.bytes.removeLast() }
            if var v = cur.verbatim {
                // Lines lose their trailing spaces and tabs; the block its trailing blank lines.
                cur.verbatim = nil
                var out = 0
                for k in v.indices {  // (by index: `for b in v` would copy the array it writes to)
                    let b = v[k]
                    if b == 0x0A { while out > 0 && (v[out - 1] == 0x20 || v[out - 1] == 0x09) { out -= 1 } }
                    v[out] = b
                    out += 1
                }
                while out > 0 && (v[out - 1] == 0x20 || v[out - 1] == 0x0A || v[out - 1] == 0x09) { out -= 1 }
                v.removeSubrange(out...)
                cur.verbatim = v
            }
            cur.countLinksInLetters(linkLetters, script: scriptLinkLetters, fragment: fragmentLinkLetters)
            linkLetters = 0; scriptLinkLetters = 0; fragmentLinkLetters = 0
            if !cur.bytes.isEmpty && !(dropsNonText && (HTMLExtractor.isAdLabel(cur) || HTMLExtractor.isInvisible(cur.bytes))) { blocks.append(cur) }
            cur = Block()
            cur.container = open.last ?? -1
            cur.boilerMark = boilerMark
            cur.formMark = formMark
            cur.listOwner = listOwners.last ?? -1
            cur.listItem = cur.listOwner >= 0
            cur.headingLevel = openHeadingLevel
            cur.caption = captionDepth > 0
            pendingSpace = false
            pendingBreak = false
            cellWithoutText = false
            linkWithoutText = false
            lastLinked = false
            gapHasLetter = false
        }

        /// A <br>: a line break in the block, or the block's end after another one.
        func lineBreak() {
            if cur.bytes.isEmpty { return }
            if pendingBreak { flush() } else { pendingBreak = true }
        }

        func mark(form: Bool, comments: Bool, banner: Bool = false) -> Int32 {
            let parent = form ? formMark : boilerMark
            marks.append((parent: parent, form: form, comments: comments || (parent >= 0 && marks[Int(parent)].comments), banner: banner))
            return Int32(marks.count - 1)
        }

        /// A boilerplate-named container or a <form> that holds most of the page's text and most
        /// of its prose (the text of blocks that would be good outside it) is the page, not
        /// boilerplate: an ASP.NET page-wide <form>, a layout div named "sidebar-…". Comment
        /// sections and forms stay what they are, however long. Other forms' blocks go; other boilerplate blocks are
        /// marked for `classify`. (A mark holds at least its inner marks' text, so when the
        /// innermost mark of a block holds most of the page, all its enclosing ones do too.)
        func settle() {
            guard !marks.isEmpty else { return }
            let prose = blocks.map { HTMLExtractor.classify($0, ignoringBoilerplate: true) == .good ? $0.bytes.count - $0.linkBytes : 0 }
            // Boilerplate first, by its share of all the page's text and prose.
            // (Closures, not key paths: a key path read is a runtime call per block.)
            let boiler = MarkTotals(marks, blocks, mark: { $0.boilerMark }, prose: prose, text: blocks.map { $0.bytes.count })
            let totalText = blocks.reduce(0) { $0 + $1.bytes.count }
            let totalProse = prose.reduce(0, +)
            let isPage = marks.indices.map { m in !marks[m].form && boiler.isPage(m, marks[m], text: totalText, prose: totalProse) }
            for i in blocks.indices {
                let m = blocks[i].boilerMark
                blocks[i].boilerplate = m >= 0 && !isPage[Int(m)]
                blocks[i].commentSection = blocks[i].boilerplate && marks[Int(m)].comments
            }
            // Then forms, by their share of the text without links (the navigation lists around a
            // page-wide form, a site's category menus, are most of some pages' text; a
            // `javascript:` link is no link) and of the prose, both outside boilerplate: a cookie
            // notice's paragraph above an ASP.NET page-wide form is not the page's prose, and
            // must not take the form's page away.
            let contentProse = blocks.indices.map { blocks[$0].boilerplate ? 0 : prose[$0] }
            let plain = blocks.map { $0.boilerplate ? 0 : $0.bytes.count - $0.linkBytes + $0.scriptLinkBytes }
            let forms = MarkTotals(marks, blocks, mark: { $0.formMark }, prose: contentProse, text: plain)
            let totalPlain = plain.reduce(0, +)
            let totalContentProse = contentProse.reduce(0, +)
            // On a page with no prose at all (a 404 page of short lines), a form holding most of
            // the text is still the page: dropped, it took the whole page with it.
            let formPage = marks.indices.map { m in marks[m].form && forms.isPage(m, marks[m], text: totalPlain, prose: totalContentProse) }
            blocks.removeAll { $0.formMark >= 0 && !formPage[Int($0.formMark)] }
        }

        func text(_ p: UnsafePointer<UInt8>, _ n: Int) {
            if preDepth > 0 { preformattedText(p, n) }
            var i = 0
            while i < n {
                let b = p[i]
                if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                    pendingSpace = true
                } else if b == 0xC2 && i + 1 < n && p[i + 1] == 0xA0 {  // no-break space
                    if codeDepth > 0 && opensLine() {
                        if pendingBreak && !cur.bytes.isEmpty { cur.bytes.append(0x0A) }
                        // ("&nbsp; &nbsp;": the plain space between two counts too.)
                        else if pendingSpace && cur.bytes.last == 0x20 { cur.bytes.append(0x20) }
                        pendingBreak = false
                        pendingSpace = false
                        cur.bytes.append(0x20)
                    } else {
                        pendingSpace = true
                    }
                    i += 1
                } else {
                    if pendingBreak { cur.bytes.append(0x0A) }
                    else if pendingSpace && !cur.bytes.isEmpty {
                        cur.bytes.append(0x20)
                        if linkDepth > 0 { countLinked(1) }
                    }
                    pendingSpace = false
                    pendingBreak = false
                    if cellWithoutText { cur.textCells += 1; cellWithoutText = false }
                    cur.bytes.append(b)
                    if linkDepth > 0 {
                        countLinked(HTMLExtractor.latinWeight(b, next: i + 1 < n ? p[i + 1] : 0))
                        if linkWithoutText { cur.links += 1; linkWithoutText = false }
                        if !lastLinked {
                            if cur.linkRuns > 0 && gapHasLetter { cur.wordedLinkGaps += 1 }
                            cur.linkRuns += 1
                            lastLinked = true
                            gapHasLetter = false
                        }
                    } else {
                        lastLinked = false
                        if !gapHasLetter && HTMLExtractor.isLetterByte(b, next: i + 1 < n ? p[i + 1] : 0) { gapHasLetter = true }
                    }
                }
                i += 1
            }
        }

        /// A linked byte of the block's text, `letters` long (`latinWeight`).
        @inline(__always)
        func countLinked(_ letters: Int) {
            cur.linkBytes += 1
            linkLetters += letters
            if scriptLinkDepth > 0 { cur.scriptLinkBytes += 1; scriptLinkLetters += letters }
            if fragmentLinkDepth > 0 { cur.fragmentLinkBytes += 1; fragmentLinkLetters += letters }
        }

        /// Whether what follows opens a line of the block: nothing but indentation since its start or its last line break.
        func opensLine() -> Bool {
            if pendingBreak { return true }
            var k = cur.bytes.count
            while k > 0 && cur.bytes[k - 1] == 0x20 { k -= 1 }
            return k == 0 || cur.bytes[k - 1] == 0x0A
        }

        /// Text inside `<pre>`, for `Block.verbatim`: spaces and tabs as written, CR LF and CR as
        /// LF, a no-break space as a space, a `<br>` as LF; blank lines before the first character
        /// are dropped (HTML5 drops the line break right after `<pre>`), trailing ones go with the
        /// block's end.
        func preformattedText(_ p: UnsafePointer<UInt8>, _ n: Int) {
            var v = cur.verbatim ?? []
            cur.verbatim = nil  // (v is then the array's only owner: appends need no copy)
            if pendingBreak && !v.isEmpty { v.append(0x0A) }
            var i = 0
            while i < n {
                var b = p[i]
                if b == 0x0D {
                    b = 0x0A
                    if i + 1 < n && p[i + 1] == 0x0A { i += 1 }
                } else if b == 0xC2 && i + 1 < n && p[i + 1] == 0xA0 {
                    b = 0x20
                    i += 1
                } else if b == 0x0C {
                    b = 0x20
                }
                i += 1
                // (A first line of nothing but spaces is no line of the text.)
                if b == 0x0A && v.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { v.removeAll(); continue }
                v.append(b)
            }
            cur.verbatim = v
        }
    }

    /// Elements whose content is not the page's text. (Not `embed`: it is void in HTML5, and the
    /// text libxml2 2.9 nests in an unclosed `<embed>`, to the end of its paragraph, is the page's.)
    static let skipTags: Set<String> = ["script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas",
                                        "button", "select", "option", "textarea", "input", "nav", "aside", "footer", "head", "map", "audio", "video"]
    /// What HTML5 keeps in `<head>` ("in head" insertion mode): inside a head these stay unread;
    /// any other element there is the body's (`SAXWalk.start`).
    static let headContentTags: Set<String> = ["base", "basefont", "bgsound", "link", "meta", "title", "noscript", "noframes", "style",
                                               "script", "template", "head"]
    static let blockTags: Set<String> = ["p", "div", "section", "article", "main", "header", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr",
                                         "tbody", "thead", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "figure", "figcaption", "address",
                                         "br", "hr", "center", "body", "html", "caption", "fieldset", "details", "summary"]
    /// Every block, whether it is kept (+/-), its class (good/near/short/bad) and marks, and its text: `winnow extract --explain`.
    public func explain(_ html: String) -> [String] {
        let walk = walked(html, url: nil).walk
        let blocks = walk.w.blocks
        let first = blocks.map { Self.classify($0) }
        let (keep, _, final) = mode == .main ? Self.mainKeep(blocks, walk.w.tree, favor, headline: headline)
                                             : ([Bool](repeating: true, count: blocks.count), false, first)
        // A class a rescue changed reads "first>final" ("near>good": a short post's paragraph).
        return blocks.indices.map { i in
            let b = blocks[i], cls = first[i] == final[i] ? "\(first[i])" : "\(first[i])>\(final[i])"
            return "\(keep[i] ? "+" : "-") \(cls)\(b.boilerplate ? "/boiler" : "")\(b.heading ? "/h" : "")\(b.listItem ? "/li" : "")\(b.caption ? "/cap" : "") links=\(b.linkBytes)/\(b.bytes.count): "
                + String(decoding: b.bytes, as: UTF8.self).split(separator: "\n").joined(separator: " ")
        }
    }

    /// Extracts from UTF-8 HTML.
    public func extract(_ html: String, url: String? = nil) -> Result {
        let page = walked(html, url: url)
        let w = page.walk.w
        return Result(text: page.text, title: w.title, language: w.language, binary: page.scan.looksBinary,
                      nulBytesRemoved: page.scan.nulBytes, attributesDropped: page.scan.attributesDropped)
    }
}

extension HTMLExtractor {
    /// The page walked, and its text (in main-text mode with the short-page fallback applied). A
    /// `<nav>`, `<aside>` or `<footer>` is skipped unread in main-text mode; when that leaves the
    /// page without text and one of them held more text than the rest of the page, it may be a
    /// wrapper around the page (an unclosed element, a layout that puts the page in one): the page
    /// is walked again with that element read as a boilerplate-named container, which keeps its
    /// text if it holds most of the page's text and prose (`Walker.settle`) or an article body.
    /// Otherwise the first walk stands: a page with text is walked once.
    func walked(_ html: String, url: String?) -> (walk: SAXWalk, scan: HTMLPrescan, text: String) {
        let first = SAXWalk(self)
        let scan = first.run(html, url: url)
        guard mode == .main else {
            return (first, scan, first.w.blocks.map { String(decoding: $0.text, as: UTF8.self) }.joined(separator: "\n"))
        }
        let text = pageText(first)
        guard text.isEmpty, let most = first.navigationText.indices.max(by: { first.navigationText[$0] < first.navigationText[$1] }),
              first.navigationText[most] > first.w.blocks.reduce(0, { $0 + $1.bytes.count }) else { return (first, scan, text) }
        let second = SAXWalk(self, walking: most)
        _ = second.run(html, url: url)
        let nav = second.walkedNavigationContainer
        guard nav >= 0 && second.w.blocks.contains(where: { !$0.boilerplate && second.w.tree.contains(nav, $0.container) }) else {
            return (first, scan, text)
        }
        return (second, scan, pageText(second))
    }

    /// Main text of a walked page, or its short-page fallback when the rules keep nothing.
    private func pageText(_ walk: SAXWalk) -> String {
        let text = Self.mainContent(walk.w.blocks, walk.w.tree, favor, headline: headline)
        return text.isEmpty ? Self.shortPageText(walk.w.blocks) : text
    }
}

/// A boilerplate-named container, a banner `<header>` or a form around blocks, and the
/// enclosing one of its kind.
typealias ContainerMark = (parent: Int32, form: Bool, comments: Bool, banner: Bool)

/// Per boilerplate or form mark, each mark holding its inner marks' too: its prose and text
/// (as the caller counts them per block), its blocks of text (not link lines), and whether it
/// holds a heading.
private struct MarkTotals {
    var prose: [Int], text: [Int], textBlocks: [Int], heading: [Bool]

    init(_ marks: [ContainerMark], _ blocks: [HTMLExtractor.Block], mark: (HTMLExtractor.Block) -> Int32, prose p: [Int], text t: [Int]) {
        prose = [Int](repeating: 0, count: marks.count); text = prose; textBlocks = prose
        heading = [Bool](repeating: false, count: marks.count)
        for (i, b) in blocks.enumerated() {
            let m = Int(mark(b))
            guard m >= 0 else { continue }
            prose[m] += p[i]; text[m] += t[i]
            if b.linkBytes * 2 <= b.bytes.count { textBlocks[m] += 1 }
            if b.heading { heading[m] = true }
        }
        // (A mark's parent is a mark of its own kind, and comes before it.)
        for m in marks.indices.reversed() where marks[m].parent >= 0 {
            let up = Int(marks[m].parent)
            prose[up] += prose[m]; text[up] += text[m]; textBlocks[up] += textBlocks[m]
            heading[up] = heading[up] || heading[m]
        }
    }

    /// Whether mark `m` is the page rather than boilerplate or a form: it holds more than half
    /// of the page's text and of its prose. On a page with no prose (a listing, a page of short
    /// lines), a form holding most of the text is the page, a boilerplate container only when it
    /// holds nine tenths of it: a wrapper around the page, not a long footer or a link directory
    /// beside a short page. A boilerplate container must hold three blocks of text as well: a cookie
    /// notice's one long paragraph (and its heading) over a short page is still a notice, where
    /// a layout wrapper misnamed "sidebar-…" holds the page's structure. A comment section never
    /// is. A banner `<header>` that holds a heading is the story's header, not the site's.
    func isPage(_ m: Int, _ mark: ContainerMark, text total: Int, prose totalProse: Int) -> Bool {
        if mark.banner && heading[m] { return true }
        if mark.comments || text[m] * 2 <= total { return false }
        if !mark.form && textBlocks[m] < 3 { return false }
        if totalProse > 0 { return prose[m] * 2 > totalProse }
        return mark.form || text[m] * 10 > total * 9
    }
}

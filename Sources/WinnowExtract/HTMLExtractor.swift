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

    public init(mode: Mode = .main, favor: Favor = .balanced, comments: Bool = false) {
        self.mode = mode; self.favor = favor; self.comments = comments
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
        var linkBytes = 0
        /// Of `linkBytes`, those inside `javascript:` links (script hooks, not links to pages:
        /// the short-page fallback reads them as text, as Readability does).
        var scriptLinkBytes = 0
        var heading = false
        var listItem = false
        /// Table cells (`<td>`, `<th>`) opened in this block: a data table's row is one block of several.
        var cells = 0
        /// Inside a figure, a caption, or a container named as a caption or credit line.
        var caption = false
        /// Innermost enclosing boilerplate-named container and <form> (`Walker.marks`; -1: none).
        var boilerMark: Int32 = -1
        var formMark: Int32 = -1
        /// Inside boilerplate that does not hold most of the page's text (`Walker.settle`).
        var boilerplate = false
        /// That boilerplate is (inside) a comment section: its prose is never borderline content.
        var commentSection = false
    }

    /// What the walk needs to know about a tag name.
    struct TagInfo {
        var name: String
        var skip: Bool, block: Bool, link: Bool, heading: Bool, list: Bool, cell: Bool, form: Bool
        /// The tags the walk treats specially, decided once per tag name (no string compares per element).
        enum Kind { case title, html, head, body, br, tr, main, article, caption, navLike, other }
        var kind: Kind

        init(name n: String) {
            name = n
            skip = HTMLExtractor.skipTags.contains(n)
            block = HTMLExtractor.blockTags.contains(n)
            link = n == "a"
            heading = n.count == 2 && n.first == "h" && n.last!.isNumber
            list = n == "li" || n == "dt" || n == "dd"
            cell = n == "td" || n == "th"
            form = n == "form"
            switch n {
            case "title": kind = .title
            case "html": kind = .html
            case "head": kind = .head
            case "body": kind = .body
            case "br": kind = .br
            case "tr": kind = .tr
            case "main": kind = .main
            case "article": kind = .article
            case "figure", "figcaption", "caption": kind = .caption
            case "nav", "footer", "aside": kind = .navLike
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
        var linkDepth = 0, scriptLinkDepth = 0
        /// Containers whose text is dropped or distrusted (boilerplate-named, <form>), each with
        /// the enclosing one of its kind and whether it is (inside) a comment section; innermost
        /// open ones.
        var marks: [(parent: Int32, form: Bool, comments: Bool)] = []
        var boilerMark: Int32 = -1
        var formMark: Int32 = -1
        var listDepth = 0
        var headingDepth = 0
        var captionDepth = 0
        var articleDepth = 0
        var pendingSpace = false
        /// A single <br> breaks the line inside a block (a poem, an address, a paragraph of
        /// short lines stays one block); a second one in a row ends the block.
        var pendingBreak = false
        /// Open block-level elements, innermost last, and the tree of all of them.
        var open: [Int32] = []
        var tree = Containers()

        func flush() {
            while let l = cur.bytes.last, l == 0x20 || l == 0x0A { cur.bytes.removeLast() }
            if !cur.bytes.isEmpty { blocks.append(cur) }
            cur = Block()
            cur.container = open.last ?? -1
            cur.boilerMark = boilerMark
            cur.formMark = formMark
            cur.listItem = listDepth > 0
            cur.heading = headingDepth > 0
            cur.caption = captionDepth > 0
            pendingSpace = false
            pendingBreak = false
        }

        /// A <br>: a line break in the block, or the block's end after another one.
        func lineBreak() {
            if cur.bytes.isEmpty { return }
            if pendingBreak { flush() } else { pendingBreak = true }
        }

        func mark(form: Bool, comments: Bool) -> Int32 {
            let parent = form ? formMark : boilerMark
            marks.append((parent: parent, form: form, comments: comments || (parent >= 0 && marks[Int(parent)].comments)))
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
            var prose = [Int](repeating: 0, count: marks.count), text = prose
            var totalProse = 0, totalText = 0
            for b in blocks {
                let t = HTMLExtractor.classify(b, ignoringBoilerplate: true) == .good ? b.bytes.count - b.linkBytes : 0
                totalProse += t
                totalText += b.bytes.count
                for m in [b.boilerMark, b.formMark] where m >= 0 { prose[Int(m)] += t; text[Int(m)] += b.bytes.count }
            }
            for m in marks.indices.reversed() where marks[m].parent >= 0 {
                prose[Int(marks[m].parent)] += prose[m]
                text[Int(marks[m].parent)] += text[m]
            }
            func page(_ m: Int32) -> Bool {
                m < 0 || (!marks[Int(m)].comments && prose[Int(m)] * 2 > totalProse && text[Int(m)] * 2 > totalText && totalProse > 0)
            }
            blocks.removeAll { !page($0.formMark) }
            for i in blocks.indices {
                blocks[i].boilerplate = !page(blocks[i].boilerMark)
                blocks[i].commentSection = blocks[i].boilerplate && marks[Int(blocks[i].boilerMark)].comments
            }
        }

        func text(_ p: UnsafePointer<UInt8>, _ n: Int) {
            var i = 0
            while i < n {
                let b = p[i]
                if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                    pendingSpace = true
                } else if b == 0xC2 && i + 1 < n && p[i + 1] == 0xA0 {  // no-break space
                    pendingSpace = true
                    i += 1
                } else {
                    if pendingBreak { cur.bytes.append(0x0A) }
                    else if pendingSpace && !cur.bytes.isEmpty { cur.bytes.append(0x20); if linkDepth > 0 { cur.linkBytes += 1; if scriptLinkDepth > 0 { cur.scriptLinkBytes += 1 } } }
                    pendingSpace = false
                    pendingBreak = false
                    cur.bytes.append(b)
                    if linkDepth > 0 { cur.linkBytes += 1; if scriptLinkDepth > 0 { cur.scriptLinkBytes += 1 } }
                }
                i += 1
            }
        }
    }

    static let skipTags: Set<String> = ["script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
                                        "button", "select", "option", "textarea", "input", "nav", "aside", "footer", "head", "map", "audio", "video"]
    static let blockTags: Set<String> = ["p", "div", "section", "article", "main", "header", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr",
                                         "tbody", "thead", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "figure", "figcaption", "address",
                                         "br", "hr", "center", "body", "html", "caption", "fieldset", "details", "summary"]
    /// Class/id words (whole tokens, split at non-letters) that mark boilerplate containers.
    static let boilerWords: Set<String> = ["nav", "navbar", "navigation", "menu", "menubar", "footer", "foot", "sidebar", "comment", "comments", "share",
                                           "sharing", "social", "breadcrumb", "breadcrumbs", "related", "advert", "advertisement",
                                           "banner", "cookie", "cookies", "subscribe", "newsletter", "login", "signup", "copyright", "toolbar",
                                           "pagination", "pager", "recommend", "recommended", "popup", "modal", "masthead",
                                           "topbar", "tags", "skip", "promo", "sponsored", "outbrain", "taboola", "contentinfo"]
    static let contentWords: Set<String> = ["article", "content", "post", "entry", "main", "story", "text", "body", "articlebody", "fulltext"]

    static func attribute(_ node: UnsafeMutablePointer<xmlNode>, _ name: String) -> String? {
        guard let v = xmlGetProp(node, name) else { return nil }
        defer { free(v) }
        return String(cString: v)
    }

    /// The attributes the walk reads, in one pass over the node's attribute list.
    struct Attributes {
        var names: [UInt8] = []  // " " + class, id, role and itemprop values, ASCII lowercased
        var hidden = false
        /// A class or id of screen-reader text or a page control (`namesInvisible`); hides
        /// any element but <html> and <body>.
        var invisibleName = false
        var scriptHref = false   // href="javascript:…": a script hook, not a link to a page
    }

    /// Whether an href value is a `javascript:` URL (leading whitespace allowed, any case).
    static func isScriptURL(_ v: UnsafePointer<UInt8>) -> Bool {
        var i = 0
        while v[i] == 0x20 || v[i] == 0x09 || v[i] == 0x0A || v[i] == 0x0D { i += 1 }
        for (k, c) in "javascript:".utf8.enumerated() {
            let b = v[i + k]
            if b == 0 || (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != c { return false }
        }
        return true
    }

    /// Whether the C string `p`, ASCII-lowercased with spaces removed, contains `needle`.
    static func compactContains(_ p: UnsafePointer<UInt8>, _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { nb -> Bool in
            guard let first = nb.first else { return true }
            var i = 0
            while p[i] != 0 {
                let b = p[i]
                if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) == first {
                    // match the rest, skipping spaces in the attribute value
                    var j = i + 1, k = 1
                    while k < nb.count {
                        let c = p[j]
                        if c == 0 { break }
                        if c == 0x20 { j += 1; continue }
                        if (c >= 0x41 && c <= 0x5A ? c | 0x20 : c) != nb[k] { break }
                        j += 1; k += 1
                    }
                    if k == nb.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    /// Whether `bytes` contain the ASCII `needle`.
    static func contains(_ bytes: [UInt8], _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { nb in
            guard nb.count <= bytes.count else { return false }
            for i in 0...(bytes.count - nb.count) where bytes[i] == nb[0] {
                if (1..<nb.count).allSatisfy({ bytes[i + $0] == nb[$0] }) { return true }
            }
            return false
        }
    }

    /// The attributes of a start tag as the SAX parser gives them: name, value (or NULL), …, NULL.
    static func attributes(_ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>) -> Attributes {
        var a = Attributes()
        var k = 0
        while let n = atts[k] {
            let value = atts[k + 1]
            k += 2
            // Only class, id, itemprop, role, hidden, href, aria-hidden and style matter: the first
            // letter picks the one or two names to compare with.
            let f = n[0]
            let named: Bool
            switch f {
            case 0x63: named = strcmp(n, "class") == 0
            case 0x69: named = strcmp(n, "id") == 0 || strcmp(n, "itemprop") == 0
            case 0x72: named = strcmp(n, "role") == 0
            case 0x68, 0x61, 0x73: named = false
            default: continue
            }
            if named {
                if f == 0x69, let v = value, isHeadingSlug(v) { continue }
                if f != 0x72, let v = value, namesInvisible(v, isClass: f == 0x63) { a.invisibleName = true }
                a.names.append(0x20)
                if let v = value {
                    var i = 0
                    while v[i] != 0 { let b = v[i]; a.names.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b); i += 1 }
                }
            } else if f == 0x68 {
                if strcmp(n, "hidden") == 0 {
                    a.hidden = true
                } else if strcmp(n, "href") == 0, let v = value, isScriptURL(v) {
                    a.scriptHref = true
                }
            } else if f == 0x61 {
                if strcmp(n, "aria-hidden") == 0, let v = value, strcasecmp(v, "true") == 0 { a.hidden = true }
            } else if f == 0x73, strcmp(n, "style") == 0, let v = value {
                if compactContains(v, "display:none") || compactContains(v, "visibility:hidden") { a.hidden = true }
            }
        }
        return a
    }

    /// A class or id that hides its element from sight or makes it a page control: text for
    /// screen readers only (Bootstrap's `sr-only`, WordPress's `screen-reader-text`,
    /// `visually-hidden`) and back-to-top / scroll-to-top anchors. A whole class token is
    /// matched on its letters alone (`sr_only`, `visuallyHidden`, `SCROLL_TO_TOP`; digits are
    /// dropped too, so `sr-only2` matches); a longer token (a page-wide flag such as
    /// `gp-back-to-top-desktop` on `<body>`) is not. A class token `hidden` (Bootstrap 3's and
    /// most sites' `display: none`; WSJ's print and preview copies of a story) hides too, unless
    /// another token shows the element again at some width (Tailwind's `hidden md:block`).
    /// Built in place: no allocation per value.
    static func namesInvisible(_ v: UnsafePointer<UInt8>, isClass: Bool) -> Bool {
        var key = WordKey(EmptyCollection<UInt8>())
        var count = 0
        var hiddenClass = false, variant = false
        var i = 0
        while true {
            let b = v[i]
            // HTML whitespace separates class tokens.
            if b == 0 || b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D {
                if count >= 6 && count <= 16 && invisibleKeys.contains(key) { return true }
                if isClass && count == 6 && key == hiddenKey { hiddenClass = true }
                key = WordKey(EmptyCollection<UInt8>())
                count = 0
                if b == 0 { return hiddenClass && !variant }
            } else if b == 0x3A {
                variant = true
            } else if (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) {
                if count < 16 {
                    let x = UInt64(b | 0x20)
                    if count < 8 { key.a |= x << (8 * UInt64(count)) } else { key.b |= x << (8 * UInt64(count - 8)) }
                }
                count += 1
            }
            i += 1
        }
    }
    static let invisibleKeys = ["sronly", "screenreadertext", "screenreaderonly", "visuallyhidden", "scrolltotop", "scrolltobottom",
                                "backtotop"].map { WordKey($0.utf8) }
    static let hiddenKey = WordKey("hidden".utf8)

    /// An id made from a heading's words ("sharing-with-a-single-developer", Sphinx, MediaWiki
    /// and Markdown anchors): four or more parts, one of them a function word. It names the
    /// section's topic, not its role, so its words must not mark the section as boilerplate.
    static func isHeadingSlug(_ v: UnsafePointer<xmlChar>) -> Bool {
        var parts = 0, function = false
        var start = 0, i = 0
        while true {
            let b = v[i]
            if b == 0x2D || b == 0x5F || b == 0 {
                if i > start {
                    parts += 1
                    // Function words are short and lower-case in slugs: no copy, no case folding needed.
                    if i - start <= 4 && slugFunctionWords.contains(WordKey(UnsafeBufferPointer(start: v + start, count: i - start))) { function = true }
                }
                if b == 0 { break }
                start = i + 1
            }
            i += 1
        }
        return parts >= 4 && function
    }
    static let slugFunctionWords = ["a", "an", "the", "and", "or", "of", "to", "in", "on", "with", "for", "from", "by", "how", "what", "why",
                                    "is", "are", "your", "you", "it", "at", "as", "not"].map { WordKey($0.utf8) }

    static func attribute(_ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ name: String) -> String? {
        guard let atts else { return nil }
        var k = 0
        while let n = atts[k] {
            if strcmp(n, name) == 0 { return atts[k + 1].map { String(cString: $0) } ?? "" }
            k += 2
        }
        return nil
    }

    /// A class/id word of up to 16 bytes packed into two integers (zero-padded; words hold no zero
    /// byte), so matching a token against the word lists needs no allocation or hashing.
    struct WordKey: Equatable {
        var a: UInt64 = 0, b: UInt64 = 0
        init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
            for (k, x) in bytes.enumerated() {
                if k < 8 { a |= UInt64(x) << (8 * UInt64(k)) } else { b |= UInt64(x) << (8 * UInt64(k - 8)) }
            }
        }
    }
    static let boilerKeys = WordSet(boilerWords)
    static let contentKeys = WordSet(contentWords)

    /// A fixed set of class/id words: an open-addressed table probed by a multiplicative hash
    /// of the packed word (every class token of every element is looked up: a linear scan of
    /// fifty words was 2 % of an extraction run).
    struct WordSet {
        private var slots: [WordKey]
        private let shift: UInt64
        init(_ words: Set<String>) {
            var size = 16
            while size < words.count * 4 { size *= 2 }
            slots = [WordKey](repeating: WordKey(EmptyCollection<UInt8>()), count: size)
            shift = UInt64(64 - size.trailingZeroBitCount)
            for w in words {
                let k = WordKey(w.utf8)
                var i = slot(k)
                while slots[i] != WordKey(EmptyCollection<UInt8>()) { i = (i + 1) & (size - 1) }
                slots[i] = k
            }
        }
        @inline(__always) private func slot(_ k: WordKey) -> Int {
            Int(truncatingIfNeeded: ((k.a ^ (k.b &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9) >> shift)
        }
        /// (The empty word marks a free slot; no word here is empty.)
        @inline(__always) func contains(_ k: WordKey) -> Bool {
            var i = slot(k)
            while true {
                let s = slots[i]
                if s == k { return true }
                if s.a == 0 && s.b == 0 { return false }
                i = (i + 1) & (slots.count - 1)
            }
        }
    }
    static let commentKeys = ["comment", "comments"].map { WordKey($0.utf8) }
    static let maxWordLength = (boilerWords.union(contentWords)).map(\.utf8.count).max() ?? 0

    /// `<article>`, or a container named as an article's body (entry-content, post-body,
    /// articleBody, …) without comment words.
    static func isArticleBody(_ a: Attributes, isArticleTag: Bool) -> Bool {
        if isArticleTag { return true }
        guard a.names.count >= 5 else { return false }
        var comment = false, whole = false, what = false, part = false
        var start = -1
        let names = a.names
        for i in 0...names.count {
            let b = i < names.count ? names[i] : 0x20
            if b >= 0x61 && b <= 0x7A { if start < 0 { start = i }; continue }
            guard start >= 0 else { continue }
            let r = start..<i
            start = -1
            guard r.count <= 16 else { continue }
            let k = WordKey(names[r])
            if commentKeys.contains(k) { comment = true }
            if articleWholeKeys.contains(k) { whole = true }
            if articleWhatKeys.contains(k) { what = true }
            if articlePartKeys.contains(k) { part = true }
        }
        if comment { return false }
        return whole || (what && part)
    }
    static let articleWholeKeys = ["articlebody", "postbody", "fulltext"].map { WordKey($0.utf8) }
    static let articleWhatKeys = ["entry", "post", "article", "story"].map { WordKey($0.utf8) }
    static let articlePartKeys = ["content", "body", "text"].map { WordKey($0.utf8) }

    /// `comments`: comment words do not make a container boilerplate.
    /// (Callers skip structural tags: `TagInfo.structural`.)
    static func isBoilerplate(_ a: Attributes, comments keepComments: Bool = false) -> Bool {
        let names = a.names
        // Fewer than 3 characters: nothing to match.
        if names.reduce(0, { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }) < 3 { return false }
        // Tokens: runs of letters (ASCII by byte, others by their Unicode category).
        var boiler = false, content = false, comment = false
        var i = 0
        var start = -1
        func isLetter(_ k: Int) -> (Bool, Int) {
            let b = names[k]
            if b < 0x80 { return ((b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A), 1) }
            let len = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            guard k + len <= names.count else { return (false, 1) }
            let v: UInt32 = len == 2 ? UInt32(b & 0x1F) << 6 | UInt32(names[k + 1] & 0x3F)
                : len == 3 ? UInt32(b & 0x0F) << 12 | UInt32(names[k + 1] & 0x3F) << 6 | UInt32(names[k + 2] & 0x3F)
                : UInt32(b & 0x07) << 18 | UInt32(names[k + 1] & 0x3F) << 12 | UInt32(names[k + 2] & 0x3F) << 6 | UInt32(names[k + 3] & 0x3F)
            switch Unicode.Scalar(v)?.properties.generalCategory {
            case .uppercaseLetter?, .lowercaseLetter?, .titlecaseLetter?, .modifierLetter?, .otherLetter?: return (true, len)
            default: return (false, len)
            }
        }
        func token(_ r: Range<Int>) {
            guard r.count >= 3, r.count <= maxWordLength else { return }
            let t = WordKey(names[r])
            if commentKeys.contains(t) || (r.count > 7 && isCommentCompound(names[r])) {
                comment = true
                if !keepComments { boiler = true }
            } else if boilerKeys.contains(t) {
                boiler = true
            }
            if contentKeys.contains(t) { content = true }
        }
        while i < names.count {
            let (letter, len) = isLetter(i)
            if letter { if start < 0 { start = i } } else if start >= 0 { token(start..<i); start = -1 }
            i += len
        }
        if start >= 0 { token(start..<names.count) }
        if content && !comment { return false }
        return boiler
    }

    /// A class or id word that is "comment(s)" run together with another word ("postcomments",
    /// "commentlist", "commententry"): a comment section, as trafilatura's substring test finds
    /// it; "commentary" and "commentator" are writing, not comments.
    static func isCommentCompound<C: BidirectionalCollection>(_ w: C) -> Bool where C.Element == UInt8 {
        // (Class and id words arrive ASCII-lowercased.)
        if w.starts(with: "comment".utf8) {
            let i = w.index(w.startIndex, offsetBy: 7)
            return i == w.endIndex || w[i] != 0x61  // comment-a…: commentary, commentator
        }
        return w.reversed().starts(with: "tnemmoc".utf8) || w.reversed().starts(with: "stnemmoc".utf8)
    }

    /// What an open element must undo when it closes.
    struct Frame {
        var skip = false       // this element's subtree is not walked
        var block = false, boiler = false, link = false, heading = false, list = false
        var scriptLink = false  // an <a href="javascript:…">
        var title = false      // the element whose text becomes the title
        var head = false
        var restoreBoiler: Int32? = nil  // the enclosing boilerplate mark, to restore
        var restoreForm: Int32? = nil
        var articleBody = false  // an article body's element (`Walker.articleDepth`)
        var caption = false      // `Block.caption`
    }

    /// The walk, driven by the parser's SAX events (no tree is built): the same element and
    /// text events libxml2's tree builder would turn into nodes, in document order.
    final class SAXWalk {
        let extractor: HTMLExtractor
        let w = Walker()
        var frames: [Frame] = []
        var skipping = 0          // open elements inside a skipped subtree (the skipped one included)
        var headDepth = -1        // depth of an open <head>, whose direct <title> child is the title
        var titleBytes: [UInt8]? = nil
        var titleDepth = -1
        init(_ e: HTMLExtractor) { extractor = e }

        func start(_ raw: UnsafePointer<xmlChar>, _ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
            let depth = frames.count
            if skipping > 0 {
                // Inside <head> only its direct <title> child matters.
                if headDepth >= 0 && depth == headDepth + 1 && w.title == nil && titleDepth < 0 && strcasecmp(raw, "title") == 0 {
                    titleDepth = depth; titleBytes = []
                }
                frames.append(Frame(skip: true)); skipping += 1
                return
            }
            let info: TagInfo
            if let t = w.tags[UnsafeRawPointer(raw)] { info = t } else {
                info = TagInfo(name: String(cString: raw).lowercased())
                w.tags[UnsafeRawPointer(raw)] = info
            }
            let kind = info.kind
            if kind == .title && w.title == nil {
                titleDepth = depth; titleBytes = []
                frames.append(Frame(skip: true, title: true)); skipping += 1
                return
            }
            if kind == .html { w.language = HTMLExtractor.attribute(atts, "lang") }
            if kind == .head {
                headDepth = depth
                frames.append(Frame(skip: true, head: true)); skipping += 1
                return
            }
            let mode = extractor.mode
            if info.skip && !(mode == .full && kind == .navLike) {
                frames.append(Frame(skip: true)); skipping += 1
                return
            }
            if kind == .br && mode == .main {
                w.lineBreak()
                frames.append(Frame())
                return
            }
            let attrs = atts == nil ? Attributes() : HTMLExtractor.attributes(atts!)
            if attrs.hidden || (attrs.invisibleName && kind != .html && kind != .body) {
                frames.append(Frame(skip: true)); skipping += 1; return
            }
            var f = Frame(block: info.block, boiler: mode == .main && !info.structural && HTMLExtractor.isBoilerplate(attrs, comments: extractor.comments),
                          link: info.link, heading: info.heading, list: info.list)
            f.scriptLink = info.link && attrs.scriptHref
            let articleBody = mode == .main && (info.block || w.boilerMark >= 0) && HTMLExtractor.isArticleBody(attrs, isArticleTag: kind == .article)
            // An article body inside a container named like boilerplate ("penci_sidebar" layouts).
            if mode == .main && w.boilerMark >= 0 && !f.boiler && articleBody {
                f.restoreBoiler = w.boilerMark
                w.boilerMark = -1
            }
            if f.block {
                w.open.append(w.tree.open(parent: w.open.last ?? -1))
                if kind == .tr { w.tree.rows.insert(w.open.last!) }
                w.flush()
                if articleBody {
                    w.tree.articleBodies.append(w.open.last!)
                    if w.articleDepth == 0 { w.tree.outermostArticleBodies.append(w.open.last!) }
                    w.articleDepth += 1
                    f.articleBody = true
                }
            }
            if f.boiler || info.form {
                let comments = HTMLExtractor.contains(attrs.names, "comment")
                if f.boiler { f.restoreBoiler = w.boilerMark; w.boilerMark = w.mark(form: false, comments: comments) }
                if info.form { f.restoreForm = w.formMark; w.formMark = w.mark(form: true, comments: comments) }
            }
            if f.link { w.linkDepth += 1 }
            if f.scriptLink { w.scriptLinkDepth += 1 }
            if f.heading { w.headingDepth += 1 }
            if f.list { w.listDepth += 1 }
            if mode == .main && (kind == .caption
                                 || HTMLExtractor.contains(attrs.names, "caption") || HTMLExtractor.contains(attrs.names, "credit")) {
                f.caption = true
                w.captionDepth += 1
            }
            if f.block {
                w.cur.boilerMark = w.boilerMark; w.cur.formMark = w.formMark; w.cur.heading = w.headingDepth > 0; w.cur.listItem = w.listDepth > 0
                w.cur.caption = w.captionDepth > 0
            }
            if info.cell { w.pendingSpace = true; w.cur.cells += 1 }
            frames.append(f)
        }

        func end() {
            guard let f = frames.popLast() else { return }
            let depth = frames.count
            if depth == titleDepth, let t = titleBytes {
                w.title = String(decoding: t, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
                titleBytes = nil
                titleDepth = -1
            }
            if f.head { headDepth = -1 }
            if f.skip { skipping -= 1; return }
            if f.list { w.listDepth -= 1 }
            if f.heading { w.headingDepth -= 1 }
            if f.caption { w.captionDepth -= 1 }
            if f.link { w.linkDepth -= 1 }
            if f.scriptLink { w.scriptLinkDepth -= 1 }
            if let b = f.restoreBoiler { w.boilerMark = b }
            if let m = f.restoreForm { w.formMark = m }
            if f.articleBody { w.articleDepth -= 1 }
            if f.block {
                w.flush()
                w.tree.close(w.open.removeLast())
                w.cur.container = w.open.last ?? -1
            }
        }

        func text(_ p: UnsafePointer<xmlChar>, _ n: Int) {
            if titleBytes != nil { titleBytes!.append(contentsOf: UnsafeBufferPointer(start: p, count: n)); return }
            if skipping > 0 || frames.isEmpty { return }
            w.text(p, n)
        }

        /// Parses `html` (UTF-8) and walks it, unless it looks binary; returns the prescan.
        func run(_ html: String, url: String?) -> HTMLPrescan {
            var h = html
            return h.withUTF8 { b in
                let scan = HTMLPrescan(b)
                if scan.looksBinary { return scan }
                if scan.needsCopy {
                    scan.cleaned(b).withUnsafeBufferPointer { parse($0) }
                } else {
                    parse(b)
                }
                return scan
            }
        }

        func parse(_ b: UnsafeBufferPointer<UInt8>) {
                b.withMemoryRebound(to: CChar.self) { c in
                    guard let ctxt = htmlCreateMemoryParserCtxt(c.baseAddress, Int32(min(c.count, Int(Int32.max)))) else { return }
                    defer {
                        if let doc = ctxt.pointee.myDoc { xmlFreeDoc(doc) }
                        htmlFreeParserCtxt(ctxt)
                    }
                    // The input is UTF-8 already (charset_decode): as htmlReadMemory does with an
                    // explicit encoding, switch to it and record it so <meta charset> cannot switch again.
                    if let utf8 = xmlFindCharEncodingHandler("UTF-8") {
                        _ = xmlSwitchToEncoding(ctxt, utf8)
                        if let input = ctxt.pointee.input {
                            if let old = input.pointee.encoding { free(UnsafeMutableRawPointer(mutating: old)) }
                            input.pointee.encoding = UnsafePointer(xmlStrdup("UTF-8"))
                        }
                    }
                    _ = htmlCtxtUseOptions(ctxt, Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                                                      | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue))
                    var sax = htmlSAXHandler()
                    sax.startElement = { ctx, name, atts in
                        guard let ctx, let name else { return }
                        let p = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
                        Unmanaged<SAXWalk>.fromOpaque(p.pointee._private).takeUnretainedValue().start(name, atts)
                    }
                    sax.endElement = { ctx, _ in
                        guard let ctx else { return }
                        let p = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
                        Unmanaged<SAXWalk>.fromOpaque(p.pointee._private).takeUnretainedValue().end()
                    }
                    let chars: charactersSAXFunc = { ctx, ch, len in
                        guard let ctx, let ch, len > 0 else { return }
                        let p = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
                        Unmanaged<SAXWalk>.fromOpaque(p.pointee._private).takeUnretainedValue().text(ch, Int(len))
                    }
                    sax.characters = chars
                    sax.cdataBlock = chars
                    ctxt.pointee.sax.pointee = sax
                    ctxt.pointee._private = Unmanaged.passUnretained(self).toOpaque()
                    ctxt.pointee.userData = UnsafeMutableRawPointer(ctxt)
                    _ = htmlParseDocument(ctxt)
                }
            w.flush()
            while let c = w.open.popLast() { w.tree.close(c) }
            w.settle()
        }
    }

    /// Every block, whether it is kept (+/-), its class (good/near/short/bad) and marks, and its text: `winnow extract --explain`.
    public func explain(_ html: String) -> [String] {
        let walk = SAXWalk(self)
        _ = walk.run(html, url: nil)
        let blocks = walk.w.blocks
        let keep = mode == .main ? Self.mainKeep(blocks, walk.w.tree, favor).keep : [Bool](repeating: true, count: blocks.count)
        return zip(blocks, keep).map { b, k in
            "\(k ? "+" : "-") \(Self.classify(b))\(b.boilerplate ? "/boiler" : "")\(b.heading ? "/h" : "")\(b.listItem ? "/li" : "") links=\(b.linkBytes)/\(b.bytes.count): "
                + String(decoding: b.bytes, as: UTF8.self).split(separator: "\n").joined(separator: " ")
        }
    }

    /// Extracts from UTF-8 HTML.
    public func extract(_ html: String, url: String? = nil) -> Result {
        let walk = SAXWalk(self)
        let scan = walk.run(html, url: url)
        let w = walk.w
        var text = mode == .full ? w.blocks.map { String(decoding: $0.bytes, as: UTF8.self) }.joined(separator: "\n")
                                 : Self.mainContent(w.blocks, w.tree, favor)
        if text.isEmpty && mode == .main { text = Self.shortPageText(w.blocks) }
        return Result(text: text, title: w.title, language: w.language, binary: scan.looksBinary,
                      nulBytesRemoved: scan.nulBytes, attributesDropped: scan.attributesDropped)
    }
}

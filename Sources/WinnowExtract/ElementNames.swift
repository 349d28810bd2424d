import CLibXML2
#if canImport(Glibc)
import Glibc
#endif
import WinnowCore

/// What a start tag's attributes say about its element: the class, id, role and itemprop words
/// that mark boilerplate, comment sections, article bodies and invisible or hidden elements,
/// read in one pass without allocation per word.
extension HTMLExtractor {
    /// Class/id words (whole tokens, split at non-letters) that mark boilerplate containers.
    /// Each with its plural ("copyrights", "footers", "menus"): class names use both.
    static let boilerWords: Set<String> = withPlurals(Set(["nav", "navbar", "navigation", "menu", "menubar", "footer", "foot", "sidebar", "comment", "comments", "share",
                                           "sharing", "social", "breadcrumb", "breadcrumbs", "related", "advert", "advertisement",
                                           "banner", "cookie", "cookies", "subscribe", "newsletter", "login", "signup", "copyright", "toolbar",
                                           "pagination", "pager", "recommend", "recommended", "popup", "modal", "masthead",
                                           "topbar", "tags", "skip", "promo", "sponsored", "outbrain", "taboola", "contentinfo"])
                                          .union(localBoilerWords))
    /// The same in the languages sites name their markup in: navigation (Dutch, Spanish,
    /// Portuguese, Italian, German), footers (Portuguese, German, Polish), a German sidebar,
    /// share bars, ads (German, French, Spanish, Portuguese, Italian, Polish/Czech/Russian,
    /// Danish/Norwegian, Finnish, Dutch) and related stories (Spanish/Portuguese, Italian, German).
    static let localBoilerWords: Set<String> = ["navigatie", "navegacion", "navegacao", "navigazione", "menue", "rodape", "fusszeile", "stopka",
                                                "seitenleiste", "teilen", "compartir", "compartilhar", "partage", "partager", "condividi",
                                                "werbung", "publicite", "publicidad", "publicidade", "pubblicita", "reklama", "reklame", "mainos",
                                                "advertentie", "relacionados", "relacionadas", "correlati", "verwandte"]
    static func withPlurals(_ words: Set<String>) -> Set<String> {
        words.union(words.filter { !$0.hasSuffix("s") }.map { $0 + "s" })
    }
    static let contentWords: Set<String> = ["article", "content", "post", "entry", "main", "story", "text", "body", "articlebody", "fulltext"]
    /// An article, a post or a news story, and its content, text or body, as German, Dutch,
    /// Spanish, Portuguese, Italian, French and Polish sites name them ("artikel-inhalt",
    /// "noticia-texto", "articolo-testo"): an article body's names only (`isArticleBody`), not
    /// content words that keep a boilerplate name's container ("footer-tekst", "sidebar-artikel"
    /// are a footer and a sidebar; "texto" and "tekst" name many small things).
    static let localArticleWords: Set<String> = ["artikel", "articulo", "artigo", "articolo", "beitrag", "noticia"]
    static let localPartWords: Set<String> = ["inhalt", "contenido", "conteudo", "contenu", "contenuto", "texto", "testo", "tekst", "cuerpo", "corpo"]

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
        var fragmentHref = false // href="#name": a place on the same page (a heading's permalink), not another page
        /// A name and no href: `<a name=…>` is a named anchor, not a link (left unclosed, it
        /// would make the rest of an old page read as one long link).
        var namedAnchor: Bool { anchorName && !href }
        var href = false
        var anchorName = false
        /// `TableOfContents.hash` of the id, and of a `#name` href's name (0: none).
        var idHash: UInt64 = 0
        var fragmentHash: UInt64 = 0
        /// The class value as the parser hands it over, valid during the start-tag callback
        /// only: the walk hashes its first name (`firstClassNameHash`) for block elements alone.
        var classValue: UnsafePointer<UInt8>? = nil
    }

    /// `FNV1a` hash of the first space-separated name of a class value, ASCII-lowercased (0: none).
    static func firstClassNameHash(_ v: UnsafePointer<UInt8>) -> UInt64 {
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D }
        var i = 0
        while space(v[i]) { i += 1 }
        let start = i
        var h = FNV1a.offset
        while v[i] != 0 && !space(v[i]) { h = FNV1a.step(h, ASCIIBytes.lowered(v[i])); i += 1 }
        return i > start ? h : 0
    }

    /// Whether an href value (a C string) is a `javascript:` URL (leading whitespace allowed, any case).
    static func isScriptURL(_ v: UnsafePointer<UInt8>) -> Bool {
        let n = strlen(v)
        return HTMLPrescan.isScriptURL(UnsafeBufferPointer(start: v, count: n), 0, n)
    }

    /// Whether an href value (a C string) names a place on the same page (`HTMLPrescan.isFragmentURL`).
    static func isFragmentURL(_ v: UnsafePointer<UInt8>) -> Bool {
        let n = strlen(v)
        return HTMLPrescan.isFragmentURL(UnsafeBufferPointer(start: v, count: n), 0, n)
    }

    /// Whether the C string `p`, ASCII-lowercased with spaces removed, contains `needle`.
    static func compactContains(_ p: UnsafePointer<UInt8>, _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { nb -> Bool in
            guard let first = nb.first else { return true }
            var i = 0
            while p[i] != 0 {
                let b = p[i]
                if ASCIIBytes.lowered(b) == first {
                    // match the rest, skipping spaces in the attribute value
                    var j = i + 1, k = 1
                    while k < nb.count {
                        let c = p[j]
                        if c == 0 { break }
                        if c == 0x20 { j += 1; continue }
                        if ASCIIBytes.lowered(c) != nb[k] { break }
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
    /// `hashingID`: the element is (inside) a heading, whose id a table of contents may link to.
    static func attributes(_ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>, hashingID: Bool = false) -> Attributes {
        var a = Attributes()
        var k = 0
        while let n = atts[k] {
            let value = atts[k + 1]
            k += 2
            // Only class, id, itemprop, role, hidden, href, name, aria-hidden and style matter: the first
            // letter picks the one or two names to compare with.
            let f = n[0]
            let named: Bool
            var isID = false
            switch f {
            case 0x63: named = strcmp(n, "class") == 0
            case 0x69: isID = strcmp(n, "id") == 0; named = isID || strcmp(n, "itemprop") == 0
            case 0x72: named = strcmp(n, "role") == 0
            case 0x68, 0x61, 0x73, 0x6E: named = false
            default: continue
            }
            if named {
                if hashingID && isID, let v = value { a.idHash = TableOfContents.hash(v, from: 0) }
                if f == 0x69, let v = value, isHeadingSlug(v) { continue }
                if f != 0x72, let v = value, namesInvisible(v, isClass: f == 0x63) || (isID && isMathJaxFrame(v)) { a.invisibleName = true }
                a.names.append(0x20)
                if f == 0x63 { a.classValue = value }
                if let v = value {
                    var i = 0
                    while v[i] != 0 { let b = v[i]; a.names.append(ASCIIBytes.lowered(b)); i += 1 }
                }
            } else if f == 0x68 {
                if strcmp(n, "hidden") == 0 {
                    a.hidden = true
                } else if strcmp(n, "href") == 0 {
                    a.href = true
                    if let v = value, isScriptURL(v) { a.scriptHref = true }
                    if let v = value, isFragmentURL(v) { a.fragmentHref = true; a.fragmentHash = TableOfContents.fragmentHash(v) }
                }
            } else if f == 0x6E {
                if strcmp(n, "name") == 0 { a.anchorName = true }
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
    /// `visually-hidden`), back-to-top / scroll-to-top anchors, and a wiki's section-edit links
    /// (MediaWiki's `mw-editsection`, older `editsection`: "[edit]" after each heading, whose
    /// longer labels, "[editar | modificar o codigo]", made a heading read as a link; no human
    /// gold keeps them), and the line-number column beside a code listing (Pygments' `linenos`
    /// and older `linenodiv`, Rouge's `rouge-gutter` and `lineno`, SyntaxHighlighter's `gutter`,
    /// highlight.js's `hljs-ln-numbers`, the Ace and CodeMirror editors' gutters: "1 2 3 …" lines
    /// that are no part of the code; Prism's `line-numbers` is the class of the code's own `<pre>`,
    /// and stays). A whole class token is
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
    /// A formula MathJax 2 rendered (`id="MathJax-Element-7-Frame"`; HTML-CSS, SVG and CommonHTML
    /// output alike): its glyphs and MathML copy stand for the `math/tex` script right after it,
    /// which `Formulas` reads; its preview (`MathJax_Preview`) likewise.
    static func isMathJaxFrame(_ v: UnsafePointer<UInt8>) -> Bool {
        guard v[0] == 0x4D, strncmp(v, "MathJax-Element-", 16) == 0 else { return false }
        let n = strlen(v)
        return n > 22 && strcmp(v + n - 6, "-Frame") == 0
    }
    static let invisibleKeys = ["sronly", "screenreadertext", "screenreaderonly", "visuallyhidden", "scrolltotop", "scrolltobottom",
                                "backtotop", "mweditsection", "editsection",
                                "linenos", "linenodiv", "lineno", "rougegutter", "gutter", "hljslnnumbers", "acegutter",
                                "codemirrorgutter", "mathjaxpreview"].map { WordKey($0.utf8) }
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
    /// Comment sections, named in English or another language — in the plural: a German
    /// "Kommentar", a Polish "komentarz", a Spanish or French "comentario"/"commentaire" is also an
    /// opinion column, as "commentary" is in English ("commenti" is an English compound's form).
    static let commentKeys = (["comment", "comments"] + localCommentWords).map { WordKey($0.utf8) }
    static let localCommentWords = ["commentaires", "kommentare", "kommentarer", "kommentit", "comentarios", "komentarze", "komentare", "komentari",
                                    "reacties", "yorumlar"]

    /// Whether class, id, role and itemprop words (`Attributes.names`) name a comment section:
    /// "comment" anywhere in them (as trafilatura finds it), or another language's plural
    /// (`localCommentWords`; not its singular, an opinion column, nor "kommentator", "yorumcu").
    static func namesCommentSection(_ names: [UInt8]) -> Bool {
        contains(names, "comment") || localCommentNeedles.contains { needle in
            needle.count <= names.count && (0...(names.count - needle.count)).contains { i in names[i..<(i + needle.count)].elementsEqual(needle) }
        }
    }
    static let localCommentNeedles = localCommentWords.map { Array($0.utf8) }
    static let authorKeys = ["author", "authors"].map { WordKey($0.utf8) }
    static let aboutBoxWords: Set<String> = ["bio", "box", "about", "card"]
    static let aboutBoxKeys = WordSet(aboutBoxWords)
    static let authorBoxWords: Set<String> = ["authorbio", "authorbox", "authorinfo", "aboutauthor", "abouttheauthor"]
    static let authorBoxKeys = WordSet(authorBoxWords)
    static let maxWordLength = boilerWords.union(contentWords).union(aboutBoxWords).union(authorBoxWords).map(\.utf8.count).max() ?? 0

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
    static let articleWhatKeys = (["entry", "post", "article", "story"] + localArticleWords).map { WordKey($0.utf8) }
    static let articlePartKeys = (["content", "body", "text"] + localPartWords).map { WordKey($0.utf8) }

    /// `comments`: comment words do not make a container boilerplate. `authorBox`: "author"
    /// beside a word for a box about someone makes it boilerplate (not for a `<p>` or a `<blockquote>`).
    /// (Callers skip structural tags: `TagInfo.structural`.)
    static func isBoilerplate(_ a: Attributes, comments keepComments: Bool = false, authorBox: Bool = true) -> Bool {
        let names = a.names
        // Fewer than 3 characters: nothing to match.
        if names.reduce(0, { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }) < 3 { return false }
        // Tokens: runs of letters (ASCII by byte, others by their Unicode category).
        var boiler = false, content = false, comment = false
        // "author" beside a word for a box about someone ("author-bio", "author_box", "about the
        // author"): the author's box under the story. Either alone is not (a byline's "author", a
        // biography page's "bio", an author page's "author-description"), nor is a paragraph or a
        // quotation so named (an essay's note on its author, a quotation's source).
        var author = false, aboutBox = false
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
            if authorBox && !(author && aboutBox) {
                if authorKeys.contains(t) { author = true } else if aboutBoxKeys.contains(t) { aboutBox = true }
                else if authorBoxKeys.contains(t) { author = true; aboutBox = true }
            }
        }
        while i < names.count {
            let (letter, len) = isLetter(i)
            if letter { if start < 0 { start = i } } else if start >= 0 { token(start..<i); start = -1 }
            i += len
        }
        if start >= 0 { token(start..<names.count) }
        if content && !comment { return false }
        return boiler || (author && aboutBox)
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
}

import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

extension HTMLExtractor {
    /// What an open element must undo when it closes.
    struct Frame {
        var skip = false       // this element's subtree is not walked
        var block = false, boiler = false, link = false, heading = false, list = false
        var scriptLink = false  // an <a href="javascript:…">
        var fragmentLink = false  // an <a href="#name"> (`HTMLPrescan.isFragmentURL`)
        var title = false      // the element whose text becomes the title
        var head = false
        var restoreBoiler: Int32? = nil  // the enclosing boilerplate mark, to restore
        var restoreForm: Int32? = nil
        var articleBody = false  // an article body's element (`Walker.articleDepth`)
        var caption = false      // `Block.caption`
        var preformatted = false // `Walker.preDepth`
        var code = false         // `Walker.codeDepth`
        /// An open custom element not yet read as a container (`SAXWalk.promotePendingCustom`).
        struct Custom { var kind: UInt64; var articleBody: Bool }
        var custom: Custom? = nil
        var sectioning = false   // `Walker.sectioningDepth`
    }

    /// The walk, driven by the parser's SAX events (no tree is built): the same element and
    /// text events libxml2's tree builder would turn into nodes, in document order.
    final class SAXWalk {
        let extractor: HTMLExtractor
        let w = Walker()
        var frames: [Frame] = []
        var skipping = 0          // open elements inside a skipped subtree (the skipped one included)
        var headDepth = -1        // depth of an open <head>: its head content is skipped, its first <title> is the title
        var pendingCustom: [Int] = []  // frames of open custom elements still inline, outermost first
        var titleBytes: [UInt8]? = nil
        var titleDepth = -1
        /// Main-text mode skips `<nav>`, `<aside>` and `<footer>` unread. Each outermost one, in
        /// document order, counts the text it holds (bytes other than whitespace; a script's in it
        /// too: the count only decides whether a second walk is tried, and that walk's rules
        /// decide what is kept), so that one holding most of the page can be walked in a second
        /// pass (`HTMLExtractor.walked`).
        var navigationText: [Int] = []
        var skippedNavigation = -1   // the outermost one being skipped (its ordinal), or -1
        /// The navigation element (ordinal) walked instead as a block-level, boilerplate-named
        /// container, and its container id.
        let walkedNavigation: Int
        var walkedNavigationContainer: Int32 = -1
        init(_ e: HTMLExtractor, walking navigation: Int = -1) {
            extractor = e; walkedNavigation = navigation; w.dropsNonText = e.mode == .main
        }

        func start(_ raw: UnsafePointer<xmlChar>, _ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
            let depth = frames.count
            if skipping > 0 {
                frames.append(Frame(skip: true)); skipping += 1
                return
            }
            let info: TagInfo
            if let t = w.tags[UnsafeRawPointer(raw)] { info = t } else {
                info = TagInfo(name: String(cString: raw).lowercased())
                w.tags[UnsafeRawPointer(raw)] = info
            }
            let kind = info.kind
            if kind == .title {
                // The first <title> is the page's title; no <title> is text, wherever it stands
                // (browsers show none).
                if w.title == nil && titleDepth < 0 { titleDepth = depth; titleBytes = [] }
                frames.append(Frame(skip: true, title: true)); skipping += 1
                return
            }
            if headDepth >= 0 && info.headContent {
                // <head> is walked for what HTML5 would not keep there (libxml2 2.9 leaves the head
                // open at an element it does not know, a custom element, `<app-root>`: a page
                // with no <body> tag that opens with a script was skipped whole as head); its head
                // content stays unread.
                frames.append(Frame(skip: true)); skipping += 1
                return
            }
            if kind == .html { w.language = HTMLExtractor.attribute(atts, "lang") }
            if kind == .head {
                headDepth = depth
                frames.append(Frame(head: true))
                return
            }
            let mode = extractor.mode
            var walkedAsBoilerplate = false
            if kind == .navLike && mode == .main {
                let ordinal = navigationText.count
                navigationText.append(0)
                if ordinal == walkedNavigation {
                    walkedAsBoilerplate = true
                } else {
                    skippedNavigation = ordinal
                }
            }
            if kind == .math {
                formula(atts)
                return
            }
            if info.skip && !(mode == .full && kind == .navLike) && !walkedAsBoilerplate {
                frames.append(Frame(skip: true)); skipping += 1
                return
            }
            if kind == .br && mode == .main {
                w.lineBreak()
                frames.append(Frame())
                return
            }
            let attrs = atts == nil ? Attributes() : HTMLExtractor.attributes(atts!, hashingID: mode == .main && (info.heading || w.headingDepth > 0))
            if attrs.hidden || (attrs.invisibleName && kind != .html && kind != .body) {
                frames.append(Frame(skip: true)); skipping += 1; return
            }
            let named = mode == .main && (walkedAsBoilerplate || (!info.structural && HTMLExtractor.isBoilerplate(attrs, comments: extractor.comments, authorBox: !info.textElement)))
            // A <header> outside every <article>, <section> and <main> is the page's banner (its
            // implicit ARIA role) unless it holds a heading: then it is the story's header, with
            // its title and standfirst (`Walker.settle` decides, once the heading is seen).
            let banner = mode == .main && !named && kind == .header && w.sectioningDepth == 0
            var f = Frame(block: info.block || walkedAsBoilerplate, boiler: named || banner,
                          link: info.link && !attrs.namedAnchor, heading: info.heading, list: info.list)
            f.scriptLink = f.link && attrs.scriptHref
            f.fragmentLink = f.link && attrs.fragmentHref
            if mode == .main {
                if attrs.idHash != 0 { w.headingIDs.insert(attrs.idHash) }
                if f.fragmentLink && w.cur.fragmentTarget == 0 { w.cur.fragmentTarget = attrs.fragmentHash }
            }
            let articleBody = mode == .main && (info.block || w.boilerMark >= 0) && HTMLExtractor.isArticleBody(attrs, isArticleTag: kind == .article)
            // An article body inside a container named like boilerplate ("penci_sidebar" layouts).
            if mode == .main && w.boilerMark >= 0 && !f.boiler && articleBody {
                f.restoreBoiler = w.boilerMark
                w.boilerMark = -1
            }
            // (Hashed only for an element that is, or may become, a container.)
            let elementKind = f.block || info.custom
                ? Containers.elementKind(tag: info.nameHash, firstClass: attrs.classValue.map(HTMLExtractor.firstClassNameHash) ?? 0) : 0
            if f.block && !pendingCustom.isEmpty { promotePendingCustom() }
            if info.custom && !f.block {
                // A custom element (`<app-article>`, `<relative-time>`) is inline, as browsers show
                // an element they do not know, until a block opens inside it: then it is a
                // container like a div (`promotePendingCustom`), its class and id counting.
                f.custom = Frame.Custom(kind: elementKind, articleBody: mode == .main && HTMLExtractor.isArticleBody(attrs, isArticleTag: false))
                pendingCustom.append(frames.count)
            }
            if f.block {
                w.open.append(w.tree.open(parent: w.open.last ?? -1, kind: elementKind))
                if kind == .tr { w.tree.rows.insert(w.open.last!) }
                if kind == .table { w.tree.tables.insert(w.open.last!) }
                if kind == .blockquote { w.tree.quotations.insert(w.open.last!) }
                if walkedAsBoilerplate { walkedNavigationContainer = w.open.last! }
                w.flush()
                if articleBody { openedArticleBody(); f.articleBody = true }
            }
            if f.boiler || info.form {
                let comments = HTMLExtractor.namesCommentSection(attrs.names)
                if f.boiler { f.restoreBoiler = w.boilerMark; w.boilerMark = w.mark(form: false, comments: comments, banner: banner) }
                if info.form { f.restoreForm = w.formMark; w.formMark = w.mark(form: true, comments: comments) }
            }
            if kind == .article || kind == .section || kind == .main { f.sectioning = true; w.sectioningDepth += 1 }
            if f.link { w.linkDepth += 1; w.linkWithoutText = true }
            if f.scriptLink { w.scriptLinkDepth += 1 }
            if f.fragmentLink { w.fragmentLinkDepth += 1 }
            if f.heading { if w.headingDepth == 0 { w.headingLevel = info.headingLevel }; w.headingDepth += 1 }
            if f.list { w.listOwners.append(w.open.last!) }  // (a list item is a block: its container is open)
            if info.preformatted { f.preformatted = true; w.preDepth += 1 }
            if info.code && w.preDepth == 0 { f.code = true; w.codeDepth += 1 }
            if mode == .main && (kind == .caption
                                 || HTMLExtractor.contains(attrs.names, "caption") || HTMLExtractor.contains(attrs.names, "credit")) {
                f.caption = true
                w.captionDepth += 1
            }
            if f.block {
                w.cur.boilerMark = w.boilerMark; w.cur.formMark = w.formMark
                w.cur.listOwner = w.listOwners.last ?? -1
                w.cur.listItem = w.cur.listOwner >= 0
                w.cur.headingLevel = w.openHeadingLevel
                w.cur.caption = w.captionDepth > 0
            }
            if info.cell {
                w.pendingSpace = true; w.cur.cells += 1; w.cellWithoutText = true
                if info.headerCell { w.cur.headerCells += 1 }
            }
            frames.append(f)
        }

        func end() {
            guard let f = frames.popLast() else { return }
            if f.custom != nil && !f.block && pendingCustom.last == frames.count { pendingCustom.removeLast() }
            let depth = frames.count
            if depth == titleDepth, let t = titleBytes {
                w.title = String(decoding: t, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
                titleBytes = nil
                titleDepth = -1
            }
            if f.head { headDepth = -1 }
            if f.skip {
                skipping -= 1
                if skipping == 0 { skippedNavigation = -1 }
                return
            }
            if f.list { w.listOwners.removeLast() }
            if f.preformatted { w.preDepth -= 1 }
            if f.code { w.codeDepth -= 1 }
            if f.heading { w.headingDepth -= 1 }
            if f.caption { w.captionDepth -= 1 }
            if f.link { w.linkDepth -= 1 }
            if f.scriptLink { w.scriptLinkDepth -= 1 }
            if f.fragmentLink { w.fragmentLinkDepth -= 1 }
            if let b = f.restoreBoiler { w.boilerMark = b }
            if let m = f.restoreForm { w.formMark = m }
            if f.articleBody { w.articleDepth -= 1 }
            if f.sectioning { w.sectioningDepth -= 1 }
            if f.block {
                w.flush()
                w.tree.close(w.open.removeLast())
                w.cur.container = w.open.last ?? -1
            }
        }

        func text(_ p: UnsafePointer<xmlChar>, _ n: Int) {
            if titleBytes != nil { titleBytes!.append(contentsOf: UnsafeBufferPointer(start: p, count: n)); return }
            if skippedNavigation >= 0 {
                var visible = 0
                for i in 0..<n where p[i] > 0x20 { visible += 1 }
                navigationText[skippedNavigation] += visible
                return
            }
            if skipping > 0 || frames.isEmpty { return }
            w.text(p, n)
        }

        /// Parses `html` (UTF-8) and walks it, unless it looks binary; returns the prescan.
        func run(_ html: String, url: String?) -> HTMLPrescan {
            var h = html
            return h.withUTF8 { b in
                let scan = HTMLPrescan(b, formulas: extractor.math)
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
            if extractor.mode == .main { w.dropTableOfContents() }
            w.settle()
            if extractor.mode == .main { HTMLExtractor.readLayoutListItems(&w.blocks) }
            if extractor.mode == .main { w.tree.skipSingleBlockWrappers(w.blocks.lazy.map { $0.container }) }
        }

        /// A formula the prescan wrote (`Formulas`: its TeX as the text of a `<mathtex>`), read
        /// inline unless hidden, or the picture (`of="n"`) of formula `n` already shown. Two in a
        /// row stay apart (`$x$ $y$`, not `$x$$y$`, which reads as display math).
        func formula(_ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
            var number = 0, pictureOf = 0
            if let atts {
                var k = 0
                while let n = atts[k] {
                    if let v = atts[k + 1] {
                        if strcmp(n, "n") == 0 { number = Int(atoi(v)) } else if strcmp(n, "of") == 0 { pictureOf = Int(atoi(v)) }
                    }
                    k += 2
                }
                let a = HTMLExtractor.attributes(atts)
                if a.hidden || a.invisibleName { frames.append(Frame(skip: true)); skipping += 1; return }
            }
            if pictureOf > 0 && pictureOf == w.lastShownFormula { frames.append(Frame(skip: true)); skipping += 1; return }
            if number > 0 { w.lastShownFormula = number }
            if w.cur.bytes.last == 0x24 { w.pendingSpace = true }
            frames.append(Frame())
        }

        /// A block opens inside open custom elements still read as inline: each becomes a
        /// container, outermost first, as a div opened where it opened would be (the text read so
        /// far in it stays in the block before: a block's text is its container's).
        func promotePendingCustom() {
            for k in pendingCustom {
                guard let c = frames[k].custom else { continue }
                frames[k].block = true
                w.open.append(w.tree.open(parent: w.open.last ?? -1, kind: c.kind))
                w.flush()
                if c.articleBody { openedArticleBody(); frames[k].articleBody = true }
            }
            pendingCustom.removeAll(keepingCapacity: true)
        }

        /// Records the container just opened (`w.open.last`) as an article body.
        func openedArticleBody() {
            w.tree.articleBodies.append(w.open.last!)
            if w.articleDepth == 0 { w.tree.outermostArticleBodies.append(w.open.last!) }
            w.articleDepth += 1
        }
    }
}

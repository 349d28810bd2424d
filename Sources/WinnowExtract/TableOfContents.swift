/// A table of contents — lines that link to the page's own headings (`<a href="#History">1
/// History</a>`, MediaWiki's `#toc`, a blog plugin's) — is the page's structure, not its text,
/// and not boilerplate either: read as a link list, it ended the article's run of paragraphs,
/// and the paragraphs after it with no good one on their side were lost. In main-text mode its
/// lines are dropped after the walk, as hidden elements are, so the paragraphs around it read as
/// neighbours. Links to places that are no heading (a tab bar's `#tab-2`, "back to top") stay:
/// they are the page's controls. Found with an `invariance.py` change (`toc`: a table of contents
/// after the first paragraph), not on gold text.
enum TableOfContents {
    /// FNV-1a of a C string from `from`, with `%XX` escapes decoded (an href escapes what an id
    /// writes as it is: `#Cheograf%C3%ADa` and `id="Cheografía"`); 0 for an empty string.
    static func hash(_ v: UnsafePointer<UInt8>, from: Int) -> UInt64 {
        var h = FNV1a.offset
        var i = from, any = false
        while v[i] != 0 {
            var b = v[i]
            if b == 0x25, let hi = hexValue(v[i + 1]), let lo = hexValue(v[i + 2]) {
                b = hi << 4 | lo
                i += 2
            }
            h = FNV1a.step(h, b)
            any = true
            i += 1
        }
        return any ? h : 0
    }

    /// The hash of a `#name` href's name (leading whitespace allowed, as `isFragmentURL`).
    static func fragmentHash(_ v: UnsafePointer<UInt8>) -> UInt64 {
        var i = 0
        while v[i] == 0x20 || v[i] == 0x09 || v[i] == 0x0A || v[i] == 0x0D { i += 1 }
        return v[i] == 0x23 ? hash(v, from: i + 1) : 0
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x37
        case 0x61...0x66: return c - 0x57
        default: return nil
        }
    }

    /// A line of a table of contents: no heading, its links all to places on the page and at
    /// least three quarters of its text (a number may stand outside the link), the first of
    /// them to a heading's id.
    static func isEntry(_ b: HTMLExtractor.Block, headingIDs: Set<UInt64>) -> Bool {
        !b.heading && b.fragmentTarget != 0 && b.linkBytes == b.fragmentLinkBytes
            && b.fragmentLinkBytes * 4 >= b.bytes.count * 3 && headingIDs.contains(b.fragmentTarget)
    }
}

extension HTMLExtractor.Walker {
    /// Drops the lines of tables of contents (`TableOfContents.isEntry`).
    func dropTableOfContents() {
        guard !headingIDs.isEmpty else { return }
        let ids = headingIDs
        // Most pages with heading ids have no table of contents: look before rewriting the array.
        guard blocks.contains(where: { $0.fragmentTarget != 0 && ids.contains($0.fragmentTarget) }) else { return }
        blocks.removeAll { TableOfContents.isEntry($0, headingIDs: ids) }
    }
}

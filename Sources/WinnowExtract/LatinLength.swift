/// Lengths that do not depend on the script a page is written in. In bytes, a Cyrillic, Greek,
/// Arabic or Hebrew letter counts two and a Thai or Devanagari one three, so a threshold in bytes
/// is half or a third as long for such text, and a linked name among digits (a results table's
/// team) reads as twice or three times as linked as it does in English. Here every character
/// counts one, but a CJK one (Han, kana, hangul — read as all of U+3000–U+DFFF, so the few
/// alphabets there, Yi or Javanese, count three as their bytes did — the compatibility
/// ideographs and full-width forms, the supplementary ideographs) counts three — its length in bytes, and about
/// what it says (a word of two of them says about as much as a Latin word of six letters) — so
/// thresholds and link shares read on CJK text as they did in bytes.
extension HTMLExtractor {
    /// The length in Latin letters of the character whose UTF-8 sequence starts with `lead`
    /// (`next`: the byte after it); 0 for a continuation byte.
    @inline(__always)
    static func latinWeight(_ lead: UInt8, next: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead < 0xC0 { return 0 }
        if lead < 0xE3 { return 1 }
        if lead <= 0xED { return 3 }
        if lead == 0xEF { return (next >= 0xA4 && next <= 0xAB) || next >= 0xBC ? 3 : 1 }  // U+F900–FAFF, U+FF00–FFFF
        if lead == 0xF0 { return next >= 0xA0 ? 3 : 1 }  // U+20000–3FFFF
        return 1
    }

    /// The length of `b` in Latin letters (`latinWeight`). `part`, when given, is a number of
    /// `b`'s bytes (its unlinked ones, say): its length at `b`'s letters per byte.
    static func latinLength(_ b: [UInt8], part: Int? = nil) -> Int {
        var n = 0
        for i in b.indices { n += latinWeight(b[i], next: i + 1 < b.count ? b[i + 1] : 0) }
        guard let part, !b.isEmpty else { return n }
        return n * part / b.count
    }
}

extension HTMLExtractor.Block {
    /// Sets the link byte counts to the bytes the links would take at the block's average bytes
    /// per letter, from their length in letters (`linkLetters`, of which `scriptLetters` in
    /// `javascript:` links and `fragmentLetters` in links to the page itself): every rule that
    /// compares them with `bytes.count` then compares lengths in letters. A block of ASCII and
    /// CJK text only is unchanged (a Cyrillic block's spaces, digits and marks are a byte a
    /// letter, its letters two); no links and all links stay none and all. `rawLinkBytes` keeps
    /// the count in bytes, for rules that read where in the bytes a link starts.
    mutating func countLinksInLetters(_ linkLetters: Int, script scriptLetters: Int, fragment fragmentLetters: Int) {
        rawLinkBytes = linkBytes
        guard linkBytes > 0 else { return }
        let letters = HTMLExtractor.latinLength(bytes)
        guard letters > 0 else { return }
        func scaled(_ x: Int) -> Int {
            if x <= 0 { return 0 }
            if x >= letters { return bytes.count }
            return min(bytes.count - 1, max(1, (x * bytes.count + letters / 2) / letters))
        }
        linkBytes = scaled(linkLetters)
        scriptLinkBytes = scaled(scriptLetters)
        fragmentLinkBytes = scaled(fragmentLetters)
    }
}

extension HTMLExtractor {
    /// Whether a block's text is only invisible format characters — zero-width spaces and
    /// joiners (U+200B–U+200D), word joiners (U+2060), byte-order marks (U+FEFF), soft hyphens
    /// (U+00AD), the direction marks of right-to-left text (U+200E, U+200F, U+061C; the
    /// embeddings and isolates U+202A–U+202E, U+2066–U+2069: an Arabic or Hebrew page's
    /// `<p>&rlm;</p>`) — and the spaces between them: a spacer paragraph that renders as nothing. In
    /// main-text mode the walk drops it, as it drops hidden elements: it is no line of text, and
    /// as the page's only line outside its navigation it hid the page (`HTMLExtractor.walked`).
    static func isInvisible(_ b: [UInt8]) -> Bool {
        guard let first = b.first, first >= 0x80 else { return false }  // most blocks start visibly
        var i = 0
        while i < b.count {
            switch b[i] {
            case 0x20, 0x0A: i += 1
            case 0xC2 where i + 1 < b.count && b[i + 1] == 0xAD: i += 2
            case 0xE2 where i + 2 < b.count && b[i + 1] == 0x80 && ((0x8B...0x8F).contains(b[i + 2]) || (0xAA...0xAE).contains(b[i + 2])): i += 3
            case 0xE2 where i + 2 < b.count && b[i + 1] == 0x81 && (b[i + 2] == 0xA0 || (0xA6...0xA9).contains(b[i + 2])): i += 3
            case 0xD8 where i + 1 < b.count && b[i + 1] == 0x9C: i += 2
            case 0xEF where i + 2 < b.count && b[i + 1] == 0xBB && b[i + 2] == 0xBF: i += 3
            default: return false
            }
        }
        return true
    }
}

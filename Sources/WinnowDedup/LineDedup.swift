import WinnowCore
import WinnowText

/// CCNet's line-level dedup (`cc_net/dedup.py`): a line is kept only the first time its
/// normalised form is seen in the group (earlier documents or earlier in the document).
/// Normalisation as `normalize_for_dedup`: strip, lowercase, every decimal digit → `0`, the
/// listed Unicode punctuation and C0/C1 control characters removed. Hash: the first 8 bytes
/// of SHA-1, little-endian.
enum LineDedup {
    static let unicodePunct: Set<Unicode.Scalar> = Set("，。、„”“«»１」「《》´∶：？！（）；–—．～’…━〈〉【】％►".unicodeScalars)

    static func isSpace(_ c: Unicode.Scalar) -> Bool { TextSimplifier.isSpace(c) }

    static func normalize(_ line: Substring) -> String {
        let scalars = line.unicodeScalars
        guard let a = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let b = scalars.lastIndex(where: { !isSpace($0) })!
        let lowered = String(String.UnicodeScalarView(scalars[a...b])).lowercased()
        var out = String.UnicodeScalarView()
        for c in lowered.unicodeScalars {
            if c.properties.generalCategory == .decimalNumber { out.append("0"); continue }
            if c.value < 32 || (c.value >= 127 && c.value < 160) || unicodePunct.contains(c) { continue }
            out.append(c)
        }
        return String(out)
    }

    static func hash(_ s: String) -> UInt64 {
        let d = SHA1.hash(Array(s.utf8))
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(d[i]) }
        return v
    }

    /// Removes already-seen lines from the document; false when no line is left.
    static func apply(_ doc: inout Document, seen: inout Set<UInt64>, removed: inout Int) -> Bool {
        var kept: [Substring] = []
        var any = false
        for line in doc.text.split(separator: "\n", omittingEmptySubsequences: false) {
            if seen.insert(hash(normalize(line))).inserted {
                kept.append(line)
                any = true
            } else {
                removed += 1
            }
        }
        if any { doc.text = kept.joined(separator: "\n") }
        return any
    }
}

import CICUShim

/// Unicode operations backed by the system ICU (through the C facade): NFKC, the
/// Traditional→Simplified transliterator, and dictionary-based Chinese word segmentation.
public enum ICUText {
    private static func convert(_ text: String, expansion: Int, _ f: (UnsafePointer<CChar>, Int64, UnsafeMutablePointer<CChar>, Int64) -> Int64) -> String? {
        var t = text
        return t.withUTF8 { src -> String? in
            if src.isEmpty { return "" }
            let cap = src.count * expansion + 16
            let dst = UnsafeMutablePointer<CChar>.allocate(capacity: cap)
            defer { dst.deallocate() }
            let n = src.withMemoryRebound(to: CChar.self) { f($0.baseAddress!, Int64($0.count), dst, Int64(cap)) }
            guard n >= 0 else { return nil }
            return dst.withMemoryRebound(to: UInt8.self, capacity: Int(n)) { String(decoding: UnsafeBufferPointer(start: $0, count: Int(n)), as: UTF8.self) }
        }
    }

    /// Builds the tables that are otherwise made on first use, so that stages set them up with
    /// their models and lists instead of charging them to their first document.
    public static func prepare(nfkc: Bool = false, simplification: Bool = false) {
        if nfkc { _ = NFKCTable.shared }
        if simplification { _ = changedBySimplification }
    }

    /// BMP code points NFKC leaves alone whatever surrounds them (ICU's "inert").
    static let nfkcInert: [Bool] = (0..<0x10000).map { cicu_nfkc_inert(Int32($0)) != 0 }

    /// BMP code points the Traditional→Simplified transliterator changes on their own.
    static let changedBySimplification: [Bool] = {
        var t = [Bool](repeating: false, count: 0x10000)
        for v in 0x3400..<0xA000 {  // CJK Extension A and the Unified Ideographs
            guard let c = Unicode.Scalar(UInt32(v)) else { continue }
            let s = String(c)
            t[v] = (convert(s, expansion: 4) { cicu_transliterate("Hant-Hans", $0, $1, $2, $3) } ?? s) != s
        }
        for v in 0xF900..<0xFB00 { t[v] = true }  // compatibility ideographs: let ICU decide
        return t
    }()

    /// NFKC (compatibility composition: full-width forms become ASCII, ligatures split, …).
    /// Text made only of inert characters (most Chinese and ASCII text) is returned as is.
    public static func nfkc(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value < 0x10000 && nfkcInert[Int($0.value)] }) { return text }
        return convert(text, expansion: 18) { cicu_nfkc($0, $1, $2, $3) } ?? text
    }

    /// NFKC of `text` as code points, given its code points `scalars`: the same array when every
    /// character is inert (no ICU call), else ICU's result decoded.
    public static func nfkc(scalars: [UInt32], of text: String) -> [UInt32] {
        switch nfkcByCharacter(scalars) {
        case .inert: return scalars
        case .mapped(let m): return m
        case .needsICU: return nfkcICU(text)
        }
    }

    /// ICU's NFKC of the whole text, as code points.
    static func nfkcICU(_ text: String) -> [UInt32] {
        Scalars.of(convert(text, expansion: 18) { cicu_nfkc($0, $1, $2, $3) } ?? text)
    }

    /// NFKC character by character, which equals NFKC of the text when every character after
    /// the first has a normalization boundary before it (nothing composes or reorders across
    /// characters): full-width punctuation and letters, compatibility forms and the like, the
    /// usual case in Chinese web text. Nil when some character does interact (combining marks,
    /// Hangul jamo, …), or lies outside the BMP: ICU then normalizes the whole text.
    static func nfkcByCharacter(_ scalars: [UInt32]) -> ByCharacter {
        let table = NFKCTable.shared
        return table.single.withUnsafeBufferPointer { single -> ByCharacter in
            table.boundaryBefore.withUnsafeBufferPointer { boundary -> ByCharacter in
                nfkcInert.withUnsafeBufferPointer { inert -> ByCharacter in
                    // First the length, and whether anything changes at all.
                    var length = 0, changes = false
                    for (i, c) in scalars.enumerated() {
                        guard c < 0x10000 else { return .needsICU }
                        if inert[Int(c)] { length += 1; continue }
                        guard i == 0 || boundary[Int(c)] else { return .needsICU }
                        changes = true
                        if single[Int(c)] != UInt32.max { length += 1 } else if let many = table.multiple[c] { length += many.count } else { return .needsICU }
                    }
                    if !changes { return .inert }
                    return .mapped([UInt32](unsafeUninitializedCapacity: length) { out, count in
                        var k = 0
                        for c in scalars {
                            let m = single[Int(c)]
                            if m != UInt32.max { out[k] = m; k += 1 } else { for x in table.multiple[c]! { out[k] = x; k += 1 } }
                        }
                        count = k
                    })
                }
            }
        }
    }

    enum ByCharacter: Equatable {
        case inert, mapped([UInt32]), needsICU
    }

    /// Per BMP code point: its NFKC when that is one character (`UInt32.max` otherwise, with
    /// the longer or empty mappings in `multiple`), and whether it has a boundary before it.
    final class NFKCTable: Sendable {
        static let shared = NFKCTable()
        let single: [UInt32]
        let boundaryBefore: [Bool]
        let multiple: [UInt32: [UInt32]]
        init() {
            var single = [UInt32](repeating: UInt32.max, count: 0x10000)
            var boundary = [Bool](repeating: false, count: 0x10000)
            var multiple: [UInt32: [UInt32]] = [:]
            for v in 0..<UInt32(0x10000) {
                guard let c = Unicode.Scalar(v) else { continue }
                boundary[Int(v)] = cicu_nfkc_boundary_before(Int32(v)) != 0
                if nfkcInert[Int(v)] { single[Int(v)] = v; continue }
                let s = String(c)
                guard let n = convert(s, expansion: 32, { cicu_nfkc($0, $1, $2, $3) }) else { boundary[Int(v)] = false; continue }
                let m = Scalars.of(n)
                if m.count == 1 { single[Int(v)] = m[0] } else { multiple[v] = m }
            }
            self.single = single
            boundaryBefore = boundary
            self.multiple = multiple
        }
    }

    /// Number of words (whitespace segments left out) and their total length in code points
    /// that ICU's dictionary-based break iterator finds in the text of code points `scalars`.
    public static func wordStats(_ scalars: [UInt32], locale: String = "zh") -> (words: Int, chars: Int) {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(scalars.count * 3)
        for v in scalars { Scalars.append(v, to: &utf8) }
        if utf8.isEmpty { return (0, 0) }
        var lengths = [Int32](repeating: 0, count: scalars.count + 1)
        let n = utf8.withUnsafeBufferPointer { src in
            src.withMemoryRebound(to: CChar.self) { s in
                lengths.withUnsafeMutableBufferPointer { cicu_word_lengths(locale, s.baseAddress, Int64(s.count), $0.baseAddress, Int32($0.count)) }
            }
        }
        guard n > 0 else { return (0, 0) }
        let k = Int(min(n, Int32(lengths.count)))
        var chars = 0
        for i in 0..<k { chars += Int(lengths[i]) }
        return (k, chars)
    }

    /// Traditional → Simplified Chinese with ICU's `Hant-Hans` transliterator.
    public static func toSimplified(_ text: String) -> String {
        if !containsTraditional(text) { return text }
        return convert(text, expansion: 4) { cicu_transliterate("Hant-Hans", $0, $1, $2, $3) } ?? text
    }

    /// Whether any character would change under Traditional→Simplified (checked per character
    /// against a table built from ICU once; characters outside the BMP go to ICU).
    public static func containsTraditional(_ text: String) -> Bool {
        for c in text.unicodeScalars {
            if c.value >= 0x10000 { return convertNeeded(text) }
            if changedBySimplification[Int(c.value)] { return true }
        }
        return false
    }

    /// `containsTraditional` given the text's code points.
    public static func containsTraditional(_ scalars: [UInt32], _ text: String) -> Bool {
        changedBySimplification.withUnsafeBufferPointer { t in
            for c in scalars {
                if c >= 0x10000 { return convertNeeded(text) }
                if t[Int(c)] { return true }
            }
            return false
        }
    }

    private static func convertNeeded(_ text: String) -> Bool {
        (convert(text, expansion: 4) { cicu_transliterate("Hant-Hans", $0, $1, $2, $3) } ?? text) != text
    }

    /// Any ICU transliterator by id (e.g. `Hans-Hant`).
    public static func transliterate(_ text: String, id: String) -> String {
        convert(text, expansion: 4) { cicu_transliterate(id, $0, $1, $2, $3) } ?? text
    }

    /// Lengths (in code points) of the words ICU's dictionary-based break iterator finds,
    /// whitespace segments left out.
    public static func wordLengths(_ text: String, locale: String = "zh") -> [Int] {
        var t = text
        return t.withUTF8 { src -> [Int] in
            if src.isEmpty { return [] }
            var lengths = [Int32](repeating: 0, count: src.count + 1)
            let n = src.withMemoryRebound(to: CChar.self) { s in
                lengths.withUnsafeMutableBufferPointer { cicu_word_lengths(locale, s.baseAddress, Int64(s.count), $0.baseAddress, Int32($0.count)) }
            }
            guard n > 0 else { return [] }
            return lengths[0..<Int(min(n, Int32(lengths.count)))].map(Int.init)
        }
    }
}

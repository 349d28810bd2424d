import WinnowClassify
import WinnowCore
import WinnowText
#if canImport(Glibc)
import Glibc
#endif

/// CT-LLM's MAP-CC filter chain (`filter/filter.py`, SPECS §2.1), in its order, first failure
/// drops the document: A `unify_format` (【…】 share on the NFKC text > 0.1; then MAP-CC's 34
/// full-width symbols → ASCII, which replaces the text); B URL block list (prefixes of the URL
/// without scheme; optional file) and link removal inside the text (replaces the text); C rules
/// R1–R12; D fastText top-1 score < 0.4 (label not checked, as released); E `duplicates_rules`,
/// a no-op as released (`duplicates: as_released`) or what the code intends (`intended`).
///
/// Deviation: R3's mean word length uses ICU's dictionary word segmentation instead of jieba
/// (`bench/mapcc` reports how the two compare).
public final class MapCCFilter: Stage {
    public let name = "mapcc_filter"
    let urlBlocklist: Set<String>
    let model: FastTextModel?
    let minScore: Float
    let intendedDuplicates: Bool
    private let scratch: FastTextModel.Scratch?

    public init(_ p: inout StageParameters) throws {
        if let path = try p.string("url_blocklist") {
            guard let text = readTextFile(path) else { throw p.error("url_blocklist", "cannot read \(path)") }
            urlBlocklist = Set(text.split(whereSeparator: \.isNewline).map { Self.stripScheme(String($0).trimmingWhitespace()) }.filter { !$0.isEmpty })
        } else {
            urlBlocklist = []
        }
        let modelPath = try p.string("model", default: "samples/models/lid.176.ftz")
        if modelPath == "none" {
            model = nil
        } else {
            do { model = try FastTextModelCache.shared.model(at: modelPath) } catch { throw p.error("model", "\(error)") }
        }
        scratch = model?.makeScratch()
        minScore = Float(try p.double("min_fasttext_score", default: 0.4))
        intendedDuplicates = try p.choice("duplicates", ["as_released", "intended"], default: "as_released") == "intended"
    }

    static func stripScheme(_ url: String) -> String {
        for s in ["https://", "http://"] where url.hasPrefix(s) { return String(url.dropFirst(s.count)) }
        return url
    }

    /// Per-character counts for R11/R12 and E, reused across documents (reset after use).
    private var counts = CharCounts()

    public func apply(_ doc: inout Document) -> Verdict {
        // A.1: share of 【…】 spans in the NFKC text.
        let nfkc0 = ICUText.nfkc(scalars: Scalars.of(doc.text), of: doc.text)
        if Double(Self.bracketSpanLength(nfkc0)) / Double(max(1, nfkc0.count)) > 0.1 { return .drop("mapcc_brackets") }
        // A.2: full-width symbols on the original text.
        var text = ChineseText.halfWidth(doc.text)
        // B.1: URL block list (any prefix of the scheme-less URL listed).
        if !urlBlocklist.isEmpty, let url = doc.metadata["url"]?.stringValue {
            let u = Self.stripScheme(url)
            var prefix = ""
            for c in u {
                prefix.append(c)
                if urlBlocklist.contains(prefix) { return .drop("mapcc_url_blocklist") }
            }
        }
        // B.2: links removed from the text.
        text = LinkRemover.remove(text)
        doc.text = text
        let s = Scalars.of(text)
        if let reason = Self.rules(text, s, &counts) { return .drop(reason) }
        if let model, let scratch {
            var line = Array(text.utf8.filter { $0 != 0x0A })
            line.append(0x0A)
            let score = line.withUnsafeBufferPointer { model.predict(utf8: $0, k: 1, threshold: 0, scratch: scratch) }.first?.probability ?? 0
            if score < minScore { return .drop("mapcc_fasttext_score") }
        }
        if intendedDuplicates, let reason = Self.duplicates(s, &counts) { return .drop(reason) }
        return .keep
    }

    /// Characters inside non-greedy 【…】 spans (brackets included; `.` does not cross lines).
    static func bracketSpanLength(_ s: [UInt32]) -> Int {
        var total = 0
        var open = -1
        for (i, c) in s.enumerated() {
            if c == 0x3010 && open < 0 { open = i }
            else if c == 0x0A { open = -1 }
            else if c == 0x3011 && open >= 0 { total += i - open + 1; open = -1 }
        }
        return total
    }

    /// Python's `\w` (str.isalnum() or underscore) and `str.isspace()`.
    @inline(__always) static func isWordOrSpace(_ c: UInt32) -> Bool { CharClass.of(c) & (CharClass.word | CharClass.space) != 0 }
    @inline(__always) static func isSpace(_ c: UInt32) -> Bool { CharClass.of(c) & CharClass.space != 0 }
    @inline(__always) static func isSpace(_ c: Unicode.Scalar) -> Bool { CharClass.of(c) & CharClass.space != 0 }

    /// ASCII `string.punctuation` and `…`.
    @inline(__always) static func isPunctuation(_ c: UInt32) -> Bool {
        (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E) || c == 0x2026
    }
    /// R9's bullets: • ● ○ ■ □ ▪ ▫ ※ · ➢ and U+2022, U+2023, U+25B6, U+25C0, U+25E6, U+25A0, U+25A1, U+25AA, U+25AB, U+2013.
    @inline(__always) static func isBullet(_ c: UInt32) -> Bool {
        switch c {
        case 0x2022, 0x25CF, 0x25CB, 0x25A0, 0x25A1, 0x25AA, 0x25AB, 0x203B, 0xB7, 0x27A2, 0x2023, 0x25B6, 0x25C0, 0x25E6, 0x2013: return true
        default: return false
        }
    }
    /// R1's sentence breaks: . ! … ? ; "
    @inline(__always) static func isSentenceBreak(_ c: UInt32) -> Bool {
        c == 0x2E || c == 0x21 || c == 0x2026 || c == 0x3F || c == 0x3B || c == 0x22
    }
    static let readMoreSuffixes: [[UInt32]] = ["readmore", "展开", "更多", "。。。"].map { $0.unicodeScalars.map(\.value) }

    /// C: rules R1–R12 on the link-free text; the first failing rule's reason.
    static func rules(_ text: String) -> String? {
        var counts = CharCounts()
        return rules(text, Scalars.of(text), &counts)
    }

    /// C on the text and its code points `s`.
    static func rules(_ text: String, _ s: [UInt32], _ counts: inout CharCounts) -> String? {
        let cc = CharClass.local
        let space = CharClass.space, wordOrSpace = CharClass.word | CharClass.space
        // R1: more than one non-empty segment between runs of . ! … ? ; "
        var segments = 0, inSegment = false
        for c in s {
            if isSentenceBreak(c) { if inSegment { segments += 1 }; inSegment = false } else if cc.of(c) & space == 0 { inSegment = true }
        }
        if inSegment { segments += 1 }
        if segments <= 1 { return "mapcc_sentences" }
        let n = ICUText.nfkc(scalars: s, of: text)
        // R2: 50 ≤ NFKC length ≤ 10 000.
        if n.count < 50 || n.count > 10_000 { return "mapcc_length" }
        // R3: mean word length of the NFKC text without [^\w\s], in [1.3, 10].
        let kept = n.allSatisfy({ cc.of($0) & wordOrSpace != 0 }) ? n : n.filter { cc.of($0) & wordOrSpace != 0 }
        if !meanWordLengthInRange(kept) { return "mapcc_word_length" }
        let len = Double(s.count)
        // R4: runs of # per character; R5: runs of … plus runs of two or more dots.
        var hashRuns = 0, ell = 0
        var prev: UInt32 = 0, dotRun = 0
        for c in s {
            if c == 0x23 && prev != 0x23 { hashRuns += 1 }
            if c == 0x2026 && prev != 0x2026 { ell += 1 }
            if c == 0x2E { dotRun += 1; if dotRun == 2 { ell += 1 } } else { dotRun = 0 }
            prev = c
        }
        if Double(hashRuns) / len > 0.1 { return "mapcc_hashtags" }
        if Double(ell) / len > 0.1 { return "mapcc_ellipsis" }
        // R7: digits among word and space characters of the NFKC text.
        var digits = 0
        let decimal = CharClass.decimal
        for c in kept where cc.of(c) & decimal != 0 { digits += 1 }
        if !kept.isEmpty && Double(digits) / Double(kept.count) > 0.3 { return "mapcc_digits" }
        // R8, R9: lines of the NFKC text.
        var lines = 0, readMore = 0, bulleted = 0
        var lineStart = 0
        for i in 0...n.count where i == n.count || n[i] == 0x0A {
            lines += 1
            let line = n[lineStart..<i]
            if readMoreSuffixes.contains(where: { line.count >= $0.count && line.suffix($0.count).elementsEqual($0) }) { readMore += 1 }
            if let f = line.first, isBullet(f) { bulleted += 1 }
            lineStart = i + 1
        }
        if Double(readMore) / Double(lines) > 0.3 { return "mapcc_read_more" }
        if Double(bulleted) / Double(lines) > 0.9 { return "mapcc_bullets" }
        // R10: some ASCII punctuation (or …) at all.
        if !n.contains(where: isPunctuation) { return "mapcc_no_punctuation" }
        // R11: distinct characters over characters > 0.1; R12: unigram entropy (natural log) ≥ 3.
        let (distinct, entropy) = counts.distinctAndEntropy(n)
        if Double(distinct) / Double(n.count) <= 0.1 { return "mapcc_unique_chars" }
        if entropy < 3 { return "mapcc_entropy" }
        return nil
    }

    /// R3: whether the mean length of ICU's words in `kept` (word characters and whitespace) is
    /// in [1.3, 10]. Segmentation goes a block of lines at a time (ICU always breaks at a
    /// newline, so the words are the same) and stops as soon as the rest of the text cannot
    /// change the answer: with W words of C characters so far and R word characters left, the
    /// final mean lies between min(C / W, (C + R) / (W + R)) (the rest single characters) and
    /// max(C / W, (C + R) / (W + 1)) (the rest one long word).
    static func meanWordLengthInRange(_ kept: [UInt32], low: Double = 1.3, high: Double = 10, block: Int = 256) -> Bool {
        let cc = CharClass.local, space = CharClass.space
        var left = 0
        for c in kept where cc.of(c) & space == 0 { left += 1 }
        var words = 0, chars = 0
        var start = 0
        while start < kept.count {
            var end = min(kept.count, start + block)
            while end < kept.count && kept[end - 1] != 0x0A { end += 1 }
            let piece = Array(kept[start..<end])
            for c in piece where cc.of(c) & space == 0 { left -= 1 }
            let (w, c) = ICUText.wordStats(piece)
            words += w; chars += c
            start = end
            if start < kept.count && words > 0 {
                let lowest = min(Double(chars) / Double(words), Double(chars + left) / Double(words + left))
                let highest = max(Double(chars) / Double(words), Double(chars + left) / Double(words + 1))
                if lowest >= low && highest <= high { return true }
                if highest < low || lowest > high { return false }
            }
        }
        guard words > 0 else { return false }
        let mean = Double(chars) / Double(words)
        return mean >= low && mean <= high
    }

    /// E as intended: top 2/3/4-gram coverage and repeated 5–10-gram character coverage.
    static func duplicates(_ s: [UInt32], _ counts: inout CharCounts) -> String? {
        let len = Double(s.count)
        guard len > 0 else { return nil }
        var grams = NGramCounter()
        return s.withUnsafeBufferPointer { p -> String? in
            for (n, limit) in [(2, 0.20), (3, 0.18), (4, 0.16)] where s.count >= n {
                grams.count(p, n: n, positions: s.count - n + 1)
                let top = Int(grams.counts.max() ?? 0)
                if Double((top - 1) * n) / len > limit { return "mapcc_top_\(n)gram" }
            }
            for n in 5...10 where s.count >= n {
                grams.count(p, n: n, positions: s.count - n + 1)
                var chars: [UInt32] = []
                for (k, v) in grams.counts.enumerated() where v > 1 { chars.append(contentsOf: p[Int(grams.first[k])..<(Int(grams.first[k]) + n)]) }
                if Double(counts.distinct(chars)) / len > 0.60 { return "mapcc_dup_\(n)gram" }
            }
            return nil
        }
    }
}

/// A per-code-point counting table, zeroed again after each use so it costs nothing per document.
struct CharCounts {
    private var table = [Int32](repeating: 0, count: 0x110000)

    /// Distinct characters of `s` and the natural-log entropy of their distribution.
    mutating func distinctAndEntropy(_ s: [UInt32]) -> (Int, Double) {
        table.withUnsafeMutableBufferPointer { t in
            var distinct: [UInt32] = []
            for c in s {
                if t[Int(c)] == 0 { distinct.append(c) }
                t[Int(c)] += 1
            }
            var entropy = 0.0
            let total = Double(s.count)
            for c in distinct {
                let p = Double(t[Int(c)]) / total
                entropy -= p * log(p)
                t[Int(c)] = 0
            }
            return (distinct.count, entropy)
        }
    }

    /// Distinct characters of `s`.
    mutating func distinct(_ s: [UInt32]) -> Int {
        table.withUnsafeMutableBufferPointer { t in
            var n = 0
            for c in s where t[Int(c)] == 0 { t[Int(c)] = 1; n += 1 }
            for c in s { t[Int(c)] = 0 }
            return n
        }
    }
}

/// CT-LLM's link removal, three passes: (a) `http(s)://…` or `www.…` up to whitespace, a comma
/// (`,` `，`) or a Han character; (b) dotted names of four or more `[A-Za-z0-9-]` labels;
/// (c) a bare `label.tld` (tld of 2–6 lowercase letters) not preceded by a Han character.
/// Works on UTF-8 bytes (every pattern is ASCII).
enum LinkRemover {
    @inline(__always) static func isLabel(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2D
    }

    /// The code point of the UTF-8 sequence starting at i (or ending just before `end`).
    @inline(__always) static func decode(_ s: [UInt8], at i: Int) -> UInt32 {
        let b = s[i]
        if b < 0x80 { return UInt32(b) }
        if b < 0xE0, i + 1 < s.count { return UInt32(b & 0x1F) << 6 | UInt32(s[i + 1] & 0x3F) }
        if b < 0xF0, i + 2 < s.count { return UInt32(b & 0x0F) << 12 | UInt32(s[i + 1] & 0x3F) << 6 | UInt32(s[i + 2] & 0x3F) }
        return 0xFFFD
    }

    @inline(__always) static func isHan(_ v: UInt32) -> Bool { v >= 0x4E00 && v <= 0x9FA5 }

    static func previousScalar(_ s: [UInt8], before i: Int) -> UInt32? {
        guard i > 0 else { return nil }
        var j = i - 1
        while j > 0 && s[j] & 0xC0 == 0x80 { j -= 1 }
        return decode(s, at: j)
    }

    static func mayHoldLink(_ text: String) -> Bool {
        var t = text
        return t.withUTF8 { b -> Bool in
            guard b.count >= 3 else { return false }
            for i in 1..<(b.count - 1) {
                switch b[i] {
                case 0x2E: if isLabel(b[i - 1]) && isLabel(b[i + 1]) { return true }
                case 0x74: if b[i - 1] == 0x68 && i + 2 < b.count && b[i + 1] == 0x74 && b[i + 2] == 0x70 { return true }  // http
                case 0x77: if b[i - 1] == 0x77 && i + 2 < b.count && b[i + 1] == 0x77 && b[i + 2] == 0x2E { return true }  // www.
                default: break
                }
            }
            return false
        }
    }

    static func remove(_ text: String) -> String {
        // Every pattern needs `http`/`www.` or a dot between two label characters; Chinese text
        // (whose 。 became a dot) usually has neither.
        if !mayHoldLink(text) { return text }
        var s = Array(text.utf8)
        var changed = false
        func starts(_ p: StaticString, _ at: Int) -> Bool {
            let n = p.utf8CodeUnitCount
            guard at + n <= s.count else { return false }
            return p.withUTF8Buffer { pb in (0..<n).allSatisfy { s[at + $0] == pb[$0] } }
        }
        // (a); `out` holds the text only once something was removed (`copied` bytes kept so far).
        var out: [UInt8] = []
        var copied = 0
        var i = 0
        while i < s.count {
            if (s[i] == 0x68 && (starts("https://", i) || starts("http://", i))) || (s[i] == 0x77 && starts("www.", i)) {
                out += s[copied..<i]
                while i < s.count {
                    let v = decode(s, at: i)
                    if MapCCFilter.isSpace(Unicode.Scalar(v) ?? " ") || v == 0x2C || v == 0xFF0C || isHan(v) { break }
                    i += v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4
                }
                copied = i
                continue
            }
            i += 1
        }
        if copied > 0 { out += s[copied...]; s = out; changed = true }
        // (b) and (c): runs of labels separated by dots.
        out = []
        copied = 0
        i = 0
        while i < s.count {
            if isLabel(s[i]) && (i == 0 || !(isLabel(s[i - 1]) || s[i - 1] == 0x2E)) {
                var j = i, labels = 0, lastStart = i
                while j < s.count {
                    let ls = j
                    while j < s.count && isLabel(s[j]) { j += 1 }
                    if j == ls { break }
                    labels += 1
                    lastStart = ls
                    if j + 1 < s.count && s[j] == 0x2E && isLabel(s[j + 1]) { j += 1 } else { break }
                }
                if labels >= 2 {
                    let tld = s[lastStart..<j]
                    let isTLD = tld.count >= 2 && tld.count <= 6 && tld.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
                    if labels >= 4 || (labels == 2 && isTLD && !(previousScalar(s, before: i).map(isHan) ?? false)) {
                        out += s[copied..<i]
                        copied = j
                    }
                }
                i = j
                continue
            }
            i += 1
        }
        if copied > 0 { out += s[copied...]; s = out; changed = true }
        return changed ? String(decoding: s, as: UTF8.self) : text
    }
}


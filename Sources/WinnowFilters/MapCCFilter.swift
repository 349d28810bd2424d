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

    public func apply(_ doc: inout Document) -> Verdict {
        // A.1: share of 【…】 spans in the NFKC text.
        let nfkc0 = ICUText.nfkc(doc.text)
        if Double(Self.bracketSpanLength(nfkc0)) / Double(max(1, nfkc0.unicodeScalars.count)) > 0.1 { return .drop("mapcc_brackets") }
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
        if let reason = Self.rules(text) { return .drop(reason) }
        if let model, let scratch {
            var line = Array(text.utf8.filter { $0 != 0x0A })
            line.append(0x0A)
            let score = line.withUnsafeBufferPointer { model.predict(utf8: $0, k: 1, threshold: 0, scratch: scratch) }.first?.probability ?? 0
            if score < minScore { return .drop("mapcc_fasttext_score") }
        }
        if intendedDuplicates, let reason = Self.duplicates(text) { return .drop(reason) }
        return .keep
    }

    /// Characters inside non-greedy 【…】 spans (brackets included; `.` does not cross lines).
    static func bracketSpanLength(_ s: String) -> Int {
        var total = 0
        var open: Int?
        var i = 0
        for c in s.unicodeScalars {
            if c == "【" && open == nil { open = i }
            else if c == "\n" { open = nil }
            else if c == "】", let o = open { total += i - o + 1; open = nil }
            i += 1
        }
        return total
    }

    /// Python's `\w` (str.isalnum() or underscore).
    @inline(__always) static func isWord(_ c: Unicode.Scalar) -> Bool { CharClass.of(c) & CharClass.word != 0 }
    /// Python's `str.isspace()`.
    @inline(__always) static func isSpace(_ c: Unicode.Scalar) -> Bool { CharClass.of(c) & CharClass.space != 0 }

    static let asciiPunctuation: Set<Unicode.Scalar> = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~…".unicodeScalars)
    static let bullets: Set<Unicode.Scalar> = Set("•●○■□▪▫※·➢\u{2022}\u{2023}\u{25B6}\u{25C0}\u{25E6}\u{25A0}\u{25A1}\u{25AA}\u{25AB}\u{2013}".unicodeScalars)
    static let sentenceBreaks: Set<Unicode.Scalar> = Set(".!…?;\"".unicodeScalars)

    /// C: rules R1–R12 on the link-free text; the first failing rule's reason.
    static func rules(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        // R1: more than one non-empty segment between runs of . ! … ? ; "
        var segments = 0, inSegment = false
        for c in scalars {
            if sentenceBreaks.contains(c) { if inSegment { segments += 1 }; inSegment = false } else if !isSpace(c) { inSegment = true }
        }
        if inSegment { segments += 1 }
        if segments <= 1 { return "mapcc_sentences" }
        let nfkc = ICUText.nfkc(text)
        let n = Array(nfkc.unicodeScalars)
        // R2: 50 ≤ NFKC length ≤ 10 000.
        if n.count < 50 || n.count > 10_000 { return "mapcc_length" }
        // R3: mean word length of the NFKC text without [^\w\s], in [1.3, 10].
        let wordText = String(String.UnicodeScalarView(n.filter { isWord($0) || isSpace($0) }))
        let lengths = ICUText.wordLengths(wordText)
        if !lengths.isEmpty {
            let mean = Double(lengths.reduce(0, +)) / Double(lengths.count)
            if mean < 1.3 || mean > 10 { return "mapcc_word_length" }
        } else {
            return "mapcc_word_length"
        }
        let len = Double(scalars.count)
        // R4: runs of # per character.
        var runs = 0
        for (i, c) in scalars.enumerated() where c == "#" && (i == 0 || scalars[i - 1] != "#") { runs += 1 }
        if Double(runs) / len > 0.1 { return "mapcc_hashtags" }
        // R5: runs of … plus runs of two or more dots.
        var ell = 0
        var i = 0
        while i < scalars.count {
            if scalars[i] == "…" {
                ell += 1
                while i < scalars.count && scalars[i] == "…" { i += 1 }
            } else if scalars[i] == ".", i + 1 < scalars.count, scalars[i + 1] == "." {
                ell += 1
                while i < scalars.count && scalars[i] == "." { i += 1 }
            } else {
                i += 1
            }
        }
        if Double(ell) / len > 0.1 { return "mapcc_ellipsis" }
        // R7: digits among word and space characters of the NFKC text.
        let kept = n.filter { isWord($0) || isSpace($0) }
        let digits = kept.filter { CharClass.of($0) & CharClass.decimal != 0 }.count
        if !kept.isEmpty && Double(digits) / Double(kept.count) > 0.3 { return "mapcc_digits" }
        // R8, R9: lines of the NFKC text.
        let lines = nfkc.split(separator: "\n", omittingEmptySubsequences: false)
        let readMore = lines.filter { l in ["readmore", "展开", "更多", "。。。"].contains { l.hasSuffix($0) } }.count
        if Double(readMore) / Double(lines.count) > 0.3 { return "mapcc_read_more" }
        let bulleted = lines.filter { l in l.unicodeScalars.first.map { bullets.contains($0) } ?? false }.count
        if Double(bulleted) / Double(lines.count) > 0.9 { return "mapcc_bullets" }
        // R10: some ASCII punctuation (or …) at all.
        if !n.contains(where: { asciiPunctuation.contains($0) }) { return "mapcc_no_punctuation" }
        // R11: distinct characters over characters > 0.1.
        var counts: [Unicode.Scalar: Int] = [:]
        for c in n { counts[c, default: 0] += 1 }
        if Double(counts.count) / Double(n.count) <= 0.1 { return "mapcc_unique_chars" }
        // R12: unigram entropy (natural log) ≥ 3.
        var entropy = 0.0
        let total = Double(n.count)
        for v in counts.values { let p = Double(v) / total; entropy -= p * log(p) }
        if entropy < 3 { return "mapcc_entropy" }
        return nil
    }

    /// E as intended: top 2/3/4-gram coverage and repeated 5–10-gram character coverage.
    static func duplicates(_ text: String) -> String? {
        let s = Array(text.unicodeScalars)
        let len = Double(s.count)
        guard len > 0 else { return nil }
        for (n, limit) in [(2, 0.20), (3, 0.18), (4, 0.16)] where s.count >= n {
            var counts: [String: Int] = [:]
            for i in 0...(s.count - n) { counts[String(String.UnicodeScalarView(s[i..<(i + n)])), default: 0] += 1 }
            let top = counts.values.max() ?? 0
            if Double((top - 1) * n) / len > limit { return "mapcc_top_\(n)gram" }
        }
        for n in 5...10 where s.count >= n {
            var counts: [String: Int] = [:]
            for i in 0...(s.count - n) { counts[String(String.UnicodeScalarView(s[i..<(i + n)])), default: 0] += 1 }
            var chars = Set<Unicode.Scalar>()
            for (k, v) in counts where v > 1 { for c in k.unicodeScalars { chars.insert(c) } }
            if Double(chars.count) / len > 0.60 { return "mapcc_dup_\(n)gram" }
        }
        return nil
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

    static func remove(_ text: String) -> String {
        // Nothing to do without a dot (every pattern has one): the common case.
        if !text.utf8.contains(0x2E) { return text }
        var s = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        func starts(_ p: StaticString, _ at: Int) -> Bool {
            let n = p.utf8CodeUnitCount
            guard at + n <= s.count else { return false }
            return p.withUTF8Buffer { pb in (0..<n).allSatisfy { s[at + $0] == pb[$0] } }
        }
        // (a)
        var i = 0
        while i < s.count {
            if (s[i] == 0x68 && (starts("https://", i) || starts("http://", i))) || (s[i] == 0x77 && starts("www.", i)) {
                while i < s.count {
                    let v = decode(s, at: i)
                    if MapCCFilter.isSpace(Unicode.Scalar(v) ?? " ") || v == 0x2C || v == 0xFF0C || isHan(v) { break }
                    i += v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4
                }
                continue
            }
            out.append(s[i]); i += 1
        }
        s = out
        out = []
        out.reserveCapacity(s.count)
        // (b) and (c): runs of labels separated by dots.
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
                let tld = s[lastStart..<j]
                let isTLD = tld.count >= 2 && tld.count <= 6 && tld.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
                let afterHan = previousScalar(s, before: i).map(isHan) ?? false
                if labels >= 4 || (labels == 2 && isTLD && !afterHan) {
                    i = j
                    continue
                }
                out.append(contentsOf: s[i..<j])
                i = j
                continue
            }
            out.append(s[i]); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}


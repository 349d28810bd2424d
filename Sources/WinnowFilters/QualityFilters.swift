import WinnowCore
import WinnowText

/// Text helpers with Python's semantics (what datatrove's filters compute on).
enum PyText {
    /// Python `str.isspace()`.
    @inline(__always) static func isSpace(_ c: Unicode.Scalar) -> Bool { CharClass.of(c) & CharClass.space != 0 }
    /// Python `str.isalpha()` for one character (letters).
    @inline(__always) static func isAlpha(_ c: Unicode.Scalar) -> Bool { CharClass.of(c) & CharClass.letter != 0 }

    static func strip(_ s: Substring) -> Substring {
        let u = s.unicodeScalars
        guard let a = u.firstIndex(where: { !isSpace($0) }) else { return s[s.endIndex...] }
        let b = u.lastIndex(where: { !isSpace($0) })!
        return Substring(u[a...b])
    }

    /// `str.splitlines()`: \n, \r, \r\n, \v, \f, \x1c–\x1e, \x85, \u2028, \u2029.
    static func splitlines(_ s: String) -> [Substring] {
        var out: [Substring] = []
        let u = s.unicodeScalars
        var start = u.startIndex
        var i = u.startIndex
        while i < u.endIndex {
            let c = u[i]
            switch c.value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                out.append(Substring(u[start..<i]))
                var next = u.index(after: i)
                if c == "\r", next < u.endIndex, u[next] == "\n" { next = u.index(after: next) }
                start = next
                i = next
            default:
                i = u.index(after: i)
            }
        }
        if start < u.endIndex { out.append(Substring(u[start...])) }
        return out
    }

    /// Non-overlapping occurrences, as `str.count`.
    static func count(_ s: String, _ sub: String) -> Int {
        let a = Array(s.unicodeScalars), b = Array(sub.unicodeScalars)
        guard !b.isEmpty, a.count >= b.count else { return 0 }
        var n = 0, i = 0
        while i <= a.count - b.count {
            if a[i] == b[0] && a[i..<(i + b.count)].elementsEqual(b) { n += 1; i += b.count } else { i += 1 }
        }
        return n
    }

    static func length<S: StringProtocol>(_ s: S) -> Int { s.unicodeScalars.count }
}

/// datatrove's `find_duplicates`: elements already seen count once each, with their characters.
func findDuplicates<S: StringProtocol & Hashable>(_ xs: [S]) -> (elements: Int, chars: Int) {
    var seen = Set<S>()
    var n = 0, chars = 0
    for x in xs {
        if !seen.insert(x).inserted { n += 1; chars += PyText.length(x) }
    }
    return (n, chars)
}

/// Gopher's quality rules as datatrove's `GopherQualityFilter` applies them (same order, same
/// drop reasons): word count, mean word length, `#` and ellipsis per word, bullet and ellipsis
/// lines, words with a letter, stop words. Words come from the English tokenizer datatrove uses.
public final class GopherQualityFilter: Stage {
    public let name = "gopher_quality"
    let minWords: Int?, maxWords: Int?, minAvg: Double?, maxAvg: Double?, maxSymbol: Double?
    let maxBullets: Double?, maxEllipsisLines: Double?, minAlpha: Double?, minStopWords: Int?
    let stopWords: Set<String>
    let tokenizer = EnglishTokenizer()
    static let punctuation = DatatrovePunctuation.set.union(DatatroveCharSets.terminalPunctuation)

    public init(_ p: inout StageParameters) throws {
        minWords = try p.int("min_doc_words", default: 50)
        maxWords = try p.int("max_doc_words", default: 100_000)
        minAvg = try p.double("min_avg_word_length", default: 3)
        maxAvg = try p.double("max_avg_word_length", default: 10)
        maxSymbol = try p.double("max_symbol_word_ratio", default: 0.1)
        maxBullets = try p.double("max_bullet_lines_ratio", default: 0.9)
        maxEllipsisLines = try p.double("max_ellipsis_lines_ratio", default: 0.3)
        minAlpha = try p.double("max_non_alpha_words_ratio", default: 0.8)
        minStopWords = try p.int("min_stop_words", default: 2)
        stopWords = Set(try p.strings("stop_words", default: ["the", "be", "to", "of", "and", "that", "have", "with"]))
    }

    public func apply(_ doc: inout Document) -> Verdict {
        let text = doc.text
        let words = tokenizer.tokenize(text)
        let nWords = words.count
        let nonSymbol = words.filter { $0.unicodeScalars.contains { !Self.punctuation.contains($0) } }
        if let m = minWords, m > 0, nonSymbol.count < m { return .drop("gopher_short_doc") }
        if let m = maxWords, m > 0, nonSymbol.count > m { return .drop("gopher_long_doc") }
        let avg = Double(nonSymbol.reduce(0) { $0 + PyText.length($1) }) / Double(nonSymbol.count)
        if let m = minAvg, m > 0, avg < m { return .drop("gopher_below_avg_threshold") }
        if let m = maxAvg, m > 0, avg > m { return .drop("gopher_above_avg_threshold") }
        if let m = maxSymbol, m > 0 {
            if Double(PyText.count(text, "#")) / Double(nWords) > m { return .drop("gopher_too_many_hashes") }
            if Double(PyText.count(text, "...") + PyText.count(text, "…")) / Double(nWords) > m { return .drop("gopher_too_many_ellipsis") }
        }
        let lines = PyText.splitlines(text)
        if let m = maxBullets, m > 0, !lines.isEmpty {
            let bullets = lines.filter { l in
                let s = l.unicodeScalars.drop(while: PyText.isSpace)
                return s.first == "•" || s.first == "-"
            }.count
            if Double(bullets) / Double(lines.count) > m { return .drop("gopher_too_many_bullets") }
        }
        if let m = maxEllipsisLines, m > 0, !lines.isEmpty {
            let ell = lines.filter { l in
                let s = Array(l.unicodeScalars.reversed().drop(while: PyText.isSpace).reversed())
                return s.last == "…" || (s.count >= 3 && s[(s.count - 3)...].allSatisfy { $0 == "." })
            }.count
            if Double(ell) / Double(lines.count) > m { return .drop("gopher_too_many_end_ellipsis") }
        }
        if let m = minAlpha, m > 0 {
            let alpha = words.filter { $0.unicodeScalars.contains(where: PyText.isAlpha) }.count
            if Double(alpha) / Double(nWords) < m { return .drop("gopher_below_alpha_threshold") }
        }
        if let m = minStopWords, m > 0, stopWords.intersection(words).count < m { return .drop("gopher_enough_stop_words") }
        return .keep
    }
}

/// Gopher's repetition rules as datatrove's `GopherRepetitionFilter` (same order and reasons):
/// duplicate paragraphs and lines (count and characters), top 2/3/4-gram character share,
/// duplicated 5–10-gram character share.
public final class GopherRepetitionFilter: Stage {
    public let name = "gopher_repetition"
    let dupLineFrac: Double, dupParaFrac: Double, dupLineCharFrac: Double, dupParaCharFrac: Double
    let topNGrams: [(Int, Double)] = [(2, 0.2), (3, 0.18), (4, 0.16)]
    let dupNGrams: [(Int, Double)] = [(5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)]
    let tokenizer = EnglishTokenizer()

    public init(_ p: inout StageParameters) throws {
        dupLineFrac = try p.double("dup_line_frac", default: 0.3)
        dupParaFrac = try p.double("dup_para_frac", default: 0.3)
        dupLineCharFrac = try p.double("dup_line_char_frac", default: 0.2)
        dupParaCharFrac = try p.double("dup_para_char_frac", default: 0.2)
    }

    public func apply(_ doc: inout Document) -> Verdict {
        let text = doc.text
        if text.isEmpty { return .drop("empty") }
        let len = Double(PyText.length(text))
        // paragraphs: text.strip() split on \n{2,}
        let stripped = PyText.strip(Substring(text))
        let paragraphs = Self.split(stripped, minNewlines: 2)
        let (pd, pc) = findDuplicates(paragraphs)
        if dupParaFrac > 0 && Double(pd) / Double(paragraphs.count) > dupParaFrac { return .drop("dup_para_frac") }
        if dupParaCharFrac > 0 && Double(pc) / len > dupParaCharFrac { return .drop("dup_para_char_frac") }
        let lines = Self.split(Substring(text), minNewlines: 1)
        let (ld, lc) = findDuplicates(lines)
        if dupLineFrac > 0 && Double(ld) / Double(lines.count) > dupLineFrac { return .drop("dup_line_frac") }
        if dupLineCharFrac > 0 && Double(lc) / len > dupLineCharFrac { return .drop("dup_line_char_frac") }
        let words = tokenizer.tokenize(text)
        // Each word as a polynomial hash of its UTF-8 bytes with the matching power of the base,
        // so the hash of a joined n-gram comes from its words without building the string.
        let base: UInt64 = 0x100000001B3
        var wh = [UInt64](), wp = [UInt64](), wl = [Int]()
        wh.reserveCapacity(words.count); wp.reserveCapacity(words.count); wl.reserveCapacity(words.count)
        for w in words {
            var h: UInt64 = 0, p: UInt64 = 1
            for b in w.utf8 { h = h &* base &+ UInt64(b) &+ 1; p = p &* base }
            wh.append(h); wp.append(p); wl.append(PyText.length(w))
        }
        for (n, frac) in topNGrams where words.count >= n {
            // most_common(1): the highest count, the first seen among equals.
            var counts: [UInt64: (count: Int, first: Int)] = [:]
            for i in 0...(words.count - n) {
                var h = wh[i]
                for j in (i + 1)..<(i + n) { h = ((h &* base &+ 0x21) &* wp[j]) &+ wh[j] }  // " " between words
                if let c = counts[h] { counts[h] = (c.count + 1, c.first) } else { counts[h] = (1, i) }
            }
            var best = (count: 0, first: Int.max)
            for v in counts.values where v.count > best.count || (v.count == best.count && v.first < best.first) { best = v }
            let chars = wl[best.first..<(best.first + n)].reduce(0, +) + (n - 1)
            if Double(chars * best.count) / len > frac { return .drop("top_\(n)_gram") }
        }
        for (n, frac) in dupNGrams {
            var seen = Set<UInt64>()
            var repeated = 0, i = 0
            while i < words.count - n + 1 {
                var h = wh[i]
                for j in (i + 1)..<(i + n) { h = (h &* wp[j]) &+ wh[j] }  // "".join
                if seen.contains(h) { repeated += wl[i..<(i + n)].reduce(0, +); i += n } else { seen.insert(h); i += 1 }
            }
            if Double(repeated) / len > frac { return .drop("duplicated_\(n)_n_grams") }
        }
        return .keep
    }

    /// `re.split("\n{k,}", s)`.
    static func split(_ s: Substring, minNewlines k: Int) -> [Substring] {
        var out: [Substring] = []
        let u = s.unicodeScalars
        var start = u.startIndex
        var i = u.startIndex
        while i < u.endIndex {
            if u[i] == "\n" {
                var j = i, run = 0
                while j < u.endIndex && u[j] == "\n" { run += 1; j = u.index(after: j) }
                if run >= k { out.append(Substring(u[start..<i])); start = j }
                i = j
            } else {
                i = u.index(after: i)
            }
        }
        out.append(Substring(u[start...]))
        return out
    }
}

/// FineWeb's own quality rules as datatrove's `FineWebQualityFilter` (same order, reasons and
/// defaults): share of lines ending in terminal punctuation (≥ 0.12), of short lines (≤ 0.67
/// lines of ≤ 30 characters), of characters in duplicated lines (≤ 0.01), newlines per word (≤ 0.3).
public final class FineWebQualityFilter: Stage {
    public let name = "fineweb_quality"
    let linePunctThr: Double, excludeZero: Bool, shortLineThr: Double, shortLineLength: Int, charDupRatio: Double, newLineRatio: Double
    let tokenizer = EnglishTokenizer()

    public init(_ p: inout StageParameters) throws {
        linePunctThr = try p.double("line_punct_thr", default: 0.12)
        excludeZero = try p.bool("line_punct_exclude_zero", default: false)
        shortLineThr = try p.double("short_line_thr", default: 0.67)
        shortLineLength = try p.int("short_line_length", default: 30)
        charDupRatio = try p.double("char_duplicates_ratio", default: 0.01)
        newLineRatio = try p.double("new_line_ratio", default: 0.3)
    }

    public func apply(_ doc: inout Document) -> Verdict {
        let text = doc.text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !PyText.strip($0).isEmpty }
        if lines.isEmpty { return .drop("empty") }
        let punct = lines.filter { $0.unicodeScalars.last.map(DatatroveCharSets.terminalPunctuation.contains) ?? false }.count
        let ratio = Double(punct) / Double(lines.count)
        if ratio < linePunctThr && !(ratio == 0 && excludeZero) { return .drop("line_punct_ratio") }
        let short = lines.filter { PyText.length($0) <= shortLineLength }.count
        if Double(short) / Double(lines.count) > shortLineThr { return .drop("short_line_ratio") }
        let noNewlines = PyText.length(text) - text.unicodeScalars.filter { $0 == "\n" }.count
        if Double(findDuplicates(lines).chars) / Double(noNewlines) > charDupRatio { return .drop("char_dup_ratio") }
        let words = tokenizer.tokenize(text)
        let newlines = text.unicodeScalars.filter { $0 == "\n" }.count
        if words.isEmpty || Double(newlines) / Double(words.count) > newLineRatio { return .drop("list_ratio") }
        return .keep
    }
}

/// C4's rules as datatrove's `C4QualityFilter` applies them (lines from `splitlines()`): drop
/// lines with a word over 1000 characters, remove citation marks, drop lines without terminal
/// punctuation (`. ? ! " '`, not `...`) and with fewer than 3 words, drop the document for
/// "lorem ipsum" or a curly bracket, drop lines mentioning javascript or cookie/terms policies,
/// then require 5 sentences (spaCy's sentencizer) among the kept lines, which replace the text.
public final class C4QualityFilter: Stage {
    public let name = "c4_quality"
    let removeCitations: Bool, filterNoTerminalPunct: Bool, minSentences: Int, minWordsPerLine: Int, maxWordLength: Int
    let lorem: Bool, javascript: Bool, curly: Bool, policy: Bool
    let tokenizer = EnglishTokenizer()
    static let policySubstrings = ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"]

    public init(_ p: inout StageParameters) throws {
        guard try p.bool("split_paragraph", default: true) else { throw p.error("split_paragraph", "only line splitting (split_paragraph: true, C4's default) is implemented") }
        removeCitations = try p.bool("remove_citations", default: true)
        filterNoTerminalPunct = try p.bool("filter_no_terminal_punct", default: true)
        minSentences = try p.int("min_num_sentences", default: 5)
        minWordsPerLine = try p.int("min_words_per_line", default: 3)
        maxWordLength = try p.int("max_word_length", default: 1000)
        lorem = try p.bool("filter_lorem_ipsum", default: true)
        javascript = try p.bool("filter_javascript", default: true)
        curly = try p.bool("filter_curly_bracket", default: true)
        policy = try p.bool("filter_policy", default: true)
    }

    /// `re.sub(r"\[\d*]|\[edit]|\[citation needed]", "", line)`.
    static func removeCitations(_ line: String) -> String {
        guard line.contains("[") else { return line }
        let a = Array(line.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < a.count {
            if a[i] == "[" {
                var j = i + 1
                while j < a.count && a[j].properties.numericType == .decimal { j += 1 }
                if j < a.count && a[j] == "]" { i = j + 1; continue }
                for w in ["edit]", "citation needed]"] {
                    let ws = Array(w.unicodeScalars)
                    if i + 1 + ws.count <= a.count && a[(i + 1)..<(i + 1 + ws.count)].elementsEqual(ws) { i += 1 + ws.count; break }
                }
                if i < a.count && a[i] == "[" { out.append(a[i]); i += 1 }
                continue
            }
            out.append(a[i]); i += 1
        }
        return String(out)
    }

    public func apply(_ doc: inout Document) -> Verdict {
        var sentences = 0
        var kept: [String] = []
        for raw in PyText.splitlines(doc.text) {
            var line = String(PyText.strip(raw))
            let words = line.split(whereSeparator: { $0.unicodeScalars.allSatisfy(PyText.isSpace) })
            if maxWordLength != -1 && words.contains(where: { PyText.length($0) > maxWordLength }) { continue }
            if removeCitations { line = Self.removeCitations(line) }
            if filterNoTerminalPunct {
                let last = line.unicodeScalars.last
                if !(last == "." || last == "?" || last == "!" || last == "\"" || last == "'") || line.hasSuffix("...") { continue }
            }
            if words.count < minWordsPerLine { continue }
            let lower = line.lowercased()
            if lorem && lower.contains("lorem ipsum") { return .drop("lorem_ipsum") }
            if javascript && lower.contains("javascript") { continue }
            if curly && line.contains("{") { return .drop("curly_bracket") }
            if policy && Self.policySubstrings.contains(where: { lower.contains($0) }) { continue }
            if minSentences != -1 { sentences += tokenizer.sentenceCount(line) }
            kept.append(line)
        }
        if sentences < minSentences { return .drop("too_few_sentences") }
        doc.text = String(PyText.strip(Substring(kept.joined(separator: "\n"))))
        return .keep
    }
}

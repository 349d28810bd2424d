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

    /// `str.splitlines()` on code points, as ranges.
    static func splitlines(_ a: UnsafeBufferPointer<UInt32>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0, i = 0
        while i < a.count {
            switch a[i] {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                out.append(start..<i)
                var next = i + 1
                if a[i] == 0x0D, next < a.count, a[next] == 0x0A { next += 1 }
                start = next
                i = next
            default:
                i += 1
            }
        }
        if start < a.count { out.append(start..<a.count) }
        return out
    }

    /// `str.strip()` of a range.
    @inline(__always) static func strip(_ a: UnsafeBufferPointer<UInt32>, _ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi && CharClass.of(a[lo]) & CharClass.space != 0 { lo += 1 }
        while hi > lo && CharClass.of(a[hi - 1]) & CharClass.space != 0 { hi -= 1 }
        return lo..<hi
    }

    /// Non-overlapping occurrences of `p` in `a`, as `str.count`.
    static func count(_ a: UnsafeBufferPointer<UInt32>, _ p: [UInt32]) -> Int {
        guard !p.isEmpty, a.count >= p.count else { return 0 }
        var n = 0, i = 0
        while i <= a.count - p.count {
            if a[i] == p[0] && (1..<p.count).allSatisfy({ a[i + $0] == p[$0] }) { n += 1; i += p.count } else { i += 1 }
        }
        return n
    }

    /// datatrove's `find_duplicates` over ranges of one text: ranges whose content was already
    /// seen count once each, with their characters. Contents compare by code point, as Python's.
    static func findDuplicates(_ a: UnsafeBufferPointer<UInt32>, _ ranges: [Range<Int>]) -> (elements: Int, chars: Int) {
        var first: [UInt64: Int] = [:]
        var chain = [Int](repeating: -1, count: ranges.count)  // other contents with the same hash
        var n = 0, chars = 0
        for (k, r) in ranges.enumerated() {
            var h: UInt64 = 0xcbf29ce484222325
            for x in r { h = (h ^ UInt64(a[x])) &* 0x100000001b3 }
            h ^= UInt64(r.count) &* 0x9E3779B97F4A7C15
            guard var e = first[h] else { first[h] = k; continue }
            while true {
                let q = ranges[e]
                if q.count == r.count && a[q].elementsEqual(a[r]) { n += 1; chars += r.count; break }
                if chain[e] < 0 { chain[e] = k; break }
                e = chain[e]
            }
        }
        return (n, chars)
    }
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
    let stopWordScalars: [[UInt32]]
    let maxStopWordLength: Int
    let preset: FilterPreset
    static let punctuation = DatatrovePunctuation.set.union(DatatroveCharSets.terminalPunctuation)
    static let punctuationTable = ScalarSet(punctuation)
    /// datatrove 0.2.0's PUNCTUATION_SET had no Unicode terminal punctuation.
    static let punctuationTable2024 = ScalarSet(DatatrovePunctuation.set)

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
        stopWordScalars = stopWords.map { $0.unicodeScalars.map(\.value) }
        maxStopWordLength = stopWordScalars.map(\.count).max() ?? 0
        preset = try FilterPreset(&p)
    }

    public func apply(_ doc: inout Document) -> Verdict {
        let w = preset.words(doc.text)
        let text = preset.fineweb2024 ? Scalars.of(doc.text) : w.scalars
        return w.scalars.withUnsafeBufferPointer { ws in text.withUnsafeBufferPointer { a in rules(w, ws, a) } }
    }

    /// The rules on words `w` (code points `ws`) of the text `a`.
    func rules(_ w: EnglishTokenizer.Words, _ ws: UnsafeBufferPointer<UInt32>, _ a: UnsafeBufferPointer<UInt32>) -> Verdict {
        let nWords = w.count
        var nonSymbol = 0, nonSymbolChars = 0, alphaWords = 0
        var stopFound = Set<Int>()
        var stopOccurrences = 0
        let punctuation = preset.fineweb2024 ? Self.punctuationTable2024 : Self.punctuationTable
        do {
            let a = ws
            for i in 0..<w.count {
                let r = w.range(i)
                var symbolOnly = true, hasAlpha = false
                for k in r {
                    if symbolOnly && !punctuation.contains(a[k]) { symbolOnly = false }
                    if !hasAlpha && CharClass.of(a[k]) & CharClass.letter != 0 { hasAlpha = true }
                }
                if !symbolOnly { nonSymbol += 1; nonSymbolChars += r.count }
                if hasAlpha { alphaWords += 1 }
                if r.count <= maxStopWordLength {
                    for (j, sw) in stopWordScalars.enumerated() where sw.count == r.count && a[r].elementsEqual(sw) { stopFound.insert(j); stopOccurrences += 1 }
                }
            }
        }
        do {
            if let m = minWords, m > 0, nonSymbol < m { return .drop("gopher_short_doc") }
            if let m = maxWords, m > 0, nonSymbol > m { return .drop("gopher_long_doc") }
            let avg = Double(nonSymbolChars) / Double(nonSymbol)
            if let m = minAvg, m > 0, avg < m { return .drop("gopher_below_avg_threshold") }
            if let m = maxAvg, m > 0, avg > m { return .drop("gopher_above_avg_threshold") }
            if let m = maxSymbol, m > 0 {
                if Double(PyText.count(a, [0x23])) / Double(nWords) > m { return .drop("gopher_too_many_hashes") }
                if Double(PyText.count(a, [0x2E, 0x2E, 0x2E]) + PyText.count(a, [0x2026])) / Double(nWords) > m { return .drop("gopher_too_many_ellipsis") }
            }
            let lines = PyText.splitlines(a)
            if let m = maxBullets, m > 0, !lines.isEmpty {
                var bullets = 0
                for l in lines {
                    let r = PyText.strip(a, l)
                    if let f = r.first, a[f] == 0x2022 || a[f] == 0x2D { bullets += 1 }
                }
                if Double(bullets) / Double(lines.count) > m { return .drop("gopher_too_many_bullets") }
            }
            if let m = maxEllipsisLines, m > 0, !lines.isEmpty {
                var ell = 0
                for l in lines {
                    let r = PyText.strip(a, l)
                    if let z = r.last, a[z] == 0x2026 || (r.count >= 3 && a[z] == 0x2E && a[z - 1] == 0x2E && a[z - 2] == 0x2E) { ell += 1 }
                }
                if Double(ell) / Double(lines.count) > m { return .drop("gopher_too_many_end_ellipsis") }
            }
            if let m = minAlpha, m > 0, Double(alphaWords) / Double(nWords) < m { return .drop("gopher_below_alpha_threshold") }
            // datatrove 0.2.0 counted stop-word occurrences, today's counts distinct stop words
            if let m = minStopWords, m > 0, (preset.fineweb2024 ? stopOccurrences : stopFound.count) < m { return .drop("gopher_enough_stop_words") }
            return .keep
        }
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
    let preset: FilterPreset

    public init(_ p: inout StageParameters) throws {
        dupLineFrac = try p.double("dup_line_frac", default: 0.3)
        dupParaFrac = try p.double("dup_para_frac", default: 0.3)
        dupLineCharFrac = try p.double("dup_line_char_frac", default: 0.2)
        dupParaCharFrac = try p.double("dup_para_char_frac", default: 0.2)
        preset = try FilterPreset(&p)
    }

    public func apply(_ doc: inout Document) -> Verdict {
        let text = doc.text
        if text.isEmpty { return .drop("empty") }
        return Scalars.of(text).withUnsafeBufferPointer { a -> Verdict in
            let len = Double(a.count)
            // paragraphs: text.strip() split on \n{2,}
            let paragraphs = Self.split(a, PyText.strip(a, 0..<a.count), minNewlines: 2)
            let (pd, pc) = PyText.findDuplicates(a, paragraphs)
            if dupParaFrac > 0 && Double(pd) / Double(paragraphs.count) > dupParaFrac { return .drop("dup_para_frac") }
            if dupParaCharFrac > 0 && Double(pc) / len > dupParaCharFrac { return .drop("dup_para_char_frac") }
            // datatrove 0.2.0: text.splitlines(); today: re.split("\n+")
            let lines = preset.fineweb2024 ? PyText.splitlines(a) : Self.split(a, 0..<a.count, minNewlines: 1)
            let (ld, lc) = PyText.findDuplicates(a, lines)
            if dupLineFrac > 0 && Double(ld) / Double(lines.count) > dupLineFrac { return .drop("dup_line_frac") }
            if dupLineCharFrac > 0 && Double(lc) / len > dupLineCharFrac { return .drop("dup_line_char_frac") }
            let w = preset.words(text)
            return w.scalars.withUnsafeBufferPointer { ws in nGramRules(w, ws, len) }
        }
    }

    /// The top and duplicated n-gram rules on words `w` (code points `a`) of a text of `len` characters.
    func nGramRules(_ w: EnglishTokenizer.Words, _ a: UnsafeBufferPointer<UInt32>, _ len: Double) -> Verdict {
        do {
            // Each word as a polynomial hash of its code points with the matching power of the
            // base, so the hash of a joined n-gram comes from its words without building it.
            let base: UInt64 = 0x100000001B3
            let count = w.count
            var wh = [UInt64](repeating: 0, count: count), wp = [UInt64](repeating: 0, count: count), wl = [Int](repeating: 0, count: count)
            for i in 0..<count {
                var h: UInt64 = 0, p: UInt64 = 1
                for k in w.range(i) { h = h &* base &+ UInt64(a[k]) &+ 1; p = p &* base }
                wh[i] = h; wp[i] = p; wl[i] = w.length(i)
            }
            let table = HashCounts()
            for (n, frac) in topNGrams where count >= n {
                // most_common(1): the highest count, the first seen among equals.
                table.reset(maxKeys: count)
                for i in 0...(count - n) {
                    var h = wh[i]
                    for j in (i + 1)..<(i + n) { h = ((h &* base &+ 0x21) &* wp[j]) &+ wh[j] }  // " " between words
                    table.add(h, position: i)
                }
                var best = (count: Int32(0), first: Int32.max)
                for e in 0..<table.count {
                    let v = table.values[e], f = table.firsts[e]
                    if v > best.count || (v == best.count && f < best.first) { best = (v, f) }
                }
                let first = Int(best.first)
                let chars = wl[first..<(first + n)].reduce(0, +) + (n - 1)
                if Double(chars * Int(best.count)) / len > frac { return .drop("top_\(n)_gram") }
            }
            for (n, frac) in dupNGrams {
                table.reset(maxKeys: count)
                var repeated = 0, i = 0
                while i < count - n + 1 {
                    var h = wh[i]
                    for j in (i + 1)..<(i + n) { h = (h &* wp[j]) &+ wh[j] }  // "".join
                    if table.add(h, position: i) > 0 { repeated += wl[i..<(i + n)].reduce(0, +); i += n } else { i += 1 }
                }
                if Double(repeated) / len > frac { return .drop("duplicated_\(n)_n_grams") }
            }
            return .keep
        }
    }

    /// `re.split("\n{k,}", s)` on a range of code points.
    static func split(_ a: UnsafeBufferPointer<UInt32>, _ r: Range<Int>, minNewlines k: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = r.lowerBound, i = r.lowerBound
        while i < r.upperBound {
            if a[i] == 0x0A {
                var j = i
                while j < r.upperBound && a[j] == 0x0A { j += 1 }
                if j - i >= k { out.append(start..<i); start = j }
                i = j
            } else {
                i += 1
            }
        }
        out.append(start..<r.upperBound)
        return out
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
    let preset: FilterPreset
    static let terminal = ScalarSet(DatatroveCharSets.terminalPunctuation)

    public init(_ p: inout StageParameters) throws {
        linePunctThr = try p.double("line_punct_thr", default: 0.12)
        excludeZero = try p.bool("line_punct_exclude_zero", default: false)
        shortLineThr = try p.double("short_line_thr", default: 0.67)
        shortLineLength = try p.int("short_line_length", default: 30)
        charDupRatio = try p.double("char_duplicates_ratio", default: 0.01)
        newLineRatio = try p.double("new_line_ratio", default: 0.3)
        preset = try FilterPreset(&p)
    }

    public func apply(_ doc: inout Document) -> Verdict {
        if preset.fineweb2024 { return apply2024(doc.text) }
        return Scalars.of(doc.text).withUnsafeBufferPointer { a -> Verdict in
            // text.split("\n"), lines blank after strip() left out
            var lines: [Range<Int>] = []
            var newlines = 0, start = 0
            for i in 0...a.count where i == a.count || a[i] == 0x0A {
                if i < a.count { newlines += 1 }
                if !PyText.strip(a, start..<i).isEmpty { lines.append(start..<i) }
                start = i + 1
            }
            if lines.isEmpty { return .drop("empty") }
            let terminal = Self.terminal
            let punct = lines.filter { terminal.contains(a[$0.upperBound - 1]) }.count
            let ratio = Double(punct) / Double(lines.count)
            if ratio < linePunctThr && !(ratio == 0 && excludeZero) { return .drop("line_punct_ratio") }
            let short = lines.filter { $0.count <= shortLineLength }.count
            if Double(short) / Double(lines.count) > shortLineThr { return .drop("short_line_ratio") }
            let noNewlines = a.count - newlines
            if Double(PyText.findDuplicates(a, lines).chars) / Double(noNewlines) > charDupRatio { return .drop("char_dup_ratio") }
            let words = preset.words(doc.text).count
            if words == 0 || Double(newlines) / Double(words) > newLineRatio { return .drop("list_ratio") }
            return .keep
        }
    }

    static let stopChars2024: Set<UInt32> = [0x2E, 0x27, 0x22, 0x21, 0x3F]

    /// datatrove 0.2.0 (commit 05194d39, FineWeb's release): empty lines count in the first two
    /// rules, which drop at `≤` and `≥`; five stop characters; NLTK words.
    func apply2024(_ text: String) -> Verdict {
        Scalars.of(text).withUnsafeBufferPointer { a -> Verdict in
            var lines: [Range<Int>] = []
            var start = 0
            for i in 0...a.count where i == a.count || a[i] == 0x0A {
                lines.append(start..<i)
                start = i + 1
            }
            let newlines = lines.count - 1
            let punct = lines.filter { !$0.isEmpty && Self.stopChars2024.contains(a[$0.upperBound - 1]) }.count
            let ratio = Double(punct) / Double(lines.count)
            if ratio <= linePunctThr && !(ratio == 0 && excludeZero) { return .drop("line_punct_ratio") }
            let short = lines.filter { $0.count <= shortLineLength }.count
            if Double(short) / Double(lines.count) >= shortLineThr { return .drop("short_line_ratio") }
            let nonEmpty = lines.filter { !PyText.strip(a, $0).isEmpty }
            let noNewlines = a.count - newlines
            // Python would divide by zero on a text of newlines only; such a text has no line
            // ending in punctuation and is dropped above unless the thresholds are changed.
            if noNewlines == 0 || Double(PyText.findDuplicates(a, nonEmpty).chars) / Double(noNewlines) >= charDupRatio { return .drop("char_dup_ratio") }
            let words = preset.words(text).count
            if words == 0 || Double(newlines) / Double(words) > newLineRatio { return .drop("list_ratio") }
            return .keep
        }
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
    let preset: FilterPreset
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
        preset = try FilterPreset(&p)
    }

    /// `re.sub(r"\[\d*]|\[edit]|\[citation needed]", "", line)`.
    static func removeCitations(_ line: String) -> String { Scalars.string(removeCitations(Scalars.of(line))) }

    static let edit = "edit]".unicodeScalars.map(\.value), citation = "citation needed]".unicodeScalars.map(\.value)

    static func removeCitations(_ a: [UInt32]) -> [UInt32] {
        guard a.contains(0x5B) else { return a }
        var out: [UInt32] = []
        out.reserveCapacity(a.count)
        var i = 0
        while i < a.count {
            if a[i] == 0x5B {
                var j = i + 1
                while j < a.count && CharClass.of(a[j]) & CharClass.decimal != 0 { j += 1 }
                if j < a.count && a[j] == 0x5D { i = j + 1; continue }
                for w in [edit, citation] where i + 1 + w.count <= a.count && a[(i + 1)..<(i + 1 + w.count)].elementsEqual(w) { i += 1 + w.count; break }
                if i < a.count && a[i] == 0x5B { out.append(a[i]); i += 1 }
                continue
            }
            out.append(a[i]); i += 1
        }
        return out
    }

    static let lorem = "lorem ipsum".unicodeScalars.map(\.value), javascriptWord = "javascript".unicodeScalars.map(\.value)
    static let policies = policySubstrings.map { $0.unicodeScalars.map(\.value) }

    @inline(__always) static func contains(_ a: [UInt32], _ p: [UInt32]) -> Bool {
        guard a.count >= p.count else { return false }
        let f = p[0]
        for i in 0...(a.count - p.count) where a[i] == f && a[i..<(i + p.count)].elementsEqual(p) { return true }
        return false
    }

    public func apply(_ doc: inout Document) -> Verdict {
        var sentences = 0
        var kept: [UInt32] = []
        var any = false
        let all = Scalars.of(doc.text)
        let lines = all.withUnsafeBufferPointer { PyText.splitlines($0) }
        for raw in lines {
            let r = all.withUnsafeBufferPointer { PyText.strip($0, raw) }
            // line.split(): whitespace-separated words, counted before citations are removed
            var words = 0, longest = 0, run = 0
            for k in r {
                if CharClass.of(all[k]) & CharClass.space != 0 {
                    if run > 0 { words += 1; longest = max(longest, run); run = 0 }
                } else {
                    run += 1
                }
            }
            if run > 0 { words += 1; longest = max(longest, run) }
            if maxWordLength != -1 && longest > maxWordLength { continue }
            var line = Array(all[r])
            if removeCitations { line = Self.removeCitations(line) }
            if filterNoTerminalPunct {
                let last = line.last
                let n = line.count
                if !(last == 0x2E || last == 0x3F || last == 0x21 || last == 0x22 || last == 0x27)
                    || (n >= 3 && line[n - 1] == 0x2E && line[n - 2] == 0x2E && line[n - 3] == 0x2E) { continue }
            }
            if words < minWordsPerLine { continue }
            let lower = Scalars.lowercased(line)
            if lorem && Self.contains(lower, Self.lorem) { return .drop("lorem_ipsum") }
            if javascript && Self.contains(lower, Self.javascriptWord) { continue }
            if curly && line.contains(0x7B) { return .drop("curly_bracket") }
            if policy && Self.policies.contains(where: { Self.contains(lower, $0) }) { continue }
            if minSentences != -1 { sentences += preset.sentenceCount(line) }
            if any { kept.append(0x0A) }
            kept += line
            any = true
        }
        if sentences < minSentences { return .drop("too_few_sentences") }
        let r = kept.withUnsafeBufferPointer { PyText.strip($0, 0..<$0.count) }
        doc.text = Scalars.string(kept[r])
        return .keep
    }
}

import Synchronization
import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// NLTK releases whose tokenization differs. 3.8.1 (what FineWeb ran in April 2024) — the same
/// rules through 3.10.0. 3.10.4 adds curly quotes and guillemets to Punkt's non-word and closing
/// characters, changes three Treebank substitutions (see `NLTKWordTokenizer`) and compiles every
/// pattern with the `regex` module, whose `\w` and `\s` differ from `re`'s. 3.10.1–3.10.3 are
/// in between and not reproduced.
public enum NLTKRelease: String, Sendable, CaseIterable {
    case nltk38 = "3.8.1"
    case nltk3104 = "3.10.4"
    /// Curly quotes and guillemets count as punctuation in Punkt.
    var quotesArePunctuation: Bool { self == .nltk3104 }
    var classes: RegexClasses { self == .nltk3104 ? .regexModule : .re }
}

/// `\s` and `\w` as Python's `re` sees them (`str.isspace`, `str.isalnum` or `_`) or as the
/// `regex` module does (White_Space; Alphabetic, marks, decimal digits, connector punctuation
/// and join controls).
public struct RegexClasses: Sendable {
    let table: [UInt8]
    let regexModule: Bool
    static let re = RegexClasses(regexModule: false)
    static let regexModule = RegexClasses(regexModule: true)

    init(regexModule: Bool) {
        self.regexModule = regexModule
        table = (0..<0x10000).map { v in Unicode.Scalar(UInt32(v)).map { Self.compute($0, regexModule) } ?? 0 }
    }

    static func compute(_ c: Unicode.Scalar, _ regexModule: Bool) -> UInt8 {
        guard regexModule else {
            let f = CharClass.of(c)
            return (f & CharClass.space != 0 ? 1 : 0) | (f & CharClass.word != 0 ? 2 : 0)
        }
        let p = c.properties
        var word = p.isAlphabetic || p.isJoinControl
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: word = true
        default: break
        }
        return (p.isWhitespace ? 1 : 0) | (word ? 2 : 0)
    }

    @inline(__always) func flags(_ c: UInt32) -> UInt8 {
        c < 0x10000 ? table[Int(c)] : (Unicode.Scalar(c).map { Self.compute($0, regexModule) } ?? 0)
    }
    @inline(__always) func isSpace(_ c: UInt32) -> Bool { flags(c) & 1 != 0 }
    @inline(__always) func isWord(_ c: UInt32) -> Bool { flags(c) & 2 != 0 }
}

/// NLTK's Punkt sentence splitter at inference time (`sent_tokenize(text, "english")`, what
/// datatrove 0.2.0 — the FineWeb release — counts sentences and splits words with), on code points.
/// The trained parameters are NLTK's `punkt_tab` model files (abbreviations, collocations,
/// sentence starters, orthographic contexts); Winnow does not ship them, it reads them where NLTK
/// keeps them (see `PunktModel.locate`).
public final class PunktModel: Sendable {
    let abbreviations: Set<[UInt32]>
    let collocations: Set<[UInt32]>  // first type, 0xFFFFFFFF, second type
    let sentenceStarters: Set<[UInt32]>
    let orthoContext: [[UInt32]: Int]

    public enum LoadError: Error, CustomStringConvertible {
        case notFound([String])
        case unreadable(String)
        public var description: String {
            switch self {
            case .notFound(let tried):
                return "NLTK's punkt_tab English model was not found (tried \(tried.joined(separator: ", "))); install it with "
                    + "`python -m nltk.downloader punkt_tab`, set NLTK_DATA, or give the model directory as `punkt: DIR`"
            case .unreadable(let path): return "cannot read the Punkt model file \(path)"
            }
        }
    }

    /// Where NLTK looks for data (`nltk.data.path`): `$NLTK_DATA`, `~/nltk_data`, then the system
    /// directories; the model is `tokenizers/punkt_tab/<language>/`.
    public static func locate(language: String = "english", explicit: String? = nil) throws -> String {
        if let explicit { return explicit }
        var roots: [String] = []
        if let env = getenv("NLTK_DATA") { roots += String(cString: env).split(separator: ":").map(String.init) }
        if let home = getenv("HOME") { roots.append(String(cString: home) + "/nltk_data") }
        roots += ["/usr/share/nltk_data", "/usr/local/share/nltk_data", "/usr/lib/nltk_data", "/usr/local/lib/nltk_data"]
        let candidates = roots.map { "\($0)/tokenizers/punkt_tab/\(language)" }
        for dir in candidates where access(dir + "/abbrev_types.txt", R_OK) == 0 { return dir }
        throw LoadError.notFound(candidates)
    }

    private static let cache = Mutex<[String: PunktModel]>([:])

    /// The model in `directory`, loaded once per process.
    public static func load(_ directory: String) throws -> PunktModel {
        if let m = cache.withLock({ $0[directory] }) { return m }
        let m = try PunktModel(directory: directory)
        cache.withLock { $0[directory] = m }
        return m
    }

    init(directory: String) throws {
        func lines(_ name: String) throws -> [[UInt32]] {
            let path = directory + "/" + name
            guard let text = readTextFile(path) else { throw LoadError.unreadable(path) }
            // One entry per line, read as Python's text mode does (\r\n and \r are newlines too);
            // only the final newline of each is dropped, as NLTK reads them.
            var out: [[UInt32]] = [[]]
            let u = Scalars.of(text)
            var i = 0
            while i < u.count {
                if u[i] == 0x0A || u[i] == 0x0D {
                    if u[i] == 0x0D && i + 1 < u.count && u[i + 1] == 0x0A { i += 1 }
                    out.append([])
                } else {
                    out[out.count - 1].append(u[i])
                }
                i += 1
            }
            if out.last?.isEmpty == true { out.removeLast() }
            return out
        }
        func field(_ line: [UInt32], _ k: Int) -> [UInt32] {
            line.split(separator: 0x09, omittingEmptySubsequences: false).dropFirst(k).first.map(Array.init) ?? []
        }
        abbreviations = Set(try lines("abbrev_types.txt"))
        sentenceStarters = Set(try lines("sent_starters.txt"))
        collocations = Set(try lines("collocations.tab").map { field($0, 0) + [0xFFFF_FFFF] + field($0, 1) })
        var ortho: [[UInt32]: Int] = [:]
        for l in try lines("ortho_context.tab") {
            ortho[field(l, 0)] = Int(Scalars.string(field(l, 1))) ?? 0
        }
        orthoContext = ortho
    }

    // MARK: sentences

    /// The sentence spans of `text` (`PunktSentenceTokenizer.span_tokenize`, boundaries realigned).
    public func sentences(_ s: [UInt32], release: NLTKRelease = .nltk38) -> [Range<Int>] {
        let q = release.quotesArePunctuation
        let cc = release.classes
        return s.withUnsafeBufferPointer { a in
            var slices: [Range<Int>] = []  // may be "negative" (lower > upper) as Python slices can be
            var lastBreak = 0
            forEachPotentialEnd(a, q, cc) { match, context in
                if containsSentenceBreak(context, q, cc) {
                    slices.append(lastBreak..<max(lastBreak, match.end))
                    lastBreak = match.nextToken ?? match.end
                }
            }
            var end = a.count
            while end > 0 && CharClass.of(a[end - 1]) & CharClass.space != 0 { end -= 1 }
            let final = (lastBreak, end)
            // _realign_boundaries
            var out: [Range<Int>] = []
            var realign = 0
            let pairs: [(Int, Int)] = slices.map { ($0.lowerBound, $0.upperBound) } + [final]
            for k in 0..<pairs.count {
                let s1 = (pairs[k].0 + realign, pairs[k].1)
                if k + 1 == pairs.count {
                    if s1.1 > s1.0 { out.append(s1.0..<s1.1) }
                    continue
                }
                let s2 = pairs[k + 1]
                if let (kept, consumed) = Self.realignment(a, s2.0, s2.1, q, cc) {
                    out.append(s1.0..<max(s1.0, s2.0 + kept))
                    realign = consumed
                } else {
                    realign = 0
                    if s1.1 > s1.0 { out.append(s1.0..<s1.1) }
                }
            }
            return out
        }
    }

    /// The number of sentences of `text` (`len(sent_tokenize(text))`).
    public func sentenceCount(_ s: [UInt32], release: NLTKRelease = .nltk38) -> Int { sentences(s, release: release).count }

    static let closers: Set<UInt32> = [0x22, 0x27, 0x29, 0x5D, 0x7D, 0x2018, 0x2019, 0x201C, 0x201D, 0xAB, 0xBB]
    static let closers38: Set<UInt32> = [0x22, 0x27, 0x29, 0x5D, 0x7D]

    /// `re_boundary_realignment.match(text[lo:hi])`: closing punctuation followed by whitespace,
    /// `--` or the end; the closers' length and the whole match's length.
    static func realignment(_ a: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int, _ quotes: Bool, _ cc: RegexClasses) -> (Int, Int)? {
        guard hi > lo else { return nil }
        let closers = quotes ? Self.closers : Self.closers38
        var i = lo
        while i < hi && closers.contains(a[i]) { i += 1 }
        let run = i - lo
        guard run > 0 else { return nil }
        if i < hi && cc.isSpace(a[i]) {
            var j = i
            while j < hi && cc.isSpace(a[j]) { j += 1 }
            return (run, j - lo)
        }
        if i + 1 < hi && a[i] == 0x2D && a[i + 1] == 0x2D { return (run, run) }
        if i == hi { return (run, run) }
        return nil
    }

    struct EndMatch {
        var start: Int
        var end: Int { start + 1 }
        var afterEnd: Int       // end of the `after_tok` group
        var nextToken: Int?     // start of `next_tok`
    }

    /// `_match_potential_end_contexts`: every `.?!` followed by other punctuation or by whitespace
    /// and a token, with the text of the word before it and what follows.
    func forEachPotentialEnd(_ a: UnsafeBufferPointer<UInt32>, _ quotes: Bool, _ cc: RegexClasses, _ body: (EndMatch, [UInt32]) -> Void) {
        var previous: EndMatch? = nil
        var prevSlice = 0..<0
        for i in 0..<a.count {
            let c = a[i]
            guard c == 0x2E || c == 0x3F || c == 0x21, i + 1 < a.count else { continue }
            var m = EndMatch(start: i, afterEnd: i + 2, nextToken: nil)
            let d = a[i + 1]
            if Self.nonWord(d, quotes) {
            } else if cc.isSpace(d) {
                var j = i + 1
                while j < a.count && cc.isSpace(a[j]) { j += 1 }
                guard j < a.count else { continue }
                var k = j
                while k < a.count && !cc.isSpace(a[k]) { k += 1 }
                m.afterEnd = k
                m.nextToken = j
            } else {
                continue
            }
            // the word before: after the last ASCII whitespace between the previous match and this one
            var lastSpace = -1
            var x = i - 1
            while x >= prevSlice.upperBound {
                if Self.asciiSpace(a[x]) { lastSpace = x - prevSlice.upperBound; break }
                x -= 1
            }
            let wordStart = lastSpace > 0 ? lastSpace + prevSlice.upperBound + 1 : prevSlice.lowerBound
            let wordSlice = wordStart..<max(wordStart, i)
            if let p = previous, prevSlice.upperBound <= wordSlice.lowerBound {
                body(p, Self.context(a, prevSlice, p))
            }
            previous = m
            prevSlice = wordSlice
        }
        if let p = previous { body(p, Self.context(a, prevSlice, p)) }
    }

    static func context(_ a: UnsafeBufferPointer<UInt32>, _ word: Range<Int>, _ m: EndMatch) -> [UInt32] {
        Array(a[word]) + Array(a[m.start..<m.afterEnd])
    }

    @inline(__always) static func asciiSpace(_ c: UInt32) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    /// `_re_non_word_chars`: characters that cannot be inside a word.
    @inline(__always) static func nonWord(_ c: UInt32, _ quotes: Bool) -> Bool {
        switch c {
        case 0x29, 0x22, 0x3B, 0x7D, 0x5D, 0x2A, 0x3A, 0x40, 0x27, 0x28, 0x7B, 0x5B, 0x3F, 0x21: return true
        case 0x2018, 0x2019, 0x201C, 0x201D, 0xAB, 0xBB: return quotes
        default: return false
        }
    }

    /// Characters that do not start a word token (`_re_word_start` excludes them).
    @inline(__always) static func notWordStart(_ c: UInt32) -> Bool {
        switch c {
        case 0x28, 0x22, 0x60, 0x7B, 0x5B, 0x3A, 0x3B, 0x26, 0x23, 0x2A, 0x40, 0x29, 0x7D, 0x5D, 0x2D, 0x2C: return true
        default: return false
        }
    }

    @inline(__always) static func isSpace(_ c: UInt32) -> Bool { CharClass.of(c) & CharClass.space != 0 }

    /// Length of `_re_multi_char_punct` matched at `i`, or 0.
    static func multiCharLength(_ a: ArraySlice<UInt32>, _ i: Int, _ cc: RegexClasses) -> Int {
        let n = a.endIndex
        guard i < n else { return 0 }
        if a[i] == 0x2D, i + 1 < n, a[i + 1] == 0x2D {
            var j = i
            while j < n && a[j] == 0x2D { j += 1 }
            return j - i
        }
        guard a[i] == 0x2E else { return 0 }
        if i + 1 < n && a[i + 1] == 0x2E {
            var j = i
            while j < n && a[j] == 0x2E { j += 1 }
            return j - i
        }
        // (?:\.\s){2,}\.
        var pairs = 0, j = i
        while j + 1 < n && a[j] == 0x2E && cc.isSpace(a[j + 1]) { pairs += 1; j += 2 }
        if pairs >= 2 && j < n && a[j] == 0x2E { return 2 * pairs + 1 }
        if pairs >= 3 { return 2 * (pairs - 1) + 1 }
        return 0
    }

    /// `PunktLanguageVars.word_tokenize` on one line: token ranges.
    static func lineTokens(_ a: ArraySlice<UInt32>, _ quotes: Bool, _ cc: RegexClasses, into out: inout [Range<Int>]) {
        var i = a.startIndex
        let n = a.endIndex
        while i < n {
            let c = a[i]
            if cc.isSpace(c) { i += 1; continue }
            let multi = multiCharLength(a, i, cc)
            if multi > 0 { out.append(i..<(i + multi)); i += multi; continue }
            if notWordStart(c) { out.append(i..<(i + 1)); i += 1; continue }
            // \S+? up to whitespace, the end, a non-word character, multi-character punctuation,
            // or a comma that ends the word.
            var j = i + 1
            while j < n {
                let d = a[j]
                if cc.isSpace(d) || nonWord(d, quotes) || multiCharLength(a, j, cc) > 0 { break }
                if d == 0x2C {
                    if j + 1 == n || cc.isSpace(a[j + 1]) || nonWord(a[j + 1], quotes) || multiCharLength(a, j + 1, cc) > 0 { break }
                }
                j += 1
            }
            out.append(i..<j)
            i = j
        }
    }

    struct Token {
        var range: Range<Int>
        var type: [UInt32]
        var periodFinal: Bool
        var sentbreak = false, abbr = false, ellipsis = false
        var typeNoPeriod: ArraySlice<UInt32> { type.count > 1 && type.last == 0x2E ? type.dropLast() : type[...] }
        var typeNoSentPeriod: ArraySlice<UInt32> { sentbreak ? typeNoPeriod : type[...] }
    }

    static let number: [UInt32] = Array("##number##".unicodeScalars.map(\.value))

    /// `^-?[\.,]?\d[\d,\.-]*\.?$` on the lowercased token.
    static func isNumeric(_ t: [UInt32]) -> Bool {
        var i = 0
        if i < t.count && t[i] == 0x2D { i += 1 }
        if i < t.count && (t[i] == 0x2E || t[i] == 0x2C) { i += 1 }
        guard i < t.count, CharClass.of(t[i]) & CharClass.decimal != 0 else { return false }
        i += 1
        while i < t.count && (CharClass.of(t[i]) & CharClass.decimal != 0 || t[i] == 0x2C || t[i] == 0x2E || t[i] == 0x2D) { i += 1 }
        return i == t.count
    }

    func tokens(_ a: [UInt32], _ quotes: Bool, _ cc: RegexClasses) -> [Token] {
        var ranges: [Range<Int>] = []
        var start = 0
        for i in 0...a.count where i == a.count || a[i] == 0x0A {
            let line = a[start..<i]
            if line.contains(where: { !Self.isSpace($0) }) { Self.lineTokens(line, quotes, cc, into: &ranges) }
            start = i + 1
        }
        return ranges.map { r in
            let lower = Scalars.lowercased(Array(a[r]))
            return Token(range: r, type: Self.isNumeric(lower) ? Self.number : lower, periodFinal: a[r.upperBound - 1] == 0x2E)
        }
    }

    /// `text_contains_sentbreak`: a token marked as a sentence break with another token after it.
    func containsSentenceBreak(_ a: [UInt32], _ quotes: Bool, _ cc: RegexClasses) -> Bool {
        var toks = tokens(a, quotes, cc)
        for k in toks.indices { firstPass(&toks[k], a) }
        for k in toks.indices {
            if k + 1 < toks.count { secondPass(&toks, k, a, cc) }
            if toks[k].sentbreak && k + 1 < toks.count { return true }
        }
        return false
    }

    func firstPass(_ t: inout Token, _ a: [UInt32]) {
        let r = t.range
        if r.count == 1 && (a[r.lowerBound] == 0x2E || a[r.lowerBound] == 0x3F || a[r.lowerBound] == 0x21) {
            t.sentbreak = true
        } else if r.count >= 2 && a[r].allSatisfy({ $0 == 0x2E }) {
            t.ellipsis = true
        } else if t.periodFinal && !(r.count >= 2 && a[r.upperBound - 2] == 0x2E) {
            let stem = Scalars.lowercased(Array(a[r.lowerBound..<(r.upperBound - 1)]))
            let last = stem.split(separator: 0x2D, omittingEmptySubsequences: false).last.map(Array.init) ?? []
            if abbreviations.contains(stem) || abbreviations.contains(last) { t.abbr = true } else { t.sentbreak = true }
        }
    }

    static let orthoBegUC = 1 << 1, orthoMidUC = 1 << 2, orthoUnkUC = 1 << 3
    static let orthoBegLC = 1 << 4, orthoMidLC = 1 << 5, orthoUnkLC = 1 << 6
    static let orthoUC = orthoBegUC | orthoMidUC | orthoUnkUC, orthoLC = orthoBegLC | orthoMidLC | orthoUnkLC

    @inline(__always) static func firstUpper(_ t: Token, _ a: [UInt32]) -> Bool {
        Unicode.Scalar(a[t.range.lowerBound])?.properties.isUppercase ?? false
    }
    @inline(__always) static func firstLower(_ t: Token, _ a: [UInt32]) -> Bool {
        Unicode.Scalar(a[t.range.lowerBound])?.properties.isLowercase ?? false
    }

    /// `[^\W\d]\.$` matched at the token's start.
    static func isInitial(_ t: Token, _ a: [UInt32], _ cc: RegexClasses) -> Bool {
        let r = t.range
        guard r.count == 2, a[r.lowerBound + 1] == 0x2E else { return false }
        return cc.isWord(a[r.lowerBound]) && CharClass.of(a[r.lowerBound]) & CharClass.decimal == 0
    }

    enum Ortho { case yes, no, unknown }

    func orthoHeuristic(_ t: Token, _ a: [UInt32]) -> Ortho {
        let r = t.range
        if r.count == 1, [0x3B, 0x3A, 0x2C, 0x2E, 0x21, 0x3F].contains(a[r.lowerBound]) { return .no }
        let oc = orthoContext[Array(t.typeNoSentPeriod)] ?? 0
        if Self.firstUpper(t, a) && oc & Self.orthoLC != 0 && oc & Self.orthoMidUC == 0 { return .yes }
        if Self.firstLower(t, a) && (oc & Self.orthoUC != 0 || oc & Self.orthoBegLC == 0) { return .no }
        return .unknown
    }

    func secondPass(_ toks: inout [Token], _ k: Int, _ a: [UInt32], _ cc: RegexClasses) {
        let t2 = toks[k + 1]
        var t1 = toks[k]
        defer { toks[k] = t1 }
        guard t1.periodFinal else { return }
        let typ = Array(t1.typeNoPeriod)
        let next = Array(t2.typeNoSentPeriod)
        let initial = Self.isInitial(t1, a, cc)
        if collocations.contains(typ + [0xFFFF_FFFF] + next) {
            t1.sentbreak = false; t1.abbr = true
            return
        }
        if (t1.abbr || t1.ellipsis) && !initial {
            let o = orthoHeuristic(t2, a)
            if o == .yes { t1.sentbreak = true; return }
            if Self.firstUpper(t2, a) && sentenceStarters.contains(next) { t1.sentbreak = true; return }
        }
        if initial || typ == Self.number {
            let o = orthoHeuristic(t2, a)
            if o == .no { t1.sentbreak = false; t1.abbr = true; return }
            if o == .unknown && initial && Self.firstUpper(t2, a) && (orthoContext[next] ?? 0) & Self.orthoLC == 0 {
                t1.sentbreak = false; t1.abbr = true
            }
        }
    }
}

import Synchronization

/// NLTK's `word_tokenize(text, "english")` — Punkt sentences, then the improved Treebank
/// tokenizer (`NLTKWordTokenizer`) on each — which datatrove 0.2.0, the FineWeb release, counts
/// words with. The Treebank tokenizer is a fixed sequence of regular-expression substitutions;
/// each is reproduced here as one pass over code points with `re.sub`'s leftmost,
/// non-overlapping matching, so the tokens come out identical.
///
/// `release` picks NLTK's rules: 3.8.1 (FineWeb's, unchanged through 3.10.0) splits `'x` only
/// before a one-letter word, does not pad the dashes U+2012–U+2015, and does not collapse
/// whitespace before the clitic rules; 3.10.4 does all three, with the `regex` module's classes.
public final class NLTKWordTokenizer: Sendable {
    public let punkt: PunktModel
    public let release: NLTKRelease

    public init(punkt: PunktModel, release: NLTKRelease = .nltk38) { self.punkt = punkt; self.release = release }

    /// The tokens of `text`; a token may differ from the text it came from (`"` becomes `` or '').
    public func words(_ text: String) -> EnglishTokenizer.Words {
        let key = (ObjectIdentifier(punkt), release)
        if let hit = Self.cache.withLock({ c -> EnglishTokenizer.Words? in
            guard let c, c.model == key.0, c.release == key.1, c.text == text else { return nil }
            return c.words
        }) { return hit }
        let s = Scalars.of(text)
        var flat: [UInt32] = []
        var bounds: [(Int, Int)] = []
        flat.reserveCapacity(s.count + s.count / 4)
        for r in punkt.sentences(s, release: release) {
            Self.tokenize(Array(s[r]), release, into: &flat, &bounds)
        }
        var w = EnglishTokenizer.Words(scalars: flat)
        for (a, b) in bounds { w.append(a, b) }
        Self.cache.withLock { $0 = (key.0, key.1, text, w) }
        return w
    }

    /// A filter chain asks for the same document's words several times, each stage with its own
    /// tokenizer: the last document's words are shared.
    private static let cache = Mutex<(model: ObjectIdentifier, release: NLTKRelease, text: String, words: EnglishTokenizer.Words)?>(nil)

    public func tokenize(_ text: String) -> [String] {
        let w = words(text)
        return (0..<w.count).map(w.string)
    }

    /// `NLTKWordTokenizer().tokenize(sentence)`, tokens appended to `flat`.
    static func tokenize(_ sentence: [UInt32], _ release: NLTKRelease, into flat: inout [UInt32], _ bounds: inout [(Int, Int)]) {
        let v39 = release == .nltk3104
        let cc = release.classes
        var t = sentence
        // Starting quotes.
        t = padRuns(t, { c in c == 0xAB || c == 0x201C || c == 0x2018 || c == 0x201E }, run: 0x60)
        if t.first == 0x22 { t.replaceSubrange(0..<1, with: [0x60, 0x60]) }
        t = replacePairs(t, 0x60, 0x60, with: [0x20, 0x60, 0x60, 0x20])
        t = openingQuotes(t)
        t = v39 ? apostropheBeforeWord(t, cc) : apostropheBeforeLetter(t, cc)
        // Punctuation.
        t = finalPeriod(t, closers: finalClosersWithSpace, possessiveWithSpace: true, cc)
        t = colonComma(t)
        if let l = t.last, l == 0x3A || l == 0x2C { t.removeLast(); t += [0x20, l, 0x20] }
        t = padRuns(t, { _ in false }, run: 0x2E, minRun: 2)
        t = pad(t) { c in c == 0x3B || c == 0x40 || c == 0x23 || c == 0x24 || c == 0x25 || c == 0x26 }
        if v39 { t = pad(t) { c in c >= 0x2012 && c <= 0x2015 } }
        t = finalPeriod(t, closers: finalClosers, possessiveWithSpace: false, cc)
        t = pad(t) { c in c == 0x3F || c == 0x21 }
        t = quoteSpace(t)
        t = pad(t) { c in c == 0x2A }
        t = pad(t) { c in c == 0x5D || c == 0x5B || c == 0x28 || c == 0x29 || c == 0x7B || c == 0x7D || c == 0x3C || c == 0x3E }
        t = replacePairs(t, 0x2D, 0x2D, with: [0x20, 0x2D, 0x2D, 0x20])
        t = [0x20] + t + [0x20]
        // Ending quotes.
        t = pad(t) { c in c == 0xBB || c == 0x201D || c == 0x2019 }
        t = replacePairs(t, 0x27, 0x27, with: [0x20, 0x27, 0x27, 0x20])
        t = replaceOne(t, 0x22, with: [0x20, 0x27, 0x27, 0x20])
        if v39 { t = collapseSpace(t, cc) }
        t = clitics(t, Self.clitics1)
        t = clitics(t, Self.clitics2)
        // MacIntyre's contractions stay on `re` in every release.
        if anyContraction(t, .re) {
            for (a, b, lookahead) in Self.contractions2 { t = contraction(t, a, b, spaceAfter: lookahead, .re) }
        }
        for b in Self.contractions3 { t = contraction3(t, b, .re) }
        // str.split()
        var i = 0
        while i < t.count {
            if isSpace(t[i]) { i += 1; continue }
            var j = i
            while j < t.count && !isSpace(t[j]) { j += 1 }
            bounds.append((flat.count, flat.count + j - i))
            flat += t[i..<j]
            i = j
        }
    }

    @inline(__always) static func isSpace(_ c: UInt32) -> Bool { CharClass.of(c) & CharClass.space != 0 }

    /// `re.sub("[set]", r" \g<0> ")`; with `run` (and `minRun`), runs of that character are one
    /// match (`[`]+`, `\.{2,}`).
    static func padRuns(_ t: [UInt32], _ member: (UInt32) -> Bool, run: UInt32? = nil, minRun: Int = 1) -> [UInt32] {
        guard t.contains(where: { member($0) || $0 == run }) else { return t }
        var out: [UInt32] = []
        out.reserveCapacity(t.count + 16)
        var i = 0
        var changed = false
        while i < t.count {
            if member(t[i]) {
                out += [0x20, t[i], 0x20]; i += 1; changed = true
            } else if t[i] == run {
                var j = i
                while j < t.count && t[j] == run { j += 1 }
                if j - i >= minRun { out.append(0x20); out += t[i..<j]; out.append(0x20); changed = true } else { out += t[i..<j] }
                i = j
            } else {
                out.append(t[i]); i += 1
            }
        }
        return changed ? out : t
    }

    static func pad(_ t: [UInt32], _ member: (UInt32) -> Bool) -> [UInt32] {
        padRuns(t, member)
    }

    /// Non-overlapping occurrences of the two characters `a b` replaced.
    static func replacePairs(_ t: [UInt32], _ a: UInt32, _ b: UInt32, with r: [UInt32]) -> [UInt32] {
        guard t.count >= 2, (1..<t.count).contains(where: { t[$0 - 1] == a && t[$0] == b }) else { return t }
        var out: [UInt32] = []
        out.reserveCapacity(t.count + 8)
        var i = 0
        var changed = false
        while i < t.count {
            if t[i] == a && i + 1 < t.count && t[i + 1] == b { out += r; i += 2; changed = true } else { out.append(t[i]); i += 1 }
        }
        return changed ? out : t
    }

    static func replaceOne(_ t: [UInt32], _ a: UInt32, with r: [UInt32]) -> [UInt32] {
        guard t.contains(a) else { return t }
        var out: [UInt32] = []
        out.reserveCapacity(t.count + 8)
        for c in t { if c == a { out += r } else { out.append(c) } }
        return out
    }

    /// `([ \(\[{<])(\"|\'{2})` → `\1 `` `.
    static func openingQuotes(_ t: [UInt32]) -> [UInt32] {
        guard t.contains(0x22) || t.contains(0x27) else { return t }
        var out: [UInt32] = []
        out.reserveCapacity(t.count + 8)
        var i = 0
        while i < t.count {
            let c = t[i]
            if c == 0x20 || c == 0x28 || c == 0x5B || c == 0x7B || c == 0x3C, i + 1 < t.count {
                if t[i + 1] == 0x22 { out += [c, 0x20, 0x60, 0x60, 0x20]; i += 2; continue }
                if t[i + 1] == 0x27 && i + 2 < t.count && t[i + 2] == 0x27 { out += [c, 0x20, 0x60, 0x60, 0x20]; i += 3; continue }
            }
            out.append(c); i += 1
        }
        return out
    }

    /// Case-insensitive match as Python's `re.IGNORECASE` compares these ASCII letters.
    @inline(__always) static func fold(_ c: UInt32) -> UInt32 {
        switch c {
        case 0x41...0x5A: return c | 0x20
        case 0x17F: return 0x73    // ſ
        case 0x212A: return 0x6B   // Kelvin sign
        case 0x130, 0x131: return 0x69
        default: return c
        }
    }

    static func matchesFolded(_ t: [UInt32], _ i: Int, _ w: [UInt32]) -> Bool {
        guard i + w.count <= t.count else { return false }
        for k in 0..<w.count where fold(t[i + k]) != w[k] { return false }
        return true
    }

    static let apostropheClitics: [[UInt32]] = ["re", "ve", "ll", "m", "t", "s", "d", "n"].map { $0.unicodeScalars.map(\.value) }

    /// `(?i)(?<!\w)(\')(?!(?:re|ve|ll|m|t|s|d|n)\b)(?=\w)` → `\1 `.
    static func apostropheBeforeWord(_ t: [UInt32], _ cc: RegexClasses) -> [UInt32] {
        guard t.contains(0x27) else { return t }
        var out: [UInt32] = []
        out.reserveCapacity(t.count + 8)
        for i in 0..<t.count {
            out.append(t[i])
            guard t[i] == 0x27, i + 1 < t.count, cc.isWord(t[i + 1]), i == 0 || !cc.isWord(t[i - 1]) else { continue }
            let clitic = apostropheClitics.contains { w in
                matchesFolded(t, i + 1, w) && (i + 1 + w.count == t.count || !cc.isWord(t[i + 1 + w.count]))
            }
            if !clitic { out.append(0x20) }
        }
        return out
    }

    /// NLTK 3.8.1: `(?i)(\')(?!re|ve|ll|m|t|s|d|n)(\w)\b` → `\1 \2`, an apostrophe before a
    /// one-character word other than m, t, s, d or n.
    static func apostropheBeforeLetter(_ t: [UInt32], _ cc: RegexClasses) -> [UInt32] {
        guard t.contains(0x27) else { return t }
        var out: [UInt32] = []
        out.reserveCapacity(t.count + 8)
        var i = 0
        while i < t.count {
            if t[i] == 0x27, i + 1 < t.count, cc.isWord(t[i + 1]), i + 2 == t.count || !cc.isWord(t[i + 2]) {
                switch fold(t[i + 1]) {
                case 0x6D, 0x74, 0x73, 0x64, 0x6E: break
                default:
                    out += [0x27, 0x20, t[i + 1]]
                    i += 2
                    continue
                }
            }
            out.append(t[i]); i += 1
        }
        return out
    }

    static let finalClosersWithSpace: Set<UInt32> = [0x5D, 0x29, 0x7D, 0x3E, 0x22, 0x27, 0xBB, 0x201D, 0x2019, 0x20]
    static let finalClosers: Set<UInt32> = [0x5D, 0x29, 0x7D, 0x3E, 0x22, 0x27]

    /// `([^\.])(\.)([closers]*)\s*$` → `\1 \2 \3 ` (the first rule, whose class holds a space) or
    /// `\1 \2\3 ` (the second). Only one position can match: the period before the closing run.
    static func finalPeriod(_ t: [UInt32], closers: Set<UInt32>, possessiveWithSpace: Bool, _ cc: RegexClasses) -> [UInt32] {
        var p = t.count
        if possessiveWithSpace {
            while p > 0 && (closers.contains(t[p - 1]) || cc.isSpace(t[p - 1])) { p -= 1 }
        } else {
            while p > 0 && cc.isSpace(t[p - 1]) { p -= 1 }
            while p > 0 && closers.contains(t[p - 1]) { p -= 1 }
        }
        guard p >= 2, t[p - 1] == 0x2E, t[p - 2] != 0x2E else { return t }
        var j = p
        while j < t.count && closers.contains(t[j]) { j += 1 }
        for k in j..<t.count where !cc.isSpace(t[k]) { return t }
        var out = Array(t[0..<(p - 2)])
        out.reserveCapacity(t.count + 4)
        out.append(t[p - 2])
        out += possessiveWithSpace ? [0x20, 0x2E, 0x20] : [0x20, 0x2E]
        out += t[p..<j]
        out.append(0x20)
        return out
    }

    /// `([:,])([^\d])` → ` \1 \2`.
    static func colonComma(_ t: [UInt32]) -> [UInt32] {
        guard t.contains(where: { $0 == 0x3A || $0 == 0x2C }) else { return t }
        var out: [UInt32] = []
        out.reserveCapacity(t.count + 8)
        var i = 0
        while i < t.count {
            let c = t[i]
            if (c == 0x3A || c == 0x2C) && i + 1 < t.count && CharClass.of(t[i + 1]) & CharClass.decimal == 0 {
                out += [0x20, c, 0x20, t[i + 1]]; i += 2
            } else {
                out.append(c); i += 1
            }
        }
        return out
    }

    /// `([^'])' ` → `\1 ' `.
    static func quoteSpace(_ t: [UInt32]) -> [UInt32] {
        guard t.contains(0x27) else { return t }
        var out: [UInt32] = []
        out.reserveCapacity(t.count + 8)
        var i = 0
        while i < t.count {
            if t[i] != 0x27 && i + 2 < t.count && t[i + 1] == 0x27 && t[i + 2] == 0x20 {
                out += [t[i], 0x20, 0x27, 0x20]; i += 3
            } else {
                out.append(t[i]); i += 1
            }
        }
        return out
    }

    /// `\s+` → ` `.
    static func collapseSpace(_ t: [UInt32], _ cc: RegexClasses) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(t.count)
        var i = 0
        while i < t.count {
            if cc.isSpace(t[i]) {
                while i < t.count && cc.isSpace(t[i]) { i += 1 }
                out.append(0x20)
            } else {
                out.append(t[i]); i += 1
            }
        }
        return out
    }

    static let clitics1: [[UInt32]] = ["'s", "'S", "'m", "'M", "'d", "'D", "'"].map { $0.unicodeScalars.map(\.value) }
    static let clitics2: [[UInt32]] = ["'ll", "'LL", "'re", "'RE", "'ve", "'VE", "n't", "N'T"].map { $0.unicodeScalars.map(\.value) }

    /// `([^' ])(clitic|clitic|…) ` → `\1 \2 `, alternatives tried in order.
    static func clitics(_ t: [UInt32], _ alternatives: [[UInt32]]) -> [UInt32] {
        guard t.contains(0x27) else { return t }
        var out: [UInt32] = []
        out.reserveCapacity(t.count + 8)
        var i = 0
        outer: while i < t.count {
            let c = t[i]
            if c != 0x27 && c != 0x20 {
                for w in alternatives where i + 1 + w.count < t.count && t[i + 1 + w.count] == 0x20 && t[(i + 1)..<(i + 1 + w.count)].elementsEqual(w) {
                    out.append(c); out.append(0x20); out += w; out.append(0x20)
                    i += 2 + w.count
                    continue outer
                }
            }
            out.append(c); i += 1
        }
        return out
    }

    static func s(_ x: String) -> [UInt32] { x.unicodeScalars.map(\.value) }

    /// MacIntyre's contractions (`\b(can)(not)\b` …), case-insensitive; the last needs whitespace after.
    static let contractions2: [([UInt32], [UInt32], Bool)] = [
        (s("can"), s("not"), false), (s("d"), s("'ye"), false), (s("gim"), s("me"), false), (s("gon"), s("na"), false),
        (s("got"), s("ta"), false), (s("lem"), s("me"), false), (s("more"), s("'n"), false), (s("wan"), s("na"), true),
    ]
    static let contractions3: [[UInt32]] = [s("is"), s("was")]

    /// Whether any of MacIntyre's contractions starts a word of `t` (one scan instead of eight).
    static func anyContraction(_ t: [UInt32], _ cc: RegexClasses) -> Bool {
        for i in 0..<t.count where i == 0 || !cc.isWord(t[i - 1]) {
            switch fold(t[i]) {
            case 0x63, 0x64, 0x67, 0x6C, 0x6D, 0x77:  // c d g l m w
                for (a, b, _) in contractions2 where matchesFolded(t, i, a) && matchesFolded(t, i + a.count, b) { return true }
            default: continue
            }
        }
        return false
    }

    /// `(?i)\b(a)(b)\b` → ` \1 \2 ` (or `(?=\s)` instead of the final `\b`).
    static func contraction(_ t: [UInt32], _ a: [UInt32], _ b: [UInt32], spaceAfter: Bool, _ cc: RegexClasses) -> [UInt32] {
        let n = a.count + b.count
        guard t.count >= n else { return t }
        let first = a[0]
        func matches(_ i: Int) -> Bool {
            guard fold(t[i]) == first, i == 0 || !cc.isWord(t[i - 1]), i + n <= t.count else { return false }
            for k in 1..<n where fold(t[i + k]) != (k < a.count ? a[k] : b[k - a.count]) { return false }
            let e = i + n
            return spaceAfter ? (e < t.count && cc.isSpace(t[e])) : (e == t.count || !cc.isWord(t[e]))
        }
        // Most sentences hold none: find the first match before building anything.
        var i = 0
        while i < t.count && !matches(i) { i += 1 }
        guard i < t.count else { return t }
        var out = Array(t[0..<i])
        out.reserveCapacity(t.count + 8)
        while i < t.count {
            if matches(i) {
                out.append(0x20); out += t[i..<(i + a.count)]; out.append(0x20); out += t[(i + a.count)..<(i + n)]; out.append(0x20)
                i += n
                continue
            }
            out.append(t[i]); i += 1
        }
        return out
    }

    /// `(?i) ('t)(is|was)\b` → ` \1 \2 `.
    static func contraction3(_ t: [UInt32], _ b: [UInt32], _ cc: RegexClasses) -> [UInt32] {
        let w: [UInt32] = [0x20, 0x27, 0x74] + b
        guard t.count >= w.count, t.contains(0x27) else { return t }
        var out: [UInt32] = []
        var i = 0, changed = false
        while i < t.count {
            if t[i] == 0x20, matchesFolded(t, i, w) {
                let e = i + w.count
                if e == t.count || !cc.isWord(t[e]) {
                    out.append(0x20); out += t[(i + 1)..<(i + 3)]; out.append(0x20); out += t[(i + 3)..<e]; out.append(0x20)
                    i = e; changed = true
                    continue
                }
            }
            out.append(t[i]); i += 1
        }
        return changed ? out : t
    }
}

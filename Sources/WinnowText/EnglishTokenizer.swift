import Synchronization
#if canImport(Glibc)
import Glibc
#endif
/// English word tokens as datatrove's current English tokenizer produces them (spaCy's
/// `blank("en")` tokenizer, whitespace-only tokens dropped): whitespace splitting, spaCy's
/// special cases (contractions, abbreviations, emoticons), its prefix and suffix rules (punctuation,
/// quotes, currency, symbols, `'s`, units and periods), URLs kept whole, then its infix rules
/// (ellipses, symbols, hyphens between letters, `,:<>=/` between letters, arithmetic between
/// digits, a period between a lowercase and an uppercase letter).
public struct EnglishTokenizer: Sendable {
    public init() {}

    typealias S = ArraySlice<Unicode.Scalar>

    static func set(_ s: String) -> ScalarSet { ScalarSet(s) }
    static let punct = set(SpacyCharacters.punct)
    static let quotes = set(SpacyCharacters.quotes)
    static let currencyChars = set(SpacyCharacters.currency)
    static let prefixOnly = set(SpacyCharacters.prefixOnly)
    static let hyphens = set(SpacyCharacters.hyphens)
    static let infixAfterAlnum = set(SpacyCharacters.infixAfterAlnum)
    static let units: [[Unicode.Scalar]] = "km|km²|km³|m|m²|m³|dm|dm²|dm³|cm|cm²|cm³|mm|mm²|mm³|ha|µm|nm|yd|in|ft|kg|g|mg|µg|t|lb|oz|m/s|km/h|kmh|mph|hPa|Pa|mbar|mb|MB|kb|KB|gb|GB|tb|TB|T|G|M|K|%|км|км²|км³|м|м²|м³|дм|дм²|дм³|см|см²|см³|мм|мм²|мм³|нм|кг|г|мг|м/с|км/ч|кПа|Па|мбар|Кб|КБ|кб|Мб|МБ|мб|Гб|ГБ|гб|Тб|ТБ|тб"
        .split(separator: "|").map { Array($0.unicodeScalars) }
    static let special: [String: [String]] = EnglishExceptions.table

    @inline(__always) static func cls(_ c: Unicode.Scalar) -> UInt8 { CharClass.of(c) }
    @inline(__always) static func isIcon(_ c: Unicode.Scalar) -> Bool { cls(c) & CharClass.symbol != 0 }
    /// spaCy's "uncased" alphabet: letters of scripts without case, and whole CJK blocks
    /// including their punctuation (U+3000–303F, so 《 and 【 count as letters).
    @inline(__always) static func isUncased(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x3000...0x303F, 0x2E80...0x2FFF, 0x31C0...0x31EF, 0x3200...0x33FF, 0xFE30...0xFE4F, 0xF900...0xFAFF, 0x1F200...0x1F2FF: return true
        default:
            let f = cls(c)
            return c.value >= 0x80 && f & CharClass.letter != 0 && f & (CharClass.lower | CharClass.upper) == 0 && !c.properties.isCased
        }
    }
    @inline(__always) static func isAlpha(_ c: Unicode.Scalar) -> Bool { cls(c) & CharClass.letter != 0 || isUncased(c) }
    /// spaCy's ALPHA_LOWER / ALPHA_UPPER include the uncased scripts (CJK, Hangul, kana, …).
    @inline(__always) static func isLower(_ c: Unicode.Scalar) -> Bool { cls(c) & CharClass.lower != 0 || isUncased(c) }
    @inline(__always) static func isUpper(_ c: Unicode.Scalar) -> Bool { cls(c) & CharClass.upper != 0 || isUncased(c) }
    @inline(__always) static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    static let specialFirst: Set<Unicode.Scalar> = Set(special.keys.compactMap { $0.unicodeScalars.first })
    static let specialMaxLength = special.keys.map { $0.unicodeScalars.count }.max() ?? 0

    static func specialOf(_ s: S) -> [String]? {
        guard let f = s.first, s.count <= specialMaxLength, specialFirst.contains(f) else { return nil }
        return special[String(String.UnicodeScalarView(s))]
    }

    /// spaCy's prefix search (first alternative that matches at the start).
    static func prefixLength(_ s: S) -> Int {
        guard let c = s.first else { return 0 }
        let i = s.startIndex
        if prefixOnly.contains(c) { return 1 }
        if c == "+" { return s.count > 1 && isDigit(s[i + 1]) ? 0 : 1 }
        if c == "…" || punct.contains(c) { return 1 }
        if c == "." {
            var n = 0
            while i + n < s.endIndex && s[i + n] == "." { n += 1 }
            return n >= 2 ? n : 0
        }
        if quotes.contains(c) { return 1 }
        if currencyChars.contains(c) { return 1 }
        if c == "U" || c == "C" || c == "A", s.count >= 3, s[i + 1] == "S" || c != "U", s[i + (c == "U" ? 2 : 1)] == "$" {
            return c == "U" ? 3 : 2
        }
        if isIcon(c) { return 1 }
        return 0
    }

    /// spaCy's suffix search: the leftmost position from which some suffix rule reaches the end.
    static func suffixLength(_ s: S) -> Int {
        let n = s.count
        guard n > 0 else { return 0 }
        let a = s.count > 8 ? Array(s.suffix(8)) : Array(s)  // every suffix rule looks at the last 7 characters at most
        let n8 = a.count
        if n8 < n {
            // A trailing run of dots may be longer than the window.
            var run = 0
            var k = s.endIndex - 1
            while k >= s.startIndex && s[k] == "." { run += 1; k -= 1 }
            if run >= 2 { return run }
        }
        return suffixLength(window: a, n: n8)
    }

    static func suffixLength(window a: [Unicode.Scalar], n: Int) -> Int {
        // A trailing run of two or more dots starts further left than any other suffix.
        var dots = 0
        while dots < n && a[n - 1 - dots] == "." { dots += 1 }
        if dots >= 2 { return dots }
        for pos in max(0, n - 6)..<n {
            let rest = a[pos...]
            let before: Unicode.Scalar? = pos > 0 ? a[pos - 1] : nil
            if rest.count == 1 {
                let c = rest.first!
                if punct.contains(c) || c == "…" || quotes.contains(c) || isIcon(c) || c == "—" || c == "–" { return 1 }
                if c == "+", let b = before, isDigit(b) { return 1 }
                if c == ".", let b = before {
                    if pos >= 2, (b == "F" || b == "f" || b == "C" || b == "c" || b == "K" || b == "k"), a[pos - 2] == "°" { return 1 }
                    if isDigit(b) || isLower(b) || (b == "%" || b == "²" || b == "-" || b == "+") || punct.contains(b) || quotes.contains(b) { return 1 }
                    if isUpper(b), pos >= 2, isUpper(a[pos - 2]) { return 1 }
                }
                if currencyChars.contains(c), let b = before, isDigit(b) { return 1 }
            }
            if rest.count == 2, rest.first == "'" || rest.first == "’", rest.last == "s" || rest.last == "S" { return 2 }
            if rest.count == 2, rest.allSatisfy({ $0 == "…" }) { return 2 }  // "……" is one suffix
            if let b = before, isDigit(b) {
                for u in units where u.count == rest.count && rest.elementsEqual(u) { return rest.count }
                if rest.count == 3 && (rest.elementsEqual("US$".unicodeScalars) || false) { return 3 }
                if rest.count == 2 && (rest.elementsEqual("C$".unicodeScalars) || rest.elementsEqual("A$".unicodeScalars)) { return 2 }
            }
        }
        return 0
    }

    /// spaCy's URL pattern, anchored: optional `scheme://`, optional `user@`, a host (an IPv4
    /// address or dotted labels of letters, digits, `-`, `_` or any character from U+00A1, ending
    /// in a TLD of 2–63 lowercase or non-ASCII letters, or `localhost`), optional `:port`, and
    /// an optional path starting with `/`, `?` or `#`.
    static func isURL(_ s: S) -> Bool {
        guard s.contains(".") || s.count >= 9 else { return false }  // every host has a dot, or is localhost
        var a = Array(s)
        // scheme
        if let k = indexOf(a, "://"), k >= 2, a[0..<k].allSatisfy({ CharClass.of($0) & CharClass.word != 0 || $0 == "+" || $0 == "-" || $0 == "." }) {
            a = Array(a[(k + 3)...])
        }
        // user info: up to the last '@'
        if let at = a.lastIndex(of: "@") { if at == 0 { return false }; a = Array(a[(at + 1)...]) }
        // host ends at a port, a path, a query or a fragment
        let end = a.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" || $0 == ":" } ?? a.count
        let host = a[0..<end]
        var rest = a[end...]
        if rest.first == ":" {
            var d = 1
            while d < rest.count && isDigit(rest[rest.startIndex + d]) { d += 1 }
            guard d - 1 >= 2 && d - 1 <= 5 else { return false }
            rest = rest.dropFirst(d)
        }
        if let f = rest.first, f != "/" && f != "?" && f != "#" { return false }
        if host.elementsEqual("localhost".unicodeScalars) { return true }
        var labels = host.split(separator: ".", omittingEmptySubsequences: false).map(Array.init)
        if labels.count >= 2 && labels.last!.isEmpty { labels.removeLast() }  // a trailing dot
        guard labels.count >= 2 else { return false }
        if labels.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(isDigit) }) { return labels.count == 4 }
        func hostChar(_ c: Unicode.Scalar) -> Bool { (c.value >= 0xA1 && c.value <= 0xFFFF) || (c.isASCII && (isDigit(c) || c.properties.isAlphabetic)) }
        // spaCy's TLD class: lowercase letters, uncased scripts and the CJK symbol blocks.
        func tldChar(_ c: Unicode.Scalar) -> Bool {
            switch c.value {
            case 0x3000...0x303F, 0x2E80...0x2FFF, 0x31C0...0x31EF, 0x3200...0x33FF, 0xFE30...0xFE4F, 0xF900...0xFAFF, 0xFF41...0xFF5A, 0x30FC: return true
            default: return isLower(c)
            }
        }
        for l in labels.dropLast() {
            guard let f = l.first, let z = l.last, hostChar(f), hostChar(z), l.count <= 64,
                  l.allSatisfy({ hostChar($0) || $0 == "-" || $0 == "_" }) else { return false }
        }
        let tld = labels.last!
        return tld.count >= 2 && tld.count <= 63 && tld.allSatisfy(tldChar)
    }

    static func indexOf(_ a: [Unicode.Scalar], _ p: String) -> Int? {
        let ps = Array(p.unicodeScalars)
        guard a.count >= ps.count else { return nil }
        for i in 0...(a.count - ps.count) where a[i..<(i + ps.count)].elementsEqual(ps) { return i }
        return nil
    }

    /// spaCy's sentencizer punctuation (`Sentencizer.default_punct_chars`, MIT).
    static let sentencePunct: Set<String> = ["\u{21}", "\u{2e}", "\u{3f}", "\u{589}", "\u{61f}", "\u{6d4}", "\u{700}", "\u{701}", "\u{702}", "\u{7f9}", "\u{964}", "\u{965}", "\u{104a}", "\u{104b}", "\u{1362}", "\u{1367}", "\u{1368}", "\u{166e}", "\u{1735}", "\u{1736}", "\u{1803}", "\u{1809}", "\u{1944}", "\u{1945}", "\u{1aa8}", "\u{1aa9}", "\u{1aaa}", "\u{1aab}", "\u{1b5a}", "\u{1b5b}", "\u{1b5e}", "\u{1b5f}", "\u{1c3b}", "\u{1c3c}", "\u{1c7e}", "\u{1c7f}", "\u{203c}", "\u{203d}", "\u{2047}", "\u{2048}", "\u{2049}", "\u{2e2e}", "\u{2e3c}", "\u{a4ff}", "\u{a60e}", "\u{a60f}", "\u{a6f3}", "\u{a6f7}", "\u{a876}", "\u{a877}", "\u{a8ce}", "\u{a8cf}", "\u{a92f}", "\u{a9c8}", "\u{a9c9}", "\u{aa5d}", "\u{aa5e}", "\u{aa5f}", "\u{aaf0}", "\u{aaf1}", "\u{abeb}", "\u{fe52}", "\u{fe56}", "\u{fe57}", "\u{ff01}", "\u{ff0e}", "\u{ff1f}", "\u{10a56}", "\u{10a57}", "\u{11047}", "\u{11048}", "\u{110be}", "\u{110bf}", "\u{110c0}", "\u{110c1}", "\u{11141}", "\u{11142}", "\u{11143}", "\u{111c5}", "\u{111c6}", "\u{111cd}", "\u{111de}", "\u{111df}", "\u{11238}", "\u{11239}", "\u{1123b}", "\u{1123c}", "\u{112a9}", "\u{1144b}", "\u{1144c}", "\u{115c2}", "\u{115c3}", "\u{115c9}", "\u{115ca}", "\u{115cb}", "\u{115cc}", "\u{115cd}", "\u{115ce}", "\u{115cf}", "\u{115d0}", "\u{115d1}", "\u{115d2}", "\u{115d3}", "\u{115d4}", "\u{115d5}", "\u{115d6}", "\u{115d7}", "\u{11641}", "\u{11642}", "\u{1173c}", "\u{1173d}", "\u{1173e}", "\u{11a42}", "\u{11a43}", "\u{11a9b}", "\u{11a9c}", "\u{11c41}", "\u{11c42}", "\u{16a6e}", "\u{16a6f}", "\u{16af5}", "\u{16b37}", "\u{16b38}", "\u{16b44}", "\u{1bc9f}", "\u{1da88}", "\u{ff61}", "\u{3002}"]

    /// How many sentences spaCy's sentencizer finds in `text` (datatrove's `split_into_sentences`,
    /// whitespace-only sentences dropped): a sentence ends after a sentence-final punctuation token
    /// once a token that is not punctuation follows. Whitespace runs other than a single space
    /// are tokens of their own, as in spaCy.
    public func sentenceCount(_ text: String) -> Int { sentenceCount(scalars: Scalars.of(text)) }

    /// `sentenceCount` of the text of code points `scalars`.
    public func sentenceCount(scalars: [UInt32]) -> Int {
        var w = Words(scalars: scalars)
        var space: [Bool] = []
        scalars.withUnsafeBufferPointer { a in
            var i = 0
            var afterToken = false
            while i < a.count {
                if CharClass.of(a[i]) & CharClass.space != 0 {
                    var j = i
                    while j < a.count && CharClass.of(a[j]) & CharClass.space != 0 { j += 1 }
                    var start = i
                    if afterToken && a[i] == 0x20 { start += 1 }
                    if start < j { w.append(start, j); space.append(true) }
                    i = j
                    afterToken = false
                    continue
                }
                var j = i
                while j < a.count && CharClass.of(a[j]) & CharClass.space == 0 { j += 1 }
                let before = w.count
                Self.split(a, i, j, into: &w)
                Self.mergeSpecials(a, &w, from: before)
                space += repeatElement(false, count: w.count - before)
                i = j
                afterToken = true
            }
        }
        guard w.count > 0 else { return 0 }
        var starts = [0]
        var start = 0
        var seenPeriod = false
        for k in 0..<w.count {
            let r = w.range(k)
            let inPunct = r.count == 1 && Self.sentencePunctValues.contains(scalars[r.lowerBound])
            let isPunct = !space[k] && scalars[r].allSatisfy { Self.isPunctuation(Self.scalar($0)) }
            if seenPeriod && !isPunct && !inPunct {
                if start != k { starts.append(k) }
                start = k
                seenPeriod = false
            } else if inPunct {
                seenPeriod = true
            }
        }
        // Sentences made only of whitespace tokens do not count.
        var count = 0
        for (n, s) in starts.enumerated() {
            let end = n + 1 < starts.count ? starts[n + 1] : w.count
            if space[s..<end].contains(false) { count += 1 }
        }
        return count
    }

    static let sentencePunctValues: Set<UInt32> = Set(sentencePunct.map { $0.unicodeScalars.first!.value })

    static let punctuationBMP: [Bool] = (0..<0x10000).map { v in Unicode.Scalar(UInt32(v)).map(isPunctuationProperty) ?? false }

    @inline(__always) static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x10000 ? punctuationBMP[Int(c.value)] : isPunctuationProperty(c)
    }

    static func isPunctuationProperty(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    /// The last text tokenized and its words: a filter chain asks for the same document's
    /// words several times (Gopher repetition, Gopher quality, FineWeb quality).
    private static let last = Mutex<(text: String, words: Words)?>(nil)

    /// Tokens of `text`.
    public func tokenize(_ text: String) -> [String] {
        let w = words(text)
        return (0..<w.count).map(w.string)
    }

    /// The words of `text` as spans of its code points (every token is a substring: spaCy's
    /// special cases always spell out their key).
    public func words(_ text: String) -> Words {
        if let hit = Self.last.withLock({ c -> Words? in
            guard let c, c.text.utf8.count == text.utf8.count else { return nil }
            var x = c.text, y = text
            let same = x.withUTF8 { a in y.withUTF8 { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
            return same ? c.words : nil
        }) { return hit }
        var w = Words(scalars: Scalars.of(text))
        w.scalars.withUnsafeBufferPointer { a in
            var i = 0
            while i < a.count {
                if CharClass.of(a[i]) & CharClass.space != 0 { i += 1; continue }
                var j = i
                while j < a.count && CharClass.of(a[j]) & CharClass.space == 0 { j += 1 }
                let before = w.count
                Self.split(a, i, j, into: &w)
                Self.mergeSpecials(a, &w, from: before)
                i = j
            }
        }
        Self.last.withLock { $0 = (text, w) }
        return w
    }

    /// Words as code-point spans of one text.
    public struct Words: Sendable {
        public let scalars: [UInt32]
        public private(set) var starts: [Int32] = []
        public private(set) var ends: [Int32] = []
        init(scalars: [UInt32]) { self.scalars = scalars }
        public var count: Int { starts.count }
        @inline(__always) public func length(_ i: Int) -> Int { Int(ends[i] - starts[i]) }
        public func string(_ i: Int) -> String { Scalars.string(scalars[Int(starts[i])..<Int(ends[i])]) }
        @inline(__always) public func range(_ i: Int) -> Range<Int> { Int(starts[i])..<Int(ends[i]) }
        @inline(__always) mutating func append(_ a: Int, _ b: Int) { starts.append(Int32(a)); ends.append(Int32(b)) }
        mutating func replace(_ r: Range<Int>, with pieces: [(Int, Int)]) {
            starts.replaceSubrange(r, with: pieces.map { Int32($0.0) })
            ends.replaceSubrange(r, with: pieces.map { Int32($0.1) })
        }
    }


    // MARK: prefix and suffix rules on code-point ranges (no copies)

    static let unitValues: [[UInt32]] = units.map { $0.map(\.value) }

    /// spaCy's prefix search on `a[lo..<hi]`.
    static func prefixLength(_ a: Buf, _ lo: Int, _ hi: Int) -> Int {
        guard hi > lo else { return 0 }
        let c = scalar(a[lo])
        let n = hi - lo
        if prefixOnly.contains(c) { return 1 }
        if c == "+" { return n > 1 && a[lo + 1] >= 0x30 && a[lo + 1] <= 0x39 ? 0 : 1 }
        if c == "…" || punct.contains(c) { return 1 }
        if c == "." {
            var k = 0
            while lo + k < hi && a[lo + k] == 0x2E { k += 1 }
            return k >= 2 ? k : 0
        }
        if quotes.contains(c) { return 1 }
        if currencyChars.contains(c) { return 1 }
        if c == "U" || c == "C" || c == "A", n >= 3, a[lo + 1] == 0x53 || c != "U", a[lo + (c == "U" ? 2 : 1)] == 0x24 {
            return c == "U" ? 3 : 2
        }
        if isIcon(c) { return 1 }
        return 0
    }

    /// spaCy's suffix search on `a[lo..<hi]`: the leftmost position from which some suffix rule
    /// reaches the end (every rule looks at the last 8 characters at most, but a run of dots).
    static func suffixLength(_ a: Buf, _ lo: Int, _ hi: Int) -> Int {
        let n = hi - lo
        guard n > 0 else { return 0 }
        let wlo = n > 8 ? hi - 8 : lo
        var dots = 0
        while hi - 1 - dots >= lo && a[hi - 1 - dots] == 0x2E { dots += 1 }
        if dots >= 2 { return dots }
        for p in max(wlo, hi - 6)..<hi {
            let rest = hi - p
            let before: Unicode.Scalar? = p > wlo ? scalar(a[p - 1]) : nil
            if rest == 1 {
                let c = scalar(a[p])
                if punct.contains(c) || c == "…" || quotes.contains(c) || isIcon(c) || c == "—" || c == "–" { return 1 }
                if c == "+", let b = before, isDigit(b) { return 1 }
                if c == ".", let b = before {
                    if p - wlo >= 2, (b == "F" || b == "f" || b == "C" || b == "c" || b == "K" || b == "k"), a[p - 2] == 0xB0 { return 1 }
                    if isDigit(b) || isLower(b) || (b == "%" || b == "²" || b == "-" || b == "+") || punct.contains(b) || quotes.contains(b) { return 1 }
                    if isUpper(b), p - wlo >= 2, isUpper(scalar(a[p - 2])) { return 1 }
                }
                if currencyChars.contains(c), let b = before, isDigit(b) { return 1 }
            }
            if rest == 2, a[p] == 0x27 || a[p] == 0x2019, a[p + 1] == 0x73 || a[p + 1] == 0x53 { return 2 }
            if rest == 2, a[p] == 0x2026, a[p + 1] == 0x2026 { return 2 }  // "……" is one suffix
            if let b = before, isDigit(b) {
                for u in unitValues where u.count == rest && a[p..<hi].elementsEqual(u) { return rest }
                if rest == 3 && a[p] == 0x55 && a[p + 1] == 0x53 && a[p + 2] == 0x24 { return 3 }
                if rest == 2 && (a[p] == 0x43 || a[p] == 0x41) && a[p + 1] == 0x24 { return 2 }
            }
        }
        return 0
    }

    typealias Buf = UnsafeBufferPointer<UInt32>

    /// spaCy's special cases keyed by their code points, with the lengths of their pieces.
    static let specialTable: [[UInt32]: [Int]] = {
        var t: [[UInt32]: [Int]] = [:]
        for (k, v) in special { t[k.unicodeScalars.map(\.value)] = v.map { $0.unicodeScalars.count } }
        return t
    }()
    static let specialFirstSet: Set<UInt32> = Set(specialFirst.map(\.value))

    /// The piece lengths of the special case spelled by `a[lo..<hi]`, if any.
    @inline(__always) static func specialOf(_ a: Buf, _ lo: Int, _ hi: Int) -> [Int]? {
        let n = hi - lo
        guard n > 0, n <= specialMaxLength, a[lo] < 0x10000, specialLengths[Int(a[lo])] & (1 << n) != 0, specialLast.contains(a[hi - 1]) else { return nil }
        return specialTable[Array(a[lo..<hi])]
    }

    /// For each BMP first character, a bit per length some special case of that start has; and
    /// the last characters of special cases: a cheap no for most chunks.
    static let specialLengths: [UInt64] = {
        var t = [UInt64](repeating: 0, count: 0x10000)
        for k in specialTable.keys where k[0] < 0x10000 && k.count < 64 { t[Int(k[0])] |= 1 << k.count }
        return t
    }()
    static let specialLast = ScalarSet(Set(specialTable.keys.compactMap { $0.last.flatMap(Unicode.Scalar.init) }))

    @inline(__always) static func emit(_ pieces: [Int], at lo: Int, into w: inout Words) {
        var p = lo
        for n in pieces { w.append(p, p + n); p += n }
    }

    @inline(__always) static func scalar(_ v: UInt32) -> Unicode.Scalar { Unicode.Scalar(v) ?? "\u{FFFD}" }

    static func slice(_ a: Buf, _ lo: Int, _ hi: Int) -> S { ArraySlice(a[lo..<hi].map(scalar)) }

    static func split(_ a: Buf, _ lo: Int, _ hi: Int, into w: inout Words) {
        if let sc = specialOf(a, lo, hi) { emit(sc, at: lo, into: &w); return }
        // Most chunks are plain words: letters and digits only, nothing for the rules to do.
        // (Digits followed by letters can end in a unit, as "10km": not this path.)
        var letters = true, digits = true
        for k in lo..<hi {
            let v = a[k]
            if !(v | 0x20 >= 0x61 && v | 0x20 <= 0x7A) { letters = false }
            if !(v >= 0x30 && v <= 0x39) { digits = false }
            if !letters && !digits { break }
        }
        if letters || digits { w.append(lo, hi); return }
        var s = lo, e = hi
        var prefixes: [(Int, Int)] = [], suffixes: [(Int, Int)] = []
        var lastSize = -1
        while s < e && e - s != lastSize {
            if specialOf(a, s, e) != nil { break }
            lastSize = e - s
            let pre = prefixLength(a, s, e)
            if pre > 0 && s + pre < e && specialOf(a, s + pre, e) != nil {
                prefixes.append((s, s + pre)); s += pre; break
            }
            let suf = suffixLength(a, s + pre, e)
            if suf > 0 && e - suf > s && specialOf(a, s, e - suf) != nil {
                suffixes.append((e - suf, e)); e -= suf; break
            }
            if pre > 0 && suf > 0 && pre + suf <= e - s {
                prefixes.append((s, s + pre)); suffixes.append((e - suf, e)); s += pre; e -= suf
            } else if pre > 0 {
                prefixes.append((s, s + pre)); s += pre
            } else if suf > 0 {
                suffixes.append((e - suf, e)); e -= suf
            }
        }
        for (x, y) in prefixes { w.append(x, y) }
        if s < e {
            if let sc = specialOf(a, s, e) { emit(sc, at: s, into: &w) }
            else if (e - s >= 9 || a[s..<e].contains(0x2E)) && isURL(slice(a, s, e)) { w.append(s, e) }
            else { infixes(a, s, e, into: &w) }
        }
        for (x, y) in suffixes.reversed() { w.append(x, y) }
    }

    /// spaCy's special-case matcher: adjacent tokens of one chunk that together spell a special
    /// case (an emoticon such as `):`) become that case's tokens.
    static func mergeSpecials(_ a: Buf, _ w: inout Words, from start: Int) {
        guard w.count - start >= 2 else { return }
        var i = start
        while i < w.count - 1 {
            var merged = false
            for n in stride(from: min(4, w.count - i), through: 2, by: -1) {
                let lo = Int(w.starts[i]), hi = Int(w.ends[i + n - 1])
                if hi - lo <= 16, let sc = specialOf(a, lo, hi), sc != (i..<(i + n)).map(w.length) {
                    var p = lo
                    w.replace(i..<(i + n), with: sc.map { n in defer { p += n }; return (p, p + n) })
                    i += sc.count
                    merged = true
                    break
                }
            }
            if !merged { i += 1 }
        }
    }

    static func infixes(_ a: Buf, _ lo: Int, _ hi: Int, into w: inout Words) {
        var matches: [(Int, Int)] = []
        var i = lo
        while i < hi {
            let c = scalar(a[i])
            let prev: Unicode.Scalar? = i > lo ? scalar(a[i - 1]) : nil
            let next: Unicode.Scalar? = i + 1 < hi ? scalar(a[i + 1]) : nil
            var len = 0
            if c == "." && next == "." {
                len = 1
                while i + len < hi && a[i + len] == 0x2E { len += 1 }
            } else if c == "…" || isIcon(c) {
                len = 1
            } else if let p = prev, let n = next {
                if (c == "+" || c == "-" || c == "*" || c == "^") && isDigit(p) && (isDigit(n) || n == "-") { len = 1 }
                else if c == "." && (isLower(p) || quotes.contains(p)) && (isUpper(n) || quotes.contains(n)) { len = 1 }
                else if c == "," && isAlpha(p) && isAlpha(n) { len = 1 }
                else if infixAfterAlnum.contains(c) && (isAlpha(p) || isDigit(p)) && isAlpha(n) { len = 1 }
                else if (isAlpha(p) || isDigit(p)) && hyphens.contains(c) {
                    // - – — ~ and the runs -- --- —— between a letter/digit and a letter
                    var l = 1
                    while i + l < hi && l < 3 && a[i + l] == c.value && (c == "-" || c == "—") { l += 1 }
                    if i + l < hi && isAlpha(scalar(a[i + l])) && (l == 1 || c == "-" || (c == "—" && l == 2)) { len = l }
                }
            }
            if len > 0 { matches.append((i, i + len)); i += len } else { i += 1 }
        }
        if matches.isEmpty { w.append(lo, hi); return }
        var start = lo
        for (ms, me) in matches {
            if ms == lo { continue }  // spaCy ignores an infix at the very start
            if ms != start { w.append(start, ms) }
            w.append(ms, me)
            start = me
        }
        if start < hi { w.append(start, hi) }
    }
}

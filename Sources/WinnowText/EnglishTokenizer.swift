import Synchronization
/// English word tokens as datatrove's current English tokenizer produces them (spaCy's
/// `blank("en")` tokenizer, whitespace-only tokens dropped): whitespace splitting, spaCy's
/// special cases (contractions, abbreviations, emoticons), its prefix and suffix rules (punctuation,
/// quotes, currency, symbols, `'s`, units and periods), URLs kept whole, then its infix rules
/// (ellipses, symbols, hyphens between letters, `,:<>=/` between letters, arithmetic between
/// digits, a period between a lowercase and an uppercase letter).
public struct EnglishTokenizer: Sendable {
    public init() {}

    typealias S = ArraySlice<Unicode.Scalar>

    static func set(_ s: String) -> Set<Unicode.Scalar> { Set(s.unicodeScalars) }
    static let punct = set("…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪")
    static let quotes = set("'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉〈〉⟦⟧")
    static let currencyChars = set("$£€¥฿₽﷼₴₠₡₢₣₤₥₦₧₨₩₪₫₭₮₯₰₱₲₳₵₶₷₸₹₺₻₼₾₿")
    static let prefixOnly = set("§%=—–")
    static let hyphens = set("-–—~")
    static let infixAfterAlnum = set(":<>=/")
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
                    if pos >= 2, "FfCcKk".unicodeScalars.contains(b), a[pos - 2] == "°" { return 1 }
                    if isDigit(b) || isLower(b) || "%²-+".unicodeScalars.contains(b) || punct.contains(b) || quotes.contains(b) { return 1 }
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
    public func sentenceCount(_ text: String) -> Int {
        var tokens: [(text: String, space: Bool)] = []
        let all = Array(text.unicodeScalars)
        var i = 0
        var afterToken = false
        while i < all.count {
            if CharClass.of(all[i]) & CharClass.space != 0 {
                var j = i
                while j < all.count && CharClass.of(all[j]) & CharClass.space != 0 { j += 1 }
                var start = i
                if afterToken && all[i] == " " { start += 1 }
                if start < j { tokens.append((String(String.UnicodeScalarView(all[start..<j])), true)) }
                i = j
                afterToken = false
                continue
            }
            var j = i
            while j < all.count && CharClass.of(all[j]) & CharClass.space == 0 { j += 1 }
            var words: [String] = []
            split(all[i..<j], into: &words)
            Self.mergeSpecials(&words, from: 0)
            for w in words { tokens.append((w, false)) }
            i = j
            afterToken = true
        }
        guard !tokens.isEmpty else { return 0 }
        var starts = [0]
        var start = 0
        var seenPeriod = false
        for (k, t) in tokens.enumerated() {
            let inPunct = Self.sentencePunct.contains(t.text)
            let isPunct = !t.space && t.text.unicodeScalars.allSatisfy { Self.isPunctuation($0) }
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
            let end = n + 1 < starts.count ? starts[n + 1] : tokens.count
            if tokens[s..<end].contains(where: { !$0.space }) { count += 1 }
        }
        return count
    }

    static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    /// The last text tokenized and its tokens: a filter chain asks for the same document's
    /// words several times (Gopher repetition, Gopher quality, FineWeb quality).
    private static let last = Mutex<(text: String, tokens: [String])?>(nil)

    /// Tokens of `text`.
    public func tokenize(_ text: String) -> [String] {
        if let hit = Self.last.withLock({ c -> [String]? in
            guard let c, c.text.utf8.count == text.utf8.count, c.text.utf8.elementsEqual(text.utf8) else { return nil }
            return c.tokens
        }) { return hit }
        let tokens = tokenizeUncached(text)
        Self.last.withLock { $0 = (text, tokens) }
        return tokens
    }

    func tokenizeUncached(_ text: String) -> [String] {
        var out: [String] = []
        let all = Array(text.unicodeScalars)
        var i = 0
        while i < all.count {
            if CharClass.of(all[i]) & CharClass.space != 0 { i += 1; continue }
            var j = i
            while j < all.count && CharClass.of(all[j]) & CharClass.space == 0 { j += 1 }
            let before = out.count
            split(all[i..<j], into: &out)
            Self.mergeSpecials(&out, from: before)
            i = j
        }
        return out
    }

    /// spaCy's special-case matcher: adjacent tokens of one chunk that together spell a special
    /// case (an emoticon such as `):`) become that case's tokens.
    static func mergeSpecials(_ out: inout [String], from start: Int) {
        guard out.count - start >= 2 else { return }
        var i = start
        while i < out.count - 1 {
            var merged = false
            for n in stride(from: min(4, out.count - i), through: 2, by: -1) {
                let joined = out[i..<(i + n)].joined()
                if joined.unicodeScalars.count <= 16, let sc = special[joined], sc != Array(out[i..<(i + n)]) {
                    out.replaceSubrange(i..<(i + n), with: sc)
                    i += sc.count
                    merged = true
                    break
                }
            }
            if !merged { i += 1 }
        }
    }

    func split(_ chunk: S, into out: inout [String]) {
        if let sc = Self.specialOf(chunk) { out += sc; return }
        // Most chunks are plain words: letters and digits only, nothing for the rules to do.
        // (Digits followed by letters can end in a unit, as "10km": not this path.)
        if chunk.allSatisfy({ $0.value | 0x20 >= 0x61 && $0.value | 0x20 <= 0x7A }) || chunk.allSatisfy(Self.isDigit) {
            out.append(String(String.UnicodeScalarView(chunk)))
            return
        }
        var s = chunk
        var prefixes: [String] = [], suffixes: [String] = []
        var lastSize = -1
        while !s.isEmpty && s.count != lastSize {
            if Self.specialOf(s) != nil { break }
            lastSize = s.count
            let pre = Self.prefixLength(s)
            if pre > 0 {
                let minusPre = s.dropFirst(pre)
                if !minusPre.isEmpty && Self.specialOf(minusPre) != nil {
                    prefixes.append(String(String.UnicodeScalarView(s.prefix(pre)))); s = minusPre; break
                }
            }
            let suf = Self.suffixLength(s.dropFirst(pre))
            if suf > 0 {
                let minusSuf = s.dropLast(suf)
                if !minusSuf.isEmpty && Self.specialOf(minusSuf) != nil {
                    suffixes.append(String(String.UnicodeScalarView(s.suffix(suf)))); s = minusSuf; break
                }
            }
            if pre > 0 && suf > 0 && pre + suf <= s.count {
                prefixes.append(String(String.UnicodeScalarView(s.prefix(pre))))
                suffixes.append(String(String.UnicodeScalarView(s.suffix(suf))))
                s = s.dropFirst(pre).dropLast(suf)
            } else if pre > 0 {
                prefixes.append(String(String.UnicodeScalarView(s.prefix(pre)))); s = s.dropFirst(pre)
            } else if suf > 0 {
                suffixes.append(String(String.UnicodeScalarView(s.suffix(suf)))); s = s.dropLast(suf)
            }
        }
        out += prefixes
        if !s.isEmpty {
            if let sc = Self.specialOf(s) { out += sc }
            else if Self.isURL(s) { out.append(String(String.UnicodeScalarView(s))) }
            else { infixes(s, into: &out) }
        }
        out += suffixes.reversed()
    }

    func infixes(_ s: S, into out: inout [String]) {
        let a = Array(s)
        var matches: [(Int, Int)] = []
        var i = 0
        while i < a.count {
            let c = a[i]
            let prev: Unicode.Scalar? = i > 0 ? a[i - 1] : nil
            let next: Unicode.Scalar? = i + 1 < a.count ? a[i + 1] : nil
            var len = 0
            if c == "." && next == "." {
                len = 1
                while i + len < a.count && a[i + len] == "." { len += 1 }
            } else if c == "…" || Self.isIcon(c) {
                len = 1
            } else if let p = prev, let n = next {
                if "+-*^".unicodeScalars.contains(c) && Self.isDigit(p) && (Self.isDigit(n) || n == "-") { len = 1 }
                else if c == "." && (Self.isLower(p) || Self.quotes.contains(p)) && (Self.isUpper(n) || Self.quotes.contains(n)) { len = 1 }
                else if c == "," && Self.isAlpha(p) && Self.isAlpha(n) { len = 1 }
                else if Self.infixAfterAlnum.contains(c) && (Self.isAlpha(p) || Self.isDigit(p)) && Self.isAlpha(n) { len = 1 }
                else if (Self.isAlpha(p) || Self.isDigit(p)) && Self.hyphens.contains(c) {
                    // - – — ~ and the runs -- --- —— between a letter/digit and a letter
                    var l = 1
                    while i + l < a.count && l < 3 && (a[i + l] == c) && (c == "-" || c == "—") { l += 1 }
                    if i + l < a.count && Self.isAlpha(a[i + l]) && (l == 1 || c == "-" || (c == "—" && l == 2)) { len = l }
                }
            }
            if len > 0 { matches.append((i, i + len)); i += len } else { i += 1 }
        }
        if matches.isEmpty { out.append(String(String.UnicodeScalarView(s))); return }
        var start = 0
        for (ms, me) in matches {
            if ms == 0 { continue }  // spaCy ignores an infix at the very start
            if ms != start { out.append(String(String.UnicodeScalarView(a[start..<ms]))) }
            out.append(String(String.UnicodeScalarView(a[ms..<me])))
            start = me
        }
        if start < a.count { out.append(String(String.UnicodeScalarView(a[start...]))) }
    }
}

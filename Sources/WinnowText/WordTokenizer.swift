/// Word tokens of simplified text as datatrove's English tokenizer (spaCy `blank("en")`)
/// produces them: whitespace-separated chunks; the special cases spaCy's English tokenizer
/// splits (contractions written without apostrophes, which is what `simplify_text` leaves:
/// "dont" → "do", "nt"); symbols, quotes and currency signs split off the ends of a chunk; unit
/// suffixes after a number ("0km" → "0", "km"). Punctuation that `simplify_text` already
/// removed is not handled again.
public struct WordTokenizer: Sendable {
    public init() {}

    /// spaCy English tokenizer exceptions reachable after simplification (data from spaCy,
    /// MIT licence, `spacy.lang.en.tokenizer_exceptions`, entries made of [a-z0] only).
    static let specialCases: [String: [String]] = [
"aint": ["ai", "nt"], "arent": ["are", "nt"], "cannot": ["can", "not"], "cant": ["ca", "nt"], "cantve": ["ca", "nt", "ve"], "couldnt": ["could", "nt"], "couldntve": ["could", "nt", "ve"], "couldve": ["could", "ve"], "darent": ["dare", "nt"], "didnt": ["did", "nt"], "didntve": ["did", "nt", "ve"], "doesnt": ["does", "nt"], "doesntve": ["does", "nt", "ve"], "dont": ["do", "nt"], "dontve": ["do", "nt", "ve"], "gonna": ["gon", "na"], "gotta": ["got", "ta"], "hadnt": ["had", "nt"], "hadntve": ["had", "nt", "ve"], "hasnt": ["has", "nt"], "havent": ["have", "nt"], "hed": ["he", "d"], "hedve": ["he", "d", "ve"], "hellve": ["he", "ll", "ve"], "hes": ["he", "s"], "howd": ["how", "d"], "howdve": ["how", "d", "ve"], "howll": ["how", "ll"], "howllve": ["how", "ll", "ve"], "howre": ["how", "re"], "hows": ["how", "s"], "howve": ["how", "ve"], "id": ["i", "d"], "idve": ["i", "d", "ve"], "illve": ["i", "ll", "ve"], "im": ["i", "m"], "ima": ["i", "m", "a"], "isnt": ["is", "nt"], "itd": ["it", "d"], "itdve": ["it", "d", "ve"], "itll": ["it", "ll"], "itllve": ["it", "ll", "ve"], "ive": ["i", "ve"], "maynt": ["may", "nt"], "mayntve": ["may", "nt", "ve"], "mightnt": ["might", "nt"], "mightntve": ["might", "nt", "ve"], "mightve": ["might", "ve"], "mustnt": ["must", "nt"], "mustntve": ["must", "nt", "ve"], "mustve": ["must", "ve"], "neednt": ["need", "nt"], "needntve": ["need", "nt", "ve"], "notve": ["not", "ve"], "oughtnt": ["ought", "nt"], "oughtntve": ["ought", "nt", "ve"], "shant": ["sha", "nt"], "shantve": ["sha", "nt", "ve"], "shedve": ["she", "d", "ve"], "shellve": ["she", "ll", "ve"], "shes": ["she", "s"], "shouldnt": ["should", "nt"], "shouldntve": ["should", "nt", "ve"], "shouldve": ["should", "ve"], "thatd": ["that", "d"], "thatdve": ["that", "d", "ve"], "thatll": ["that", "ll"], "thatllve": ["that", "ll", "ve"], "thats": ["that", "s"], "thered": ["there", "d"], "theredve": ["there", "d", "ve"], "therell": ["there", "ll"], "therellve": ["there", "ll", "ve"], "therere": ["there", "re"], "theres": ["there", "s"], "thereve": ["there", "ve"], "thesed": ["these", "d"], "thesedve": ["these", "d", "ve"], "thesell": ["these", "ll"], "thesellve": ["these", "ll", "ve"], "thesere": ["these", "re"], "theseve": ["these", "ve"], "theyd": ["they", "d"], "theydve": ["they", "d", "ve"], "theyll": ["they", "ll"], "theyllve": ["they", "ll", "ve"], "theyre": ["they", "re"], "theyve": ["they", "ve"], "thisd": ["this", "d"], "thisdve": ["this", "d", "ve"], "thisll": ["this", "ll"], "thisllve": ["this", "ll", "ve"], "thiss": ["this", "s"], "thosed": ["those", "d"], "thosedve": ["those", "d", "ve"], "thosell": ["those", "ll"], "thosellve": ["those", "ll", "ve"], "thosere": ["those", "re"], "thoseve": ["those", "ve"], "wasnt": ["was", "nt"], "wed": ["we", "d"], "wedve": ["we", "d", "ve"], "wellve": ["we", "ll", "ve"], "werent": ["were", "nt"], "weve": ["we", "ve"], "whatd": ["what", "d"], "whatdve": ["what", "d", "ve"], "whatll": ["what", "ll"], "whatllve": ["what", "ll", "ve"], "whatre": ["what", "re"], "whats": ["what", "s"], "whatve": ["what", "ve"], "whend": ["when", "d"], "whendve": ["when", "d", "ve"], "whenll": ["when", "ll"], "whenllve": ["when", "ll", "ve"], "whenre": ["when", "re"], "whens": ["when", "s"], "whenve": ["when", "ve"], "whered": ["where", "d"], "wheredve": ["where", "d", "ve"], "wherell": ["where", "ll"], "wherellve": ["where", "ll", "ve"], "wherere": ["where", "re"], "wheres": ["where", "s"], "whereve": ["where", "ve"], "whod": ["who", "d"], "whodve": ["who", "d", "ve"], "wholl": ["who", "ll"], "whollve": ["who", "ll", "ve"], "whos": ["who", "s"], "whove": ["who", "ve"], "whyd": ["why", "d"], "whydve": ["why", "d", "ve"], "whyll": ["why", "ll"], "whyllve": ["why", "ll", "ve"], "whyre": ["why", "re"], "whys": ["why", "s"], "whyve": ["why", "ve"], "wont": ["wo", "nt"], "wontve": ["wo", "nt", "ve"], "wouldnt": ["would", "nt"], "wouldntve": ["would", "nt", "ve"], "wouldve": ["would", "ve"], "yall": ["y", "all"], "youd": ["you", "d"], "youdve": ["you", "d", "ve"], "youll": ["you", "ll"], "youllve": ["you", "ll", "ve"], "youre": ["you", "re"], "youve": ["you", "ve"]
    ]

    typealias Scalars = [Unicode.Scalar]

    static func set(_ s: String) -> Set<Unicode.Scalar> { Set(s.unicodeScalars) }
    // spaCy's English character classes, as far as they survive `simplify_text` (which removes
    // most ASCII punctuation before NFD can bring some back, e.g. "≠" → "=" + mark).
    static let quotes = set(SpacyCharacters.quotes)
    static let punct = set(SpacyCharacters.punct)
    static let currency = set(SpacyCharacters.currency)
    static let prefixOnly = set(SpacyCharacters.prefixOnly)
    static let suffixOnly = set("—–")
    static let hyphens = set(SpacyCharacters.hyphens)
    static let infixAfterAlnum = set(SpacyCharacters.infixAfterAlnum)
    /// spaCy's unit suffixes that can follow a number once text is lowercased.
    static let units: [Scalars] = "km|km²|km³|m|m²|m³|dm|dm²|dm³|cm|cm²|cm³|mm|mm²|mm³|ha|µm|nm|yd|in|ft|kg|g|mg|µg|t|lb|oz|kmh|mph|mbar|mb|kb|gb|tb|км|км²|км³|м|м²|м³|дм|дм²|дм³|см|см²|см³|мм|мм²|мм³|нм|кг|г|мг|мбар|кб|мб|гб|тбكم|كم²|كم³|م|م²|م³|سم|سم²|سم³|مم|مم²|مم³|كم|غرام|جرام|جم|كغ|ملغ|كوب|اكواب"
        .split(separator: "|").map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }
    static let special: [Scalars: [String]] = Dictionary(uniqueKeysWithValues: specialCases.map { (Array($0.key.unicodeScalars), $0.value) })

    @inline(__always) static func isIcon(_ c: Unicode.Scalar) -> Bool {
        c.value >= 0xA6 && ScalarTable.shared.info(c.value) & ScalarTable.icon != 0
    }
    @inline(__always) static func isAlpha(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x80 ? (c.value | 0x20 >= 0x61 && c.value | 0x20 <= 0x7A) : ScalarTable.shared.info(c.value) & ScalarTable.alpha != 0
    }

    /// The special-case split of a (remaining) chunk; only short ASCII strings can be one.
    @inline(__always) static func specialOf(_ s: ArraySlice<Unicode.Scalar>) -> [String]? {
        guard s.count <= 12, s.allSatisfy({ $0.isASCII }) else { return nil }
        return specialCases[String(String.UnicodeScalarView(s))]
    }
    @inline(__always) static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    static func prefixLength(_ s: ArraySlice<Unicode.Scalar>) -> Int {
        guard let c = s.first else { return 0 }
        if c == "…" { var n = 0; for x in s where x == "…" { n += 1 } ; return min(n, 2) > 0 ? (s.prefix(2).allSatisfy { $0 == "…" } && s.count >= 2 ? 2 : 1) : 0 }
        if punct.contains(c) || quotes.contains(c) || currency.contains(c) || prefixOnly.contains(c) || isIcon(c) { return 1 }
        return 0
    }

    static func suffixLength(_ s: ArraySlice<Unicode.Scalar>) -> Int {
        guard let c = s.last else { return 0 }
        if punct.contains(c) || quotes.contains(c) || suffixOnly.contains(c) || isIcon(c) { return 1 }
        let idx = s.endIndex - 1
        if currency.contains(c), idx > s.startIndex, isDigit(s[idx - 1]) { return 1 }
        for u in units where s.count > u.count {
            let start = s.endIndex - u.count
            if s[start...].elementsEqual(u) && isDigit(s[start - 1]) { return u.count }
        }
        return 0
    }

    public func tokenize(_ text: String) -> [String] {
        var out: [String] = []
        let all = Array(text.unicodeScalars)
        var i = 0
        while i < all.count {
            if all[i] == " " { i += 1; continue }
            var j = i
            while j < all.count && all[j] != " " { j += 1 }
            splitChunk(all[i..<j], into: &out)
            i = j
        }
        return out
    }

    /// spaCy's `_split_affixes` then `_attach_tokens` for one whitespace-free chunk.
    func splitChunk(_ chunk: ArraySlice<Unicode.Scalar>, into out: inout [String]) {
        var s = chunk
        var prefixes: [String] = []
        var suffixes: [String] = []
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
                prefixes.append(String(String.UnicodeScalarView(s.prefix(pre))))
                s = s.dropFirst(pre)
            } else if suf > 0 {
                suffixes.append(String(String.UnicodeScalarView(s.suffix(suf))))
                s = s.dropLast(suf)
            }
            if Self.specialOf(s) != nil { break }
        }
        out += prefixes
        if !s.isEmpty {
            if let sc = Self.specialOf(s) { out += sc } else { splitInfixes(s, into: &out) }
        }
        out += suffixes.reversed()
    }

    private func splitInfixes(_ s: ArraySlice<Unicode.Scalar>, into out: inout [String]) {
        var start = s.startIndex
        var i = s.startIndex
        func flush(_ end: Int) { if end > start { out.append(String(String.UnicodeScalarView(s[start..<end]))) } }
        while i < s.endIndex {
            let c = s[i]
            let prev: Unicode.Scalar? = i > s.startIndex ? s[i - 1] : nil
            let next: Unicode.Scalar? = i + 1 < s.endIndex ? s[i + 1] : nil
            var isInfix = c == "…" || Self.isIcon(c)
            if !isInfix, c.value < 0x80 || c == "–" || c == "—", let p = prev, let n = next {
                if Self.infixAfterAlnum.contains(c) && (Self.isAlpha(p) || Self.isDigit(p)) && Self.isAlpha(n) { isInfix = true }
                else if Self.hyphens.contains(c) && (Self.isAlpha(p) || Self.isDigit(p)) && Self.isAlpha(n) { isInfix = true }
                else if c == "," && Self.isAlpha(p) && Self.isAlpha(n) { isInfix = true }
                else if "+-*^".unicodeScalars.contains(c) && Self.isDigit(p) && (Self.isDigit(n) || n == "-") { isInfix = true }
            }
            if isInfix && i > s.startIndex || isInfix && i == s.startIndex && s.count > 1 {
                flush(i)
                out.append(String(c))
                start = i + 1
            }
            i += 1
        }
        flush(s.endIndex)
    }
}

/// Tokens as byte strings in one buffer (no String per token on the hot path).
public struct TokenBuffer: Sendable {
    public var bytes: [UInt8] = []
    public var ends: [Int] = []
    public init() {}
    public var count: Int { ends.count }
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true); ends.removeAll(keepingCapacity: true) }
    @inlinable public func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }
    @inlinable public mutating func append<C: Collection>(_ b: C) where C.Element == UInt8 { bytes.append(contentsOf: b); ends.append(bytes.count) }
    public func string(_ i: Int) -> String { String(decoding: bytes[range(i)], as: UTF8.self) }
}

extension WordTokenizer {
    /// BMP scalars that can start, end or split a token (affixes, infixes, symbols), or that
    /// are ASCII digits (unit suffixes follow digits).
    static let relevant: [Bool] = {
        var t = [Bool](repeating: false, count: 0x10000)
        for v in 0..<0x10000 {
            guard let c = Unicode.Scalar(UInt32(v)) else { continue }
            t[v] = quotes.contains(c) || punct.contains(c) || currency.contains(c) || prefixOnly.contains(c)
                || suffixOnly.contains(c) || hyphens.contains(c) || infixAfterAlnum.contains(c)
                || "…,+-*^".unicodeScalars.contains(c) || (v >= 0x30 && v <= 0x39) || isIcon(c)
        }
        return t
    }()

    /// Whether a non-ASCII chunk holds anything the affix rules act on.
    static func needsSplitting(_ chunk: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = chunk.count
        while i < n {
            let b = chunk[i]
            if b < 0x80 {
                if relevant[Int(b)] { return true }
                i += 1
                continue
            }
            let len = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            if len == 4 { return true }  // outside the BMP: take the careful path
            var v = len == 2 ? UInt32(b & 0x1F) : UInt32(b & 0x0F)
            for q in 1..<len where i + q < n { v = v << 6 | UInt32(chunk[i + q] & 0x3F) }
            if relevant[Int(v)] { return true }
            i += len
        }
        return false
    }

    static let specialBytes: [[UInt8]: [[UInt8]]] = Dictionary(uniqueKeysWithValues: specialCases.map { (Array($0.key.utf8), $0.value.map { Array($0.utf8) }) })
    static let asciiUnits: [[UInt8]] = units.filter { $0.allSatisfy { $0.isASCII } }.map { $0.map { UInt8($0.value) } }

    /// Tokens of simplified UTF-8 text. Chunks of ASCII letters and digits (most of them) take
    /// a byte path: special cases, unit suffixes after a digit; the rest go through `split`.
    public func tokenize(utf8 s: UnsafeBufferPointer<UInt8>, into out: inout TokenBuffer) {
        out.removeAll()
        var i = 0
        let n = s.count
        var scratch: [String] = []
        while i < n {
            if s[i] == 0x20 { i += 1; continue }
            var j = i
            var simple = true
            while j < n && s[j] != 0x20 {
                let b = s[j]
                if !((b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)) { simple = false }
                j += 1
            }
            let chunk = UnsafeBufferPointer(rebasing: s[i..<j])
            if !simple && !Self.needsSplitting(chunk) {
                out.append(chunk)  // e.g. a run of CJK text with nothing spaCy would split off
            } else if simple {
                if chunk.count <= 12, let sc = Self.specialBytes[Array(chunk)] {
                    for t in sc { out.append(t) }
                } else if let u = Self.asciiUnits.first(where: { u in
                    chunk.count > u.count && chunk[chunk.count - u.count - 1] >= 0x30 && chunk[chunk.count - u.count - 1] <= 0x39
                        && chunk.suffix(u.count).elementsEqual(u)
                }) {
                    out.append(chunk.prefix(chunk.count - u.count))
                    out.append(u)
                } else {
                    out.append(chunk)
                }
            } else {
                scratch.removeAll(keepingCapacity: true)
                let scalars = Array(String(decoding: chunk, as: UTF8.self).unicodeScalars)
                splitChunk(scalars[...], into: &scratch)
                for t in scratch { out.append(Array(t.utf8)) }
            }
            i = j
        }
    }
}

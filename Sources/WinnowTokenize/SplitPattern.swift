// The pre-tokenizer split patterns in use (GPT-2, cl100k, o200k, Qwen, Qwen3.5, Llama-3), as a
// hand-written scanner instead of a regex engine. Each alternative of a pattern is a function
// returning where that alternative's first backtracking match ends; alternatives are tried in
// order at each position (leftmost-first, as fancy-regex and Oniguruma do). Every pattern here
// matches at every position, so no text is ever skipped. Cost is linear: each alternative scans
// one run of a class and at most rescans it once.

/// The shape of one pattern family; `SplitPattern.known` maps each exact pattern string to one.
public struct SplitRules: Sendable, Equatable {
    public enum Letters: Sendable, Equatable {
        /// ` ?\p{L}+` (GPT-2).
        case spacePrefixed
        /// `[^\r\n\p{L}\p{N}]?X+` where X is `\p{L}` or, with marks, `[\p{L}\p{M}]` (cl100k, Qwen).
        case anyPrefixed(withMarks: Bool)
        /// o200k's two case-aware alternatives, each with an optional contraction suffix.
        case cased
    }
    public enum Contractions: Sendable, Equatable {
        /// `'s|'t|'re|'ve|'m|'ll|'d` as its own first alternative, case-sensitive (GPT-2).
        case leadingSensitive
        /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)` as the first alternative (cl100k, Qwen).
        case leadingInsensitive
        /// Only as o200k's optional suffix of the letter alternatives.
        case suffix
    }
    public var contractions: Contractions
    public var letters: Letters
    /// `\p{N}{1,maxDigits}`; GPT-2's ` ?\p{N}+` is `digitsSpacePrefixed` with no maximum.
    public var maxDigits: Int
    public var digitsSpacePrefixed: Bool
    /// ` ?[^\s\p{L}\p{N}]+` also excludes `\p{M}` (Qwen3.5).
    public var punctuationExcludesMarks: Bool
    /// What may follow punctuation: `[\r\n]*` (cl100k), `[\r\n/]*` (o200k), nothing (GPT-2).
    public var punctuationTrailsNewlines: Bool
    public var punctuationTrailsSlash: Bool
    /// `\s*[\r\n]+` (or `\s*[\r\n]`) before `\s+(?!\S)`.
    public var newlineRuns: Bool
    /// `\s++$` first among the whitespace alternatives (tiktoken's newer cl100k form).
    public var spaceRunToEnd: Bool
}

public enum SplitPattern {
    public static let gpt2 = SplitRules(
        contractions: .leadingSensitive, letters: .spacePrefixed, maxDigits: Int.max, digitsSpacePrefixed: true,
        punctuationExcludesMarks: false, punctuationTrailsNewlines: false, punctuationTrailsSlash: false,
        newlineRuns: false, spaceRunToEnd: false)
    /// cl100k as written before tiktoken's possessive rewrite; also Llama-3's Split regex.
    public static let cl100kClassic = SplitRules(
        contractions: .leadingInsensitive, letters: .anyPrefixed(withMarks: false), maxDigits: 3, digitsSpacePrefixed: false,
        punctuationExcludesMarks: false, punctuationTrailsNewlines: true, punctuationTrailsSlash: false,
        newlineRuns: true, spaceRunToEnd: false)
    /// tiktoken ≥ 0.8's cl100k: a whitespace run reaching the end of text stays one piece.
    public static let cl100k: SplitRules = { var r = cl100kClassic; r.spaceRunToEnd = true; return r }()
    public static let qwen: SplitRules = { var r = cl100kClassic; r.maxDigits = 1; return r }()
    public static let qwen3_5: SplitRules = {
        var r = qwen; r.letters = .anyPrefixed(withMarks: true); r.punctuationExcludesMarks = true; return r
    }()
    public static let o200k = SplitRules(
        contractions: .suffix, letters: .cased, maxDigits: 3, digitsSpacePrefixed: false,
        punctuationExcludesMarks: false, punctuationTrailsNewlines: true, punctuationTrailsSlash: true,
        newlineRuns: true, spaceRunToEnd: false)

    static let o200kText = [
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
        #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
        #"\p{N}{1,3}"#, #" ?[^\s\p{L}\p{N}]+[\r\n/]*"#, #"\s*[\r\n]+"#, #"\s+(?!\S)"#, #"\s+"#,
    ].joined(separator: "|")

    /// Exact pattern strings (as tiktoken, Qwen and HF tokenizer.json files spell them).
    public static let known: [String: SplitRules] = [
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#: gpt2,
        #"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"#: gpt2,
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#: cl100kClassic,
        #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#: cl100k,
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#: qwen,
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#: qwen3_5,
        o200kText: o200k,
    ]

    /// Named families for the CLI (`--pattern`).
    public static let named: [String: SplitRules] = [
        "gpt2": gpt2, "cl100k": cl100k, "llama3": cl100kClassic, "o200k": o200k, "qwen": qwen, "qwen3_5": qwen3_5,
    ]

    /// Canonical pattern text of each family (what a written tokenizer.json carries).
    public static func text(of rules: SplitRules) -> String? {
        if rules == gpt2 { return #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"# }
        if rules == o200k { return o200kText }
        return known.first { $0.value == rules && !$0.key.contains("++") }?.key
    }
}

/// Splits UTF-8 text into pre-tokens with one `SplitRules`.
struct PieceSplitter: @unchecked Sendable {
    let rules: SplitRules
    private let classes: SplitCharClasses

    /// `unicode`: the Unicode version of the reference engine's tables.
    private let ascii: UnsafePointer<UInt8>
    /// The letter alternative's run class when it starts at an ASCII letter or a space before
    /// one (GPT-2, cl100k, Qwen; 0 for o200k's cased letters).
    private let asciiWord: UInt8
    /// o200k's cased letter alternatives (an ASCII word takes `casedASCIIWord`).
    private let cased: Bool
    /// Pieces that start at another ASCII byte take `asciiPieceEnd` (cl100k, Qwen, o200k).
    private let asciiRest: Bool

    /// `shortcuts`: false scans every piece with the general alternatives (tests compare).
    init(_ rules: SplitRules, unicode: SplitCharClasses.Version, shortcuts: Bool = true) {
        self.rules = rules
        classes = SplitCharClasses.tables(unicode)
        ascii = classes.asciiFlags
        let word: UInt8
        switch rules.letters {
        case .spacePrefixed: word = CharFlag.letter
        case .anyPrefixed(let withMarks): word = withMarks ? CharFlag.letter | CharFlag.mark : CharFlag.letter
        case .cased: word = 0
        }
        asciiWord = shortcuts ? word : 0
        // (Only with the contractions as a suffix: a leading contraction alternative would
        // have to be tried before the letters.)
        cased = shortcuts && rules.letters == .cased && rules.contractions == .suffix
        switch rules.letters {
        case .anyPrefixed: asciiRest = shortcuts && rules.contractions == .leadingInsensitive && !rules.digitsSpacePrefixed
        case .cased: asciiRest = cased && !rules.digitsSpacePrefixed
        case .spacePrefixed: asciiRest = false
        }
    }

    /// Calls `body(start, end)` for each piece of `s` in order; the pieces tile `s`.
    @inline(__always)
    func forEachPiece(_ s: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        var p = 0
        let n = s.count
        while p < n {
            let e = pieceEnd(s, p)
            body(p, e)
            p = e
        }
    }

    // MARK: code points

    /// Flags and byte length of the code point at `i` (valid UTF-8).
    @inline(__always) private func at(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt8, Int) {
        let b = s[i]
        if b < 0x80 { return (ascii[Int(b)], 1) }
        var c: UInt32, len: Int
        if b < 0xE0 {
            c = UInt32(b & 0x1F) << 6 | UInt32(s[i + 1] & 0x3F); len = 2
        } else if b < 0xF0 {
            c = UInt32(b & 0x0F) << 12 | UInt32(s[i + 1] & 0x3F) << 6 | UInt32(s[i + 2] & 0x3F); len = 3
        } else {
            c = UInt32(b & 0x07) << 18 | UInt32(s[i + 1] & 0x3F) << 12 | UInt32(s[i + 2] & 0x3F) << 6 | UInt32(s[i + 3] & 0x3F)
            len = 4
        }
        return (classes.flags(c), len)
    }


    /// End of the run of code points whose flags meet `mask`, from `i`.
    @inline(__always) private func run(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, _ mask: UInt8) -> Int {
        var j = i
        let n = s.count
        while j < n {
            let (f, len) = at(s, j)
            if f & mask == 0 { break }
            j += len
        }
        return j
    }

    /// End of `'s|'t|'re|'ve|'m|'ll|'d` at `i` (an apostrophe), case-insensitive when asked
    /// (then `ſ` U+017F also matches `s`, by Unicode simple case folding), or nil.
    @inline(__always) private func contraction(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, insensitive: Bool) -> Int? {
        let n = s.count
        guard i + 1 < n, s[i] == 0x27 else { return nil }
        var c = s[i + 1]
        if insensitive {
            if c == 0xC5, i + 2 < n, s[i + 2] == 0xBF { return i + 3 }  // ſ
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
        }
        switch c {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"): return i + 2
        case UInt8(ascii: "r"), UInt8(ascii: "v"), UInt8(ascii: "l"):
            guard i + 2 < n else { return nil }
            var d = s[i + 2]
            if insensitive && d >= 0x41 && d <= 0x5A { d |= 0x20 }
            let want: UInt8 = c == UInt8(ascii: "l") ? UInt8(ascii: "l") : UInt8(ascii: "e")
            return d == want ? i + 3 : nil
        default: return nil
        }
    }

    // MARK: the alternatives, in pattern order

    @inline(__always) private func pieceEnd(_ s: UnsafeBufferPointer<UInt8>, _ p: Int) -> Int {
        let b0 = s[p]
        // Fast path: an ASCII letter, or a space then an ASCII letter, starts a letter run
        // (the contraction alternative needs an apostrophe first).
        if asciiWord != 0 && b0 < 0x80 {
            var q = p
            if b0 == 0x20 { q = p &+ 1 }
            if q < s.count, s[q] < 0x80, ascii[Int(s[q])] & CharFlag.letter != 0 {
                // ASCII letters are letters (and not marks) in every table.
                let j = ASCIIRun.end(s, q &+ 1, ASCIIRun.letter)
                if j == s.count { return j }
                return s[j] >= 0x80 ? run(s, j, asciiWord) : j
            }
        }
        if cased && b0 < 0x80 {
            // The commonest o200k piece inline: an optional space, then lowercase ASCII letters
            // ended by an ASCII byte other than an apostrophe ([U]* is empty and [L]+ stops
            // there; a non-ASCII letter or a contraction would go on, so those take the full path).
            let q = b0 == 0x20 ? p &+ 1 : p
            if q < s.count && s[q] &- 0x61 < 26 {
                let e = ASCIIRun.end(s, q &+ 1, ASCIIRun.lower)
                if e == s.count || (s[e] < 0x80 && s[e] != 0x27) { return e }
            }
            if !asciiRest, let e = casedASCIIWord(s, p, b0) { return e }
        }
        if asciiRest && b0 < 0x80, let e = asciiPieceEnd(s, p, b0) { return e }
        let (f0, len0) = at(s, p)
        if b0 == 0x27 {
            switch rules.contractions {
            case .leadingSensitive: if let e = contraction(s, p, insensitive: false) { return e }
            case .leadingInsensitive: if let e = contraction(s, p, insensitive: true) { return e }
            case .suffix: break
            }
        }
        let notPrefix = CharFlag.newline | CharFlag.letter | CharFlag.number
        switch rules.letters {
        case .spacePrefixed:
            if b0 == 0x20, p + 1 < s.count {
                let (f1, _) = at(s, p + 1)
                if f1 & CharFlag.letter != 0 { return run(s, p + 1, CharFlag.letter) }
            }
            if f0 & CharFlag.letter != 0 { return run(s, p + len0, CharFlag.letter) }
        case .anyPrefixed(let withMarks):
            let word = withMarks ? CharFlag.letter | CharFlag.mark : CharFlag.letter
            if f0 & notPrefix == 0 {
                let e = run(s, p + len0, word)
                if e > p + len0 { return e }
            }
            if f0 & word != 0 { return run(s, p + len0, word) }
        case .cased:
            if let e = casedLetters(s, p, f0, len0, notPrefix) { return e }
        }
        if f0 & CharFlag.number != 0 || (rules.digitsSpacePrefixed && b0 == 0x20) {
            if rules.digitsSpacePrefixed {
                let start = b0 == 0x20 ? p + 1 : p
                if start < s.count, at(s, start).0 & CharFlag.number != 0 { return run(s, start, CharFlag.number) }
            } else {
                var e = p, k = 0
                while e < s.count && k < rules.maxDigits {
                    let (f, len) = at(s, e)
                    if f & CharFlag.number == 0 { break }
                    e += len; k += 1
                }
                return e
            }
        }
        // ` ?[^\s\p{L}\p{N}]+` then the trailing newlines (and slashes)
        let punctStop = CharFlag.space | CharFlag.letter | CharFlag.number | (rules.punctuationExcludesMarks ? CharFlag.mark : 0)
        let pStart = b0 == 0x20 ? p + 1 : p
        if pStart < s.count && at(s, pStart).0 & punctStop == 0 {
            var e = pStart
            while e < s.count {
                let (f, len) = at(s, e)
                if f & punctStop != 0 { break }
                e += len
            }
            return trailingNewlines(s, e)
        }
        // Whitespace: f0 has `space` here (every other class matched above).
        var lastNewlineEnd = -1, lastStart = p, e = p
        while e < s.count {
            let (f, len) = at(s, e)
            if f & CharFlag.space == 0 { break }
            if f & CharFlag.newline != 0 { lastNewlineEnd = e + len }
            lastStart = e
            e += len
        }
        if e == p { return p + len0 }  // unreachable for the known patterns; never stall
        return whitespaceEnd(s, p, e, lastStart: lastStart, lastNewlineEnd: lastNewlineEnd)
    }

    /// Where the whitespace alternatives (`\s*[\r\n]+`, `\s+(?!\S)`, `\s+`) end a piece
    /// starting at p, given the run of whitespace p..<e (non-empty), the start of its last
    /// character, and the end of its last newline (-1: none).
    @inline(__always)
    private func whitespaceEnd(_ s: UnsafeBufferPointer<UInt8>, _ p: Int, _ e: Int, lastStart: Int, lastNewlineEnd: Int) -> Int {
        if rules.spaceRunToEnd && e == s.count { return e }
        if rules.newlineRuns && lastNewlineEnd >= 0 { return lastNewlineEnd }
        if e == s.count { return e }          // \s+(?!\S) at the end of text
        if lastStart > p { return lastStart } // \s+(?!\S): all but the last space
        return e                              // \s+ of one character
    }

    /// `e` moved past the newlines (and slashes) a punctuation run takes after it, per the pattern.
    @inline(__always)
    private func trailingNewlines(_ s: UnsafeBufferPointer<UInt8>, _ e0: Int) -> Int {
        guard rules.punctuationTrailsNewlines else { return e0 }
        var e = e0
        while e < s.count {
            let c = s[e]
            guard c == 0x0A || c == 0x0D || (rules.punctuationTrailsSlash && c == 0x2F) else { break }
            e &+= 1
        }
        return e
    }

    /// A piece that starts at an ASCII byte, for the cl100k, Qwen and o200k shapes, when ASCII
    /// bytes alone decide where it ends; nil when a non-ASCII byte takes part (the general
    /// alternatives below then decide). The same alternatives in the same order: letters
    /// (after a one-character prefix), digits, punctuation, whitespace. Punctuation, spaces
    /// and digits are a third of English pieces, and the general path tries both letter
    /// alternatives on them, a code point at a time, before getting there.
    @inline(__always)
    private func asciiPieceEnd(_ s: UnsafeBufferPointer<UInt8>, _ p: Int, _ b0: UInt8) -> Int? {
        let n = s.count
        let f0 = ascii[Int(b0)]
        let p1 = p &+ 1
        // (cl100k's and Qwen's ASCII words took the shortcut above.)
        if f0 & CharFlag.letter != 0 { return cased ? casedASCIIWord(s, p, b0) : nil }
        if f0 & CharFlag.number != 0 {
            // \p{N}{1,k}: a digit is neither a letter nor a letter's prefix.
            var e = p1, k = 1
            while k < rules.maxDigits && e < n {
                let c = s[e]
                if c >= 0x80 { return nil }
                if ascii[Int(c)] & CharFlag.number == 0 { break }
                e &+= 1; k &+= 1
            }
            return e
        }
        if b0 == 0x27 && !cased, let e = contraction(s, p, insensitive: true) { return e }
        if p1 == n { return n }  // one punctuation or whitespace character ends the text
        let b1 = s[p1]
        if b1 >= 0x80 { return nil }
        let f1 = ascii[Int(b1)]
        if f1 & CharFlag.letter != 0 && f0 & CharFlag.newline == 0 {
            // b0 is the letters' optional prefix ([^\r\n\p{L}\p{N}]).
            if cased { return casedASCIIWord(s, p, b0) }
            let j = ASCIIRun.end(s, p1 &+ 1, ASCIIRun.letter)
            if j == n { return j }
            return s[j] >= 0x80 ? run(s, j, asciiWord) : j
        }
        // No letter alternative matches at p, nor the digits.
        let punctStop = CharFlag.space | CharFlag.letter | CharFlag.number
        var e: Int
        if f0 & CharFlag.space == 0 {
            e = p1                                         // [^\s\p{L}\p{N}]+ from b0
        } else if b0 == 0x20 && f1 & punctStop == 0 {
            e = p1 &+ 1                                    // " ?" then from b1
        } else {
            // \s*[\r\n]+, \s+(?!\S), \s+ (as the general path below).
            var lastNewlineEnd = -1, lastStart = p
            e = p
            while e < n {
                let c = s[e]
                if c >= 0x80 { return nil }
                let f = ascii[Int(c)]
                if f & CharFlag.space == 0 { break }
                if f & CharFlag.newline != 0 { lastNewlineEnd = e &+ 1 }
                lastStart = e
                e &+= 1
            }
            return whitespaceEnd(s, p, e, lastStart: lastStart, lastNewlineEnd: lastNewlineEnd)
        }
        while e < n {
            let c = s[e]
            if c >= 0x80 { return nil }
            if ascii[Int(c)] & punctStop != 0 { break }
            e &+= 1
        }
        return trailingNewlines(s, e)
    }

    /// o200k's letter alternatives, each tried with and then without the optional prefix.
    @inline(__always)
    private func casedLetters(_ s: UnsafeBufferPointer<UInt8>, _ p: Int, _ f0: UInt8, _ len0: Int, _ notPrefix: UInt8) -> Int? {
        let n = s.count
        let hasPrefix = f0 & notPrefix == 0
        // [U]*[L]+ : U-run, then an L-run after it, else end after the run's last L character.
        var start = hasPrefix ? p + len0 : p
        while true {
            var e = start, lastLowerEnd = -1
            while e < n {
                let (f, len) = at(s, e)
                if f & CharFlag.upperish == 0 { break }
                e += len
                if f & CharFlag.lowerish != 0 { lastLowerEnd = e }
            }
            if e < n && at(s, e).0 & CharFlag.lowerish != 0 {
                return suffixContraction(s, run(s, e, CharFlag.lowerish))
            }
            if lastLowerEnd >= 0 { return suffixContraction(s, lastLowerEnd) }
            if start == p { break }
            start = p
        }
        // [U]+[L]*
        start = hasPrefix ? p + len0 : p
        while true {
            let e = run(s, start, CharFlag.upperish)
            if e > start { return suffixContraction(s, run(s, e, CharFlag.lowerish)) }
            if start == p { break }
            start = p
        }
        return nil
    }

    /// `casedLetters` for a word of ASCII letters, with an optional ASCII prefix, that ends
    /// at an ASCII byte; nil for anything else (the general scanner decides). In ASCII, U is
    /// [A-Z] and L is [a-z], so [U]*[L]+ is the upper run then the lower run after it, and
    /// when no lower letter follows, [U]+[L]* is the upper run alone.
    @inline(__always)
    private func casedASCIIWord(_ s: UnsafeBufferPointer<UInt8>, _ p: Int, _ b0: UInt8) -> Int? {
        let n = s.count
        var q = p
        if ascii[Int(b0)] & (CharFlag.newline | CharFlag.letter | CharFlag.number) == 0 { q &+= 1 }
        guard q < n else { return nil }
        var c = s[q]
        guard c < 0x80, ascii[Int(c)] & CharFlag.letter != 0 else { return nil }
        var e = q
        if c &- 0x41 < 26 {
            e = ASCIIRun.end(s, e, ASCIIRun.upper)
            if e == n { return e }
            c = s[e]
        }
        if c &- 0x61 < 26 {
            e = ASCIIRun.end(s, e, ASCIIRun.lower)
            if e == n { return e }
            c = s[e]
        }
        // (e > q always: s[q] is a letter, so one of the runs took it; the check keeps a
        // broken class from ever yielding an empty piece.)
        if c >= 0x80 || e == q { return nil }
        return suffixContraction(s, e)
    }

    @inline(__always) private func suffixContraction(_ s: UnsafeBufferPointer<UInt8>, _ e: Int) -> Int {
        if e < s.count && s[e] == 0x27, let c = contraction(s, e, insensitive: true) { return c }
        return e
    }
}

/// Runs of ASCII letter classes, eight bytes at a time (SWAR): each class test sets bit 7 of
/// the bytes in the class. Bytes of 0x80 and above are in no class.
enum ASCIIRun {
    private static let high: UInt64 = 0x8080_8080_8080_8080
    private static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// Bytes in lo...hi (both below 0x80): adding 0x80 - lo sets bit 7 from lo up, adding
    /// 0x80 - (hi + 1) from hi + 1 up; 7-bit bytes never carry into the next byte.
    @inline(__always) private static func within(_ w: UInt64, _ lo: UInt64, _ hi: UInt64) -> UInt64 {
        let x = w & low7
        let ones: UInt64 = 0x0101_0101_0101_0101
        return (x &+ (0x80 &- lo) &* ones) & ~(x &+ (0x7F &- hi) &* ones) & ~w & high
    }

    @inline(__always) static func upper(_ w: UInt64) -> UInt64 { within(w, 0x41, 0x5A) }
    @inline(__always) static func lower(_ w: UInt64) -> UInt64 { within(w, 0x61, 0x7A) }
    /// A-Z or a-z: setting bit 5 folds A-Z onto a-z and nothing else onto it.
    @inline(__always) static func letter(_ w: UInt64) -> UInt64 { within(w | 0x2020_2020_2020_2020, 0x61, 0x7A) & ~w }

    /// The first index at or after `i` whose byte is not in `inClass`, or s.count.
    @inline(__always) static func end(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, _ inClass: (UInt64) -> UInt64) -> Int {
        let n = s.count
        let raw = UnsafeRawPointer(s.baseAddress!)
        var j = i
        while j &+ 8 <= n {
            let out = ~inClass(raw.loadUnaligned(fromByteOffset: j, as: UInt64.self)) & high
            if out != 0 { return j &+ out.trailingZeroBitCount >> 3 }
            j &+= 8
        }
        if j < n {
            // The last bytes as one word ending at n (those before j are in the class).
            let k = n &- j
            var w: UInt64 = 0
            if n >= 8 {
                w = raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) >> UInt64(8 &* (8 &- k))
            } else {
                for t in 0..<k { w |= UInt64(raw.load(fromByteOffset: j &+ t, as: UInt8.self)) << UInt64(8 &* t) }
            }
            // Bytes past the end read as 0, which is in no class.
            let out = ~inClass(w) & high
            return j &+ min(k, out.trailingZeroBitCount >> 3)
        }
        return j
    }
}

import WinnowText

/// CT-LLM's link removal (`url_filter` in `filter/filter.py`): three `re.sub` passes, each on
/// the previous one's output, reproduced with Python `re`'s leftmost-first, greedy-then-backtrack
/// semantics and its Unicode `\s`, `\w` and `\b`, on UTF-8 bytes:
/// (a) `https?://…` or `www.…` up to whitespace, `,`, `，` or a character in U+4E00–U+9FA5;
/// (b) three `[A-Za-z0-9-]+` labels each followed by a dot, then the rest of the run of
///     `[A-Za-z0-9.-]` (dots and empty labels included);
/// (c) `\b[A-Za-z0-9.-]+\.[a-z]{2,6}\b` not preceded by a character in U+4E00–U+9FA5.
/// (b) and (c) only ever match inside a maximal run of `[A-Za-z0-9.-]` (a "run" below), so each
/// run is decided on its own; every pattern character is ASCII.
enum LinkRemover {
    /// `[A-Za-z0-9-]`
    @inline(__always) static func isLabel(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2D
    }
    /// `[A-Za-z0-9.-]`
    @inline(__always) static func isRun(_ b: UInt8) -> Bool { isLabel(b) || b == 0x2E }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }

    /// The code point of the UTF-8 sequence starting at i, and its length.
    @inline(__always) static func decode(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b = s[i]
        if b < 0x80 { return (UInt32(b), 1) }
        if b < 0xE0, i + 1 < s.count { return (UInt32(b & 0x1F) << 6 | UInt32(s[i + 1] & 0x3F), 2) }
        if b < 0xF0, i + 2 < s.count { return (UInt32(b & 0x0F) << 12 | UInt32(s[i + 1] & 0x3F) << 6 | UInt32(s[i + 2] & 0x3F), 3) }
        if i + 3 < s.count { return (UInt32(b & 0x07) << 18 | UInt32(s[i + 1] & 0x3F) << 12 | UInt32(s[i + 2] & 0x3F) << 6 | UInt32(s[i + 3] & 0x3F), 4) }
        return (0xFFFD, 1)
    }

    @inline(__always) static func isHan(_ v: UInt32) -> Bool { v >= 0x4E00 && v <= 0x9FA5 }
    /// Python's `\w` (str.isalnum() or `_`): Han, kana, accented letters and `²` included.
    @inline(__always) static func isWord(_ v: UInt32) -> Bool {
        v < 0x80 ? (isLabel(UInt8(v)) && v != 0x2D) || v == 0x5F : CharClass.of(v) & CharClass.word != 0
    }

    /// The first index ≥ i holding an ASCII byte (or s.count), eight bytes at a time: every
    /// pattern is ASCII, and Chinese text is mostly bytes ≥ 0x80.
    @inline(__always) static func nextASCII(_ s: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        var i = i
        guard let base = s.baseAddress else { return s.count }
        while i + 8 <= s.count && UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0x8080_8080_8080_8080 { i += 8 }
        while i < s.count && s[i] >= 0x80 { i += 1 }
        return i
    }

    static func previousScalar(_ s: UnsafeBufferPointer<UInt8>, before i: Int) -> UInt32? {
        guard i > 0 else { return nil }
        var j = i - 1
        while j > 0 && s[j] & 0xC0 == 0x80 { j -= 1 }
        return decode(s, at: j).0
    }

    /// Which passes could match: (a) needs `http` or `www.`; (b) three dots in one run each
    /// right after a label character; (c) a dot followed by two lowercase letters. Decimal
    /// numbers such as 3.14, and 。 made a dot before Chinese text, are none of these. A pass
    /// never makes a new chance for a later one (what follows a removed span is not a run
    /// character), so the answers, taken on the text before (a), hold for the later passes.
    struct Candidates: OptionSet {
        let rawValue: UInt8
        static let urls = Candidates(rawValue: 1), fourLabels = Candidates(rawValue: 2), tld = Candidates(rawValue: 4)
        static let names: Candidates = [.fourLabels, .tld]
        static let all: Candidates = [.urls, .fourLabels, .tld]
    }

    static func candidates(_ b: UnsafeBufferPointer<UInt8>) -> Candidates {
        let n = b.count
        var found: Candidates = []
        var labelDots = 0
        var i = 0
        while i < n {
            let c = b[i]
            if c >= 0x80 { labelDots = 0; i = nextASCII(b, from: i); continue }
            switch c {
            case 0x2E:
                if i > 0 && isLabel(b[i - 1]) { labelDots += 1; if labelDots >= 3 { found.insert(.fourLabels) } }
                if i + 2 < n && isLower(b[i + 1]) && isLower(b[i + 2]) { found.insert(.tld) }
            case 0x68: if i + 3 < n && b[i + 1] == 0x74 && b[i + 2] == 0x74 && b[i + 3] == 0x70 { found.insert(.urls) }  // http
            case 0x77: if i + 3 < n && b[i + 1] == 0x77 && b[i + 2] == 0x77 && b[i + 3] == 0x2E { found.insert(.urls) }  // www.
            default: if !isRun(c) { labelDots = 0 }
            }
            if found == .all { break }
            i += 1
        }
        return found
    }

    static func remove(_ text: String) -> String {
        var t = text
        let found = t.withUTF8(candidates)
        if found.isEmpty { return text }
        return remove(utf8: Array(text.utf8), found).map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// The text without links (the passes `found` allows); nil when there were none.
    static func remove(utf8 bytes: [UInt8], _ found: Candidates) -> [UInt8]? {
        var current: [UInt8]? = nil
        if found.contains(.urls) { current = bytes.withUnsafeBufferPointer(removeURLs) ?? current }
        if found.contains(.fourLabels) { current = (current ?? bytes).withUnsafeBufferPointer(removeFourLabels) ?? current }
        if found.contains(.tld) { current = (current ?? bytes).withUnsafeBufferPointer(removeNames) ?? current }
        return current
    }

    /// Copies what is kept of `s` into `out`, which exists only once something was removed.
    struct Splicer {
        var out: [UInt8]? = nil
        var copied = 0
        mutating func remove(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
            if out == nil { out = []; out!.reserveCapacity(s.count) }
            out!.append(contentsOf: UnsafeBufferPointer(rebasing: s[copied..<range.lowerBound]))
            copied = range.upperBound
        }
        mutating func finish(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
            out?.append(contentsOf: UnsafeBufferPointer(rebasing: s[copied...]))
            return out
        }
    }

    @inline(__always) static func starts(_ s: UnsafeBufferPointer<UInt8>, _ at: Int, _ p: StaticString) -> Bool {
        let n = p.utf8CodeUnitCount
        guard at + n <= s.count else { return false }
        return p.withUTF8Buffer { pb in
            for k in 0..<n where s[at + k] != pb[k] { return false }
            return true
        }
    }

    /// (a): `http://`, `https://` or `www.` up to whitespace, `,`, `，` or a Han character.
    static func removeURLs(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var splice = Splicer()
        var i = 0
        while i < s.count {
            let b = s[i]
            if (b == 0x68 && (starts(s, i, "https://") || starts(s, i, "http://"))) || (b == 0x77 && starts(s, i, "www.")) {
                let start = i
                while i < s.count {
                    let (v, length) = decode(s, at: i)
                    if MapCCFilter.isSpace(v) || v == 0x2C || v == 0xFF0C || isHan(v) { break }
                    i += length
                }
                splice.remove(s, start..<i)
                continue
            }
            i = b >= 0x80 ? nextASCII(s, from: i) : i + 1
        }
        return splice.finish(s)
    }

    /// The next maximal run of `[A-Za-z0-9.-]` at or after `i`, if any.
    @inline(__always) static func nextRun(_ s: UnsafeBufferPointer<UInt8>, from i: Int) -> Range<Int>? {
        var i = i
        while i < s.count {
            let b = s[i]
            if b >= 0x80 { i = nextASCII(s, from: i); continue }
            if !isRun(b) { i += 1; continue }
            var j = i + 1
            while j < s.count && isRun(s[j]) { j += 1 }
            return i..<j
        }
        return nil
    }

    /// (b) `[a-zA-Z0-9-]+\.[a-zA-Z0-9-]+\.[a-zA-Z0-9-]+\.[a-zA-Z0-9.-]+\.?`: the leftmost match
    /// starts at the first label (the text between two dots, or a run's edge) that, with the
    /// next two, is non-empty and followed by a dot, with something after the third dot; the
    /// greedy tail then takes the rest of the run.
    static func removeFourLabels(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var splice = Splicer()
        var from = 0
        while let run = nextRun(s, from: from) {
            from = run.upperBound
            /// The end of the label starting at p (the next dot, or the run's end).
            @inline(__always) func labelEnd(_ p: Int) -> Int {
                var q = p
                while q < run.upperBound && s[q] != 0x2E { q += 1 }
                return q
            }
            var start = run.lowerBound
            while start < run.upperBound {
                var p = start, ok = true
                for _ in 0..<3 {
                    let e = labelEnd(p)
                    if e == p || e == run.upperBound { ok = false; break }
                    p = e + 1
                }
                if ok && p < run.upperBound {
                    splice.remove(s, start..<run.upperBound)
                    break
                }
                let e = labelEnd(start)
                if e == run.upperBound { break }
                start = e + 1
            }
        }
        return splice.finish(s)
    }

    /// (c) `(?<![\u4e00-\u9fa5])(\b[a-zA-Z0-9.-]+\.[a-z]{2,6}\b)`. Inside a run, backtracking
    /// settles on the last dot followed by 2–6 lowercase letters and a word boundary (the
    /// letters must end there: a seventh, or a digit, capital, `_`, Han… after them is no
    /// boundary); the match starts at the first position before that dot where the previous
    /// character is not Han and `\b` holds (word-ness changes, looking at the characters
    /// outside the run too), and ends after the letters. Nothing after it in the run matches.
    static func removeNames(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var splice = Splicer()
        var from = 0
        while let run = nextRun(s, from: from) {
            from = run.upperBound
            // The last dot with a valid ending, scanning back; `lower` counts the lowercase
            // letters from k + 1 on.
            var dot = -1, letters = 0, lower = 0
            var k = run.upperBound - 1
            while k >= run.lowerBound {
                let b = s[k]
                if b == 0x2E && lower >= 2 && lower <= 6 {
                    let after = k + 1 + lower
                    if after == s.count || !isWord(after < run.upperBound ? UInt32(s[after]) : decode(s, at: after).0) {
                        dot = k; letters = lower; break
                    }
                }
                lower = isLower(b) ? lower + 1 : 0
                k -= 1
            }
            guard dot > run.lowerBound else { continue }  // the name before the dot is not empty
            var previous = previousScalar(s, before: run.lowerBound)
            for i in run.lowerBound..<dot {
                let here = UInt32(s[i])
                let boundary = isWord(previous ?? 0x20) != isWord(here)
                if boundary && !(previous.map(isHan) ?? false) {
                    splice.remove(s, i..<(dot + 1 + letters))
                    break
                }
                previous = here
            }
        }
        return splice.finish(s)
    }
}

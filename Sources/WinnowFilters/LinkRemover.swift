/// CT-LLM's link removal, three passes: (a) `http(s)://…` or `www.…` up to whitespace, a comma
/// (`,` `，`) or a Han character; (b) dotted names of four or more `[A-Za-z0-9-]` labels;
/// (c) a bare `label.tld` (tld of 2–6 lowercase letters) not preceded by a Han character.
/// Works on UTF-8 bytes (every pattern is ASCII).
enum LinkRemover {
    @inline(__always) static func isLabel(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2D
    }

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

    /// Which passes could match: (a) needs `http` or `www.`; (b) and (c) need a dot between a
    /// label character and a lowercase letter (a possible `label.tld`) or three dots inside one
    /// run of labels (four labels). Decimal numbers such as 3.14, common in Chinese text, are
    /// none of these. Removing URLs never makes a new dotted name (what follows a removed URL
    /// is whitespace, a comma, a Han character or the end), so both answers hold for the text
    /// pass (a) leaves.
    struct Candidates: OptionSet {
        let rawValue: UInt8
        static let urls = Candidates(rawValue: 1), names = Candidates(rawValue: 2)
    }

    static func candidates(_ b: UnsafeBufferPointer<UInt8>) -> Candidates {
        let n = b.count
        var found: Candidates = []
        var dots = 0
        var i = 0
        while i < n {
            let c = b[i]
            if c >= 0x80 { dots = 0; i = nextASCII(b, from: i); continue }
            switch c {
            case 0x2E:
                if i > 0 && i + 1 < n && isLabel(b[i - 1]) && isLabel(b[i + 1]) {
                    dots += 1
                    if (b[i + 1] >= 0x61 && b[i + 1] <= 0x7A) || dots >= 3 { found.insert(.names) }
                } else {
                    dots = 0
                }
            case 0x68: if i + 3 < n && b[i + 1] == 0x74 && b[i + 2] == 0x74 && b[i + 3] == 0x70 { found.insert(.urls) }  // http
            case 0x77: if i + 3 < n && b[i + 1] == 0x77 && b[i + 2] == 0x77 && b[i + 3] == 0x2E { found.insert(.urls) }  // www.
            default: if !isLabel(c) { dots = 0 }
            }
            if found == [.urls, .names] { break }
            i += 1
        }
        return found
    }

    static func remove(_ text: String) -> String {
        // Every pattern needs `http`/`www.` or a dot between two label characters; Chinese text
        // (whose 。 became a dot) usually has neither.
        var t = text
        let found = t.withUTF8(candidates)
        if found.isEmpty { return text }
        return remove(utf8: Array(text.utf8), found).map { String(decoding: $0, as: UTF8.self) } ?? text
    }

    /// The text without links (the passes `found` allows); nil when there were none.
    static func remove(utf8 bytes: [UInt8], _ found: Candidates) -> [UInt8]? {
        let afterURLs = found.contains(.urls) ? bytes.withUnsafeBufferPointer(removeURLs) : nil
        let afterNames = found.contains(.names) ? (afterURLs ?? bytes).withUnsafeBufferPointer(removeDottedNames) : nil
        return afterNames ?? afterURLs
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

    /// (b) and (c): runs of labels separated by dots.
    static func removeDottedNames(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var splice = Splicer()
        var i = 0
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
                if labels >= 2 {
                    let tldLength = j - lastStart
                    var isTLD = tldLength >= 2 && tldLength <= 6
                    if isTLD { for k in lastStart..<j where !(s[k] >= 0x61 && s[k] <= 0x7A) { isTLD = false; break } }
                    if labels >= 4 || (labels == 2 && isTLD && !(previousScalar(s, before: i).map(isHan) ?? false)) {
                        splice.remove(s, i..<j)
                    }
                }
                i = j
                continue
            }
            i = s[i] >= 0x80 ? nextASCII(s, from: i) : i + 1
        }
        return splice.finish(s)
    }
}

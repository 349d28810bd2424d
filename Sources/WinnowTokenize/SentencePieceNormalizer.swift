// SentencePiece's normalizer: the precompiled charsmap (a darts-clone double-array trie over
// UTF-8 prefixes plus a blob of NUL-terminated replacements) applied longest-match-first,
// user-defined pieces passed through untouched, malformed UTF-8 turned into U+FFFD one byte at
// a time, and the whitespace rules (drop leading/trailing spaces, collapse runs, dummy prefix,
// spaces escaped as U+2581) exactly as sentencepiece applies them.

/// The charsmap's double-array trie and its replacement strings.
struct SentencePieceCharsMap: Sendable {
    private let units: [UInt32]
    private let replacements: [UInt8]
    /// sentencepiece keeps at most this many prefix matches per position (its builder's limit).
    private static let maxResults = 32

    init(blob: [UInt8], path: String, field: String) throws {
        guard blob.count > 4 else { throw TokenizerError(path: path, "\(field): blob of \(blob.count) bytes is too short") }
        let trieSize = Int(UInt32(blob[0]) | UInt32(blob[1]) << 8 | UInt32(blob[2]) << 16 | UInt32(blob[3]) << 24)
        guard trieSize < blob.count - 4 else {
            throw TokenizerError(path: path, "\(field): trie size \(trieSize) does not fit the \(blob.count)-byte blob")
        }
        guard trieSize >= 1024, trieSize % 1024 == 0 else {
            throw TokenizerError(path: path, "\(field): trie size \(trieSize) is not a positive multiple of 1024")
        }
        guard blob.last == 0 else {
            throw TokenizerError(path: path, "\(field): the replacement strings are not NUL-terminated")
        }
        var u = [UInt32](repeating: 0, count: trieSize / 4)
        for i in 0..<u.count {
            let o = 4 + i * 4
            u[i] = UInt32(blob[o]) | UInt32(blob[o + 1]) << 8 | UInt32(blob[o + 2]) << 16 | UInt32(blob[o + 3]) << 24
        }
        units = u
        replacements = Array(blob[(4 + trieSize)...])
    }

    /// Longest charsmap key that prefixes `s[at..<end]`: (key length, replacement range), or nil.
    @inline(__always)
    func longestMatch(_ s: UnsafeBufferPointer<UInt8>, at: Int, end: Int) -> (length: Int, replacement: Range<Int>)? {
        units.withUnsafeBufferPointer { units -> (Int, Range<Int>)? in
            // darts-clone unit layout: bit 8 = has a leaf below, bits 10+ = offset (scaled by
            // 2^8 when bit 9 is set), low byte (plus bit 31 for leaf units) = label.
            var node = Int(Self.offset(units[0]))
            var bestLength = 0
            var bestValue = 0
            var found = 0
            var i = at
            while i < end {
                let c = s[i]
                node ^= Int(c)
                guard node < units.count else { break }
                let unit = units[node]
                guard unit & 0x8000_00FF == UInt32(c) else { break }
                node ^= Int(Self.offset(unit))
                guard node < units.count else { break }
                if (unit >> 8) & 1 == 1 {
                    if found < Self.maxResults {
                        bestLength = i + 1 - at
                        bestValue = Int(units[node] & 0x7FFF_FFFF)
                    }
                    found += 1
                }
                i += 1
            }
            guard bestLength > 0, bestValue < replacements.count else { return nil }
            var e = bestValue
            while e < replacements.count && replacements[e] != 0 { e += 1 }
            return (bestLength, bestValue..<e)
        }
    }

    @inline(__always)
    private static func offset(_ unit: UInt32) -> UInt32 {
        (unit >> 10) << ((unit & (1 << 9)) >> 6)
    }

    func replacementBytes(_ r: Range<Int>) -> ArraySlice<UInt8> { replacements[r] }
}

/// Normalizes text the way sentencepiece's `Normalizer::Normalize` does.
struct SentencePieceNormalizer: Sendable {
    let charsMap: SentencePieceCharsMap?
    let userDefined: PieceTrie?
    let addDummyPrefix: Bool
    let removeExtraWhitespaces: Bool
    let escapeWhitespaces: Bool
    let treatWhitespaceAsSuffix: Bool

    static let spaceSymbol: [UInt8] = [0xE2, 0x96, 0x81]   // U+2581
    static let replacementChar: [UInt8] = [0xEF, 0xBF, 0xBD] // U+FFFD

    /// The normalized piece for the text at `at`: either bytes of the input (`copy`) or a
    /// charsmap replacement, and how many input bytes it consumed.
    private enum Prefix { case copy(Int), replace(Range<Int>, consumed: Int), malformed }

    @inline(__always)
    private func prefix(_ s: UnsafeBufferPointer<UInt8>, at: Int, end: Int) -> Prefix {
        if let ud = userDefined {
            let n = ud.longestPrefix(s, at: at, end: end)
            if n > 0 { return .copy(n) }
        }
        if let cm = charsMap, let m = cm.longestMatch(s, at: at, end: end) {
            return .replace(m.replacement, consumed: m.length)
        }
        let n = SentencePieceUTF8.validLength(s, at: at, end: end)
        return n > 0 ? .copy(n) : .malformed
    }

    /// Appends the normalized form of `s` to `out` (which is cleared first).
    func normalize(_ s: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        let end = s.count
        var i = 0
        if end == 0 { return }
        if removeExtraWhitespaces {
            // Leading input whose normalized form is exactly one space is dropped.
            while i < end {
                let n: Int
                switch prefix(s, at: i, end: end) {
                case .replace(let r, let consumed):
                    guard r.count == 1, charsMap!.replacementBytes(r).first == 0x20 else { n = 0; break }
                    n = consumed
                case .copy(let len):
                    guard len == 1, s[i] == 0x20 else { n = 0; break }
                    n = 1
                case .malformed: n = 0
                }
                if n == 0 { break }
                i += n
            }
            if i == end { return }
        }
        out.reserveCapacity(end - i + end / 2 + 8)
        let escape = escapeWhitespaces
        @inline(__always) func appendSpace(_ out: inout [UInt8]) {
            if escape { out.append(0xE2); out.append(0x96); out.append(0x81) } else { out.append(0x20) }
        }
        if !treatWhitespaceAsSuffix && addDummyPrefix { appendSpace(&out) }

        var prevSpace = removeExtraWhitespaces
        while i < end {
            let p = prefix(s, at: i, end: end)
            // Copy the piece, dropping its leading spaces after a space, escaping the rest.
            func emit(_ bytes: UnsafeBufferPointer<UInt8>) {
                var k = 0
                if prevSpace { while k < bytes.count && bytes[k] == 0x20 { k += 1 } }
                guard k < bytes.count else { return }
                while k < bytes.count {
                    let b = bytes[k]
                    if b == 0x20 { appendSpace(&out) } else { out.append(b) }
                    k += 1
                }
                prevSpace = bytes[bytes.count - 1] == 0x20
            }
            switch p {
            case .copy(let n):
                emit(UnsafeBufferPointer(rebasing: s[i..<(i + n)]))
                i += n
            case .replace(let r, let consumed):
                charsMap!.replacementBytes(r).withUnsafeBufferPointer { emit($0) }
                i += consumed
            case .malformed:
                Self.replacementChar.withUnsafeBufferPointer { emit($0) }
                i += 1
            }
            if !removeExtraWhitespaces { prevSpace = false }
        }
        if removeExtraWhitespaces {
            if escape {
                while out.count >= 3 && out[out.count - 3] == 0xE2 && out[out.count - 2] == 0x96 && out[out.count - 1] == 0x81 {
                    out.removeLast(3)
                }
            } else {
                while out.last == 0x20 { out.removeLast() }
            }
        }
        if treatWhitespaceAsSuffix && addDummyPrefix { appendSpace(&out) }
    }
}

/// sentencepiece's own UTF-8 rules (util.cc): shortest forms only, no surrogates, ≤ U+10FFFF.
enum SentencePieceUTF8 {
    /// Length of the valid character at `at`, or 0 when the bytes there are malformed.
    @inline(__always)
    static func validLength(_ s: UnsafeBufferPointer<UInt8>, at: Int, end: Int) -> Int {
        let b0 = s[at]
        if b0 < 0x80 { return 1 }
        let left = end - at
        @inline(__always) func trail(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
        if b0 & 0xE0 == 0xC0 {
            guard left >= 2, trail(s[at + 1]) else { return 0 }
            let cp = UInt32(b0 & 0x1F) << 6 | UInt32(s[at + 1] & 0x3F)
            return cp >= 0x80 ? 2 : 0
        } else if b0 & 0xF0 == 0xE0 {
            guard left >= 3, trail(s[at + 1]), trail(s[at + 2]) else { return 0 }
            let cp = UInt32(b0 & 0x0F) << 12 | UInt32(s[at + 1] & 0x3F) << 6 | UInt32(s[at + 2] & 0x3F)
            return cp >= 0x800 && (cp < 0xD800 || cp >= 0xE000) ? 3 : 0
        } else if b0 & 0xF8 == 0xF0 {
            guard left >= 4, trail(s[at + 1]), trail(s[at + 2]), trail(s[at + 3]) else { return 0 }
            let cp = UInt32(b0 & 0x07) << 18 | UInt32(s[at + 1] & 0x3F) << 12
                | UInt32(s[at + 2] & 0x3F) << 6 | UInt32(s[at + 3] & 0x3F)
            return cp >= 0x10000 && cp <= 0x10FFFF ? 4 : 0
        }
        return 0
    }

    /// sentencepiece's `OneCharLen`: the length the lead byte announces (1 for stray bytes).
    @inline(__always)
    static func oneCharLen(_ b: UInt8) -> Int {
        switch b >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }
}

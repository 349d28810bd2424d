// tokenizer.json normalizers and pre-tokenizers, on UTF-8 bytes. Only what is implemented is
// accepted: any other type or field value is a TokenizerError naming it (HFTokenizerConfig).
import CICUShim
import Foundation
import WinnowText

/// One normalizer step.
enum HFNormalizer: Sendable {
    case nfc, nfkc
    case prepend([UInt8])
    case replace([UInt8], [UInt8])

    func apply(_ s: [UInt8]) -> [UInt8] {
        switch self {
        case .nfc:
            if s.allSatisfy({ $0 < 0x80 }) || Self.isInert(s) { return s }
            if let n = ICUNormalizer.nfc(s) { return n }
            return Array(String(decoding: s, as: UTF8.self).precomposedStringWithCanonicalMapping.utf8)
        case .nfkc:
            if s.allSatisfy({ $0 < 0x80 }) { return s }
            let cap = 4 * s.count + 16
            var out = [UInt8](repeating: 0, count: cap)
            let n = s.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    src.withMemoryRebound(to: CChar.self) { cs in
                        dst.withMemoryRebound(to: CChar.self) { cd in
                            cicu_nfkc(cs.baseAddress, Int64(s.count), cd.baseAddress, Int64(cap))
                        }
                    }
                }
            }
            if n < 0 { return s }
            out.removeSubrange(Int(n)...)
            return out
        case .prepend(let p):
            return s.isEmpty ? s : p + s
        case .replace(let pattern, let content):
            return replaceAll(s, pattern, content)
        }
    }

    /// True when no code point of `s` can change under normalization (ICU's NFKC inertness,
    /// which implies NFC inertness): the common case skips Foundation.
    static func isInert(_ s: [UInt8]) -> Bool {
        s.withUnsafeBufferPointer { isInert($0) }
    }

    /// `isInert` on valid UTF-8, without copies: ASCII skipped, the BMP from a bit table.
    /// `nfcOnly`: NFC inertness (NFKC's is stricter: it also rejects compatibility forms
    /// such as fullwidth punctuation).
    static func isInert(_ s: UnsafeBufferPointer<UInt8>, nfcOnly: Bool = false) -> Bool {
        let n = s.count
        var i = 0
        let table = nfcOnly ? nfcInertBMP : inertBMP
        while i < n {
            let b = s[i]
            if b < 0x80 { i &+= 1; continue }
            var c: UInt32
            if b < 0xE0 {
                c = UInt32(b & 0x1F) << 6 | UInt32(s[i &+ 1] & 0x3F); i &+= 2
            } else if b < 0xF0 {
                c = UInt32(b & 0x0F) << 12 | UInt32(s[i &+ 1] & 0x3F) << 6 | UInt32(s[i &+ 2] & 0x3F); i &+= 3
            } else {
                c = UInt32(b & 0x07) << 18 | UInt32(s[i &+ 1] & 0x3F) << 12 | UInt32(s[i &+ 2] & 0x3F) << 6 | UInt32(s[i &+ 3] & 0x3F)
                i &+= 4
                if nfcOnly ? !ICUNormalizer.nfcInert(c) : cicu_nfkc_inert(Int32(c)) == 0 { return false }
                continue
            }
            if table[Int(c >> 6)] >> UInt64(c & 63) & 1 == 0 { return false }
        }
        return true
    }

    /// One bit per BMP code point: ICU's NFC inertness.
    nonisolated(unsafe) static let nfcInertBMP: UnsafeMutablePointer<UInt64> = {
        let t = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        t.initialize(repeating: 0, count: 1024)
        for c in 0..<0x10000 where ICUNormalizer.nfcInert(UInt32(c)) { t[c >> 6] |= 1 << UInt64(c & 63) }
        return t
    }()

    /// One bit per BMP code point: ICU's NFKC inertness.
    nonisolated(unsafe) static let inertBMP: UnsafeMutablePointer<UInt64> = {
        let t = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        t.initialize(repeating: 0, count: 1024)
        for c in 0..<0x10000 where cicu_nfkc_inert(Int32(c)) != 0 { t[c >> 6] |= 1 << UInt64(c & 63) }
        return t
    }()
}

/// Non-overlapping left-to-right replacement of a byte string. Runs without the pattern's first
/// byte are copied whole (memchr finds the next candidate).
func replaceAll(_ s: [UInt8], _ pattern: [UInt8], _ content: [UInt8]) -> [UInt8] {
    guard !pattern.isEmpty, s.count >= pattern.count else { return s }
    var out: [UInt8] = []
    out.reserveCapacity(s.count + s.count / 4)
    let first = pattern[0], m = pattern.count, n = s.count
    s.withUnsafeBufferPointer { b in
        let base = b.baseAddress!
        var i = 0
        while i < n {
            guard let hit = memchr(base + i, Int32(first), n - i) else {
                out.append(contentsOf: UnsafeBufferPointer(start: base + i, count: n - i))
                break
            }
            let j = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            out.append(contentsOf: UnsafeBufferPointer(start: base + i, count: j - i))
            if j + m <= n && memcmp(base + j, pattern, m) == 0 {
                out.append(contentsOf: content)
                i = j + m
            } else {
                out.append(first)
                i = j + 1
            }
        }
    }
    return out
}

/// One pre-tokenizer step; a text segment becomes a list of pieces.
enum HFPreTokenizer: Sendable {
    /// GPT-2 byte level: optional prefix space, optional GPT-2 regex; bytes are mapped later.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    /// Split on a known pattern family, each match its own piece (behavior Isolated).
    case split(SplitRules)
    /// Spaces become `replacement`, prepended per `prependScheme`; `split`: each piece starts at one.
    case metaspace(replacement: [UInt8], prepend: MetaspacePrepend, split: Bool)

    enum MetaspacePrepend: Sendable { case always, first, never }

    /// Pieces of `pieces` after this step; `firstSegment`: the segment starts the text.
    func apply(_ pieces: [[UInt8]], firstSegment: Bool) -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(pieces.count * 4)
        // One splitter for all pieces (building one compiles its tables).
        var splitter: PieceSplitter?
        switch self {
        case .byteLevel(_, true): splitter = PieceSplitter(SplitPattern.gpt2, unicode: ReferenceUnicode.oniguruma)
        case .split(let rules): splitter = PieceSplitter(rules, unicode: ReferenceUnicode.oniguruma)
        default: splitter = nil
        }
        for (k, p) in pieces.enumerated() {
            switch self {
            case .byteLevel(let addPrefixSpace, let useRegex):
                var q = p
                if addPrefixSpace && q.first != 0x20 { q.insert(0x20, at: 0) }
                if useRegex { splitPiece(q, splitter!, &out) } else { out.append(q) }
            case .split:
                splitPiece(p, splitter!, &out)
            case .metaspace(let rep, let scheme, let split):
                var q = replaceAll(p, [0x20], rep)
                let prepend = scheme == .always || (scheme == .first && firstSegment && k == 0)
                if prepend && !q.starts(with: rep) { q = rep + q }
                if !split { out.append(q); continue }
                // Each piece begins at a replacement character (merged with the next).
                var start = 0, i = 0
                while i < q.count {
                    if i > start && q.count - i >= rep.count && q[i] == rep[0] && Array(q[i..<(i + rep.count)]) == rep {
                        out.append(Array(q[start..<i])); start = i
                    }
                    i += 1
                }
                if start < q.count { out.append(Array(q[start...])) }
            }
        }
        return out
    }

    private func splitPiece(_ p: [UInt8], _ splitter: PieceSplitter, _ out: inout [[UInt8]]) {
        p.withUnsafeBufferPointer { b in splitter.forEachPiece(b) { s, e in out.append(Array(b[s..<e])) } }
    }
}

extension Scalars {
    /// Code points of valid UTF-8 bytes.
    static func decodeBytes(_ s: [UInt8]) -> [UInt32] { s.withUnsafeBufferPointer { decode($0) } }
}

/// GPT-2's byte ↔ printable character table (bytes that print as themselves keep their code
/// point; the rest take 256, 257, … in byte order).
enum GPT2ByteMap {
    static let byteToChar: [UInt32] = {
        var m = [UInt32](repeating: 0, count: 256)
        var n: UInt32 = 0
        for b in 0..<256 {
            let printable = (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
            if printable { m[b] = UInt32(b) } else { m[b] = 256 + n; n += 1 }
        }
        return m
    }()
    static let charToByte: [UInt32: UInt8] = {
        var d: [UInt32: UInt8] = [:]
        for b in 0..<256 { d[byteToChar[b]] = UInt8(b) }
        return d
    }()

    /// Raw bytes of a byte-level token string, nil when a character is outside the table.
    static func unmap(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        for u in s.unicodeScalars {
            guard let b = charToByte[u.value] else { return nil }
            out.append(b)
        }
        return out
    }
}

// Whole characters as the first symbols of a byte-level merge, where that cannot change the
// result. A character qualifies when its bytes alone merge into one token, and no merge with
// a rank up to the highest rank of that merge sequence makes a token that holds part of the
// character together with other bytes, or the whole character with other bytes. Then in any
// text its bytes have become that token before any merge reaches across its edges, and the
// merges after that see the same pairs in the same order: starting from the token gives the
// same ids with a third of the symbols for CJK text.

/// Per BMP code point (2- or 3-byte UTF-8): its token's id + 1 when it qualifies, else 0.
final class CharStartTable: @unchecked Sendable {
    let ids: UnsafeMutablePointer<UInt32>
    private(set) var qualifying = 0

    init(vocab: ByteStringTable, pairs: PairMergeTable, byteIDs: UnsafePointer<UInt32>) {
        ids = .allocate(capacity: 0x10000)
        ids.initialize(repeating: 0, count: 0x10000)
        // Lowest rank of a merge whose token ends with an incomplete character (after other
        // bytes), starts with continuation bytes (before other bytes), or holds a whole
        // 2- or 3-byte character among other bytes; keyed by those bytes (length in the top byte).
        var endsWith: [UInt32: UInt32] = [:], startsWith: [UInt32: UInt32] = [:], holds: [UInt32: UInt32] = [:]
        var t: [UInt8] = []
        func key(_ b: ArraySlice<UInt8>) -> UInt32 {
            var k = UInt32(b.count) << 24
            for (j, x) in b.enumerated() { k |= UInt32(x) << (8 * UInt32(j)) }
            return k
        }
        func lower(_ d: inout [UInt32: UInt32], _ k: UInt32, _ r: UInt32) { if d[k].map({ r < $0 }) ?? true { d[k] = r } }
        pairs.forEach { a, b, rank in
            t.removeAll(keepingCapacity: true)
            _ = vocab.append(a, to: &t)
            _ = vocab.append(b, to: &t)
            let n = t.count
            var k = n - 1
            while k >= 0 && t[k] & 0xC0 == 0x80 { k -= 1 }
            if k > 0 && t[k] >= 0xC0 && n - k < Self.length(t[k]) && n - k <= 3 { lower(&endsWith, key(t[k..<n]), rank) }
            var m = 0
            while m < n && t[m] & 0xC0 == 0x80 { m += 1 }
            if m >= 1 && m <= 3 && m < n { lower(&startsWith, key(t[0..<m]), rank) }
            var i = m
            while i < n {
                let len = t[i] < 0x80 ? 1 : Self.length(t[i])
                if len >= 2 && len <= 3 && i + len <= n && len < n { lower(&holds, key(t[i..<(i + len)]), rank) }
                i += max(len, 1)
            }
        }
        var sym = [UInt32](repeating: 0, count: 3)
        for c in 0x80..<0x10000 where c < 0xD800 || c > 0xDFFF {
            let bytes = Array(String(Unicode.Scalar(UInt32(c))!).utf8)
            let len = bytes.count
            guard let token = bytes.withUnsafeBufferPointer({ vocab.lookup($0.baseAddress!, len) }) else { continue }
            // The merge of the bytes alone, with its highest rank.
            for j in 0..<len { sym[j] = byteIDs[Int(bytes[j])] }
            var n = len, highest: UInt32 = 0
            while n > 1 {
                var best = PairMergeTable.none, at = -1
                for j in 0..<(n - 1) {
                    let r = pairs.find(sym[j], sym[j + 1])
                    if r < best { best = r; at = j }
                }
                if at < 0 { break }
                highest = max(highest, best)
                sym[at] = pairs.merged(best)
                for j in (at + 1)..<(n - 1) { sym[j] = sym[j + 1] }
                n -= 1
            }
            guard n == 1, sym[0] == token else { continue }
            var ok = (holds[key(bytes[0...])] ?? .max) > highest
            for j in 1..<len where ok {
                if (endsWith[key(bytes[0..<j])] ?? .max) <= highest { ok = false }
                if (startsWith[key(bytes[j...])] ?? .max) <= highest { ok = false }
            }
            if ok { ids[c] = token + 1; qualifying += 1 }
        }
    }

    deinit { ids.deallocate() }

    /// UTF-8 sequence length of a lead byte (0 for a continuation byte).
    static func length(_ b: UInt8) -> Int {
        b < 0x80 ? 1 : b < 0xC0 ? 0 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
    }
}

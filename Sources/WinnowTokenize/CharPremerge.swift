// Whole characters as the first symbols of a byte-level merge, where that cannot change the
// result. Merge a character's bytes alone, stage by stage: at each stage its leftmost and
// rightmost symbols are its edges, and the merge about to happen has some rank m. A merge across
// an edge could only happen first if some token ends with the left edge's bytes (after other
// bytes), or starts with the right edge's bytes (before other bytes), with a rank below m. When
// no such token exists at any stage, the character's bytes reach their final symbols (one token,
// or two that never merge with each other) before anything crosses its edges, and the merges
// after that see the same pairs in the same order: starting from those symbols gives the same
// ids with a third to two thirds of the symbols for CJK text.
//
// The checks depend on the bytes around the character: a token like " \xe5" (space and a lead
// byte) matters after a space but not inside a run of Han characters, so the tokens that end
// with a partial character are split by whether a continuation byte precedes it; and a token
// that joins the tail of a character to the next one ("\x97\xe4\xba\xac") matters only
// before that next lead byte, so the tokens that start with a partial character are split by
// the byte after it (each lead byte of a 3-byte character, or any other). At the start of a
// piece nothing is on the left, at its end nothing on the right.

/// Per BMP code point (2- or 3-byte UTF-8): the symbols its bytes merge to, and the contexts
/// in which it may enter the merge as those symbols.
final class CharStartTable: @unchecked Sendable {
    /// Bits 0–19: the first symbol's id + 1 (0: no entry); 20–39: the second's id + 1 (0: one
    /// symbol); then the context flags below.
    let entries: UnsafeMutablePointer<UInt64>
    /// May follow a continuation byte (the previous character is multi-byte).
    static let afterContinuation: UInt64 = 1 << 40
    /// May follow any other byte.
    static let afterOther: UInt64 = 1 << 41
    /// Bit `beforeShift + nextClass(b)`: may precede the byte b.
    static let beforeShift: UInt64 = 42
    /// The classes of a following byte: 0–15 the lead byte 0xE0 + class (the next CJK
    /// character's), 16 any other byte.
    @inline(__always) static func nextClass(_ b: UInt8) -> UInt64 { b & 0xF0 == 0xE0 ? UInt64(b & 0x0F) : 16 }
    static let idBits: UInt64 = 20
    static let idMask: UInt64 = (1 << idBits) - 1
    /// Characters with an entry that qualify in every context.
    private(set) var qualifying = 0
    /// Characters with an entry.
    private(set) var withEntry = 0

    init(vocab: ByteStringTable, pairs: PairMergeTable, byteIDs: UnsafePointer<UInt32>) {
        entries = .allocate(capacity: 0x10000)
        entries.initialize(repeating: 0, count: 0x10000)
        // Ids must fit the entry's 20 bits.
        guard vocab.capacity < Int(Self.idMask) else { return }
        // Lowest rank of a merge whose token ends with a partial character after a continuation
        // byte / after another byte, starts with continuation bytes before other bytes, or holds
        // a whole 2- or 3-byte character among other bytes; keyed by those bytes (length on top).
        var endsAfterContinuation: [UInt32: UInt32] = [:], endsAfterOther: [UInt32: UInt32] = [:]
        // startsWith: keyed by the continuation bytes and the `nextClass` of the byte after them.
        var startsWith: [UInt64: UInt32] = [:], holds: [UInt32: UInt32] = [:]
        var t: [UInt8] = []
        func lower<K: Hashable>(_ d: inout [K: UInt32], _ k: K, _ r: UInt32) { if d[k].map({ r < $0 }) ?? true { d[k] = r } }
        pairs.forEach { a, b, rank in
            t.removeAll(keepingCapacity: true)
            _ = vocab.append(a, to: &t)
            _ = vocab.append(b, to: &t)
            let n = t.count
            var k = n - 1
            while k >= 0 && t[k] & 0xC0 == 0x80 { k -= 1 }
            if k > 0 && t[k] >= 0xC0 && n - k < Self.length(t[k]) && n - k <= 3 {
                if t[k - 1] & 0xC0 == 0x80 { lower(&endsAfterContinuation, Self.key(t[k..<n]), rank) } else { lower(&endsAfterOther, Self.key(t[k..<n]), rank) }
            }
            var m = 0
            while m < n && t[m] & 0xC0 == 0x80 { m += 1 }
            if m >= 1 && m <= 3 && m < n { lower(&startsWith, UInt64(Self.key(t[0..<m])) << 8 | Self.nextClass(t[m]), rank) }
            var i = m
            while i < n {
                let len = t[i] < 0x80 ? 1 : Self.length(t[i])
                if len >= 2 && len <= 3 && i + len <= n && len < n { lower(&holds, Self.key(t[i..<(i + len)]), rank) }
                i += max(len, 1)
            }
        }
        var sym = [UInt32](repeating: 0, count: 3), lens = [Int](repeating: 1, count: 3)
        for c in 0x80..<0x10000 where c < 0xD800 || c > 0xDFFF {
            let bytes = Array(String(Unicode.Scalar(UInt32(c))!).utf8)
            let len = bytes.count
            for j in 0..<len { sym[j] = byteIDs[Int(bytes[j])]; lens[j] = 1 }
            var n = len, highest: UInt32 = 0, merges = 0
            var leftAfterContinuation = true, leftAfterOther = true
            // Bit k: may precede a byte of class k.
            var before: UInt64 = (1 << 17) - 1
            while n > 1 {
                var best = PairMergeTable.none, at = -1
                for j in 0..<(n - 1) {
                    let r = pairs.find(sym[j], sym[j + 1])
                    if r < best { best = r; at = j }
                }
                if at < 0 { break }
                // The edges as they stand before this merge, against tokens ranked up to it.
                if lens[0] < len {
                    let k = Self.key(bytes[0..<lens[0]])
                    if (endsAfterContinuation[k] ?? .max) <= best { leftAfterContinuation = false }
                    if (endsAfterOther[k] ?? .max) <= best { leftAfterOther = false }
                }
                if lens[n - 1] < len {
                    let k = UInt64(Self.key(bytes[(len - lens[n - 1])...])) << 8
                    for c in 0..<17 where (startsWith[k | UInt64(c)] ?? .max) <= best { before &= ~(1 << UInt64(c)) }
                }
                highest = max(highest, best)
                merges += 1
                sym[at] = pairs.merged(best)
                lens[at] += lens[at + 1]
                for j in (at + 1)..<(n - 1) { sym[j] = sym[j + 1]; lens[j] = lens[j + 1] }
                n -= 1
            }
            guard merges > 0, n <= 2, (holds[Self.key(bytes[0...])] ?? .max) > highest else { continue }
            var e = UInt64(sym[0]) + 1
            if n == 2 { e |= (UInt64(sym[1]) + 1) << Self.idBits }
            if leftAfterContinuation { e |= Self.afterContinuation }
            if leftAfterOther { e |= Self.afterOther }
            e |= before << Self.beforeShift
            entries[c] = e
            withEntry += 1
            if leftAfterContinuation && leftAfterOther && before == (1 << 17) - 1 { qualifying += 1 }
        }
    }

    deinit { entries.deallocate() }

    private static func key(_ b: ArraySlice<UInt8>) -> UInt32 {
        var k = UInt32(b.count) << 24
        for (j, x) in b.enumerated() { k |= UInt32(x) << (8 * UInt32(j)) }
        return k
    }

    /// UTF-8 sequence length of a lead byte (0 for a continuation byte).
    static func length(_ b: UInt8) -> Int {
        b < 0x80 ? 1 : b < 0xC0 ? 0 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
    }

    /// Writes the symbols of the character `c` whose bytes are `p[i..<i+len]` in a piece of `n`
    /// bytes to `sym + m` and returns how many (1 or 2), or 0 where it may not start merged.
    @inline(__always)
    func start(_ c: Int, _ p: UnsafePointer<UInt8>, _ i: Int, _ len: Int, _ n: Int, _ sym: UnsafeMutablePointer<UInt32>) -> Int {
        let e = entries[c]
        if e == 0 { return 0 }
        if i > 0 && e & (p[i &- 1] & 0xC0 == 0x80 ? Self.afterContinuation : Self.afterOther) == 0 { return 0 }
        if i &+ len < n && e >> (Self.beforeShift &+ Self.nextClass(p[i &+ len])) & 1 == 0 { return 0 }
        sym[0] = UInt32(truncatingIfNeeded: e & Self.idMask) &- 1
        let second = e >> Self.idBits & Self.idMask
        if second == 0 { return 1 }
        sym[1] = UInt32(truncatingIfNeeded: second) &- 1
        return 2
    }
}

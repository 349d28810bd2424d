/// Exact counts of the character n-grams of a text of code points: an open-addressing table
/// keyed by a rolling hash, with equal hashes confirmed by comparing the characters, so no two
/// different n-grams are ever merged. One table is reused across texts.
public struct NGramCounter {
    private var slots: [Int32] = []  // index into `entries`, -1 when empty
    public private(set) var first: [Int32] = []  // first position of each distinct n-gram
    public private(set) var counts: [Int32] = []
    private var hashes: [UInt64] = []

    public init() {}

    /// Counts the n-grams starting at positions 0..<`positions` of `s` (each of length `n`);
    /// afterwards `first[k]` and `counts[k]` describe the k-th distinct n-gram.
    public mutating func count(_ s: UnsafeBufferPointer<UInt32>, n: Int, positions: Int) {
        first.removeAll(keepingCapacity: true)
        counts.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        guard n > 0, positions > 0, positions + n - 1 <= s.count else { return }
        var size = 16
        while size < positions * 2 { size <<= 1 }
        if slots.count < size { slots = [Int32](repeating: -1, count: size) } else { slots.withUnsafeMutableBufferPointer { $0.update(repeating: -1) } }
        let mask = size - 1
        // Rolling polynomial hash of each window, then a finalising mix for the slot.
        let base: UInt64 = 0x100000001B3
        var top: UInt64 = 1
        for _ in 1..<max(n, 1) { top = top &* base }
        var h: UInt64 = 0
        for k in 0..<(n - 1) { h = h &* base &+ UInt64(s[k]) &+ 1 }
        slots.withUnsafeMutableBufferPointer { table in
            for i in 0..<positions {
                h = h &* base &+ UInt64(s[i + n - 1]) &+ 1
                var m = h ^ (h >> 33)
                m = m &* 0xff51afd7ed558ccd
                m ^= m >> 33
                var slot = Int(truncatingIfNeeded: m) & mask
                while true {
                    let e = Int(table[slot])
                    if e < 0 {
                        table[slot] = Int32(first.count)
                        first.append(Int32(i)); counts.append(1); hashes.append(h)
                        break
                    }
                    if hashes[e] == h && Self.equal(s, Int(first[e]), i, n) { counts[e] += 1; break }
                    slot = (slot + 1) & mask
                }
                h = h &- (UInt64(s[i]) &+ 1) &* top
            }
        }
    }

    @inline(__always) static func equal(_ s: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, _ n: Int) -> Bool {
        for k in 0..<n where s[a + k] != s[b + k] { return false }
        return true
    }
}

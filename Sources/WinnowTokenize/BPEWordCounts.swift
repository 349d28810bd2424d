// The first step of BPE training: every pre-tokenizer piece of the corpus, counted once per
// distinct byte string. Pieces live back to back in one arena, found again through an
// open-addressing index, so a corpus of millions of pieces costs a few allocations.

#if canImport(Glibc)
import Glibc
#endif

/// Distinct words (pre-tokenized byte strings) with how often each occurs.
public final class BPEWordCounts: @unchecked Sendable {
    /// Word `i` is `arena[ends[i-1] ..< ends[i]]` (`ends[-1]` = 0).
    private(set) var arena: [UInt8] = []
    private(set) var ends: [Int] = []
    private(set) var counts: [UInt64] = []
    /// Hash tag << 32 | (word + 1); 0 is an empty slot.
    private var slots: [UInt64]
    private var mask: Int

    public init() {
        slots = [UInt64](repeating: 0, count: 1024)
        mask = 1023
    }

    /// Number of distinct words.
    public var count: Int { counts.count }
    /// Number of words counted (with repeats).
    public var total: UInt64 { counts.reduce(0, &+) }

    func start(_ i: Int) -> Int { i == 0 ? 0 : ends[i - 1] }

    /// The bytes of word `i`.
    public func word(_ i: Int) -> ArraySlice<UInt8> { arena[start(i)..<ends[i]] }
    public func count(of i: Int) -> UInt64 { counts[i] }

    /// Adds `n` occurrences of the byte string at `p` (length `len` > 0).
    @inline(__always)
    func add(_ p: UnsafePointer<UInt8>, _ len: Int, _ n: UInt64) {
        let h = hashBytes(p, len)
        let tag = h & 0xFFFF_FFFF_0000_0000
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[s]
            if slot == 0 { break }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let w = Int(slot & 0xFFFF_FFFF) - 1
                let a = start(w)
                if ends[w] - a == len && arena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + a, p, len) == 0 }) {
                    counts[w] &+= n
                    return
                }
            }
            s = (s + 1) & mask
        }
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: len))
        ends.append(arena.count)
        counts.append(n)
        slots[s] = tag | UInt64(counts.count)
        if counts.count * 2 > slots.count { grow() }
    }

    private func grow() {
        let size = slots.count * 2
        var fresh = [UInt64](repeating: 0, count: size)
        let m = size - 1
        arena.withUnsafeBufferPointer { a in
            for w in 0..<counts.count {
                let b = start(w)
                let h = hashBytes(a.baseAddress! + b, ends[w] - b)
                var s = Int(truncatingIfNeeded: h) & m
                while fresh[s] != 0 { s = (s + 1) & m }
                fresh[s] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(w + 1)
            }
        }
        slots = fresh
        mask = m
    }

    /// Adds every word of `other`, in `other`'s order (so merging tables in a fixed order
    /// gives the same table whatever the thread count was).
    public func merge(_ other: BPEWordCounts) {
        other.arena.withUnsafeBufferPointer { a in
            for w in 0..<other.counts.count {
                let b = other.start(w)
                add(a.baseAddress! + b, other.ends[w] - b, other.counts[w])
            }
        }
    }
}

extension BPEWordCounts {
    /// Counts the pieces of one sequence (a line or a document), split by `splitter`.
    func countPieces(_ s: UnsafeBufferPointer<UInt8>, _ splitter: PieceSplitter) {
        guard let base = s.baseAddress, s.count > 0 else { return }
        splitter.forEachPiece(s) { a, b in add(base + a, b - a, 1) }
    }
}

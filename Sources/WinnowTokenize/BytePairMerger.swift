import CMemoryHints

// Byte-pair merging: the lowest-ranked adjacent pair merges first, the leftmost on ties (what
// tiktoken's min scan and HF's priority queue both do). Short pieces use a scan over an array;
// long ones a heap over a linked list, so a 10 MB piece costs O(n log n), not O(n²).

/// (left id, right id) → rank, open addressing. Compact form (ids < 2^22, ranks < 2^20): one
/// 64-bit word per slot, key and rank together, so a probe touches one cache line and the
/// table is a quarter of a (key, value) pair layout. Wider vocabularies use two words per slot.
/// The merged id of a rank is the rank itself (tiktoken) or `mergedByRank` (HF merges lists).
final class PairMergeTable: @unchecked Sendable {
    /// `find`'s answer when the pair has no merge.
    static let none = UInt32.max
    private static let idBits: UInt64 = 22, rankBits: UInt64 = 20
    private let compact: Bool
    private let slots: UnsafeMutablePointer<UInt64>
    /// Wide form only: the rank of each slot.
    private let wideRanks: UnsafeMutablePointer<UInt32>
    private let mask: Int
    private let rankCapacity: Int
    private let mergedByRank: UnsafeMutablePointer<UInt32>
    /// Which pairs may have a merge (`PairFilter`), so most pairs without one are answered
    /// from L2 instead of probing the table.
    let filter: PairFilter
    /// True while every merged id equals its rank (tiktoken), so `merged` needs no load.
    private(set) var mergedIsRank = true
    private(set) var count = 0

    /// `maxID`, `maxRank`: the largest id and rank that will be inserted.
    init(expected: Int, maxID: Int, maxRank: Int) {
        var size = 16
        while size < expected + expected / 2 + 16 { size <<= 1 }
        compact = maxID < (1 << Self.idBits) - 1 && maxRank < (1 << Self.rankBits) - 1
        slots = HugePages.allocate(UInt64.self, capacity: size)
        slots.initialize(repeating: UInt64.max, count: size)
        wideRanks = HugePages.allocate(UInt32.self, capacity: compact ? 1 : size)
        mask = size - 1
        rankCapacity = max(maxRank + 1, 1)
        mergedByRank = .allocate(capacity: rankCapacity)
        filter = PairFilter(expected: expected)
        for r in 0..<rankCapacity { mergedByRank[r] = UInt32(truncatingIfNeeded: r) }
    }

    deinit { HugePages.deallocate(slots); HugePages.deallocate(wideRanks); mergedByRank.deallocate() }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// Adds a merge; a pair seen before keeps its first entry unless `replace` (HF builds a
    /// map from its merges list, so there the last duplicate wins).
    func insert(_ a: UInt32, _ b: UInt32, rank: UInt32, merged: UInt32, replace: Bool = false) {
        precondition(Int(rank) < rankCapacity, "rank \(rank) beyond the declared maximum")
        let key = compact ? UInt64(a) << Self.idBits | UInt64(b) : UInt64(a) << 32 | UInt64(b)
        var i = Self.slot(key, mask)
        while slots[i] != UInt64.max {
            if (compact ? slots[i] >> Self.rankBits : slots[i]) == key {
                if replace { store(i, key, rank) }
                mergedByRank[Int(rank)] = merged
                if merged != rank { mergedIsRank = false }
                return
            }
            i = (i + 1) & mask
        }
        precondition(count < mask, "PairMergeTable is full")
        store(i, key, rank)
        filter.insert(a, b)
        mergedByRank[Int(rank)] = merged
        if merged != rank { mergedIsRank = false }
        count += 1
    }

    private func store(_ i: Int, _ key: UInt64, _ rank: UInt32) {
        if compact { slots[i] = key << Self.rankBits | UInt64(rank) } else { slots[i] = key; wideRanks[i] = rank }
    }

    /// Rank of the merge of `a` then `b`, or `none`.
    @inline(__always) func find(_ a: UInt32, _ b: UInt32) -> UInt32 {
        if compact {
            if (a | b) >> UInt32(Self.idBits) != 0 { return Self.none }
            let key = UInt64(a) << Self.idBits | UInt64(b)
            var i = Self.slot(key, mask)
            while true {
                let s = slots[i]
                if s >> Self.rankBits == key { return UInt32(truncatingIfNeeded: s & ((1 << Self.rankBits) - 1)) }
                if s == UInt64.max { return Self.none }
                i = (i + 1) & mask
            }
        }
        let key = UInt64(a) << 32 | UInt64(b)
        var i = Self.slot(key, mask)
        while true {
            let s = slots[i]
            if s == UInt64.max { return Self.none }
            if s == key { return wideRanks[i] }
            i = (i + 1) & mask
        }
    }

    /// Starts loading the slot where `find(a, b)` begins (compact tables).
    @inline(__always) func prefetch(_ a: UInt32, _ b: UInt32) {
        if compact { winnow_prefetch(slots + Self.slot(UInt64(a) << Self.idBits | UInt64(b), mask)) }
    }

    /// `find` through a thread's small direct-mapped cache of recent pairs (`PairCache`): the
    /// table is megabytes, and a text's pairs repeat. Compact tables only; wide ones probe.
    @inline(__always) func find(_ a: UInt32, _ b: UInt32, _ cache: UnsafeMutablePointer<UInt64>?) -> UInt32 {
        guard compact, let cache else { return find(a, b) }
        if (a | b) >> UInt32(Self.idBits) != 0 { return Self.none }
        let key = UInt64(a) << Self.idBits | UInt64(b)
        let rankMask: UInt64 = (1 << Self.rankBits) - 1
        let h = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - PairCache.bits))
        let s = cache[h]
        if s >> Self.rankBits == key {
            let r = s & rankMask
            return r == rankMask ? Self.none : UInt32(truncatingIfNeeded: r)
        }
        let r = filter.mayContain(a, b) ? find(a, b) : Self.none
        // (Ranks of a compact table stay below rankMask, which marks "no merge".)
        cache[h] = key << Self.rankBits | (r == Self.none ? rankMask : UInt64(r))
        return r
    }

    /// Calls `body(left, right, rank)` for every merge, in no particular order.
    func forEach(_ body: (UInt32, UInt32, UInt32) -> Void) {
        for i in 0...mask where slots[i] != UInt64.max {
            let s = slots[i]
            if compact {
                let key = s >> Self.rankBits
                body(UInt32(truncatingIfNeeded: key >> Self.idBits), UInt32(truncatingIfNeeded: key & ((1 << Self.idBits) - 1)),
                     UInt32(truncatingIfNeeded: s & ((1 << Self.rankBits) - 1)))
            } else {
                body(UInt32(truncatingIfNeeded: s >> 32), UInt32(truncatingIfNeeded: s), wideRanks[i])
            }
        }
    }

    /// The id a merge of this rank produces.
    @inline(__always) func merged(_ rank: UInt32) -> UInt32 {
        mergedIsRank ? rank : mergedByRank[Int(rank)]
    }
}

/// A blocked Bloom filter over (left, right) pairs: one 64-bit word per pair, four bits in it,
/// 8 to 16 bits per pair (o200k's 446 K pairs: 512 KB, in L2 where the table's 8 MB are not).
/// No false negatives; a few percent false positives, which then probe the table.
final class PairFilter: @unchecked Sendable {
    private let words: UnsafeMutablePointer<UInt64>
    private let shift: UInt64

    init(expected: Int) {
        var bits = 6  // words = 2^(bits - 6)
        while 1 << bits < 8 * max(expected, 64) { bits += 1 }
        shift = UInt64(64 - (bits - 6))
        words = HugePages.allocate(UInt64.self, capacity: 1 << (bits - 6))
        words.initialize(repeating: 0, count: 1 << (bits - 6))
    }

    deinit { HugePages.deallocate(words) }

    /// The word index (top bits of the hash) and its four bits (6-bit fields of the rest).
    @inline(__always) private func locate(_ a: UInt32, _ b: UInt32) -> (Int, UInt64) {
        let key = pairKey(a, b)
        let h = (key ^ key >> 29) &* 0xBF58_476D_1CE4_E5B9
        let m = UInt64(1) << (h & 63) | UInt64(1) << (h >> 6 & 63) | UInt64(1) << (h >> 12 & 63) | UInt64(1) << (h >> 18 & 63)
        return (Int(truncatingIfNeeded: h >> shift), m)
    }

    func insert(_ a: UInt32, _ b: UInt32) {
        let (i, m) = locate(a, b)
        words[i] |= m
    }

    @inline(__always) func mayContain(_ a: UInt32, _ b: UInt32) -> Bool {
        let (i, m) = locate(a, b)
        return words[i] & m == m
    }
}

/// Reusable buffers for encoding; one per thread (not shared).
public final class MergeScratch {
    /// Symbols of the piece being merged (grown on demand).
    private(set) var symbolCapacity = 0
    private(set) var symbols = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    /// The scan merge's pair ranks (`BytePairMerger.scanLimit` entries).
    let ranks = UnsafeMutablePointer<UInt32>.allocate(capacity: BytePairMerger.scanLimit)
    /// The long-piece merge's buffers, grown on demand: the heap (2 × capacity), next and
    /// prev links (capacity each; the merge keeps its current ranks in prev's upper half).
    private(set) var heapCapacity = 0
    private(set) var heap = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    private(set) var next = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private(set) var prev = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    /// Ids of a whole segment before they go to the caller's array (grown on demand): a
    /// byte-level segment of n bytes has at most n tokens, so pieces write without checks.
    private(set) var tokenCapacity = 0
    private(set) var tokens = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    /// Ids of recent pieces of one model (`PieceCache`), allocated on first use.
    let pieceCache = PieceCache()
    /// Ids of recent long pieces of one model.
    let longPieceCache = LongPieceCache()
    /// Ranks of recent pairs of one merge table.
    let pairCache = PairCache()
    public init() {}

    @inline(__always) func reserveSymbols(_ n: Int) -> UnsafeMutablePointer<UInt32> {
        Self.reserve(&symbols, &symbolCapacity, n, minimum: 256)
    }

    @inline(__always) func reserveTokens(_ n: Int) -> UnsafeMutablePointer<UInt32> {
        Self.reserve(&tokens, &tokenCapacity, n, minimum: 1024)
    }

    /// `buffer` with room for n values (contents not kept), doubling when it grows.
    @inline(__always) private static func reserve(_ buffer: inout UnsafeMutablePointer<UInt32>, _ capacity: inout Int, _ n: Int,
                                                  minimum: Int) -> UnsafeMutablePointer<UInt32> {
        if n > capacity {
            buffer.deallocate()
            capacity = max(n, 2 * capacity, minimum)
            buffer = .allocate(capacity: capacity)
        }
        return buffer
    }

    /// Gives back a token buffer grown past 64 MB by one huge segment, so a worker does not
    /// keep it for the rest of its documents.
    @inline(__always) func trimTokens() {
        if tokenCapacity > 1 << 24 {
            tokens.deallocate()
            tokenCapacity = 0
            tokens = .allocate(capacity: 1)
        }
    }

    func reserveHeap(_ n: Int) {
        if n <= heapCapacity { return }
        heap.deallocate(); next.deallocate(); prev.deallocate()
        heapCapacity = max(n, 2 * heapCapacity)
        heap = .allocate(capacity: 2 * heapCapacity)
        next = .allocate(capacity: heapCapacity)
        prev = .allocate(capacity: heapCapacity)
    }

    deinit {
        symbols.deallocate(); ranks.deallocate(); tokens.deallocate()
        heap.deallocate(); next.deallocate(); prev.deallocate()
    }
}

/// Piece bytes → ids of the pieces one model merged last (direct-mapped, 16 K entries of
/// 64 bytes: the hash, the length, up to 24 key bytes zero-padded, and up to 6 ids). Web text
/// repeats its words, so a repeated piece skips the merge. `ByteLevelBPE` does not store a
/// piece that is a whole token (its vocabulary slot answers as fast): it would evict a merged
/// piece. Bound to one model: a scratch used with another model starts empty.
final class PieceCache {
    static let maxKey = 24, maxIDs = 6
    private static let entryWords = 8, entryCount = 1 << 14
    private var entries: UnsafeMutablePointer<UInt64>?
    private var owner: ObjectIdentifier?
    /// Text bytes seen before the cache was allocated: a scratch made for one short text
    /// (`Tokenizer.encode(String)`) does not pay for 1 MB of entries.
    private var seen = 0
    static let minimumText = 1 << 16

    init() {}
    deinit { entries.map(HugePages.deallocate) }

    /// The entries for `model` (cleared when the cache last served another one), or nil
    /// while this scratch has encoded less than `minimumText` bytes (`textBytes` counts now).
    @inline(__always) func bind(_ model: AnyObject, textBytes: Int) -> UnsafeMutablePointer<UInt64>? {
        let id = ObjectIdentifier(model)
        if let e = entries, owner == id { return e }
        if entries == nil {
            seen &+= textBytes
            if seen < Self.minimumText { return nil }
        }
        let e = entries ?? HugePages.allocate(UInt64.self, capacity: Self.entryWords * Self.entryCount)
        e.initialize(repeating: 0, count: Self.entryWords * Self.entryCount)
        entries = e
        owner = id
        return e
    }

    /// Writes the cached ids of `p[0..<n]` (n ≤ maxKey, hash `h`, `head` = `headWord(p, n)`)
    /// at `out` and returns the end, or nil.
    @inline(__always)
    static func find(_ e: UnsafeMutablePointer<UInt64>, _ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, _ head: UInt64,
                     _ out: UnsafeMutablePointer<UInt32>) -> UnsafeMutablePointer<UInt32>? {
        let entry = e + (Int(truncatingIfNeeded: h >> 20) & (entryCount - 1)) * entryWords
        let meta = entry[1]
        guard entry[0] == h, Int(meta & 0xFF) == n, paddedKeyEquals(entry + 2, p, n, head: head) else { return nil }
        let count = Int(meta >> 8 & 0xFF)
        let ids = UnsafeRawPointer(entry + 5).assumingMemoryBound(to: UInt32.self)
        if count == 1 { out[0] = ids[0]; return out + 1 }
        out.update(from: ids, count: count)
        return out + count
    }

    /// Starts loading the entry of hash `h`.
    @inline(__always) static func prefetch(_ e: UnsafeMutablePointer<UInt64>, _ h: UInt64) {
        winnow_prefetch(e + (Int(truncatingIfNeeded: h >> 20) & (entryCount - 1)) * entryWords)
    }

    /// Remembers that `p[0..<n]` (n ≤ maxKey, hash `h`) encodes as `ids` (count ≤ maxIDs).
    @inline(__always)
    static func store(_ e: UnsafeMutablePointer<UInt64>, _ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, _ ids: UnsafePointer<UInt32>, _ count: Int) {
        let entry = e + (Int(truncatingIfNeeded: h >> 20) & (entryCount - 1)) * entryWords
        entry[0] = h
        entry[1] = UInt64(n) | UInt64(count) << 8
        entry[2] = 0; entry[3] = 0; entry[4] = 0
        UnsafeMutableRawPointer(entry + 2).copyMemory(from: p, byteCount: n)
        UnsafeMutableRawPointer(entry + 5).copyMemory(from: ids, byteCount: 4 * count)
    }
}

/// (left, right) → rank of the pairs one table answered last: direct-mapped, 16 K words of the
/// compact table's layout (key, then rank; the all-ones rank for "no merge"), 128 KB, so the
/// lookups of a long CJK piece mostly stay in L2. Bound to one table; cleared on a change.
final class PairCache {
    static let bits = 14
    private var words: UnsafeMutablePointer<UInt64>?
    private var owner: ObjectIdentifier?

    init() {}
    deinit { words?.deallocate() }

    @inline(__always) func bind(_ table: PairMergeTable) -> UnsafeMutablePointer<UInt64> {
        let id = ObjectIdentifier(table)
        if let w = words, owner == id { return w }
        let w = words ?? .allocate(capacity: 1 << Self.bits)
        // All ones: a key no pair has (ids of a compact table stay below 2^22 - 1).
        w.initialize(repeating: UInt64.max, count: 1 << Self.bits)
        words = w
        owner = id
        return w
    }
}

enum BytePairMerger {
    /// Pieces up to this many symbols use the quadratic scan (fewer cache misses, no tree).
    static let scanLimit = 16

    /// Merges `symbols` in place; returns the new count.
    @inline(__always)
    static func merge(_ sym: UnsafeMutablePointer<UInt32>, _ n: Int, _ pairs: PairMergeTable, _ scratch: MergeScratch) -> Int {
        if n < 2 { return n }
        let cache = scratch.pairCache.bind(pairs)
        if n <= scanLimit { return mergeByScan(sym, n, pairs, scratch.ranks, cache) }
        return mergeByHeap(sym, n, pairs, scratch, cache)
    }

    private static func mergeByScan(_ sym: UnsafeMutablePointer<UInt32>, _ n0: Int, _ pairs: PairMergeTable, _ r: UnsafeMutablePointer<UInt32>,
                                    _ cache: UnsafeMutablePointer<UInt64>?) -> Int {
        var n = n0
        // Start every first-round table probe before waiting on any (each is a cache miss).
        for i in 0..<(n &- 1) { pairs.prefetch(sym[i], sym[i &+ 1]) }
        for i in 0..<(n &- 1) { r[i] = pairs.find(sym[i], sym[i &+ 1], cache) }
        while n > 1 {
            // The lowest rank, leftmost on ties, as the minimum of rank << 32 | index: a
            // compare-and-select per pair instead of a branch that mispredicts on every new best.
            var key = UInt64.max
            var i = 0
            while i < n &- 1 {
                key = min(key, UInt64(r[i]) << 32 | UInt64(truncatingIfNeeded: i))
                i &+= 1
            }
            let best = UInt32(truncatingIfNeeded: key >> 32)
            if best == PairMergeTable.none { break }
            let at = Int(truncatingIfNeeded: key & 0xFFFF_FFFF)
            sym[at] = pairs.merged(best)
            // remove symbol at+1 and its pair rank
            var j = at &+ 1
            while j < n &- 1 { sym[j] = sym[j &+ 1]; r[j] = r[j &+ 1]; j &+= 1 }
            n &-= 1
            if at &+ 1 < n { r[at] = pairs.find(sym[at], sym[at &+ 1], cache) } else { r[at] = PairMergeTable.none }
            if at > 0 { r[at &- 1] = pairs.find(sym[at &- 1], sym[at], cache) }
        }
        return n
    }

    /// The merge over a linked list with a binary heap of (rank, position) entries; entries
    /// whose pair changed since are skipped when popped. O(n log n) for any piece.
    fileprivate static func mergeByHeap(_ sym: UnsafeMutablePointer<UInt32>, _ n: Int, _ pairs: PairMergeTable, _ scratch: MergeScratch,
                                        _ cache: UnsafeMutablePointer<UInt64>?) -> Int {
        // Each merge pushes at most two entries: n initial + 2n.
        scratch.reserveHeap(2 &* n)
        let next = scratch.next, prev = scratch.prev
        // The current rank of the pair starting at each symbol (a popped entry is checked
        // without a second table probe); in the upper half of the link buffers' capacity.
        let current = UnsafeMutableRawPointer(scratch.prev + n).bindMemory(to: UInt32.self, capacity: n)
        var heap = Heap(scratch.heap)
        for i in 0..<n { next[i] = Int32(truncatingIfNeeded: i &+ 1); prev[i] = Int32(truncatingIfNeeded: i &- 1) }
        next[n &- 1] = -1
        current[n &- 1] = PairMergeTable.none
        for i in 0..<(n &- 1) { pairs.prefetch(sym[i], sym[i &+ 1]) }
        for i in 0..<(n &- 1) {
            let v = pairs.find(sym[i], sym[i &+ 1], cache)
            current[i] = v
            if v != PairMergeTable.none { heap.push(UInt64(v) << 32 | UInt64(i)) }
        }
        while let top = heap.pop() {
            let i = Int(top & 0xFFFF_FFFF)
            // Stale entries: a removed left symbol, or a pair whose rank changed since.
            if prev[i] == -2 { continue }
            let v = current[i]
            if v == PairMergeTable.none || UInt64(v) != top >> 32 { continue }
            let j = Int(next[i])
            sym[i] = pairs.merged(v)
            let k = next[j]
            next[i] = k
            prev[j] = -2
            if k >= 0 {
                prev[Int(k)] = Int32(truncatingIfNeeded: i)
                let w = pairs.find(sym[i], sym[Int(k)], cache)
                current[i] = w
                if w != PairMergeTable.none { heap.push(UInt64(w) << 32 | UInt64(i)) }
            } else {
                current[i] = PairMergeTable.none
            }
            let h = prev[i]
            if h >= 0 {
                let w = pairs.find(sym[Int(h)], sym[i], cache)
                current[Int(h)] = w
                if w != PairMergeTable.none { heap.push(UInt64(w) << 32 | UInt64(h)) }
            }
        }
        var out = 0, p = 0
        while p >= 0 { sym[out] = sym[p]; out &+= 1; p = Int(next[p]) }
        return out
    }
}

/// Binary min-heap of packed (rank, position) keys over a caller's buffer (capacity given).
struct Heap {
    let storage: UnsafeMutablePointer<UInt64>
    var count = 0

    init(_ storage: UnsafeMutablePointer<UInt64>) { self.storage = storage }

    @inline(__always) mutating func push(_ v: UInt64) {
        var i = count
        count &+= 1
        while i > 0 {
            let p = (i &- 1) >> 1
            if storage[p] <= v { break }
            storage[i] = storage[p]
            i = p
        }
        storage[i] = v
    }

    @inline(__always) mutating func pop() -> UInt64? {
        if count == 0 { return nil }
        count &-= 1
        let top = storage[0]
        if count == 0 { return top }
        let last = storage[count]
        let n = count
        var i = 0
        while true {
            var c = 2 &* i &+ 1
            if c >= n { break }
            if c &+ 1 < n && storage[c &+ 1] < storage[c] { c &+= 1 }
            if storage[c] >= last { break }
            storage[i] = storage[c]
            i = c
        }
        storage[i] = last
        return top
    }
}

extension BytePairMerger {
    /// The heap merge for any length (tests compare it with the scan on short pieces).
    static func mergeByHeapForTesting(_ sym: UnsafeMutablePointer<UInt32>, _ n: Int, _ pairs: PairMergeTable, _ scratch: MergeScratch) -> Int {
        n < 2 ? n : mergeByHeap(sym, n, pairs, scratch, nil)
    }
}

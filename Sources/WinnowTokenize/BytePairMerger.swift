// Byte-pair merging: the lowest-ranked adjacent pair merges first, the leftmost on ties (what
// tiktoken's min scan and HF's priority queue both do). Short pieces use a scan over an array;
// long ones a heap over a linked list, so a 10 MB piece costs O(n log n), not O(n²).

/// (left id, right id) → (rank, merged id), open addressing on the packed pair.
final class PairMergeTable: @unchecked Sendable {
    static let none = UInt64.max
    private let keys: UnsafeMutablePointer<UInt64>
    private let values: UnsafeMutablePointer<UInt64>
    private let mask: Int
    private(set) var count = 0

    init(expected: Int) {
        var size = 16
        while size < expected * 2 { size <<= 1 }
        keys = .allocate(capacity: size)
        keys.initialize(repeating: UInt64.max, count: size)
        values = .allocate(capacity: size)
        values.initialize(repeating: 0, count: size)
        mask = size - 1
    }

    deinit { keys.deallocate(); values.deallocate() }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
    }

    /// Adds a merge; a pair seen before keeps its first entry unless `replace` (HF builds a
    /// map from its merges list, so there the last duplicate wins).
    func insert(_ a: UInt32, _ b: UInt32, rank: UInt32, merged: UInt32, replace: Bool = false) {
        let key = UInt64(a) << 32 | UInt64(b)
        var i = Self.slot(key, mask)
        while keys[i] != UInt64.max {
            if keys[i] == key {
                if replace { values[i] = UInt64(rank) << 32 | UInt64(merged) }
                return
            }
            i = (i + 1) & mask
        }
        keys[i] = key
        values[i] = UInt64(rank) << 32 | UInt64(merged)
        count += 1
    }

    /// rank << 32 | merged id, or `none`.
    @inline(__always) func find(_ a: UInt32, _ b: UInt32) -> UInt64 {
        let key = UInt64(a) << 32 | UInt64(b)
        var i = Self.slot(key, mask)
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == UInt64.max { return Self.none }
            i = (i + 1) & mask
        }
    }
}

/// Reusable buffers for encoding; one per thread (not shared).
public final class MergeScratch {
    var symbols: [UInt32] = []
    var ranks: [UInt64] = []
    var bytes: [UInt8] = []
    /// The heap merge's buffers, grown on demand: heap (3n), next and prev links (n each),
    /// the current merge of each pair (n).
    private(set) var heapCapacity = 0
    private(set) var heap = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    private(set) var next = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private(set) var prev = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private(set) var current = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    public init() {}

    func reserveHeap(_ n: Int) {
        if n <= heapCapacity { return }
        heap.deallocate(); next.deallocate(); prev.deallocate(); current.deallocate()
        heapCapacity = max(n, 2 * heapCapacity)
        heap = .allocate(capacity: 3 * heapCapacity)
        next = .allocate(capacity: heapCapacity)
        prev = .allocate(capacity: heapCapacity)
        current = .allocate(capacity: heapCapacity)
    }

    deinit { heap.deallocate(); next.deallocate(); prev.deallocate(); current.deallocate() }
}

enum BytePairMerger {
    /// Pieces up to this many symbols use the quadratic scan (fewer cache misses, no heap).
    static let scanLimit = 16

    /// Merges `symbols` in place; returns the new count.
    static func merge(_ sym: UnsafeMutablePointer<UInt32>, _ n: Int, _ pairs: PairMergeTable, _ scratch: MergeScratch) -> Int {
        if n < 2 { return n }
        if n <= scanLimit { return mergeByScan(sym, n, pairs, scratch) }
        return mergeByHeap(sym, n, pairs, scratch)
    }

    private static func mergeByScan(_ sym: UnsafeMutablePointer<UInt32>, _ n0: Int, _ pairs: PairMergeTable, _ scratch: MergeScratch) -> Int {
        var n = n0
        if scratch.ranks.count < n { scratch.ranks = [UInt64](repeating: 0, count: max(n, scanLimit)) }
        return scratch.ranks.withUnsafeMutableBufferPointer { rb in
            let r = rb.baseAddress!
            for i in 0..<(n - 1) { r[i] = pairs.find(sym[i], sym[i + 1]) }
            while n > 1 {
                var best = PairMergeTable.none, at = -1
                for i in 0..<(n - 1) where r[i] >> 32 < best >> 32 { best = r[i]; at = i }
                if at < 0 { break }
                sym[at] = UInt32(truncatingIfNeeded: best)
                // remove symbol at+1 and its pair rank
                var j = at + 1
                while j < n - 1 { sym[j] = sym[j + 1]; r[j] = r[j + 1]; j += 1 }
                n -= 1
                if at + 1 < n { r[at] = pairs.find(sym[at], sym[at + 1]) } else { r[at] = PairMergeTable.none }
                if at > 0 { r[at - 1] = pairs.find(sym[at - 1], sym[at]) }
            }
            return n
        }
    }

    fileprivate static func mergeByHeap(_ sym: UnsafeMutablePointer<UInt32>, _ n: Int, _ pairs: PairMergeTable, _ scratch: MergeScratch) -> Int {
        // Each merge pushes at most two heap entries: n initial + 2n.
        scratch.reserveHeap(n)
        let next = scratch.next, prev = scratch.prev
        // The current merge (rank << 32 | id) of the pair starting at each symbol, so a heap
        // entry is checked without a second table probe.
        let current = scratch.current
        var heap = Heap(scratch.heap)
        for i in 0..<n { next[i] = Int32(i + 1); prev[i] = Int32(i - 1) }
        next[n - 1] = -1
        current[n - 1] = PairMergeTable.none
        for i in 0..<(n - 1) {
            let v = pairs.find(sym[i], sym[i + 1])
            current[i] = v
            if v != PairMergeTable.none { heap.push((v >> 32) << 32 | UInt64(i)) }
        }
        while let top = heap.pop() {
            let i = Int(top & 0xFFFF_FFFF)
            // Stale entries: a removed left symbol, or a pair whose rank changed since.
            if prev[i] == -2 { continue }
            let v = current[i]
            if v == PairMergeTable.none || v >> 32 != top >> 32 { continue }
            let j = Int(next[i])
            sym[i] = UInt32(truncatingIfNeeded: v)
            let k = next[j]
            next[i] = k
            prev[j] = -2
            if k >= 0 {
                prev[Int(k)] = Int32(i)
                let w = pairs.find(sym[i], sym[Int(k)])
                current[i] = w
                if w != PairMergeTable.none { heap.push((w >> 32) << 32 | UInt64(i)) }
            } else {
                current[i] = PairMergeTable.none
            }
            let h = prev[i]
            if h >= 0 {
                let w = pairs.find(sym[Int(h)], sym[i])
                current[Int(h)] = w
                if w != PairMergeTable.none { heap.push((w >> 32) << 32 | UInt64(h)) }
            }
        }
        var out = 0, i = 0
        while i >= 0 { sym[out] = sym[i]; out += 1; i = Int(next[i]) }
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
        count += 1
        while i > 0 {
            let p = (i - 1) >> 1
            if storage[p] <= v { break }
            storage[i] = storage[p]
            i = p
        }
        storage[i] = v
    }

    @inline(__always) mutating func pop() -> UInt64? {
        if count == 0 { return nil }
        count -= 1
        let top = storage[0]
        if count == 0 { return top }
        let last = storage[count]
        let n = count
        var i = 0
        while true {
            var c = 2 * i + 1
            if c >= n { break }
            if c + 1 < n && storage[c + 1] < storage[c] { c += 1 }
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
        n < 2 ? n : mergeByHeap(sym, n, pairs, scratch)
    }
}

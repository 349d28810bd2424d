// Bookkeeping of BPE training: a dense id per adjacent-symbol pair with its count, and the
// max-heap of merge candidates. A candidate carries the words it may occur in; its count can
// go stale (pairs lose occurrences when a neighbour merges) and is checked when it is popped.

/// Pair (left, right) as one key: ordering keys orders pairs by left id, then right id.
@inline(__always) func pairKey(_ a: UInt32, _ b: UInt32) -> UInt64 { UInt64(a) << 32 | UInt64(b) }

/// Pair key → dense pair id, and the count of every pair id.
struct PairCounts {
    private var slots: [Int32]  // pair id + 1; 0 empty
    private var mask: Int
    private(set) var keys: [UInt64] = []
    var counts: [Int64] = []

    init(expected: Int) {
        var size = 1024
        while size < expected * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always) private static func hash(_ k: UInt64) -> Int {
        var h = k &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 31
        return Int(truncatingIfNeeded: h)
    }

    /// The pair's id, added with count 0 when new.
    @inline(__always) mutating func id(_ key: UInt64) -> Int {
        var s = Self.hash(key) & mask
        while true {
            let v = Int(slots[s])
            if v == 0 { break }
            if keys[v - 1] == key { return v - 1 }
            s = (s + 1) & mask
        }
        keys.append(key)
        counts.append(0)
        slots[s] = Int32(keys.count)
        if keys.count * 2 > slots.count { grow() }
        return keys.count - 1
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [Int32](repeating: 0, count: size)
        let m = size - 1
        for (i, k) in keys.enumerated() {
            var s = Self.hash(k) & m
            while fresh[s] != 0 { s = (s + 1) & m }
            fresh[s] = Int32(i + 1)
        }
        slots = fresh
        mask = m
    }
}

/// A merge candidate: the pair, the count it was queued with, and its list of words.
struct MergeCandidate {
    var count: Int64
    var key: UInt64
    var pair: Int32
    var words: Int32

    /// Pops first: the larger count, then the smaller pair (left id, then right id).
    @inline(__always) func before(_ o: MergeCandidate) -> Bool {
        count != o.count ? count > o.count : key < o.key
    }
}

/// Binary max-heap of candidates by `before`.
struct MergeQueue {
    private var heap: [MergeCandidate] = []

    var isEmpty: Bool { heap.isEmpty }

    mutating func reserve(_ n: Int) { heap.reserveCapacity(n) }

    mutating func push(_ c: MergeCandidate) {
        heap.append(c)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].before(heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> MergeCandidate? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if heap.isEmpty { return top }
        heap[0] = last
        var i = 0
        let n = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < n && heap[l].before(heap[best]) { best = l }
            if r < n && heap[r].before(heap[best]) { best = r }
            if best == i { break }
            heap.swapAt(i, best)
            i = best
        }
        return top
    }
}

/// Word lists of the candidates, back to back (a list is never changed once written).
struct WordLists {
    private(set) var items: [Int32] = []
    private var starts: [Int] = [0]

    /// Appends a list and returns its number.
    mutating func append<C: Collection>(_ words: C) -> Int32 where C.Element == Int32 {
        items.append(contentsOf: words)
        starts.append(items.count)
        return Int32(starts.count - 2)
    }

    func range(_ list: Int32) -> Range<Int> { starts[Int(list)]..<starts[Int(list) + 1] }
}

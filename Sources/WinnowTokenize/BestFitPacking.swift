// Best-fit-decreasing packing of documents into training sequences of length L (Ding et al.
// 2024, "Fewer Truncations Improve Language Modeling"; SPECS §5). Only documents longer than L
// are cut (into pieces of exactly L and a remainder); the pieces go, longest first, into the
// open sequence with the least room that still fits them. Counting sort plus a segment tree
// over remaining capacities make it O(N log L).

/// A piece of a document: `length` tokens from `offset`.
public struct PackChunk: Sendable, Equatable {
    public var document: Int
    public var offset: Int
    public var length: Int
    public init(document: Int, offset: Int, length: Int) { self.document = document; self.offset = offset; self.length = length }
}

public enum BestFitPacking {
    /// Every document cut into pieces of at most `capacity` tokens: documents that fit stay
    /// whole; longer ones give pieces of exactly `capacity` and a remainder. Empty documents
    /// give no piece.
    public static func chunks(lengths: [Int], capacity: Int) -> [PackChunk] {
        precondition(capacity > 0)
        var out: [PackChunk] = []
        out.reserveCapacity(lengths.count)
        for (d, n) in lengths.enumerated() {
            var o = 0
            while o < n {
                let l = min(capacity, n - o)
                out.append(PackChunk(document: d, offset: o, length: l))
                o += l
            }
        }
        return out
    }

    /// Best-fit decreasing over `sizes` (each in 1...capacity): the bins, each a list of
    /// indices into `sizes` in the order they were placed. Ties are broken deterministically:
    /// equal sizes in index order; among bins with the same least sufficient room, the one
    /// that reached that room last (a stack per room).
    public static func pack(sizes: [Int], capacity: Int) -> [[Int]] {
        precondition(capacity > 0)
        // Counting sort, longest first, stable.
        var count = [Int](repeating: 0, count: capacity + 2)
        for s in sizes {
            precondition(s >= 1 && s <= capacity, "a piece of \(s) tokens does not fit a sequence of \(capacity)")
            count[s] += 1
        }
        var start = [Int](repeating: 0, count: capacity + 2)
        var acc = 0
        for s in stride(from: capacity, through: 1, by: -1) { start[s] = acc; acc += count[s] }
        var order = [Int](repeating: 0, count: sizes.count)
        for (i, s) in sizes.enumerated() { order[start[s]] = i; start[s] += 1 }

        var tree = RoomTree(capacity: capacity)
        var binsWithRoom = [[Int32]](repeating: [], count: capacity + 1)
        var bins: [[Int]] = []
        for i in order {
            let s = sizes[i]
            let bin: Int
            let room: Int
            if let r = tree.leastAtLeast(s) {
                bin = Int(binsWithRoom[r].removeLast())
                if binsWithRoom[r].isEmpty { tree.set(r, false) }
                room = r
                bins[bin].append(i)
            } else {
                bin = bins.count
                bins.append([i])
                room = capacity
            }
            let left = room - s
            if left > 0 {
                binsWithRoom[left].append(Int32(bin))
                tree.set(left, true)
            }
        }
        return bins
    }
}

/// Which rooms (1…capacity) some open bin has, with "least room ≥ s" in O(log capacity).
struct RoomTree {
    private var has: [Bool]
    private let size: Int

    init(capacity: Int) {
        var n = 1
        while n < capacity + 1 { n <<= 1 }
        size = n
        has = [Bool](repeating: false, count: 2 * n)
    }

    mutating func set(_ room: Int, _ value: Bool) {
        var i = room + size
        has[i] = value
        i >>= 1
        while i >= 1 {
            let v = has[2 * i] || has[2 * i + 1]
            if has[i] == v { break }
            has[i] = v
            i >>= 1
        }
    }

    func leastAtLeast(_ s: Int) -> Int? {
        guard s < size else { return nil }
        var i = s + size
        if has[i] { return s }
        // Climb until a right sibling holds something, then take its leftmost leaf.
        while i > 1 {
            if i & 1 == 0 && has[i + 1] {
                i += 1
                while i < size { i = has[2 * i] ? 2 * i : 2 * i + 1 }
                return i - size
            }
            i >>= 1
        }
        return nil
    }
}

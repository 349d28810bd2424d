// SentencePiece BPE: start from characters (user-defined pieces as frozen single symbols) and
// repeatedly merge the adjacent pair whose concatenation is the highest-scoring vocabulary
// piece (ties: leftmost first), using a heap with lazy invalidation. This is score-based, not
// rank-based: the vocabulary scores are the merge order. Pieces of type UNUSED may be formed
// and are then split back along the pair that last proposed them (at most 100 levels deep), as
// sentencepiece 0.2 does; a symbol that is no vocabulary piece is unknown.

struct SentencePieceBPE: Sendable {
    let trie: PieceTrie
    let scores: [Float]
    let types: [SentencePieceModelProto.PieceType]
    let userDefined: PieceTrie?
    /// Vocabulary pieces by spelling, hashed: a candidate pair is looked up by its bytes in a
    /// table small enough to stay in cache (a trie walk or a pair table misses it).
    let byText: PieceHashTable

    init(trie: PieceTrie, scores: [Float], types: [SentencePieceModelProto.PieceType], userDefined: PieceTrie?,
         pieces: [(bytes: [UInt8], id: Int32)]) {
        self.trie = trie; self.scores = scores; self.types = types; self.userDefined = userDefined
        byText = PieceHashTable(pieces)
    }

    fileprivate struct Candidate {
        var key: Int32
        var left: Int32
        var right: Int32
        var size: Int32
        var merged: Int32   // id of the merged piece
        /// Heap order: higher score first, then the leftmost pair.
        @inline(__always)
        func before(_ o: Candidate) -> Bool { key > o.key || (key == o.key && left < o.left) }
    }

    /// The order sentencepiece gives scores: their IEEE bits read as integers, so −0 < +0.
    @inline(__always)
    static func orderKey(_ score: Float) -> Int32 {
        let i = Int32(bitPattern: score.bitPattern)
        return i >= 0 ? i : -(i & 0x7FFF_FFFF) - 1
    }

    /// sentencepiece's limit on splitting an UNUSED piece back into its parts.
    static let maxResegmentDepth = 100

    /// Segments `s` into vocabulary ids (`unkID` for symbols that are no piece).
    func encode(_ s: UnsafeBufferPointer<UInt8>, unkID: Int32, into out: inout [SentencePieceSegment]) {
        out.removeAll(keepingCapacity: true)
        let size = s.count
        if size == 0 { return }
        var start: [Int32] = []
        var len: [Int32] = []
        var frozen: [Bool] = []
        var pid: [Int32] = []   // the symbol's piece id, -1 when it is no piece
        start.reserveCapacity(size); len.reserveCapacity(size); frozen.reserveCapacity(size); pid.reserveCapacity(size)
        var i = 0
        while i < size {
            var n = 0
            if let ud = userDefined { n = ud.longestPrefix(s, at: i, end: size) }
            let isFrozen = n > 0
            if n == 0 { n = min(SentencePieceUTF8.oneCharLen(s[i]), size - i) }
            start.append(Int32(i)); len.append(Int32(n)); frozen.append(isFrozen)
            let node = trie.walk(from: 0, s, i..<(i + n))
            pid.append(node >= 0 ? trie.value(node) : -1)
            i += n
        }
        let count = start.count
        var prev = (0..<count).map { Int32($0) - 1 }
        var next = (0..<count).map { $0 + 1 < count ? Int32($0 + 1) : -1 }
        var heap = CandidateHeap()
        heap.items.reserveCapacity(count)
        var unusedSplits: [[UInt8]: Int32] = [:]

        func maybeAdd(_ l: Int32, _ r: Int32) {
            guard l >= 0, r >= 0, !frozen[Int(l)], !frozen[Int(r)] else { return }
            let ls = Int(start[Int(l)]), rEnd = Int(start[Int(r)]) + Int(len[Int(r)])
            let id = byText.lookup(s, ls..<rEnd)
            guard id >= 0 else { return }
            heap.push(Candidate(key: Self.orderKey(scores[Int(id)]), left: l, right: r, size: len[Int(l)] + len[Int(r)], merged: id))
            if types[Int(id)] == .unused {
                unusedSplits[Array(s[ls..<rEnd])] = len[Int(l)]
            }
        }

        for k in 1..<max(count, 1) { maybeAdd(Int32(k - 1), Int32(k)) }
        while !heap.items.isEmpty {
            let top = heap.pop()
            let l = Int(top.left), r = Int(top.right)
            if len[l] == 0 || len[r] == 0 || len[l] + len[r] != top.size { continue }
            len[l] += len[r]
            pid[l] = top.merged
            next[l] = next[r]
            if next[r] >= 0 { prev[Int(next[r])] = Int32(l) }
            len[r] = 0
            maybeAdd(prev[l], Int32(l))
            maybeAdd(Int32(l), next[l])
        }

        // Emit symbols; an UNUSED piece is split back along its recorded pair, recursively.
        func emit(_ lo: Int, _ hi: Int, _ idHint: Int32, depth: Int) {
            var id = idHint
            if id == -2 {
                let n = trie.walk(from: 0, s, lo..<hi)
                id = n >= 0 ? trie.value(n) : -1
            }
            if id < 0 {
                out.append(SentencePieceSegment(start: Int32(lo), end: Int32(hi), id: unkID))
            } else if types[Int(id)] != .unused || depth > Self.maxResegmentDepth {
                out.append(SentencePieceSegment(start: Int32(lo), end: Int32(hi), id: id))
            } else if let leftLen = unusedSplits[Array(s[lo..<hi])] {
                emit(lo, lo + Int(leftLen), -2, depth: depth + 1)
                emit(lo + Int(leftLen), hi, -2, depth: depth + 1)
            } else {
                out.append(SentencePieceSegment(start: Int32(lo), end: Int32(hi), id: unkID))
            }
        }
        var k: Int32 = 0
        while k >= 0 {
            let lo = Int(start[Int(k)])
            emit(lo, lo + Int(len[Int(k)]), pid[Int(k)], depth: 0)
            k = next[Int(k)]
        }
    }
}

/// A binary max-heap of merge candidates (hole-based sifting over the raw buffer).
private struct CandidateHeap {
    var items: [SentencePieceBPE.Candidate] = []

    mutating func push(_ c: SentencePieceBPE.Candidate) {
        items.append(c)
        items.withUnsafeMutableBufferPointer { h in
            var k = h.count - 1
            while k > 0 {
                let p = (k - 1) >> 1
                guard c.before(h[p]) else { break }
                h[k] = h[p]
                k = p
            }
            h[k] = c
        }
    }

    mutating func pop() -> SentencePieceBPE.Candidate {
        let top = items[0]
        let last = items.removeLast()
        if items.isEmpty { return top }
        items.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var k = 0
            while true {
                let l = 2 * k + 1
                if l >= n { break }
                var c = l
                if l + 1 < n && h[l + 1].before(h[l]) { c = l + 1 }
                guard h[c].before(last) else { break }
                h[k] = h[c]
                k = c
            }
            h[k] = last
        }
        return top
    }
}

/// Vocabulary pieces by their bytes: open addressing over (32-bit hash, id) slots, confirmed
/// by comparing the bytes, which sit in one contiguous blob.
struct PieceHashTable: Sendable {
    private var slots: [UInt64] = []   // hash << 32 | (id + 1); 0 = empty
    private var blob: [UInt8] = []
    private var offsets: [Int32] = []  // by id: start in blob, -1 if not in the table
    private var lengths: [Int32] = []
    private var mask = 0

    init(_ pieces: [(bytes: [UInt8], id: Int32)]) {
        let maxID = Int(pieces.map(\.id).max() ?? -1)
        offsets = [Int32](repeating: -1, count: maxID + 1)
        lengths = [Int32](repeating: 0, count: maxID + 1)
        var cap = 16
        while cap < pieces.count * 2 { cap <<= 1 }
        mask = cap - 1
        slots = [UInt64](repeating: 0, count: cap)
        for (bytes, id) in pieces {
            offsets[Int(id)] = Int32(blob.count)
            lengths[Int(id)] = Int32(bytes.count)
            blob += bytes
            let h = bytes.withUnsafeBufferPointer { Self.hash($0, 0..<$0.count) }
            var i = Int(h) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = UInt64(h) << 32 | UInt64(id + 1)
        }
    }

    @inline(__always)
    static func hash(_ s: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> UInt32 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for i in r { h = (h ^ UInt64(s[i])) &* 0x0000_0100_0000_01B3 }
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// Id of the piece spelled `s[r]`, or -1.
    @inline(__always)
    func lookup(_ s: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int32 {
        let h = Self.hash(s, r)
        return slots.withUnsafeBufferPointer { slots in
            blob.withUnsafeBufferPointer { blob in
                var i = Int(h) & mask
                while true {
                    let v = slots[i]
                    if v == 0 { return -1 }
                    if UInt32(truncatingIfNeeded: v >> 32) == h {
                        let id = Int(v & 0xFFFF_FFFF) - 1
                        if Int(lengths[id]) == r.count {
                            let o = Int(offsets[id])
                            var k = 0
                            while k < r.count && blob[o + k] == s[r.lowerBound + k] { k += 1 }
                            if k == r.count { return Int32(id) }
                        }
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }
}

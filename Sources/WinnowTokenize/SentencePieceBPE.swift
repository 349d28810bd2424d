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
    /// (left id, right id) → id of their concatenation, for every split of every piece into
    /// two pieces: one probe per candidate pair instead of a trie walk over the right symbol.
    let pairs: PiecePairTable

    init(trie: PieceTrie, scores: [Float], types: [SentencePieceModelProto.PieceType], userDefined: PieceTrie?,
         pieces: [(bytes: [UInt8], id: Int32)]) {
        self.trie = trie; self.scores = scores; self.types = types; self.userDefined = userDefined
        var entries: [(UInt64, Int32)] = []
        for (bytes, id) in pieces where bytes.count > 1 {
            bytes.withUnsafeBufferPointer { b in
                for k in 1..<b.count {
                    let l = trie.walk(from: 0, b, 0..<k)
                    guard l >= 0, trie.value(l) >= 0 else { continue }
                    let r = trie.walk(from: 0, b, k..<b.count)
                    guard r >= 0, trie.value(r) >= 0 else { continue }
                    entries.append((PiecePairTable.key(trie.value(l), trie.value(r)), id))
                }
            }
        }
        pairs = PiecePairTable(entries)
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
            let a = pid[Int(l)], b = pid[Int(r)]
            let ls = Int(start[Int(l)]), rEnd = Int(start[Int(r)]) + Int(len[Int(r)])
            let id: Int32
            if a >= 0 && b >= 0 {
                id = pairs.lookup(a, b)
            } else {
                // A character that is no piece may still begin or end one: look the text up.
                let n = trie.walk(from: 0, s, ls..<rEnd)
                id = n >= 0 ? trie.value(n) : -1
            }
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

/// Open-addressing map from a pair of piece ids to the id of their concatenation; key and value
/// share one 16-byte slot so a probe touches one cache line.
struct PiecePairTable: Sendable {
    private var slots: [UInt64] = []   // [key + 1, value] pairs; key + 1 == 0 marks empty
    private var mask = 0
    private var shift: UInt64 = 64

    @inline(__always)
    static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }

    init(_ entries: [(UInt64, Int32)]) {
        var cap = 16
        while cap < entries.count * 2 { cap <<= 1 }
        mask = cap - 1
        shift = UInt64(64 - cap.trailingZeroBitCount)
        slots = [UInt64](repeating: 0, count: cap * 2)
        for (k, v) in entries {
            var i = slot(k)
            while slots[2 * i] != 0 && slots[2 * i] != k + 1 { i = (i + 1) & mask }
            slots[2 * i] = k + 1
            slots[2 * i + 1] = UInt64(UInt32(bitPattern: v))
        }
    }

    @inline(__always)
    private func slot(_ k: UInt64) -> Int { Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> shift) & mask }

    /// The merged id, or -1.
    @inline(__always)
    func lookup(_ a: Int32, _ b: Int32) -> Int32 {
        let k = Self.key(a, b) &+ 1
        return slots.withUnsafeBufferPointer { slots in
            var i = slot(k &- 1)
            while true {
                let v = slots[2 * i]
                if v == k { return Int32(bitPattern: UInt32(truncatingIfNeeded: slots[2 * i + 1])) }
                if v == 0 { return -1 }
                i = (i + 1) & mask
            }
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

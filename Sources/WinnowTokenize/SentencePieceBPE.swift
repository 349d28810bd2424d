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

    private struct Candidate {
        var key: Int32
        var left: Int32
        var right: Int32
        var size: Int32
        var node: Int32
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
        var node: [Int32] = []
        start.reserveCapacity(size); len.reserveCapacity(size); frozen.reserveCapacity(size); node.reserveCapacity(size)
        var i = 0
        while i < size {
            var n = 0
            if let ud = userDefined { n = ud.longestPrefix(s, at: i, end: size) }
            let isFrozen = n > 0
            if n == 0 { n = min(SentencePieceUTF8.oneCharLen(s[i]), size - i) }
            start.append(Int32(i)); len.append(Int32(n)); frozen.append(isFrozen)
            node.append(trie.walk(from: 0, s, i..<(i + n)))
            i += n
        }
        let count = start.count
        var prev = (0..<count).map { Int32($0) - 1 }
        var next = (0..<count).map { $0 + 1 < count ? Int32($0 + 1) : -1 }
        var heap: [Candidate] = []
        heap.reserveCapacity(count)
        var unusedSplits: [[UInt8]: Int32] = [:]

        func push(_ c: Candidate) {
            heap.append(c)
            var k = heap.count - 1
            while k > 0 {
                let p = (k - 1) >> 1
                guard heap[k].before(heap[p]) else { break }
                heap.swapAt(k, p)
                k = p
            }
        }
        func pop() -> Candidate {
            let top = heap[0]
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                var k = 0
                let n = heap.count
                while true {
                    let l = 2 * k + 1
                    if l >= n { break }
                    var c = l
                    if l + 1 < n && heap[l + 1].before(heap[l]) { c = l + 1 }
                    guard heap[c].before(heap[k]) else { break }
                    heap.swapAt(k, c)
                    k = c
                }
            }
            return top
        }
        func maybeAdd(_ l: Int32, _ r: Int32) {
            guard l >= 0, r >= 0, !frozen[Int(l)], !frozen[Int(r)] else { return }
            let ln = node[Int(l)]
            guard ln >= 0 else { return }
            let rs = Int(start[Int(r)])
            let merged = trie.walk(from: ln, s, rs..<(rs + Int(len[Int(r)])))
            guard merged >= 0 else { return }
            let id = trie.value(merged)
            guard id >= 0 else { return }
            push(Candidate(key: Self.orderKey(scores[Int(id)]), left: l, right: r, size: len[Int(l)] + len[Int(r)], node: merged))
            if types[Int(id)] == .unused {
                let ls = Int(start[Int(l)])
                unusedSplits[Array(s[ls..<(rs + Int(len[Int(r)]))])] = len[Int(l)]
            }
        }

        for k in 1..<max(count, 1) { maybeAdd(Int32(k - 1), Int32(k)) }
        while !heap.isEmpty {
            let top = pop()
            let l = Int(top.left), r = Int(top.right)
            if len[l] == 0 || len[r] == 0 || len[l] + len[r] != top.size { continue }
            len[l] += len[r]
            node[l] = top.node
            next[l] = next[r]
            if next[r] >= 0 { prev[Int(next[r])] = Int32(l) }
            len[r] = 0
            maybeAdd(prev[l], Int32(l))
            maybeAdd(Int32(l), next[l])
        }

        // Emit symbols; an UNUSED piece is split back along its recorded pair, recursively.
        func emit(_ lo: Int, _ hi: Int, _ nodeHint: Int32, depth: Int) {
            let n = nodeHint >= -1 ? nodeHint : trie.walk(from: 0, s, lo..<hi)
            let id = n >= 0 ? trie.value(n) : -1
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
            emit(lo, lo + Int(len[Int(k)]), node[Int(k)], depth: 0)
            k = next[Int(k)]
        }
    }
}

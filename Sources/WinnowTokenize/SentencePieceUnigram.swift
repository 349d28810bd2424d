// Unigram segmentation: Viterbi over the implicit lattice of every vocabulary piece that occurs
// in the normalized text, keeping only the best path ending at each byte position (what
// sentencepiece 0.2's optimized encoder does). Scores are Float sums compared in Float, with
// sentencepiece's periodic shift of the running scores, so near-ties on long documents break
// exactly as they do there.

/// One segment of the normalized text and its id.
struct SentencePieceSegment {
    var start: Int32
    var end: Int32
    var id: Int32
}

struct SentencePieceUnigram: Sendable {
    let trie: PieceTrie
    let scores: [Float]
    let types: [SentencePieceModelProto.PieceType]
    let unkID: Int32
    let minScore: Float
    /// sentencepiece's penalty below the lowest piece score for an unknown character.
    static let unknownPenalty: Float = 10

    init(trie: PieceTrie, pieces: [SentencePieceModelProto.Piece], unkID: Int32) {
        self.trie = trie
        scores = pieces.map(\.score)
        types = pieces.map(\.type)
        self.unkID = unkID
        var lo = Float.greatestFiniteMagnitude
        for p in pieces where p.type == .normal { lo = min(lo, p.score) }
        minScore = lo
    }

    func encode(_ s: UnsafeBufferPointer<UInt8>, into out: inout [SentencePieceSegment]) {
        out.removeAll(keepingCapacity: true)
        let size = s.count
        if size == 0 { return }
        let unkScore = minScore - Self.unknownPenalty
        // Best path ending at each byte offset: its score, where its last piece starts, its id.
        var bestScore = [Float](repeating: 0, count: size + 1)
        var bestStart = [Int32](repeating: -1, count: size + 1)
        var bestID = [Int32](repeating: -1, count: size + 1)
        bestScore.withUnsafeMutableBufferPointer { bestScore in
        bestStart.withUnsafeMutableBufferPointer { bestStart in
        bestID.withUnsafeMutableBufferPointer { bestID in
        scores.withUnsafeBufferPointer { scores in
        types.withUnsafeBufferPointer { types in
            var start = 0
            var frontier = 0   // furthest end offset any node has reached
            while start < size {
                var here = bestScore[start]
                if here < -Self.rebaseThreshold || here > Self.rebaseThreshold {
                    // Keep Float path scores small by shifting every open score (sentencepiece
                    // does this; without it, long documents lose the precision to rank paths).
                    let offset = here
                    if frontier >= start {
                        for i in start...frontier where i == start || bestStart[i] != -1 { bestScore[i] -= offset }
                    }
                    here = 0
                }
                let charLen = min(SentencePieceUTF8.oneCharLen(s[start]), size - start)
                var hasSingle = false
                var node: Int32 = 0
                var pos = start
                while pos < size {
                    node = trie.child(node, s[pos])
                    if node < 0 { break }
                    pos += 1
                    let id = trie.value(node)
                    if id < 0 { continue }
                    let type = types[Int(id)]
                    if type == .unused { continue }
                    if pos > frontier { frontier = pos }
                    let length = pos - start
                    let score = type == .userDefined ? Self.userDefinedScore(length) : scores[Int(id)]
                    let candidate = score + here
                    if bestStart[pos] == -1 || candidate > bestScore[pos] {
                        bestScore[pos] = candidate
                        bestStart[pos] = Int32(start)
                        bestID[pos] = id
                    }
                    if length == charLen { hasSingle = true }
                }
                if !hasSingle {
                    let pos = start + charLen
                    if pos > frontier { frontier = pos }
                    let candidate = unkScore + here
                    if bestStart[pos] == -1 || candidate > bestScore[pos] {
                        bestScore[pos] = candidate
                        bestStart[pos] = Int32(start)
                        bestID[pos] = unkID
                    }
                }
                start += charLen
            }
            var end = size
            while end > 0 {
                let b = Int(bestStart[end])
                if b < 0 { break }   // unreachable: every character has a node or an unknown
                out.append(SentencePieceSegment(start: Int32(b), end: Int32(end), id: bestID[end]))
                end = b
            }
        }}}}}
        out.reverse()
    }

    /// Path scores beyond ±1e5 are shifted back to 0 (sentencepiece's kScoreResetThreshold).
    static let rebaseThreshold: Float = 100_000

    /// A user-defined piece of `length` bytes scores 0.1 × (length − 1), computed in double
    /// and stored as Float as sentencepiece does.
    @inline(__always)
    static func userDefinedScore(_ length: Int) -> Float { Float(0.1 * Double(length - 1)) }
}

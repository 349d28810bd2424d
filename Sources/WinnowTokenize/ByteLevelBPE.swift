// The encoding core shared by tiktoken files and byte-level tokenizer.json files: split the text
// into pieces, then merge each piece's bytes by rank.

final class ByteLevelBPE: @unchecked Sendable {
    let vocab: ByteStringTable
    let pairs: PairMergeTable
    /// Id of each single byte.
    let byteTokens: [UInt32]
    /// Emit a piece that is itself a token without merging (tiktoken always; HF `ignore_merges`).
    let lookupWholePiece: Bool
    /// nil: the text is one piece.
    let splitter: PieceSplitter?

    init(vocab: ByteStringTable, pairs: PairMergeTable, byteTokens: [UInt32], lookupWholePiece: Bool, rules: SplitRules?) {
        precondition(byteTokens.count == 256)
        self.vocab = vocab
        self.pairs = pairs
        self.byteTokens = byteTokens
        self.lookupWholePiece = lookupWholePiece
        splitter = rules.map { PieceSplitter($0, unicode: ReferenceUnicode.tiktoken) }
    }

    /// Appends the ids of `s` (no special-token handling) to `out`.
    func encodeOrdinary(_ s: UnsafeBufferPointer<UInt8>, into out: inout [UInt32], _ scratch: MergeScratch) {
        guard s.count > 0 else { return }
        if let splitter {
            splitter.forEachPiece(s) { a, b in encodePiece(s.baseAddress! + a, b - a, &out, scratch) }
        } else {
            encodePiece(s.baseAddress!, s.count, &out, scratch)
        }
    }

    @inline(__always)
    func encodePiece(_ p: UnsafePointer<UInt8>, _ n: Int, _ out: inout [UInt32], _ scratch: MergeScratch) {
        if n == 1 { out.append(byteTokens[Int(p[0])]); return }
        if lookupWholePiece, let id = vocab.lookup(p, n) { out.append(id); return }
        if scratch.symbols.count < n { scratch.symbols = [UInt32](repeating: 0, count: max(n, 256)) }
        scratch.symbols.withUnsafeMutableBufferPointer { sb in
            let sym = sb.baseAddress!
            byteTokens.withUnsafeBufferPointer { bt in
                for i in 0..<n { sym[i] = bt[Int(p[i])] }
            }
            let m = BytePairMerger.merge(sym, n, pairs, scratch)
            out.append(contentsOf: UnsafeBufferPointer(start: sym, count: m))
        }
    }
}

/// Finds special-token spellings in text: the leftmost occurrence, the longest there.
struct SpecialTokenMatcher: Sendable {
    private let tokens: [([UInt8], UInt32)]
    private var firstBytes = [Bool](repeating: false, count: 256)

    init(_ tokens: [(String, UInt32)]) {
        self.tokens = tokens.map { (Array($0.0.utf8), $0.1) }.filter { !$0.0.isEmpty }.sorted { $0.0.count > $1.0.count }
        for t in self.tokens { firstBytes[Int(t.0[0])] = true }
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// (start, end, id) of the first match at or after `from`.
    func next(in s: UnsafeBufferPointer<UInt8>, from: Int) -> (Int, Int, UInt32)? {
        var i = from
        let n = s.count
        while i < n {
            if firstBytes[Int(s[i])] {
                for (t, id) in tokens where t.count <= n - i {
                    var k = 0
                    while k < t.count && s[i + k] == t[k] { k += 1 }
                    if k == t.count { return (i, i + k, id) }
                }
            }
            i += 1
        }
        return nil
    }
}

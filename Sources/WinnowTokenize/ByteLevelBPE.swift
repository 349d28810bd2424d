import Glibc

// The encoding core shared by tiktoken files and byte-level tokenizer.json files: split the text
// into pieces, then merge each piece's bytes by rank.

final class ByteLevelBPE: @unchecked Sendable {
    let vocab: ByteStringTable
    let pairs: PairMergeTable
    /// Id of each single byte.
    let byteTokens: [UInt32]
    private let byteIDs: UnsafeMutablePointer<UInt32>
    /// Emit a piece that is itself a token without merging (tiktoken always; HF `ignore_merges`).
    let lookupWholePiece: Bool
    /// nil: the text is one piece.
    let splitter: PieceSplitter?
    /// Characters whose merge may start from their token.
    let charStart: CharStartTable

    init(vocab: ByteStringTable, pairs: PairMergeTable, byteTokens: [UInt32], lookupWholePiece: Bool, rules: SplitRules?) {
        precondition(byteTokens.count == 256)
        self.vocab = vocab
        self.pairs = pairs
        self.byteTokens = byteTokens
        byteIDs = .allocate(capacity: 256)
        byteIDs.initialize(from: byteTokens, count: 256)
        self.lookupWholePiece = lookupWholePiece
        splitter = rules.map { PieceSplitter($0, unicode: ReferenceUnicode.tiktoken) }
        charStart = CharStartTable(vocab: vocab, pairs: pairs, byteIDs: byteIDs)
    }

    deinit { byteIDs.deallocate() }

    /// Appends the ids of `s` (no special-token handling) to `out`.
    func encodeOrdinary(_ s: UnsafeBufferPointer<UInt8>, into out: inout [UInt32], _ scratch: MergeScratch) {
        guard s.count > 0 else { return }
        let cache = scratch.pieceCache.bind(self, textBytes: s.count)
        let base = s.baseAddress!
        if let splitter {
            splitter.forEachPiece(s) { a, b in encodePiece(base + a, b &- a, &out, scratch, cache) }
        } else {
            encodePiece(base, s.count, &out, scratch, cache)
        }
    }

    /// Appends the ids of one piece.
    func encodePiece(_ p: UnsafePointer<UInt8>, _ n: Int, _ out: inout [UInt32], _ scratch: MergeScratch) {
        encodePiece(p, n, &out, scratch, scratch.pieceCache.bind(self, textBytes: n))
    }

    /// `cache`: `scratch.pieceCache` bound to this model.
    @inline(__always)
    func encodePiece(_ p: UnsafePointer<UInt8>, _ n: Int, _ out: inout [UInt32], _ scratch: MergeScratch, _ cache: UnsafeMutablePointer<UInt64>?) {
        if n == 1 { out.append(byteIDs[Int(p[0])]); return }
        if n <= PieceCache.maxKey, let cache {
            let h = hashBytes(p, n)
            if PieceCache.find(cache, p, n, h, &out) { return }
            if lookupWholePiece, let id = vocab.lookup(p, n, hash: h) {
                var v = id
                withUnsafePointer(to: &v) { PieceCache.store(cache, p, n, h, UnsafeBufferPointer(start: $0, count: 1)) }
                out.append(id)
                return
            }
            let m = mergeBytes(p, n, scratch)
            let ids = UnsafeBufferPointer(start: scratch.symbols, count: m)
            if m <= PieceCache.maxIDs { PieceCache.store(cache, p, n, h, ids) }
            out.append(contentsOf: ids)
            return
        }
        if lookupWholePiece, let id = vocab.lookup(p, n) { out.append(id); return }
        let m = mergeBytes(p, n, scratch)
        out.append(contentsOf: UnsafeBufferPointer(start: scratch.symbols, count: m))
    }

    /// Merges the bytes of a piece into `scratch.symbols`; returns the count. Characters of
    /// `charStart` enter as their symbols (same result, fewer symbols).
    @inline(__always)
    private func mergeBytes(_ p: UnsafePointer<UInt8>, _ n: Int, _ scratch: MergeScratch) -> Int {
        let sym = scratch.reserveSymbols(n)
        let chars = charStart
        var m = 0, i = 0
        while i < n {
            let b = p[i]
            if b >= 0xC2 && b < 0xF0 {
                // A whole character only: not before a stray continuation byte.
                let c = bmpScalar(p, i, n), len = b < 0xE0 ? 2 : 3
                if c >= 0 && (i &+ len == n || p[i &+ len] & 0xC0 != 0x80) {
                    let k = chars.start(c, p, i, len, n, sym + m)
                    if k != 0 { m &+= k; i &+= len; continue }
                }
            }
            sym[m] = byteIDs[Int(b)]
            m &+= 1
            i &+= 1
        }
        return BytePairMerger.merge(sym, m, pairs, scratch)
    }
}

/// Finds special-token spellings in text: the leftmost occurrence, the longest there.
struct SpecialTokenMatcher: Sendable {
    private let tokens: [([UInt8], UInt32)]
    /// Bit `a << 8 | b`: some spelling starts with the bytes a, b (or is the one byte a, b = 0
    /// and `single[a]`), so only such positions compare spellings.
    private var starts = [UInt64](repeating: 0, count: 1024)
    private var single = [Bool](repeating: false, count: 256)
    /// The first byte of every spelling when they share one ("<|…|>", "<s>"): the scan jumps
    /// from one occurrence of it to the next with memchr.
    private let commonFirst: UInt8?

    init(_ tokens: [(String, UInt32)]) {
        self.tokens = tokens.map { (Array($0.0.utf8), $0.1) }.filter { !$0.0.isEmpty }.sorted { $0.0.count > $1.0.count }
        let firsts = Set(self.tokens.map { $0.0[0] })
        commonFirst = firsts.count == 1 ? firsts.first : nil
        for t in self.tokens {
            if t.0.count == 1 { single[Int(t.0[0])] = true; continue }
            let k = Int(t.0[0]) << 8 | Int(t.0[1])
            starts[k >> 6] |= 1 << UInt64(k & 63)
        }
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// (start, end, id) of the first match at or after `from`.
    func next(in s: UnsafeBufferPointer<UInt8>, from: Int) -> (Int, Int, UInt32)? {
        if tokens.isEmpty { return nil }
        let n = s.count
        return starts.withUnsafeBufferPointer { st in
            single.withUnsafeBufferPointer { sg in
                var i = from
                while i < n {
                    if let c = commonFirst {
                        guard let hit = memchr(s.baseAddress! + i, Int32(c), n &- i) else { return nil }
                        i = s.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    }
                    let a = Int(s[i])
                    var candidate = sg[a]
                    if !candidate && i &+ 1 < n {
                        let k = a << 8 | Int(s[i &+ 1])
                        candidate = st[k >> 6] >> UInt64(k & 63) & 1 != 0
                    }
                    if candidate {
                        for (t, id) in tokens where t.count <= n &- i {
                            var k = 0
                            while k < t.count && s[i &+ k] == t[k] { k &+= 1 }
                            if k == t.count { return (i, i &+ k, id) }
                        }
                    }
                    i &+= 1
                }
                return nil
            }
        }
    }
}

import CMemoryHints
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
    /// Boundaries between characters where a piece's merge may be cut.
    let cuts: MergeCutTable

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
        cuts = MergeCutTable(vocab: vocab)
    }

    deinit { byteIDs.deallocate() }

    /// Appends the ids of `s` (no special-token handling) to `out`.
    func encodeOrdinary(_ s: UnsafeBufferPointer<UInt8>, into out: inout [UInt32], _ scratch: MergeScratch) {
        encode(s, splitter: splitter, into: &out, scratch)
    }

    /// Appends the ids of `s` cut by `splitter` (nil: one piece).
    @inline(__always)
    func encode(_ s: UnsafeBufferPointer<UInt8>, splitter: PieceSplitter?, into out: inout [UInt32], _ scratch: MergeScratch) {
        guard s.count > 0 else { return }
        let cache = scratch.pieceCache.bind(self, textBytes: s.count)
        let base = s.baseAddress!
        // Every token covers at least one byte: the segment's ids fit in s.count slots.
        let ids = scratch.reserveTokens(s.count)
        var w = ids
        if let splitter, let cache {
            // Two pieces behind the split: the cache entries (and vocabulary slots) of the next
            // two pieces load while this one is encoded; the probes are cache misses, not work,
            // and one piece's time is less than a miss to memory on a loaded machine.
            var pa = 0, pn = 0, ph: UInt64 = 0, phead: UInt64 = 0
            var qa = 0, qn = 0, qh: UInt64 = 0, qhead: UInt64 = 0
            splitter.forEachPiece(s) { a, b in
                let n = b &- a
                var h: UInt64 = 0, head: UInt64 = 0
                if n >= 2 && n <= PieceCache.maxKey {
                    head = headWord(base + a, n, readable: s.count &- a)
                    h = hashBytes(base + a, n, head: head)
                    PieceCache.prefetch(cache, h)
                    if lookupWholePiece { vocab.prefetch(hash: h) }
                }
                if qn > 0 { w = encodePiece(base + qa, qn, qh, qhead, w, scratch, cache) }
                qa = pa; qn = pn; qh = ph; qhead = phead
                pa = a; pn = n; ph = h; phead = head
            }
            if qn > 0 { w = encodePiece(base + qa, qn, qh, qhead, w, scratch, cache) }
            if pn > 0 { w = encodePiece(base + pa, pn, ph, phead, w, scratch, cache) }
        } else if let splitter {
            splitter.forEachPiece(s) { a, b in w = encodePiece(base + a, b &- a, w, scratch, cache) }
        } else {
            w = encodePiece(base, s.count, w, scratch, cache)
        }
        out.append(contentsOf: UnsafeBufferPointer(start: ids, count: ids.distance(to: w)))
        scratch.trimTokens()
    }

    /// Appends the ids of one piece.
    func encodePiece(_ p: UnsafePointer<UInt8>, _ n: Int, _ out: inout [UInt32], _ scratch: MergeScratch) {
        let ids = scratch.reserveTokens(n)
        let w = encodePiece(p, n, ids, scratch, scratch.pieceCache.bind(self, textBytes: n))
        out.append(contentsOf: UnsafeBufferPointer(start: ids, count: ids.distance(to: w)))
        scratch.trimTokens()
    }

    /// Writes the ids of one piece at `w` (room for n) and returns the end. `cache`:
    /// `scratch.pieceCache` bound to this model.
    @inline(__always)
    func encodePiece(_ p: UnsafePointer<UInt8>, _ n: Int, _ w: UnsafeMutablePointer<UInt32>, _ scratch: MergeScratch,
                     _ cache: UnsafeMutablePointer<UInt64>?) -> UnsafeMutablePointer<UInt32> {
        guard n >= 2 && n <= PieceCache.maxKey, let cache else { return encodeUncached(p, n, w, scratch) }
        let head = headWord(p, n)
        return encodePiece(p, n, hashBytes(p, n, head: head), head, w, scratch, cache)
    }

    /// `encodePiece` with the piece's `hashBytes` and `headWord` computed (n ≥ 2 and at most
    /// `PieceCache.maxKey`; other lengths ignore them).
    @inline(__always)
    func encodePiece(_ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, _ head: UInt64, _ w: UnsafeMutablePointer<UInt32>,
                     _ scratch: MergeScratch, _ cache: UnsafeMutablePointer<UInt64>) -> UnsafeMutablePointer<UInt32> {
        guard n >= 2 && n <= PieceCache.maxKey else { return encodeUncached(p, n, w, scratch) }
        if let e = PieceCache.find(cache, p, n, h, head, w) { return e }
        if lookupWholePiece, let id = vocab.lookup(p, n, hash: h, head: head) {
            w[0] = id
            // Not stored in the piece cache: its slot answers as fast, and it would evict a merged piece.
            return w + 1
        }
        var whole = false
        let m = mergeBytes(p, n, scratch, cache, mergedWhole: &whole)
        if m <= PieceCache.maxIDs { PieceCache.store(cache, p, n, h, scratch.symbols, m) }
        w.update(from: scratch.symbols, count: m)
        return w + m
    }

    /// A piece the cache does not take (one byte, or longer than its keys): the byte's id,
    /// the whole piece's id, the long-piece cache's ids, or the merge.
    @inline(__always)
    private func encodeUncached(_ p: UnsafePointer<UInt8>, _ n: Int, _ w: UnsafeMutablePointer<UInt32>,
                                _ scratch: MergeScratch) -> UnsafeMutablePointer<UInt32> {
        if n == 1 { w[0] = byteIDs[Int(p[0])]; return w + 1 }
        let cache = scratch.pieceCache.bind(self, textBytes: 0)
        guard n > PieceCache.maxKey && n <= LongPieceCache.maxBytes && cache != nil else {
            if lookupWholePiece, let id = vocab.lookup(p, n) { w[0] = id; return w + 1 }
            var whole = false
            let m = mergeBytes(p, n, scratch, cache, mergedWhole: &whole)
            w.update(from: scratch.symbols, count: m)
            return w + m
        }
        let h = hashBytes(p, n)
        if lookupWholePiece, let id = vocab.lookup(p, n, hash: h) { w[0] = id; return w + 1 }
        let long = scratch.longPieceCache
        if let e = long.find(self, p, n, h, w) { return e }
        var whole = false
        let m = mergeBytes(p, n, scratch, cache, mergedWhole: &whole)
        // Pieces cut in segments (CJK clauses) rarely repeat whole, and their segments are cached.
        if whole { long.store(self, p, n, h, scratch.symbols, m) }
        w.update(from: scratch.symbols, count: m)
        return w + m
    }

    /// Merges the bytes of a piece into `scratch.symbols`; returns the count. Characters of
    /// `charStart` enter as their symbols (same result, fewer symbols), and the piece is merged
    /// in segments cut where `cuts` allows, each through `cache` (when bound) under its own key.
    /// `mergedWhole`: set when the piece had no cut and more than `BytePairMerger.scanLimit` symbols.
    @inline(__always)
    private func mergeBytes(_ p: UnsafePointer<UInt8>, _ n: Int, _ scratch: MergeScratch, _ cache: UnsafeMutablePointer<UInt64>?,
                            mergedWhole: inout Bool) -> Int {
        let sym = scratch.reserveSymbols(n)
        let chars = charStart
        var m = 0, i = 0
        // The segment being built starts at byte `segment` and symbol `segmentSymbol`; `last`
        // is the code point of the whole 2–3 byte character just before byte i, else -1.
        var segment = 0, segmentSymbol = 0, last = -1
        while i < n {
            let b = p[i]
            if b >= 0xC2 && b < 0xF0 {
                // A whole character only: not before a stray continuation byte.
                let c = bmpScalar(p, i, n), len = b < 0xE0 ? 2 : 3
                if c >= 0 && (i &+ len == n || p[i &+ len] & 0xC0 != 0x80) {
                    if last >= 0 && cuts.canCut(last, c) {
                        m = segmentSymbol &+ mergeSegment(p + segment, i &- segment, sym + segmentSymbol, m &- segmentSymbol, scratch, cache)
                        segment = i; segmentSymbol = m
                    }
                    last = c
                    let k = chars.start(c, p, i, len, n, sym + m)
                    if k != 0 { m &+= k; i &+= len; continue }
                    for j in 0..<len { sym[m &+ j] = byteIDs[Int(p[i &+ j])] }
                    m &+= len; i &+= len
                    continue
                }
            }
            last = -1
            sym[m] = byteIDs[Int(b)]
            m &+= 1
            i &+= 1
        }
        if segment == 0 {
            mergedWhole = m > BytePairMerger.scanLimit
            return BytePairMerger.merge(sym, m, pairs, scratch)
        }
        return segmentSymbol &+ mergeSegment(p + segment, n &- segment, sym + segmentSymbol, m &- segmentSymbol, scratch, cache)
    }

    /// Merges the `k` symbols at `sym` of the segment `p[0..<n]` in place (from the cache when
    /// it holds them) and returns the count. The cache key is the segment's hash with a tweak:
    /// a segment's ids are its bytes merged, while a whole piece's entry may be its token
    /// looked up whole (`lookupWholePiece`), which for a token no merge makes differs.
    @inline(__always)
    private func mergeSegment(_ p: UnsafePointer<UInt8>, _ n: Int, _ sym: UnsafeMutablePointer<UInt32>, _ k: Int,
                              _ scratch: MergeScratch, _ cache: UnsafeMutablePointer<UInt64>?) -> Int {
        if k < 2 { return k }
        guard let cache, n <= PieceCache.maxKey else { return BytePairMerger.merge(sym, k, pairs, scratch) }
        let head = headWord(p, n)
        let h = hashBytes(p, n, head: head) ^ Self.segmentKeyTweak
        if let e = PieceCache.find(cache, p, n, h, head, sym) { return sym.distance(to: e) }
        let m = BytePairMerger.merge(sym, k, pairs, scratch)
        if m <= PieceCache.maxIDs { PieceCache.store(cache, p, n, h, sym, m) }
        return m
    }

    private static let segmentKeyTweak: UInt64 = 0x5EC7_0000_0000_0001
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

// HF tokenizer.json with a BPE model, run as the `tokenizers` library does: added tokens are cut
// out of the raw text (those with normalized=false), each remaining segment is normalized, then
// cut at the normalized added tokens, pre-tokenized, and each piece is merged by the model.
import WinnowCore
import WinnowText

/// An entry of `added_tokens`.
struct HFAddedToken: Sendable {
    var content: String
    var id: UInt32
    var special: Bool
    var normalized: Bool
}

public struct HFTokenizer: Tokenizer {
    let normalizers: [HFNormalizer]
    let preTokenizers: [HFPreTokenizer]
    let model: HFBPEModel
    let added: [HFAddedToken]
    let decoders: [HFDecoder]
    /// What the post-processor puts before and after a single sequence (e.g. BOS).
    public let prefixIDs: [UInt32]
    public let suffixIDs: [UInt32]
    let tokenStrings: [String?]
    private let specialIDs: [String: UInt32]
    private let matchersNoSpecial: (raw: SpecialTokenMatcher, normalized: SpecialTokenMatcher)
    private let matchersAllSpecial: (raw: SpecialTokenMatcher, normalized: SpecialTokenMatcher)
    public let vocabularySize: Int
    /// The pre-tokenizers as one splitter when they are a lone Split, a ByteLevel with the
    /// GPT-2 regex and no prefix space, or a Split followed by a plain ByteLevel.
    let fastSplitter: PieceSplitter?
    /// Every normalizer is NFC or NFKC: text whose code points are all inert skips them.
    let normalizersSkipInert: Bool
    /// They are all NFC (so NFC inertness suffices).
    let normalizersNFCOnly: Bool

    public init(path: String) throws { try self.init(bytes: TokenizerFile.read(path), path: path) }

    public init(bytes: [UInt8], path: String) throws {
        let c = try HFTokenizerConfig(bytes: bytes, path: path)
        normalizers = c.normalizers
        preTokenizers = c.preTokenizers
        model = c.model
        added = c.added
        decoders = c.decoders
        prefixIDs = c.prefixIDs
        suffixIDs = c.suffixIDs
        var strings = c.modelTokenStrings
        var maxID = strings.count - 1
        for a in added { maxID = max(maxID, Int(a.id)) }
        if strings.count <= maxID { strings += [String?](repeating: nil, count: maxID + 1 - strings.count) }
        // HF shows (and decodes) a normalized added token as its normalized spelling.
        for a in added {
            var b = Array(a.content.utf8)
            if a.normalized { for n in normalizers { b = n.apply(b) } }
            strings[Int(a.id)] = String(decoding: b, as: UTF8.self)
        }
        tokenStrings = strings
        vocabularySize = maxID + 1
        var sp: [String: UInt32] = [:]
        for a in added where a.special { sp[a.content] = a.id }
        specialIDs = sp
        if preTokenizers.count == 1, case .split(let rules) = preTokenizers[0] {
            fastSplitter = PieceSplitter(rules, unicode: ReferenceUnicode.oniguruma)
        } else if preTokenizers.count == 1, case .byteLevel(false, true) = preTokenizers[0], model.byteLevel != nil {
            fastSplitter = PieceSplitter(SplitPattern.gpt2, unicode: ReferenceUnicode.oniguruma)
        } else if preTokenizers.count == 2, case .split(let rules) = preTokenizers[0], case .byteLevel(false, false) = preTokenizers[1],
                  model.byteLevel != nil {
            // Llama-3 / Qwen2: Split, then ByteLevel without regex or prefix space, which only
            // maps bytes to the alphabet the byte-level model reads bytes through anyway.
            fastSplitter = PieceSplitter(rules, unicode: ReferenceUnicode.oniguruma)
        } else {
            fastSplitter = nil
        }
        normalizersNFCOnly = normalizers.allSatisfy { if case .nfc = $0 { true } else { false } }
        normalizersSkipInert = normalizers.allSatisfy { if case .nfc = $0 { true } else if case .nfkc = $0 { true } else { false } }
        matchersNoSpecial = Self.matchers(added.filter { !$0.special }, c.normalizers)
        matchersAllSpecial = Self.matchers(added, c.normalizers)
    }

    /// Raw-text matcher (normalized=false tokens) and normalized-text matcher (the others, each
    /// spelled as the normalizers turn it).
    static func matchers(_ tokens: [HFAddedToken], _ norms: [HFNormalizer]) -> (raw: SpecialTokenMatcher, normalized: SpecialTokenMatcher) {
        let raw = tokens.filter { !$0.normalized }.map { ($0.content, $0.id) }
        let normalized = tokens.filter(\.normalized).map { t -> (String, UInt32) in
            var b = Array(t.content.utf8)
            for n in norms { b = n.apply(b) }
            return (String(decoding: b, as: UTF8.self), t.id)
        }
        return (SpecialTokenMatcher(raw), SpecialTokenMatcher(normalized))
    }

    /// Appends the ids of UTF-8 text (no post-processor tokens).
    public func encode(utf8 s: UnsafeBufferPointer<UInt8>, allowedSpecial: Set<String>, into out: inout [UInt32], scratch: MergeScratch) {
        let m: (raw: SpecialTokenMatcher, normalized: SpecialTokenMatcher)
        if allowedSpecial.isEmpty || specialIDs.isEmpty {
            m = matchersNoSpecial
        } else if specialIDs.keys.allSatisfy(allowedSpecial.contains) {
            m = matchersAllSpecial
        } else {
            m = Self.matchers(added.filter { !$0.special || allowedSpecial.contains($0.content) }, normalizers)
        }
        var start = 0
        while !m.raw.isEmpty, let (a, b, id) = m.raw.next(in: s, from: start) {
            encodeSegment(UnsafeBufferPointer(rebasing: s[start..<a]), first: start == 0, m.normalized, &out, scratch)
            out.append(id)
            start = b
        }
        encodeSegment(UnsafeBufferPointer(rebasing: s[start...]), first: start == 0, m.normalized, &out, scratch)
    }

    private func encodeSegment(_ s: UnsafeBufferPointer<UInt8>, first: Bool, _ normalizedTokens: SpecialTokenMatcher,
                               _ out: inout [UInt32], _ scratch: MergeScratch) {
        if s.isEmpty { return }
        // Fast path (no copies): a lone Split or regex ByteLevel pre-tokenizer, and normalizers
        // that leave this text unchanged (none, or NFC/NFKC on inert text).
        if let splitter = fastSplitter, normalizers.isEmpty || (normalizersSkipInert && HFNormalizer.isInert(s, nfcOnly: normalizersNFCOnly)) {
            var start = 0
            while !normalizedTokens.isEmpty, let (a, b, id) = normalizedTokens.next(in: s, from: start) {
                model.encodeSplit(UnsafeBufferPointer(rebasing: s[start..<a]), splitter, &out, scratch)
                out.append(id)
                start = b
            }
            model.encodeSplit(UnsafeBufferPointer(rebasing: s[start...]), splitter, &out, scratch)
            return
        }
        var text = Array(s)
        for n in normalizers { text = n.apply(text) }
        text.withUnsafeBufferPointer { t in
            var start = 0
            while !normalizedTokens.isEmpty, let (a, b, id) = normalizedTokens.next(in: t, from: start) {
                encodeNormalized(Array(t[start..<a]), first: first && start == 0, &out, scratch)
                out.append(id)
                start = b
            }
            encodeNormalized(Array(t[start...]), first: first && start == 0, &out, scratch)
        }
    }

    private func encodeNormalized(_ t: [UInt8], first: Bool, _ out: inout [UInt32], _ scratch: MergeScratch) {
        if t.isEmpty { return }
        var pieces = [t]
        for p in preTokenizers { pieces = p.apply(pieces, firstSegment: first) }
        for p in pieces where !p.isEmpty {
            p.withUnsafeBufferPointer { model.encodePiece($0, &out, scratch) }
        }
    }

    /// `ids` with the post-processor's tokens around them (TemplateProcessing's single form).
    public func postProcessed(_ ids: [UInt32]) -> [UInt32] { prefixIDs + ids + suffixIDs }

    public func decodeBytes(_ ids: [UInt32]) -> [UInt8] {
        var tokens: [[UInt8]] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            guard Int(id) < tokenStrings.count, let s = tokenStrings[Int(id)] else { continue }
            tokens.append(Array(s.utf8))
        }
        for d in decoders { tokens = d.apply(tokens) }
        return Array(tokens.joined())
    }

    public func piece(_ id: UInt32) -> String? { Int(id) < tokenStrings.count ? tokenStrings[Int(id)] : nil }

    public func specialTokenID(_ spelling: String) -> UInt32? { specialIDs[spelling] }

    public var allSpecialSpellings: [String] { added.filter(\.special).map(\.content) }
}

/// The BPE model: byte-level (pieces are raw bytes, vocab keys unmapped from GPT-2's byte
/// characters) or character-level with optional byte fallback and unknown token.
final class HFBPEModel: @unchecked Sendable {
    let byteLevel: ByteLevelBPE?
    let vocab: ByteStringTable
    let pairs: PairMergeTable
    let ignoreMerges: Bool
    let unk: UInt32?
    let fuseUnk: Bool
    /// `<0xXX>` ids when byte_fallback is on.
    let fallbackBytes: [UInt32]?
    /// Sentencepiece's "▁" when words may be merged one by one: it is a token, and no token
    /// has it right after another character (so no merge joins a word to the next).
    let wordMarker: (UInt8, UInt8, UInt8)?
    /// Id + 1 of each BMP character (1–3 UTF-8 bytes) that is a token (0: not one): the
    /// per-character lookups of `mergeChars` without a hash probe (256 KB; only the ranges a
    /// text uses are touched).
    private let charIDs: [UInt32]

    init(byteLevel: ByteLevelBPE?, vocab: ByteStringTable, pairs: PairMergeTable, ignoreMerges: Bool,
         unk: UInt32?, fuseUnk: Bool, fallbackBytes: [UInt32]?) {
        self.byteLevel = byteLevel; self.vocab = vocab; self.pairs = pairs; self.ignoreMerges = ignoreMerges
        self.unk = unk; self.fuseUnk = fuseUnk; self.fallbackBytes = fallbackBytes
        wordMarker = byteLevel == nil && !ignoreMerges ? Self.splittableMarker(vocab) : nil
        var ids = [UInt32](repeating: 0, count: byteLevel == nil ? 0x10000 : 0)
        if byteLevel == nil {
            for id in 0..<vocab.capacity {
                vocab.withBytes(UInt32(id)) { t in
                    guard t.count >= 1 && t.count <= 3 else { return }
                    let c = bmpScalar(t.baseAddress!, 0, t.count)
                    if c >= 0 && CharStartTable.length(t[0]) == t.count { ids[c] = UInt32(id) + 1 }
                }
            }
        }
        charIDs = ids
    }

    /// (0xE2, 0x96, 0x81) when the vocabulary allows cutting before "▁", else nil.
    static func splittableMarker(_ vocab: ByteStringTable) -> (UInt8, UInt8, UInt8)? {
        let m: [UInt8] = [0xE2, 0x96, 0x81]
        guard m.withUnsafeBufferPointer({ vocab.lookup($0.baseAddress!, 3) }) != nil else { return nil }
        for id in 0..<vocab.capacity {
            let ok = vocab.withBytes(UInt32(id)) { t -> Bool in
                var i = 1
                while i &+ 2 < t.count {
                    if t[i] == 0xE2 && t[i &+ 1] == 0x96 && t[i &+ 2] == 0x81 {
                        if !(i >= 3 && t[i &- 3] == 0xE2 && t[i &- 2] == 0x96 && t[i &- 1] == 0x81) { return false }
                    }
                    i &+= 1
                }
                return true
            }
            if !ok { return nil }
        }
        return (0xE2, 0x96, 0x81)
    }

    /// A segment cut by `splitter`, each piece merged.
    func encodeSplit(_ s: UnsafeBufferPointer<UInt8>, _ splitter: PieceSplitter, _ out: inout [UInt32], _ scratch: MergeScratch) {
        guard s.count > 0 else { return }
        if let bl = byteLevel {
            bl.encode(s, splitter: splitter, into: &out, scratch)
        } else {
            splitter.forEachPiece(s) { a, b in encodePiece(UnsafeBufferPointer(rebasing: s[a..<b]), &out, scratch) }
        }
    }

    func encodePiece(_ p: UnsafeBufferPointer<UInt8>, _ out: inout [UInt32], _ scratch: MergeScratch) {
        guard let base = p.baseAddress, p.count > 0 else { return }
        if let bl = byteLevel { bl.encodePiece(base, p.count, &out, scratch); return }
        if ignoreMerges, let id = vocab.lookup(base, p.count) { out.append(id); return }
        let cache = scratch.pieceCache.bind(self, textBytes: p.count)
        guard let m = wordMarker else { encodeWord(base, p.count, &out, scratch, cache); return }
        // Cut before each marker that follows another character: no token spans such a cut,
        // so no merge crosses it and the words merge independently.
        let n = p.count
        var start = 0, i = 1
        while i &+ 2 < n {
            if base[i] == m.0 && base[i &+ 1] == m.1 && base[i &+ 2] == m.2 {
                if !(i >= 3 && base[i &- 3] == m.0 && base[i &- 2] == m.1 && base[i &- 1] == m.2) {
                    encodeWord(base + start, i &- start, &out, scratch, cache)
                    start = i
                }
                i &+= 3
            } else {
                i &+= 1
            }
        }
        encodeWord(base + start, n &- start, &out, scratch, cache)
    }

    /// A piece merged as one word (tests compare it with the cut one).
    func encodeUnsplitForTesting(_ p: UnsafeBufferPointer<UInt8>, _ out: inout [UInt32], _ scratch: MergeScratch) {
        encodeWord(p.baseAddress!, p.count, &out, scratch, scratch.pieceCache.bind(self, textBytes: p.count))
    }

    /// One word (or the whole piece) by characters, through the piece cache.
    @inline(__always)
    private func encodeWord(_ p: UnsafePointer<UInt8>, _ n: Int, _ out: inout [UInt32], _ scratch: MergeScratch, _ cache: UnsafeMutablePointer<UInt64>?) {
        if n == 0 { return }
        if n <= PieceCache.maxKey, let cache {
            let head = headWord(p, n)
            let h = hashBytes(p, n, head: head)
            let hit = scratch.reserveTokens(PieceCache.maxIDs)
            if let e = PieceCache.find(cache, p, n, h, head, hit) {
                if e == hit + 1 { out.append(hit[0]) } else { out.append(contentsOf: UnsafeBufferPointer(start: hit, count: hit.distance(to: e))) }
                return
            }
            let m = mergeChars(p, n, scratch)
            if m <= PieceCache.maxIDs { PieceCache.store(cache, p, n, h, scratch.symbols, m) }
            out.append(contentsOf: UnsafeBufferPointer(start: scratch.symbols, count: m))
            return
        }
        let m = mergeChars(p, n, scratch)
        out.append(contentsOf: UnsafeBufferPointer(start: scratch.symbols, count: m))
    }

    /// Characters to ids (byte fallback, unknown token), merged into `scratch.symbols`.
    private func mergeChars(_ p: UnsafePointer<UInt8>, _ n: Int, _ scratch: MergeScratch) -> Int {
        let sym = scratch.reserveSymbols(n)
        var count = 0
        var lastWasUnk = false
        var i = 0
        while i < n {
            let b = p[i]
            let len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
            // (A whole character only; a truncated or stray sequence takes the probe below.)
            let c = bmpScalar(p, i, n)
            let known = c >= 0 ? charIDs[c] : 0
            if known != 0 {
                sym[count] = known &- 1; count &+= 1; lastWasUnk = false
            } else if let id = vocab.lookup(p + i, len) {
                sym[count] = id; count &+= 1; lastWasUnk = false
            } else if let fb = fallbackBytes {
                for k in 0..<len { sym[count] = fb[Int(p[i &+ k])]; count &+= 1 }
                lastWasUnk = false
            } else if let unk {
                if !(fuseUnk && lastWasUnk) { sym[count] = unk; count &+= 1 }
                lastWasUnk = true
            }
            i &+= len
        }
        return BytePairMerger.merge(sym, count, pairs, scratch)
    }
}

/// One decoder step over token strings.
enum HFDecoder: Sendable {
    case byteLevel
    case replace([UInt8], [UInt8])
    case byteFallback
    case fuse
    case strip(content: [UInt8], start: Int, stop: Int)
    /// Replacement back to spaces; the first token loses one leading space when `stripFirst`.
    case metaspace(replacement: [UInt8], stripFirst: Bool)

    func apply(_ tokens: [[UInt8]]) -> [[UInt8]] {
        switch self {
        case .byteLevel:
            return tokens.map { t in
                var out: [UInt8] = []
                for c in Scalars.decodeBytes(t) {
                    if let b = GPT2ByteMap.charToByte[c] { out.append(b) } else { Scalars.append(c, to: &out) }
                }
                return out
            }
        case .replace(let p, let c):
            return tokens.map { replaceAll($0, p, c) }
        case .byteFallback:
            var out: [[UInt8]] = []
            var run: [UInt8] = []
            var runCount = 0
            func flush() {
                if runCount == 0 { return }
                if String(validating: run, as: UTF8.self) != nil { out.append(run) } else {
                    for _ in 0..<runCount { out.append([0xEF, 0xBF, 0xBD]) }
                }
                run = []; runCount = 0
            }
            for t in tokens {
                if let b = Self.fallbackByte(t) { run.append(b); runCount += 1 } else { flush(); out.append(t) }
            }
            flush()
            return out
        case .fuse:
            return [Array(tokens.joined())]
        case .strip(let content, let start, let stop):
            return tokens.map { t in
                var a = 0, e = t.count
                for _ in 0..<start where e - a >= content.count && Array(t[a..<(a + content.count)]) == content { a += content.count }
                for _ in 0..<stop where e - a >= content.count && Array(t[(e - content.count)..<e]) == content { e -= content.count }
                return Array(t[a..<e])
            }
        case .metaspace(let rep, let stripFirst):
            return tokens.enumerated().map { k, t in
                var s = replaceAll(t, rep, [0x20])
                if k == 0 && stripFirst && s.first == 0x20 { s.removeFirst() }
                return s
            }
        }
    }

    /// The byte of a `<0xXX>` token.
    static func fallbackByte(_ t: [UInt8]) -> UInt8? {
        guard t.count == 6, t[0] == 0x3C, t[1] == 0x30, t[2] == 0x78, t[5] == 0x3E,
              let h = hex(t[3]), let l = hex(t[4]) else { return nil }
        return h << 4 | l
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}

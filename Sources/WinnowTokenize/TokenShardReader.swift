// Opens a token shard of any supported format, checks that its headers and file sizes agree,
// and reads tokens, documents and loss flags by position. Every inconsistency is an error that
// names the file and what does not add up (truncated, wrong magic, counts that disagree).

public final class TokenShardReader {
    public let format: TokenShardFormat
    public let files: TokenShardFiles
    public let width: TokenWidth
    public let tokenCount: Int
    /// Cumulative document ends in tokens (datatrove index, megatron lengths); nil for formats
    /// without document boundaries (nanogpt, llmc).
    public let documentEnds: [Int]?
    /// datatrove `.ds.metadata`: tokenizer name and the token count it states.
    public let tokenizerName: String?
    public let hasLoss: Bool
    private let tokensFile: ShardFileReader
    private let lossFile: ShardFileReader?
    private let dataOffset: UInt64

    public var documentCount: Int? { documentEnds?.count }

    /// - Parameters:
    ///   - path: as for `TokenShardWriter` (datatrove `.ds`, megatron prefix or either file,
    ///     nanogpt/llmc `.bin`).
    ///   - width: datatrove only, when the shard has no `.ds.metadata` (default uint16).
    public init(format: TokenShardFormat, path: String, width: TokenWidth? = nil) throws {
        self.format = format
        var files = TokenShardFiles(format: format, path: path, loss: true)
        if let l = files.loss, !fileExists(l) { files = TokenShardFiles(format: format, path: path, loss: false) }
        self.files = files
        tokensFile = try ShardFileReader(path: files.tokens)
        lossFile = try files.loss.map { try ShardFileReader(path: $0) }
        hasLoss = lossFile != nil
        let size = tokensFile.size

        switch format {
        case .nanogpt:
            guard size % 2 == 0 else { throw TokenShardError(path: files.tokens, "size \(size) is not a whole number of uint16 tokens") }
            self.width = .uint16; tokenCount = Int(size / 2); documentEnds = nil; tokenizerName = nil; dataOffset = 0

        case .llmc:
            let h = try tokensFile.read(at: 0, count: min(Int(size), LLMCHeader.size))
            guard h.count == LLMCHeader.size else {
                throw TokenShardError(path: files.tokens, "truncated: \(size) bytes, the llm.c header alone is \(LLMCHeader.size)")
            }
            let magic = loadLE(h, 0, as: Int32.self), version = loadLE(h, 4, as: Int32.self)
            let count = loadLE(h, 8, as: Int32.self)
            let w: TokenWidth
            switch (magic, version) {
            case (20_240_520, 1): w = .uint16
            case (20_240_801, 7): w = .uint32
            case (20_240_520, _), (20_240_801, _):
                throw TokenShardError(path: files.tokens, "llm.c header: version \(version) does not go with magic \(magic)")
            default:
                throw TokenShardError(path: files.tokens, "llm.c header: magic \(magic) is neither 20240520 nor 20240801")
            }
            guard count >= 0 else { throw TokenShardError(path: files.tokens, "llm.c header: negative token count \(count)") }
            let expected = UInt64(LLMCHeader.size) + UInt64(count) * UInt64(w.rawValue)
            guard size == expected else {
                throw TokenShardError(path: files.tokens, "llm.c header says \(count) tokens (\(expected) bytes) but the file has \(size) bytes\(size < expected ? " (truncated)" : "")")
            }
            self.width = w; tokenCount = Int(count); documentEnds = nil; tokenizerName = nil; dataOffset = UInt64(LLMCHeader.size)

        case .datatrove:
            var name: String?
            var w = width ?? .uint16
            var statedCount: Int?
            if let m = files.metadata, fileExists(m) {
                let text = String(decoding: try ShardFileReader(path: m).readAll(), as: UTF8.self)
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                guard lines.count >= 2, let bar = lines[0].lastIndex(of: "|"),
                      let ts = Int(lines[0][lines[0].index(after: bar)...]), let c = Int(lines[1]) else {
                    throw TokenShardError(path: m, "not datatrove metadata (expected 'tokenizer|token_size', token count, humanized count)")
                }
                guard let mw = TokenWidth(rawValue: ts) else { throw TokenShardError(path: m, "token_size \(ts) is neither 2 nor 4") }
                name = String(lines[0][..<bar]); w = mw; statedCount = c
            }
            guard size % UInt64(w.rawValue) == 0 else {
                throw TokenShardError(path: files.tokens, "size \(size) is not a whole number of \(w.rawValue)-byte tokens (truncated?)")
            }
            let count = Int(size / UInt64(w.rawValue))
            if let c = statedCount, c != count {
                throw TokenShardError(path: files.metadata!, "states \(c) tokens but \(files.tokens) holds \(count)")
            }
            var ends: [Int]?
            if let ip = files.index, fileExists(ip) {
                let raw = try ShardFileReader(path: ip).readAll()
                guard raw.count % 8 == 0 else { throw TokenShardError(path: ip, "size \(raw.count) is not a whole number of uint64 document ends (truncated?)") }
                var e: [Int] = []
                e.reserveCapacity(raw.count / 8)
                var prev = 0
                for k in stride(from: 0, to: raw.count, by: 8) {
                    let v = loadLE(raw, k, as: UInt64.self)
                    guard v >= UInt64(prev), v <= UInt64(count) else {
                        throw TokenShardError(path: ip, "document end \(k / 8) is \(v): ends must be non-decreasing and at most the \(count) tokens")
                    }
                    prev = Int(v); e.append(prev)
                }
                guard (e.last ?? 0) == count else {
                    throw TokenShardError(path: ip, "last document ends at \(e.last ?? 0) but the shard holds \(count) tokens")
                }
                ends = e
            }
            if let l = lossFile, l.size != UInt64(count) {
                throw TokenShardError(path: l.path, "\(l.size) loss flags for \(count) tokens")
            }
            self.width = w; tokenCount = count; documentEnds = ends; tokenizerName = name; dataOffset = 0

        case .megatron:
            let idxFile = try ShardFileReader(path: files.index!)
            let idx = idxFile.size
            guard idx >= UInt64(MegatronIndex.headerSize) else {
                throw TokenShardError(path: files.index!, "truncated: \(idx) bytes, the header alone is \(MegatronIndex.headerSize)")
            }
            let h = try idxFile.read(at: 0, count: MegatronIndex.headerSize)
            guard Array(h[0..<9]) == MegatronIndex.magic else { throw TokenShardError(path: files.index!, "not a Megatron index: no MMIDIDX header") }
            let version = loadLE(h, 9, as: UInt64.self)
            guard version == 1 else { throw TokenShardError(path: files.index!, "index version \(version), expected 1") }
            guard let w = MegatronIndex.width(code: h[17]) else {
                throw TokenShardError(path: files.index!, "dtype code \(h[17]) is not a token type Winnow reads (8 = uint16, 4 = int32)")
            }
            let seqs = loadLE(h, 18, as: UInt64.self), docs = loadLE(h, 26, as: UInt64.self)
            let body = seqs.multipliedReportingOverflow(by: 12).partialValue + docs.multipliedReportingOverflow(by: 8).partialValue
            let expected = UInt64(MegatronIndex.headerSize) + body
            guard seqs < 1 << 40, docs < 1 << 40, idx == expected || idx == expected + seqs else {
                throw TokenShardError(path: files.index!, "header says \(seqs) sequences and \(docs) document indices (\(expected) bytes) but the file has \(idx) bytes")
            }
            let arrays = try idxFile.read(at: UInt64(MegatronIndex.headerSize), count: Int(body))
            var ends: [Int] = []
            ends.reserveCapacity(Int(seqs))
            var total = 0
            let ptrBase = Int(seqs) * 4
            for i in 0..<Int(seqs) {
                let len = loadLE(arrays, i * 4, as: Int32.self)
                let ptr = loadLE(arrays, ptrBase + i * 8, as: Int64.self)
                guard len >= 0, ptr == Int64(total) * Int64(w.rawValue) else {
                    throw TokenShardError(path: files.index!, "sequence \(i): length \(len) / pointer \(ptr) disagree with the lengths before it")
                }
                total += Int(len); ends.append(total)
            }
            let docBase = ptrBase + Int(seqs) * 8
            var prevDoc: Int64 = 0
            for d in 0..<Int(docs) {
                let v = loadLE(arrays, docBase + d * 8, as: Int64.self)
                guard (d == 0 ? v == 0 : v >= prevDoc), v <= Int64(seqs) else {
                    throw TokenShardError(path: files.index!, "document index \(d) is \(v): must start at 0, not decrease, and stay within \(seqs) sequences")
                }
                prevDoc = v
            }
            guard size == UInt64(total) * UInt64(w.rawValue) else {
                throw TokenShardError(path: files.tokens, "index lists \(total) tokens (\(UInt64(total) * UInt64(w.rawValue)) bytes) but the file has \(size) bytes\(size < UInt64(total) * UInt64(w.rawValue) ? " (truncated)" : "")")
            }
            self.width = w; tokenCount = total; documentEnds = ends; tokenizerName = nil; dataOffset = 0
        }
    }

    /// Tokens `range` (positions in tokens).
    public func tokens(_ range: Range<Int>) throws -> [UInt32] {
        guard range.lowerBound >= 0, range.upperBound <= tokenCount else {
            throw TokenShardError(path: files.tokens, "tokens \(range) are outside 0..<\(tokenCount)")
        }
        let w = width.rawValue
        let raw = try tokensFile.read(at: dataOffset + UInt64(range.lowerBound * w), count: range.count * w)
        var out = [UInt32](repeating: 0, count: range.count)
        if w == 2 {
            for i in 0..<range.count { out[i] = UInt32(raw[2 * i]) | UInt32(raw[2 * i + 1]) << 8 }
        } else {
            for i in 0..<range.count { out[i] = loadLE(raw, 4 * i, as: UInt32.self) }
        }
        return out
    }

    /// The token range of document `i`.
    public func documentRange(_ i: Int) throws -> Range<Int> {
        guard let ends = documentEnds else { throw TokenShardError(path: files.tokens, "\(format.rawValue) shards have no document boundaries") }
        guard i >= 0, i < ends.count else { throw TokenShardError(path: files.tokens, "document \(i) is outside 0..<\(ends.count)") }
        return (i == 0 ? 0 : ends[i - 1])..<ends[i]
    }

    public func document(_ i: Int) throws -> [UInt32] { try tokens(try documentRange(i)) }

    /// datatrove loss flags for tokens `range` (true = the token counts in the loss).
    public func lossFlags(_ range: Range<Int>) throws -> [Bool] {
        guard let lossFile else { throw TokenShardError(path: files.tokens, "this shard has no .loss file") }
        guard range.lowerBound >= 0, range.upperBound <= tokenCount else {
            throw TokenShardError(path: lossFile.path, "tokens \(range) are outside 0..<\(tokenCount)")
        }
        return try lossFile.read(at: UInt64(range.lowerBound), count: range.count).map { $0 != 0 }
    }
}

extension ShardFileReader {
    func readAll() throws -> [UInt8] { try read(at: 0, count: Int(size)) }
}

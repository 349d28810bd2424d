// Streams documents of token ids into one shard of a given format. Memory stays bounded: tokens
// go through a 1 MB buffer, per-document lengths are spilled to a side file (megatron) or the
// index file itself (datatrove). Every file is written under NAME.tmp and renamed only when the
// whole shard is complete (token files first, index and metadata last), so a reader never sees a
// half-written shard under its real name.

#if canImport(Glibc)
import Glibc
#endif

public struct TokenShardSummary: Sendable, Equatable {
    public let documents: Int
    public let tokens: Int
    public let width: TokenWidth
    public let files: TokenShardFiles
}

public final class TokenShardWriter {
    public let format: TokenShardFormat
    public let width: TokenWidth
    public let files: TokenShardFiles
    private let tokenizerName: String
    private let tokens: ShardFileWriter
    private let index: ShardFileWriter?
    private let loss: ShardFileWriter?
    private var documents = 0
    private var tokenCount: UInt64 = 0
    private var finished = false
    private var scratch: [UInt8] = []
    private var narrow: [UInt16] = []

    /// - Parameters:
    ///   - path: datatrove: the `.ds` file; megatron: the prefix (`.bin`/`.idx` added);
    ///     nanogpt, llmc: the `.bin` file.
    ///   - vocabularySize: picks uint16 or uint32 as the format does (see `TokenWidth.automatic`).
    ///   - width: force a width instead (must hold the vocabulary).
    ///   - tokenizerName: datatrove's `.ds.metadata` first field.
    ///   - saveLoss: datatrove only: write `.ds.loss` (one byte per token, 1 = counts in the loss).
    public init(format: TokenShardFormat, path: String, vocabularySize: Int, width: TokenWidth? = nil,
                tokenizerName: String = "winnow", saveLoss: Bool = false) throws {
        guard let auto = TokenWidth.automatic(for: format, vocabularySize: vocabularySize) else {
            throw TokenShardError(path: path, "\(format.rawValue) shards hold uint16 tokens only; a vocabulary of \(vocabularySize) does not fit")
        }
        let w = width ?? auto
        if format == .nanogpt && w != .uint16 {
            throw TokenShardError(path: path, "nanogpt shards hold uint16 tokens only")
        }
        if w == .uint16 && vocabularySize > 65_536 {
            throw TokenShardError(path: path, "uint16 tokens cannot hold a vocabulary of \(vocabularySize)")
        }
        if saveLoss && format != .datatrove {
            throw TokenShardError(path: path, "loss masks are a datatrove (.ds.loss) feature, not \(format.rawValue)")
        }
        self.format = format
        self.width = w
        self.tokenizerName = tokenizerName
        files = TokenShardFiles(format: format, path: path, loss: saveLoss)
        tokens = try ShardFileWriter(path: files.tokens)
        // megatron's lengths are spilled to a side file and the .idx assembled at the end.
        switch format {
        case .datatrove: index = try ShardFileWriter(path: files.index!)
        case .megatron: index = try ShardFileWriter(path: files.index! + ".lengths")
        case .nanogpt, .llmc: index = nil
        }
        loss = saveLoss ? try ShardFileWriter(path: files.loss!) : nil
        if format == .llmc { try [UInt8](repeating: 0, count: LLMCHeader.size).withUnsafeBytes { try tokens.append($0) } }
    }

    deinit { if !finished { abort() } }

    /// Appends one document. `lossMask` (datatrove with `saveLoss`): one flag per token.
    public func write(document ids: [UInt32], lossMask: [Bool]? = nil) throws {
        precondition(!finished, "write after finish")
        let limit: UInt32 = format == .megatron && width == .uint32 ? UInt32(Int32.max) : width.maxID
        if let bad = ids.firstIndex(where: { $0 > limit }) {
            throw TokenShardError(path: files.tokens, "document \(documents): token \(bad) has id \(ids[bad]), beyond what \(width) \(format.rawValue) tokens hold")
        }
        if let loss {
            guard let m = lossMask, m.count == ids.count else {
                throw TokenShardError(path: files.loss!, "document \(documents): the loss mask needs one flag per token (\(ids.count)), got \(lossMask?.count ?? 0)")
            }
            scratch.removeAll(keepingCapacity: true)
            for f in m { scratch.append(f ? 1 : 0) }
            try scratch.withUnsafeBytes { try loss.append($0) }
        }
        if format == .megatron && ids.count > Int(Int32.max) {
            throw TokenShardError(path: files.tokens, "document \(documents): \(ids.count) tokens exceed megatron's int32 length")
        }
        if format == .llmc && tokenCount + UInt64(ids.count) >= 1 << 31 {
            throw TokenShardError(path: files.tokens, "llm.c shards hold fewer than 2^31 tokens")
        }
        if width == .uint16 {
            narrow.removeAll(keepingCapacity: true)
            narrow.reserveCapacity(ids.count)
            for t in ids { narrow.append(UInt16(truncatingIfNeeded: t).littleEndian) }
            try narrow.withUnsafeBytes { try tokens.append($0) }
        } else {
            #if _endian(little)
            try ids.withUnsafeBytes { try tokens.append($0) }
            #else
            try ids.map { $0.littleEndian }.withUnsafeBytes { try tokens.append($0) }
            #endif
        }
        tokenCount += UInt64(ids.count)
        documents += 1
        switch format {
        case .datatrove: try index!.append(littleEndian: tokenCount)
        case .megatron: try index!.append(littleEndian: Int32(ids.count))
        case .nanogpt, .llmc: break
        }
    }

    /// Completes every file and renames them into place.
    @discardableResult
    public func finish() throws -> TokenShardSummary {
        precondition(!finished, "finish twice")
        do {
            var order: [ShardFileWriter] = [tokens]
            if let loss { order.append(loss) }
            switch format {
            case .llmc:
                let (magic, version) = LLMCHeader.magicVersion(width)
                var header: [UInt8] = []
                for v in [magic, version, Int32(tokenCount)] { withUnsafeBytes(of: v.littleEndian) { header += $0 } }
                try tokens.overwrite(at: 0, header)
            case .megatron:
                order.append(try assembleMegatronIndex())
            case .datatrove:
                order.append(index!)
                let meta = try ShardFileWriter(path: files.metadata!)
                let text = "\(tokenizerName)|\(width.rawValue)\n\(tokenCount)\n\(Humanize.metric(Double(tokenCount), unit: "T"))"
                try Array(text.utf8).withUnsafeBytes { try meta.append($0) }
                order.append(meta)
            case .nanogpt: break
            }
            for f in order { try f.close() }
            for f in order { try f.rename() }
            finished = true
            return TokenShardSummary(documents: documents, tokens: Int(tokenCount), width: width, files: files)
        } catch {
            abort()
            throw error
        }
    }

    /// Drops every temporary file; nothing appears under the shard's real names.
    public func abort() {
        finished = true
        tokens.discard(); index?.discard(); loss?.discard()
        if format == .megatron { unlink(files.index! + ".tmp") }
        if format == .datatrove { unlink(files.metadata! + ".tmp") }
    }

    /// header, int32 lengths (copied from the side file), int64 byte pointers, int64 document
    /// indices 0…n — streamed in chunks so memory stays bounded.
    private func assembleMegatronIndex() throws -> ShardFileWriter {
        let side = index!
        try side.close()
        defer { side.discard() }
        let idx = try ShardFileWriter(path: files.index!)
        try MegatronIndex.magic.withUnsafeBytes { try idx.append($0) }
        try idx.append(littleEndian: UInt64(1))
        try idx.append(littleEndian: MegatronIndex.dtypeCode(width))
        try idx.append(littleEndian: UInt64(documents))
        try idx.append(littleEndian: UInt64(documents + 1))
        let reader = try ShardFileReader(path: side.tempPath)
        let chunk = 1 << 18
        var offset: UInt64 = 0
        while offset < reader.size {
            let n = Int(min(UInt64(chunk * 4), reader.size - offset))
            let bytes = try reader.read(at: offset, count: n)
            try bytes.withUnsafeBytes { try idx.append($0) }
            offset += UInt64(n)
        }
        var pointer: Int64 = 0
        offset = 0
        while offset < reader.size {
            let n = Int(min(UInt64(chunk * 4), reader.size - offset))
            let bytes = try reader.read(at: offset, count: n)
            for k in stride(from: 0, to: n, by: 4) {
                try idx.append(littleEndian: pointer)
                pointer += Int64(loadLE(bytes, k, as: Int32.self)) * Int64(width.rawValue)
            }
            offset += UInt64(n)
        }
        for d in 0...documents { try idx.append(littleEndian: Int64(d)) }
        return idx
    }
}

/// humanize.metric as datatrove's metadata uses it (counts ≥ 0): three significant digits, an
/// SI prefix, and a rounding carry (999,999 → "1.00 M").
enum Humanize {
    static func metric(_ value: Double, unit: String) -> String {
        var exponent = value > 0 ? Int(log10(value).rounded(.down)) : 0
        let oldBucket = exponent / 3 * 3
        var v = value / pow(10, Double(oldBucket))
        var digits = max(0, 3 - exponent % 3 - 1)
        if exponent < 30, (v * pow(10, Double(digits))).rounded(.toNearestOrEven) / pow(10, Double(digits)) >= pow(10, Double(exponent % 3 + 1)) {
            exponent += 1
            v /= pow(10, Double(exponent / 3 * 3 - oldBucket))
            digits = max(0, 3 - exponent % 3 - 1)
        }
        let prefixes = Array("kMGTPEZYRQ")
        let prefix = exponent >= 3 && exponent / 3 - 1 < prefixes.count ? String(prefixes[exponent / 3 - 1]) : ""
        let space = (unit.isEmpty && prefix.isEmpty) ? "" : " "
        return fixed(v, digits) + space + prefix + unit
    }

    /// `value` with `decimals` digits after the point, correctly rounded (C's printf).
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([value]) { vsnprintf(&buf, buf.count, "%.\(decimals)f", $0) }
        return String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

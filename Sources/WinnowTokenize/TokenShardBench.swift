// Entry points for bench/parity/token_shards_parity.py (called from a throwaway executable):
// documents travel in a plain binary list — per document a little-endian u32 token count, the
// u32 ids, then one loss byte per token — so the script needs only numpy to produce and check them.

#if canImport(Glibc)
import Glibc
#endif

public enum TokenShardBench {
    static func readDocuments(_ path: String) throws -> [(ids: [UInt32], loss: [Bool])] {
        let f = try ShardFileReader(path: path)
        let raw = try f.readAll()
        var docs: [(ids: [UInt32], loss: [Bool])] = []
        var p = 0
        while p < raw.count {
            guard p + 4 <= raw.count else { throw TokenShardError(path: path, "truncated document list") }
            let n = Int(loadLE(raw, p, as: UInt32.self)); p += 4
            guard p + n * 5 <= raw.count else { throw TokenShardError(path: path, "truncated document list") }
            var ids = [UInt32](repeating: 0, count: n)
            for i in 0..<n { ids[i] = loadLE(raw, p + 4 * i, as: UInt32.self) }
            p += 4 * n
            let loss = raw[p..<(p + n)].map { $0 != 0 }
            p += n
            docs.append((ids, loss))
        }
        return docs
    }

    /// Writes the documents of `documentsPath` as one shard; returns "documents tokens width".
    public static func write(format: TokenShardFormat, path: String, vocabularySize: Int, documentsPath: String,
                             saveLoss: Bool, tokenizerName: String) throws -> String {
        let docs = try readDocuments(documentsPath)
        let w = try TokenShardWriter(format: format, path: path, vocabularySize: vocabularySize,
                                     tokenizerName: tokenizerName, saveLoss: saveLoss)
        for d in docs { try w.write(document: d.ids, lossMask: saveLoss ? d.loss : nil) }
        let s = try w.finish()
        return "\(s.documents) \(s.tokens) \(s.width.rawValue)"
    }

    /// Reads a shard back and writes its documents (or, without boundaries, all tokens as one
    /// document) in the same binary list to `outPath`.
    public static func read(format: TokenShardFormat, path: String, outPath: String) throws -> String {
        let r = try TokenShardReader(format: format, path: path)
        let out = try ShardFileWriter(path: outPath)
        let ranges: [Range<Int>] = r.documentEnds.map { ends in ends.indices.map { ($0 == 0 ? 0 : ends[$0 - 1])..<ends[$0] } }
            ?? [0..<r.tokenCount]
        for range in ranges {
            let ids = try r.tokens(range)
            let loss = r.hasLoss ? try r.lossFlags(range) : [Bool](repeating: true, count: range.count)
            try out.append(littleEndian: UInt32(ids.count))
            for t in ids { try out.append(littleEndian: t) }
            try loss.map { UInt8($0 ? 1 : 0) }.withUnsafeBytes { try out.append($0) }
        }
        try out.close()
        try out.rename()
        return "\(ranges.count) \(r.tokenCount) \(r.width.rawValue)"
    }

    /// Seconds to write `tokens` synthetic tokens in documents of `documentLength` tokens.
    public static func writeSpeed(format: TokenShardFormat, path: String, vocabularySize: Int, tokens: Int,
                                  documentLength: Int = 1000) throws -> Double {
        var doc = [UInt32](repeating: 0, count: documentLength)
        for i in 0..<documentLength { doc[i] = UInt32((i &* 2_654_435_761) % vocabularySize) }
        let t0 = SentencePieceBench.now()
        let w = try TokenShardWriter(format: format, path: path, vocabularySize: vocabularySize)
        var written = 0
        while written < tokens {
            try w.write(document: doc)
            written += documentLength
        }
        try w.finish()
        return SentencePieceBench.now() - t0
    }
}

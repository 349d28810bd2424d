import WinnowCore
import WinnowIO
import WinnowTokenize
#if canImport(Glibc)
import Glibc
import WinnowSteps
#endif

/// `tokenize: {tokenizer: FILE, format: megatron|datatrove|nanogpt|llmc, bos: SPELLING,
/// eos: SPELLING, width: auto|uint16|uint32, loss: false}`: documents (after the step's own
/// stages) → one token shard per unit, `steps/<step>/NNNNN.<suffix>`, in a format trainers read
/// directly. `bos`/`eos` name special tokens of the tokenizer added around every document.
/// Special-token text inside documents is encoded as plain text. Token counts go to the step's
/// stats (`counters.tokens`, `counters.text_bytes`).
struct TokenizeStep: StepKind {
    let tokenizerPath: String
    let format: TokenShardFormat
    let bos: String?
    let eos: String?
    let width: TokenWidth?
    let saveLoss: Bool

    var name: String { "tokenize" }
    var writesDocuments: Bool { false }
    var writes: String { "\(format.rawValue) token shards" }
    func leadingStages() -> [any Stage]? { nil }
    func reportedStageNames(_ step: StepSpec) -> [String] { step.stages.map(\.name) + ["tokenize"] }

    /// The shard's path as the writer takes it (datatrove: the .ds file; megatron: the prefix).
    func shardPath(_ dir: String, unit: Int) -> String {
        let base = "\(dir)/\(RunPlan.shardName(unit))"
        switch format {
        case .datatrove: return base + ".ds"
        case .megatron: return base
        case .nanogpt, .llmc: return base + ".bin"
        }
    }

    static let parser = StepKindParser(key: "tokenize") { step, node, path, _ in
        var k = try ConfigMap(node, path: path, mark: node.mark)
        try k.expectOnly(["tokenizer", "format", "bos", "eos", "width", "loss"])
        guard let file = try k.string("tokenizer") else { throw ConfigError("missing 'tokenizer' (a tiktoken, tokenizer.json or SentencePiece .model file)", at: node.mark, path: path) }
        let format = TokenShardFormat(rawValue: try k.choice("format", TokenShardFormat.allCases.map(\.rawValue), default: "megatron"))!
        let widthName = try k.choice("width", ["auto", "uint16", "uint32"], default: "auto")
        let kind = TokenizeStep(tokenizerPath: file, format: format, bos: try k.string("bos"), eos: try k.string("eos"),
                                width: widthName == "uint16" ? .uint16 : widthName == "uint32" ? .uint32 : nil,
                                saveLoss: try k.bool("loss", default: false))
        // Load it now: a missing or corrupt tokenizer, or an unknown special token, fails before any work.
        let tok: any Tokenizer
        do { tok = try TokenizerLoader.shared(path: file) } catch { throw k.error("tokenizer", "\(error)") }
        for (key, spelling) in [("bos", kind.bos), ("eos", kind.eos)] {
            if let s = spelling, tok.specialTokenID(s) == nil { throw k.error(key, "'\(s)' is not a special token of \(file)") }
        }
        if kind.saveLoss && format != .datatrove { throw k.error("loss", "loss masks are written by format: datatrove only") }
        if TokenWidth.automatic(for: format, vocabularySize: tok.vocabularySize) == nil {
            throw k.error("format", "\(format.rawValue) shards hold uint16 tokens; \(file) has \(tok.vocabularySize) ids")
        }
        var s = step
        s.kind = kind
        s.output.keepDropped = false
        return [s]
    }

    func runUnit(_ run: UnitRun) throws -> FileStats {
        let tok = try TokenizerLoader.shared(path: tokenizerPath)
        let bosID = bos.flatMap { tok.specialTokenID($0) }
        let eosID = eos.flatMap { tok.specialTokenID($0) }
        let path = shardPath(run.stepDirectory, unit: run.unit.index)
        try makeDirectories(run.stepDirectory)
        let writer = try TokenShardWriter(format: format, path: path, vocabularySize: tok.vocabularySize, width: width,
                                          tokenizerName: baseName(tokenizerPath), saveLoss: saveLoss)
        let reader = try run.openInput()
        let chain = StageChain(try PipelineLoader().makeStages(run.step.stages))
        try chain.startTask()
        try chain.startUnit(UnitContext(index: run.unit.index, runDirectory: run.runDirectory))
        var stats = FileStats(input: run.label, stageNames: [])
        var tokens = 0, textBytes = 0
        let t0 = monotonicNanos()
        var encodeNanos: UInt64 = 0
        // One id buffer and one merge scratch for the whole unit, not one per document.
        var ids: [UInt32] = []
        let scratch = MergeScratch()
        let counts = try chain.run(next: reader.next, keep: { doc in
            let te = monotonicNanos()
            ids.removeAll(keepingCapacity: true)
            if let bosID { ids.append(bosID) }
            if let fast = tok as? any BufferEncoding {
                var text = doc.text
                text.withUTF8 { fast.encode(utf8: $0, allowedSpecial: [], into: &ids, scratch: scratch) }
            } else {
                ids += tok.encode(doc.text)
            }
            if let eosID { ids.append(eosID) }
            encodeNanos += monotonicNanos() - te
            try writer.write(document: ids, lossMask: saveLoss ? [Bool](repeating: true, count: ids.count) : nil)
            tokens += ids.count
            textBytes += doc.text.utf8.count
        }, each: { n in if n & 255 == 0 { try run.progress(n, reader.inputBytesRead) } })
        chain.finishUnit()
        let summary = try writer.finish()
        for f in [summary.files.tokens, summary.files.index, summary.files.loss, summary.files.metadata].compactMap({ $0 }) {
            CommittedFiles.record(f, bytes: fileSize(f) ?? -1)
        }
        stats.read = reader.stats
        stats.read.nanoseconds = (monotonicNanos() - t0) - chain.stats.reduce(0) { $0 + $1.nanoseconds } - encodeNanos
        var enc = StageStats(name: "tokenize")
        enc.docsIn = counts.written; enc.docsOut = counts.written
        enc.bytesIn = textBytes; enc.bytesOut = textBytes
        enc.nanoseconds = encodeNanos
        stats.stages = chain.stats + [enc]
        stats.written = counts.written
        stats.dropped = counts.dropped
        stats.damage = reader.damage
        stats.warnings = reader.warnings
        stats.inputBytes = run.unit.split?.count ?? reader.inputBytesRead
        stats.counters = ["tokens": tokens, "text_bytes": textBytes, "documents": counts.written]
        return stats
    }
}

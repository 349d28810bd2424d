import WinnowCore
import WinnowIO
import WinnowCompress
import WinnowTokenize
import Synchronization
#if canImport(Glibc)
import Glibc
import WinnowSteps
#endif

/// `compress: {model: M1_CHECKPOINT, window_bits: 16, vocab: 65536, format: datatrove|megatron,
/// lanes: 8, threads: 1}`: documents (after the step's own stages) → EqualInfoAC token shards
/// (issue 21), one per unit, through the same shard writer as `tokenize`. A datatrove shard's
/// metadata names the format and M1 (`winnow eiw decode` checks it). Every document decodes from
/// its tokens alone (docs/EIW.md). Stats: `counters.tokens`, `text_bytes`, `windows`,
/// `windows_shortened`, `escapes`.
struct CompressStep: StepKind {
    let modelPath: String
    let format: EqualInfoFormat
    let shardFormat: TokenShardFormat
    let lanes: Int
    let threads: Int

    var name: String { "compress" }
    var writesDocuments: Bool { false }
    var writes: String { "\(shardFormat.rawValue) EqualInfoAC token shards" }
    func leadingStages() -> [any Stage]? { nil }
    func reportedStageNames(_ step: StepSpec) -> [String] { step.stages.map(\.name) + ["compress"] }

    static let parser = StepKindParser(key: "compress") { step, node, path, _ in
        var k = try ConfigMap(node, path: path, mark: node.mark)
        try k.expectOnly(["model", "window_bits", "vocab", "format", "lanes", "threads"])
        guard let model = try k.string("model") else { throw ConfigError("missing 'model' (an M1 checkpoint directory: winnow eiw train-m1)", at: node.mark, path: path) }
        let format: EqualInfoFormat
        do { format = try EqualInfoFormat(windowBits: try k.int("window_bits", default: 16), vocabularySize: try k.int("vocab", default: 65_536)) } catch {
            throw k.error("window_bits", "\(error)")
        }
        let sf = TokenShardFormat(rawValue: try k.choice("format", ["datatrove", "megatron"], default: "datatrove"))!
        let lanes = try k.int("lanes", default: 8), threads = try k.int("threads", default: 1)
        guard lanes >= 1, threads >= 1 else { throw k.error("lanes", "lanes and threads must be positive") }
        // Load it now: a missing or unsuitable M1 fails before any work.
        do { _ = try CompressStep.cache.load(model) } catch { throw k.error("model", "\(error)") }
        var s = step
        s.kind = CompressStep(modelPath: model, format: format, shardFormat: sf, lanes: lanes, threads: threads)
        s.output.keepDropped = false
        return [s]
    }

    /// One M1 per checkpoint per process (tasks share it; it is read-only).
    static let cache = ByteModelCache()

    func runUnit(_ run: UnitRun) throws -> FileStats {
        let model = try Self.cache.load(modelPath)
        let base = "\(run.stepDirectory)/\(RunPlan.shardName(run.unit.index))"
        let path = shardFormat == .datatrove ? base + ".ds" : base
        try makeDirectories(run.stepDirectory)
        let writer = try TokenShardWriter(format: shardFormat, path: path, vocabularySize: format.vocabularySize,
                                          tokenizerName: format.tokenizerName(model: model))
        let reader = try run.openInput()
        let chain = StageChain(try PipelineLoader().makeStages(run.step.stages))
        try chain.startTask()
        try chain.startUnit(UnitContext(index: run.unit.index, runDirectory: run.runDirectory))
        var stats = FileStats(input: run.label, stageNames: [])
        let t0 = monotonicNanos()
        var encodeNanos: UInt64 = 0
        var coded = EncodeStats()
        var tokens = 0
        // Documents are coded in batches (the lanes of a batch share model steps).
        var batch: [[UInt8]] = [], batchBytes = 0
        func flush() throws {
            guard !batch.isEmpty else { return }
            let te = monotonicNanos()
            let (windows, s) = EqualInfoAC.encode(batch, model: model, format: format, threads: threads, lanes: lanes)
            encodeNanos += monotonicNanos() - te
            coded.add(s)
            for w in windows {
                let ids = format.tokens(w)
                tokens += ids.count
                try writer.write(document: ids)
            }
            batch.removeAll(keepingCapacity: true); batchBytes = 0
        }
        let counts = try chain.run(next: reader.next, keep: { doc in
            batch.append(Array(doc.text.utf8))
            batchBytes += batch[batch.count - 1].count
            if batch.count >= 64 * lanes * threads || batchBytes >= 1 << 22 { try flush() }
        }, each: { n in if n & 255 == 0 { try run.progress(n, reader.inputBytesRead) } })
        try flush()
        chain.finishUnit()
        let summary = try writer.finish()
        for f in [summary.files.tokens, summary.files.index, summary.files.metadata].compactMap({ $0 }) {
            CommittedFiles.record(f, bytes: fileSize(f) ?? -1)
        }
        stats.read = reader.stats
        stats.read.nanoseconds = (monotonicNanos() - t0) - chain.stats.reduce(0) { $0 + $1.nanoseconds } - encodeNanos
        var enc = StageStats(name: "compress")
        enc.docsIn = counts.written; enc.docsOut = counts.written
        enc.bytesIn = coded.bytes; enc.bytesOut = coded.bytes
        enc.nanoseconds = encodeNanos
        stats.stages = chain.stats + [enc]
        stats.written = counts.written
        stats.dropped = counts.dropped
        stats.damage = reader.damage
        stats.warnings = reader.warnings
        stats.inputBytes = run.unit.split?.count ?? reader.inputBytesRead
        stats.counters = ["tokens": tokens, "text_bytes": coded.bytes, "documents": counts.written, "windows": coded.windows,
                          "windows_shortened": coded.shortened, "escapes": coded.escapes]
        return stats
    }
}

/// M1 models loaded once per checkpoint in this process.
final class ByteModelCache: Sendable {
    private let loaded = Mutex<[String: ByteModel]>([:])

    func load(_ path: String) throws -> ByteModel {
        try loaded.withLock { cache in
            if let m = cache[path] { return m }
            let m = try ByteModel.load(checkpoint: path)
            cache[path] = m
            return m
        }
    }
}

/// Its shards are token shards like `tokenize`'s: `merge`, `train` and `eval` read them.
extension CompressStep: TokenShardStep {
    func shardFormat(_ step: StepSpec, earlier: [StepPlan]) -> TokenShardFormat { shardFormat }
}

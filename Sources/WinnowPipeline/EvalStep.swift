import WinnowCore
import WinnowIO
import WinnowLM
import WinnowSteps
import WinnowTokenize

/// `eval: {data: STEP, tokenizer: FILE, batch_size: 8, max_batches: 64, threads: 2}` after a
/// `train` step: held-out loss and bits per byte of the newest checkpoint on the token shards of
/// `data` (a tokenize, merge or compress step), read as one stream in windows of the model's
/// training length, at most `max_batches` batches. With a tokenizer, bytes are the decoded bytes
/// of the counted targets, special tokens excluded (nats / ln 2 / bytes). Without one (tokens
/// that do not decode alone, e.g. EqualInfoAC's), EIW §4.5's formula: mean nats per token / ln 2
/// × the data step's tokens / text bytes (its `counters`). Writes `steps/<step>/metrics.jsonl`:
/// one row {step, eval_loss, bits_per_byte, bytes_per_token, tokens, bytes, bits_per_byte_from},
/// which `winnow ablate` compares.
struct EvalStep: StepKind {
    let data: String
    let tokenizer: String?
    let batchSize: Int
    let maxBatches: Int
    let threads: Int

    var name: String { "eval" }
    var writesDocuments: Bool { false }
    var writes: String { "evaluation metrics" }
    func leadingStages() -> [any Stage]? { nil }
    func reportedStageNames(_ step: StepSpec) -> [String] { [] }
    func canRead(_ dep: StepSpec) -> Bool { dep.kind is TrainStep }

    static let parser = StepKindParser(key: "eval") { step, node, path, _ in
        var k = try ConfigMap(node, path: path, mark: node.mark)
        try k.expectOnly(["data", "tokenizer", "batch_size", "max_batches", "threads"])
        guard let data = try k.string("data") else { throw k.error("data", "eval needs data: the tokenize step whose shards it scores") }
        let tokenizer = try k.string("tokenizer")
        if let tokenizer {
            do { _ = try TokenizerLoader.load(path: tokenizer) } catch { throw k.error("tokenizer", "\(error)") }
        }
        let batch = try k.int("batch_size", default: 8), maxBatches = try k.int("max_batches", default: 64), threads = try k.int("threads", default: 2)
        guard batch >= 1, maxBatches >= 1, threads >= 1 else { throw k.error("batch_size", "batch_size, max_batches and threads must be at least 1") }
        guard step.input.from.count == 1 else { throw ConfigError("an eval step reads one train step: input: {from: TRAIN}", at: step.mark, path: path) }
        var s = step
        s.kind = EvalStep(data: data, tokenizer: tokenizer, batchSize: batch, maxBatches: maxBatches, threads: threads)
        if !s.after.contains(data) { s.after.append(data) }
        return [s]
    }

    func ownUnits(_ step: StepSpec, earlier: [StepPlan]) throws -> [WorkUnit]? {
        [WorkUnit(index: 0, input: "steps/\(step.input.from[0])", split: nil, bytes: 0, format: nil)]
    }

    func runUnit(_ run: UnitRun) throws -> FileStats {
        let t0 = monotonicNanos()
        let trainDir = "\(run.runDirectory)/\(run.unit.input)"
        guard let checkpoint = Trainer.latestCheckpoint(outputDir: trainDir) else { throw RunError("\(trainDir): no checkpoint to evaluate") }
        BLASThreads.set(threads)
        let model = try Transformer.load(checkpoint: checkpoint, threads: threads)
        let trainedSeq = (readTextFile(checkpoint + "/config.json").flatMap { try? JSONParser.parse($0) })?["seq_len"]?.intValue
        let seq = min(trainedSeq ?? model.config.contextLength, model.config.contextLength)
        let shards = try TrainStep.shards(run.runDirectory, data)
        guard !shards.isEmpty else { throw RunError("eval: step '\(data)' wrote no token shards") }
        let stream = try TokenStream(paths: shards)
        let batches = max(1, min(maxBatches, stream.windowCount(seq: seq) / batchSize))
        let r = try evaluate(model: model, stream: stream, batches: batches, batchSize: batchSize, seqLen: seq)
        let bitsPerByte: Double, bytes: Int, bytesPerToken: Double, from: String
        if let tokenizer {
            bytes = r.documentBytes(try TokenizerLoader.load(path: tokenizer))
            bitsPerByte = r.bitsPerByte(bytes: bytes)
            bytesPerToken = Double(bytes) / Double(max(1, r.targets))
            from = "decoded targets"
        } else {
            let (tokens, textBytes) = try Self.corpusCounts(runDirectory: run.runDirectory, step: data)
            bytes = textBytes
            bytesPerToken = Double(textBytes) / Double(tokens)
            bitsPerByte = r.meanLoss / 0.693_147_180_559_945_3 / bytesPerToken   // nats → bits
            from = "counters of \(data): \(tokens) tokens, \(textBytes) text bytes"
        }
        let step = Int(checkpoint.split(separator: "-").last ?? "") ?? 0
        let row = JSONObject([("step", .int(step)), ("eval_loss", .double(r.meanLoss)), ("bits_per_byte", .double(bitsPerByte)),
                              ("bytes_per_token", .double(bytesPerToken)), ("tokens", .int(r.targets)), ("bytes", .int(bytes)),
                              ("bits_per_byte_from", .string(tokenizer == nil ? "ratio" : "decoded")),
                              ("checkpoint", .string(String(checkpoint.dropFirst(run.runDirectory.count + 1))))])
        try makeDirectories(run.stepDirectory)
        let path = run.stepDirectory + "/metrics.jsonl"
        let out = try AtomicOutput(path: path, compression: .none)
        try out.sink.write(Array((JSONWriter.string(.object(row)) + "\n").utf8))
        try out.commit()
        CommittedFiles.record(path, bytes: fileSize(path) ?? -1)
        run.log("eval of \(checkpoint): loss \(r.meanLoss), bits/byte \(bitsPerByte) over \(r.targets) tokens (bytes from \(from))")
        var stats = FileStats(input: run.unit.input, stageNames: [])
        stats.read.nanoseconds = monotonicNanos() - t0
        stats.counters = ["tokens_scored": r.targets, "bytes_scored": bytes]
        return stats
    }

    /// The tokens and text bytes a token step wrote, from its units' counters in the run database.
    static func corpusCounts(runDirectory: String, step: String) throws -> (tokens: Int, textBytes: Int) {
        let db = try RunDatabase(runDirectory: runDirectory)
        var tokens = 0, bytes = 0
        for u in try db.unitStats(step: step) {
            guard let counters = u?["counters"] else { throw RunError("eval: step '\(step)' has a unit without stats (not finished?)") }
            tokens += counters["tokens"]?.intValue ?? 0
            bytes += counters["text_bytes"]?.intValue ?? 0
        }
        guard tokens > 0, bytes > 0 else {
            throw RunError("eval: step '\(step)' records no tokens and text_bytes counters; give eval a tokenizer to count bytes by decoding")
        }
        return (tokens, bytes)
    }
}

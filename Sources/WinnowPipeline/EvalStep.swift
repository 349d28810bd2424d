import WinnowCore
import WinnowIO
import WinnowLM
import WinnowSteps
import WinnowTokenize

/// `eval: {data: STEP, tokenizer: FILE, batch_size: 8, max_batches: 64, threads: 2}` after a
/// `train` step: held-out loss and bits per byte of the newest checkpoint on the token shards of
/// `data` (a tokenize or merge step), read as one stream in windows of the model's training
/// length, at most `max_batches` batches. Bytes are the decoded bytes of the counted targets,
/// special tokens excluded (EIW §4.5: nats / ln 2 / bytes). Writes `steps/<step>/metrics.jsonl`:
/// one row {step, eval_loss, bits_per_byte, tokens, bytes}, which `winnow ablate` compares.
struct EvalStep: StepKind {
    let data: String
    let tokenizer: String
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
        guard let tokenizer = try k.string("tokenizer") else { throw k.error("tokenizer", "eval needs the tokenizer (bits per byte decode the tokens)") }
        do { _ = try TokenizerLoader.load(path: tokenizer) } catch { throw k.error("tokenizer", "\(error)") }
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
        let tok = try TokenizerLoader.load(path: tokenizer)
        let bytes = r.documentBytes(tok)
        let step = Int(checkpoint.split(separator: "-").last ?? "") ?? 0
        let row = JSONObject([("step", .int(step)), ("eval_loss", .double(r.meanLoss)), ("bits_per_byte", .double(r.bitsPerByte(bytes: bytes))),
                              ("tokens", .int(r.targets)), ("bytes", .int(bytes)), ("checkpoint", .string(String(checkpoint.dropFirst(run.runDirectory.count + 1))))])
        try makeDirectories(run.stepDirectory)
        let path = run.stepDirectory + "/metrics.jsonl"
        let out = try AtomicOutput(path: path, compression: .none)
        try out.sink.write(Array((JSONWriter.string(.object(row)) + "\n").utf8))
        try out.commit()
        CommittedFiles.record(path, bytes: fileSize(path) ?? -1)
        run.log("eval of \(checkpoint): loss \(r.meanLoss), bits/byte \(r.bitsPerByte(bytes: bytes)) over \(r.targets) tokens, \(bytes) bytes")
        var stats = FileStats(input: run.unit.input, stageNames: [])
        stats.read.nanoseconds = monotonicNanos() - t0
        stats.counters = ["tokens_scored": r.targets, "bytes_scored": bytes]
        return stats
    }
}

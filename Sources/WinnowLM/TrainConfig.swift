import WinnowCore
import WinnowTokenize

/// A `winnow lm train` file:
/// ```yaml
/// model: {preset: gpt2-tiny, vocab_size: 8192}
/// data: {train: [a.bin], eval: [b.bin], format: megatron, document_mask: false}
/// optimizer: {lr: 1e-3, warmup: 100, schedule: cosine, min_lr: 1e-4, weight_decay: 0.1, clip: 1.0, grad_accum: 1}
/// batch_size: 16
/// seq_len: 256
/// steps: 1000
/// eval_every: 100      # 0 = never
/// eval_batches: 8
/// checkpoint_every: 500
/// log_every: 10
/// seed: 0
/// shuffle_windows: false   # true: each epoch visits the windows in a seeded random order
/// threads: 2
/// output_dir: out/lm/tiny
/// ```
public struct TrainConfig: Sendable {
    public var model: ModelConfig
    public var optimizer: OptimizerConfig
    public var trainPaths: [String]
    public var evalPaths: [String] = []
    public var format: TokenShardFormat?
    public var documentMask = false
    public var batchSize = 16, seqLen = 256, steps = 1000
    public var evalEvery = 0, evalBatches = 8, checkpointEvery = 0, logEvery = 10
    public var seed: UInt64 = 0
    /// Batches of consecutive windows come mostly from one document; shuffled windows decorrelate
    /// them (as Megatron's and nanoGPT's loaders do). Off by default: in-order reading is what
    /// the parity scripts mirror.
    public var shuffleWindows = false
    public var threads = 2
    public var outputDir = "out/lm"

    public init(model: ModelConfig, optimizer: OptimizerConfig, trainPaths: [String]) {
        self.model = model; self.optimizer = optimizer; self.trainPaths = trainPaths
    }

    public init(_ node: ConfigNode, file: String) throws {
        var m = try ConfigMap(node, path: "", mark: node.mark)
        try m.expectOnly(["model", "data", "optimizer", "batch_size", "seq_len", "steps", "eval_every", "eval_batches",
                          "checkpoint_every", "log_every", "seed", "shuffle_windows", "threads", "output_dir"])
        guard let mn = m.node("model") else { throw ConfigError("missing 'model' (e.g. {preset: gpt2-tiny})", at: m.mark, path: "model") }
        model = try ModelConfig(mn, path: "model", mark: m.mark)
        optimizer = try OptimizerConfig(m.node("optimizer"), path: "optimizer", mark: m.mark)
        var d = try ConfigMap(m.node("data"), path: "data", mark: m.mark)
        try d.expectOnly(["train", "eval", "format", "document_mask"])
        trainPaths = try d.strings("train", default: [])
        guard !trainPaths.isEmpty else { throw ConfigError("data.train: give one or more token shards", at: d.mark, path: "data.train") }
        evalPaths = try d.strings("eval", default: [])
        if let f = try d.string("format") {
            guard let x = TokenShardFormat(rawValue: f) else { throw d.error("format", "format must be datatrove, megatron, nanogpt or llmc") }
            format = x
        }
        documentMask = try d.bool("document_mask", default: false)
        try d.finish()
        batchSize = try m.int("batch_size", default: batchSize)
        seqLen = try m.int("seq_len", default: model.contextLength)
        steps = try m.int("steps", default: steps)
        evalEvery = try m.int("eval_every", default: evalEvery)
        evalBatches = try m.int("eval_batches", default: evalBatches)
        checkpointEvery = try m.int("checkpoint_every", default: checkpointEvery)
        logEvery = try m.int("log_every", default: logEvery)
        let s = try m.int("seed", default: 0)
        seed = UInt64(max(0, s))
        shuffleWindows = try m.bool("shuffle_windows", default: false)
        threads = try m.int("threads", default: threads)
        outputDir = try m.string("output_dir", default: outputDir)
        try m.finish()
        guard batchSize >= 1, seqLen >= 1, seqLen <= model.contextLength, steps >= 0, evalBatches >= 1, threads >= 1,
              evalEvery >= 0, checkpointEvery >= 0, logEvery >= 1 else {
            throw ConfigError("batch_size, threads, eval_batches, log_every ≥ 1; 1 ≤ seq_len ≤ context_length (\(model.contextLength)); steps, eval_every, checkpoint_every ≥ 0",
                              at: m.mark, path: file)
        }
    }

    public var json: JSONValue {
        .object(JSONObject([
            ("model", model.json), ("optimizer", optimizer.json),
            ("data", .object(JSONObject([("train", .array(trainPaths.map { .string($0) })), ("eval", .array(evalPaths.map { .string($0) })),
                                         ("document_mask", .bool(documentMask))] + (format.map { [("format", JSONValue.string($0.rawValue))] } ?? [])))),
            ("batch_size", .int(batchSize)), ("seq_len", .int(seqLen)), ("steps", .int(steps)), ("eval_every", .int(evalEvery)),
            ("eval_batches", .int(evalBatches)), ("checkpoint_every", .int(checkpointEvery)), ("log_every", .int(logEvery)),
            ("seed", .int(seed)), ("shuffle_windows", .bool(shuffleWindows)), ("threads", .int(threads)), ("output_dir", .string(outputDir)),
        ]))
    }
}

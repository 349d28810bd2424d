import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// The training loop: batches from the token stream in order, AdamW steps, evaluation on a
/// held-out stream, metrics JSONL and checkpoints. Everything that decides the next loss (weights,
/// optimizer moments and step, data window) is in a checkpoint, so a resumed run continues
/// with exactly the losses an uninterrupted one would have.
public final class Trainer {
    public let config: TrainConfig
    public let model: Transformer
    public let optimizer: AdamW
    let train: TokenStream
    let eval: TokenStream?
    /// Steps done so far; the next step is number `step`.
    public private(set) var step = 0
    /// Next training window of the stream.
    public private(set) var window = 0

    public init(config: TrainConfig) throws {
        self.config = config
        model = try Transformer(config: config.model)
        model.threads = config.threads
        model.initialize(seed: config.seed)
        optimizer = config.optimizer.makeAdamW(model.params)
        train = try TokenStream(paths: config.trainPaths, format: config.format, documentMask: config.documentMask)
        if config.shuffleWindows { train.shuffleSeed = config.seed }
        eval = config.evalPaths.isEmpty ? nil : try TokenStream(paths: config.evalPaths, format: config.format, documentMask: config.documentMask)
    }

    /// Continues from a checkpoint directory written by `saveCheckpoint`.
    public convenience init(config: TrainConfig, resumeFrom dir: String) throws {
        try self.init(config: config)
        guard let text = readTextFile(dir + "/config.json") else { throw LMError("\(dir): no config.json (not a checkpoint?)") }
        let saved = try ModelConfig(ConfigNode(json: try JSONParser.parse(text), file: dir + "/config.json")["model"],
                                    path: "model", mark: SourceMark(file: dir + "/config.json", line: 0, column: 0))
        guard saved == config.model else { throw LMError("\(dir): the checkpoint's model config differs from this run's") }
        try model.params.load(try SafetensorsFile(path: dir + "/model.safetensors"))
        let opt = try SafetensorsFile(path: dir + "/optimizer.safetensors")
        try optimizer.load(opt)
        let state = try opt.ints("trainer.state")
        guard state.count == 2, state[0] >= 0, state[1] >= 0 else { throw LMError("\(dir): bad trainer state") }
        step = state[0]; window = state[1]
    }

    public var schedule: LRSchedule { config.optimizer.schedule(totalSteps: config.steps) }

    public func runStep() throws -> StepResult {
        var micro: [Transformer.Batch] = []
        for _ in 0..<config.optimizer.gradAccum {
            micro.append(try train.batch(window: window, batch: config.batchSize, seq: config.seqLen, vocabSize: config.model.vocabSize))
            window += config.batchSize
        }
        let r = try trainStep(model: model, optimizer: optimizer, config: config.optimizer, lr: schedule.lr(at: step), microBatches: micro)
        step += 1
        return r
    }

    /// Mean cross-entropy over the first `eval_batches` batches of the held-out stream.
    public func evaluate() throws -> Double? {
        guard let eval else { return nil }
        var total = 0.0
        for i in 0..<config.evalBatches {
            let b = try eval.batch(window: i * config.batchSize, batch: config.batchSize, seq: config.seqLen, vocabSize: config.model.vocabSize)
            total += try model.forward(b).crossEntropy
        }
        return total / Double(config.evalBatches)
    }

    /// Writes `DIR/checkpoints/step-NNNNNNNN/` (weights, optimizer state + data position,
    /// config) under a temporary name, then renames it into place.
    @discardableResult
    public func saveCheckpoint() throws -> String {
        let parent = config.outputDir + "/checkpoints"
        try makeDirectory(config.outputDir); try makeDirectory(parent)
        let name = "step-" + String(repeating: "0", count: max(0, 8 - String(step).count)) + String(step)
        let final = parent + "/" + name, tmp = final + ".tmp-\(getpid())"
        try makeDirectory(tmp)
        var w = SafetensorsWriter()
        w.metadata = ["format": "pt"]
        model.params.addValues(to: &w)
        try w.write(to: tmp + "/model.safetensors")
        var o = SafetensorsWriter()
        optimizer.save(to: &o)
        o.add("trainer.state", shape: [2], ints: [step, window])
        try o.write(to: tmp + "/optimizer.safetensors")
        try writeFileAtomically(tmp + "/config.json", Array((JSONWriter.string(config.json) + "\n").utf8))
        if access(final, F_OK) == 0 { try removeTree(final) }
        guard rename(tmp, final) == 0 else { throw LMError("cannot rename \(tmp) to \(final): \(String(cString: strerror(errno)))") }
        return final
    }

    /// The newest checkpoint under the output directory, if any.
    public static func latestCheckpoint(outputDir: String) -> String? {
        let parent = outputDir + "/checkpoints"
        guard let d = opendir(parent) else { return nil }
        defer { closedir(d) }
        var best: String?
        while let e = readdir(d) {
            let n = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
            if n.hasPrefix("step-"), !n.contains(".tmp"), best.map({ n > $0 }) ?? true { best = n }
        }
        return best.map { parent + "/" + $0 }
    }
}

func makeDirectory(_ p: String) throws {
    if mkdir(p, 0o755) != 0 && errno != EEXIST { throw LMError("cannot create \(p): \(String(cString: strerror(errno)))") }
}

/// Removes a checkpoint directory (flat: files only).
func removeTree(_ p: String) throws {
    if let d = opendir(p) {
        while let e = readdir(d) {
            let n = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
            if n != "." && n != ".." { unlink(p + "/" + n) }
        }
        closedir(d)
    }
    guard rmdir(p) == 0 else { throw LMError("cannot remove \(p): \(String(cString: strerror(errno)))") }
}

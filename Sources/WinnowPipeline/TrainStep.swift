import WinnowCore
import WinnowIO
import WinnowLM
import WinnowSteps
import WinnowTokenize

/// `train: {model: ..., optimizer: ..., batch_size, seq_len, steps, eval_every, eval_from: STEP,
/// checkpoint_every, log_every, seed, threads, document_mask}` — `winnow lm train` as a step:
/// trains on the token shards of the steps it reads (tokenize, merge or pack), validates on those
/// of `eval_from`, and writes `steps/<step>/metrics.jsonl` and `checkpoints/step-N/`. One unit,
/// one task. A rerun after an interruption continues from the newest checkpoint and gives the
/// losses an uninterrupted run would have (the data position is in the checkpoint).
struct TrainStep: StepKind {
    /// The `train:` mapping with `data` and `output_dir` filled in at run time.
    let config: ConfigNode
    let evalFrom: String?

    var name: String { "train" }
    var writesDocuments: Bool { false }
    var writes: String { "a trained model" }
    func leadingStages() -> [any Stage]? { nil }
    func reportedStageNames(_ step: StepSpec) -> [String] { [] }
    func canRead(_ dep: StepSpec) -> Bool { dep.kind is any TokenShardStep || dep.kind is PackStep }

    static let parser = StepKindParser(key: "train") { step, node, path, _ in
        guard case .mapping(let entries, let mark) = node else { throw ConfigError("train: expects a mapping", at: node.mark, path: path) }
        for e in entries where ["data", "output_dir"].contains(e.key) {
            throw ConfigError("'\(e.key)' comes from the pipeline (input.from, eval_from and the step's directory)", at: e.keyMark, path: "\(path).\(e.key)")
        }
        guard !step.input.from.isEmpty else { throw ConfigError("a train step reads token shards: input: {from: STEP}", at: step.mark, path: path) }
        guard step.stages.isEmpty else { throw ConfigError("a train step has no stages", at: step.mark, path: path) }
        let evalFrom = entries.first { $0.key == "eval_from" }?.value
        var evalName: String?
        if let evalFrom {
            guard case .scalar(let n, _) = evalFrom else { throw ConfigError("eval_from names a step", at: evalFrom.mark, path: "\(path).eval_from") }
            evalName = n
        }
        let rest = entries.filter { $0.key != "eval_from" && $0.key != "document_mask" }
        let documentMask = entries.first { $0.key == "document_mask" }?.value
        let config = ConfigNode.mapping(rest, mark)
        // Checked now (with a stand-in shard list), so a bad key fails before any work.
        _ = try TrainConfig(withData(config, train: ["(input.from)"], eval: [], documentMask: documentMask, outputDir: "."), file: path)
        var s = step
        s.kind = TrainStep(config: documentMask.map { m in withDocumentMask(config, m) } ?? config, evalFrom: evalName)
        if let evalName, !s.after.contains(evalName) { s.after.append(evalName) }
        return [s]
    }

    func ownUnits(_ step: StepSpec, earlier: [StepPlan]) throws -> [WorkUnit]? {
        [WorkUnit(index: 0, input: step.input.from.map { "steps/\($0)" }.joined(separator: ","), split: nil, bytes: 0, format: nil)]
    }

    func runUnit(_ run: UnitRun) throws -> FileStats {
        let t0 = monotonicNanos()
        let train = try run.step.input.from.flatMap { try Self.shards(run.runDirectory, $0) }
        let eval = try evalFrom.map { try Self.shards(run.runDirectory, $0) } ?? []
        guard !train.isEmpty else { throw RunError("train: the steps it reads wrote no token shards") }
        let mask = config["document_mask"]
        let cfg = try TrainConfig(Self.withData(config.removing("document_mask"), train: train, eval: eval, documentMask: mask, outputDir: run.stepDirectory),
                                  file: run.step.name)
        try makeDirectories(run.stepDirectory)
        BLASThreads.set(cfg.threads)
        let trainer: Trainer
        if let dir = Trainer.latestCheckpoint(outputDir: run.stepDirectory) {
            trainer = try Trainer(config: cfg, resumeFrom: dir)
            run.log("resuming from \(dir) at step \(trainer.step)")
        } else {
            trainer = try Trainer(config: cfg)
        }
        _ = try TrainingLoop.run(trainer, stopAt: cfg.steps, log: run.log) { try run.progress($0, 0) }
        if let checkpoint = Trainer.latestCheckpoint(outputDir: run.stepDirectory) {
            for f in ["model.safetensors", "optimizer.safetensors", "config.json"] {
                let p = "\(checkpoint)/\(f)"
                CommittedFiles.record(p, bytes: fileSize(p) ?? -1)
            }
        }
        var stats = FileStats(input: run.unit.input, stageNames: [])
        stats.read.nanoseconds = monotonicNanos() - t0
        // Deterministic totals (a resumed run reports what an uninterrupted one would).
        stats.counters = ["steps": trainer.step, "parameters": trainer.model.params.count,
                          "tokens_trained": trainer.step * cfg.batchSize * cfg.seqLen * cfg.optimizer.gradAccum]
        return stats
    }

    /// The token shards a step wrote, in unit order (`NNNNN.bin` of megatron/nanogpt/llmc,
    /// `NNNNN.ds` of datatrove).
    static func shards(_ runDirectory: String, _ step: String) throws -> [String] {
        let dir = "\(runDirectory)/steps/\(step)"
        let ds = FileGlob.expand("\(dir)/[0-9]*.ds").sorted()
        let bins = FileGlob.expand("\(dir)/[0-9]*.bin").sorted()
        return ds.isEmpty ? bins : ds
    }

    static func withData(_ config: ConfigNode, train: [String], eval: [String], documentMask: ConfigNode?, outputDir: String) -> ConfigNode {
        guard case .mapping(var entries, let mark) = config else { return config }
        func list(_ xs: [String]) -> ConfigNode { .sequence(xs.map { .scalar($0, mark) }, mark) }
        var data: [(key: String, keyMark: SourceMark, value: ConfigNode)] = [("train", mark, list(train))]
        if !eval.isEmpty { data.append(("eval", mark, list(eval))) }
        if let documentMask { data.append(("document_mask", mark, documentMask)) }
        entries.append(("data", mark, .mapping(data, mark)))
        entries.append(("output_dir", mark, .scalar(outputDir, mark)))
        return .mapping(entries, mark)
    }

    static func withDocumentMask(_ config: ConfigNode, _ m: ConfigNode) -> ConfigNode {
        guard case .mapping(var entries, let mark) = config else { return config }
        entries.append(("document_mask", mark, m))
        return .mapping(entries, mark)
    }
}

extension ConfigNode {
    /// The mapping without `key`.
    func removing(_ key: String) -> ConfigNode {
        guard case .mapping(let entries, let mark) = self else { return self }
        return .mapping(entries.filter { $0.key != key }, mark)
    }
}

/// Where a `train` step is, from its `metrics.jsonl` (for `winnow status`): the last logged
/// step of the total, its loss and tokens per second, the last held-out loss, and the time left
/// at that speed.
struct TrainingProgress {
    var step: Int
    var totalSteps: Int
    var loss: Double
    var tokensPerSecond: Double?
    var evalLoss: (step: Int, loss: Double)?
    /// Tokens one optimizer step consumes (batch × seq_len × grad_accum).
    var tokensPerStep: Int

    /// Progress of the `train` step `kind` in `stepDirectory`; nil before its first logged step.
    init?(kind: TrainStep, stepDirectory: String) {
        guard let text = readTextFile(stepDirectory + "/metrics.jsonl"),
              let cfg = try? TrainConfig(TrainStep.withData(kind.config.removing("document_mask"), train: ["-"], eval: [], documentMask: nil, outputDir: "."),
                                         file: "train") else { return nil }
        self.init(metrics: text, totalSteps: cfg.steps, tokensPerStep: cfg.batchSize * cfg.seqLen * cfg.optimizer.gradAccum)
    }

    init?(metrics text: String, totalSteps: Int, tokensPerStep: Int) {
        var last: (Int, Double, Double?)?
        var eval: (step: Int, loss: Double)?
        for line in text.split(separator: "\n") {
            guard let o = try? JSONParser.parse(String(line)), let s = o["step"]?.intValue else { continue }
            if let l = o["loss"]?.doubleValue { last = (s, l, o["tokens_per_s"]?.doubleValue) }
            if let e = o["eval_loss"]?.doubleValue { eval = (s, e) }
        }
        guard let last else { return nil }
        step = last.0; loss = last.1; tokensPerSecond = last.2
        evalLoss = eval
        self.totalSteps = totalSteps
        self.tokensPerStep = tokensPerStep
    }

    /// Seconds left at the last logged speed.
    var secondsLeft: Double? {
        guard let r = tokensPerSecond, r > 0 else { return nil }
        return Double(max(0, totalSteps - step) * tokensPerStep) / r
    }

    /// `step 120/2000 (6.0 %) · loss 5.2314 · eval loss 5.4012 (step 100) · 12345 tok/s · ETA 2h31m`;
    /// the ETA only while the step runs.
    func line(running: Bool) -> String {
        var s = "step \(step)/\(totalSteps) (\(Summary.format1(100 * Double(step) / Double(max(totalSteps, 1)))) %) · loss \(TrainingLoop.fixed(loss, 4))"
        if let e = evalLoss { s += " · eval loss \(TrainingLoop.fixed(e.loss, 4)) (step \(e.step))" }
        if let r = tokensPerSecond { s += " · \(Int(r.rounded())) tok/s" }
        if running, step < totalSteps, let left = secondsLeft { s += " · ETA \(TrainingLoop.duration(left))" }
        return s
    }
}

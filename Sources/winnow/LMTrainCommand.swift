import ArgumentParser
import WinnowCore
import WinnowLM
import WinnowPipeline
#if canImport(Glibc)
import Glibc
#endif

struct LMTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a transformer LM on token shards (see TrainConfig for the YAML keys).",
        discussion: """
        Writes OUTPUT_DIR/metrics.jsonl (one line per logged step and per evaluation) and
        OUTPUT_DIR/checkpoints/step-N/ (model.safetensors, optimizer.safetensors with the data
        position, config.json). --resume continues a run exactly where the checkpoint left it.
        """)

    @Argument(help: "Training config YAML.") var config: String
    @Option(help: "A checkpoint directory to continue from, or 'latest' (the newest under output_dir).") var resume: String?
    @Option(help: "Stop after this many steps in this invocation (for testing resumption).") var maxSteps: Int?

    func run() throws {
        guard let text = readTextFile(config) else { throw ValidationError("cannot read \(config)") }
        let cfg = try TrainConfig(try YAMLConfig.parse(text, file: config), file: config)
        BLASThreads.set(cfg.threads)
        let trainer: Trainer
        if let resume {
            let dir = resume == "latest" ? Trainer.latestCheckpoint(outputDir: cfg.outputDir) : resume
            guard let dir else { throw ValidationError("no checkpoint under \(cfg.outputDir)/checkpoints") }
            trainer = try Trainer(config: cfg, resumeFrom: dir)
            print("resumed from \(dir) at step \(trainer.step)")
        } else {
            trainer = try Trainer(config: cfg)
        }
        try makeDirectoriesForOutput(cfg.outputDir)
        let metrics = fopen(cfg.outputDir + "/metrics.jsonl", "a")
        guard let metrics else { throw ValidationError("cannot open \(cfg.outputDir)/metrics.jsonl") }
        defer { fclose(metrics) }
        func record(_ o: JSONObject) {
            var line = JSONWriter.string(.object(o)) + "\n"
            line.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, metrics) }
            fflush(metrics)
        }
        let params = trainer.model.params.count
        print("\(params) parameters; \(cfg.steps) steps of \(cfg.batchSize * cfg.optimizer.gradAccum) × \(cfg.seqLen) tokens; threads \(cfg.threads)")
        let start = now()
        var tokens = 0, lastLogTime = start, lastLogTokens = 0
        let stopAt = maxSteps.map { min(cfg.steps, trainer.step + max(0, $0)) } ?? cfg.steps
        while trainer.step < stopAt {
            let r = try trainer.runStep()
            tokens += r.tokens
            let s = trainer.step
            if s % cfg.logEvery == 0 || s == stopAt {
                let t = now(), rate = Double(tokens - lastLogTokens) / max(t - lastLogTime, 1e-9)
                let eta = Double(cfg.steps - s) * Double(r.tokens) / max(rate, 1e-9)
                print("step \(s)/\(cfg.steps)  loss \(fmt(r.loss, 4))  lr \(fmtE(r.lr))  |g| \(fmt(r.gradNorm, 3))  \(Int(rate)) tok/s  ETA \(duration(eta))")
                record(JSONObject([("step", .int(s)), ("loss", .double(r.loss)), ("cross_entropy", .double(r.crossEntropy)),
                                   ("lr", .double(r.lr)), ("grad_norm", .double(r.gradNorm)), ("tokens_per_s", .double(rate)),
                                   ("elapsed_s", .double(t - start))]))
                lastLogTime = t; lastLogTokens = tokens
            }
            if cfg.evalEvery > 0, s % cfg.evalEvery == 0 || s == cfg.steps, let e = try trainer.evaluate() {
                print("step \(s)  eval loss \(fmt(e, 4))")
                record(JSONObject([("step", .int(s)), ("eval_loss", .double(e))]))
            }
            if (cfg.checkpointEvery > 0 && s % cfg.checkpointEvery == 0) || s == stopAt {
                print("checkpoint \(try trainer.saveCheckpoint())")
            }
        }
    }
}

private func makeDirectoriesForOutput(_ p: String) throws {
    var cur = p.hasPrefix("/") ? "" : "."
    for part in p.split(separator: "/") {
        cur += "/" + part
        if mkdir(cur, 0o755) != 0 && errno != EEXIST { throw ValidationError("cannot create \(cur)") }
    }
}

private func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

private func fmt(_ x: Double, _ digits: Int) -> String {
    let p = pow(10, Double(digits))
    let v = (x * p).rounded() / p
    var s = String(v)
    if let dot = s.firstIndex(of: ".") {
        let dec = s.distance(from: dot, to: s.endIndex) - 1
        if dec < digits { s += String(repeating: "0", count: digits - dec) }
    }
    return s
}

private func fmtE(_ x: Double) -> String {
    guard x > 0 else { return "0" }
    let e = Int(floor(log10(x)))
    return fmt(x / pow(10, Double(e)), 2) + "e" + String(e)
}

private func duration(_ s: Double) -> String {
    guard s.isFinite else { return "?" }
    let t = Int(s)
    return t >= 3600 ? "\(t / 3600)h\(t % 3600 / 60)m" : t >= 60 ? "\(t / 60)m\(t % 60)s" : "\(t)s"
}

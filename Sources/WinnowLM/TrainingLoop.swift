import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// The training loop shared by `winnow lm train` and the `train` step: steps until `stopAt`,
/// a log line and a metrics row every `log_every` steps, evaluation every `eval_every`, a
/// checkpoint every `checkpoint_every` and at the end. `metrics.jsonl` is rewritten on resume to
/// drop rows past the checkpoint, so a resumed run's file equals an uninterrupted run's rows.
public enum TrainingLoop {
    public struct Summary: Sendable {
        public var steps: Int
        public var tokens: Int
        public var lastLoss: Double?
        public var lastEvalLoss: Double?
    }

    public static func run(_ trainer: Trainer, stopAt: Int, log: (String) -> Void, progress: (Int) throws -> Void = { _ in }) throws -> Summary {
        let cfg = trainer.config
        var prefix = cfg.outputDir.hasPrefix("/") ? "" : "."
        for part in cfg.outputDir.split(separator: "/") { prefix += "/" + part; try makeDirectory(prefix) }
        let path = cfg.outputDir + "/metrics.jsonl"
        try keepMetrics(path, throughStep: trainer.step)
        guard let metrics = fopen(path, "a") else { throw LMError("cannot open \(path)") }
        defer { fclose(metrics) }
        func record(_ o: JSONObject) {
            var line = JSONWriter.string(.object(o)) + "\n"
            line.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, metrics) }
            fflush(metrics)
        }
        log("\(trainer.model.params.count) parameters; \(cfg.steps) steps of \(cfg.batchSize * cfg.optimizer.gradAccum) × \(cfg.seqLen) tokens; threads \(cfg.threads)")
        let start = monotonicSeconds()
        var summary = Summary(steps: 0, tokens: 0)
        var lastLogTime = start, lastLogTokens = 0
        while trainer.step < stopAt {
            let r = try trainer.runStep()
            summary.tokens += r.tokens
            summary.steps += 1
            summary.lastLoss = r.loss
            let s = trainer.step
            if s % cfg.logEvery == 0 || s == stopAt {
                let t = monotonicSeconds(), rate = Double(summary.tokens - lastLogTokens) / max(t - lastLogTime, 1e-9)
                let eta = Double(cfg.steps - s) * Double(r.tokens) / max(rate, 1e-9)
                log("step \(s)/\(cfg.steps)  loss \(fixed(r.loss, 4))  lr \(scientific(r.lr))  |g| \(fixed(r.gradNorm, 3))  \(Int(rate)) tok/s  ETA \(duration(eta))")
                record(JSONObject([("step", .int(s)), ("loss", .double(r.loss)), ("cross_entropy", .double(r.crossEntropy)),
                                   ("lr", .double(r.lr)), ("grad_norm", .double(r.gradNorm)), ("tokens_per_s", .double(rate)),
                                   ("elapsed_s", .double(t - start))]))
                lastLogTime = t; lastLogTokens = summary.tokens
            }
            if cfg.evalEvery > 0, s % cfg.evalEvery == 0 || s == cfg.steps, let e = try trainer.evaluate() {
                log("step \(s)  eval loss \(fixed(e, 4))")
                record(JSONObject([("step", .int(s)), ("eval_loss", .double(e))]))
                summary.lastEvalLoss = e
            }
            if (cfg.checkpointEvery > 0 && s % cfg.checkpointEvery == 0) || s == stopAt {
                log("checkpoint \(try trainer.saveCheckpoint())")
            }
            try progress(s)
        }
        return summary
    }

    /// Drops rows with a step past `step` (written after the checkpoint a run resumes from).
    static func keepMetrics(_ path: String, throughStep step: Int) throws {
        guard let text = readTextFile(path) else { return }
        var kept = ""
        for line in text.split(separator: "\n") {
            if let s = (try? JSONParser.parse(String(line)))?["step"]?.intValue, s > step { continue }
            kept += line + "\n"
        }
        if kept.utf8.count != text.utf8.count { try writeFileAtomically(path, Array(kept.utf8)) }
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    public static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        let p = pow(10, Double(digits))
        var s = String((x * p).rounded() / p)
        if let dot = s.firstIndex(of: ".") {
            let have = s.distance(from: dot, to: s.endIndex) - 1
            if have < digits { s += String(repeating: "0", count: digits - have) }
        }
        return s
    }

    static func scientific(_ x: Double) -> String {
        guard x > 0 else { return "0" }
        let e = Int(floor(log10(x)))
        return fixed(x / pow(10, Double(e)), 2) + "e" + String(e)
    }

    public static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        let t = Int(s)
        return t >= 3600 ? "\(t / 3600)h\(t % 3600 / 60)m" : t >= 60 ? "\(t / 60)m\(t % 60)s" : "\(t)s"
    }
}

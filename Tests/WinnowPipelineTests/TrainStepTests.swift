import XCTest
import WinnowCore
import WinnowTestSupport
@testable import WinnowPipeline

/// tokenize → train → eval as pipeline steps: checkpoints, metrics, bits per byte, and a run
/// killed mid-training that resumes from its checkpoint to the same losses.
final class TrainStepTests: XCTestCase {
    static func pipeline(steps: Int) -> String {
        let tok = TestPaths.repositoryRoot + "/samples/tokenizers/winnow-bpe-8k.json.gz"
        return """
        name: lm
        steps:
          - name: tokens
            input: {paths: [\(TestPaths.repositoryRoot)/samples/text/web-sample.jsonl.gz]}
            tokenize: {tokenizer: \(tok), format: megatron, eos: "<|endoftext|>"}
          - name: heldout
            input: {paths: [\(TestPaths.sharedData)/zh-web/chinesewebtext/quality_clean_10docs.jsonl]}
            tokenize: {tokenizer: \(tok), format: datatrove, eos: "<|endoftext|>"}
          - name: train
            input: {from: tokens}
            train:
              model: {preset: gpt2-tiny, d_model: 32, n_layers: 2, n_heads: 2, n_kv_heads: 2, mlp_hidden: 64, context_length: 32}
              optimizer: {lr: 3e-3, warmup: 4, schedule: cosine}
              batch_size: 4
              steps: \(steps)
              log_every: 1
              eval_every: 10
              eval_from: heldout
              checkpoint_every: 10
              seed: 3
              threads: 1
          - name: eval
            input: {from: train}
            eval: {data: heldout, tokenizer: \(tok), batch_size: 2, max_batches: 3, threads: 1}
        """
    }

    /// The rows of a metrics file without wall-clock fields.
    func losses(_ path: String) -> [String] {
        (readTextFile(path) ?? "").split(separator: "\n").compactMap { line in
            guard case .object(var o)? = try? JSONParser.parse(String(line)) else { return nil }
            o.remove("tokens_per_s"); o.remove("elapsed_s")
            return JSONWriter.string(.object(o))
        }
    }

    func testTrainEvalAndResumeAfterAKill() throws {
        let dir = temporaryDirectory()
        let p = ExecutorTests.writePipeline(Self.pipeline(steps: 40), in: dir)
        // Uninterrupted.
        XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p, "--output-dir", dir + "/a", "--workers", "0", "--progress", "none"],
                                                           log: dir + "/a.log", seconds: 600), .exited(0), readTextFile(dir + "/a.log") ?? "")
        let reference = losses(dir + "/a/steps/train/metrics.jsonl")
        XCTAssertEqual(reference.filter { $0.contains("\"loss\"") }.count, 40)
        XCTAssertEqual(reference.filter { $0.contains("eval_loss") }.count, 4)
        let eval = try XCTUnwrap(try JSONParser.parse(readTextFile(dir + "/a/steps/eval/metrics.jsonl") ?? "").objectValue)
        let bpb = try XCTUnwrap(eval["bits_per_byte"]?.doubleValue)
        XCTAssertTrue(bpb > 0.5 && bpb < 16, "bits/byte \(bpb)")
        XCTAssertEqual(eval["step"]?.intValue, 40)
        let first = try XCTUnwrap(reference.first.flatMap { try? JSONParser.parse($0) }?["loss"]?.doubleValue)
        let last = try XCTUnwrap(reference.last(where: { $0.contains("\"loss\"") }).flatMap { try? JSONParser.parse($0) }?["loss"]?.doubleValue)
        XCTAssertLessThan(last, first, "training lowers the loss")
        let statusA = try RunStatus.render(runDirectory: dir + "/a")
        XCTAssertTrue(statusA.contains("training:\n  train: step 40/40 (100 %) · loss "), statusA)
        XCTAssertTrue(statusA.contains(" tok/s\n") && !statusA.contains("ETA"), statusA)

        // Killed once the first checkpoint exists, then rerun: the same rows, the same model.
        let child = try ChildProcess(executable: ExecutorTests.winnow, arguments: ["run", p, "--output-dir", dir + "/b", "--workers", "0", "--progress", "none"],
                                     logFile: dir + "/b.log")
        let deadline = monotonicNanos() + 300_000_000_000
        while access(dir + "/b/steps/train/checkpoints/step-00000010/config.json", F_OK) != 0, child.poll() == nil, monotonicNanos() < deadline { usleep(5_000) }
        child.signal(SIGKILL)
        _ = child.wait()
        XCTAssertEqual(access(dir + "/b/steps/eval/metrics.jsonl", F_OK), -1, "killed before the end")
        // Killed mid-training: status shows where training got to, and that nothing runs it.
        let statusB = try RunStatus.render(runDirectory: dir + "/b")
        let progress = try XCTUnwrap(statusB.split(separator: "\n").first { $0.hasPrefix("  train: step ") }, statusB)
        let done = Int(progress.dropFirst("  train: step ".count).prefix { $0.isNumber }) ?? -1
        XCTAssertTrue(done >= 10 && done < 40 && progress.contains("/40 (") && progress.hasSuffix(" · not running"), statusB)
        XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p, "--output-dir", dir + "/b", "--workers", "0", "--progress", "none"],
                                                           log: dir + "/b2.log", seconds: 600), .exited(0), readTextFile(dir + "/b2.log") ?? "")
        let log = readTextFile(dir + "/b/logs/train/task-00000.log") ?? ""
        XCTAssertTrue(log.contains("resuming from") && log.contains("at step 10"), log)
        XCTAssertEqual(losses(dir + "/b/steps/train/metrics.jsonl"), reference)
        XCTAssertEqual(readFileBytes(dir + "/b/steps/train/checkpoints/step-00000040/model.safetensors"),
                       readFileBytes(dir + "/a/steps/train/checkpoints/step-00000040/model.safetensors"))
        XCTAssertEqual(readTextFile(dir + "/b/stats.json"), readTextFile(dir + "/a/stats.json"))
    }

    func testConfigMistakesFailAtLoad() {
        func error(_ train: String) -> String {
            let yaml = "steps:\n  - {name: t, input: {paths: [x.jsonl]}, tokenize: {tokenizer: \(TestPaths.repositoryRoot)/samples/tokenizers/winnow-bpe-8k.json.gz}}\n"
                + "  - {name: m, input: {from: t}, train: \(train)}\n"
            do { _ = try PipelineLoader().load(yaml: yaml, file: "p.yaml"); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(error("{model: {preset: nope}}").contains("unknown preset"))
        XCTAssertTrue(error("{model: {preset: gpt2-tiny}, data: {train: [a]}}").contains("comes from the pipeline"))
        XCTAssertTrue(error("{model: {preset: gpt2-tiny}, stepz: 3}").contains("stepz"))
        XCTAssertEqual(error("{model: {preset: gpt2-tiny}, steps: 3}"), "")
    }

    func testTrainingProgressLine() throws {
        let metrics = """
        {"step":10,"loss":6.5,"cross_entropy":6.5,"lr":0.001,"grad_norm":1.0,"tokens_per_s":1000.0,"elapsed_s":1.0}
        {"step":10,"eval_loss":6.75}
        {"step":20,"loss":5.25,"cross_entropy":5.25,"lr":0.001,"grad_norm":1.0,"tokens_per_s":512.0,"elapsed_s":2.0}

        """
        let p = try XCTUnwrap(TrainingProgress(metrics: metrics, totalSteps: 200, tokensPerStep: 256))
        XCTAssertEqual(p.step, 20)
        XCTAssertEqual(p.secondsLeft, 90)
        XCTAssertEqual(p.line(running: true), "step 20/200 (10.0 %) · loss 5.2500 · eval loss 6.7500 (step 10) · 512 tok/s · ETA 1m30s")
        XCTAssertEqual(p.line(running: false), "step 20/200 (10.0 %) · loss 5.2500 · eval loss 6.7500 (step 10) · 512 tok/s")
        XCTAssertNil(TrainingProgress(metrics: "{\"step\":0,\"eval_loss\":7}\n", totalSteps: 10, tokensPerStep: 1))

        // The run's live line carries it while the train step runs, instead of a task-count ETA.
        var st = RunDatabase.StepState(name: "train", deps: [], tasks: 2, units: 2, inputBytes: 0, slurmJobs: [])
        st.counts = [.done: 1, .running: 1]
        var base: (docs: Int, bytes: Int)?
        let plain = ProgressReporter.line([st], elapsed: 60, baseline: &base)
        XCTAssertTrue(plain.contains(" · ETA 1:00"), plain)
        let withTraining = ProgressReporter.line([st], elapsed: 60, baseline: &base, details: ["train: " + p.line(running: true)])
        XCTAssertTrue(withTraining.hasSuffix(" · 1:00 · train: step 20/200 (10.0 %) · loss 5.2500 · eval loss 6.7500 (step 10) · 512 tok/s · ETA 1m30s"), withTraining)
        XCTAssertFalse(withTraining.contains(" · ETA 1:00"), withTraining)
    }
}

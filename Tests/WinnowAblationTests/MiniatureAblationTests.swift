import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowIO
@testable import WinnowPipeline
@testable import WinnowAblation

/// A miniature ablation end to end: 2 variants × 2 seeds, a tiny model trained and evaluated
/// per seed, the held-out shard shared by both variants; killed mid-way by SIGKILL and rerun,
/// it ends with the same results as an uninterrupted run.
final class MiniatureAblationTests: XCTestCase {
    static let tokenizer = TestPaths.repositoryRoot + "/samples/tokenizers/winnow-bpe-8k.json.gz"

    static func yaml(_ out: String) -> String {
        """
        name: mini
        output_dir: \(out)
        steps:
          - name: text
            input: {paths: [\(TestPaths.repositoryRoot)/samples/text/web-sample.jsonl.gz]}
            stages: [text_length_filter: {min: 2000, unit: chars}]
        target: text
        seeds: [1, 2]
        variants:
          - name: strict
          - name: lenient
            set: {text.text_length_filter.min: 100}
        tail:
          - name: tokens
            input: {from: text}
            tokenize: {tokenizer: \(tokenizer), format: megatron, eos: "<|endoftext|>"}
          - name: heldout
            input: {paths: [\(TestPaths.sharedData)/zh-web/chinesewebtext/quality_clean_10docs.jsonl]}
            tokenize: {tokenizer: \(tokenizer), format: megatron, eos: "<|endoftext|>"}
        per_seed:
          - name: train
            input: {from: tokens}
            train:
              model: {preset: mobilellm-tiny, d_model: 32, n_layers: 2, n_heads: 2, n_kv_heads: 1, mlp_hidden: 64, context_length: 32}
              optimizer: {lr: 3e-3, warmup: 3}
              batch_size: 4
              steps: 16
              checkpoint_every: 8
              seed: $seed
              threads: 1
          - name: eval
            input: {from: train}
            eval: {data: heldout, tokenizer: \(tokenizer), batch_size: 2, max_batches: 2, threads: 1}
        metric: {step: eval, key: bits_per_byte, lower_is_better: true}
        """
    }

    func testSharingResultsAndResumeAfterAKill() throws {
        let dir = temporaryDirectory()
        let plan = try AblationPlan(AblationSpec.load(yaml: Self.yaml(dir + "/a"), file: dir + "/a.yaml"))
        let names = try PipelineLoader().load(yaml: plan.pipelineYAML, file: "a.yaml").steps.map(\.name)
        XCTAssertEqual(names.filter { $0 == "heldout" }.count, 1, "the held-out shard is shared: \(names)")
        XCTAssertEqual(names.filter { $0.hasSuffix(".train-s1") || $0.hasSuffix(".train-s2") }.count, 4)
        XCTAssertEqual(names.filter { $0.hasSuffix(".eval-s1") || $0.hasSuffix(".eval-s2") }.count, 4)

        func ablate(_ out: String, log: String) throws -> ChildProcess.Exit {
            let file = dir + "/\(UUID().uuidString).yaml"
            try Self.yaml(out).write(toFile: file, atomically: true, encoding: .utf8)
            return try Self.bounded(["ablate", file, "--workers", "0", "--progress", "none"], log: log)
        }
        XCTAssertEqual(try ablate(dir + "/a", log: dir + "/a.log"), .exited(0), readTextFile(dir + "/a.log") ?? "")
        let a = try XCTUnwrap(readTextFile(dir + "/a/ablation.json"))
        let results = try XCTUnwrap(try JSONParser.parse(a)["variants"]?.arrayValue)
        XCTAssertEqual(results.count, 2)
        for v in results {
            XCTAssertEqual(v["values"]?.objectValue?.count, 2, "a value per seed")
            XCTAssertNotNil(v["std"]?.doubleValue)
            XCTAssertGreaterThan(v["mean"]?.doubleValue ?? 0, 0)
        }
        XCTAssertNotNil(results[1]["significant"]?.boolValue)
        XCTAssertLessThan(results[0]["documents"]?.intValue ?? 0, results[1]["documents"]?.intValue ?? 0)
        XCTAssertTrue((readTextFile(dir + "/a.log") ?? "").contains("beyond 2σ"))

        // The same ablation killed once a model has its first checkpoint, then rerun.
        let file = dir + "/b.yaml"
        try Self.yaml(dir + "/b").write(toFile: file, atomically: true, encoding: .utf8)
        let child = try ChildProcess(executable: Self.winnow, arguments: ["ablate", file, "--workers", "0", "--progress", "none"], logFile: dir + "/b.log")
        let deadline = monotonicNanos() + 300_000_000_000
        while FileGlob.expand(dir + "/b/steps/*.train-s*/checkpoints/step-00000008/config.json").isEmpty, child.poll() == nil, monotonicNanos() < deadline { usleep(5_000) }
        child.signal(SIGKILL)
        _ = child.wait()
        XCTAssertNil(readTextFile(dir + "/b/ablation.json"), "killed before the end")
        XCTAssertEqual(try Self.bounded(["ablate", file, "--workers", "0", "--progress", "none"], log: dir + "/b2.log"), .exited(0),
                       readTextFile(dir + "/b2.log") ?? "")
        let b = try XCTUnwrap(readTextFile(dir + "/b/ablation.json"))
        XCTAssertEqual(try JSONParser.parse(b)["variants"], try JSONParser.parse(a)["variants"])
    }

    static let winnow = TestPaths.winnowExecutable

    static func bounded(_ args: [String], log: String) throws -> ChildProcess.Exit {
        let p = try ChildProcess(executable: winnow, arguments: args, logFile: log)
        let deadline = monotonicNanos() + 600_000_000_000
        while monotonicNanos() < deadline {
            if let e = p.poll() { return e }
            usleep(20_000)
        }
        p.signal(SIGKILL)
        _ = p.wait()
        XCTFail("winnow \(args.joined(separator: " ")) did not end: \(readTextFile(log) ?? "")")
        return .signaled(SIGKILL)
    }
}

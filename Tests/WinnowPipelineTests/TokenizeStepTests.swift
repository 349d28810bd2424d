import XCTest
import WinnowTestSupport
import WinnowSteps
import WinnowCore
import WinnowIO
import WinnowTokenize
@testable import WinnowPipeline

/// The `tokenize` step kind: documents → token shards a trainer reads, with the tokenizer's
/// own ids, the same bytes for any number of tasks and workers.
final class TokenizeStepTests: XCTestCase {
    static let cl100k = PipelineTests.repoRoot + "/samples/tokenizers/cl100k_base.tiktoken"

    static func pipeline(_ files: [String], tasks: Int, format: String) -> String {
        """
        name: tok
        steps:
          - name: tokens
            tasks: \(tasks)
            input: {paths: [\(files.joined(separator: ", "))], format: jsonl}
            stages: [text_length_filter: {min: 300}]
            tokenize: {tokenizer: \(cl100k), format: \(format), eos: "<|endoftext|>"}
        """
    }

    func testShardsHoldTheTokenizersIdsAndDoNotDependOnTasks() throws {
        let dir = temporaryDirectory()
        defer { try? removeTree(dir) }
        let files = try SampleStepTests.inputs(in: dir)
        let tok = try TokenizerLoader.load(path: Self.cl100k)
        let eot = try XCTUnwrap(tok.specialTokenID("<|endoftext|>"))
        for format in [TokenShardFormat.megatron, .datatrove] {
            var first: [String: [UInt8]]?
            for (tasks, workers) in [(1, 1), (3, 2)] {
                let p = ExecutorTests.writePipeline(Self.pipeline(files, tasks: tasks, format: format.rawValue), in: "\(dir)/\(format)-\(tasks)")
                let run = "\(dir)/run-\(format)-\(tasks)"
                XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p, "--output-dir", run, "--workers", "\(workers)", "--progress", "none"],
                                                                   log: "\(run).log"), .exited(0), readTextFile("\(run).log") ?? "")
                let snap = ExecutorTests.snapshot(run)
                if let first { XCTAssertTrue(first == snap, "\(format): tasks \(tasks) changed the output") } else { first = snap }
                guard tasks == 1 else { continue }
                // Every kept document, in input order, is in the shards as the tokenizer encodes it.
                var checked = 0
                for (u, f) in files.enumerated() {
                    let docs = try { () throws -> [Document] in
                        let r = try JSONLReader(path: f); var d: [Document] = []
                        while let x = try r.next() { if x.text.unicodeScalars.count >= 300 { d.append(x) } }
                        return d
                    }()
                    let base = "\(run)/steps/tokens/\(RunPlan.shardName(u))"
                    let shard = try TokenShardReader(format: format, path: format == .datatrove ? base + ".ds" : base)
                    XCTAssertEqual(shard.documentCount, docs.count)
                    for (i, d) in docs.enumerated() { XCTAssertEqual(try shard.document(i), tok.encode(d.text) + [eot]); checked += 1 }
                }
                XCTAssertGreaterThan(checked, 100)
                let stats = readTextFile("\(run)/stats.json") ?? ""
                XCTAssertTrue(stats.contains("\"tokens\""), stats)
            }
        }
    }

    func testBadTokenizerSettingsFailBeforeAnyWork() {
        func load(_ tokenize: String) -> String {
            let y = "name: t\nsteps:\n  - name: s\n    input: {paths: [x.jsonl]}\n    tokenize: \(tokenize)\n"
            do { _ = try PipelineLoader().load(yaml: y, file: "p.yaml"); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(load("{tokenizer: /nonexistent/tok.json}").contains("tokenizer"))
        XCTAssertTrue(load("{tokenizer: \(Self.cl100k), eos: '<|nope|>'}").contains("not a special token"))
        XCTAssertTrue(load("{tokenizer: \(Self.cl100k), format: nanogpt}").contains("uint16"))
        XCTAssertTrue(load("{tokenizer: \(Self.cl100k), format: megatron, loss: true}").contains("datatrove only"))
    }
}

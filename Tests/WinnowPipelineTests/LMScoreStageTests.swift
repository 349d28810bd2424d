import XCTest
import WinnowTestSupport
import WinnowSteps
import WinnowCore
import WinnowIO
import WinnowTokenize
import WinnowLM
@testable import WinnowPipeline

/// `lm_score` in a pipeline (after `langid`): the same output and stats for any tasks and
/// workers, drops counted by reason.
final class LMScoreStageTests: XCTestCase {
    static let tokenizer = TestPaths.repositoryRoot + "/samples/tokenizers/winnow-bpe-8k.json.gz"

    /// An untrained (seeded) tiny model over the 8k BPE's vocabulary, saved as a checkpoint.
    func makeCheckpoint(_ dir: String) throws -> String {
        try writeFileAtomically(dir + "/train.bin", [UInt8](repeating: 1, count: 512))
        let model = ModelConfig(vocabSize: 8192, contextLength: 32, dModel: 16, nLayers: 1, nHeads: 2, nKVHeads: 1, mlpHidden: 32,
                                activation: .swiglu, norm: .rmsnorm, normEps: 1e-5, positions: .rope, ropeTheta: 10_000,
                                tiedEmbeddings: true, bias: false, blockRepeat: 1)
        var c = TrainConfig(model: model, optimizer: OptimizerConfig(), trainPaths: [dir + "/train.bin"])
        c.format = .nanogpt
        c.seqLen = 32; c.seed = 4; c.threads = 1
        c.outputDir = dir + "/lm"
        return try Trainer(config: c).saveCheckpoint()
    }

    /// 3 files of 12 sample documents (cut to 600 characters: scoring stays quick in debug builds).
    func inputs(_ dir: String) throws -> [String] {
        let reader = try JSONLReader(path: RunHardeningTests.sample)
        var docs: [Document] = []
        while let d = try reader.next(), docs.count < 36 { var x = d; x.text = String(d.text.prefix(600)); docs.append(x) }
        var files: [String] = []
        for part in 0..<3 {
            let path = "\(dir)/in/part-\(part).jsonl"
            let w = try JSONLWriter(path: path, compression: Compression.none)
            for d in docs[(part * 12)..<(part * 12 + 12)] { try w.write(d) }
            try w.commit()
            files.append(path)
        }
        return files
    }

    func testSameOutputForAnyTasksAndWorkersWithDropsByReason() throws {
        let dir = temporaryDirectory()
        let ckpt = try makeCheckpoint(dir)
        let files = try inputs(dir)
        // Cutoffs for en and zh: the percentiles of every document's score.
        let scorer = try DocumentScorer(model: try LMCheckpoint.load(ckpt).makeModel(threads: 1), tokenizer: try TokenizerLoader.load(path: Self.tokenizer),
                                        eos: "<|endoftext|>")
        var scores: [Double] = []
        for f in files {
            let r = try JSONLReader(path: f)
            while let d = try r.next() { scores.append(rounded6(try scorer.score(d.text).bitsPerByte!)) }
        }
        let table = LMCutoffTable.compute(scores: ["en": scores, "zh": scores])
        try writeFileAtomically(dir + "/cutoff.csv", Array(table.csv.utf8))
        let maxBPB = LMCutoffTable.percentile(scores.sorted(), 90)

        var snaps: [[String: [UInt8]]] = []
        for (tasks, workers) in [(1, 1), (3, 2)] {
            let yaml = """
            name: scored
            steps:
              - name: scored
                tasks: \(tasks)
                input: {paths: [\(files.joined(separator: ", "))], format: jsonl}
                stages:
                  - langid: {}
                  - lm_score: {model: \(dir)/lm, tokenizer: \(Self.tokenizer), eos: "<|endoftext|>", threads: 1,
                               max_bpb: \(maxBPB), cutoffs: \(dir)/cutoff.csv, keep: [head, middle]}
                output: {compression: none}
            """
            let p = ExecutorTests.writePipeline(yaml, in: "\(dir)/p\(tasks)")
            let run = "\(dir)/run\(tasks)"
            XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p, "--output-dir", run, "--workers", "\(workers)", "--progress", "none"],
                                                               log: "\(run).log", seconds: 300), .exited(0), readTextFile("\(run).log") ?? "")
            snaps.append(ExecutorTests.snapshot(run))
        }
        XCTAssertEqual(snaps[0], snaps[1], "tasks/workers 1/1 and 3/2")

        let stats = try TestFiles.json("\(dir)/run1/steps/scored/step-stats.json")
        let lm = try XCTUnwrap(stats["stages"]?.arrayValue?.first { $0["name"]?.stringValue == "lm_score" }.map(StageStats.init(json:)))
        XCTAssertEqual(lm.docsIn, 36)
        XCTAssertEqual(lm.docsIn - lm.docsOut, lm.drops.values.reduce(0, +))
        XCTAssertEqual(lm.drops["lm_bpb_high"], scores.filter { $0 > maxBPB }.count)
        XCTAssertGreaterThan(lm.drops["lm_tail", default: 0], 0)
        var kept = 0
        for u in 0..<3 {
            let r = try JSONLReader(path: "\(dir)/run1/steps/scored/\(RunPlan.shardName(u)).jsonl")
            while let d = try r.next() {
                kept += 1
                XCTAssertTrue(["head", "middle"].contains(d.metadata["lm_bucket"]?.stringValue ?? ""), "\(d.metadata)")
                XCTAssertLessThanOrEqual(try XCTUnwrap(d.metadata["lm_bpb"]?.doubleValue), maxBPB)
                XCTAssertNotNil(d.metadata["lm_tokens"]?.intValue)
            }
        }
        XCTAssertEqual(kept, lm.docsOut)
        XCTAssertGreaterThan(kept, 0)
    }
}

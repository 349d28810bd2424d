import XCTest
import WinnowCore
import WinnowIO
import WinnowTokenize
@testable import WinnowPipeline

/// The `pack` step kind over a tokenize step's shards: sequences of exactly L tokens that hold
/// every document token once, cut only where the strategy must, the same for any tasks.
final class PackStepTests: XCTestCase {
    static func pipeline(_ files: [String], tasks: Int) -> String {
        """
        name: packed
        steps:
          - name: tokens
            tasks: \(tasks)
            input: {paths: [\(files.joined(separator: ", "))], format: jsonl}
            tokenize: {tokenizer: \(TokenizeStepTests.cl100k), format: datatrove, eos: "<|endoftext|>"}
          - name: bfd
            tasks: \(tasks)
            input: {from: tokens}
            pack: {seq_len: 512, strategy: bfd, window: 7, seed: 3}
          - name: concat
            input: {from: tokens}
            pack: {seq_len: 512, strategy: concat}
        """
    }

    func testSequencesHoldEveryTokenOnceAndDoNotDependOnTasks() throws {
        let dir = ExecutorTests.tempDir()
        defer { try? removeTree(dir) }
        let files = Array(try SampleStepTests.inputs(in: dir).prefix(3))
        var first: [String: [UInt8]]?
        for (tasks, workers) in [(1, 1), (3, 2)] {
            let p = ExecutorTests.writePipeline(Self.pipeline(files, tasks: tasks), in: "\(dir)/p\(tasks)")
            let run = "\(dir)/run\(tasks)"
            XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p, "--output-dir", run, "--workers", "\(workers)", "--progress", "none"],
                                                               log: "\(run).log"), .exited(0), readTextFile("\(run).log") ?? "")
            let snap = ExecutorTests.snapshot(run)
            if let first { XCTAssertTrue(first == snap, "tasks changed the output"); continue }
            first = snap
            for u in 0..<files.count {
                let src = try TokenShardReader(format: .datatrove, path: "\(run)/steps/tokens/\(RunPlan.shardName(u)).ds")
                let packed = try TokenShardReader(format: .megatron, path: "\(run)/steps/bfd/\(RunPlan.shardName(u))")
                let lines = (readTextFile("\(run)/steps/bfd/\(RunPlan.shardName(u)).boundaries.jsonl") ?? "").split(separator: "\n")
                XCTAssertEqual(lines.count, packed.documentCount)
                var seen = [Int: [Int]]()  // document → offsets seen
                var total = 0
                for (i, line) in lines.enumerated() {
                    let seq = try packed.document(i)
                    XCTAssertEqual(seq.count, 512)
                    let pieces = (try JSONParser.parse(String(line)).objectValue?["pieces"]?.arrayValue ?? []).map { $0.arrayValue!.map { $0.intValue! } }
                    var pos = 0
                    for p in pieces {
                        let (doc, off, len) = (p[1], p[2], p[3])
                        let r = try src.documentRange(doc)
                        XCTAssertEqual(Array(seq[pos..<(pos + len)]), try src.tokens((r.lowerBound + off)..<(r.lowerBound + off + len)))
                        seen[doc, default: []].append(off)
                        pos += len
                        total += len
                    }
                }
                XCTAssertEqual(total, src.tokenCount, "every token once")
                for d in 0..<(src.documentCount ?? 0) {
                    let n = try src.documentRange(d).count
                    XCTAssertEqual(seen[d]?.count ?? 0, (n + 511) / 512, "document \(d) (\(n) tokens) cut only if longer than 512")
                }
            }
            let stats = readTextFile("\(run)/stats.json") ?? ""
            XCTAssertTrue(stats.contains("\"documents_cut_needlessly\":0"), stats)
            XCTAssertTrue(stats.contains("\"tokens_dropped\":0"), stats)
        }
    }
}

import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowLM
@testable import WinnowPipeline

/// Training on a real `pack` step's output with `document_mask` (docs/LM.md).
final class PackDocumentMaskTests: XCTestCase {
    /// The pack step's sidecar as `document_mask` segments: in every window of a real `bfd`
    /// pack, a segment is exactly one piece of the sequence's boundaries line (padding one more),
    /// and no target crosses a piece or touches padding.
    func testDocumentMaskSegmentsAreThePackBoundaries() throws {
        let dir = temporaryDirectory()
        let files = Array(try SampleStepTests.inputs(in: dir).prefix(2))
        let L = 256
        let tokenizer = TestPaths.repositoryRoot + "/samples/tokenizers/winnow-bpe-8k.json.gz"
        let yaml = """
        name: packed
        steps:
          - name: tokens
            input: {paths: [\(files.joined(separator: ", "))], format: jsonl}
            tokenize: {tokenizer: \(tokenizer), format: megatron, eos: "<|endoftext|>"}
          - name: packed
            input: {from: tokens}
            pack: {seq_len: \(L), strategy: bfd, window: 16}
        """
        let p = ExecutorTests.writePipeline(yaml, in: dir)
        let run = "\(dir)/run"
        XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p, "--output-dir", run, "--workers", "1", "--progress", "none"],
                                                           log: "\(run).log"), .exited(0), readTextFile("\(run).log") ?? "")
        let shards = try TrainStep.shards(run, "packed")
        XCTAssertEqual(shards.count, 2)
        let stream = try TokenStream(paths: shards, documentMask: true)
        var row = 0, pieces = 0, padded = 0
        for shard in shards {
            let lines = (readTextFile(String(shard.dropLast(4)) + ".boundaries.jsonl") ?? "").split(separator: "\n")
            for line in lines {
                defer { row += 1 }
                guard row < stream.windowCount(seq: L) else { continue }   // the stream's last row has no next token
                let lengths = try XCTUnwrap(try JSONParser.parse(String(line))["pieces"]?.arrayValue).map { $0.arrayValue![3].intValue! }
                var expected: [Int] = []
                for (k, n) in lengths.enumerated() { expected += [Int](repeating: k, count: n) }
                expected += [Int](repeating: -1, count: L - expected.count)
                let b = try stream.batch(window: row, batch: 1, seq: L, vocabSize: 8192)
                let seg = try XCTUnwrap(b.segments)
                for i in 1..<L { XCTAssertEqual(seg[i] == seg[i - 1], expected[i] == expected[i - 1], "row \(row) position \(i)") }
                for i in 0..<(L - 1) where b.targets[i] >= 0 { XCTAssertTrue(expected[i] >= 0 && expected[i] == expected[i + 1], "row \(row) position \(i)") }
                XCTAssertEqual(b.targets.filter { $0 >= 0 }.count, lengths.reduce(0) { $0 + max(0, $1 - 1) }, "row \(row)")
                pieces += lengths.count
                padded += expected.filter { $0 < 0 }.count
            }
        }
        XCTAssertGreaterThan(pieces, row, "several pieces per sequence")
        XCTAssertGreaterThan(padded, 0)
    }
}

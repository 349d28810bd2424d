import XCTest
import WinnowCore
import WinnowIO
import WinnowTokenize
@testable import WinnowPipeline

/// The pack step's `NNNNN.mask` ([N, L] uint8, 1 = document token, 0 = padding) agrees with the
/// boundaries sidecar and with the padding in the `.bin`, for every strategy.
final class PackMaskTests: XCTestCase {
    func testMaskMatchesBoundariesAndPadding() throws {
        let dir = ExecutorTests.tempDir()
        defer { try? removeTree(dir) }
        let files = Array(try SampleStepTests.inputs(in: dir).prefix(2))
        let L = 300, pad = 100_276  // an id no cl100k text produces (<|endofprompt|>)
        let yaml = """
        name: masks
        steps:
          - name: tokens
            input: {paths: [\(files.joined(separator: ", "))], format: jsonl}
            tokenize: {tokenizer: \(TokenizeStepTests.cl100k), format: megatron, eos: "<|endoftext|>"}
        \(["bfd", "pad", "concat"].map { "  - name: \($0)\n    input: {from: tokens}\n    pack: {seq_len: \(L), strategy: \($0), window: 13, pad_id: \(pad)}" }.joined(separator: "\n"))
        """
        let p = ExecutorTests.writePipeline(yaml, in: dir)
        let run = "\(dir)/run"
        XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p, "--output-dir", run, "--workers", "1", "--progress", "none"],
                                                           log: "\(run).log"), .exited(0), readTextFile("\(run).log") ?? "")
        for strategy in ["bfd", "pad", "concat"] {
            var padded = 0
            for u in 0..<files.count {
                let base = "\(run)/steps/\(strategy)/\(RunPlan.shardName(u))"
                let seqs = try TokenShardReader(format: .megatron, path: base)
                let mask = try readBinary(base + ".mask")
                let lines = (readTextFile(base + ".boundaries.jsonl") ?? "").split(separator: "\n")
                let n = try XCTUnwrap(seqs.documentCount)
                XCTAssertEqual(mask.count, n * L, "\(strategy): [N, L] bytes")
                XCTAssertEqual(lines.count, n)
                for i in 0..<n {
                    let pieces = (try JSONParser.parse(String(lines[i])).objectValue?["pieces"]?.arrayValue ?? []).map { $0.arrayValue!.map { $0.intValue! } }
                    let real = pieces.reduce(0) { $0 + $1[3] }
                    let row = Array(mask[(i * L)..<((i + 1) * L)])
                    XCTAssertEqual(row, [UInt8](repeating: 1, count: real) + [UInt8](repeating: 0, count: L - real), "\(strategy) sequence \(i)")
                    let ids = try seqs.document(i)
                    XCTAssertEqual(Array(ids[real...]), [UInt32](repeating: UInt32(pad), count: L - real))
                    XCTAssertFalse(ids[..<real].contains(UInt32(pad)))
                    padded += L - real
                }
            }
            let stats = readTextFile("\(run)/steps/\(strategy)/step-stats.json") ?? ""
            XCTAssertTrue(stats.contains("\"padding_tokens\":\(padded)"), "\(strategy): \(stats)")
            if strategy != "concat" { XCTAssertGreaterThan(padded, 0, strategy) }
        }
    }
}

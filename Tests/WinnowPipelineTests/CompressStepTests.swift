import XCTest
import WinnowTestSupport
import WinnowSteps
import WinnowCore
import WinnowIO
import WinnowTokenize
import WinnowCompress
@testable import WinnowPipeline

/// The `compress` step kind: documents → EqualInfoAC token shards through the tokenize step's
/// shard writer; every document decodes back; the output does not depend on tasks or threads.
final class CompressStepTests: XCTestCase {
    static let m1 = TestPaths.fixtures("WinnowCompressTests") + "/m1-tiny"

    func testShardsDecodeToTheDocumentsWhateverTheTasks() throws {
        let dir = temporaryDirectory()
        // Short real documents, Chinese and English, in two input files.
        let zh = SharedCorpora.chinesePages.prefix(12).map { String($0.prefix(120)) }
        let en = SharedCorpora.jsonlTexts(TestPaths.sharedData + "/en-web/cc_en_head-0174.jsonl.gz").prefix(12).map { String($0.prefix(300)) }
        var files: [String] = []
        for (i, texts) in [Array(zh), Array(en)].enumerated() {
            let path = "\(dir)/in-\(i).jsonl"
            let w = try JSONLWriter(path: path)
            for (j, t) in texts.enumerated() { try w.write(Document(id: "\(i)-\(j)", text: t)) }
            try w.commit()
            files.append(path)
        }
        var first: [String: [UInt8]]?
        for (tasks, threads) in [(1, 1), (2, 2)] {
            let yaml = """
            name: eiw
            steps:
              - name: eiw
                tasks: \(tasks)
                input: {paths: [\(files.joined(separator: ", "))], format: jsonl}
                compress: {model: \(Self.m1), window_bits: 16, vocab: 65536, threads: \(threads), lanes: 3}
            """
            let p = ExecutorTests.writePipeline(yaml, in: "\(dir)/p\(tasks)")
            let run = "\(dir)/run\(tasks)"
            XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p, "--output-dir", run, "--workers", "\(tasks)", "--progress", "none"],
                                                               log: "\(run).log"), .exited(0), readTextFile("\(run).log") ?? "")
            let snap = ExecutorTests.snapshot(run)
            if let first { XCTAssertTrue(first == snap, "tasks \(tasks) changed the output") } else { first = snap }
        }
        let model = try ByteModel.load(checkpoint: Self.m1)
        for (u, texts) in [Array(zh), Array(en)].enumerated() {
            let shard = try TokenShardReader(format: .datatrove, path: "\(dir)/run1/steps/eiw/\(RunPlan.shardName(u)).ds")
            let p = try XCTUnwrap(EqualInfoFormat.parse(tokenizerName: shard.tokenizerName ?? ""))
            XCTAssertTrue(model.identity.hasPrefix(p.model))
            let windows = try (0..<(shard.documentCount ?? 0)).map { try p.format.windows(try shard.document($0)) }
            let back = try EqualInfoAC.decode(windows, model: model, format: p.format, threads: 1)
            XCTAssertEqual(back.map { String(decoding: $0, as: UTF8.self) }, texts)
        }
        let stats = readTextFile("\(dir)/run1/stats.json") ?? ""
        XCTAssertTrue(stats.contains("\"windows\""), stats)
    }

    func testBadModelFailsBeforeAnyWork() {
        let y = "name: t\nsteps:\n  - name: s\n    input: {paths: [x.jsonl]}\n    compress: {model: /nonexistent/m1}\n"
        XCTAssertThrowsError(try PipelineLoader().load(yaml: y, file: "p.yaml")) { XCTAssertTrue("\($0)".contains("model"), "\($0)") }
        let z = "name: t\nsteps:\n  - name: s\n    input: {paths: [x.jsonl]}\n    compress: {model: \(Self.m1), window_bits: 24, vocab: 65536}\n"
        XCTAssertThrowsError(try PipelineLoader().load(yaml: z, file: "p.yaml")) { XCTAssertTrue("\($0)".contains("multiple"), "\($0)") }
    }
}

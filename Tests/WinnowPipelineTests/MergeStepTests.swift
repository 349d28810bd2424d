import XCTest
import WinnowCore
import WinnowIO
import WinnowTokenize
@testable import WinnowPipeline

/// The `merge` step kind: every document of a tokenize step's shards exactly once, in a seeded
/// global order, dealt into N files; the same bytes for any number of tasks and workers.
final class MergeStepTests: XCTestCase {
    static func pipeline(_ files: [String], tasks: Int) -> String {
        """
        name: merged
        steps:
          - name: tokens
            tasks: \(tasks)
            input: {paths: [\(files.joined(separator: ", "))], format: jsonl}
            tokenize: {tokenizer: \(TokenizeStepTests.cl100k), format: datatrove, eos: "<|endoftext|>", loss: true}
          - name: merged
            tasks: \(tasks)
            input: {from: tokens}
            merge: {files: 4, seed: 7, loss: true}
          - name: megatron
            tasks: \(tasks)
            input: {from: tokens}
            merge: {files: 3, seed: 7, format: megatron}
          - name: packed
            tasks: \(tasks)
            input: {from: megatron}
            pack: {seq_len: 256, strategy: bfd}
        """
    }

    /// All documents of all shards of a step, in order.
    static func documents(_ format: TokenShardFormat, _ paths: [String]) throws -> [[UInt32]] {
        var out: [[UInt32]] = []
        for p in paths {
            let r = try TokenShardReader(format: format, path: p)
            for i in 0..<(r.documentCount ?? 0) { out.append(try r.document(i)) }
        }
        return out
    }

    /// Every file of the run's steps and stats.json, byte for byte (token shards are binary).
    static func bytes(_ run: String) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for f in FileGlob.expand([run + "/steps/**", run + "/stats.json"]).files where FileGlob.isFile(f) {
            out[String(f.dropFirst(run.count))] = (try? readBinary(f)) ?? []
        }
        return out
    }

    func testTokenizeAndMergeAreTheSameForAnyTasksAndWorkers() throws {
        let dir = ExecutorTests.tempDir()
        defer { try? removeTree(dir) }
        let files = Array(try SampleStepTests.inputs(in: dir).prefix(4))
        var first: [String: [UInt8]]?
        for (tasks, workers) in [(1, 1), (3, 2), (8, 2)] {
            let p = ExecutorTests.writePipeline(Self.pipeline(files, tasks: tasks), in: "\(dir)/p\(tasks)")
            let run = "\(dir)/run\(tasks)"
            XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p, "--output-dir", run, "--workers", "\(workers)", "--progress", "none"],
                                                               log: "\(run).log"), .exited(0), readTextFile("\(run).log") ?? "")
            let snap = Self.bytes(run)
            XCTAssertEqual(snap.keys.filter { $0.hasPrefix("/steps/merged/") && $0.hasSuffix(".ds") }.count, 4)
            XCTAssertEqual(snap.keys.filter { $0.hasPrefix("/steps/megatron/") && $0.hasSuffix(".idx") }.count, 3)
            if let first {
                XCTAssertEqual(Set(first.keys), Set(snap.keys))
                for (k, v) in first where snap[k] != v { XCTFail("tasks \(tasks), workers \(workers) changed \(k)") }
                continue
            }
            first = snap
            let source = try Self.documents(.datatrove, (0..<files.count).map { "\(run)/steps/tokens/\(RunPlan.shardName($0)).ds" })
            let merged = try Self.documents(.datatrove, (0..<4).map { "\(run)/steps/merged/\(RunPlan.shardName($0)).ds" })
            let megatron = try Self.documents(.megatron, (0..<3).map { "\(run)/steps/megatron/\(RunPlan.shardName($0))" })
            XCTAssertEqual(source.count, 120)
            // Every document once, in another order; the same seed gives the same order whatever the file count.
            XCTAssertEqual(merged.map { $0.map(String.init).joined(separator: " ") }.sorted(),
                           source.map { $0.map(String.init).joined(separator: " ") }.sorted())
            XCTAssertNotEqual(merged, source, "shuffled")
            XCTAssertEqual(megatron, merged, "one global order, cut differently")
            // Token counts per file near T/N: no file more than the longest document away.
            let total = source.reduce(0) { $0 + $1.count }, longest = source.map(\.count).max()!
            for f in 0..<4 {
                let r = try TokenShardReader(format: .datatrove, path: "\(run)/steps/merged/\(RunPlan.shardName(f)).ds")
                XCTAssertLessThanOrEqual(abs(r.tokenCount - total / 4), longest, "file \(f)")
                XCTAssertTrue(r.hasLoss)
                XCTAssertEqual(r.tokenizerName, "cl100k_base.tiktoken")
            }
            let list = (readTextFile("\(run)/steps/merged/files.jsonl") ?? "").split(separator: "\n")
            XCTAssertEqual(list.count, 4)
            var listed = 0
            for (f, line) in list.enumerated() {
                let o = try XCTUnwrap(JSONParser.parse(String(line)).objectValue)
                let r = try TokenShardReader(format: .datatrove, path: "\(run)/steps/merged/\(RunPlan.shardName(f)).ds")
                XCTAssertEqual(o["file"]?.stringValue, "\(RunPlan.shardName(f)).ds")
                XCTAssertEqual(o["tokens"]?.intValue, r.tokenCount)
                XCTAssertEqual(o["documents"]?.intValue, r.documentCount)
                listed += r.documentCount ?? 0
            }
            XCTAssertEqual(listed, 120)
            let stats = readTextFile("\(run)/steps/merged/step-stats.json") ?? ""
            XCTAssertTrue(stats.contains("\"tokens\":\(total)"), stats)
            XCTAssertTrue(stats.contains("\"documents\":120"), stats)
            XCTAssertNotNil(readTextFile("\(run)/steps/packed/00002.boundaries.jsonl"), "pack reads merged shards")
        }
    }

    func testPlanIsAPermutationCutByTokens() throws {
        let dir = ExecutorTests.tempDir()
        defer { try? removeTree(dir) }
        var index = TokenDocumentIndex()
        var all: [[UInt32]] = []
        var rng = SplitMix64(seed: 1)
        for s in 0..<3 {
            let w = try TokenShardWriter(format: s == 1 ? .megatron : .datatrove, path: "\(dir)/s\(s)" + (s == 1 ? "" : ".ds"), vocabularySize: 1000)
            for _ in 0..<(50 + s) {
                let doc = (0..<Int(rng.next() % 40)).map { _ in UInt32(rng.next() % 1000) }
                try w.write(document: doc)
                all.append(doc)
            }
            try w.finish()
            try index.add(format: s == 1 ? .megatron : .datatrove, path: "\(dir)/s\(s)" + (s == 1 ? "" : ".ds"))
        }
        XCTAssertEqual(index.documentCount, all.count)
        let src = TokenDocumentSource(index: index, maxOpen: 1)
        var ids: [UInt32] = []
        for d in 0..<all.count { try src.read(document: d, into: &ids); XCTAssertEqual(ids, all[d], "document \(d)") }
        let a = MergeStep.makePlan(index: index, files: 5, seed: 3), b = MergeStep.makePlan(index: index, files: 5, seed: 4)
        XCTAssertEqual(a.order.map(Int.init).sorted(), Array(0..<all.count))
        XCTAssertNotEqual(a.order, b.order)
        XCTAssertEqual(a.cuts.first, 0)
        XCTAssertEqual(a.cuts.last, all.count)
        XCTAssertEqual(a.cuts, a.cuts.sorted())
        XCTAssertEqual(MergeStep.makePlan(index: index, files: 5, seed: 3).order, a.order, "seeded")
        // More files than documents: every document still placed once.
        let many = MergeStep.makePlan(index: index, files: 1000, seed: 3)
        XCTAssertEqual(many.cuts.count, 1001)
        XCTAssertEqual(many.cuts.last, all.count)
    }

    func testDamagedInputShardsAreNamedErrors() throws {
        let dir = ExecutorTests.tempDir()
        defer { try? removeTree(dir) }
        let w = try TokenShardWriter(format: .megatron, path: "\(dir)/m", vocabularySize: 1000)
        for n in [5, 0, 9] { try w.write(document: [UInt32](repeating: 7, count: n)) }
        try w.finish()
        let w2 = try TokenShardWriter(format: .datatrove, path: "\(dir)/d.ds", vocabularySize: 100_000)
        try w2.write(document: [1, 2, 3])
        try w2.finish()
        var index = TokenDocumentIndex()
        try index.add(format: .megatron, path: "\(dir)/m")
        XCTAssertThrowsError(try index.add(format: .datatrove, path: "\(dir)/d.ds")) { XCTAssertTrue("\($0)".contains("uint32"), "\($0)") }
        XCTAssertThrowsError(try index.add(format: .nanogpt, path: "\(dir)/m.bin")) { XCTAssertTrue("\($0)".contains("document boundaries"), "\($0)") }
        // The shard shrinks after indexing: reading it is an error naming the file, not a crash.
        let bin = try readBinary("\(dir)/m.bin")
        try writeBinary(Array(bin.dropLast(3)), to: "\(dir)/m.bin")
        var ids: [UInt32] = []
        XCTAssertThrowsError(try TokenDocumentSource(index: index).read(document: 2, into: &ids)) { XCTAssertTrue("\($0)".contains("m.bin"), "\($0)") }
        // And indexing it now fails with the reader's located error.
        XCTAssertThrowsError(try TokenDocumentIndex().withAdded(.megatron, "\(dir)/m")) { XCTAssertTrue("\($0)".contains("truncated"), "\($0)") }
    }

    func testBadMergeSettingsFailBeforeAnyWork() {
        func load(_ merge: String, from: String = "t", tokFormat: String = "datatrove") -> String {
            let y = """
            name: m
            steps:
              - name: t
                input: {paths: [\(PipelineTests.repoRoot)/samples/text/web-sample.jsonl.gz]}
                tokenize: {tokenizer: \(TokenizeStepTests.cl100k), format: \(tokFormat)}
              - name: d
                input: {paths: [\(PipelineTests.repoRoot)/samples/text/web-sample.jsonl.gz]}
              - name: m
                input: {from: \(from)}
                merge: \(merge)
            """
            do {
                let spec = try PipelineLoader().load(yaml: y, file: "p.yaml")
                _ = try RunPlan.make(spec: spec, runDirectory: "/tmp/none")
                return ""
            } catch { return "\(error)" }
        }
        XCTAssertEqual(load("{files: 2}"), "")
        XCTAssertTrue(load("{files: 0}").contains("files must be"))
        XCTAssertTrue(load("{files: 2, seed: -1}").contains("seed"))
        XCTAssertTrue(load("{files: 2, format: parquet}").contains("format must be one of"))
        XCTAssertTrue(load("{files: 2, format: megatron, loss: true}").contains("datatrove only"))
        XCTAssertTrue(load("{files: 2, loss: true}", tokFormat: "megatron").contains("datatrove only"))
        XCTAssertTrue(load("{files: 2, format: nanogpt}").contains("uint16"))
        XCTAssertTrue(load("{files: 2}", tokFormat: "llmc").contains("document boundaries"))
        XCTAssertFalse(load("{files: 2}", from: "d").isEmpty)
        XCTAssertTrue(load("{file: 2}").contains("file"))
    }
}

extension TokenDocumentIndex {
    func withAdded(_ f: TokenShardFormat, _ p: String) throws -> TokenDocumentIndex {
        var x = self
        try x.add(format: f, path: p)
        return x
    }
}

import XCTest
import WinnowCore
import WinnowIO
@testable import WinnowPipeline

/// MinHash dedup as four DAG steps run by the executor.
final class MinHashPipelineTests: XCTestCase {
    /// 60 real web documents, each also as an exact copy and as a copy with one line changed
    /// (near-duplicate), shuffled over three input files.
    func makeInput(_ dir: String) throws -> [String] {
        let r = try JSONLReader(path: PipelineTests.repoRoot + "/samples/text/web-sample.jsonl.gz")
        var originals: [Document] = []
        while let d = try r.next(), originals.count < 60 {
            if d.text.utf8.count > 2000 { originals.append(d) }
        }
        XCTAssertEqual(originals.count, 60)
        var all: [Document] = []
        for (i, d) in originals.enumerated() {
            var copy = d
            copy.id = d.id + "#copy"
            var near = d
            near.id = d.id + "#near"
            var lines = d.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[lines.count / 2] = "A line rewritten for copy \(i)."
            near.text = lines.joined(separator: "\n")
            all += [d, copy, near]
        }
        var files: [String] = []
        for f in 0..<3 {
            let path = "\(dir)/in-\(f).jsonl.gz"
            let w = try JSONLWriter(path: path, compression: .gzip)
            for (i, d) in all.enumerated() where (i * 7 + f) % 3 == 0 || (f == 0 && false) { try w.write(d) }
            try w.commit()
            files.append(path)
        }
        return files
    }

    func run(_ files: [String], tasks: Int, out: String) throws -> (LocalExecutor.Outcome, [Document]) {
        var spec = try PipelineLoader().load(yaml: """
            name: mh
            steps:
              - name: dedup
                input: {paths: [\(files.joined(separator: ", "))]}
                tasks: \(tasks)
                minhash: {shingles: cjk, ngrams: 5, bands: 14, rows: 8, bucket_tasks: 3}
                output: {keep_dropped: true}
            """, file: "mh.yaml")
        spec.outputDir = out
        XCTAssertEqual(spec.executionOrder.map(\.name), ["dedup.signatures", "dedup.buckets", "dedup.cluster", "dedup"])
        var o = LocalExecutor.Options()
        o.workers = 0
        let outcome = try LocalExecutor(spec: spec, options: o).run()
        var kept: [Document] = []
        for f in outcome.steps.last!.outputs {
            let r = try JSONLReader(path: out + "/" + f)
            while let d = try r.next() { kept.append(d) }
        }
        return (outcome, kept)
    }

    func testNearDuplicatesCollapseToOneAndOutputIsIndependentOfTasks() throws {
        let dir = ExecutorTests.tempDir()
        let files = try makeInput(dir)
        let (one, kept1) = try run(files, tasks: 1, out: dir + "/t1")
        let (three, kept3) = try run(files, tasks: 3, out: dir + "/t3")
        XCTAssertEqual(one.failures.count, 0)
        // Every group of original / exact copy / near copy leaves exactly one document.
        var groups: [String: Int] = [:]
        for d in kept1 { groups[String(d.id.split(separator: "#").first!), default: 0] += 1 }
        XCTAssertTrue(groups.values.allSatisfy { $0 == 1 }, "no copy survives next to its original: \(groups.filter { $0.value != 1 })")
        // Real pages of one site can be near-duplicates of each other too (one such pair here).
        XCTAssertGreaterThanOrEqual(groups.count, 58)
        let filter = one.steps.last!
        XCTAssertEqual(filter.stages[0].name, "minhash_dedup")
        XCTAssertEqual(filter.stages[0].drops["minhash_duplicate"], 180 - kept1.count)
        // Same documents, same stats, whatever the task count.
        XCTAssertEqual(kept1.map(\.id), kept3.map(\.id))
        XCTAssertEqual(one.steps.map { $0.json(timing: false) }, three.steps.map { $0.json(timing: false) })
        XCTAssertEqual(readTextFile(dir + "/t1/stats.json"), readTextFile(dir + "/t3/stats.json"))
    }

    func testMinHashStepsCannotBeReadAsDocuments() {
        do {
            _ = try PipelineLoader().load(yaml: """
                steps:
                  - {name: d, input: {paths: [x]}, minhash: {}}
                  - {name: e, input: {from: d.signatures}}
                """, file: "p.yaml")
            XCTFail("accepted")
        } catch {
            XCTAssertTrue("\(error)".contains("writes MinHash signatures, not documents"), "\(error)")
        }
    }
}

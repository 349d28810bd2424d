import XCTest
import WinnowTestSupport
import WinnowSteps
import WinnowCore
import WinnowIO
@testable import WinnowPipeline
@testable import WinnowDedup

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

    func run(_ files: [String], tasks: Int, out: String, extra: String = "") throws -> (LocalExecutor.Outcome, [Document]) {
        var spec = try PipelineLoader().load(yaml: """
            name: mh
            steps:
              - name: dedup
                input: {paths: [\(files.joined(separator: ", "))]}
                tasks: \(tasks)
                minhash: {shingles: cjk, ngrams: 5, bands: 14, rows: 8, bucket_tasks: 3\(extra)}
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
        let dir = temporaryDirectory()
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

    /// datatrove's cluster metadata: every kept document of a group of three has cluster size 3
    /// and an id shared by no other group; a document without duplicates gets −1 and 1.
    func testClusterIDsAndSizes() throws {
        let dir = temporaryDirectory()
        let files = try makeInput(dir)
        let (outcome, kept) = try run(files, tasks: 2, out: dir + "/c", extra: ", cluster_ids: true, cluster_sizes: true")
        XCTAssertEqual(outcome.failures.count, 0)
        var idsSeen = Set<Int>()
        var inClusters = 0
        for d in kept {
            guard let id = d.metadata["minhash_cluster_id"]?.intValue, let size = d.metadata["minhash_cluster_size"]?.intValue else {
                return XCTFail("no cluster metadata on \(d.id)")
            }
            if id >= 0 {
                XCTAssertGreaterThanOrEqual(size, 3, d.id)
                XCTAssertTrue(idsSeen.insert(id).inserted, "one kept document per cluster")
                inClusters += 1
            } else {
                XCTAssertEqual(size, 1)
            }
        }
        XCTAssertGreaterThanOrEqual(inClusters, 58)
        // The removed copies carry their cluster's id too (in the dropped output).
        var droppedWithID = 0
        for f in FileGlob.expand(dir + "/c/steps/dedup/dropped/*.jsonl*") {
            let dropped = try JSONLReader(path: f)
            while let d = try dropped.next() { if let id = d.metadata["minhash_cluster_id"]?.intValue, idsSeen.contains(id) { droppedWithID += 1 } }
        }
        XCTAssertGreaterThan(droppedWithID, 0)
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

/// CCNet line dedup, exact dedup and URL dedup through the executor.
final class LineAndExactDedupTests: XCTestCase {
    func run(_ yaml: String, out: String) throws -> LocalExecutor.Outcome {
        var spec = try PipelineLoader().load(yaml: yaml, file: "d.yaml")
        spec.outputDir = out
        var o = LocalExecutor.Options()
        o.workers = 0
        return try LocalExecutor(spec: spec, options: o).run()
    }

    /// Reference numbers from cc_net 1.0.0's own `normalize_for_dedup` with sha1 line hashes
    /// over the same documents: 163 of 180 documents keep a line, 9,985 lines removed. A second
    /// copy of the file in the same group loses every line; in its own group it is untouched.
    func testLineDedupMatchesCCNet() throws {
        let dir = temporaryDirectory()
        let sample = PipelineTests.repoRoot + "/samples/text/web-sample.jsonl.gz"
        let copy = dir + "/copy.jsonl.gz"
        let data = try readBinary(sample)
        try writeBinary(data, to: copy)
        let together = try run("""
            steps:
              - {name: lines, input: {paths: [\(sample), \(copy)]}, line_dedup: {group_shards: 2}}
            """, out: dir + "/g2")
        let s = together.steps[0]
        XCTAssertEqual(s.stages[0].name, "line_dedup")
        XCTAssertEqual(s.written, 163)
        XCTAssertEqual(s.stages[0].drops["line_dedup_empty"], 17 + 180)
        XCTAssertEqual(s.stages[0].drops["lines_removed"], 9985 + 20813 + 9985)
        let apart = try run("""
            steps:
              - {name: lines, input: {paths: [\(sample), \(copy)]}, line_dedup: {group_shards: 1}}
            """, out: dir + "/g1")
        XCTAssertEqual(apart.steps[0].written, 163 * 2, "groups of one shard do not see each other's lines")
    }

    func testExactAndURLDedupKeepFirstOccurrences() throws {
        let dir = temporaryDirectory()
        let sample = PipelineTests.repoRoot + "/samples/text/web-sample.jsonl.gz"
        let copy = dir + "/copy.jsonl.gz"
        try writeBinary(try readBinary(sample), to: copy)
        let r = try run("""
            steps:
              - {name: exact, input: {paths: [\(sample), \(copy)]}, tasks: 2, exact_dedup: {}}
              - {name: urls, input: {paths: [\(PipelineTests.repoRoot)/samples/warc/*.warc.gz], record_types: [response, request]}, url_dedup: {}}
            """, out: dir + "/o")
        let exact = r.steps.first { $0.step == "exact" }!
        // 163 distinct texts (whitespace-normalised) among the sample's 180 (Python: len(set(" ".join(t.split())))).
        XCTAssertEqual(exact.written, 163)
        XCTAssertEqual(exact.stages[0].drops["exact_duplicate"], 17 + 180)
        let firstShard = try JSONLReader(path: dir + "/o/steps/exact/00000.jsonl.zst")
        var n = 0
        while try firstShard.next() != nil { n += 1 }
        XCTAssertEqual(n, 163, "the first file's documents are the ones kept")
        let urls = r.steps.first { $0.step == "urls" }!
        XCTAssertEqual(urls.read.docsOut, 33)
        XCTAssertEqual(urls.stages[0].drops["url_duplicate"], 16, "each request shares its response's URL")
    }
}

/// Which document of a cluster survives under each rule, on pairs where they disagree.
final class MinHashSurvivorTests: XCTestCase {
    func removed(_ survivor: String, _ pairs: [(UInt32, UInt32, UInt32, UInt32)]) throws -> [UInt32] {
        let dir = temporaryDirectory()
        var bytes: [UInt8] = []
        for (a, b, c, d) in pairs { for v in [a, b, c, d] { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } } }
        try writeBinary(bytes, to: dir + "/00000.dups")
        var stats = FileStats(input: "t", stageNames: [])
        try MinHashSteps.cluster(dupsFiles: [dir + "/00000.dups"], signatureUnits: 1, outDir: dir, survivor: survivor, stats: &stats)
        return try MinHashSteps.removalList(dir + "/00000.remove")
    }

    func testSurvivorRules() throws {
        // Pairs come as datatrove writes them: (earlier, later) in each band's merge order.
        let pairs: [(UInt32, UInt32, UInt32, UInt32)] = [(0, 1, 0, 6), (0, 4, 0, 6), (0, 2, 0, 3), (0, 3, 0, 4)]
        // first: document 1 keeps its cluster {1, 2, 3, 4, 6}
        XCTAssertEqual(try removed("first", pairs), [2, 3, 4, 6])
        // datatrove 0.2.0: parent[root(6)=1] = 4, then 2 ← 3, then parent[root(4)=4] = root(3)=2
        XCTAssertEqual(try removed("fineweb-2024", pairs), [1, 3, 4, 6])
        // union by size: {1,6} absorbs 4, {2,3} joins the bigger {1,4,6}
        XCTAssertEqual(try removed("datatrove-current", pairs), [2, 3, 4, 6])
    }
}

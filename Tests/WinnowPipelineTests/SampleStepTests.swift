import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowIO
@testable import WinnowPipeline

/// The `sample` step kind: a seeded sample by fraction or exact count, identical for any
/// number of tasks and workers.
final class SampleStepTests: XCTestCase {
    /// Writes the bundled sample's 180 documents as 6 JSONL files (6 units).
    static func inputs(in dir: String) throws -> [String] {
        let reader = try JSONLReader(path: RunHardeningTests.sample)
        var docs: [Document] = []
        while let d = try reader.next() { docs.append(d) }
        XCTAssertEqual(docs.count, 180)
        var files: [String] = []
        for part in 0..<6 {
            let path = "\(dir)/in/part-\(part).jsonl"
            let w = try JSONLWriter(path: path, compression: Compression.none)
            for d in docs[(part * 30)..<(part * 30 + 30)] { try w.write(d) }
            try w.commit()
            files.append(path)
        }
        return files
    }

    static func pipeline(_ files: [String], tasks: Int, sample: String) -> String {
        """
        name: sampled
        steps:
          - name: s
            tasks: \(tasks)
            input: {paths: [\(files.joined(separator: ", "))], format: jsonl}
            sample: \(sample)
          - name: after
            input: {from: s}
            stages: [text_length_filter: {min: 1}]
        """
    }

    func ids(_ run: String, step: String) throws -> [String] {
        var out: [String] = []
        for f in FileGlob.expand(["\(run)/steps/\(step)/*.jsonl.zst"]).files.sorted() {
            let r = try JSONLReader(path: f)
            while let d = try r.next() { out.append(d.id) }
        }
        return out
    }

    func testCountIsExactAndIndependentOfTasksAndWorkers() throws {
        let dir = temporaryDirectory()
        defer { try? removeTree(dir) }
        let files = try Self.inputs(in: dir)
        var first: [String: [UInt8]]?
        var firstIDs: [String] = []
        for (tasks, workers) in [(1, 1), (3, 2), (8, 2)] {
            let p = ExecutorTests.writePipeline(Self.pipeline(files, tasks: tasks, sample: "{count: 50, seed: 7}"), in: "\(dir)/p\(tasks)")
            let run = "\(dir)/run-\(tasks)-\(workers)"
            XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p, "--output-dir", run, "--workers", "\(workers)", "--progress", "none"],
                                                               log: "\(dir)/log-\(tasks)"), .exited(0), readTextFile("\(dir)/log-\(tasks)") ?? "")
            let ids = try self.ids(run, step: "s")
            XCTAssertEqual(ids.count, 50)
            XCTAssertEqual(Set(ids).count, 50)
            let snap = ExecutorTests.snapshot(run)
            if let first { XCTAssertTrue(first == snap, "tasks \(tasks), workers \(workers): output differs"); XCTAssertEqual(ids, firstIDs) }
            else { first = snap; firstIDs = ids }
        }
        // Another seed picks other documents; a count beyond the total keeps all of them.
        let p2 = ExecutorTests.writePipeline(Self.pipeline(files, tasks: 2, sample: "{count: 50, seed: 8}"), in: "\(dir)/q")
        XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p2, "--output-dir", "\(dir)/seed8", "--workers", "0", "--progress", "none"], log: "\(dir)/q.log"), .exited(0))
        XCTAssertNotEqual(Set(try ids("\(dir)/seed8", step: "s")), Set(firstIDs))
        let p3 = ExecutorTests.writePipeline(Self.pipeline(files, tasks: 2, sample: "{count: 1000}"), in: "\(dir)/r")
        XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p3, "--output-dir", "\(dir)/all", "--workers", "0", "--progress", "none"], log: "\(dir)/r.log"), .exited(0))
        XCTAssertEqual(try ids("\(dir)/all", step: "s").count, 180)
        let stats = readTextFile("\(dir)/run-1-1/stats.json") ?? ""
        XCTAssertTrue(stats.contains("not_sampled"), stats)
    }

    func testFractionIsSeededAndIndependentOfTasks() throws {
        let dir = temporaryDirectory()
        defer { try? removeTree(dir) }
        let files = try Self.inputs(in: dir)
        var seen: [String]?
        for tasks in [1, 4] {
            let p = ExecutorTests.writePipeline(Self.pipeline(files, tasks: tasks, sample: "{fraction: 0.25, seed: 3}"), in: "\(dir)/p\(tasks)")
            XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p, "--output-dir", "\(dir)/run\(tasks)", "--workers", "2", "--progress", "none"], log: "\(dir)/l\(tasks)"), .exited(0))
            let ids = try self.ids("\(dir)/run\(tasks)", step: "s")
            XCTAssertGreaterThan(ids.count, 25)
            XCTAssertLessThan(ids.count, 70)
            if let seen { XCTAssertEqual(ids, seen) } else { seen = ids }
        }
    }

    func testComplementKeepsExactlyTheOtherDocuments() throws {
        let dir = temporaryDirectory()
        let files = try Self.inputs(in: dir)
        var parts: [[String]] = []
        for (i, sample) in ["{fraction: 0.2, seed: 5}", "{fraction: 0.2, seed: 5, complement: true}",
                            "{count: 40, seed: 5}", "{count: 40, seed: 5, complement: true}"].enumerated() {
            let p = ExecutorTests.writePipeline(Self.pipeline(files, tasks: 3, sample: sample), in: "\(dir)/p\(i)")
            XCTAssertEqual(try RunHardeningTests.winnowBounded(["run", p, "--output-dir", "\(dir)/run\(i)", "--workers", "0", "--progress", "none"],
                                                               log: "\(dir)/l\(i)"), .exited(0), readTextFile("\(dir)/l\(i)") ?? "")
            parts.append(try ids("\(dir)/run\(i)", step: "s"))
        }
        XCTAssertTrue(Set(parts[0]).isDisjoint(with: parts[1]))
        XCTAssertEqual(parts[0].count + parts[1].count, 180)
        XCTAssertEqual(parts[2].count, 40)
        XCTAssertEqual(parts[3].count, 140)
        XCTAssertTrue(Set(parts[2]).isDisjoint(with: parts[3]))
    }

    func testKeysAreDistinctAndConfigErrorsAreClear() throws {
        var keys = Set<UInt64>()
        for u in 0..<20 { for p in 0..<500 { keys.insert(SampleStep.key(seed: 1, unit: u, position: p)) } }
        XCTAssertEqual(keys.count, 10_000)
        let bad = Self.pipeline(["x.jsonl"], tasks: 1, sample: "{fraction: 0.5, count: 3}")
        XCTAssertThrowsError(try PipelineLoader().load(yaml: bad, file: "p.yaml")) { XCTAssertTrue("\($0)".contains("one of 'fraction' or 'count'"), "\($0)") }
        let bad2 = Self.pipeline(["x.jsonl"], tasks: 1, sample: "{fraction: 1.5}")
        XCTAssertThrowsError(try PipelineLoader().load(yaml: bad2, file: "p.yaml")) { XCTAssertTrue("\($0)".contains("between 0 and 1"), "\($0)") }
    }
}

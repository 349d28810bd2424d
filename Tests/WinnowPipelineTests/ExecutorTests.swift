import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowIO
@testable import WinnowPipeline

/// The DAG runner with real worker processes of the built `winnow` binary: determinism across
/// task and worker counts, crash safety under SIGKILL, and DAG validation.
final class ExecutorTests: XCTestCase {
    static let root = PipelineTests.repoRoot
    static let shared = root + "/../shared/data/warc"

    /// The `winnow` executable built next to this test bundle.
    static let winnow: String = {
        var dir = currentExecutable()
        while let slash = dir.lastIndex(of: "/") {
            dir = String(dir[..<slash])
            if FileGlob.isFile(dir + "/winnow") { return dir + "/winnow" }
            if dir.isEmpty { break }
        }
        return root + "/.build/debug/winnow"
    }()


    /// Two steps: WARCs (one split into byte ranges, two damaged) → filter; then a step over
    /// the first's output.
    static func pipeline(tasks: Int, secondTasks: Int = 2) -> String {
        let files = ["\(Self.root)/samples/warc/CC-MAIN-2020-34_excerpt_resiliparse-warcfile.warc.gz",
                     "\(Self.shared)/edge-cases/resiliparse_clipped_truncated.warc.gz",
                     "\(Self.shared)/edge-cases/warcio_example-trunc.warc",
                     "\(Self.shared)/other-crawlers/wget_en_sample-0000.warc.gz",
                     "\(Self.shared)/bench/bench-60mb.warc.gz"]
        return """
        name: det
        steps:
          - name: read
            tasks: \(tasks)
            input: {paths: [\(files.joined(separator: ", "))], format: warc, split: 3MB}
            stages:
              - http_status_filter: {allow: [200]}
              - content_type_filter
            output: {keep_dropped: true}
          - name: long
            tasks: \(secondTasks)
            input: {from: read}
            stages: [text_length_filter: {min: 3000, unit: bytes}]
        """
    }

    /// The pipeline reads two damaged WARCs: a run that finishes says so with exit status 3.
    static let finishedWithDamage: Int32 = 3

    @discardableResult
    static func winnow(_ args: [String], env: [String: String] = [:], log: String, expect: Int32? = finishedWithDamage) throws -> ChildProcess.Exit {
        let p = try ChildProcess(executable: Self.winnow, arguments: args, environment: env, logFile: log)
        let exit = p.wait()
        if let expect { XCTAssertEqual(exit, .exited(expect), "winnow \(args.joined(separator: " ")): \(readTextFile(log) ?? "")") }
        return exit
    }

    /// `--dry-run` prints the plan — each step with its units and tasks, the WARC split into byte
    /// ranges — and creates no run directory.
    func testDryRunPrintsThePlanAndRunsNothing() throws {
        let dir = temporaryDirectory()
        let p = Self.writePipeline(Self.pipeline(tasks: 3), in: dir)
        let log = dir + "/dry.log"
        try Self.winnow(["run", p, "--output-dir", dir + "/run", "--dry-run"], log: log, expect: 0)
        let out = readTextFile(log) ?? ""
        XCTAssertTrue(out.contains("read "), out)
        XCTAssertTrue(out.contains("3    tasks"), out)
        XCTAssertTrue(out.contains("after read"), out)
        XCTAssertFalse(FileGlob.isFile(dir + "/run/run.sqlite"), "nothing ran")
    }

    /// Every file under steps/ (name → bytes) plus stats.json: what must not depend on how the run went.
    static func snapshot(_ runDir: String) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for f in FileGlob.expand([runDir + "/steps/**", runDir + "/stats.json"]).files where FileGlob.isFile(f) {
            out[String(f.dropFirst(runDir.count))] = Array((readTextFile(f) ?? "").utf8)
        }
        return out
    }

    static func writePipeline(_ yaml: String, in dir: String) -> String {
        let path = dir + "/p.yaml"
        try! writeText(yaml, to: path)
        return path
    }

    func testSameOutputAndStatsForAnyTasksAndWorkers() throws {
        XCTAssertTrue(FileGlob.isFile(Self.winnow), "build the winnow executable first: \(Self.winnow)")
        let dir = temporaryDirectory()
        var snaps: [[String: [UInt8]]] = []
        for (tasks, workers) in [(1, 1), (3, 2), (8, 2)] {
            let p = Self.writePipeline(Self.pipeline(tasks: tasks, secondTasks: tasks), in: dir + "/p\(tasks)")
            let run = dir + "/run-\(tasks)-\(workers)"
            try Self.winnow(["run", p, "--output-dir", run, "--workers", "\(workers)", "--progress", "none"], log: dir + "/log-\(tasks)")
            snaps.append(Self.snapshot(run))
        }
        XCTAssertGreaterThan(snaps[0].count, 10)
        XCTAssertNotNil(snaps[0]["/stats.json"])
        XCTAssertTrue(snaps[0].keys.contains("/steps/read/dropped/00000.jsonl.zst"))
        for s in snaps.dropFirst() {
            XCTAssertEqual(s.keys.sorted(), snaps[0].keys.sorted())
            for (k, v) in snaps[0] { XCTAssertTrue(s[k] == v, "\(k) differs") }
        }
        // The bench WARC was split, every record is read once, and damage is reported.
        let stats = try JSONParser.parse(String(decoding: snaps[0]["/stats.json"]!, as: UTF8.self))
        let steps = stats["steps"]?.arrayValue ?? []
        XCTAssertEqual(steps.count, 2)
        let read = steps[0]
        XCTAssertGreaterThan(read["files"]?.intValue ?? 0, 8)
        XCTAssertNotNil(read["damage"]?["counts"]?["gzip_truncated_member"])
        XCTAssertEqual(steps[1]["read"]?["docs_out"]?.intValue, read["written"]?.intValue)
    }

    /// Waits until the run database shows `ref` running; returns the worker's pid.
    static func waitUntilRunning(_ runDir: String, _ ref: RunDatabase.TaskRef) throws -> Int32 {
        for _ in 0..<600 {
            if RunDatabase.exists(runDirectory: runDir), let db = try? RunDatabase(runDirectory: runDir),
               let r = try? db.runningTasks().first(where: { $0.ref == ref }) {
                return Int32(r.pid)
            }
            usleep(50_000)
        }
        XCTFail("task \(ref) never started")
        return -1
    }

    func reference(_ dir: String) throws -> [String: [UInt8]] {
        let p = Self.writePipeline(Self.pipeline(tasks: 4), in: dir + "/ref")
        try Self.winnow(["run", p, "--output-dir", dir + "/ref-run", "--workers", "2", "--progress", "none"], log: dir + "/ref.log")
        return Self.snapshot(dir + "/ref-run")
    }

    func testWorkerKilledMidTaskIsRetried() throws {
        let dir = temporaryDirectory()
        let expected = try reference(dir)
        let p = Self.writePipeline(Self.pipeline(tasks: 4), in: dir + "/k")
        let run = dir + "/run"
        let orchestrator = try ChildProcess(executable: Self.winnow, arguments: ["run", p, "--output-dir", run, "--workers", "2", "--progress", "none"],
                                            environment: ["WINNOW_FAULT": "hang:read:1"], logFile: dir + "/run.log")
        let pid = try Self.waitUntilRunning(run, .init(step: "read", task: 1))
        usleep(200_000)  // the worker is now parked inside the task with a temporary output open
        kill(pid, SIGKILL)
        XCTAssertEqual(orchestrator.wait(), .exited(Self.finishedWithDamage), readTextFile(dir + "/run.log") ?? "")
        XCTAssertTrue(readTextFile(dir + "/run.log")!.contains("killed by signal 9"))
        let got = Self.snapshot(run)
        XCTAssertEqual(got.keys.sorted(), expected.keys.sorted())
        for (k, v) in expected { XCTAssertTrue(got[k] == v, "\(k) differs") }
        let db = try RunDatabase(runDirectory: run)
        XCTAssertEqual(try db.tasks(step: "read").first { $0.ref.task == 1 }?.attempts, 2)
        // Rerunning changes nothing.
        try Self.winnow(["run", p, "--output-dir", run, "--progress", "none"], log: dir + "/rerun.log")
        XCTAssertTrue(readTextFile(dir + "/rerun.log")!.contains("resumed: 6 task(s) were already done"), readTextFile(dir + "/rerun.log")!)
        XCTAssertTrue(Self.snapshot(run) == got, "a rerun of a finished run changed its output")
    }

    func testOrchestratorKilledThenRerunFinishesIdentically() throws {
        let dir = temporaryDirectory()
        let expected = try reference(dir)
        let p = Self.writePipeline(Self.pipeline(tasks: 4), in: dir + "/k")
        let run = dir + "/run"
        let orchestrator = try ChildProcess(executable: Self.winnow, arguments: ["run", p, "--output-dir", run, "--workers", "2", "--progress", "none"],
                                            environment: ["WINNOW_FAULT": "hang:read:2"], logFile: dir + "/run.log")
        let worker = try Self.waitUntilRunning(run, .init(step: "read", task: 2))
        usleep(200_000)
        orchestrator.signal(SIGKILL)
        XCTAssertEqual(orchestrator.wait(), .signaled(SIGKILL))
        // Its workers die with it (no one keeps writing into the run).
        var gone = false
        for _ in 0..<100 where !gone { gone = kill(worker, 0) != 0; if !gone { usleep(50_000) } }
        XCTAssertTrue(gone, "worker \(worker) outlived its orchestrator")
        XCTAssertFalse(Self.snapshot(run) == expected, "the run was killed before it finished")
        try Self.winnow(["run", p, "--output-dir", run, "--workers", "2", "--progress", "none"],
                   env: ["WINNOW_FAULT": "hang:read:2"], log: dir + "/rerun.log")
        XCTAssertTrue(readTextFile(dir + "/rerun.log")!.contains("interrupted or failed task(s) rerun"), readTextFile(dir + "/rerun.log")!)
        let got = Self.snapshot(run)
        XCTAssertEqual(got.keys.sorted(), expected.keys.sorted(), "leftover temporaries or missing shards")
        for (k, v) in expected { XCTAssertTrue(got[k] == v, "\(k) differs") }
    }

    func testFailedTaskFailsTheRunWithItsLogAndRerunResumes() throws {
        let dir = temporaryDirectory()
        let p = Self.writePipeline(Self.pipeline(tasks: 3), in: dir)
        let run = dir + "/run"
        try Self.winnow(["run", p, "--output-dir", run, "--workers", "2", "--progress", "none"],
                   env: ["WINNOW_FAULT": "fail:read:0"], log: dir + "/run.log", expect: 1)
        let log = readTextFile(dir + "/run.log")!
        XCTAssertTrue(log.contains("injected failure of task read/0"), log)
        XCTAssertTrue(log.contains("\(run)/logs/read/task-00000.log"), log)
        XCTAssertTrue(log.contains("long/0: not run"), log)
        let status = try RunStatus.render(runDirectory: run)
        XCTAssertTrue(status.contains("FAILED"), status)
        try Self.winnow(["run", p, "--output-dir", run, "--workers", "2", "--progress", "none"], log: dir + "/rerun.log")
        XCTAssertTrue(readTextFile(dir + "/rerun.log")!.contains("resumed: 2 task(s) were already done"), readTextFile(dir + "/rerun.log")!)
        XCTAssertTrue(try RunStatus.render(runDirectory: run).contains("complete"))
    }

    func testChangedConfigIsRefusedUnlessForced() throws {
        let dir = temporaryDirectory()
        let p = Self.writePipeline(Self.pipeline(tasks: 2), in: dir)
        try Self.winnow(["run", p, "--output-dir", dir + "/run", "--workers", "0", "--progress", "none"], log: dir + "/a.log")
        _ = Self.writePipeline(Self.pipeline(tasks: 2).replacingOccurrences(of: "min: 3000", with: "min: 3001"), in: dir)
        try Self.winnow(["run", p, "--output-dir", dir + "/run", "--workers", "0"], log: dir + "/b.log", expect: 1)
        XCTAssertTrue(readTextFile(dir + "/b.log")!.contains("--force deletes that run, including its"), readTextFile(dir + "/b.log")!)
        try Self.winnow(["run", p, "--output-dir", dir + "/run", "--workers", "0", "--force", "--progress", "none"], log: dir + "/c.log")
    }

    func testDAGValidation() {
        func error(_ yaml: String) -> String {
            do { _ = try PipelineLoader().load(yaml: yaml, file: "p.yaml"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(error("""
        steps:
          - name: a
            input: {paths: [x]}
            after: [c]
          - name: b
            input: {from: a}
          - name: c
            input: {from: [b]}
        """), "p.yaml:2:5: steps[0]: steps form a cycle: a → c → b → a")
        XCTAssertEqual(error("""
        steps:
          - name: sigs
            input: {paths: [x]}
          - name: dedup
            input: {from: sig}
        """), "p.yaml:4:5: steps[1].input.from: unknown step 'sig' (did you mean 'sigs'?)")
        XCTAssertEqual(error("steps:\n  - name: a\n    input: {paths: [x], from: b}\n"),
                       "p.yaml:3:31: steps[0].input.from: give either 'paths' or 'from', not both")
        XCTAssertEqual(error("steps:\n  - name: a\n    input: {paths: [x], split: 3 parsecs}\n"),
                       "p.yaml:3:32: steps[0].input.split: expected a size such as 4096, 64MB or 1GiB, found '3 parsecs'")
    }

    func testExecutionOrderFollowsDependencies() throws {
        let spec = try PipelineLoader().load(yaml: """
        steps:
          - {name: c, input: {from: [a, b]}}
          - {name: a, input: {paths: [x]}}
          - {name: b, input: {paths: [y]}, after: [a]}
        """, file: "p.yaml")
        XCTAssertEqual(spec.executionOrder.map(\.name), ["a", "b", "c"])
    }
}

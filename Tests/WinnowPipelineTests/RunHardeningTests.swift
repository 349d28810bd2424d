import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowIO
@testable import WinnowPipeline

/// Issue 15's run-level findings: a failure deep in a DAG ends the run, missing or damaged
/// output is never taken as done, the run directory may be named relative or absolute, and
/// absurd task counts do not flood the disk.
final class RunHardeningTests: XCTestCase {
    static let sample = PipelineTests.repoRoot + "/samples/text/web-sample.jsonl.gz"

    /// a → b → c → d over the bundled JSONL sample.
    static func chain(tasks: Int = 2) -> String {
        """
        name: chain
        steps:
          - name: a
            tasks: \(tasks)
            input: {paths: [\(sample)], format: jsonl}
            stages: [text_length_filter: {min: 10}]
          - name: b
            input: {from: a}
            stages: [text_length_filter: {min: 20}]
          - name: c
            input: {from: b}
            stages: [text_length_filter: {min: 30}]
          - name: d
            after: [c]
            input: {from: a}
            stages: [text_length_filter: {min: 40}]
        """
    }

    /// Runs `winnow` and kills it if it has not ended within `seconds` (a hang fails the test
    /// instead of blocking the suite).
    @discardableResult
    static func winnowBounded(_ args: [String], env: [String: String] = [:], log: String, seconds: Double = 120) throws -> ChildProcess.Exit {
        let p = try ChildProcess(executable: ExecutorTests.winnow, arguments: args, environment: env, logFile: log)
        let deadline = monotonicNanos() + UInt64(seconds * 1e9)
        while monotonicNanos() < deadline {
            if let e = p.poll() { return e }
            usleep(20_000)
        }
        p.signal(SIGKILL)
        _ = p.wait()
        XCTFail("winnow \(args.joined(separator: " ")) did not end within \(seconds) s: \(readTextFile(log) ?? "")")
        return .signaled(SIGKILL)
    }

    func testFailureThreeLevelsUpEndsTheRun() throws {
        for workers in ["0", "1", "2"] {
            let dir = temporaryDirectory()
            defer { try? removeTree(dir) }
            let p = ExecutorTests.writePipeline(Self.chain(), in: dir)
            let exit = try Self.winnowBounded(["run", p, "--output-dir", dir + "/run", "--workers", workers, "--progress", "none"],
                                              env: ["WINNOW_FAULT": "fail:a:0"], log: dir + "/run.log")
            XCTAssertEqual(exit, .exited(1), "workers \(workers): \(readTextFile(dir + "/run.log") ?? "")")
            let log = readTextFile(dir + "/run.log") ?? ""
            XCTAssertTrue(log.contains("c/0: not run"), log)
            XCTAssertTrue(log.contains("d/0: not run"), log)
            let status = try RunStatus.render(runDirectory: dir + "/run")
            XCTAssertTrue(status.contains("blocked by b"), status)
        }
    }

    func testDoomedStepsAreTransitive() {
        func st(_ n: String, _ deps: [String], failed: Bool = false) -> RunDatabase.StepState {
            var s = RunDatabase.StepState(name: n, deps: deps, tasks: 1, units: 1, inputBytes: 0, slurmJobs: [])
            if failed { s.counts[.failed] = 1 }
            return s
        }
        let steps = [st("a", [], failed: true), st("b", ["a"]), st("c", ["b"]), st("d", ["c", "x"]), st("x", [])]
        let doomed = RunDatabase.doomedSteps(Dictionary(uniqueKeysWithValues: steps.map { ($0.name, $0) }))
        XCTAssertEqual(doomed, ["b", "c", "d"])
    }

    func testDeletedOrTruncatedShardIsRebuiltNotTakenAsDone() throws {
        let dir = temporaryDirectory()
        defer { try? removeTree(dir) }
        let p = ExecutorTests.writePipeline(Self.chain(tasks: 3), in: dir)
        let run = dir + "/run"
        XCTAssertEqual(try Self.winnowBounded(["run", p, "--output-dir", run, "--workers", "0", "--progress", "none"], log: dir + "/1.log"), .exited(0))
        let before = ExecutorTests.snapshot(run)
        let shard = run + "/steps/b/00000.jsonl.zst"
        XCTAssertTrue(FileGlob.isFile(shard))
        unlink(shard)
        let status = try RunStatus.render(runDirectory: run)
        XCTAssertTrue(status.contains("steps/b/00000.jsonl.zst is missing"), status)
        XCTAssertTrue(status.contains("INCOMPLETE: 1 output(s) missing"), status)
        // A 0-byte stand-in for an upstream shard is damage, not an empty shard.
        try writeText("", to: run + "/steps/a/00000.jsonl.zst")
        XCTAssertEqual(try Self.winnowBounded(["run", p, "--output-dir", run, "--workers", "0", "--progress", "none"], log: dir + "/2.log"), .exited(0))
        let log = readTextFile(dir + "/2.log") ?? ""
        XCTAssertTrue(log.contains("steps/b/00000.jsonl.zst") && log.contains("missing"), log)
        XCTAssertTrue(log.contains("steps/a/00000.jsonl.zst") && log.contains("0 bytes"), log)
        XCTAssertEqual(ExecutorTests.snapshot(run), before, "rebuilt output is identical")
    }

    func testRunDirectoryNamedRelativeThenAbsoluteResumes() throws {
        let dir = temporaryDirectory()
        defer { try? removeTree(dir) }
        let p = ExecutorTests.writePipeline(Self.chain(), in: dir)
        let cwd = currentDirectory()
        XCTAssertEqual(chdir(dir), 0)
        defer { _ = chdir(cwd) }
        XCTAssertEqual(try Self.winnowBounded(["run", p, "--output-dir", "run", "--workers", "0", "--progress", "none"], log: dir + "/1.log"), .exited(0))
        XCTAssertEqual(try Self.winnowBounded(["run", p, "--output-dir", dir + "/run", "--workers", "0", "--progress", "none"], log: dir + "/2.log"), .exited(0))
        XCTAssertTrue((readTextFile(dir + "/2.log") ?? "").contains("already done"), readTextFile(dir + "/2.log") ?? "")
    }

    func testTasksBeyondUnitsAreCappedAndHugeCountsRefused() throws {
        let dir = temporaryDirectory()
        defer { try? removeTree(dir) }
        let p = ExecutorTests.writePipeline(Self.chain(tasks: 10000), in: dir)
        XCTAssertEqual(try Self.winnowBounded(["run", p, "--output-dir", dir + "/run", "--workers", "0", "--progress", "none"], log: dir + "/1.log"), .exited(0))
        let logs = FileGlob.expand([dir + "/run/logs/a/*.log"]).files
        XCTAssertEqual(logs.count, 1, "one unit, one task, one log")
        let huge = ExecutorTests.writePipeline(Self.chain(tasks: 100_000_000), in: dir)
        let exit = try Self.winnowBounded(["run", huge, "--output-dir", dir + "/run2", "--dry-run"], log: dir + "/2.log", seconds: 30)
        XCTAssertEqual(exit, .exited(2), "a configuration error")
        XCTAssertTrue((readTextFile(dir + "/2.log") ?? "").contains("tasks must be at most"), readTextFile(dir + "/2.log") ?? "")
    }

    /// SIGTERM/SIGINT to the orchestrator: workers stopped, their tasks back in the queue (not
    /// "running"), no temporaries left, exit 128 + signal, and the rerun finishes identically.
    func testSignalledOrchestratorStopsCleanlyAndResumes() throws {
        for sig in [SIGTERM, SIGINT] {
            let dir = temporaryDirectory()
            defer { try? removeTree(dir) }
            let p = ExecutorTests.writePipeline(Self.chain(tasks: 1), in: dir)
            let run = dir + "/run"
            XCTAssertEqual(try Self.winnowBounded(["run", p, "--output-dir", dir + "/ref", "--workers", "0", "--progress", "none"], log: dir + "/ref.log"), .exited(0))
            let orchestrator = try ChildProcess(executable: ExecutorTests.winnow, arguments: ["run", p, "--output-dir", run, "--workers", "2", "--progress", "none"],
                                                environment: ["WINNOW_FAULT": "hang:a:0"], logFile: dir + "/run.log")
            _ = try ExecutorTests.waitUntilRunning(run, .init(step: "a", task: 0))
            usleep(300_000)  // the worker holds a temporary output now
            XCTAssertFalse(FileGlob.expand([run + "/steps/a/*.tmp-*"]).files.isEmpty, "the hung task has its temporary open")
            orchestrator.signal(sig)
            XCTAssertEqual(orchestrator.wait(), .exited(128 + sig), readTextFile(dir + "/run.log") ?? "")
            let log = readTextFile(dir + "/run.log") ?? ""
            XCTAssertTrue(log.contains("interrupted by \(sig == SIGINT ? "SIGINT" : "SIGTERM")") && log.contains("rerun the same command"), log)
            XCTAssertTrue(FileGlob.expand([run + "/steps/**/*.tmp-*"]).files.isEmpty, "temporaries removed")
            let db = try RunDatabase(runDirectory: run)
            XCTAssertTrue(try db.runningTasks().isEmpty)
            XCTAssertEqual(try db.tasks(step: "a").first?.status, .pending)
            XCTAssertEqual(try Self.winnowBounded(["run", p, "--output-dir", run, "--workers", "2", "--progress", "none"], log: dir + "/rerun.log"), .exited(0))
            XCTAssertEqual(ExecutorTests.snapshot(run), ExecutorTests.snapshot(dir + "/ref"))
        }
    }

    /// A run killed outright (no chance to clean up) shows its task as interrupted in status,
    /// and the next run removes the temporary it left.
    func testKilledInlineRunShowsInterruptedAndRerunRemovesTemporaries() throws {
        let dir = temporaryDirectory()
        defer { try? removeTree(dir) }
        let p = ExecutorTests.writePipeline(Self.chain(tasks: 1), in: dir)
        let run = dir + "/run"
        let orchestrator = try ChildProcess(executable: ExecutorTests.winnow, arguments: ["run", p, "--output-dir", run, "--workers", "0", "--progress", "none"],
                                            environment: ["WINNOW_FAULT": "hang:a:0"], logFile: dir + "/run.log")
        _ = try ExecutorTests.waitUntilRunning(run, .init(step: "a", task: 0))
        usleep(300_000)
        orchestrator.signal(SIGKILL)
        _ = orchestrator.wait()
        XCTAssertFalse(FileGlob.expand([run + "/steps/a/*.tmp-*"]).files.isEmpty)
        let status = try RunStatus.render(runDirectory: run)
        XCTAssertTrue(status.contains("INTERRUPTED: process"), status)
        XCTAssertEqual(try Self.winnowBounded(["run", p, "--output-dir", run, "--workers", "0", "--progress", "none"], log: dir + "/rerun.log"), .exited(0))
        XCTAssertTrue((readTextFile(dir + "/rerun.log") ?? "").contains("removed 1 temporary file(s)"), readTextFile(dir + "/rerun.log") ?? "")
        XCTAssertTrue(FileGlob.expand([run + "/steps/**/*.tmp-*"]).files.isEmpty)
    }

    /// `winnow read` and `winnow apply` say so in their exit status when they skipped damage.
    func testReadAndApplyExitThreeOnDamage() throws {
        let dir = temporaryDirectory()
        defer { try? removeTree(dir) }
        let trunc = ExecutorTests.shared + "/edge-cases/warcio_example-trunc.warc"
        XCTAssertEqual(try Self.winnowBounded(["read", "--count", trunc], log: dir + "/read.log"), .exited(3), readTextFile(dir + "/read.log") ?? "")
        XCTAssertTrue((readTextFile(dir + "/read.log") ?? "").contains("damage"), readTextFile(dir + "/read.log") ?? "")
        try writeText("{\"id\": \"1\", \"text\": \"hello world\"}\n{not json\n{\"id\": \"2\", \"text\": \"more words\"}\n", to: dir + "/bad.jsonl")
        XCTAssertEqual(try Self.winnowBounded(["apply", "--stages", "[text_length_filter: {min: 1}]", dir + "/bad.jsonl"], log: dir + "/apply.log"), .exited(3),
                       readTextFile(dir + "/apply.log") ?? "")
        try writeText("{\"id\": \"1\", \"text\": \"hello world\"}\n", to: dir + "/good.jsonl")
        XCTAssertEqual(try Self.winnowBounded(["apply", "--stages", "[text_length_filter: {min: 1}]", dir + "/good.jsonl"], log: dir + "/good.log"), .exited(0))
    }

    /// A few lines of YAML aliases that would expand to billions of nodes are refused at once.
    func testYAMLAliasBombIsRefused() throws {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<10 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml += "name: bomb\nsteps: *a9\n"
        XCTAssertThrowsError(try PipelineLoader().load(yaml: yaml, file: "bomb.yaml")) { e in
            XCTAssertTrue("\(e)".contains("alias"), "\(e)")
        }
    }
}

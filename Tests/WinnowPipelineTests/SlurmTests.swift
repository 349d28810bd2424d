import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowIO
@testable import WinnowPipeline

/// The Slurm executor against a real cluster (`scripts/slurm-up.sh`; `.ci/run` starts one and
/// sets WINNOW_REQUIRE_SLURM=1 so that a missing cluster fails instead of skipping).
final class SlurmTests: XCTestCase {
    override func setUpWithError() throws {
        let required = getenv("WINNOW_REQUIRE_SLURM").map { String(cString: $0) } == "1"
        let up = (try? runCommand("sinfo", ["-h", "-o", "%t"]))?.exit.succeeded == true
        if !up {
            if required { XCTFail("WINNOW_REQUIRE_SLURM=1 but no Slurm cluster answers (sinfo failed)") }
            throw XCTSkip("no Slurm cluster here: start one with scripts/slurm-up.sh")
        }
    }

    func testTwoStepPipelineMatchesLocalAndFailedTaskResumes() throws {
        typealias t = ExecutorTests
        let dir = temporaryDirectory()
        let p = t.writePipeline(t.pipeline(tasks: 3), in: dir)
        try t.winnow(["run", p, "--output-dir", dir + "/local", "--workers", "2", "--progress", "none"], log: dir + "/local.log")
        let expected = t.snapshot(dir + "/local")

        // Through sbatch arrays (packing two tasks per array index, at most two at a time).
        let run = dir + "/slurm"
        let slurmArgs = ["run", p, "--output-dir", run, "--executor", "slurm", "--wait", "--progress", "none",
                         "--tasks-per-job", "2", "--max-parallel", "2"]
        try t.winnow(slurmArgs, log: dir + "/slurm.log")
        let log = readTextFile(dir + "/slurm.log")!
        XCTAssertTrue(log.contains("step read: job "), log)
        XCTAssertTrue(log.contains("array 0-1 (3 task(s))"), log)
        XCTAssertTrue(log.contains("step long: job ") && log.contains(" after job "), log)
        XCTAssertFalse(FileGlob.expand(run + "/logs/read/slurm-*_*.out").isEmpty)
        let got = t.snapshot(run)
        XCTAssertEqual(got.keys.sorted(), expected.keys.sorted())
        for (k, v) in expected { XCTAssertTrue(got[k] == v, "\(k) differs between local and Slurm") }

        // A failing task fails its step, names its logs, and keeps the dependent step from running.
        let failing = dir + "/failing"
        try t.winnow(["run", p, "--output-dir", failing, "--executor", "slurm", "--wait", "--progress", "none"],
                     env: ["WINNOW_FAULT": "fail:read:1"], log: dir + "/fail.log", expect: 1)
        let flog = readTextFile(dir + "/fail.log")!
        XCTAssertTrue(flog.contains("read/1: WINNOW_FAULT: injected failure"), flog)
        XCTAssertTrue(flog.contains("\(failing)/logs/read/task-00001.log"), flog)
        XCTAssertTrue(flog.contains("\(failing)/logs/read/slurm-"), flog)
        let status = try RunStatus.render(runDirectory: failing)
        XCTAssertTrue(status.contains("FAILED") && status.contains("blocked by read"), status)

        // The rerun submits only the unfinished tasks and ends where a clean run ends.
        try t.winnow(["run", p, "--output-dir", failing, "--executor", "slurm", "--wait", "--progress", "none"], log: dir + "/rerun.log")
        let rlog = readTextFile(dir + "/rerun.log")!
        XCTAssertTrue(rlog.contains("array 0-0 (1 task(s))"), rlog)
        XCTAssertTrue(rlog.contains("resumed: 2 task(s) were already done"), rlog)
        let resumed = t.snapshot(failing)
        XCTAssertEqual(resumed.keys.sorted(), expected.keys.sorted())
        for (k, v) in expected { XCTAssertTrue(resumed[k] == v, "\(k) differs after the resumed Slurm run") }
    }

    func testJobKilledBySlurmIsRecordedAndRerun() throws {
        typealias t = ExecutorTests
        let dir = temporaryDirectory()
        let p = t.writePipeline(t.pipeline(tasks: 2), in: dir)
        let run = dir + "/run"
        try t.winnow(["run", p, "--output-dir", run, "--executor", "slurm", "--progress", "none"],
                     env: ["WINNOW_FAULT": "hang:read:0"], log: dir + "/submit.log", expect: 0)
        XCTAssertTrue(readTextFile(dir + "/submit.log")!.contains("follow with: winnow status"))
        _ = try t.waitUntilRunning(run, .init(step: "read", task: 0))
        let db = try RunDatabase(runDirectory: run)
        let job = try db.runningTasks().first!.slurmJob!
        XCTAssertTrue(try RunStatus.render(runDirectory: run).contains("running:"))
        // A second submission while jobs are active is refused.
        try t.winnow(["run", p, "--output-dir", run, "--executor", "slurm"], log: dir + "/again.log", expect: 1)
        XCTAssertTrue(readTextFile(dir + "/again.log")!.contains("still queued or running"))
        XCTAssertTrue(try runCommand("scancel", [job]).exit.succeeded)
        var status = ""
        for _ in 0..<300 {
            status = try RunStatus.render(runDirectory: run)
            if status.contains("ended without finishing") { break }
            usleep(100_000)
        }
        XCTAssertTrue(status.contains("Slurm job \(job) ended without finishing the task: State=CANCELLED"), status)
        // Wait for the dependent array to be cancelled too, then resume.
        for _ in 0..<300 where !(try SlurmJobs.active(db)).isEmpty { usleep(100_000) }
        try t.winnow(["run", p, "--output-dir", run, "--executor", "slurm", "--wait", "--progress", "none"], log: dir + "/rerun.log")
        XCTAssertTrue(try RunStatus.render(runDirectory: run).contains("complete"))
    }
}

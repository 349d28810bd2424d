import CProcessShim
import WinnowSteps
import WinnowCore
import WinnowIO
#if canImport(Glibc)
import Glibc
#endif

/// Runs a pipeline on this machine: plans it, records it in `run.sqlite`, and starts
/// `workers` processes of the winnow binary (`winnow worker RUN_DIR`) that take tasks from
/// the database until none are left. A worker that dies (a crash, SIGKILL, out of memory)
/// has its task put back in the queue, up to `maxAttempts`, and is replaced. Rerunning the
/// same command resumes: finished tasks are kept, the others rerun from scratch.
public final class LocalExecutor {
    public struct Options: Sendable {
        /// Worker processes; 0 runs the tasks in this process (tests, debugging).
        public var workers = 1
        public var force = false
        public var maxAttempts = 3
        /// The binary to start as `EXE worker …` (default: this one).
        public var workerExecutable: String?
        public var progress: ProgressReporter.Style = .none
        public var progressInterval = 30.0
        public init() {}
    }

    public let spec: PipelineSpec
    public let options: Options
    public let registry: StageRegistry
    /// Lines for the user (resume notes, worker deaths, progress).
    public var log: (String) -> Void = { _ in }

    public init(spec: PipelineSpec, options: Options = Options(), registry: StageRegistry = Stages.registry) {
        self.spec = spec
        self.options = options
        self.registry = registry
    }

    /// What a run did (`RunOutcome`; the Slurm executor returns the same).
    public typealias Outcome = RunOutcome

    public func run() throws -> Outcome {
        let t0 = monotonicNanos()
        let runDir = spec.outputDir
        let lockFD = try RunSetup.lock(runDirectory: runDir)
        defer { close(lockFD) }
        let plan = try RunPlan.make(spec: spec, runDirectory: runDir)
        if let st = try? RunDatabase(runDirectory: runDir), let jobs = try? SlurmJobs.active(st), !jobs.isEmpty {
            throw RunError("Slurm jobs \(jobs.joined(separator: ",")) of this run are still queued or running; wait for them (winnow status \(runDir)) or scancel them")
        }
        // No worker of this run is alive (we hold the lock, no Slurm job is active): any
        // temporary left under steps/ belongs to a killed attempt.
        let stale = removeStaleTemporaries(under: "\(runDir)/steps")
        if stale > 0 { log("removed \(stale) temporary file(s) left by an interrupted run") }
        let opened = try RunSetup.open(plan: plan, force: options.force)
        let db = opened.db
        try db.useJournal(forLocalRun: true)
        try db.setValue("executor", "local")
        for line in opened.repaired { log(line) }
        if opened.resumed {
            log("resuming \(runDir): \(opened.tasksAlreadyDone) task(s) already done\(opened.tasksReset > 0 ? ", \(opened.tasksReset) interrupted or failed task(s) rerun" : "")")
        }
        let progress = RunExecution.progressOnStandardError(style: options.progress, interval: options.progressInterval, spec: spec, runDirectory: runDir)
        progress.begin(db)
        if options.workers == 0 {
            let w = try Worker(runDirectory: runDir, id: "inline", registry: registry)
            _ = try w.runQueue()
        } else {
            try superviseWorkers(db: db, runDirectory: runDir, progress: progress)
        }
        let merged = try RunExecution.finishReports(db: db, spec: spec, runDirectory: runDir, progress: progress)
        return try RunOutcome.collect(db: db, spec: spec, runDirectory: runDir, seconds: Double(monotonicNanos() - t0) / 1e9,
                                      resumed: opened.tasksAlreadyDone, merged: merged)
    }

    private func superviseWorkers(db: RunDatabase, runDirectory: String, progress: ProgressReporter) throws {
        let exe = options.workerExecutable ?? currentExecutable()
        var live: [String: ChildProcess] = [:]
        var serial = 0
        func spawn() throws {
            serial += 1
            let id = "w\(serial)"
            live[id] = try ChildProcess(
                executable: exe, arguments: ["worker", runDirectory, "--worker-id", id, "--die-with-parent"],
                environment: ["SWIFT_BACKTRACE": "enable=no"],
                logFile: "\(runDirectory)/logs/workers/\(id).log")
        }
        let pendingCount = { try db.tasks().filter { $0.status == .pending }.count }
        for _ in 0..<min(options.workers, max(1, try pendingCount())) { try spawn() }
        Interruption.catchSignals()
        defer { Interruption.restoreDefaults() }
        while !live.isEmpty {
            if Interruption.signal != 0 {
                try stopWorkers(live, db: db, runDirectory: runDirectory, signal: Interruption.signal, progress: progress)
            }
            for (id, child) in live {
                guard let exit = child.poll() else { continue }
                live[id] = nil
                if exit.succeeded { continue }
                // A task the dead worker held goes back to the queue (or fails for good).
                for r in try db.runningTasks() where r.worker == id {
                    let retry = r.attempt < options.maxAttempts
                    let msg = "worker \(id) (pid \(child.pid)) \(exit) during attempt \(r.attempt) (log: \(TaskRunner.logPath(runDirectory: runDirectory, r.ref)))"
                    try db.fail(r.ref, attempt: r.attempt, error: msg, retry: retry)
                    try? TaskLog(path: TaskRunner.logPath(runDirectory: runDirectory, r.ref)).line(msg + (retry ? "; retrying" : "; giving up"))
                    progress.finish()
                    log(msg + (retry ? "; task \(r.ref) goes back to the queue" : "; task \(r.ref) failed after \(r.attempt) attempts"))
                }
                if case .exited(let code) = exit, code != 0, code != 1 {
                    log("worker \(id) ended with \(exit); see \(runDirectory)/logs/workers/\(id).log")
                }
                if try pendingCount() > 0 && live.count < options.workers { try spawn() }
            }
            progress.tick(db)
            if !live.isEmpty { usleep(10_000) }
        }
    }
}

extension LocalExecutor {
    /// SIGINT/SIGTERM: stop the workers, put their tasks back in the queue, remove their
    /// temporaries, and end with `RunInterrupted` (exit status 128 + signal).
    fileprivate func stopWorkers(_ live: [String: ChildProcess], db: RunDatabase, runDirectory: String,
                                 signal: Int32, progress: ProgressReporter) throws -> Never {
        progress.finish()
        for (_, c) in live { c.signal(SIGTERM) }
        let deadline = monotonicNanos() + 3_000_000_000
        var pending = live
        while !pending.isEmpty && monotonicNanos() < deadline {
            for (id, c) in pending where c.poll() != nil { pending[id] = nil }
            usleep(10_000)
        }
        for (_, c) in pending { c.signal(SIGKILL); _ = c.wait() }
        var stopped = 0
        for r in try db.runningTasks() where live[r.worker] != nil {
            try db.fail(r.ref, attempt: r.attempt, error: "interrupted by \(Interruption.name(signal))", retry: true)
            stopped += 1
        }
        let removed = removeStaleTemporaries(under: "\(runDirectory)/steps", pids: Set(live.values.map(\.pid)))
        throw RunInterrupted(signal: signal, message: """
            interrupted by \(Interruption.name(signal)): \(live.count) worker(s) stopped, \(stopped) task(s) put back in the queue\
            \(removed > 0 ? ", \(removed) temporary file(s) removed" : ""); rerun the same command to resume
            """)
    }
}

/// Worker-side setup for a process started by the local executor: die with the orchestrator,
/// so killing it never leaves workers writing into the run.
public func dieWithParent() {
    let parent = getppid()
    _ = winnow_set_parent_death_signal(SIGKILL)
    if getppid() != parent || parent == 1 { exit(3) }
}

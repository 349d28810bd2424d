import WinnowCore
import WinnowSteps
import WinnowIO
#if canImport(Glibc)
import Glibc
#endif

/// Runs a pipeline on a Slurm cluster: one `sbatch --array` per step with unfinished tasks,
/// `--dependency=afterok` on the arrays of the steps it depends on, and the same worker
/// command for every array index (`winnow worker RUN_DIR --tasks-file F`, where line i of F
/// names the tasks of index i). Workers record attempts and completion in `run.sqlite`, so
/// `winnow status` works while jobs run and a rerun resubmits only unfinished tasks.
/// The run directory must be on a file system all nodes share.
public final class SlurmExecutor {
    public struct Options: Sendable {
        public var partition: String?
        public var time: String?
        public var cpusPerTask = 1
        public var memory: String?
        /// `%max`: at most this many array tasks of a step run at once.
        public var maxParallel: Int?
        /// Tasks run one after another by each array index (packing small tasks).
        public var tasksPerJob = 1
        public var extraArguments: [String] = []
        public var force = false
        /// Stay until the jobs end, showing progress, then print the summary.
        public var wait = false
        public var workerExecutable: String?
        public var progress: ProgressReporter.Style = .none
        public var progressInterval = 30.0
        public init() {}
    }

    public struct SubmittedStep: Sendable {
        public var step: String
        public var job: String
        public var arraySize: Int
        public var tasks: Int
        public var logs: String
    }

    public let spec: PipelineSpec
    public let options: Options
    public var log: (String) -> Void = { _ in }

    public init(spec: PipelineSpec, options: Options) {
        self.spec = spec
        self.options = options
    }

    public func submit() throws -> (submitted: [SubmittedStep], outcome: RunOutcome?) {
        let t0 = monotonicNanos()
        let runDir = spec.outputDir
        let lockFD = try RunSetup.lock(runDirectory: runDir)
        let plan = try RunPlan.make(spec: spec, runDirectory: runDir)
        if RunDatabase.exists(runDirectory: runDir) {
            let existing = try RunDatabase(runDirectory: runDir)
            let active = try SlurmJobs.active(existing)
            if !active.isEmpty {
                close(lockFD)
                throw RunError("jobs \(active.joined(separator: ",")) of this run are still queued or running; see `winnow status \(runDir)`")
            }
            try SlurmJobs.reconcile(existing, runDirectory: runDir)
        }
        let opened = try RunSetup.open(plan: plan, force: options.force)
        let db = opened.db
        try db.useJournal(forLocalRun: false)
        try db.setValue("executor", "slurm")
        for line in opened.repaired { log(line) }
        if opened.resumed { log("resuming \(runDir): \(opened.tasksAlreadyDone) task(s) already done") }
        let exe = options.workerExecutable ?? currentExecutable()
        let cwd = currentDirectory()
        let absRun = runDir.hasPrefix("/") ? runDir : "\(cwd)/\(runDir)"
        var jobOf: [String: String] = [:]
        var submitted: [SubmittedStep] = []
        for sp in plan.steps {
            let pending = try db.tasks(step: sp.step.name).filter { $0.status != .done }.map(\.ref)
            if pending.isEmpty { continue }
            let per = max(1, options.tasksPerJob)
            let groups = stride(from: 0, to: pending.count, by: per).map { Array(pending[$0..<min(pending.count, $0 + per)]) }
            let serial = try db.orderedSteps().first { $0.name == sp.step.name }!.slurmJobs.count
            let base = "\(absRun)/slurm/\(sp.step.name).\(serial)"
            try writeText(groups.map { $0.map { "\($0.step):\($0.task)" }.joined(separator: " ") }.joined(separator: "\n") + "\n", to: base + ".tasks")
            try writeText("""
                #!/bin/bash
                # winnow \(spec.name), step \(sp.step.name): array index i runs the tasks on line i+1 of \(base).tasks
                export SWIFT_BACKTRACE=enable=no
                exec \(shellQuote(exe)) worker \(shellQuote(absRun)) --tasks-file \(shellQuote(base + ".tasks"))

                """, to: base + ".sh")
            chmod(base + ".sh", 0o755)
            let logs = "\(absRun)/logs/\(sp.step.name)"
            try makeDirectories(logs)
            var args = ["--parsable", "--job-name=winnow-\(spec.name)-\(sp.step.name)",
                        "--array=0-\(groups.count - 1)\(options.maxParallel.map { "%\($0)" } ?? "")",
                        "--output=\(logs)/slurm-%A_%a.out", "--chdir=\(cwd)", "--cpus-per-task=\(options.cpusPerTask)",
                        "--kill-on-invalid-dep=yes"]
            let deps = sp.step.dependencies.compactMap { jobOf[$0] }
            if !deps.isEmpty { args.append("--dependency=afterok:\(deps.joined(separator: ":"))") }
            if let p = options.partition { args.append("--partition=\(p)") }
            if let t = options.time { args.append("--time=\(t)") }
            if let m = options.memory { args.append("--mem=\(m)") }
            args += options.extraArguments
            args.append(base + ".sh")
            let r = try runCommand("sbatch", args)
            guard r.exit.succeeded else {
                close(lockFD)
                throw RunError("sbatch failed for step \(sp.step.name) (\(r.exit)): \(r.output)")
            }
            let job = String(r.output.split(separator: ";").first ?? "").trimmingWhitespace()
            guard !job.isEmpty, job.allSatisfy(\.isNumber) else { close(lockFD); throw RunError("sbatch printed no job id: \(r.output)") }
            try db.addSlurmJob(step: sp.step.name, job: job)
            jobOf[sp.step.name] = job
            submitted.append(SubmittedStep(step: sp.step.name, job: job, arraySize: groups.count, tasks: pending.count, logs: logs))
            log("step \(sp.step.name): job \(job), array 0-\(groups.count - 1) (\(pending.count) task(s))\(deps.isEmpty ? "" : " after job \(deps.joined(separator: ","))"); logs in \(logs)/")
        }
        close(lockFD)
        guard options.wait else { return (submitted, nil) }
        let progress = RunExecution.progressOnStandardError(style: options.progress, interval: options.progressInterval, spec: spec, runDirectory: runDir)
        progress.begin(db)
        while !(try SlurmJobs.active(db)).isEmpty {
            progress.tick(db)
            usleep(500_000)
        }
        let merged = try RunExecution.finishReports(db: db, spec: spec, runDirectory: runDir, progress: progress)
        // Reconciling fails tasks Slurm ended: then the stats are read again.
        let reconciled = try SlurmJobs.reconcile(db, runDirectory: runDir)
        let outcome = try RunOutcome.collect(db: db, spec: spec, runDirectory: runDir, seconds: Double(monotonicNanos() - t0) / 1e9,
                                             resumed: opened.tasksAlreadyDone, merged: reconciled == 0 ? merged : nil)
        return (submitted, outcome)
    }

    /// Reads a worker's task list for its array index.
    public static func tasks(fromFile path: String, arrayIndex: Int) throws -> [RunDatabase.TaskRef] {
        guard let text = readTextFile(path) else { throw RunError("cannot read \(path)") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard arrayIndex >= 0, arrayIndex < lines.count else { throw RunError("\(path) has no line for array index \(arrayIndex)") }
        return try lines[arrayIndex].split(separator: " ").map { item in
            let p = item.split(separator: ":")
            guard p.count == 2, let t = Int(p[1]) else { throw RunError("\(path): bad task '\(item)'") }
            return RunDatabase.TaskRef(step: String(p[0]), task: t)
        }
    }
}

/// Runs a command found on PATH (or in /usr/sbin, /sbin), capturing its combined output.
func runCommand(_ name: String, _ args: [String]) throws -> (exit: ChildProcess.Exit, output: String) {
    guard let exe = findExecutable(name) else { throw RunError("\(name) not found on PATH") }
    var template = Array("/tmp/winnow-cmd-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    guard fd >= 0 else { throw RunError("cannot create a temporary file") }
    close(fd)
    let out = stringFromCBuffer(template)
    defer { unlink(out) }
    let child = try ChildProcess(executable: exe, arguments: args, logFile: out)
    let exit = child.wait()
    return (exit, readTextFile(out) ?? "")
}

func findExecutable(_ name: String) -> String? {
    if name.contains("/") { return name }
    let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin"] {
        let p = "\(dir)/\(name)"
        if access(p, X_OK) == 0 { return p }
    }
    return nil
}

func shellQuote(_ s: String) -> String { "'" + s.replacingAll("'", with: "'\\''") + "'" }

func writeText(_ s: String, to path: String) throws {
    let out = try AtomicOutput(path: path, compression: .none)
    try out.sink.write(Array(s.utf8))
    try out.commit()
}


extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

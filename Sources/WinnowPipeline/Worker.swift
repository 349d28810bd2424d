import WinnowCore
import WinnowSteps
import WinnowIO
#if canImport(Glibc)
import Glibc
#endif

/// A worker process (`winnow worker RUN_DIR`): rebuilds the pipeline recorded in the run
/// database and takes tasks until none are left (local executor), or runs the tasks a Slurm
/// array index names. Task failures are recorded, logged, and reported by the exit status.
public final class Worker {
    public let runDirectory: String
    public let spec: PipelineSpec
    let db: RunDatabase
    let me: RunDatabase.WorkerIdentity
    let runner: TaskRunner
    /// Called with one line per task start/end (the worker's own log).
    public var log: (String) -> Void = { _ in }

    public init(runDirectory: String, id: String, slurmJob: String? = nil, registry: StageRegistry = Stages.registry) throws {
        guard RunDatabase.exists(runDirectory: runDirectory) else { throw IOError(runDirectory, "no run database (run.sqlite) here") }
        db = try RunDatabase(runDirectory: runDirectory)
        guard let yaml = try db.value("pipeline_yaml"), let file = try db.value("pipeline_file"), let cwd = try db.value("cwd") else {
            throw IOError(db.path, "the run database has no pipeline recorded")
        }
        if currentDirectory() != cwd && chdir(cwd) != 0 {
            throw IOError(cwd, "cannot change to the run's working directory: \(String(cString: strerror(errno)))")
        }
        self.runDirectory = try db.value("run_directory") ?? runDirectory
        let loader = PipelineLoader(registry: registry)
        var spec = try loader.load(yaml: yaml, file: file)
        spec.outputDir = self.runDirectory
        self.spec = spec
        me = RunDatabase.WorkerIdentity(worker: id, slurmJob: slurmJob)
        runner = TaskRunner(spec: spec, runDirectory: self.runDirectory, loader: loader, db: db, faults: .fromEnvironment)
    }

    /// Takes tasks until the queue holds nothing this worker can do. Returns false if any failed.
    public func runQueue() throws -> Bool {
        var ok = true
        while true {
            switch try db.claimNext(as: me) {
            case .task(let claim): ok = try execute(claim) && ok
            case .wait: usleep(20_000)
            case .finished: return ok
            }
        }
    }

    /// Runs the given tasks (skipping those already done). Returns false if any failed.
    public func run(tasks: [RunDatabase.TaskRef]) throws -> Bool {
        var ok = true
        for ref in tasks {
            guard let claim = try db.claim(ref, as: me) else { log("\(ref): already done"); continue }
            ok = try execute(claim) && ok
        }
        return ok
    }

    private func execute(_ claim: RunDatabase.Claim) throws -> Bool {
        log("\(claim.ref): attempt \(claim.attempt) started")
        _ = CommittedFiles.drain()  // what earlier tasks' reports wrote is not this task's
        do {
            let outcome = try runner.run(claim, worker: me)
            let prefix = runDirectory + "/"
            let outputs = CommittedFiles.drain().map { f in
                (path: f.path.hasPrefix(prefix) ? String(f.path.dropFirst(prefix.count)) : f.path, bytes: f.bytes)
            }
            try db.finish(claim, docs: outcome.docs, bytes: outcome.bytes, outputs: outputs)
            log("\(claim.ref): done")
            try RunReport.taskFinished(db: db, spec: spec, runDirectory: runDirectory, step: claim.ref.step)
            return true
        } catch let e as SQLiteError {
            throw e
        } catch {
            // Bad input is counted, not thrown; what reaches here (an unreadable file, a full
            // disk) fails the task, which keeps its error and log for `winnow status`.
            var logs = TaskRunner.logPath(runDirectory: runDirectory, claim.ref)
            if let job = me.slurmJob { logs += ", \(runDirectory)/logs/\(claim.ref.step)/slurm-\(job).out" }
            let msg = "\(error) (log: \(logs))"
            try db.fail(claim.ref, attempt: claim.attempt, error: msg, retry: false)
            log("\(claim.ref): FAILED: \(msg)")
            return false
        }
    }
}

func currentDirectory() -> String {
    var buf = [CChar](repeating: 0, count: 4096)
    return getcwd(&buf, buf.count) != nil ? stringFromCBuffer(buf) : "."
}

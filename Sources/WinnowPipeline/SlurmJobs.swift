import WinnowCore
import WinnowSteps

/// A run's Slurm jobs as squeue and scontrol see them; the local executor, the Slurm executor
/// and `winnow status` all ask.
public enum SlurmJobs {
    /// Job ids of this run that squeue still lists (queued, running, completing).
    public static func active(_ db: RunDatabase) throws -> [String] {
        let ids = try db.orderedSteps().flatMap(\.slurmJobs)
        guard !ids.isEmpty else { return [] }
        let r = try runCommand("squeue", ["-h", "-j", ids.joined(separator: ","), "-o", "%F"])
        guard r.exit.succeeded else {
            // squeue rejects ids it no longer knows ("Invalid job id"): then none is active.
            if r.output.contains("Invalid job id") { return [] }
            throw RunError("squeue failed: \(r.output)")
        }
        return Array(Set(r.output.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }).filter { !$0.isEmpty }).sorted()
    }

    /// Tasks the database still shows running although Slurm has finished their job (time
    /// limit, node failure, out of memory, scancel): recorded as failed with the job's state
    /// and exit code from `scontrol`. Returns how many were found.
    @discardableResult
    public static func reconcile(_ db: RunDatabase, runDirectory: String) throws -> Int {
        let running = try db.runningTasks().filter { $0.slurmJob != nil }
        guard !running.isEmpty else { return 0 }
        let active = Set(try active(db))
        var n = 0
        for r in running {
            let job = r.slurmJob!
            let arrayJob = String(job.split(separator: "_").first ?? "")
            if active.contains(arrayJob) || active.contains(job) { continue }
            var state = "state unknown (no longer known to slurmctld)"
            if let out = try? runCommand("scontrol", ["show", "job", job]), out.exit.succeeded {
                let fields = out.output.split(whereSeparator: { $0 == " " || $0 == "\n" })
                let js = fields.first { $0.hasPrefix("JobState=") }.map { String($0.dropFirst(9)) } ?? "?"
                let ec = fields.first { $0.hasPrefix("ExitCode=") }.map { String($0.dropFirst(9)) } ?? "?"
                state = "State=\(js) ExitCode=\(ec)"
            }
            let msg = "Slurm job \(job) ended without finishing the task: \(state) (log: \(TaskRunner.logPath(runDirectory: runDirectory, r.ref)), \(runDirectory)/logs/\(r.ref.step)/slurm-\(job).out)"
            try db.fail(r.ref, attempt: r.attempt, error: msg, retry: false)
            n += 1
        }
        return n
    }
}

import WinnowCore
import WinnowSteps
import WinnowIO
#if canImport(Glibc)
import Glibc
#endif

/// `run.sqlite`: the record of a run — its configuration and hash, steps, units, tasks with
/// their attempts and status, per-unit stats — shared by the orchestrator, local workers and
/// Slurm array jobs. It is the single source of truth for resuming and for `winnow status`.
public final class RunDatabase {
    let db: SQLiteDB
    public let path: String

    public enum TaskStatus: String, Sendable { case pending, running, done, failed }

    public struct TaskRef: Sendable, Hashable, CustomStringConvertible {
        public var step: String
        public var task: Int
        public var description: String { "\(step)/\(task)" }
        public init(step: String, task: Int) { self.step = step; self.task = task }
    }

    /// Local runs use WAL; Slurm runs (other hosts, shared file systems) a rollback journal.
    /// Set while no worker has the database open.
    public func useJournal(forLocalRun local: Bool) throws { try db.setJournal(wal: local) }

    public static func path(runDirectory: String) -> String { "\(runDirectory)/run.sqlite" }

    public static func exists(runDirectory: String) -> Bool { fileSize(path(runDirectory: runDirectory)) != nil }

    public init(runDirectory: String) throws {
        try makeDirectories(runDirectory)
        path = Self.path(runDirectory: runDirectory)
        db = try SQLiteDB(path: path)
        try db.execute("""
            CREATE TABLE IF NOT EXISTS run(key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS steps(name TEXT PRIMARY KEY, position INTEGER, tasks INTEGER, units INTEGER,
                deps TEXT, input_bytes INTEGER, slurm_jobs TEXT NOT NULL DEFAULT '');
            CREATE TABLE IF NOT EXISTS units(step TEXT, unit INTEGER, task INTEGER, input TEXT, split_start INTEGER,
                split_end INTEGER, bytes INTEGER, stats TEXT, PRIMARY KEY(step, unit));
            CREATE TABLE IF NOT EXISTS tasks(step TEXT, task INTEGER, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                worker TEXT, host TEXT, pid INTEGER, slurm_job TEXT, started REAL, finished REAL,
                docs INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0, error TEXT,
                input_bytes INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(step, task));
            CREATE TABLE IF NOT EXISTS outputs(step TEXT, task INTEGER, path TEXT, bytes INTEGER, PRIMARY KEY(step, task, path));
            CREATE TABLE IF NOT EXISTS attempts(step TEXT, task INTEGER, attempt INTEGER, worker TEXT, host TEXT, pid INTEGER,
                slurm_job TEXT, started REAL, finished REAL, status TEXT, error TEXT);
            """)
    }

    // MARK: run metadata

    public func value(_ key: String) throws -> String? {
        try db.query("SELECT value FROM run WHERE key = ?", [.text(key)]).first?.first?.text
    }

    public func setValue(_ key: String, _ value: String) throws {
        try db.query("INSERT OR REPLACE INTO run(key, value) VALUES (?, ?)", [.text(key), .text(value)])
    }

    public var isInitialized: Bool { (try? value("config_hash")) != nil }

    /// Records a new run's plan: every step, unit and task, all pending.
    public func initialize(plan: RunPlan, cwd: String) throws {
        try db.transaction {
            try db.execute("DELETE FROM run; DELETE FROM steps; DELETE FROM units; DELETE FROM tasks; DELETE FROM attempts;")
            try setValue("name", plan.spec.name)
            try setValue("config_hash", plan.configHash)
            try setValue("pipeline_file", plan.spec.file)
            try setValue("pipeline_yaml", plan.spec.yaml)
            try setValue("cwd", cwd)
            try setValue("run_directory", plan.runDirectory)
            try setValue("created", String(wallClock()))
            for (pos, sp) in plan.steps.enumerated() {
                try db.query("INSERT INTO steps(name, position, tasks, units, deps, input_bytes) VALUES (?,?,?,?,?,?)",
                             [.text(sp.step.name), .int(pos), .int(sp.tasks), .int(sp.units.count),
                              .text(sp.step.dependencies.joined(separator: ",")), .int(sp.inputBytes)])
                for u in sp.units {
                    try db.query("INSERT INTO units(step, unit, task, input, split_start, split_end, bytes) VALUES (?,?,?,?,?,?,?)",
                                 [.text(sp.step.name), .int(u.index), .int(sp.task(ofUnit: u.index)), .text(u.input),
                                  u.split.map { .int($0.lowerBound) } ?? .null, u.split.map { .int($0.upperBound) } ?? .null,
                                  .int(u.bytes)])
                }
                for t in 0..<sp.tasks {
                    try db.query("INSERT INTO tasks(step, task, status, input_bytes) VALUES (?, ?, 'pending', ?)",
                                 [.text(sp.step.name), .int(t), .int(sp.units(ofTask: t).reduce(0) { $0 + $1.bytes })])
                }
            }
        }
    }

    // MARK: claiming and finishing tasks

    public struct Claim: Sendable {
        public var ref: TaskRef
        public var attempt: Int
    }

    public struct WorkerIdentity: Sendable {
        public var worker: String
        public var host: String
        public var pid: Int
        public var slurmJob: String?
        public init(worker: String, slurmJob: String? = nil) {
            self.worker = worker
            self.slurmJob = slurmJob
            pid = Int(getpid())
            host = localHostName()
        }
    }

    public enum ClaimResult: Sendable {
        case task(Claim)
        /// Pending tasks exist but wait on steps still running elsewhere.
        case wait
        /// Nothing left this worker can do.
        case finished
    }

    /// Takes the first pending task (in step order, largest input first so that the last
    /// tasks to finish are short ones) whose dependencies are complete.
    public func claimNext(as me: WorkerIdentity) throws -> ClaimResult {
        try db.transaction {
            let status = try stepStatus()
            let pending = try db.query("""
                SELECT t.step, t.task FROM tasks t JOIN steps s ON s.name = t.step
                WHERE t.status = 'pending' ORDER BY s.position, t.input_bytes DESC, t.task
                """)
            let doomed = Self.doomedSteps(status)
            var blocked = false
            for row in pending {
                let step = row[0].text!
                let deps = status[step]?.deps ?? []
                if deps.allSatisfy({ status[$0]?.complete == true }) {
                    let ref = TaskRef(step: step, task: row[1].int!)
                    return .task(try markRunning(ref, as: me))
                }
                // Waiting is only worth it if nothing upstream, however far, has failed for good.
                if !doomed.contains(step) { blocked = true }
            }
            return blocked ? .wait : .finished
        }
    }

    /// Takes a given task (Slurm: the array index names it); nil if it is already done.
    public func claim(_ ref: TaskRef, as me: WorkerIdentity) throws -> Claim? {
        try db.transaction {
            let rows = try db.query("SELECT status FROM tasks WHERE step = ? AND task = ?", [.text(ref.step), .int(ref.task)])
            guard let s = rows.first?.first?.text else { throw SQLiteError(message: "no task \(ref) in \(path)") }
            if s == TaskStatus.done.rawValue { return nil }
            return try markRunning(ref, as: me)
        }
    }

    private func markRunning(_ ref: TaskRef, as me: WorkerIdentity) throws -> Claim {
        let now = wallClock()
        try db.query("""
            UPDATE tasks SET status = 'running', attempts = attempts + 1, worker = ?, host = ?, pid = ?, slurm_job = ?,
                started = ?, finished = NULL, docs = 0, bytes = 0, error = NULL WHERE step = ? AND task = ?
            """, [.text(me.worker), .text(me.host), .int(me.pid), me.slurmJob.map { .text($0) } ?? .null, .double(now),
                  .text(ref.step), .int(ref.task)])
        let attempt = try db.query("SELECT attempts FROM tasks WHERE step = ? AND task = ?", [.text(ref.step), .int(ref.task)])[0][0].int!
        try db.query("INSERT INTO attempts(step, task, attempt, worker, host, pid, slurm_job, started, status) VALUES (?,?,?,?,?,?,?,?, 'running')",
                     [.text(ref.step), .int(ref.task), .int(attempt), .text(me.worker), .text(me.host), .int(me.pid),
                      me.slurmJob.map { .text($0) } ?? .null, .double(now)])
        return Claim(ref: ref, attempt: attempt)
    }

    /// Live counters of a running task, for progress and ETA.
    public func reportProgress(_ ref: TaskRef, docs: Int, bytes: Int) throws {
        try db.query("UPDATE tasks SET docs = ?, bytes = ? WHERE step = ? AND task = ?",
                     [.int(docs), .int(bytes), .text(ref.step), .int(ref.task)])
    }

    public func recordUnitStats(step: String, unit: Int, stats: JSONValue) throws {
        var bytes: [UInt8] = []
        JSONWriter.write(stats, to: &bytes)
        try db.query("UPDATE units SET stats = ? WHERE step = ? AND unit = ?",
                     [.text(String(decoding: bytes, as: UTF8.self)), .text(step), .int(unit)])
    }

    /// Marks a task done and records the files it wrote (paths relative to the run directory).
    public func finish(_ claim: Claim, docs: Int, bytes: Int, outputs: [(path: String, bytes: Int)] = []) throws {
        try db.transaction {
            let now = wallClock()
            try db.query("DELETE FROM outputs WHERE step = ? AND task = ?", [.text(claim.ref.step), .int(claim.ref.task)])
            for o in outputs {
                try db.query("INSERT OR REPLACE INTO outputs(step, task, path, bytes) VALUES (?, ?, ?, ?)",
                             [.text(claim.ref.step), .int(claim.ref.task), .text(o.path), .int(o.bytes)])
            }
            try db.query("UPDATE tasks SET status = 'done', finished = ?, docs = ?, bytes = ? WHERE step = ? AND task = ?",
                         [.double(now), .int(docs), .int(bytes), .text(claim.ref.step), .int(claim.ref.task)])
            try endAttempt(claim.ref, attempt: claim.attempt, status: "done", error: nil, at: now)
        }
    }

    /// Marks a task failed (its error kept for `status`); `retry` puts it back in the queue.
    public func fail(_ ref: TaskRef, attempt: Int, error: String, retry: Bool) throws {
        try db.transaction {
            let now = wallClock()
            try db.query("UPDATE tasks SET status = ?, finished = ?, error = ? WHERE step = ? AND task = ?",
                         [.text(retry ? "pending" : "failed"), .double(now), .text(error), .text(ref.step), .int(ref.task)])
            try endAttempt(ref, attempt: attempt, status: "failed", error: error, at: now)
        }
    }

    private func endAttempt(_ ref: TaskRef, attempt: Int, status: String, error: String?, at now: Double) throws {
        try db.query("UPDATE attempts SET finished = ?, status = ?, error = ? WHERE step = ? AND task = ? AND attempt = ?",
                     [.double(now), .text(status), error.map { .text($0) } ?? .null, .text(ref.step), .int(ref.task), .int(attempt)])
    }

    /// Running tasks, with who runs them.
    public func runningTasks() throws -> [(ref: TaskRef, attempt: Int, worker: String, pid: Int, slurmJob: String?)] {
        try db.query("SELECT step, task, attempts, worker, pid, slurm_job FROM tasks WHERE status = 'running'").map {
            (TaskRef(step: $0[0].text!, task: $0[1].int!), $0[2].int!, $0[3].text ?? "", $0[4].int ?? 0, $0[5].text)
        }
    }

    /// Before resuming: tasks left running by a run that is gone, and failed tasks, go back to
    /// pending. Returns how many were reset.
    @discardableResult
    public func resetUnfinished(reason: String) throws -> Int {
        try db.transaction {
            let now = wallClock()
            try db.query("UPDATE attempts SET status = 'lost', finished = ?, error = ? WHERE status = 'running'",
                         [.double(now), .text(reason)])
            let n = try db.query("SELECT COUNT(*) FROM tasks WHERE status IN ('running', 'failed')")[0][0].int!
            try db.query("UPDATE tasks SET status = 'pending', docs = 0, bytes = 0 WHERE status IN ('running', 'failed')")
            return n
        }
    }

    // MARK: reading the state

    /// A file a finished task wrote that is no longer as it was: deleted, or of another size.
    public struct DamagedOutput: Sendable, CustomStringConvertible {
        public var task: TaskRef
        public var path: String
        public var recordedBytes: Int
        /// nil when the file is missing.
        public var actualBytes: Int?
        public var description: String {
            if let a = actualBytes { return "\(path) is \(a) bytes (task \(task) wrote \(recordedBytes))" }
            return "\(path) is missing (task \(task) wrote \(recordedBytes) bytes)"
        }
    }

    /// Checks every file recorded for a done task against the file system.
    public func damagedOutputs(runDirectory: String) throws -> [DamagedOutput] {
        var out: [DamagedOutput] = []
        let rows = try db.query("""
            SELECT o.step, o.task, o.path, o.bytes FROM outputs o JOIN tasks t ON t.step = o.step AND t.task = o.task
            WHERE t.status = 'done' ORDER BY o.step, o.task, o.path
            """)
        for r in rows {
            let path = r[2].text!, bytes = r[3].int!
            let actual = fileSize("\(runDirectory)/\(path)")
            if actual != bytes {
                out.append(DamagedOutput(task: TaskRef(step: r[0].text!, task: r[1].int!), path: path, recordedBytes: bytes, actualBytes: actual))
            }
        }
        return out
    }

    /// Puts done tasks back in the queue (their output was damaged).
    public func requeue(_ refs: [TaskRef], reason: String) throws {
        try db.transaction {
            for r in refs {
                try db.query("UPDATE tasks SET status = 'pending', docs = 0, bytes = 0, error = ? WHERE step = ? AND task = ?",
                             [.text(reason), .text(r.step), .int(r.task)])
            }
        }
    }

    public struct StepState: Sendable {
        public var name: String
        public var deps: [String]
        public var tasks: Int
        public var units: Int
        public var inputBytes: Int
        public var slurmJobs: [String]
        public var counts: [TaskStatus: Int] = [:]
        public var docs = 0
        public var bytes = 0
        public var complete: Bool { counts[.done, default: 0] == tasks }
        public var failed: Bool { counts[.failed, default: 0] > 0 }
    }

    /// Steps that can never run because a step they depend on, directly or through others,
    /// has failed for good. (Without the transitive closure, a step two levels below a
    /// failure waited forever on a dependency that itself waited.)
    public static func doomedSteps(_ status: [String: StepState]) -> Set<String> {
        var doomed = Set<String>()
        var changed = true
        while changed {
            changed = false
            for (name, s) in status where !doomed.contains(name) {
                if s.deps.contains(where: { status[$0]?.failed == true || doomed.contains($0) }) {
                    doomed.insert(name)
                    changed = true
                }
            }
        }
        return doomed
    }

    public func stepStatus() throws -> [String: StepState] {
        var out: [String: StepState] = [:]
        for s in try orderedSteps() { out[s.name] = s }
        return out
    }

    /// Steps in execution order with task counts by status and live progress counters.
    public func orderedSteps() throws -> [StepState] {
        var steps = try db.query("SELECT name, deps, tasks, units, input_bytes, slurm_jobs FROM steps ORDER BY position").map {
            StepState(name: $0[0].text!, deps: ($0[1].text ?? "").split(separator: ",").map(String.init), tasks: $0[2].int!,
                      units: $0[3].int!, inputBytes: $0[4].int ?? 0,
                      slurmJobs: ($0[5].text ?? "").split(separator: ",").map(String.init))
        }
        for row in try db.query("SELECT step, status, COUNT(*), SUM(docs), SUM(bytes) FROM tasks GROUP BY step, status") {
            guard let i = steps.firstIndex(where: { $0.name == row[0].text! }), let st = TaskStatus(rawValue: row[1].text!) else { continue }
            steps[i].counts[st] = row[2].int!
            if st == .done || st == .running {
                steps[i].docs += row[3].int ?? 0
                steps[i].bytes += row[4].int ?? 0
            }
        }
        return steps
    }

    public struct TaskState: Sendable {
        public var ref: TaskRef
        public var status: TaskStatus
        public var attempts: Int
        public var worker: String?
        public var host: String?
        public var slurmJob: String?
        public var started: Double?
        public var finished: Double?
        public var docs: Int
        public var bytes: Int
        public var error: String?
        public var pid: Int?
    }

    public func tasks(step: String? = nil) throws -> [TaskState] {
        let sql = "SELECT t.step, t.task, t.status, t.attempts, t.worker, t.host, t.slurm_job, t.started, t.finished, t.docs, t.bytes, t.error, t.pid FROM tasks t JOIN steps s ON s.name = t.step" + (step == nil ? "" : " WHERE t.step = ?") + " ORDER BY s.position, t.task"
        return try db.query(sql, step.map { [.text($0)] } ?? []).map {
            TaskState(ref: TaskRef(step: $0[0].text!, task: $0[1].int!), status: TaskStatus(rawValue: $0[2].text!) ?? .pending,
                      attempts: $0[3].int ?? 0, worker: $0[4].text, host: $0[5].text, slurmJob: $0[6].text,
                      started: $0[7].double, finished: $0[8].double, docs: $0[9].int ?? 0, bytes: $0[10].int ?? 0, error: $0[11].text,
                      pid: $0[12].int)
        }
    }

    /// Stats of every unit of a step, in unit order (nil for units not finished).
    public func unitStats(step: String) throws -> [JSONValue?] {
        try db.query("SELECT stats FROM units WHERE step = ? ORDER BY unit", [.text(step)]).map { row in
            row[0].text.flatMap { try? JSONParser.parse($0) }
        }
    }

    public func units(step: String, task: Int) throws -> [WorkUnit] {
        try db.query("SELECT unit, input, split_start, split_end, bytes FROM units WHERE step = ? AND task = ? ORDER BY unit",
                     [.text(step), .int(task)]).map { row in
            var split: Range<Int>?
            if let a = row[2].int, let b = row[3].int { split = a..<b }
            return WorkUnit(index: row[0].int!, input: row[1].text!, split: split, bytes: row[4].int ?? 0, format: nil)
        }
    }

    public func addSlurmJob(step: String, job: String) throws {
        try db.query("UPDATE steps SET slurm_jobs = CASE WHEN slurm_jobs = '' THEN ? ELSE slurm_jobs || ',' || ? END WHERE name = ?",
                     [.text(job), .text(job), .text(step)])
    }
}

/// Seconds since the epoch.
public func wallClock() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

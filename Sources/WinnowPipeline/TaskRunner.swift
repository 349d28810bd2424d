import WinnowCore
import WinnowSteps
import WinnowIO
#if canImport(Glibc)
import Glibc
#endif

/// Runs one task: each of its units is read through the step's stages into that unit's own
/// output shard, written under a temporary name and renamed into place when the unit is done.
/// A task that dies part-way leaves only whole shards, which a rerun rewrites identically.
final class TaskRunner {
    let spec: PipelineSpec
    let runDirectory: String
    let loader: PipelineLoader
    let db: RunDatabase
    let faults: Faults
    /// The step's stages for the task being run (built once per task).
    private var chain: StageChain?
    /// The running task's log, for kinds that write progress lines (training).
    private var taskLog: TaskLog?

    init(spec: PipelineSpec, runDirectory: String, loader: PipelineLoader, db: RunDatabase, faults: Faults) {
        self.spec = spec
        self.runDirectory = runDirectory
        self.loader = loader
        self.db = db
        self.faults = faults
    }

    static func logPath(runDirectory: String, _ ref: RunDatabase.TaskRef) -> String {
        "\(runDirectory)/logs/\(ref.step)/task-\(RunPlan.shardName(ref.task)).log"
    }

    struct Outcome { var docs = 0; var bytes = 0 }

    func run(_ claim: RunDatabase.Claim, worker: RunDatabase.WorkerIdentity) throws -> Outcome {
        guard let step = spec.step(named: claim.ref.step) else { throw IOError(claim.ref.step, "step not in the pipeline") }
        let log = try TaskLog(path: Self.logPath(runDirectory: runDirectory, claim.ref))
        taskLog = log
        log.line("attempt \(claim.attempt) of task \(claim.ref) by \(worker.worker) (pid \(worker.pid) on \(worker.host)\(worker.slurmJob.map { ", slurm job \($0)" } ?? ""))")
        let t0 = monotonicNanos()
        var outcome = Outcome()
        chain = nil
        do {
            if faults.fires(.fail, claim) { throw IOError("WINNOW_FAULT", "injected failure of task \(claim.ref)") }
            let units = try db.units(step: step.name, task: claim.ref.task)
            var lastReport = monotonicNanos()
            for unit in units {
                let stats = try processUnit(step, unit, claim: claim) { docs, bytes in
                    let now = monotonicNanos()
                    if now - lastReport > 1_000_000_000 {
                        lastReport = now
                        try? self.db.reportProgress(claim.ref, docs: outcome.docs + docs, bytes: outcome.bytes + bytes)
                    }
                }
                outcome.docs += stats.read.docsIn
                outcome.bytes += stats.inputBytes
                try db.recordUnitStats(step: step.name, unit: unit.index, stats: stats.json())
                log.line(describe(unit, stats))
                for (k, v) in stats.damage.counts.sorted(by: { $0.key < $1.key }) { log.line("  damage \(k): \(v)") }
                for x in stats.damage.samples { log.line("    \(x.kind) at \(x.location): \(x.detail)") }
                for (k, v) in stats.warnings.counts.sorted(by: { $0.key < $1.key }) { log.line("  warning \(k): \(v)") }
            }
        } catch {
            log.line("FAILED after \(Summary.format1(Double(monotonicNanos() - t0) / 1e9)) s: \(error)")
            throw error
        }
        log.line("done in \(Summary.format1(Double(monotonicNanos() - t0) / 1e9)) s: \(outcome.docs) docs, \(outcome.bytes) bytes")
        return outcome
    }

    private func describe(_ u: WorkUnit, _ s: FileStats) -> String {
        "unit \(u.index) \(s.input): \(s.read.docsIn) records, \(s.read.docsOut) docs read, \(s.written) written, \(s.dropped) dropped"
    }

    func unitCount(of step: String) throws -> Int {
        guard let s = try db.orderedSteps().first(where: { $0.name == step }) else { throw RunError("no step \(step) in the run") }
        return s.units
    }

    /// One unit of work; `progress(docs, bytes)` is called as it goes.
    func processUnit(_ step: StepSpec, _ unit: WorkUnit, claim: RunDatabase.Claim,
                     progress: (Int, Int) throws -> Void) throws -> FileStats {
        if step.kind.leadingStages() != nil { return try processDocuments(step, unit, claim: claim, progress: progress) }
        return try withoutActuallyEscaping(progress) { progress in
            try step.kind.runUnit(UnitRun(step: step, unit: unit, runDirectory: runDirectory,
                                          unitCount: { try self.unitCount(of: $0) }, progress: progress,
                                          log: { [log = taskLog] in log?.line($0) }))
        }
    }

    /// The task's stage chain: the step kind's own stage (duplicate removal, line dedup) first,
    /// then the step's stages; built and started once per task.
    func taskChain(_ step: StepSpec) throws -> StageChain {
        if let chain { return chain }
        let c = StageChain((step.kind.leadingStages() ?? []) + (try loader.makeStages(step.stages)))
        try c.startTask()
        chain = c
        return c
    }

    /// Documents of one unit through the task's stage chain into the unit's shard.
    func processDocuments(_ step: StepSpec, _ unit: WorkUnit, claim: RunDatabase.Claim,
                          progress: (Int, Int) throws -> Void) throws -> FileStats {
        let out = RunPlan.outputPath(runDirectory: runDirectory, step: step, unit: unit.index)
        let droppedPath = "\(runDirectory)/steps/\(step.name)/dropped/\(RunPlan.shardName(unit.index)).jsonl\(step.output.compression.fileExtension)"
        // Temporaries left by an attempt that was killed are garbage now.
        for stale in FileGlob.expand(out + ".tmp-*") + FileGlob.expand(droppedPath + ".tmp-*") { unlink(stale) }
        let format = step.input.from.isEmpty ? step.input.format : .jsonl
        let chain = try taskChain(step)
        try chain.startUnit(UnitContext(index: unit.index, runDirectory: runDirectory))
        let reader = try openDocumentReader(path: unit.input, format: format, warc: step.input.warc, jsonl: step.input.jsonl, split: unit.split)
        let writer = try step.output.format.open(path: out, output: step.output)
        // Dropped documents are always JSONL: they are for people to look at.
        let droppedWriter = step.output.keepDropped
            ? try JSONLWriter(path: droppedPath, compression: step.output.compression) : nil
        let label = unit.split.map { "\(unit.input)@\($0.lowerBound)-\($0.upperBound)" } ?? unit.input
        var stats = FileStats(input: label, stageNames: step.reportedStageNames)
        let t0 = monotonicNanos()
        let counts = try chain.run(next: reader.next, keep: writer.write, keepDropped: droppedWriter != nil,
                                   drop: { try droppedWriter?.write($0) }) { n in
            if n & 63 == 0 { try progress(n, reader.inputBytesRead) }
            if n == 1, faults.fires(.hang, claim) { faults.hang() }
        }
        chain.finishUnit()
        stats.written = counts.written
        stats.dropped = counts.dropped
        stats.read = reader.stats
        stats.read.nanoseconds = (monotonicNanos() - t0) - chain.stats.reduce(0) { $0 + $1.nanoseconds }
        stats.stages = chain.stats
        stats.damage = reader.damage
        stats.warnings = reader.warnings
        // A split counts its own byte range, so the step's total is the file size.
        stats.inputBytes = unit.split?.count ?? reader.inputBytesRead
        try writer.commit()
        try droppedWriter?.commit()
        return stats
    }
}

/// Appends timestamped lines to a task's log file (one file per task, across attempts).
final class TaskLog {
    private let fd: Int32

    init(path: String) throws {
        try makeDirectories(parentOf: path)
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IOError(path, "cannot open log: \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    func line(_ s: String) {
        var text = "[\(timestamp())] \(s)\n"
        text.withUTF8 { b in _ = write(fd, b.baseAddress, b.count) }
    }
}

/// `YYYY-MM-DD HH:MM:SS` in UTC.
public func timestamp(_ t: Double = wallClock()) -> String {
    var secs = time_t(t)
    var tmv = tm()
    gmtime_r(&secs, &tmv)
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(tmv.tm_year + 1900)-\(two(tmv.tm_mon + 1))-\(two(tmv.tm_mday)) \(two(tmv.tm_hour)):\(two(tmv.tm_min)):\(two(tmv.tm_sec))"
}

/// Fault injection for crash tests, from `WINNOW_FAULT=KIND:STEP:TASK[,…]` (KIND `fail` or
/// `hang`). A fault fires on a task's first attempt only, so a retry or a rerun gets past it.
struct Faults: Sendable {
    enum Kind: String, Sendable { case fail, hang }
    var entries: [(Kind, String, Int)] = []

    init(environment value: String?) {
        for part in (value ?? "").split(separator: ",") {
            let f = part.split(separator: ":").map(String.init)
            if f.count == 3, let k = Kind(rawValue: f[0]), let t = Int(f[2]) { entries.append((k, f[1], t)) }
        }
    }

    static var fromEnvironment: Faults { Faults(environment: getenv("WINNOW_FAULT").map { String(cString: $0) }) }

    func fires(_ kind: Kind, _ claim: RunDatabase.Claim) -> Bool {
        claim.attempt == 1 && entries.contains { $0.0 == kind && $0.1 == claim.ref.step && $0.2 == claim.ref.task }
    }

    func hang() -> Never {
        while true { sleep(3600) }
    }
}

import WinnowCore
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
    /// Line dedup: hashes of the lines seen so far in this task's group of units.
    var lineSeen = Set<UInt64>()

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
        log.line("attempt \(claim.attempt) of task \(claim.ref) by \(worker.worker) (pid \(worker.pid) on \(worker.host)\(worker.slurmJob.map { ", slurm job \($0)" } ?? ""))")
        let t0 = monotonicNanos()
        var outcome = Outcome()
        lineSeen.removeAll()  // a task (a group of units) starts from an empty set, also on a rerun
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
        let stepDir = "\(runDirectory)/steps/\(step.name)"
        switch step.kind {
        case .documents, .lineDedup:
            return try processDocuments(step, unit, claim: claim, removal: nil as ([UInt32], MinHashSpec)?, progress: progress)
        case .minhashFilter(let m, let cluster):
            let base = "\(runDirectory)/steps/\(cluster)/\(RunPlan.shardName(unit.index))"
            let removal = try MinHashSteps.removalList(base + ".remove")
            let ids = m.clusterIDs ? try MinHashSteps.pairList(base + ".clusters") : nil
            let sizes = m.clusterSizes ? try MinHashSteps.pairList(base + ".sizes") : nil
            return try processDocuments(step, unit, claim: claim, removal: (removal, m), clusters: (ids, sizes), progress: progress)
        case .minhashSignatures(let m):
            let format = step.input.from.isEmpty ? step.input.format : .jsonl
            let reader = try openDocumentReader(path: unit.input, format: format, warc: step.input.warc, jsonl: step.input.jsonl, split: unit.split)
            var stats = FileStats(input: unit.split.map { "\(unit.input)@\($0.lowerBound)-\($0.upperBound)" } ?? unit.input, stageNames: [])
            let t0 = monotonicNanos()
            try MinHashSteps.signatures(m, reader: reader, dir: stepDir, unit: unit.index, stats: &stats, progress: progress)
            stats.read = reader.stats
            stats.read.nanoseconds = (monotonicNanos() - t0) - stats.stages.reduce(0) { $0 + $1.nanoseconds }
            stats.damage = reader.damage
            stats.warnings = reader.warnings
            stats.inputBytes = unit.split?.count ?? reader.inputBytesRead
            return stats
        case .minhashBuckets(let m, let sig):
            var stats = FileStats(input: unit.input, stageNames: [])
            let t0 = monotonicNanos()
            try MinHashSteps.buckets(m, band: unit.index, signatureDir: "\(runDirectory)/steps/\(sig)", signatureUnits: try unitCount(of: sig),
                                     out: "\(stepDir)/\(RunPlan.shardName(unit.index)).dups", stats: &stats)
            stats.read.nanoseconds = monotonicNanos() - t0
            return stats
        case .minhashCluster(let m, let sig, let buckets):
            var stats = FileStats(input: unit.input, stageNames: [])
            let t0 = monotonicNanos()
            let dups = (0..<m.bands).map { "\(runDirectory)/steps/\(buckets)/\(RunPlan.shardName($0)).dups" }
            try MinHashSteps.cluster(dupsFiles: dups, signatureUnits: try unitCount(of: sig), outDir: stepDir,
                                     survivor: m.survivor, ids: m.clusterIDs, sizes: m.clusterSizes, stats: &stats)
            stats.read.nanoseconds = monotonicNanos() - t0
            return stats
        }
    }

    /// Documents of one unit through the stages (minus the `removal` indices, sorted).
    func processDocuments(_ step: StepSpec, _ unit: WorkUnit, claim: RunDatabase.Claim, removal dedupBy: ([UInt32], MinHashSpec)?,
                          clusters: ([(UInt32, UInt32)]?, [(UInt32, UInt32)]?) = (nil, nil),
                          progress: (Int, Int) throws -> Void) throws -> FileStats {
        let out = RunPlan.outputPath(runDirectory: runDirectory, step: step, unit: unit.index)
        let droppedPath = "\(runDirectory)/steps/\(step.name)/dropped/\(RunPlan.shardName(unit.index)).jsonl\(step.output.compression.fileExtension)"
        // Temporaries left by an attempt that was killed are garbage now.
        for stale in FileGlob.expand(out + ".tmp-*") + FileGlob.expand(droppedPath + ".tmp-*") { unlink(stale) }
        let format = step.input.from.isEmpty ? step.input.format : .jsonl
        let chain = StageChain(try loader.makeStages(step.stages))
        let reader = try openDocumentReader(path: unit.input, format: format, warc: step.input.warc, jsonl: step.input.jsonl, split: unit.split)
        let writer = try JSONLWriter(path: out, compression: step.output.compression)
        let droppedWriter = step.output.keepDropped
            ? try JSONLWriter(path: droppedPath, compression: step.output.compression) : nil
        let label = unit.split.map { "\(unit.input)@\($0.lowerBound)-\($0.upperBound)" } ?? unit.input
        var stats = FileStats(input: label, stageNames: step.reportedStageNames)
        let removal = dedupBy?.0
        var dedup = dedupBy.map { StageStats(name: $0.1.stageName) }
        var lines: StageStats? = nil
        if case .lineDedup = step.kind { lines = StageStats(name: "line_dedup") }
        var linesRemoved = 0
        var nextRemoval = 0
        var nextID = 0, nextSize = 0
        let t0 = monotonicNanos()
        var n = 0
        while var doc = try reader.next() {
            if let removal {
                let idx = UInt32(n)
                n += 1
                dedup!.docsIn += 1
                dedup!.bytesIn += doc.text.utf8.count
                // datatrove's load_cluster_ids / load_cluster_sizes, on kept and removed documents
                if let ids = clusters.0 {
                    while nextID < ids.count && ids[nextID].0 < idx { nextID += 1 }
                    doc.metadata["minhash_cluster_id"] = .int(nextID < ids.count && ids[nextID].0 == idx ? Int(ids[nextID].1) : -1)
                }
                if let sizes = clusters.1 {
                    while nextSize < sizes.count && sizes[nextSize].0 < idx { nextSize += 1 }
                    doc.metadata["minhash_cluster_size"] = .int(nextSize < sizes.count && sizes[nextSize].0 == idx ? Int(sizes[nextSize].1) : 1)
                }
                while nextRemoval < removal.count && removal[nextRemoval] < idx { nextRemoval += 1 }
                if nextRemoval < removal.count && removal[nextRemoval] == idx {
                    dedup!.drops[dedupBy!.1.dropReason, default: 0] += 1
                    stats.dropped += 1
                    if let droppedWriter {
                        doc.metadata["dropped_by"] = .string(dedupBy!.1.stageName)
                        doc.metadata["drop_reason"] = .string(dedupBy!.1.dropReason)
                        try droppedWriter.write(doc)
                    }
                    continue
                }
                dedup!.docsOut += 1
                dedup!.bytesOut += doc.text.utf8.count
                n -= 1
            }
            if lines != nil {
                lines!.docsIn += 1
                lines!.bytesIn += doc.text.utf8.count
                var removedLines = 0
                let tl = monotonicNanos()
                let kept = LineDedup.apply(&doc, seen: &lineSeen, removed: &removedLines)
                lines!.nanoseconds += monotonicNanos() - tl
                linesRemoved += removedLines
                if !kept {
                    lines!.drops["line_dedup_empty", default: 0] += 1
                    stats.dropped += 1
                    if let droppedWriter {
                        doc.metadata["dropped_by"] = .string("line_dedup")
                        doc.metadata["drop_reason"] = .string("line_dedup_empty")
                        try droppedWriter.write(doc)
                    }
                    n += 1
                    continue
                }
                lines!.docsOut += 1
                lines!.bytesOut += doc.text.utf8.count
            }
            switch chain.process(&doc) {
            case .kept:
                try writer.write(doc)
                stats.written += 1
            case .dropped(let stage, let reason):
                stats.dropped += 1
                if let droppedWriter {
                    chain.annotateDropped(&doc, stage: stage, reason: reason)
                    try droppedWriter.write(doc)
                }
            }
            n += 1
            if n & 63 == 0 { try progress(n, reader.inputBytesRead) }
            if n == 1, faults.fires(.hang, claim) { faults.hang() }
        }
        stats.read = reader.stats
        stats.read.nanoseconds = (monotonicNanos() - t0) - chain.stats.reduce(0) { $0 + $1.nanoseconds }
        stats.stages = (dedup.map { [$0] } ?? []) + (lines.map { [$0] } ?? []) + chain.stats
        // Lines, not documents: shown beside the document drops.
        if linesRemoved > 0, let i = stats.stages.firstIndex(where: { $0.name == "line_dedup" }) { stats.stages[i].drops["lines_removed"] = linesRemoved }
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

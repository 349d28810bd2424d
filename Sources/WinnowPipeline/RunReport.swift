import WinnowCore
import WinnowIO
import WinnowSteps

/// Merged statistics of a run, built from the per-unit stats in the run database. Units are
/// merged in unit order, so totals and damage samples do not depend on tasks or workers;
/// the files written (`steps/<step>/step-stats.json`, `stats.json`) carry no timings and are
/// byte-identical across runs of the same input and configuration.
public enum RunReport {
    /// The step's merged stats, or nil while some unit is unfinished.
    public static func stepStats(db: RunDatabase, step: StepSpec, runDirectory: String) throws -> StepStats? {
        var s = StepStats(step: step.name, stageNames: step.reportedStageNames)
        let units = try db.unitStats(step: step.name)
        for u in units {
            guard let u else { return nil }
            s.add(FileStats(json: u))
        }
        // Relative to the run directory, so the stats of a moved or copied run stay true.
        if step.kind.writesDocuments {
            s.outputs = units.indices.map { String(RunPlan.outputPath(runDirectory: runDirectory, step: step, unit: $0).dropFirst(runDirectory.count + 1)) }
        } else {
            s.outputs = ["steps/\(step.name)/"]
        }
        return s
    }

    /// After a task: writes its step's stats if the step just completed, and the run's if the
    /// whole run did (cheap otherwise: only task counts are read).
    public static func taskFinished(db: RunDatabase, spec: PipelineSpec, runDirectory: String, step: String) throws {
        let states = try db.stepStatus()
        guard states[step]?.complete == true else { return }
        if states.values.allSatisfy(\.complete) {
            try writeFinishedReports(db: db, spec: spec, runDirectory: runDirectory)
        } else if let st = spec.step(named: step), let s = try stepStats(db: db, step: st, runDirectory: runDirectory) {
            try writeJSON(s.json(timing: false), to: "\(runDirectory)/steps/\(step)/step-stats.json")
        }
    }

    /// Writes the stats files of every complete step, and `stats.json` once all are complete.
    /// Safe to call from any process at any time: the content is a function of the units' stats.
    @discardableResult
    public static func writeFinishedReports(db: RunDatabase, spec: PipelineSpec, runDirectory: String) throws -> [StepStats]? {
        var all: [StepStats] = []
        var complete = true
        let states = try db.stepStatus()
        for step in spec.executionOrder {
            guard states[step.name]?.complete == true, let s = try stepStats(db: db, step: step, runDirectory: runDirectory) else {
                complete = false
                continue
            }
            try writeJSON(s.json(timing: false), to: "\(runDirectory)/steps/\(step.name)/step-stats.json")
            all.append(s)
        }
        guard complete else { return nil }
        var o = JSONObject()
        o["pipeline"] = .string(spec.name)
        o["steps"] = .array(all.map { $0.json(timing: false) })
        try writeJSON(.object(o), to: "\(runDirectory)/stats.json")
        return all
    }
}

/// Writes JSON (compact, one line) atomically.
public func writeJSON(_ v: JSONValue, to path: String) throws {
    var bytes: [UInt8] = []
    JSONWriter.write(v, to: &bytes)
    bytes.append(0x0A)
    let out = try AtomicOutput(path: path, compression: .none)
    try out.sink.write(bytes)
    try out.commit()
}

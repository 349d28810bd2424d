import WinnowCore
import WinnowSteps
#if canImport(Glibc)
import Glibc
#endif

/// What the local and the Slurm executor share: progress on standard error, the reports
/// written when a run's tasks are done, and the outcome read back from the database.
enum RunExecution {
    static func progressOnStandardError(style: ProgressReporter.Style, interval: Double, spec: PipelineSpec, runDirectory: String) -> ProgressReporter {
        let p = ProgressReporter(style: style, interval: interval, write: { s in
            var t = s
            t.withUTF8 { b in _ = Glibc.write(2, b.baseAddress, b.count) }
        })
        p.detail = { name in
            guard let kind = spec.step(named: name)?.kind as? TrainStep else { return nil }
            return TrainingProgress(kind: kind, stepDirectory: "\(runDirectory)/steps/\(name)")?.line(running: true)
        }
        return p
    }

    /// The last progress line, then `step-stats.json` and `stats.json` of the finished steps;
    /// returns every step's stats when all steps are complete.
    static func finishReports(db: RunDatabase, spec: PipelineSpec, runDirectory: String, progress: ProgressReporter) throws -> [StepStats]? {
        progress.tick(db, force: true)
        progress.finish()
        return try RunReport.writeFinishedReports(db: db, spec: spec, runDirectory: runDirectory)
    }
}

/// What a run did: each step's totals, the time it took, and the tasks that failed.
public struct RunOutcome {
    public var steps: [StepStats]
    public var seconds: Double
    /// Tasks found finished by an earlier run and kept.
    public var resumedTasks: Int
    /// Tasks that failed, with their errors (which name their log files).
    public var failures: [(task: RunDatabase.TaskRef, error: String)]
    public var runDirectory: String
}

extension RunOutcome {
    /// `merged`: every step's stats when the final reports just merged them (not merged again).
    static func collect(db: RunDatabase, spec: PipelineSpec, runDirectory: String, seconds: Double, resumed: Int,
                        merged: [StepStats]?) throws -> RunOutcome {
        var steps: [StepStats] = []
        if let merged {
            steps = merged
        } else {
            for step in spec.executionOrder {
                if let s = try RunReport.stepStats(db: db, step: step, runDirectory: runDirectory) { steps.append(s) }
            }
        }
        var failures: [(RunDatabase.TaskRef, String)] = []
        for t in try db.tasks() where t.status != .done {
            failures.append((t.ref, t.error ?? "not run: \(t.status == .pending ? "a step it depends on failed" : t.status.rawValue)"))
        }
        return RunOutcome(steps: steps, seconds: seconds, resumedTasks: resumed, failures: failures, runDirectory: runDirectory)
    }
}

import WinnowCore
import WinnowIO
#if canImport(Glibc)
import Glibc
import WinnowSteps
#endif

/// `winnow status RUN_DIR`: what the run database says now — per step, tasks by state,
/// documents and bytes so far, Slurm jobs; running tasks with their workers; failed tasks
/// with their errors and logs; and the merged stats of finished steps.
public enum RunStatus {
    public static func render(runDirectory: String) throws -> String {
        guard RunDatabase.exists(runDirectory: runDirectory) else { throw RunError("\(runDirectory): no run here (no run.sqlite)") }
        let db = try RunDatabase(runDirectory: runDirectory)
        let name = try db.value("name") ?? "?"
        let hash = try db.value("config_hash") ?? "?"
        let created = (try db.value("created")).flatMap(Double.init).map { timestamp($0) + " UTC" } ?? "?"
        var out = "run \(name) in \(runDirectory) · started \(created) · config \(hash.prefix(12))"
        if let ex = try db.value("executor") { out += " · executor \(ex)" }
        out += "\n"
        var steps = try db.orderedSteps()
        var active: [String] = []
        if steps.contains(where: { !$0.slurmJobs.isEmpty }) {
            active = (try? SlurmJobs.active(db)) ?? []
            if ((try? SlurmJobs.reconcile(db, runDirectory: runDirectory)) ?? 0) > 0 { steps = try db.orderedSteps() }
        }
        let damaged = try db.damagedOutputs(runDirectory: runDirectory)
        var rows: [[String]] = [["step", "tasks", "done", "running", "pending", "failed", "units", "docs", "MB", "state", "slurm jobs"]]
        let doomed = RunDatabase.doomedSteps(Dictionary(uniqueKeysWithValues: steps.map { ($0.name, $0) }))
        for s in steps {
            let blockedBy = s.deps.filter { d in steps.first { $0.name == d }?.failed == true || doomed.contains(d) }
            let lost = damaged.filter { $0.task.step == s.name }.count
            let state = s.complete && lost > 0 ? "INCOMPLETE: \(lost) output(s) missing or changed" : s.complete ? "complete" : s.failed ? "FAILED" : s.counts[.running, default: 0] > 0 ? "running"
                : !blockedBy.isEmpty ? "blocked by \(blockedBy.joined(separator: ","))" : "waiting"
            rows.append([s.name, "\(s.tasks)", "\(s.counts[.done, default: 0])", "\(s.counts[.running, default: 0])",
                         "\(s.counts[.pending, default: 0])", "\(s.counts[.failed, default: 0])", "\(s.units)", "\(s.docs)",
                         Summary.format1(Double(s.bytes) / 1e6), state,
                         s.slurmJobs.map { active.contains($0) ? "\($0)*" : $0 }.joined(separator: ",")])
        }
        out += Summary.table(rows)
        if !active.isEmpty { out += "  * still queued or running in Slurm (squeue -j \(active.joined(separator: ",")))\n" }
        let tasks = try db.tasks()
        let now = wallClock()
        let running = tasks.filter { $0.status == .running }
        if !running.isEmpty {
            out += "running:\n"
            for t in running.prefix(20) {
                let secs = t.started.map { now - $0 } ?? 0
                out += "  \(t.ref) attempt \(t.attempts) on \(t.worker ?? "?")@\(t.host ?? "?")\(t.slurmJob.map { " job \($0)" } ?? "") for \(Summary.format1(secs)) s: \(t.docs) docs"
                if processGone(t), let pid = t.pid {
                    out += " — INTERRUPTED: process \(pid) is gone; the next `winnow run` reruns it"
                }
                out += "\n"
            }
        }
        if !damaged.isEmpty {
            out += "output missing or changed since its task finished (the next `winnow run` reruns those tasks):\n"
            for d in damaged.prefix(20) { out += "  \(d)\n" }
            if damaged.count > 20 { out += "  … and \(damaged.count - 20) more\n" }
        }
        let failed = tasks.filter { $0.status == .failed }
        if !failed.isEmpty {
            out += "failed:\n"
            for t in failed.prefix(20) { out += "  \(t.ref) after \(t.attempts) attempt(s): \(t.error ?? "?")\n" }
        }
        var spec: PipelineSpec?
        if let yaml = try db.value("pipeline_yaml"), let file = try db.value("pipeline_file") { spec = try? PipelineLoader().load(yaml: yaml, file: file) }
        if let spec {
            var lines: [String] = []
            for step in spec.executionOrder {
                guard let kind = step.kind as? TrainStep, let state = steps.first(where: { $0.name == step.name }) else { continue }
                let isRunning = running.contains { $0.ref.step == step.name && !processGone($0) }
                if let p = TrainingProgress(kind: kind, stepDirectory: "\(runDirectory)/steps/\(step.name)") {
                    lines.append("  \(step.name): \(p.line(running: isRunning))\(state.complete || isRunning ? "" : " · not running")")
                } else if isRunning {
                    lines.append("  \(step.name): starting (no step logged yet)")
                }
            }
            if !lines.isEmpty { out += "training:\n" + lines.joined(separator: "\n") + "\n" }
        }
        if let spec {
            for step in spec.executionOrder where steps.first(where: { $0.name == step.name })?.complete == true
                && !damaged.contains(where: { $0.task.step == step.name }) {
                if let s = try RunReport.stepStats(db: db, step: step, runDirectory: runDirectory) { out += Summary.renderStep(s) }
            }
        }
        return out
    }
}

/// A running task of this machine whose process no longer exists (killed with its orchestrator).
func processGone(_ t: RunDatabase.TaskState) -> Bool {
    guard t.slurmJob == nil, t.host == localHostName(), let pid = t.pid else { return false }
    return kill(pid_t(pid), 0) != 0 && errno == ESRCH
}

func localHostName() -> String {
    var buf = [CChar](repeating: 0, count: 256)
    gethostname(&buf, buf.count - 1)
    return stringFromCBuffer(buf)
}

import WinnowPipeline
import WinnowSteps

/// The end of `run` and `ablate`: the HTML report (a convenience: failing to write it never
/// fails the run), then an error naming the first failed task, if any.
func reportAndCheckFailures(_ outcome: RunOutcome, runDirectory: String) throws {
    do {
        try writeRunReport(runDirectory: runDirectory, to: "\(runDirectory)/report.html")
        print("report: \(runDirectory)/report.html")
    } catch { eprint("warning: could not write the HTML report: \(error)") }
    if !outcome.failures.isEmpty {
        let f = outcome.failures[0]
        throw RunError("\(outcome.failures.count) task(s) failed; first: \(f.task): \(f.error)")
    }
}

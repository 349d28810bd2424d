import ArgumentParser
import WinnowCore
import WinnowIO
import WinnowReport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a run's self-contained HTML report (graph, funnels, drop reasons with samples, throughput, tokens, training).",
        discussion: "Works on finished, failed and running runs. `winnow run` writes RUN_DIR/report.html at its end.")

    @Argument(help: "Run directory.") var runDirectory: String
    @Option(name: [.short, .customLong("output")], help: "HTML file to write (default: RUN_DIR/report.html).") var output: String?

    func run() throws {
        let path = output ?? "\(runDirectory)/report.html"
        try writeRunReport(runDirectory: runDirectory, to: path)
        print(path)
    }
}

/// Renders and writes the report atomically (a reader never sees half a page).
func writeRunReport(runDirectory: String, to path: String) throws {
    let html = RunHTMLReport.render(try RunReportData(runDirectory: runDirectory))
    try makeDirectories(parentOf: path)
    let out = try AtomicOutput(path: path, compression: .none)
    try out.sink.write(Array(html.utf8))
    try out.commit()
}

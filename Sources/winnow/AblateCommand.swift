import ArgumentParser
import WinnowAblation
import WinnowCore
import WinnowIO
import WinnowPipeline

struct AblateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ablate",
        abstract: "Run an ablation: a base pipeline and variants expanded into one pipeline (shared steps run once), then a results table.",
        discussion: """
        Steps that are the same in several variants (same configuration, same inputs) run once.
        Rerunning resumes like `winnow run`. Results go to RUN_DIR/ablation.json and the report.
        """)

    @Argument(help: "Ablation YAML file.") var file: String
    @Option(help: "Local worker processes (0 = run tasks in this process).") var workers: Int = 1
    @Option(help: "Run directory (default: output_dir from the file, else out/<name>).") var outputDir: String?
    @Flag(help: "Print the expanded pipeline (YAML) and exit.") var printPipeline = false
    @Flag(help: "Discard an existing run of a different configuration and start over.") var force = false
    @Option(help: "Progress output: auto, lines, none.") var progress: String = "auto"

    func run() throws {
        var spec = try AblationSpec.load(file: file)
        if let d = outputDir { spec.outputDir = d }
        let plan = try AblationPlan(spec)
        if printPipeline { print(plan.pipelineYAML, terminator: ""); return }
        var pipeline = try PipelineLoader().load(yaml: plan.pipelineYAML, file: file)
        pipeline.outputDir = spec.outputDir
        var o = LocalExecutor.Options()
        guard workers >= 0 else { throw ValidationError("--workers must be 0 or more") }
        o.workers = workers
        o.force = force
        switch progress {
        case "auto": o.progress = ProgressReporter.defaultStyle
        case "lines": o.progress = .lines
        case "none": o.progress = .none
        default: throw ValidationError("--progress must be auto, lines or none")
        }
        let shared = plan.variants.first.map { v in v.names.filter { n in plan.variants.allSatisfy { $0.merged(n.local) == n.merged } }.count } ?? 0
        eprint("\(spec.name): \(spec.variants.count) variants × \(spec.seeds.count) seeds → \(pipeline.steps.count) steps (\(shared) shared by every variant)")
        let ex = LocalExecutor(spec: pipeline, options: o)
        ex.log = { eprint($0) }
        let outcome = try ex.run()
        let results = AblationResults(plan: plan, runDirectory: spec.outputDir)
        try writeJSON(results.json(plan: plan), to: "\(spec.outputDir)/ablation.json")
        print(results.render(), terminator: "")
        do {
            try writeRunReport(runDirectory: spec.outputDir, to: "\(spec.outputDir)/report.html")
            print("report: \(spec.outputDir)/report.html")
        } catch { eprint("warning: could not write the HTML report: \(error)") }
        if !outcome.failures.isEmpty {
            let f = outcome.failures[0]
            throw RunError("\(outcome.failures.count) task(s) failed; first: \(f.task): \(f.error)")
        }
    }
}

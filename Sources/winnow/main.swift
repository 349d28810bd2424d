import ArgumentParser
import WinnowSteps
import WinnowCore
import WinnowIO
import WinnowPipeline
import WinnowClassify
#if canImport(Glibc)
import Glibc
#endif

/// Writes to stderr without Foundation (Swift 6 rejects the C `stderr` global).
func eprint(_ s: String) {
    var line = s + "\n"
    line.withUTF8 { b in _ = write(2, b.baseAddress, b.count) }
}

struct Winnow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "winnow",
        abstract: "Turn raw web crawls into pretraining data.",
        subcommands: [Run.self, Status.self, WorkerCommand.self, Apply.self, Read.self, ListStages.self, FastTextCommand.self, ClassifierCommand.self, MinHashCommand.self, TextCommand.self, ExtractCommand.self, TokenizerCommand.self, TokensCommand.self, ReportCommand.self, AblateCommand.self, LMCommand.self, EIWCommand.self])
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline; rerunning the same command resumes it.",
        discussion: """
        The run lives in out/<name> (or --output-dir): run.sqlite records steps, tasks and
        attempts; finished tasks are kept on rerun, interrupted or failed ones rerun from scratch.
        A run whose configuration or inputs changed is refused unless --force.
        Exit status: 0 done; 1 a task failed; 2 a configuration error; 3 done, but damaged
        input was skipped (counted in the summary); 128+N stopped by signal N (resumable).
        Slurm: --executor slurm submits one job array per step (afterok between steps) and
        returns; follow it with `winnow status RUN_DIR`, or add --wait.
        """)

    @Argument(help: "Pipeline YAML file.") var pipeline: String
    @Option(help: "Run directory (default: output_dir from the pipeline, else out/<name>).") var outputDir: String?
    @Option(help: "local or slurm.") var executor: String = "local"
    @Option(help: "Local worker processes (0 = run tasks in this process).") var workers: Int = 1
    @Flag(help: "Discard an existing run of a different configuration and start over.") var force = false
    @Option(help: "Progress output: auto (a live line on a terminal, else a line every 30 s), lines, none.") var progress: String = "auto"
    @Option(help: "Slurm: partition.") var partition: String?
    @Option(help: "Slurm: time limit per array task (e.g. 4:00:00).") var time: String?
    @Option(help: "Slurm: CPUs per array task.") var cpusPerTask: Int = 1
    @Option(help: "Slurm: memory per array task (e.g. 4G).") var mem: String?
    @Option(help: "Slurm: at most this many array tasks of a step at once (%max).") var maxParallel: Int?
    @Option(help: "Slurm: tasks run by each array index.") var tasksPerJob: Int = 1
    @Option(help: "Slurm: extra sbatch argument (repeatable).") var sbatchArg: [String] = []
    @Flag(help: "Slurm: wait for the jobs, then print the summary.") var wait = false
    @Flag(help: "Check the pipeline, resolve its inputs and print the plan (steps, units, tasks, input size) without running anything.") var dryRun = false

    func run() throws {
        var spec = try PipelineLoader().load(file: pipeline)
        if let outputDir { spec.outputDir = outputDir }
        if dryRun {
            let plan = try RunPlan.make(spec: spec, runDirectory: spec.outputDir)
            // Building the stages checks their models and lists as a worker would.
            let loader = PipelineLoader()
            for p in plan.steps { _ = try loader.makeStages(p.step.stages) }
            print("\(spec.name): \(plan.steps.count) steps → \(spec.outputDir)  (config \(plan.configHash.prefix(12)))")
            for p in plan.steps {
                let needs = Array(Set(p.step.input.from + p.step.after)).sorted()
                let mb = Double(p.units.reduce(0) { $0 + $1.bytes }) / 1e6
                let size = p.step.input.from.isEmpty && mb > 0 ? Summary.format1(mb) + " MB" : "-"
                print("  \(p.step.name.padding(24)) \(String(p.units.count).padding(5)) units  \(String(p.tasks).padding(4)) tasks  \(size.padding(10))"
                      + (needs.isEmpty ? "" : "after \(needs.joined(separator: ", "))")
                      + (p.step.stages.isEmpty ? "" : "  [\(p.step.stages.map(\.name).joined(separator: ", "))]"))
            }
            return
        }
        let style: ProgressReporter.Style
        switch progress {
        case "auto": style = ProgressReporter.defaultStyle
        case "lines": style = .lines
        case "none": style = .none
        default: throw ValidationError("--progress must be auto, lines or none")
        }
        let outcome: LocalExecutor.Outcome
        switch executor {
        case "local":
            guard workers >= 0 else { throw ValidationError("--workers must be 0 or more") }
            var o = LocalExecutor.Options()
            o.workers = workers
            o.force = force
            o.progress = style
            let ex = LocalExecutor(spec: spec, options: o)
            ex.log = { eprint($0) }
            outcome = try ex.run()
        case "slurm":
            var o = SlurmExecutor.Options()
            o.partition = partition
            o.time = time
            o.cpusPerTask = cpusPerTask
            o.memory = mem
            o.maxParallel = maxParallel
            o.tasksPerJob = tasksPerJob
            o.extraArguments = sbatchArg
            o.force = force
            o.wait = wait
            o.progress = style
            let ex = SlurmExecutor(spec: spec, options: o)
            ex.log = { eprint($0) }
            let (submitted, result) = try ex.submit()
            guard let result else {
                if submitted.isEmpty { eprint("nothing to submit: every task of \(spec.outputDir) is done") }
                print("submitted \(submitted.count) job array(s): \(submitted.map { "\($0.step)=\($0.job)" }.joined(separator: " "))")
                print("follow with: winnow status \(spec.outputDir)")
                return
            }
            outcome = result
        default:
            throw ValidationError("--executor must be local or slurm")
        }
        print(Summary.render(outcome, spec: spec), terminator: "")
        try reportAndCheckFailures(outcome, runDirectory: spec.outputDir)
        let damaged = outcome.steps.reduce(0) { $0 + $1.damage.total }
        if damaged > 0 { throw DamagedInput("\(damaged) damaged input record(s) skipped; counted per step above") }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a run's progress, failures and stats (also while it runs).")
    @Argument(help: "Run directory (e.g. out/quickstart).") var runDirectory: String
    func run() throws { print(try RunStatus.render(runDirectory: runDirectory), terminator: "") }
}

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run tasks of a run (started by `winnow run`; not usually typed by hand).")
    @Argument(help: "Run directory.") var runDirectory: String
    @Option(help: "Name recorded with each attempt.") var workerId: String?
    @Option(help: "Slurm: file whose line SLURM_ARRAY_TASK_ID lists this job's tasks.") var tasksFile: String?
    @Flag(help: "Exit when the parent process dies (local executor).") var dieWithParent = false

    func run() throws {
        if dieWithParent { WinnowPipeline.dieWithParent() }
        let env = { (k: String) in getenv(k).map { String(cString: $0) } }
        let ok: Bool
        if let tasksFile {
            let index = Int(env("SLURM_ARRAY_TASK_ID") ?? "0") ?? 0
            let job = env("SLURM_ARRAY_JOB_ID").map { "\($0)_\(index)" } ?? env("SLURM_JOB_ID")
            let w = try Worker(runDirectory: runDirectory, id: workerId ?? "slurm-\(job ?? "?")", slurmJob: job)
            w.log = { eprint("[\(timestamp())] \($0)") }
            ok = try w.run(tasks: try SlurmExecutor.tasks(fromFile: tasksFile, arrayIndex: index))
        } else {
            let w = try Worker(runDirectory: runDirectory, id: workerId ?? "pid\(getpid())")
            w.log = { eprint("[\(timestamp())] \($0)") }
            ok = try w.runQueue()
        }
        if !ok { throw ExitCode(1) }
    }
}

struct Apply: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run stages over JSONL documents and print the survivors as JSONL.",
        discussion: """
        Stages use the pipeline syntax, e.g.
          winnow apply --stages '[text_length_filter: {min: 100}]' docs.jsonl.gz
          winnow apply --config step.yaml - < docs.jsonl
        Per-stage counts go to stderr.
        """)

    @Option(help: "Stages as inline YAML (a list).") var stages: String?
    @Option(help: "YAML file with a list of stages, or a mapping with 'stages:'.") var config: String?
    @Flag(help: "Also print dropped documents, with metadata.dropped_by and metadata.drop_reason.") var keepDropped = false
    @Argument(help: "JSONL input (plain, .gz or .zst); '-' or nothing for stdin.") var input: String = "-"

    func run() throws {
        let yaml: String
        let file: String
        switch (stages, config) {
        case (let s?, nil): yaml = s; file = "--stages"
        case (nil, let c?):
            guard let t = readTextFile(c) else { throw ValidationError("cannot read \(c)") }
            yaml = t; file = c
        default: throw ValidationError("give exactly one of --stages or --config")
        }
        let stageList = try StageApplier.loadStages(yaml: yaml, file: file)
        let reader = try JSONLReader(path: input)
        let out = try JSONLWriter.standardOutput()
        let r = try StageApplier.run(stages: stageList, input: reader, keepDropped: keepDropped) { try out.write($0) }
        try out.commit()
        eprint("read \(r.read.docsOut) docs (\(r.read.drops.values.reduce(0, +)) bad lines); wrote \(r.written)")
        for s in r.stages {
            eprint("  \(s.name): \(s.docsIn) in, \(s.docsOut) out" + (s.drops.isEmpty ? "" : " — " + s.drops.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))
        }
        for s in r.damage.samples.prefix(5) { eprint("  skipped: \(s.kind) at \(s.location): \(s.detail)") }
        let bad = r.damage.total + r.read.drops.values.reduce(0, +)
        if bad > 0 { throw DamagedInput("\(bad) damaged input line(s) skipped") }
    }
}

struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a WARC/WET/ARC or JSONL file and print its documents as JSONL (or just count them).")

    @Argument(help: "Input file ('-' for stdin).") var input: String
    @Option(help: "warc or jsonl (default: from the file name).") var format: String?
    @Option(help: "WARC record types to turn into documents.") var recordTypes: [String] = ["response", "resource", "conversion"]
    @Option(help: "Stop after this many documents.") var limit: Int?
    @Flag(help: "Only print counts (a throughput check: read + HTTP decode).") var count = false
    @Flag(help: "Check WARC sha1 digests.") var verifyDigests = false

    func run() throws {
        var format: InputFormat?
        if let name = self.format {
            guard let f = InputFormat(rawValue: name) else { throw ValidationError("format must be warc or jsonl") }
            format = f
        }
        var options = WARCDocumentReader.Options()
        options.recordTypes = Set(recordTypes)
        options.verifyDigests = verifyDigests
        options.keepPayload = false
        let reader = try openDocumentReader(path: input, format: format, warc: options)
        let out = count ? nil : try JSONLWriter.standardOutput()
        let t0 = monotonicNanos()
        var n = 0
        var bytes = 0
        while let doc = try reader.next() {
            n += 1
            bytes += doc.text.utf8.count
            try out?.write(doc)
            if let limit, n >= limit { break }
        }
        try out?.commit()
        let secs = Double(monotonicNanos() - t0) / 1e9
        let s = reader.stats
        var msg = "\(input): \(s.docsIn) records, \(n) documents, \(bytes) text bytes, \(reader.inputBytesRead) input bytes in \(Summary.format1(secs * 1000)) ms"
        if secs > 0 { msg += " (\(Summary.format1(Double(reader.inputBytesRead) / 1e6 / secs)) MB/s of input)" }
        eprint(msg)
        if !s.drops.isEmpty { eprint("  skipped: " + s.drops.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) }
        for (k, v) in reader.damage.counts.sorted(by: { $0.key < $1.key }) { eprint("  damage \(k): \(v)") }
        for (k, v) in reader.warnings.counts.sorted(by: { $0.key < $1.key }) { eprint("  warning \(k): \(v)") }
        if reader.damage.total > 0 { throw DamagedInput("\(reader.damage.total) damaged record(s) skipped") }
    }
}

struct ListStages: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stages", abstract: "List the stages this build knows.")
    func run() throws {
        let r = Stages.registry
        let w = r.names.map(\.count).max() ?? 0
        for n in r.names { print(n + String(repeating: " ", count: w - n.count) + "  " + r.factories[n]!.summary) }
    }
}

/// The command finished, but skipped damaged input (counted and located in its report): exit 3.
struct DamagedInput: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

signal(SIGPIPE, SIG_IGN)
do {
    var command = try Winnow.parseAsRoot()
    try command.run()
} catch let e as ConfigError {
    eprint("error: \(e)")
    exit(2)
} catch let e as IOError {
    eprint("error: \(e)")
    exit(1)
} catch let e as RunError {
    eprint("error: \(e)")
    exit(1)
} catch let e as DamagedInput {
    eprint("finished with damaged input: \(e) (exit status 3)")
    exit(3)
} catch let e as RunInterrupted {
    eprint("\(e)")
    exit(128 + e.signal)
} catch {
    Winnow.exit(withError: error)
}

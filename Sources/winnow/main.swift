import ArgumentParser
import WinnowCore
import WinnowIO
import WinnowPipeline
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
        subcommands: [Run.self, Apply.self, Read.self, ListStages.self])
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a pipeline (resumes an existing run directory).")

    @Argument(help: "Pipeline YAML file.") var pipeline: String
    @Option(help: "Run directory (default: output_dir from the pipeline, else out/<name>).") var outputDir: String?
    @Flag(help: "Print each input file as it starts.") var verbose = false

    func run() throws {
        var spec = try PipelineLoader().load(file: pipeline)
        if let outputDir { spec.outputDir = outputDir }
        let runner = LocalRunner(spec: spec)
        if verbose { runner.log = { eprint($0) } }
        let result = try runner.run()
        print(Summary.render(result, spec: spec), terminator: "")
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
} catch {
    Winnow.exit(withError: error)
}

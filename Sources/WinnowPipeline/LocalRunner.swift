import WinnowCore
import WinnowIO
#if canImport(Glibc)
import Glibc
#endif

/// Runs a pipeline in this process. Each input file of a step is processed into its own output
/// shard, named by the file's index in the sorted input list, so output does not depend on how
/// files are grouped into tasks. A file whose stats file exists is done and is skipped on rerun.
public final class LocalRunner {
    public let spec: PipelineSpec
    public let loader: PipelineLoader
    /// Called with human-readable progress lines.
    public var log: (String) -> Void = { _ in }

    public init(spec: PipelineSpec, loader: PipelineLoader = PipelineLoader()) {
        self.spec = spec
        self.loader = loader
    }

    public func stepDirectory(_ step: StepSpec) -> String { "\(spec.outputDir)/steps/\(step.name)" }

    /// The sorted, de-duplicated input files of a step; a pattern matching nothing is an error.
    public func inputFiles(_ step: StepSpec) throws -> [String] {
        let (files, unmatched) = FileGlob.expand(step.input.paths)
        if !unmatched.isEmpty {
            throw ConfigError("no input file matches \(unmatched.map { "'\($0)'" }.joined(separator: ", "))",
                              at: step.input.mark, path: "steps.\(step.name).input.paths")
        }
        return files
    }

    public struct RunResult {
        public var steps: [StepStats]
        public var seconds: Double
        public var skippedFiles: Int
    }

    public func run() throws -> RunResult {
        let t0 = monotonicNanos()
        var results: [StepStats] = []
        var skipped = 0
        for step in spec.steps {
            let files = try inputFiles(step)
            let dir = stepDirectory(step)
            try makeDirectories("\(dir)/stats")
            var perFile = [FileStats?](repeating: nil, count: files.count)
            for task in 0..<step.tasks {
                for i in Self.files(ofTask: task, tasks: step.tasks, fileCount: files.count) {
                    if let done = loadStats("\(dir)/stats/\(shardName(i)).json") {
                        skipped += 1
                        perFile[i] = done
                        continue
                    }
                    log("[\(step.name)] \(files[i])")
                    perFile[i] = try processFile(step, file: files[i], index: i)
                }
            }
            // Merged in input order, so totals and damage samples do not depend on the task count.
            var stepStats = StepStats(step: step.name, stageNames: step.stages.map(\.name))
            for fs in perFile { stepStats.add(fs!) }
            stepStats.outputs = files.indices.map { "\(dir)/\(shardName($0)).jsonl\(step.output.compression.fileExtension)" }
            results.append(stepStats)
            try writeJSON(stepStats.json(), to: "\(dir)/step-stats.json")
        }
        let run = RunResult(steps: results, seconds: Double(monotonicNanos() - t0) / 1e9, skippedFiles: skipped)
        var o = JSONObject()
        o["pipeline"] = .string(spec.name)
        o["steps"] = .array(results.map { $0.json() })
        try writeJSON(.object(o), to: "\(spec.outputDir)/stats.json")
        return run
    }

    /// The input files (by index in the sorted list) that task `task` of `tasks` processes:
    /// round-robin, as datatrove assigns files to ranks.
    public static func files(ofTask task: Int, tasks: Int, fileCount: Int) -> StrideTo<Int> {
        stride(from: task, to: fileCount, by: tasks)
    }

    func shardName(_ i: Int) -> String {
        let s = String(i)
        return String(repeating: "0", count: max(0, 5 - s.count)) + s
    }

    /// Reads one file through the stages into its output shard, committing atomically.
    func processFile(_ step: StepSpec, file: String, index: Int) throws -> FileStats {
        let dir = stepDirectory(step)
        let name = shardName(index)
        let ext = ".jsonl" + step.output.compression.fileExtension
        let chain = StageChain(try loader.makeStages(step.stages))
        let reader = try openDocumentReader(path: file, format: step.input.format, warc: step.input.warc)
        let writer = try JSONLWriter(path: "\(dir)/\(name)\(ext)", compression: step.output.compression)
        let droppedWriter = step.output.keepDropped
            ? try JSONLWriter(path: "\(dir)/dropped/\(name)\(ext)", compression: step.output.compression) : nil
        var stats = FileStats(input: file, stageNames: step.stages.map(\.name))
        let t0 = monotonicNanos()
        while var doc = try reader.next() {
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
        }
        stats.read = reader.stats
        stats.read.nanoseconds = (monotonicNanos() - t0) - chain.stats.reduce(0) { $0 + $1.nanoseconds }
        stats.stages = chain.stats
        stats.damage = reader.damage
        stats.warnings = reader.warnings
        stats.inputBytes = reader.inputBytesRead
        try writer.commit()
        try droppedWriter?.commit()
        if !stats.damage.isEmpty || !stats.warnings.isEmpty {
            try writeDamageLog(stats, to: "\(spec.outputDir)/logs/\(step.name)/\(name).log")
        }
        // The stats file is the completion marker: written last, atomically.
        try writeJSON(stats.json(), to: "\(dir)/stats/\(name).json")
        return stats
    }

    func loadStats(_ path: String) -> FileStats? {
        guard let text = readTextFile(path), let v = try? JSONParser.parse(text) else { return nil }
        return FileStats(json: v)
    }

    func writeDamageLog(_ s: FileStats, to path: String) throws {
        var lines = "input: \(s.input)\n"
        for (k, v) in s.damage.counts.sorted(by: { $0.key < $1.key }) { lines += "damage \(k): \(v)\n" }
        for x in s.damage.samples { lines += "  \(x.kind) at \(x.location): \(x.detail)\n" }
        for (k, v) in s.warnings.counts.sorted(by: { $0.key < $1.key }) { lines += "warning \(k): \(v)\n" }
        for x in s.warnings.samples { lines += "  \(x.kind) at \(x.location): \(x.detail)\n" }
        let out = try AtomicOutput(path: path, compression: .none)
        try out.sink.write(Array(lines.utf8))
        try out.commit()
    }
}

/// Writes pretty-enough JSON atomically.
public func writeJSON(_ v: JSONValue, to path: String) throws {
    var bytes: [UInt8] = []
    JSONWriter.write(v, to: &bytes)
    bytes.append(0x0A)
    let out = try AtomicOutput(path: path, compression: .none)
    try out.sink.write(bytes)
    try out.commit()
}

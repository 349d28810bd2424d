import WinnowCore
import WinnowIO

/// A pipeline as written in YAML: named steps forming a DAG, each a reader, a list of stages
/// and a writer.
///
/// ```yaml
/// name: quickstart
/// steps:
///   - name: html
///     input: {paths: [samples/warc/*.warc.gz], format: warc, record_types: [response]}
///     tasks: 4
///     stages:
///       - content_type_filter: {allow: [text/html]}
///     output: {compression: zstd}
///   - name: long
///     input: {from: html}          # the documents step `html` wrote; implies `after: [html]`
///     stages: [text_length_filter: {min: 500}]
/// ```
public struct PipelineSpec: Sendable {
    public var name: String
    /// Run directory; default `out/<name>` relative to the working directory.
    public var outputDir: String
    /// Steps in file order; `executionOrder` gives a topological order.
    public var steps: [StepSpec]
    /// The file the spec came from (marks in errors refer to it).
    public var file: String
    /// The YAML text, kept so workers rebuild exactly the same pipeline.
    public var yaml: String
    /// The configuration without marks or comments, for the run's config hash.
    public var canonical: JSONValue

    public init(name: String, outputDir: String, steps: [StepSpec], file: String, yaml: String, canonical: JSONValue) {
        self.name = name; self.outputDir = outputDir; self.steps = steps; self.file = file; self.yaml = yaml; self.canonical = canonical
    }

    public func step(named name: String) -> StepSpec? { steps.first { $0.name == name } }

    /// Steps sorted so every step comes after the steps it depends on (ties in file order).
    public var executionOrder: [StepSpec] {
        var done = Set<String>()
        var out: [StepSpec] = []
        while out.count < steps.count {
            guard let next = steps.first(where: { !done.contains($0.name) && $0.dependencies.allSatisfy(done.contains) }) else { break }
            out.append(next)
            done.insert(next.name)
        }
        return out
    }
}

public struct StepSpec: Sendable {
    public var name: String
    public var kind: any StepKind = DocumentStep()
    public var input: InputSpec
    public var tasks: Int
    /// Steps that must finish before this one starts (explicit `after:` plus `input.from`).
    public var after: [String]
    public var stages: [StageSpec]
    public var output: OutputSpec
    public var mark: SourceMark

    public init(name: String, kind: any StepKind = DocumentStep(), input: InputSpec, tasks: Int, after: [String], stages: [StageSpec],
                output: OutputSpec, mark: SourceMark) {
        self.name = name; self.kind = kind; self.input = input; self.tasks = tasks; self.after = after
        self.stages = stages; self.output = output; self.mark = mark
    }

    /// The stage rows its stats carry (a kind may add its own).
    public var reportedStageNames: [String] { kind.reportedStageNames(self) }

    public var dependencies: [String] {
        var d = after
        for s in input.from where !d.contains(s) { d.append(s) }
        return d
    }
}

public struct InputSpec: Sendable {
    /// Paths or glob patterns, relative to the working directory (as in datatrove).
    public var paths: [String]
    /// Earlier steps whose output documents are this step's input (in that order).
    public var from: [String] = []
    /// nil: guessed per file from its name.
    public var format: InputFormat?
    public var warc = WARCDocumentReader.Options()
    /// Where JSONL lines keep text, id and URL (`text_key`, `id_key`, `url_key`, `default_metadata`).
    public var jsonl = JSONLFields()
    /// Gzip'd WARC files larger than this are read as several units of work (0 = never split).
    public var splitBytes = 256 << 20
    public var mark: SourceMark

    public init(paths: [String], from: [String], format: InputFormat?, mark: SourceMark) {
        self.paths = paths; self.from = from; self.format = format; self.mark = mark
    }
}

public struct StageSpec: @unchecked Sendable {
    public var name: String
    public var parameters: ConfigNode?
    public var path: String
    public var mark: SourceMark

    public init(name: String, parameters: ConfigNode?, path: String, mark: SourceMark) {
        self.name = name; self.parameters = parameters; self.path = path; self.mark = mark
    }
}

public struct OutputSpec: Sendable {
    /// The registered output format (`output.format`, default `jsonl`).
    public var format: any OutputFormat = JSONLOutput()
    public var compression: Compression = .zstd
    /// Also write dropped documents (annotated with stage and reason) under `dropped/`.
    public var keepDropped = false

    public init() {}
}

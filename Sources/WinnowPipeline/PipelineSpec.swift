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

/// Document dedup through the signature → bucket → cluster → filter steps. `minhash` compares
/// MinHash band signatures; `exact` uses one 64-bit hash of the whitespace-normalised text
/// (`normalize: simplify` uses datatrove's simplify_text instead); `url` one hash of
/// `metadata.url` (scheme and host lowercased, fragment dropped). The first occurrence in input
/// order is kept.
public struct MinHashSpec: Sendable, Equatable {
    public enum Method: String, Sendable { case minhash, exact, url }
    public var method = Method.minhash
    public var normalize = "whitespace"
    public var shingles = "cjk"
    public var ngrams = 5
    public var bands = 14
    public var rows = 8
    public var hash = "xxhash"
    public var bits = 64
    public var seed: UInt32 = 1
    public var permutations = "datatrove"
    /// datatrove's `save_cluster_id` / `save_cluster_size` + `load_cluster_ids` / `load_cluster_sizes`:
    /// `minhash_cluster_id` (−1 outside any cluster) and `minhash_cluster_size` (1) in metadata.
    /// Which document of a cluster survives: `first` (input order; MAP-CC's first node),
    /// `fineweb-2024` (datatrove 0.2.0's union: the first document of each pair takes the
    /// second's set), `datatrove-current` (union by size), over the pairs in datatrove's order.
    public var survivor = "first"
    /// `fineweb-2024`: `shingles: words` as datatrove 0.2.0 made them (its `simplify_text`, NLTK
    /// `word_tokenize` with the punkt_tab model at `punkt`, NLTK release `nltk`).
    public var preset = "datatrove-current"
    public var punkt: String? = nil
    public var nltk = "3.8.1"
    public var clusterIDs = false
    public var clusterSizes = false

    /// The filter's stage name and drop reason in stats (`minhash_dedup`, `exact_duplicate`, …).
    public var stageName: String { method == .minhash ? "minhash_dedup" : "\(method.rawValue)_dedup" }
    public var dropReason: String { "\(method.rawValue)_duplicate" }
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
}

public struct StageSpec: @unchecked Sendable {
    public var name: String
    public var parameters: ConfigNode?
    public var path: String
    public var mark: SourceMark
}

public struct OutputSpec: Sendable {
    /// The registered output format (`output.format`, default `jsonl`).
    public var format: any OutputFormat = JSONLOutput()
    public var compression: Compression = .zstd
    /// Also write dropped documents (annotated with stage and reason) under `dropped/`.
    public var keepDropped = false
}

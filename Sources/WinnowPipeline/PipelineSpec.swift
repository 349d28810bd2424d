import WinnowCore
import WinnowIO

/// A pipeline as written in YAML: named steps, each a reader, a list of stages and a writer.
///
/// ```yaml
/// name: quickstart
/// steps:
///   - name: html
///     input: {paths: [samples/warc/*.warc.gz], format: warc, record_types: [response]}
///     tasks: 1
///     stages:
///       - content_type_filter: {allow: [text/html]}
///     output: {format: jsonl, compression: zstd}
/// ```
public struct PipelineSpec: Sendable {
    public var name: String
    /// Run directory; default `out/<name>` relative to the working directory.
    public var outputDir: String
    public var steps: [StepSpec]
    /// The file the spec came from (marks in errors refer to it).
    public var file: String
}

public struct StepSpec: Sendable {
    public var name: String
    public var input: InputSpec
    public var tasks: Int
    public var stages: [StageSpec]
    public var output: OutputSpec
    public var mark: SourceMark
}

public struct InputSpec: Sendable {
    /// Paths or glob patterns, relative to the working directory (as in datatrove).
    public var paths: [String]
    /// nil: guessed per file from its name.
    public var format: InputFormat?
    public var warc = WARCDocumentReader.Options()
    public var mark: SourceMark
}

public struct StageSpec: @unchecked Sendable {
    public var name: String
    public var parameters: ConfigNode?
    public var path: String
    public var mark: SourceMark
}

public struct OutputSpec: Sendable {
    public var compression: Compression = .zstd
    /// Also write dropped documents (annotated with stage and reason) under `dropped/`.
    public var keepDropped = false
}

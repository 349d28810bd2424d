import WinnowCore
import WinnowIO

/// Where a document step writes a unit's documents. A sink writes under a temporary name and
/// makes its file(s) appear only on `commit()` (the run records what was committed).
public protocol DocumentSink: AnyObject {
    func write(_ doc: Document) throws
    func commit() throws
}

/// An output format, selected by `output: {format: NAME, ...}`: how a unit's shard is named and
/// written. Registered in `OutputFormats.registry`: adding one is one file plus one line.
public protocol OutputFormat: Sendable {
    var name: String { get }
    /// True when later steps can read the shards as documents (`input: {from: ...}`).
    var readableAsDocuments: Bool { get }
    /// The suffix of a unit's shard name (`NNNNN` + suffix), e.g. `.jsonl.zst`.
    func fileSuffix(_ output: OutputSpec) -> String
    func open(path: String, output: OutputSpec) throws -> any DocumentSink
    /// The format's own keys of the `output:` mapping, beyond `format`, `compression`,
    /// `keep_dropped`; returns the configured format.
    func configure(_ keys: inout ConfigMap) throws -> any OutputFormat
    var ownKeys: [String] { get }
}

extension OutputFormat {
    public var ownKeys: [String] { [] }
    public func configure(_ keys: inout ConfigMap) throws -> any OutputFormat { self }
}

public enum OutputFormats {
    public static let registry: [String: any OutputFormat] = [
        "jsonl": JSONLOutput(),
    ]
}

/// JSONL documents in the datatrove/Dolma schema, plain, gzip or zstd (`compression`).
public struct JSONLOutput: OutputFormat {
    public init() {}
    public var name: String { "jsonl" }
    public var readableAsDocuments: Bool { true }
    public func fileSuffix(_ output: OutputSpec) -> String { ".jsonl" + output.compression.fileExtension }
    public func open(path: String, output: OutputSpec) throws -> any DocumentSink {
        try JSONLWriter(path: path, compression: output.compression)
    }
}

extension JSONLWriter: DocumentSink {}

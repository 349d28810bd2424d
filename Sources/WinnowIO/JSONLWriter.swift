import WinnowCore

/// Writes documents as datatrove/Dolma JSONL, atomically (temp file renamed on `commit`).
public final class JSONLWriter {
    private let output: AtomicOutput
    private var line: [UInt8] = []
    public private(set) var documents = 0
    public private(set) var bytesWritten = 0

    public init(path: String, compression: Compression? = nil) throws {
        output = try AtomicOutput(path: path, compression: compression ?? Compression.guess(path: path))
        line.reserveCapacity(1 << 16)
    }

    public var path: String { output.finalPath }

    public func write(_ doc: Document) throws {
        line.removeAll(keepingCapacity: true)
        doc.writeJSONLine(to: &line)
        try output.sink.write(line)
        documents += 1
        bytesWritten += line.count
    }

    public func commit() throws { try output.commit() }
    public func abort() { output.abort() }
}

/// Writes JSONL to standard output (for `winnow apply` / `winnow read`).
public final class JSONLStdoutWriter {
    private let sink: FileSink
    private var line: [UInt8] = []

    public init() throws { sink = try FileSink(path: "-") }

    public func write(_ doc: Document) throws {
        line.removeAll(keepingCapacity: true)
        doc.writeJSONLine(to: &line)
        try sink.write(line)
    }

    public func finish() throws { try sink.finish() }
}

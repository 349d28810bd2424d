import WinnowCore

/// Writes documents as datatrove/Dolma JSONL: to a file atomically (temp file renamed on
/// `commit`), or to standard output.
public final class JSONLWriter {
    private let sink: ByteSink
    private let atomic: AtomicOutput?
    private var line: [UInt8] = []
    public private(set) var documents = 0
    public private(set) var bytesWritten = 0

    /// A file; compression from the argument or else the file name.
    public init(path: String, compression: Compression? = nil) throws {
        let out = try AtomicOutput(path: path, compression: compression ?? Compression.guess(path: path))
        atomic = out
        sink = out.sink
        line.reserveCapacity(1 << 16)
    }

    private init(sink: ByteSink) {
        atomic = nil
        self.sink = sink
    }

    /// Standard output, uncompressed.
    public static func standardOutput() throws -> JSONLWriter { JSONLWriter(sink: try FileSink(path: "-")) }

    public func write(_ doc: Document) throws {
        line.removeAll(keepingCapacity: true)
        doc.writeJSONLine(to: &line)
        try sink.write(line)
        documents += 1
        bytesWritten += line.count
    }

    /// Completes the output (renames a file into place; flushes stdout).
    public func commit() throws {
        if let atomic { try atomic.commit() } else { try sink.finish() }
    }

    public func abort() { atomic?.abort() }
}

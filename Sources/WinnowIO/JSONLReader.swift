import WinnowCore

/// Reads datatrove/Dolma JSONL (plain, gzip or zstd). A malformed line is counted with its
/// `file:line` and skipped.
public final class JSONLReader: DocumentReader {
    private let buffer: StreamBuffer
    private let path: String
    private var lineNumber = 0
    public private(set) var stats = StageStats(name: "read")
    private var lineDamage = DamageReport()
    public private(set) var warnings = DamageReport()
    public var inputBytesRead: Int { buffer.source.inputBytesRead }

    public init(path: String) throws {
        self.path = path
        buffer = StreamBuffer(source: try openByteSource(path))
    }

    public init(source: ByteSource) {
        path = source.path
        buffer = StreamBuffer(source: source)
    }

    /// All damage: the compressed stream's and the lines'.
    public var damage: DamageReport {
        var d = buffer.source.damage
        d.merge(lineDamage)
        return d
    }

    public func next() throws -> Document? {
        while true {
            let nl = try buffer.find(0x0A)
            let len = nl ?? buffer.count
            if nl == nil && len == 0 { return nil }
            lineNumber += 1
            let lineStart = buffer.offset
            let line = UnsafeBufferPointer(rebasing: buffer.view[0..<len])
            let gapInside = buffer.gap(in: lineStart...(lineStart + len)) != nil
            defer { buffer.consume(nl.map { $0 + 1 } ?? len) }
            var blank = true
            for c in line where c != 0x20 && c != 0x09 && c != 0x0D { blank = false; break }
            if blank { continue }
            stats.docsIn += 1
            stats.bytesIn += len
            if gapInside {
                lineDamage.record("jsonl_line_lost_to_corruption", at: "\(path):\(lineNumber)", "line straddles bytes lost in decompression")
                stats.drops["corrupt_line", default: 0] += 1
                continue
            }
            do {
                let doc = try Document(json: try JSONParser.parse(line))
                stats.docsOut += 1
                stats.bytesOut += doc.text.utf8.count
                return doc
            } catch {
                lineDamage.record("jsonl_malformed_line", at: "\(path):\(lineNumber)", "\(error)")
                stats.drops["malformed_line", default: 0] += 1
            }
        }
    }
}


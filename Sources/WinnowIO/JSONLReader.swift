import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// Where a JSONL line keeps a document's parts, like datatrove's reader adapters: CCNet and
/// CT-LLM write the text as `raw_content` and the URL at the top level, Dolma uses `text`/`id`
/// with `metadata`. Fields not named here stay on the document as they were.
public struct JSONLFields: Sendable, Equatable {
    public var textKey = "text"
    public var idKey = "id"
    /// A top-level field that becomes `metadata.url` (unless the metadata has one).
    public var urlKey: String?
    /// Metadata a document gets when it lacks the key (e.g. `source: ccnet`).
    public var metadataDefaults = JSONObject()

    public init(textKey: String = "text", idKey: String = "id", urlKey: String? = nil, metadataDefaults: JSONObject = JSONObject()) {
        self.textKey = textKey; self.idKey = idKey; self.urlKey = urlKey; self.metadataDefaults = metadataDefaults
    }

    var isDatatrove: Bool { textKey == "text" && idKey == "id" && urlKey == nil && metadataDefaults.isEmpty }

    struct FieldError: Error, CustomStringConvertible { let description: String }

    /// The document a parsed line describes.
    func document(_ json: JSONValue) throws -> Document {
        if isDatatrove { return try Document(json: json) }
        guard case .object(let obj) = json else { throw FieldError(description: "line is not a JSON object") }
        var id: String?, text: String?, url: JSONValue?
        var metadata = JSONObject(), extra = JSONObject()
        for (k, v) in obj {
            if k == textKey {
                guard case .string(let s) = v else { throw FieldError(description: "\"\(k)\" must be a string") }
                text = s
            } else if k == idKey {
                switch v {
                case .string(let s): id = s
                case .number(let n): id = n
                default: throw FieldError(description: "\"\(k)\" must be a string or number")
                }
            } else if k == "metadata" {
                switch v {
                case .object(let m): metadata = m
                case .null: break
                default: throw FieldError(description: "\"metadata\" must be an object")
                }
            } else if k == urlKey {
                url = v
            } else {
                extra.append(k, v)
            }
        }
        guard let text else { throw FieldError(description: "missing \"\(textKey)\"") }
        if let url, let urlKey {
            if metadata["url"] == nil { metadata["url"] = url } else { extra.append(urlKey, url) }
        }
        for (k, v) in metadataDefaults where metadata[k] == nil { metadata.append(k, v) }
        return Document(id: id ?? "", text: text, metadata: metadata, extra: extra)
    }
}

/// Reads datatrove/Dolma JSONL (plain, gzip or zstd), or other layouts through `fields`. A
/// malformed line is counted with its `file:line` and skipped. A UTF-8 byte order mark before
/// the first line is skipped; lines end at LF, CRLF or a lone CR.
public final class JSONLReader: DocumentReader {
    private let buffer: StreamBuffer
    private let path: String
    private let fields: JSONLFields
    private var lineNumber = 0
    /// The last line ended with a CR: an LF right after it belongs to that line break.
    private var afterCR = false
    public private(set) var stats = StageStats(name: "read")
    private var lineDamage = DamageReport()
    /// The byte source's (e.g. zstd frames without a checksum, which cannot be verified).
    public var warnings: DamageReport { buffer.source.warnings }
    public var inputBytesRead: Int { buffer.source.inputBytesRead }

    public init(path: String, fields: JSONLFields = JSONLFields()) throws {
        self.path = path
        self.fields = fields
        buffer = StreamBuffer(source: try openByteSource(path))
    }

    public init(source: ByteSource, fields: JSONLFields = JSONLFields()) {
        path = source.path
        self.fields = fields
        buffer = StreamBuffer(source: source)
    }

    /// All damage: the compressed stream's and the lines'.
    public var damage: DamageReport {
        var d = buffer.source.damage
        d.merge(lineDamage)
        return d
    }

    /// The first CR at or after the read position found so far (stream offset), and how far
    /// the stream has been searched for one: each byte is searched for a CR once, not once per
    /// line (CR-free files are the rule).
    private var nextCR: Int?
    private var searchedForCR = 0

    /// The index of the first LF or CR in the unconsumed bytes (nil at the end of the input).
    /// JSON strings cannot hold a raw CR or LF, so either one outside a string ends a record: a
    /// bare CR between records (old Mac line ends) is a line break, not part of the line.
    private func findLineEnd() throws -> Int? {
        var i = 0
        while true {
            let v = buffer.view
            let offset = buffer.offset
            if i < v.count, let base = v.baseAddress {
                let lf = memchr(base + i, 0x0A, v.count - i)
                let lfAt = lf.map { i + (UnsafeRawPointer($0) - UnsafeRawPointer(base + i)) } ?? v.count
                if let c = nextCR, c < offset { nextCR = nil }
                if nextCR == nil && searchedForCR < offset + v.count {
                    let from = max(searchedForCR, offset) - offset
                    if let p = memchr(base + from, 0x0D, v.count - from) {
                        nextCR = offset + (UnsafeRawPointer(p) - UnsafeRawPointer(base))
                        searchedForCR = nextCR! + 1
                    } else {
                        searchedForCR = offset + v.count
                    }
                }
                if let c = nextCR, c - offset < lfAt { return c - offset }
                if lf != nil { return lfAt }
                i = v.count
            }
            if !(try buffer.fill()) { return nil }
        }
    }

    public func next() throws -> Document? {
        if lineNumber == 0, try buffer.ensure(3) {
            let v = buffer.view
            if v[0] == 0xEF && v[1] == 0xBB && v[2] == 0xBF { buffer.consume(3) }
        }
        while true {
            if afterCR {
                afterCR = false
                if try buffer.ensure(1), buffer.view[0] == 0x0A { buffer.consume(1) }
            }
            let end = try findLineEnd()
            let len = end ?? buffer.count
            if end == nil && len == 0 { return nil }
            lineNumber += 1
            let lineStart = buffer.offset
            let line = UnsafeBufferPointer(rebasing: buffer.view[0..<len])
            let gapInside = buffer.gap(in: lineStart...(lineStart + len)) != nil
            if let end, buffer.view[end] == 0x0D { afterCR = true }
            defer { buffer.consume(end.map { $0 + 1 } ?? len) }
            var blank = true
            for c in line where c != 0x20 && c != 0x09 { blank = false; break }
            if blank { continue }
            stats.docsIn += 1
            stats.bytesIn += len
            if gapInside {
                lineDamage.record("jsonl_line_lost_to_corruption", at: "\(path):\(lineNumber)", "line straddles bytes lost in decompression")
                stats.drops["corrupt_line", default: 0] += 1
                continue
            }
            do {
                let doc = try fields.document(try JSONParser.parse(line))
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

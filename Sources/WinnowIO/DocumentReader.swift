#if canImport(Glibc)
import Glibc
#endif
import WinnowCore

/// A stream of documents from one input file. `stats` counts what was read (docs_in = records
/// or lines seen, docs_out = documents produced, drops = what was skipped and why), `damage`
/// what was unreadable, `warnings` what was read despite an anomaly.
public protocol DocumentReader: AnyObject {
    func next() throws -> Document?
    var stats: StageStats { get }
    var damage: DamageReport { get }
    var warnings: DamageReport { get }
    /// Bytes of the input file consumed so far.
    var inputBytesRead: Int { get }
}

/// Input formats, chosen explicitly or from the file name.
public enum InputFormat: String, Sendable, CaseIterable {
    case warc, jsonl

    public static func guess(path: String) -> InputFormat? {
        let p = path.lowercased()
        for ext in [".gz", ".zst", ".zstd"] where p.hasSuffix(ext) { return guess(path: String(p.dropLast(ext.count))) }
        if p.hasSuffix(".warc") || p.hasSuffix(".arc") || p.hasSuffix(".wet") || p.hasSuffix(".wat") { return .warc }
        if p.hasSuffix(".jsonl") || p.hasSuffix(".json") || p.hasSuffix(".ndjson") { return .jsonl }
        return nil
    }
}

/// Opens `path` as documents: WARC/WET/ARC or JSONL, from `format`, else the file name, else
/// the first decoded bytes (so `x.gz` or `-` holding either reads).
public func openDocumentReader(path: String, format: InputFormat?, warc: WARCDocumentReader.Options = .init(),
                               jsonl: JSONLFields = JSONLFields(), split: Range<Int>? = nil) throws -> DocumentReader {
    switch format ?? InputFormat.guess(path: path) {
    case .warc?:
        if let split {
            let source = try GzipSource(path: path, split: split, memberPrefix: Array("WARC/".utf8))
            return WARCDocumentReader(reader: WARCReader(source: source), options: warc)
        }
        return try WARCDocumentReader(path: path, options: warc)
    case .jsonl?:
        if split != nil { throw IOError(path, "JSONL files are read whole, not in splits") }
        return try JSONLReader(path: path, fields: jsonl)
    case nil:
        if split != nil { throw IOError(path, "only WARC files named as such are read in splits") }
        let (sniffed, source) = try InputFormat.sniff(try openByteSource(path))
        switch sniffed {
        case .warc?: return WARCDocumentReader(reader: WARCReader(source: source), options: warc)
        case .jsonl?: return JSONLReader(source: source, fields: jsonl)
        case nil: throw IOError(path, "cannot tell the format from the file name or its first bytes; set the format (warc or jsonl)")
        }
    }
}

extension InputFormat {
    /// The format the first decoded bytes show — `WARC/` (or ARC's `filedesc://`) is WARC, `{`
    /// is JSONL, after any byte order mark and whitespace; an empty input is JSONL (no
    /// documents) — and a source that replays those bytes before the rest.
    static func sniff(_ source: ByteSource) throws -> (InputFormat?, ByteSource) {
        var head: [UInt8] = []
        var ended = false, gap = false
        while head.count < 64 {
            guard let chunk = try source.next() else { ended = true; break }
            head.append(contentsOf: chunk.bytes)
            gap = gap || chunk.gapBefore
        }
        var i = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < head.count && (head[i] == 0x20 || head[i] == 0x09 || head[i] == 0x0A || head[i] == 0x0D) { i += 1 }
        let rest = head[i...]
        let format: InputFormat?
        if rest.starts(with: Array("WARC/".utf8)) || rest.starts(with: Array("filedesc://".utf8)) { format = .warc }
        else if rest.first == UInt8(ascii: "{") || (rest.isEmpty && ended) { format = .jsonl }
        else { format = nil }
        return (format, PrefixedSource(prefix: head, gap: gap, inner: source))
    }
}

/// Turns WARC records into documents. Responses give their decoded HTTP body (de-chunked,
/// content-decoded); WET `conversion` and `resource` records give their block.
public final class WARCDocumentReader: DocumentReader {
    public struct Options: Sendable {
        public var recordTypes: Set<String> = ["response", "resource", "conversion"]
        /// Check WARC-Payload-Digest / WARC-Block-Digest (sha1) and warn on mismatch.
        public var verifyDigests = false
        /// Keep the decoded payload bytes on the document for charset-aware stages.
        public var keepPayload = true
        public init() {}
    }

    private let warc: WARCReader
    private let options: Options
    public private(set) var stats = StageStats(name: "read")
    private var recordWarnings = DamageReport()
    /// Read despite an anomaly: the records' (HTTP, digests) and the byte source's (e.g. zstd
    /// frames without a checksum, which cannot be verified).
    public var warnings: DamageReport {
        var w = recordWarnings
        w.merge(warc.sourceWarnings)
        return w
    }
    public var damage: DamageReport { warc.allDamage }
    public var inputBytesRead: Int { warc.buffer.source.inputBytesRead }

    public init(path: String, options: Options = Options()) throws {
        warc = try WARCReader(path: path)
        self.options = options
    }

    public init(reader: WARCReader, options: Options = Options()) {
        warc = reader
        self.options = options
    }

    public func next() throws -> Document? {
        while let result = try warc.nextRecord({ rec -> Document? in
            stats.docsIn += 1
            stats.bytesIn += rec.block.count
            let type = rec.type
            guard options.recordTypes.contains(type) else {
                stats.drops["skipped_\(type)", default: 0] += 1
                return nil
            }
            return makeDocument(rec)
        }) {
            if let doc = result {
                stats.docsOut += 1
                stats.bytesOut += doc.text.utf8.count
                return doc
            }
        }
        return nil
    }

    private func where_(_ rec: WARCRecordView) -> String { "\(warc.path)@\(rec.streamOffset) \(rec.recordID ?? "")" }

    private func makeDocument(_ rec: WARCRecordView) -> Document? {
        var meta = JSONObject()
        if let u = rec.targetURI { meta["url"] = .string(u) }
        if let d = rec.date { meta["date"] = .string(d) }
        var decodedBody: [UInt8]?        // set only when a transfer/content coding changed the bytes
        var bodyRange = 0..<rec.block.count
        if rec.hasHTTPBlock {
            let parsed: (HTTPHead, HTTPBodyDecoder.Result?)? = {
                let b = rec.block
                guard let head = HTTPHead.parse(b) else { return nil }
                guard HTTPBodyDecoder.needsDecoding(head.headers) else { return (head, nil) }
                return (head, HTTPBodyDecoder.decode(UnsafeBufferPointer(rebasing: b[head.bodyOffset...]), headers: head.headers))
            }()
            guard let (head, decoded) = parsed else {
                stats.drops["unparseable_http_head", default: 0] += 1
                recordWarnings.record("http_unparseable_head", at: where_(rec), "no blank line after the HTTP head")
                return nil
            }
            bodyRange = head.bodyOffset..<rec.block.count
            if let decoded {
                for p in decoded.problems { recordWarnings.record(p, at: where_(rec), head.headers["Content-Encoding"] ?? head.headers["Transfer-Encoding"] ?? "") }
                decodedBody = decoded.body
            }
            if let s = head.status { meta["http_status"] = .int(s) }
            if let ct = head.headers["Content-Type"] { meta["content_type"] = .string(mediaTypeOf(ct)) }
            if let cs = head.charset { meta["charset_declared"] = .string(cs) }
        } else {
            if let ct = rec.contentType { meta["content_type"] = .string(mediaTypeOf(ct)) }
        }
        if let ipt = rec.headers["WARC-Identified-Payload-Type"], !ipt.isEmpty {
            meta["identified_content_type"] = .string(mediaTypeOf(ipt))
        }
        if let lang = rec.headers["WARC-Identified-Content-Language"] { meta["warc_languages"] = .string(lang) }
        if options.verifyDigests { verifyDigests(rec, payloadRange: bodyRange) }
        func text(_ b: UnsafeBufferPointer<UInt8>) -> String {
            if let valid = String(validating: b, as: UTF8.self) { return valid }
            meta["utf8_repaired"] = .bool(true)
            return String(decoding: b, as: UTF8.self)
        }
        let body: String
        let payload: [UInt8]?
        if let decodedBody {
            body = decodedBody.withUnsafeBufferPointer { text($0) }
            payload = options.keepPayload ? decodedBody : nil
        } else {
            body = text(UnsafeBufferPointer(rebasing: rec.block[bodyRange]))
            payload = options.keepPayload ? Array(rec.block[bodyRange]) : nil
        }
        return Document(id: rec.recordID ?? "\(warc.path)@\(rec.streamOffset)", text: body, metadata: meta, payload: payload)
    }

    private func verifyDigests(_ rec: WARCRecordView, payloadRange: Range<Int>) {
        func check(_ header: String, _ range: Range<Int>) {
            guard let value = rec.headers[header], value.lowercased().hasPrefix("sha1:") else { return }
            let expected = String(value.dropFirst(5)).uppercased().replacingPadding()
            let digest = SHA1.hash(rec.block[range])
            // WARC writers use base32 (the spec); a few write hex.
            if Base32.encode(digest).replacingPadding() != expected && Hex.encode(digest).uppercased() != expected {
                recordWarnings.record("\(header == "WARC-Block-Digest" ? "block" : "payload")_digest_mismatch", at: where_(rec), value)
            }
        }
        check("WARC-Block-Digest", 0..<rec.block.count)
        check("WARC-Payload-Digest", payloadRange)
    }
}

extension String {
    fileprivate func replacingPadding() -> String { contains("=") ? String(filter { $0 != "=" }) : self }
}

/// Byte-range splits of input files, so one large file can be shared by several tasks.
public enum InputSplits {
    /// The splits of a file of `size` bytes (equal ranges of at most `splitBytes`), or nil
    /// when it must be read whole. Only gzip'd
    /// WARC files split: each record is its own gzip member (the Common Crawl layout), and a
    /// split reads the members that start inside it. Anything else is one split.
    public static func plan(path: String, size: Int, format: InputFormat?, splitBytes: Int) -> [Range<Int>]? {
        guard splitBytes > 0, size > splitBytes,
              (format ?? InputFormat.guess(path: path)) == .warc,
              !path.lowercased().contains(".arc"),
              isGzip(path) else { return nil }
        // n equal ranges of at most splitBytes, rather than full ones and a small remainder,
        // so units (and the tasks made of them) are of even size.
        let n = (size + splitBytes - 1) / splitBytes
        return (0..<n).map { i in (i * size / n)..<((i + 1) * size / n) }
    }

    static func isGzip(_ path: String) -> Bool {
        guard let r = try? FileReader(path: path) else { return false }
        var magic: [UInt8] = [0, 0]
        let n = (try? magic.withUnsafeMutableBytes { try r.read(into: $0.baseAddress!, count: 2) }) ?? 0
        return n == 2 && magic == [0x1F, 0x8B]
    }
}

/// Size of a regular file in bytes, or nil if it cannot be stat'ed.
public func fileSize(_ path: String) -> Int? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return Int(st.st_size)
}

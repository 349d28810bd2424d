/// A record whose block is borrowed from the reader's buffer (valid only inside the closure
/// passed to `WARCReader.nextRecord`), so documents can be built without copying the block.
public struct WARCRecordView {
    public var version: String
    public var headers: HeaderFields
    public var block: UnsafeBufferPointer<UInt8>
    public var streamOffset: Int

    public var type: String { headers["WARC-Type"] ?? "unknown" }
    public var recordID: String? { headers["WARC-Record-ID"] }
    public var targetURI: String? { WARCRecord.unbracket(headers["WARC-Target-URI"]) }
    public var date: String? { headers["WARC-Date"] }
    public var contentType: String? { headers["Content-Type"] }
    public var hasHTTPBlock: Bool { WARCRecord.isHTTP(type: type, contentType: contentType, first: block.prefix(5)) }
}

/// One WARC record: version line, named header fields and the raw content block.
public struct WARCRecord: Sendable {
    /// "WARC/1.0", "WARC/1.1", "WARC/0.18", or "ARC" for records read from ARC files.
    public var version: String
    public var headers: HeaderFields
    public var block: [UInt8]
    /// Offset of the record in the decompressed stream (for error locations).
    public var streamOffset: Int

    public var type: String { headers["WARC-Type"] ?? "unknown" }
    public var recordID: String? { headers["WARC-Record-ID"] }
    public var targetURI: String? { Self.unbracket(headers["WARC-Target-URI"]) }

    /// wget writes the URI in angle brackets.
    static func unbracket(_ u: String?) -> String? {
        guard let u else { return nil }
        if u.hasPrefix("<") && u.hasSuffix(">") { return String(u.dropFirst().dropLast()) }
        return u
    }
    public var date: String? { headers["WARC-Date"] }
    public var contentType: String? { headers["Content-Type"] }

    /// True when the block is an HTTP message (request or response).
    public var hasHTTPBlock: Bool { Self.isHTTP(type: type, contentType: contentType, first: block.prefix(5)) }

    static func isHTTP<C: Collection>(type t: String, contentType: String?, first: C) -> Bool where C.Element == UInt8 {
        if let ct = contentType?.lowercased(), ct.hasPrefix("application/http") { return true }
        guard t == "response" || t == "request" || t == "revisit" else { return false }
        return first.starts(with: "HTTP/".utf8) || (t == "request" && first.first.map { $0 >= 0x41 && $0 <= 0x5A } == true)
    }
}

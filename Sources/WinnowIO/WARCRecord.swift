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
    public var targetURI: String? {
        guard let u = headers["WARC-Target-URI"] else { return nil }
        // wget writes the URI in angle brackets.
        if u.hasPrefix("<") && u.hasSuffix(">") { return String(u.dropFirst().dropLast()) }
        return u
    }
    public var date: String? { headers["WARC-Date"] }
    public var contentType: String? { headers["Content-Type"] }

    /// True when the block is an HTTP message (request or response).
    public var hasHTTPBlock: Bool {
        if let ct = contentType?.lowercased(), ct.hasPrefix("application/http") { return true }
        let t = type
        guard t == "response" || t == "request" || t == "revisit" else { return false }
        return block.starts(with: "HTTP/".utf8) || (t == "request" && block.first.map { $0 >= 0x41 && $0 <= 0x5A } == true)
    }
}

/// The header-derived accessors every form of a WARC record shares.
public protocol WARCRecordFields {
    /// "WARC/1.0", "WARC/1.1", "WARC/0.18", or "ARC" for records read from ARC files.
    var version: String { get }
    var headers: HeaderFields { get }
    /// Offset of the record in the decompressed stream (for error locations).
    var streamOffset: Int { get }
    /// Runs `body` over the block's bytes.
    func withBlock<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R
}

extension WARCRecordFields {
    public var type: String { headers["WARC-Type"] ?? "unknown" }
    public var recordID: String? { headers["WARC-Record-ID"] }
    /// The target URI; wget writes it in angle brackets, which are removed.
    public var targetURI: String? {
        guard let u = headers["WARC-Target-URI"] else { return nil }
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
        return withBlock { b in
            b.starts(with: "HTTP/".utf8) || (t == "request" && b.first.map { $0 >= 0x41 && $0 <= 0x5A } == true)
        }
    }
}

/// A record whose block is borrowed from the reader's buffer (valid only inside the closure
/// passed to `WARCReader.nextRecord`), so documents can be built without copying the block.
public struct WARCRecordView: WARCRecordFields {
    public var version: String
    public var headers: HeaderFields
    public var block: UnsafeBufferPointer<UInt8>
    public var streamOffset: Int
    public func withBlock<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R { try body(block) }
}

/// One WARC record that owns its block.
public struct WARCRecord: WARCRecordFields, Sendable {
    public var version: String
    public var headers: HeaderFields
    public var block: [UInt8]
    public var streamOffset: Int
    public func withBlock<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try block.withUnsafeBufferPointer(body)
    }
}

import CZlib
import WinnowCore

/// The head of an HTTP message stored in a WARC block, and where its body starts.
public struct HTTPHead: Sendable {
    public var startLine: String
    /// Status code for responses; nil for requests or an unparseable status line.
    public var status: Int?
    public var headers: HeaderFields
    public var bodyOffset: Int

    /// Parses the head at the start of `block`; nil when there is no blank line ending it.
    public static func parse(_ block: UnsafeBufferPointer<UInt8>) -> HTTPHead? {
        guard let end = headerEnd(block), let firstNL = block.firstIndex(of: 0x0A), firstNL < end else { return nil }
        let startLine = trimmed(block, 0, firstNL)
        var status: Int?
        if startLine.hasPrefix("HTTP/") {
            let parts = startLine.split(separator: " ", maxSplits: 2)
            if parts.count >= 2 { status = Int(parts[1]) }
        }
        let headers = HeaderFields.parse(UnsafeBufferPointer(rebasing: block[(firstNL + 1)..<end]))
        return HTTPHead(startLine: startLine, status: status, headers: headers, bodyOffset: end)
    }

    /// The media type of Content-Type, lower-cased, without parameters.
    public var mediaType: String? { headers["Content-Type"].map(mediaTypeOf) }
    /// The charset parameter of Content-Type, lower-cased.
    public var charset: String? { headers["Content-Type"].flatMap(charsetOf) }
}

public func mediaTypeOf(_ contentType: String) -> String {
    let t = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
    return t.trimmingBlanks().lowercased()
}

public func charsetOf(_ contentType: String) -> String? {
    for param in contentType.split(separator: ";").dropFirst() {
        let kv = param.split(separator: "=", maxSplits: 1)
        guard kv.count == 2, String(kv[0]).trimmingBlanks().lowercased() == "charset" else { continue }
        var v = String(kv[1]).trimmingBlanks()
        if v.hasPrefix("\"") && v.hasSuffix("\"") && v.count >= 2 { v = String(v.dropFirst().dropLast()) }
        return v.isEmpty ? nil : v.lowercased()
    }
    return nil
}

extension String {
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}

/// Decodes an HTTP body as the server sent it: chunked transfer coding first, then gzip/deflate
/// content coding. A coding that fails falls back to the bytes as they are (what browsers and
/// warcio do) and says so in `problems`.
public enum HTTPBodyDecoder {
    public struct Result {
        public var body: [UInt8]
        public var problems: [String] = []
    }

    /// Whether the headers declare a transfer or content coding that `decode` would undo.
    public static func needsDecoding(_ headers: HeaderFields) -> Bool {
        if let te = headers["Transfer-Encoding"], te.lowercased().contains("chunked") { return true }
        if let ce = headers["Content-Encoding"]?.lowercased().trimmingBlanks(), !ce.isEmpty, ce != "identity" { return true }
        return false
    }

    public static func decode(_ raw: UnsafeBufferPointer<UInt8>, headers: HeaderFields) -> Result {
        var body: [UInt8]
        var problems: [String] = []
        if let te = headers["Transfer-Encoding"]?.lowercased(), te.contains("chunked") {
            if let d = dechunk(raw) { body = d } else { body = Array(raw); problems.append("http_bad_chunked_encoding") }
        } else {
            body = Array(raw)
        }
        if let ce = headers["Content-Encoding"]?.lowercased().trimmingBlanks(), !ce.isEmpty, ce != "identity" {
            switch ce {
            case "gzip", "x-gzip", "deflate":
                if let d = inflateAny(body) { body = d } else { problems.append("http_content_encoding_not_applied") }
            default:
                problems.append("http_unsupported_content_encoding")
            }
        }
        return Result(body: body, problems: problems)
    }

    /// RFC 9112 chunked coding; nil when the framing is broken before the last chunk.
    public static func dechunk(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            var size = 0
            var digits = 0
            while i < b.count, let d = hexValue(b[i]) {
                size = size &* 16 &+ d; digits += 1; i += 1
                if digits > 15 { return nil }
            }
            guard digits > 0 else { return nil }
            while i < b.count && b[i] != 0x0A { i += 1 }  // chunk extensions, CR
            i += 1
            if size == 0 { return out }  // trailers ignored
            guard i + size <= b.count else {
                // A truncated final chunk: keep what arrived.
                if i < b.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i...])) }
                return out
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<(i + size)]))
            i += size
            if i < b.count && b[i] == 0x0D { i += 1 }
            if i < b.count && b[i] == 0x0A { i += 1 }
        }
        return out
    }

    @inline(__always) static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        default: return nil
        }
    }

    /// gzip or zlib (auto-detected), else raw deflate. Output of a truncated stream is kept;
    /// nil only when the data is not deflate at all.
    public static func inflateAny(_ input: [UInt8]) -> [UInt8]? {
        if let r = inflate(input, windowBits: 15 + 32) { return r }
        return inflate(input, windowBits: -15)
    }

    static func inflate(_ input: [UInt8], windowBits: Int32) -> [UInt8]? {
        guard !input.isEmpty else { return nil }
        var zs = z_stream()
        guard inflateInit2_(&zs, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&zs) }
        var out = [UInt8](repeating: 0, count: max(4096, input.count * 4))
        var produced = 0
        let ok: Bool = input.withUnsafeBufferPointer { inb in
            zs.next_in = UnsafeMutablePointer(mutating: inb.baseAddress!)
            zs.avail_in = UInt32(inb.count)
            while true {
                if produced == out.count { out.append(contentsOf: [UInt8](repeating: 0, count: out.count)) }
                let rc: Int32 = out.withUnsafeMutableBufferPointer { ob in
                    zs.next_out = ob.baseAddress! + produced
                    zs.avail_out = UInt32(ob.count - produced)
                    let rc = CZlib.inflate(&zs, Z_NO_FLUSH)
                    produced = ob.count - Int(zs.avail_out)
                    return rc
                }
                switch rc {
                case Z_STREAM_END: return true
                case Z_OK: continue
                case Z_BUF_ERROR: if zs.avail_in == 0 { return produced > 0 } else { continue }
                default: return false
                }
            }
        }
        guard ok else { return nil }
        out.removeSubrange(produced...)
        return out
    }
}

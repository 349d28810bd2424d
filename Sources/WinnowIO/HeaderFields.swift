/// Ordered header fields with case-insensitive lookup (WARC and HTTP headers).
public struct HeaderFields: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}
    public init(_ fields: [(String, String)]) { self.fields = fields.map { (name: $0.0, value: $0.1) } }

    /// Case-insensitive (ASCII) lookup of the first field named `name`, without allocating.
    public subscript(name: String) -> String? {
        for f in fields where asciiCaseInsensitiveEqual(f.name, name) { return f.value }
        return nil
    }

    public mutating func append(_ name: String, _ value: String) { fields.append((name: name, value: value)) }

    mutating func appendToLast(_ more: String) {
        guard !fields.isEmpty else { return }
        fields[fields.count - 1].value += " " + more
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    /// Parses `Name: value` lines (with obsolete line folding) from a header block that excludes
    /// the first line and the terminating blank line.
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> HeaderFields {
        var h = HeaderFields()
        var i = 0
        while i < b.count {
            var j = i
            while j < b.count && b[j] != 0x0A { j += 1 }
            var lineEnd = j
            if lineEnd > i && b[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if lineEnd > i {
                if b[i] == 0x20 || b[i] == 0x09 {
                    h.appendToLast(trimmed(b, i, lineEnd))
                } else if let colon = (i..<lineEnd).first(where: { b[$0] == UInt8(ascii: ":") }) {
                    h.append(trimmed(b, i, colon), trimmed(b, colon + 1, lineEnd))
                } else {
                    h.append(trimmed(b, i, lineEnd), "")
                }
            }
            i = j + 1
        }
        return h
    }
}

/// The bytes in [from, to) without surrounding blanks, decoded leniently (headers are ASCII in
/// practice; stray Latin-1 bytes become U+FFFD rather than failing the record).
func trimmed(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
    var s = from, e = to
    while s < e && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
    while e > s && (b[e - 1] == 0x20 || b[e - 1] == 0x09 || b[e - 1] == 0x0D) { e -= 1 }
    return String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self)
}

/// Index just past the blank line ending a header block ("\r\n\r\n" or "\n\n"), or nil.
func headerEnd(_ b: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
    var i = from
    while i < b.count {
        guard b[i] == 0x0A else { i += 1; continue }
        if i + 1 < b.count && b[i + 1] == 0x0A { return i + 2 }
        if i + 2 < b.count && b[i + 1] == 0x0D && b[i + 2] == 0x0A { return i + 3 }
        i += 1
    }
    return nil
}

func asciiCaseInsensitiveEqual(_ a: String, _ b: String) -> Bool {
    let x = a.utf8, y = b.utf8
    guard x.count == y.count else { return false }
    for (p, q) in zip(x, y) where p != q {
        // Letters differ only in bit 0x20; anything else that differs is a mismatch.
        guard p | 0x20 == q | 0x20, (p | 0x20) &- 0x61 < 26 else { return false }
    }
    return true
}

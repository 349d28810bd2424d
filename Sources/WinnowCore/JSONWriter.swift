/// Compact JSON serialisation, matching orjson/datatrove output: no spaces, non-ASCII written
/// as raw UTF-8, only `"`, `\` and control characters escaped.
public enum JSONWriter {
    public static func write(_ v: JSONValue, to out: inout [UInt8]) {
        switch v {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let b): out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8))
        case .number(let n): out.append(contentsOf: n.utf8)
        case .string(let s): writeString(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, x) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(x, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o): writeObject(o, to: &out)
        }
    }

    public static func writeObject(_ o: JSONObject, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, e) in o.entries.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeString(e.key, to: &out)
            out.append(UInt8(ascii: ":"))
            write(e.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    public static func string(_ v: JSONValue) -> String {
        var out: [UInt8] = []
        write(v, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Copies runs of bytes that need no escaping in one go; text is mostly such runs. Besides
    /// what JSON requires, U+0085, U+2028 and U+2029 are escaped: legal raw in JSON, they are
    /// line breaks to Python's `str.splitlines()` and to JavaScript before ES2019, and would cut a
    /// JSONL line in two for such readers.
    public static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { b in
            var runStart = 0
            var i = 0
            while i < b.count {
                let c = b[i]
                guard c < 0x20 || c == 0x22 || c == 0x5C || c == 0xC2 || c == 0xE2 else { i += 1; continue }
                var width = 1
                var escape: (UInt8, UInt8)? = nil  // the low byte of a \u00XX / \u20XX escape
                if c == 0xC2 || c == 0xE2 {
                    if c == 0xC2 && i + 1 < b.count && b[i + 1] == 0x85 { escape = (0x00, 0x85); width = 2 }
                    else if c == 0xE2 && i + 2 < b.count && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9) { escape = (0x20, b[i + 2] - 0x80); width = 3 }
                    else { i += 1; continue }
                }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i])) }
                i += width
                runStart = i
                if let (high, low) = escape {
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), hexDigits[Int(high >> 4)], hexDigits[Int(high & 15)],
                                            hexDigits[Int(low >> 4)], hexDigits[Int(low & 15)]])
                    continue
                }
                switch c {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(c >> 4)], hexDigits[Int(c & 15)]])
                }
            }
            if runStart < b.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart...])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}

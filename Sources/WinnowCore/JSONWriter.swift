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

    /// Copies runs of bytes that need no escaping in one go; text is mostly such runs.
    public static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { b in
            var runStart = 0
            for i in 0..<b.count {
                let c = b[i]
                guard c < 0x20 || c == 0x22 || c == 0x5C else { continue }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i])) }
                runStart = i + 1
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

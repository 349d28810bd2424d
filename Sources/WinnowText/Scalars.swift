import WinnowCore

/// Text as an array of code points (`UInt32`), for rules that index characters the way Python
/// indexes `str`: decoded once from the string's UTF-8, with no `Character` or
/// `Unicode.Scalar` machinery in the loops that follow.
public enum Scalars {
    /// The code points of `text`.
    public static func of(_ text: String) -> [UInt32] {
        var t = text
        return t.withUTF8 { decode($0) }
    }

    /// The code points of valid UTF-8 (Swift strings always are).
    public static func decode(_ src: UnsafeBufferPointer<UInt8>) -> [UInt32] {
        [UInt32](unsafeUninitializedCapacity: src.count) { buf, n in
            var i = 0, k = 0
            let c = src.count
            while i < c {
                let b = src[i]
                if b < 0x80 {
                    buf[k] = UInt32(b); i += 1
                } else if b < 0xE0 {
                    buf[k] = UInt32(b & 0x1F) << 6 | UInt32(src[i + 1] & 0x3F); i += 2
                } else if b < 0xF0 {
                    buf[k] = UInt32(b & 0x0F) << 12 | UInt32(src[i + 1] & 0x3F) << 6 | UInt32(src[i + 2] & 0x3F); i += 3
                } else {
                    buf[k] = UInt32(b & 0x07) << 18 | UInt32(src[i + 1] & 0x3F) << 12 | UInt32(src[i + 2] & 0x3F) << 6 | UInt32(src[i + 3] & 0x3F); i += 4
                }
                k += 1
            }
            n = k
        }
    }

    /// Python's `str.lower()` (full lowercase mappings) on code points.
    public static func lowercased(_ s: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(s.count)
        lowerBMP.withUnsafeBufferPointer { t in
            for c in s {
                if c < 0x10000 {
                    let l = t[Int(c)]
                    if l != UInt32.max { out.append(l); continue }
                }
                if let u = Unicode.Scalar(c), u.properties.changesWhenLowercased {
                    for l in u.properties.lowercaseMapping.unicodeScalars { out.append(l.value) }
                } else {
                    out.append(c)
                }
            }
        }
        return out
    }

    /// Single-character lowercase of each BMP code point, `UInt32.max` where the mapping has
    /// several characters (those go through the Unicode properties).
    static let lowerBMP: [UInt32] = (0..<UInt32(0x10000)).map { v in
        guard let u = Unicode.Scalar(v) else { return v }
        if v < 0x80 { return v >= 0x41 && v <= 0x5A ? v | 0x20 : v }
        guard u.properties.changesWhenLowercased else { return v }
        let m = Array(u.properties.lowercaseMapping.unicodeScalars)
        return m.count == 1 ? m[0].value : UInt32.max
    }

    /// The string of code points `s`.
    public static func string(_ s: ArraySlice<UInt32>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.count * 3)
        for v in s { append(v, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func string(_ s: [UInt32]) -> String { string(s[...]) }

    /// Appends the UTF-8 of code point `v` (WinnowCore's encoder).
    @inline(__always) public static func append(_ v: UInt32, to out: inout [UInt8]) { appendUTF8(&out, v) }
}

extension CharClass {
    /// The classes of code point `v`.
    @inline(__always) public static func of(_ v: UInt32) -> UInt8 {
        v < 0x10000 ? table[Int(v)] : (Unicode.Scalar(v).map(compute) ?? 0)
    }

    /// The table held in a local, for loops in other modules: each `CharClass.of` call reaches
    /// the lazily initialised global through `swift_once`.
    public static var local: CharClassTable { CharClassTable(table: table) }
}

@frozen public struct CharClassTable {
    @usableFromInline let table: [UInt8]
    @usableFromInline init(table: [UInt8]) { self.table = table }
    @inlinable @inline(__always) public func of(_ v: UInt32) -> UInt8 {
        v < 0x10000 ? table[Int(v)] : CharClass.outsideBMP(v)
    }
}

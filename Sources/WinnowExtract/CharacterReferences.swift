import WinnowCore

/// Character references that libxml2 2.9 reads otherwise than HTML5 does (browsers, lexbor,
/// lxml's libxml2 2.14, so trafilatura and resiliparse), rewritten by the prescan to the text
/// HTML5 reads:
/// - numeric references to 0x80–0x9F: old pages write `don&#146;t` and `&#151;` meaning
///   Windows-1252's ’ and —, which HTML5 maps so; libxml2 left C1 control characters in the
///   text (107 of the 1,922 scored pages);
/// - `&#0;`, surrogates and numbers past U+10FFFF: U+FFFD (libxml2 dropped them); `&#` and
///   `&#x` without digits, which are no reference (libxml2 dropped them too);
/// - names HTML 4 lacks (`&plus;`, `&AMP;`, `&check;`, …) and `&lang;`/`&rang;`, which libxml2
///   maps to other brackets;
/// - the legacy names browsers read without their `;` (`&copy 2017`, `&nbsp`, `&amp `):
///   libxml2 left them as written.
/// In text only (not in tags, scripts, styles or comments), as references are text's.
enum CharacterReferences {
    /// Each name's value, or `[]` where libxml2 gives the same value (`HTMLEntityTable.swift`).
    static let named: [String: [UInt8]] = {
        var d: [String: [UInt8]] = [:]
        d.reserveCapacity(2300)
        for line in namedTable.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2 else { continue }
            if parts[1] == "=" { d[String(parts[0])] = []; continue }
            var bytes: [UInt8] = []
            for hex in parts.dropFirst() { appendUTF8(&bytes, UInt32(hex, radix: 16)!) }
            d[String(parts[0])] = bytes
        }
        return d
    }()

    /// HTML5's reading of numeric references to 0x80–0x9F (Windows-1252; 0 where it keeps the number).
    static let windows1252: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// The longest name with its `;` ("CounterClockwiseContourIntegral;") and without (`frac34`).
    static let longestName = 32, longestLegacyName = 6

    /// When the `&` at `p[i]` starts a reference libxml2 would read otherwise: where it ends and
    /// the bytes to put in its place. (`<` and `&` go back as `&lt;` and `&amp;`, which libxml2
    /// reads right, so that a decoded character starts no tag or reference.)
    static func rewrite(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (end: Int, bytes: [UInt8])? {
        let n = p.count
        guard i + 2 < n else { return nil }
        if p[i + 1] == 0x23 { return numeric(p, at: i) }
        var j = i + 1
        while j < n && j - i <= longestName && isAlphanumeric(p[j]) { j += 1 }
        let length = j - i - 1
        guard length >= 2 else { return nil }  // the shortest names: `gt`, `lt`, `GT`, `LT`
        if j < n && p[j] == 0x3B && isCommon(p, i + 1, length) { return nil }
        if j < n && p[j] == 0x3B, let v = named[name(p, i + 1, j + 1)] {
            return v.isEmpty ? nil : (j + 1, escaped(v))
        }
        // Without its `;`, the longest legacy name the letters start with.
        for l in stride(from: min(length, longestLegacyName), through: 2, by: -1) {
            if let v = named[name(p, i + 1, i + 1 + l)], !v.isEmpty { return (i + 1 + l, escaped(v)) }
        }
        return nil
    }

    /// `&#…` / `&#x…` (its `;` optional): rewritten only where HTML5 maps the number.
    static func numeric(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (end: Int, bytes: [UInt8])? {
        let n = p.count
        var j = i + 2
        let hex = j < n && (p[j] | 0x20) == 0x78
        if hex { j += 1 }
        let start = j
        var v: UInt32 = 0
        while j < n {
            let c = p[j]
            let d: UInt32
            if c >= 0x30 && c <= 0x39 { d = UInt32(c - 0x30) }
            else if hex && (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 { d = UInt32((c | 0x20) - 0x61 + 10) }
            else { break }
            v = min(v * (hex ? 16 : 10) + d, 0x110000)  // (saturates: any longer number is past U+10FFFF)
            j += 1
        }
        // `&#;`, `&#x;`: no reference, and HTML5 leaves them as written (libxml2 dropped `&#` or `&#x`).
        guard j > start else { return (i + 1, Array("&amp;".utf8)) }
        if j < n && p[j] == 0x3B { j += 1 }
        if v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) { return (j, utf8(0xFFFD)) }
        if v >= 0x80 && v <= 0x9F && windows1252[Int(v - 0x80)] != 0 { return (j, utf8(windows1252[Int(v - 0x80)])) }
        return nil
    }

    /// `amp`, `nbsp`, `quot`, `lt`, `gt`: most of a page's references, which libxml2 reads right
    /// (no table lookup for them).
    @inline(__always) static func isCommon(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ length: Int) -> Bool {
        switch length {
        case 2: return (p[i] == 0x6C || p[i] == 0x67) && p[i + 1] == 0x74
        case 3: return p[i] == 0x61 && p[i + 1] == 0x6D && p[i + 2] == 0x70
        case 4: return (p[i] == 0x6E && p[i + 1] == 0x62 && p[i + 2] == 0x73 && p[i + 3] == 0x70)
            || (p[i] == 0x71 && p[i + 1] == 0x75 && p[i + 2] == 0x6F && p[i + 3] == 0x74)
        default: return false
        }
    }

    @inline(__always) static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A)
    }

    /// `p[from..<to]` as a String (ASCII: small names need no allocation).
    static func name(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: p[from..<to]), as: UTF8.self)
    }

    static func escaped(_ v: [UInt8]) -> [UInt8] {
        if v == [0x3C] { return Array("&lt;".utf8) }
        if v == [0x26] { return Array("&amp;".utf8) }
        return v
    }

    static func utf8(_ v: UInt32) -> [UInt8] {
        var out: [UInt8] = []
        appendUTF8(&out, v)
        return out
    }
}

import CICUShim
import WinnowCore

/// Character-set detection and decoding for web pages, in the order of evidence browsers use:
/// byte-order mark; the HTTP `Content-Type` charset; a `<meta charset>` / `http-equiv` (or an
/// XML declaration) in the first 1024 bytes; then content sniffing (valid UTF-8, else ICU's
/// detector). Labels follow the WHATWG Encoding Standard (gb2312 → GB18030, big5 → Big5-HKSCS,
/// shift_jis → windows-31j, euc-kr → windows-949, iso-8859-1/ascii → windows-1252, …). A page
/// that declares a legacy charset but is valid UTF-8 with non-ASCII bytes is decoded as UTF-8.
public enum Charset {
    public enum Source: String, Sendable { case bom, http, meta, utf8Valid = "utf8_valid", sniffed, fallback }

    public struct Decision: Sendable, Equatable {
        /// ICU converter name.
        public var charset: String
        public var source: Source
        /// Set when a declaration was overruled (a legacy label on valid UTF-8).
        public var declared: String?

        public init(charset: String, source: Source, declared: String? = nil) {
            self.charset = charset; self.source = source; self.declared = declared
        }
    }

    /// WHATWG label → ICU converter name (nil for unknown labels).
    public static func canonical(_ label: String) -> String? {
        let l = label.trimmingWhitespace().lowercased()
        if let m = labels[l] { return m }
        return nil
    }

    static let labels: [String: String] = {
        var m: [String: String] = [:]
        func add(_ names: [String], _ icu: String) { for n in names { m[n] = icu } }
        add(["utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"], "UTF-8")
        add(["gb2312", "gbk", "x-gbk", "gb_2312", "gb_2312-80", "chinese", "csgb2312", "csiso58gb231280", "iso-ir-58", "gb18030", "cp936", "windows-936", "euc-cn", "hz-gb-2312"], "GB18030")
        add(["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", "cp950"], "Big5-HKSCS")
        add(["shift_jis", "shift-jis", "sjis", "ms_kanji", "csshiftjis", "windows-31j", "x-sjis", "ms932", "cp932"], "windows-31j")
        add(["euc-jp", "cseucpkdfmtjapanese", "x-euc-jp"], "EUC-JP")
        add(["iso-2022-jp", "csiso2022jp"], "ISO-2022-JP")
        add(["euc-kr", "cseuckr", "csksc56011987", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949", "cp949", "uhc"], "windows-949")
        add(["iso-2022-kr", "csiso2022kr"], "ISO-2022-KR")
        add(["euc-tw", "x-euc-tw", "cns11643"], "EUC-TW")
        add(["ascii", "us-ascii", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "cp1252", "windows-1252", "x-cp1252", "ansi_x3.4-1968", "cp819", "ibm819", "iso-ir-100", "csisolatin1"], "windows-1252")
        add(["koi8-r", "koi8", "koi", "cskoi8r", "koi8_r"], "KOI8-R")
        add(["koi8-u", "koi8-ru"], "KOI8-U")
        add(["utf-16le", "utf-16"], "UTF-16LE")
        add(["utf-16be"], "UTF-16BE")
        for n in 1250...1258 { add(["windows-\(n)", "cp\(n)", "x-cp\(n)"], "windows-\(n)") }
        for n in [2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16] { add(["iso-8859-\(n)", "iso8859-\(n)", "iso_8859-\(n)"], "ISO-8859-\(n)") }
        add(["iso-8859-9", "iso8859-9", "latin5"], "windows-1254")
        add(["iso-8859-11", "tis-620", "windows-874"], "windows-874")
        add(["ibm866", "cp866", "866"], "IBM866")
        add(["macintosh", "mac", "x-mac-roman"], "macintosh")
        return m
    }()

    /// True for well-formed UTF-8 (no overlongs, surrogates or truncation).
    public static func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool { utf8Validity(b).valid }

    /// Whether any byte is 0x80 or above (eight bytes at a time).
    static func hasHighByte(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let n = b.count
        var i = 0, acc: UInt64 = 0
        while i + 8 <= n { acc |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self); i += 8 }
        while i < n { acc |= UInt64(b[i]); i += 1 }
        return acc & 0x8080_8080_8080_8080 != 0
    }

    /// Whether `b` is valid UTF-8, and whether it has any non-ASCII byte. ASCII runs are
    /// skipped eight bytes at a time (pages are mostly ASCII markup).
    public static func utf8Validity(_ b: UnsafeBufferPointer<UInt8>) -> (valid: Bool, hasHigh: Bool) {
        var i = 0
        let n = b.count
        var high = false
        guard let base = b.baseAddress else { return (true, false) }
        let raw = UnsafeRawPointer(base)
        while i < n {
            while i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            if i >= n { break }
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            high = true
            var need = 0
            var min: UInt32 = 0
            var v: UInt32
            if c & 0xE0 == 0xC0 { need = 1; min = 0x80; v = UInt32(c & 0x1F) }
            else if c & 0xF0 == 0xE0 { need = 2; min = 0x800; v = UInt32(c & 0x0F) }
            else if c & 0xF8 == 0xF0 { need = 3; min = 0x10000; v = UInt32(c & 0x07) }
            else { return (false, true) }
            if i + need >= n { return (false, true) }
            for k in 1...need {
                let d = b[i + k]
                if d & 0xC0 != 0x80 { return (false, true) }
                v = v << 6 | UInt32(d & 0x3F)
            }
            if v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) { return (false, true) }
            i += need + 1
        }
        return (true, high)
    }

    /// The charset a `<meta>` tag or XML declaration in the first 1024 bytes names, if any,
    /// lowercased. Matched on the bytes, ASCII case-insensitively (as the WHATWG prescan compares).
    public static func prescan(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        let n = min(b.count, 1024)
        // <?xml ... encoding="x"?>
        if find(b, "<?xml", from: 0, to: min(n, 5)) == 0, let end = find(b, "?>", from: 0, to: n),
           let r = find(b, "encoding=", from: 0, to: end) {
            return quoted(b, from: r + 9, to: end)
        }
        var from = 0
        while let m = find(b, "<meta", from: from, to: n) {
            let tagEnd = find(b, ">", from: m + 5, to: n) ?? n
            if let r = find(b, "charset=", from: m + 5, to: tagEnd), let v = quoted(b, from: r + 8, to: tagEnd) { return v }
            from = tagEnd
        }
        return nil
    }

    /// The first index in `from..<to` where the lowercase ASCII `pattern` starts (any case in
    /// `h`) and ends before `to`.
    static func find(_ h: UnsafeBufferPointer<UInt8>, _ pattern: StaticString, from: Int, to: Int) -> Int? {
        var i = from
        while i + pattern.utf8CodeUnitCount <= to {
            if ASCIIBytes.hasPrefix(h, at: i, end: to, pattern) { return i }
            i += 1
        }
        return nil
    }

    /// The label after `charset=` / `encoding=`, lowercased: spaces skipped, one opening quote
    /// dropped, up to a quote, space, `;`, `>`, `/`, `?` or line break; nil when empty.
    static func quoted(_ h: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> String? {
        var i = from
        while i < to && h[i] == 0x20 { i += 1 }
        if i < to && (h[i] == 0x22 || h[i] == 0x27) { i += 1 }
        var j = i
        while j < to {
            let c = h[j]
            if c == 0x22 || c == 0x27 || c == 0x20 || c == 0x3B || c == 0x3E || c == 0x2F || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x3F { break }
            j += 1
        }
        return j > i ? String(decoding: h[i..<j].map(ASCIIBytes.lowered), as: UTF8.self) : nil
    }

    /// Chooses the charset of a page's bytes.
    /// `knownValidUTF8`: the caller has checked that the bytes are valid UTF-8 (they equal a
    /// Swift string's), so only whether any byte is 0x80 or above is left to find.
    public static func decide(_ b: UnsafeBufferPointer<UInt8>, httpCharset: String? = nil, knownValidUTF8: Bool = false) -> Decision {
        if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { return Decision(charset: "UTF-8", source: .bom) }
        if b.count >= 2 && b[0] == 0xFF && b[1] == 0xFE { return Decision(charset: "UTF-16LE", source: .bom) }
        if b.count >= 2 && b[0] == 0xFE && b[1] == 0xFF { return Decision(charset: "UTF-16BE", source: .bom) }
        let (valid, hasHigh) = knownValidUTF8 ? (true, hasHighByte(b)) : utf8Validity(b)
        for (label, source) in [(httpCharset, Source.http), (prescan(b), Source.meta)] {
            guard let label, let cs = canonical(label) else { continue }
            if cs == "UTF-16LE" || cs == "UTF-16BE" { continue }  // a page read as ASCII cannot be UTF-16 (WHATWG)
            if cs != "UTF-8" && valid && hasHigh { return Decision(charset: "UTF-8", source: .utf8Valid, declared: cs) }
            if cs == "UTF-8" && !valid { break }  // a false UTF-8 label: sniff instead
            return Decision(charset: cs, source: source)
        }
        // 7-bit text with escape sequences may be ISO-2022-JP/KR/CN: let the detector look.
        let escapes = !hasHigh && b.contains(0x1B)
        if valid && !escapes { return Decision(charset: "UTF-8", source: hasHigh ? .utf8Valid : .fallback) }
        var name = [CChar](repeating: 0, count: 64)
        let conf = b.withMemoryRebound(to: CChar.self) { cicu_detect($0.baseAddress, Int32(min($0.count, 1 << 20)), &name, 64) }
        if conf >= 0, let cs = canonical(stringFromCBuffer(name)) ?? icuName(stringFromCBuffer(name)) {
            return Decision(charset: cs, source: .sniffed)
        }
        return Decision(charset: valid ? "UTF-8" : "windows-1252", source: .fallback)
    }

    /// ICU detector names that are not WHATWG labels.
    static func icuName(_ n: String) -> String? {
        switch n.uppercased() {
        case "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE": return n.uppercased()
        case "ISO-2022-CN": return "ISO-2022-CN"
        case "ISO-2022-JP": return "ISO-2022-JP"
        case "ISO-2022-KR": return "ISO-2022-KR"
        default: return nil
        }
    }

    /// Decodes with an ICU converter; returns the text and the number of U+FFFD substitutions.
    public static func decode(_ b: UnsafeBufferPointer<UInt8>, charset: String) -> (String, Int)? {
        if charset == "UTF-8" {
            // One pass when the bytes are valid (the usual case): validate while copying.
            if let s = String(validating: b, as: UTF8.self) { return (s, 0) }
            let s = String(decoding: b, as: UTF8.self)
            return (s, s.unicodeScalars.filter { $0 == "\u{FFFD}" }.count)
        }
        if b.isEmpty { return ("", 0) }
        let cap = b.count * 4 + 16
        let dst = UnsafeMutablePointer<CChar>.allocate(capacity: cap)
        defer { dst.deallocate() }
        var subs: Int64 = 0
        let n = b.withMemoryRebound(to: CChar.self) { cicu_to_utf8(charset, $0.baseAddress, Int64($0.count), dst, Int64(cap), &subs) }
        guard n >= 0 else { return nil }
        let s = dst.withMemoryRebound(to: UInt8.self, capacity: Int(n)) { String(decoding: UnsafeBufferPointer(start: $0, count: Int(n)), as: UTF8.self) }
        return (s, Int(subs))
    }
}


/// Scores detection on a directory of pages labelled by folder (`chardet-tests/<ENCODING>/*`):
/// a page passes when its detected decoding has no U+FFFD and equals decoding with the label.
public enum CharsetEvaluation {
    public struct Row: Sendable { public var label: String; public var pages: Int; public var passed: Int; public var failures: [String] }

    public static func run(directory: String, files: [String: [String]]) -> [Row] {
        var rows: [Row] = []
        for (label, paths) in files.sorted(by: { $0.key < $1.key }) {
            // Folder names → the labels they mean (WHATWG), e.g. "windows-1251-russian".
            let l = label.lowercased()
            let reference = Charset.canonical(l) ?? Charset.canonical(String(l.split(separator: "-").prefix(2).joined(separator: "-")))
                ?? (l == "utf-8-sig" ? "UTF-8" : l == "utf-16" ? "UTF-16" : "windows-1252")
            var row = Row(label: label, pages: 0, passed: 0, failures: [])
            for path in paths {
                guard let bytes = readAll(path) else { continue }
                row.pages += 1
                let ok = bytes.withUnsafeBufferPointer { b -> Bool in
                    let d = Charset.decide(b)
                    guard let ours = Charset.decode(b, charset: d.charset), ours.1 == 0 else { return false }
                    let refCharset = reference == "UTF-16" ? d.charset : reference
                    guard let ref = Charset.decode(b, charset: refCharset) else { return false }
                    return ours.0 == ref.0
                }
                if ok { row.passed += 1 } else { row.failures.append(path) }
            }
            rows.append(row)
        }
        return rows
    }

    public static func readAll(_ path: String) -> [UInt8]? { readFileBytes(path) }
}

#if canImport(Glibc)
import Glibc
#endif

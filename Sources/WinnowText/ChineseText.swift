/// Character-level helpers for Chinese-centric cleaning.
public enum ChineseText {
    /// CJK Unified Ideographs as ChineseWebText and WuDao count them (U+4E00–U+9FA5).
    @inline(__always) public static func isHan(_ c: Unicode.Scalar) -> Bool { c.value >= 0x4E00 && c.value <= 0x9FA5 }

    /// Share of Han characters among all characters (code points); 0 for empty text.
    public static func hanRatio(_ text: String) -> Double {
        var han = 0, all = 0
        for c in text.unicodeScalars { all += 1; if isHan(c) { han += 1 } }
        return all == 0 ? 0 : Double(han) / Double(all)
    }

    /// MAP-CC's 34 full-width symbols and their ASCII counterparts (CT-LLM `unify_format`).
    public static let mapccFullWidth: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs = "。.！!“\"”\"＃#＄$％%＆&‘'’'（(）)＊*＋+，,－-／/：:；;＜<＝=＞>？?＠@［[＼\\］]＾^＿_｀`｛{｜|｝}～~"
        let s = Array(pairs.unicodeScalars)
        var m: [Unicode.Scalar: Unicode.Scalar] = [:]
        for i in stride(from: 0, to: s.count - 1, by: 2) { m[s[i]] = s[i + 1] }
        return m
    }()

    /// Per BMP code point, its MAP-CC ASCII replacement (0: none).
    static let mapccTable: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 0x10000)
        for (k, v) in mapccFullWidth { t[Int(k.value)] = UInt8(v.value) }
        return t
    }()

    /// Full-width → half-width: MAP-CC's table (`mapcc`), or every full-width ASCII form
    /// (U+FF01–U+FF5E) and the ideographic space (`general`).
    public static func halfWidth(_ text: String, general: Bool = false) -> String {
        var t = text
        guard let out = t.withUTF8({ halfWidth(utf8: $0, general: general) }) else { return text }
        return String(decoding: out, as: UTF8.self)
    }

    /// The same on UTF-8 bytes; nil when nothing changes. Every character concerned is a
    /// 3-byte sequence led by E2, E3 or EF.
    public static func halfWidth(utf8 src: UnsafeBufferPointer<UInt8>, general: Bool = false) -> [UInt8]? {
        var bracket = false
        return halfWidth(utf8: src, general: general, sawLenticularBracket: &bracket)
    }

    /// The same, also telling whether the text holds 【 or U+FE3B (whose NFKC is 【), which
    /// MAP-CC's bracket rule looks for, found on the way.
    public static func halfWidth(utf8 src: UnsafeBufferPointer<UInt8>, general: Bool = false, sawLenticularBracket bracket: inout Bool) -> [UInt8]? {
        let n = src.count
        var sawBracket = false
        defer { bracket = sawBracket }
        @inline(__always) func replacement(_ i: Int, _ table: UnsafeBufferPointer<UInt8>) -> UInt8 {
            let b = src[i]
            guard (b == 0xE2 || b == 0xE3 || b == 0xEF) && i + 2 < n else { return 0 }
            let v = Int(b & 0x0F) << 12 | Int(src[i + 1] & 0x3F) << 6 | Int(src[i + 2] & 0x3F)
            if v == 0x3010 || v == 0xFE3B { sawBracket = true }
            if general && v >= 0xFF01 && v <= 0xFF5E { return UInt8(v - 0xFEE0) }
            if general && v == 0x3000 { return 0x20 }
            return table[v]
        }
        // Eight bytes at a time while none of them is E2, E3 or EF (a zero byte in x ^ pattern).
        @inline(__always) func quiet(_ i: Int) -> Bool {
            guard i + 8 <= n, let base = src.baseAddress else { return false }
            let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080 != 0 }
            return !hasZero((x & 0xFEFE_FEFE_FEFE_FEFE) ^ 0xE2E2_E2E2_E2E2_E2E2) && !hasZero(x ^ 0xEFEF_EFEF_EFEF_EFEF)
        }
        return mapccTable.withUnsafeBufferPointer { table -> [UInt8]? in
            var first = 0
            while first < n {
                if quiet(first) { first += 8; continue }
                if replacement(first, table) != 0 { break }
                first += 1
            }
            if first >= n { return nil }
            return [UInt8](unsafeUninitializedCapacity: n) { out, count in
                var k = 0
                for j in 0..<first { out[j] = src[j] }
                k = first
                var i = first
                while i < n {
                    if quiet(i) {
                        UnsafeMutableRawPointer(out.baseAddress! + k).storeBytes(of: UnsafeRawPointer(src.baseAddress! + i).loadUnaligned(as: UInt64.self), as: UInt64.self)
                        i += 8; k += 8
                        continue
                    }
                    let r = replacement(i, table)
                    if r != 0 { out[k] = r; k += 1; i += 3 } else { out[k] = src[i]; k += 1; i += 1 }
                }
                count = k
            }
        }
    }
}

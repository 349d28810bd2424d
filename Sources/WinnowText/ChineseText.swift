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

    /// Full-width → half-width: MAP-CC's table (`mapcc`), or every full-width ASCII form
    /// (U+FF01–U+FF5E) and the ideographic space (`general`). Works on UTF-8 bytes: every
    /// character concerned is a 3-byte sequence.
    public static func halfWidth(_ text: String, general: Bool = false) -> String {
        var t = text
        return t.withUTF8 { src -> String in
            var out: [UInt8] = []
            out.reserveCapacity(src.count)
            var changed = false
            var i = 0
            let n = src.count
            while i < n {
                let b = src[i]
                if (b == 0xE2 || b == 0xE3 || b == 0xEF) && i + 2 < n {
                    let v = UInt32(b & 0x0F) << 12 | UInt32(src[i + 1] & 0x3F) << 6 | UInt32(src[i + 2] & 0x3F)
                    var ascii: UInt8?
                    if general && v >= 0xFF01 && v <= 0xFF5E { ascii = UInt8(v - 0xFEE0) }
                    else if general && v == 0x3000 { ascii = 0x20 }
                    else if let c = Unicode.Scalar(v), let m = mapccFullWidth[c] { ascii = UInt8(m.value) }
                    if let ascii {
                        out.append(ascii)
                        changed = true
                        i += 3
                        continue
                    }
                }
                out.append(b)
                i += 1
            }
            return changed ? String(decoding: out, as: UTF8.self) : text
        }
    }
}

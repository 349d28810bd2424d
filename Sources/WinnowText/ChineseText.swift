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
    /// (U+FF01–U+FF5E) and the ideographic space (`general`).
    public static func halfWidth(_ text: String, general: Bool = false) -> String {
        var out = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            if general {
                if c.value >= 0xFF01 && c.value <= 0xFF5E { out.append(Unicode.Scalar(c.value - 0xFEE0)!); continue }
                if c.value == 0x3000 { out.append(" "); continue }
                if let m = mapccFullWidth[c], c.value < 0xFF00 { out.append(m); continue }  // 。 “ ” ‘ ’ are not in the FF block
            } else if let m = mapccFullWidth[c] {
                out.append(m); continue
            }
            out.append(c)
        }
        return String(out)
    }
}

// A minimal HTML builder: every piece of text that comes from a run (document text, URLs,
// stage names, errors) goes through `escape`, so a dropped document containing markup is
// shown, never interpreted.

struct HTML {
    private(set) var text = ""

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab/newline would make the file invalid.
                if u.value < 0x20 && u != "\n" && u != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// Raw markup (built here, never from run data).
    mutating func raw(_ s: String) { text += s }
    /// Escaped text.
    mutating func text(_ s: String) { text += Self.escape(s) }

    mutating func element(_ tag: String, _ attributes: String = "", _ body: (inout HTML) -> Void) {
        text += attributes.isEmpty ? "<\(tag)>" : "<\(tag) \(attributes)>"
        body(&self)
        text += "</\(tag)>"
    }

    mutating func element(_ tag: String, _ attributes: String = "", text t: String) {
        element(tag, attributes) { $0.text(t) }
    }

    /// A table with a header row; cells are escaped text, `numeric` columns right-aligned.
    mutating func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = []) {
        element("table") { h in
            h.element("thead") { h in
                h.element("tr") { h in
                    for (i, c) in header.enumerated() { h.element("th", numeric.contains(i) ? "class=\"num\"" : "", text: c) }
                }
            }
            h.element("tbody") { h in
                for r in rows {
                    h.element("tr") { h in
                        for (i, c) in r.enumerated() { h.element("td", numeric.contains(i) ? "class=\"num\"" : "", text: c) }
                    }
                }
            }
        }
    }
}

/// Numbers as people read them: 1,234,567; 12.3 MB; 45.6 %; 1.2 s.
enum Format {
    static func int(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "∞" : "-∞") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (abs(x) * scale).rounded() / scale
        var whole = String(Int(r))
        if digits > 0 {
            var frac = String(Int(((r - r.rounded(.down)) * scale).rounded()))
            while frac.count < digits { frac = "0" + frac }
            whole += "." + frac
        }
        return (x < 0 && r != 0 ? "-" : "") + whole
    }

    static func bytes(_ n: Int) -> String {
        let x = Double(n)
        if x >= 1e9 { return fixed(x / 1e9, 2) + " GB" }
        if x >= 1e6 { return fixed(x / 1e6, 1) + " MB" }
        if x >= 1e3 { return fixed(x / 1e3, 1) + " kB" }
        return "\(n) B"
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "–" : fixed(100 * Double(part) / Double(whole), 1) + " %"
    }

    static func seconds(_ s: Double) -> String {
        if s >= 3600 { return fixed(s / 3600, 1) + " h" }
        if s >= 60 { return fixed(s / 60, 1) + " min" }
        if s >= 1 { return fixed(s, 1) + " s" }
        if s >= 1e-3 { return fixed(s * 1e3, 1) + " ms" }
        return fixed(s * 1e6, 0) + " µs"
    }

    /// A whole number in at most ~5 characters (12,345 · 123k · 4.5M).
    static func count(_ n: Int) -> String { n < 100_000 ? int(n) : axis(Double(n)) }

    /// A short number for axis labels (3 significant figures, k/M suffixes).
    static func axis(_ x: Double) -> String {
        let a = abs(x)
        if a >= 1e6 { return fixed(x / 1e6, a >= 1e7 ? 0 : 1) + "M" }
        if a >= 1e3 { return fixed(x / 1e3, a >= 1e4 ? 0 : 1) + "k" }
        if a >= 100 || a == 0 { return fixed(x, 0) }
        if a >= 10 { return fixed(x, 1) }
        if a >= 1 { return fixed(x, 2) }
        return fixed(x, 3)
    }
}

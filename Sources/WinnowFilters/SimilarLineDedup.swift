import WinnowCore

/// MAP-CC's intra-document near-duplicate sentence removal (CT-LLM
/// `edit_distance_dedup.dedup_text(text, 0.1)`, SPECS §2.2 item 3). Sentences end after
/// `. ! ? 。 ！ ？ \ … ] 】` and start before `[ 【`. For each surviving sentence i and each
/// later surviving j: a candidate if their lengths differ by less than max(0.3, p) of the longer
/// and their character multisets overlap (Σmin/Σmax) by at least 1/3; j is removed if its edit
/// distance to i is at most p · max length (0, i.e. equal, when the shorter has ≤ 15 characters).
/// Survivors are joined with no separator, as the original does.
public final class SimilarLineDedup: Stage {
    public let name = "similar_line_dedup"
    let p: Double

    public init(_ params: inout StageParameters) throws {
        p = try params.double("p", default: 0.1)
        guard p >= 0 && p < 1 else { throw params.error("p", "p must be in [0, 1)") }
    }

    static let ends: Set<Unicode.Scalar> = Set(".!?。！？\\…]】".unicodeScalars)
    static let starts: Set<Unicode.Scalar> = Set("[【".unicodeScalars)

    static func sentences(_ text: String) -> [[Unicode.Scalar]] {
        var out: [[Unicode.Scalar]] = []
        var cur: [Unicode.Scalar] = []
        for c in text.unicodeScalars {
            if starts.contains(c) && !cur.isEmpty { out.append(cur); cur = [] }
            cur.append(c)
            if ends.contains(c) { out.append(cur); cur = [] }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    /// Edit distance, or `limit + 1` as soon as every cell of a row exceeds `limit`.
    static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        let n = a.count, m = b.count
        if abs(n - m) > limit { return limit + 1 }
        if n == 0 || m == 0 { return max(n, m) }
        var prev = [Int](0...m)
        var cur = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            cur[0] = i
            var rowMin = i
            for j in 1...m {
                let v = min(prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1)
                cur[j] = v
                if v < rowMin { rowMin = v }
            }
            if rowMin > limit { return limit + 1 }
            swap(&prev, &cur)
        }
        return min(prev[m], limit + 1)
    }

    static func overlap(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        var ca: [Unicode.Scalar: Int] = [:], cb: [Unicode.Scalar: Int] = [:]
        for c in a { ca[c, default: 0] += 1 }
        for c in b { cb[c, default: 0] += 1 }
        var mn = 0, mx = 0
        for (k, v) in ca { let w = cb[k] ?? 0; mn += min(v, w); mx += max(v, w) }
        for (k, w) in cb where ca[k] == nil { mx += w }
        return mx == 0 ? 1 : Double(mn) / Double(mx)
    }

    /// The text without near-duplicate sentences, and how many were removed.
    public func dedup(_ text: String) -> (String, Int) {
        let s = Self.sentences(text)
        var removed = [Bool](repeating: false, count: s.count)
        // Character counts once per sentence; Σmax = len_i + len_j − Σmin, so one pass over the
        // smaller map gives the overlap.
        let counts: [[Unicode.Scalar: Int]] = s.map { sent in
            var c: [Unicode.Scalar: Int] = [:]
            for x in sent { c[x, default: 0] += 1 }
            return c
        }
        let lengthRatio = max(0.3, p)
        for i in 0..<s.count where !removed[i] {
            for j in (i + 1)..<max(s.count, i + 1) where !removed[j] {
                let li = s[i].count, lj = s[j].count
                let longest = max(li, lj)
                guard longest > 0 else { continue }
                if Double(abs(li - lj)) / Double(longest) >= lengthRatio { continue }
                let (small, large) = counts[i].count <= counts[j].count ? (counts[i], counts[j]) : (counts[j], counts[i])
                var mn = 0
                for (k, v) in small { if let w = large[k] { mn += min(v, w) } }
                let mx = li + lj - mn
                if mx > 0 && Double(mn) / Double(mx) < 1.0 / 3.0 { continue }
                let threshold = min(li, lj) <= 15 ? 0 : Int(p * Double(longest))
                if Self.levenshtein(s[i], s[j], limit: threshold) <= threshold { removed[j] = true }
            }
        }
        var out = String.UnicodeScalarView()
        var n = 0
        for (k, sent) in s.enumerated() { if removed[k] { n += 1 } else { out.append(contentsOf: sent) } }
        return (String(out), n)
    }

    public func apply(_ doc: inout Document) -> Verdict {
        let (text, n) = dedup(doc.text)
        if n > 0 {
            doc.text = text
            doc.metadata["similar_lines_removed"] = .int(n)
        }
        return .keep
    }
}

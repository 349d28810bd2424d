import WinnowCore
import WinnowText

/// MAP-CC's intra-document near-duplicate sentence removal (CT-LLM
/// `edit_distance_dedup.dedup_text(text, 0.1)`, SPECS §2.2 item 3). Sentences end after
/// `. ! ? 。 ！ ？ \ … ] 】` and start before `[ 【`. For each surviving sentence i and each
/// later surviving j: a candidate if their lengths differ by less than max(0.3, p) of the longer
/// and their character multisets overlap (Σmin/Σmax) by at least 1/3; j is removed if its edit
/// distance to i is at most p · max length (0, i.e. equal, when the shorter has ≤ 15 characters).
/// Survivors are joined with no separator, as the original does.
///
/// Speed: which j a given i removes depends only on the pair, so the pair tests run cheapest
/// first — lengths, then an upper bound of Σmin from 128-bucket character histograms (bucketing
/// can only merge characters, so Σ min over buckets ≥ Σ min over characters), then the exact
/// overlap with a counting table — the edit distance is at least the longer length minus Σmin,
/// which settles most pairs — then a banded edit distance that stops once the band exceeds the
/// limit.
public final class SimilarLineDedup: Stage {
    public let name = "similar_line_dedup"
    let p: Double
    private var counts = [Int32](repeating: 0, count: 0x110000)
    static let buckets = 128

    public init(_ params: inout StageParameters) throws {
        p = try params.double("p", default: 0.1)
        guard p >= 0 && p < 1 else { throw params.error("p", "p must be in [0, 1)") }
    }

    @inline(__always) static func isEnd(_ c: UInt32) -> Bool {
        switch c {
        case 0x2E, 0x21, 0x3F, 0x3002, 0xFF01, 0xFF1F, 0x5C, 0x2026, 0x5D, 0x3011: return true
        default: return false
        }
    }
    @inline(__always) static func isStart(_ c: UInt32) -> Bool { c == 0x5B || c == 0x3010 }

    /// Sentence boundaries: sentence k is `s[b[k]..<b[k + 1]]`.
    static func boundaries(_ s: [UInt32]) -> [Int] {
        var b = [0]
        for (i, c) in s.enumerated() {
            if isStart(c) && i > b[b.count - 1] { b.append(i) }
            if isEnd(c) { b.append(i + 1) }
        }
        if b[b.count - 1] != s.count { b.append(s.count) }
        return b
    }

    /// The sentences of `text` (for tests and tools).
    static func sentences(_ text: String) -> [[Unicode.Scalar]] {
        let s = Scalars.of(text)
        let b = boundaries(s)
        return (0..<(b.count - 1)).map { k in s[b[k]..<b[k + 1]].map { Unicode.Scalar($0)! } }
    }

    static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        let x = a.map(\.value), y = b.map(\.value)
        var rows = [Int32]()
        return x.withUnsafeBufferPointer { xa in y.withUnsafeBufferPointer { ya in levenshtein(xa, ya, limit: limit, rows: &rows) } }
    }

    /// Edit distance if it is at most `limit`, else `limit + 1`. Only cells within `limit` of the
    /// diagonal can stay within the limit, so only those are computed.
    static func levenshtein(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>, limit: Int, rows: inout [Int32]) -> Int {
        let n = a.count, m = b.count
        if abs(n - m) > limit { return limit + 1 }
        if n == 0 || m == 0 { return max(n, m) }
        if limit == 0 { return a.elementsEqual(b) ? 0 : 1 }
        let cap = Int32(limit + 1)
        if rows.count < 2 * (m + 1) { rows = [Int32](repeating: 0, count: 2 * (m + 1)) }
        return rows.withUnsafeMutableBufferPointer { r -> Int in
            var prev = r.baseAddress!, cur = prev + (m + 1)
            for j in 0...m { prev[j] = min(Int32(j), cap) }
            for i in 1...n {
                let lo = max(1, i - limit), hi = min(m, i + limit)
                cur[lo - 1] = lo == 1 ? min(Int32(i), cap) : cap
                var rowMin = cur[lo - 1]
                let ai = a[i - 1]
                for j in lo...hi {
                    let v = min(prev[j - 1] + (ai == b[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1, cap)
                    cur[j] = v
                    if v < rowMin { rowMin = v }
                }
                if hi < m { cur[hi + 1] = cap }
                if rowMin >= cap { return limit + 1 }
                swap(&prev, &cur)
            }
            return Int(min(prev[m], cap))
        }
    }

    /// The text without near-duplicate sentences, and how many were removed.
    public func dedup(_ text: String) -> (String, Int) {
        let s = Scalars.of(text)
        let b = Self.boundaries(s)
        let count = b.count - 1
        guard count >= 2 else { return (text, 0) }
        // 128-bucket character histograms (UInt16: sentences longer than 65 535 skip the bound).
        var flat = [UInt16](repeating: 0, count: count * Self.buckets)
        flat.withUnsafeMutableBufferPointer { f in
            for k in 0..<count where b[k + 1] - b[k] <= 0xFFFF {
                let base = k * Self.buckets
                for c in s[b[k]..<b[k + 1]] { f[base + Int((c ^ (c >> 7)) & UInt32(Self.buckets - 1))] &+= 1 }
            }
        }
        var removed = [Bool](repeating: false, count: count)
        // Up to 15 characters the limit is 0: a short sentence is removed only by an earlier
        // equal one, so the first of each short sentence stays and its copies go.
        var seenShort = Set<ArraySlice<UInt32>>()
        var long: [Int] = []
        for k in 0..<count {
            if b[k + 1] - b[k] <= 15 {
                if !seenShort.insert(s[b[k]..<b[k + 1]]).inserted { removed[k] = true }
            } else {
                long.append(k)
            }
        }
        // Longer sentences, by length: a sentence's candidates sit in a window of lengths.
        let order = long.sorted { (b[$0 + 1] - b[$0], $0) < (b[$1 + 1] - b[$1], $1) }
        var position = [Int](repeating: 0, count: count)
        for (q, k) in order.enumerated() { position[k] = q }
        var rows = [Int32]()
        let lengthRatio = max(0.3, p)
        let third = 1.0 / 3.0
        s.withUnsafeBufferPointer { sp in flat.withUnsafeBufferPointer { hist in
            counts.withUnsafeMutableBufferPointer { cnt in
                func test(_ i: Int, _ j: Int, _ li: Int, _ lj: Int, _ si: UnsafeBufferPointer<UInt32>) {
                    let longest = max(li, lj)
                    // An alignment matches at most Σmin characters, so the edit distance is at
                    // least longest − Σmin: pairs that cannot come within the limit stop here.
                    let threshold = Int(p * Double(longest))
                    if li <= 0xFFFF && lj <= 0xFFFF {
                        var bound = 0
                        let hi = hist.baseAddress! + i * Self.buckets, hj = hist.baseAddress! + j * Self.buckets
                        for t in 0..<Self.buckets { bound &+= Int(min(hi[t], hj[t])) }
                        if Double(bound) / Double(li + lj - bound) < third { return }
                        if longest - bound > threshold { return }
                    }
                    let sj = UnsafeBufferPointer(rebasing: sp[b[j]..<b[j + 1]])
                    for c in si { cnt[Int(c)] += 1 }
                    var mn = 0
                    for c in sj where cnt[Int(c)] > 0 { mn += 1; cnt[Int(c)] -= 1 }
                    for c in si { cnt[Int(c)] = 0 }
                    let mx = li + lj - mn
                    if mx > 0 && Double(mn) / Double(mx) < third { return }
                    if longest - mn > threshold { return }
                    if Self.levenshtein(si, sj, limit: threshold, rows: &rows) <= threshold { removed[j] = true }
                }
                for i in long where !removed[i] {
                    let li = b[i + 1] - b[i]
                    let si = UnsafeBufferPointer(rebasing: sp[b[i]..<b[i + 1]])
                    let q = position[i]
                    var u = q + 1
                    while u < order.count {
                        let j = order[u], lj = b[j + 1] - b[j]
                        if Double(lj - li) / Double(lj) >= lengthRatio { break }
                        if j > i && !removed[j] { test(i, j, li, lj, si) }
                        u += 1
                    }
                    var d = q - 1
                    while d >= 0 {
                        let j = order[d], lj = b[j + 1] - b[j]
                        if Double(li - lj) / Double(li) >= lengthRatio { break }
                        if j > i && !removed[j] { test(i, j, li, lj, si) }
                        d -= 1
                    }
                }
            }
        } }
        let n = removed.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard n > 0 else { return (text, 0) }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for k in 0..<count where !removed[k] { for c in s[b[k]..<b[k + 1]] { Scalars.append(c, to: &out) } }
        return (String(decoding: out, as: UTF8.self), n)
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

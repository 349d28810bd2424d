/// Per-language score percentiles in the layout of CCNet's `cutoff.csv`: a header row naming the
/// languages after an index column (`,en,zh`; the first cell is the index's name, empty in
/// CCNet's file), then one row per percentile (`30,1.0213,0.9472`). CCNet's values are KenLM
/// perplexities; Winnow's are bits per byte (`lm_score`, `winnow lm cutoffs`). Either way lower
/// is more like the model's training text, and CCNet's buckets are head below the 30th
/// percentile, middle below the 60th, tail from there on.
public struct LMCutoffTable: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        public var percentile: Int
        /// One value per language, in `languages` order.
        public var values: [Double]
    }
    public var languages: [String]
    public var rows: [Row]

    public init(languages: [String], rows: [Row]) { self.languages = languages; self.rows = rows }

    /// Parses the CSV text of `file` (named in errors with the line).
    public init(csv text: String, file: String) throws {
        // "\r\n" is one Character: split on any line break.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        while let l = lines.last, l.allSatisfy({ $0 == " " }) { lines.removeLast() }
        guard let header = lines.first else { throw LMError("\(file): empty cutoff table (expected a header like ',en,zh')") }
        func cells(_ line: Substring, _ n: Int) throws -> [Substring] {
            if line.contains("\"") { throw LMError("\(file):\(n): quoted cells are not supported") }
            return line.split(separator: ",", omittingEmptySubsequences: false).map { $0.drop { $0 == " " } }
        }
        let names = try cells(header, 1).dropFirst().map { String($0.trimmingSuffix(" ")) }
        guard !names.isEmpty else { throw LMError("\(file):1: the header names no language (expected e.g. ',en,zh')") }
        for (i, n) in names.enumerated() {
            if n.isEmpty { throw LMError("\(file):1: column \(i + 2) has no language name") }
            if names[..<i].contains(n) { throw LMError("\(file):1: language '\(n)' appears twice") }
        }
        var rows: [Row] = []
        for (i, line) in lines.enumerated().dropFirst() {
            let c = try cells(line, i + 1)
            guard c.count == names.count + 1 else {
                throw LMError("\(file):\(i + 1): \(c.count) cells, the header has \(names.count + 1)")
            }
            guard let pd = Double(c[0]), pd == pd.rounded(), pd >= 0, pd <= 100 else {
                throw LMError("\(file):\(i + 1): '\(c[0])' is not a percentile (an integer from 0 to 100)")
            }
            let p = Int(pd)
            if rows.contains(where: { $0.percentile == p }) { throw LMError("\(file):\(i + 1): percentile \(p) appears twice") }
            var values: [Double] = []
            for (j, cell) in c.dropFirst().enumerated() {
                guard let v = Double(cell.trimmingSuffix(" ")), v.isFinite else {
                    throw LMError("\(file):\(i + 1): '\(cell)' (\(names[j])) is not a number")
                }
                values.append(v)
            }
            rows.append(Row(percentile: p, values: values))
        }
        guard !rows.isEmpty else { throw LMError("\(file): the cutoff table has a header but no rows") }
        languages = names
        self.rows = rows
    }

    /// The value of `language` at `percentile`, nil when either is not in the table.
    public func value(language: String, percentile: Int) -> Double? {
        guard let j = languages.firstIndex(of: language), let r = rows.first(where: { $0.percentile == percentile }) else { return nil }
        return r.values[j]
    }

    /// The table of `scores` per language at `percentiles` (numpy's default "linear"
    /// percentile: rank p/100 · (n − 1) between the sorted values), rounded to 6 decimals.
    /// Languages are sorted by name; a language without scores is left out.
    public static func compute(scores: [String: [Double]], percentiles: [Int] = Array(0...100)) -> LMCutoffTable {
        let langs = scores.keys.filter { !(scores[$0]!.isEmpty) }.sorted()
        let sorted = langs.map { scores[$0]!.sorted() }
        let rows = percentiles.map { p in Row(percentile: p, values: sorted.map { rounded6(percentile($0, Double(p))) }) }
        return LMCutoffTable(languages: langs, rows: rows)
    }

    /// The p-th percentile (0…100) of ascending `sorted`, linearly interpolated.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty)
        let rank = p / 100 * Double(sorted.count - 1)
        let lo = Int(rank.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        let frac = rank - Double(lo)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac
    }

    /// The CSV text (header `,lang…`, one row per percentile).
    public var csv: String {
        var s = "," + languages.joined(separator: ",") + "\n"
        for r in rows { s += "\(r.percentile)," + r.values.map { formatScore($0) }.joined(separator: ",") + "\n" }
        return s
    }
}

/// Scores are kept to 6 decimals (what `lm_score` writes into metadata and compares).
@inline(__always) public func rounded6(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

/// The shortest text of a 6-decimal score (`1.5`, `0.912345`).
public func formatScore(_ x: Double) -> String {
    var s = String(rounded6(x))
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
}

extension Substring {
    fileprivate func trimmingSuffix(_ c: Character) -> Substring {
        var s = self
        while s.last == c { s.removeLast() }
        return s
    }
}

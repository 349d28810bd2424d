import WinnowCore
import WinnowText
#if canImport(Glibc)
import Glibc
#endif

/// WuDao-style gate: drop documents whose share of Han characters (U+4E00–U+9FA5) is below
/// `min` (WuDao 0.7; ChineseWebText 0.3).
public final class CJKRatioFilter: Stage {
    public let name = "cjk_ratio"
    let minRatio: Double

    public init(_ p: inout StageParameters) throws {
        minRatio = try p.double("min", default: 0.7)
    }

    public func apply(_ doc: inout Document) -> Verdict {
        ChineseText.hanRatio(doc.text) < minRatio ? .drop("cjk_ratio") : .keep
    }
}

/// ChineseWebText 1.0's rule stage (`preprocess.py`, SPECS §3), in its order: length
/// (≤ 200 characters) and mean line length (< 10); Han ratio (< 0.3) and traditional characters
/// (the text changes under Traditional→Simplified: dropped, not converted); sensitive words
/// (distinct list words found as substrings per line > 0.5; needs `sensitive_words`, a file of
/// `word` or `category<TAB>word` lines); internal repetition over character 13-grams of the text
/// lowercased without spaces, newlines and tabs (> 0.5).
public final class ChineseWebTextFilter: Stage {
    public let name = "chinesewebtext_filter"
    let minLength: Int, minLineLength: Double, minHanRatio: Double, maxSensitive: Double, maxRepetition: Double
    let checkTraditional: Bool
    let sensitive: AhoCorasick?
    let ngram: Int

    public init(_ p: inout StageParameters) throws {
        minLength = try p.int("min_length", default: 200)
        minLineLength = try p.double("min_mean_line_length", default: 10)
        minHanRatio = try p.double("min_cjk_ratio", default: 0.3)
        checkTraditional = try p.bool("drop_traditional", default: true)
        maxSensitive = try p.double("max_sensitive_per_line", default: 0.5)
        maxRepetition = try p.double("max_repetition", default: 0.5)
        ngram = try p.int("repetition_ngram", default: 13)
        if let path = try p.string("sensitive_words") {
            guard let text = readTextFile(path) else { throw p.error("sensitive_words", "cannot read \(path)") }
            let words = text.split(whereSeparator: \.isNewline).compactMap { line -> String? in
                let w = line.split(separator: "\t").last.map(String.init) ?? ""
                return w.isEmpty ? nil : w
            }
            sensitive = AhoCorasick(words)
        } else {
            sensitive = nil
        }
    }

    public func apply(_ doc: inout Document) -> Verdict {
        let text = doc.text
        let chars = text.unicodeScalars.count
        if chars <= minLength { return .drop("cwt_too_short") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let lineChars = lines.reduce(0) { $0 + $1.unicodeScalars.count }
        if Double(lineChars) / Double(lines.count) < minLineLength { return .drop("cwt_short_lines") }
        if ChineseText.hanRatio(text) < minHanRatio { return .drop("cwt_cjk_ratio") }
        if checkTraditional && ICUText.containsTraditional(text) { return .drop("cwt_traditional") }
        if let sensitive, Double(sensitive.distinctMatches(text).count) / Double(lines.count) > maxSensitive {
            return .drop("cwt_sensitive_words")
        }
        if repetitionRatio(text) > maxRepetition { return .drop("cwt_repetition") }
        return .keep
    }

    /// Σ counts of n-grams seen more than once / number of n-grams, over the text lowercased
    /// with spaces, newlines and tabs removed; as released, the loop stops one n-gram short.
    func repetitionRatio(_ text: String) -> Double {
        let s = Array(text.lowercased().unicodeScalars.filter { $0 != " " && $0 != "\n" && $0 != "\t" })
        let total = s.count - ngram  // range(len - n)
        guard total > 0 else { return 0 }
        var counts: [Int: Int] = [:]
        var keys: [Int] = []
        keys.reserveCapacity(total)
        for i in 0..<total {
            var h = Hasher()
            for j in i..<(i + ngram) { h.combine(s[j].value) }
            keys.append(h.finalize())
        }
        for k in keys { counts[k, default: 0] += 1 }
        let repeated = counts.values.reduce(0) { $0 + ($1 > 1 ? $1 : 0) }
        return Double(repeated) / Double(total)
    }
}


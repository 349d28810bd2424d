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
    private var counter = NGramCounter()

    public init(_ p: inout StageParameters) throws {
        minLength = try p.int("min_length", default: 200)
        minLineLength = try p.double("min_mean_line_length", default: 10)
        minHanRatio = try p.double("min_cjk_ratio", default: 0.3)
        checkTraditional = try p.bool("drop_traditional", default: true)
        maxSensitive = try p.double("max_sensitive_per_line", default: 0.5)
        maxRepetition = try p.double("max_repetition", default: 0.5)
        ngram = try p.int("repetition_ngram", default: 13)
        if let path = try p.string("sensitive_words") {
            let lines: [Substring]
            do { lines = try ListFile.lines(path, allowEmpty: try p.bool("allow_empty", default: false)) } catch { throw p.error("sensitive_words", "\(error)") }
            let words = lines.compactMap { line -> String? in
                let w = line.split(separator: "\t").last.map(String.init) ?? ""
                return w.isEmpty ? nil : w
            }
            sensitive = AhoCorasick(words)
        } else {
            sensitive = nil
        }
        if checkTraditional { ICUText.prepare(simplification: true) }
    }

    public func apply(_ doc: inout Document) -> Verdict {
        let text = doc.text
        let s = Scalars.of(text)
        if s.count <= minLength { return .drop("cwt_too_short") }
        // text.split("\n"): every character but the newlines belongs to a line.
        var newlines = 0, han = 0
        for c in s {
            if c == 0x0A { newlines += 1 }
            if c >= 0x4E00 && c <= 0x9FA5 { han += 1 }
        }
        let lines = newlines + 1
        if Double(s.count - newlines) / Double(lines) < minLineLength { return .drop("cwt_short_lines") }
        if Double(han) / Double(s.count) < minHanRatio { return .drop("cwt_cjk_ratio") }
        if checkTraditional && ICUText.containsTraditional(s, text) { return .drop("cwt_traditional") }
        if let sensitive, Double(sensitive.distinctMatches(text).count) / Double(lines) > maxSensitive {
            return .drop("cwt_sensitive_words")
        }
        if repetitionRatio(s) > maxRepetition { return .drop("cwt_repetition") }
        return .keep
    }

    func repetitionRatio(_ text: String) -> Double { repetitionRatio(Scalars.of(text)) }

    /// Σ counts of n-grams seen more than once / number of n-grams, over the text lowercased
    /// (Python's `str.lower`) with spaces, newlines and tabs removed; as released, the loop stops
    /// one n-gram short.
    func repetitionRatio(_ text: [UInt32]) -> Double {
        var s = Scalars.lowercased(text)
        s.removeAll { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 }
        let total = s.count - ngram  // range(len - n)
        guard total > 0 else { return 0 }
        s.withUnsafeBufferPointer { counter.count($0, n: ngram, positions: total) }
        let repeated = counter.counts.reduce(0) { $0 + ($1 > 1 ? Int($1) : 0) }
        return Double(repeated) / Double(total)
    }
}

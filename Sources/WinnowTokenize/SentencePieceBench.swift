// Parity and speed checks against reference ids written by bench/parity/sentencepiece_parity.py
// (which builds a throwaway executable that calls these two functions in a release build).

import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

public enum SentencePieceBench {
    /// One reference case: the input (text, or raw bytes given as hex), sentencepiece's ids and
    /// its decode of those ids.
    struct Case {
        var name: String
        var input: [UInt8]
        var ids: [UInt32]
        var decoded: [UInt8]
        var lossless: Bool
    }

    static func readCases(_ path: String) throws -> [Case] {
        guard let bytes = readFileBytes(path) else { throw TokenizerError(path: path, "cannot read the reference file") }
        var cases: [Case] = []
        var lineNo = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            lineNo += 1
            let v: JSONValue
            do { v = try JSONParser.parse(Array(line)) } catch {
                throw TokenizerError(path: path, "line \(lineNo): \(error)")
            }
            var input: [UInt8]
            if let hex = v["hex"]?.stringValue {
                input = []
                let h = Array(hex.utf8)
                var i = 0
                while i + 1 < h.count {
                    input.append(UInt8(String(decoding: h[i...(i + 1)], as: UTF8.self), radix: 16) ?? 0)
                    i += 2
                }
            } else {
                input = Array((v["text"]?.stringValue ?? "").utf8)
            }
            cases.append(Case(name: v["name"]?.stringValue ?? "line \(lineNo)", input: input,
                              ids: (v["ids"]?.arrayValue ?? []).map { UInt32($0.intValue ?? -1) },
                              decoded: Array((v["decoded"]?.stringValue ?? "").utf8),
                              lossless: v["lossless"]?.boolValue ?? false))
        }
        return cases
    }

    /// Encodes every case and compares ids, decodes and (where the reference says the text
    /// survives normalization unchanged) exact round trips. Returns report lines.
    public static func parity(modelPath: String, referencePath: String, showMismatches: Int = 3) throws -> [String] {
        let tok = try SentencePieceTokenizer(path: modelPath)
        let cases = try readCases(referencePath)
        var sameIDs = 0, sameDecode = 0, losslessCases = 0, roundTrips = 0
        var report: [String] = []
        var shown = 0
        for c in cases {
            let ids = c.input.withUnsafeBufferPointer { tok.encode(utf8: $0) }
            if ids == c.ids { sameIDs += 1 } else if shown < showMismatches {
                shown += 1
                let at = (0..<min(ids.count, c.ids.count)).first(where: { ids[$0] != c.ids[$0] }) ?? min(ids.count, c.ids.count)
                report.append("  MISMATCH \(c.name): first difference at token \(at): winnow \(Array(ids[at..<min(ids.count, at + 6)])) sentencepiece \(Array(c.ids[at..<min(c.ids.count, at + 6)]))")
            }
            let decoded = tok.decodeBytes(ids)
            if decoded == c.decoded { sameDecode += 1 }
            if c.lossless {
                losslessCases += 1
                if decoded == c.input { roundTrips += 1 }
            }
        }
        report.insert("documents \(cases.count)  identical ids \(sameIDs)/\(cases.count)  decode == sentencepiece decode \(sameDecode)/\(cases.count)  lossless round trips \(roundTrips)/\(losslessCases)", at: 0)
        return report
    }

    /// Median seconds (of `rounds`) to encode all texts of a reference file on this thread,
    /// and the input size in bytes.
    public static func speed(modelPath: String, referencePath: String, rounds: Int = 3) throws -> (bytes: Int, seconds: Double, tokens: Int) {
        let tok = try SentencePieceTokenizer(path: modelPath)
        let cases = try readCases(referencePath)
        let texts = cases.map { String(decoding: $0.input, as: UTF8.self) }
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        var times: [Double] = []
        var tokens = 0
        for _ in 0..<max(rounds, 1) {
            let t0 = now()
            tokens = 0
            for t in texts { tokens += tok.encode(t).count }
            times.append(now() - t0)
        }
        times.sort()
        return (bytes, times[times.count / 2], tokens)
    }

    /// Seconds to encode single words of 10 KB, 100 KB and 1 MB built from a few patterns: a
    /// linear encoder shows ~10× per step.
    public static func scaling(modelPath: String) throws -> [String] {
        let tok = try SentencePieceTokenizer(path: modelPath)
        var lines: [String] = []
        for pattern in ["abcdefghij", "x", "漢字", "1234567890", "\u{2581}"] {
            var parts: [String] = []
            for size in [10_000, 100_000, 1_000_000] {
                let word = String(repeating: pattern, count: max(1, size / pattern.utf8.count))
                let t0 = now()
                let n = tok.encode(word).count
                parts.append("\(size / 1000) KB \(format3(now() - t0))s (\(n) ids)")
            }
            lines.append("'\(pattern)'×: " + parts.joined(separator: ", "))
        }
        return lines
    }

    static func format3(_ x: Double) -> String {
        let ms = Int((x * 1000).rounded())
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000)"
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

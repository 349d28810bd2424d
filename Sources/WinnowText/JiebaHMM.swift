import WinnowCore

/// jieba's `finalseg` HMM: start, transition and emission log-probabilities of the states
/// B, E, M, S (indexed in that, alphabetical, order, which is how Python's `max` over
/// `(prob, state)` tuples breaks ties).
struct JiebaHMM: Sendable {
    static let minFloat = -3.14e100
    static let hanLow: UInt32 = 0x4E00, hanHigh: UInt32 = 0x9FD5
    var start = [Double](repeating: minFloat, count: 4)
    var trans = [Double](repeating: minFloat, count: 16)  // [from * 4 + to]
    /// Per Han character (U+4E00–U+9FD5, the only ones the HMM sees) and state: [c * 4 + state].
    var emit = [Double](repeating: minFloat, count: Int(hanHigh - hanLow + 1) * 4)

    static func state(_ c: UInt32) -> Int? {
        switch c { case 0x42: return 0; case 0x45: return 1; case 0x4D: return 2; case 0x53: return 3; default: return nil }
    }

    init(directory: String) throws {
        func load(_ name: String) throws -> [(String, [(UInt32, Double)])] {
            let path = directory + "/" + name
            guard let bytes = readFileBytes(path) else { throw JiebaDictionary.LoadError.missing(path) }
            guard let d = PythonDictLiteral.parse(bytes) else { throw JiebaDictionary.LoadError.malformed(path, 0, "not a dict literal `P={...}`") }
            return d
        }
        for (s, entries) in try load("prob_start.py") {
            guard let k = Self.state(Scalars.of(s).first ?? 0), let v = entries.first else { continue }
            start[k] = v.1
        }
        for (s, entries) in try load("prob_trans.py") {
            guard let from = Self.state(Scalars.of(s).first ?? 0) else { continue }
            for (c, v) in entries { if let to = Self.state(c) { trans[from * 4 + to] = v } }
        }
        for (s, entries) in try load("prob_emit.py") {
            guard let st = Self.state(Scalars.of(s).first ?? 0) else { continue }
            for (c, v) in entries where c >= Self.hanLow && c <= Self.hanHigh { emit[Int(c - Self.hanLow) * 4 + st] = v }
        }
    }
}

/// Just enough of Python's literal syntax for jieba's `P={...}` files: string keys (with
/// `\uXXXX` escapes) mapping to floats or to dicts of one-character string → float.
enum PythonDictLiteral {
    /// Outer keys in file order; a float value comes back as one entry keyed 0. The file is
    /// read as code points (broken UTF-8 repaired), so no input can make the parser overrun.
    static func parse(_ bytes: [UInt8]) -> [(String, [(UInt32, Double)])]? {
        let b = Scalars.of(String(decoding: bytes, as: UTF8.self))
        // `P=` at the start of a line (after any `from __future__` line), then its brace.
        guard var i = b.indices.first(where: { $0 + 1 < b.count && b[$0] == 0x50 && b[$0 + 1] == 0x3D && ($0 == 0 || b[$0 - 1] == 0x0A) }) else { return nil }
        i += 2
        func skipSpace() { while i < b.count && (b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 || b[i] == 0x2C) { i += 1 } }
        func ascii(_ r: Range<Int>) -> String { String(decoding: b[r].map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self) }
        func string() -> [UInt32]? {
            guard i < b.count, b[i] == 0x27 || b[i] == 0x22 else { return nil }
            let quote = b[i]
            i += 1
            var out: [UInt32] = []
            while i < b.count && b[i] != quote {
                if b[i] == 0x5C, i + 5 < b.count, b[i + 1] == 0x75, b[(i + 2)..<(i + 6)].allSatisfy({ $0 < 0x80 }),
                   let v = UInt32(ascii((i + 2)..<(i + 6)), radix: 16) {
                    out.append(v)
                    i += 6
                } else {
                    out.append(b[i]); i += 1
                }
            }
            guard i < b.count else { return nil }
            i += 1
            return out
        }
        func number() -> Double? {
            let s = i
            while i < b.count, (b[i] >= 0x30 && b[i] <= 0x39) || b[i] == 0x2D || b[i] == 0x2B || b[i] == 0x2E || b[i] == 0x65 || b[i] == 0x45 { i += 1 }
            return Double(ascii(s..<i))
        }
        skipSpace()
        guard i < b.count, b[i] == 0x7B else { return nil }
        i += 1
        var out: [(String, [(UInt32, Double)])] = []
        while true {
            skipSpace()
            guard i < b.count else { return nil }
            if b[i] == 0x7D { return out }
            guard let key = string() else { return nil }
            skipSpace()
            guard i < b.count, b[i] == 0x3A else { return nil }
            i += 1
            skipSpace()
            var entries: [(UInt32, Double)] = []
            if i < b.count && b[i] == 0x7B {
                i += 1
                while true {
                    skipSpace()
                    guard i < b.count else { return nil }
                    if b[i] == 0x7D { i += 1; break }
                    guard let k = string(), k.count == 1 else { return nil }
                    skipSpace()
                    guard i < b.count, b[i] == 0x3A else { return nil }
                    i += 1
                    skipSpace()
                    guard let v = number() else { return nil }
                    entries.append((k[0], v))
                }
            } else {
                guard let v = number() else { return nil }
                entries.append((0, v))
            }
            out.append((Scalars.string(key[...]), entries))
        }
    }
}

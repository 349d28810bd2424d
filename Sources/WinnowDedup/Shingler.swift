/// Turns a document into shingle hashes for MinHash.
///
/// - `words`: datatrove's shingles — `simplify_text`, English word tokens, n-grams joined with
///   spaces (with `sha1` hashing this is bit-compatible with FineWeb's configuration).
/// - `cjk` (default): the same, except that every CJK ideograph, kana and hangul syllable is a
///   token of its own, so Chinese or Japanese text (no spaces) is shingled by characters
///   instead of as a few giant "words".
/// - `chars`: character n-grams of the simplified text without spaces (MAP-CC style).
public struct Shingler: Sendable {
    public enum Unit: String, Sendable, CaseIterable { case words, cjk, chars }
    public let unit: Unit
    public let n: Int
    public let hash: ShingleHash
    public let bits: Int
    let simplifier = TextSimplifier()
    let tokenizer = WordTokenizer()

    public init(unit: Unit = .cjk, n: Int = 5, hash: ShingleHash = .xxhash, bits: Int = 64) {
        self.unit = unit; self.n = n; self.hash = hash; self.bits = bits
    }

    public func tokens(_ text: String) -> [String] {
        let simple = simplifier.simplify(text)
        switch unit {
        case .words: return tokenizer.tokenize(simple)
        case .cjk:
            var out: [String] = []
            for t in tokenizer.tokenize(simple) {
                if !t.unicodeScalars.contains(where: Self.isCJK) { out.append(t); continue }
                var run = String.UnicodeScalarView()
                for c in t.unicodeScalars {
                    if Self.isCJK(c) {
                        if !run.isEmpty { out.append(String(run)); run = String.UnicodeScalarView() }
                        out.append(String(c))
                    } else {
                        run.append(c)
                    }
                }
                if !run.isEmpty { out.append(String(run)) }
            }
            return out
        case .chars:
            return simple.unicodeScalars.filter { $0 != " " }.map { String($0) }
        }
    }

    /// Hashes of the n-grams (joined with a space for words, nothing for characters).
    public func shingles(_ text: String, into out: inout [UInt64]) {
        out.removeAll(keepingCapacity: true)
        let toks = tokens(text)
        guard toks.count >= n else { return }
        let sep: [UInt8] = unit == .chars ? [] : [0x20]
        let utf8 = toks.map { Array($0.utf8) }
        var buf: [UInt8] = []
        for i in 0...(utf8.count - n) {
            buf.removeAll(keepingCapacity: true)
            for j in 0..<n {
                if j > 0 { buf += sep }
                buf += utf8[i + j]
            }
            out.append(buf.withUnsafeBytes { hash.hash($0, bits: bits) })
        }
    }

    @inline(__always) static func isCJK(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }
}

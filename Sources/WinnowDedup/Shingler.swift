import WinnowCore
import WinnowText
/// Turns a document into shingle hashes for MinHash.
///
/// - `words`: datatrove's shingles — `simplify_text`, English word tokens, n-grams joined with
///   spaces (with `sha1` hashing this is bit-compatible with FineWeb's configuration).
/// - `cjk` (default): the same, except that every CJK ideograph, kana and hangul syllable is a
///   token of its own, so Chinese or Japanese text (no spaces) is shingled by characters
///   instead of as a few giant "words".
/// - `chars`: character n-grams of the simplified text without spaces.
/// - `raw_chars`: character n-grams of the text as it is, every code point (MAP-CC's
///   `nltk.ngrams` over the string, fed to datasketch).
public struct Shingler: Sendable {
    public enum Unit: String, Sendable, CaseIterable { case words, cjk, chars, rawChars = "raw_chars" }
    public let unit: Unit
    public let n: Int
    public let hash: ShingleHash
    public let bits: Int
    let simplifier = TextSimplifier()
    let tokenizer = WordTokenizer()
    /// `words` as datatrove 0.2.0 made them for FineWeb: its `simplify_text`, then NLTK's
    /// `word_tokenize`.
    let nltk: NLTKWordTokenizer?

    public init(unit: Unit = .cjk, n: Int = 5, hash: ShingleHash = .xxhash, bits: Int = 64, fineweb2024 nltk: NLTKWordTokenizer? = nil) {
        self.unit = unit; self.n = n; self.hash = hash; self.bits = bits; self.nltk = nltk
    }

    /// Reusable buffers for one thread.
    public final class Scratch {
        var simplified: [UInt8] = []
        var words = TokenBuffer()
        var tokens = TokenBuffer()
        var gram: [UInt8] = []
        public init() {}
    }

    public func tokens(_ text: String) -> [String] {
        let s = Scratch()
        tokenize(text, s)
        return (0..<s.tokens.count).map { s.tokens.string($0) }
    }

    func tokenize(_ text: String, _ s: Scratch) {
        var t = text
        if unit == .words, let nltk {
            s.tokens.removeAll()
            let w = nltk.words(simplifier.simplify2024(text))
            var utf8: [UInt8] = []
            for k in 0..<w.count {
                utf8.removeAll(keepingCapacity: true)
                for c in w.scalars[w.range(k)] { Scalars.append(c, to: &utf8) }
                s.tokens.append(utf8)
            }
            return
        }
        if unit == .rawChars {
            s.tokens.removeAll()
            t.withUTF8 { b in
                var i = 0
                while i < b.count {
                    let len = b[i] < 0x80 ? 1 : b[i] < 0xE0 ? 2 : b[i] < 0xF0 ? 3 : 4
                    s.tokens.append(b[i..<min(i + len, b.count)])
                    i += len
                }
            }
            return
        }
        t.withUTF8 { simplifier.simplify(utf8: $0, into: &s.simplified) }
        switch unit {
        case .rawChars:
            break
        case .words:
            s.simplified.withUnsafeBufferPointer { tokenizer.tokenize(utf8: $0, into: &s.tokens) }
        case .cjk:
            s.simplified.withUnsafeBufferPointer { tokenizer.tokenize(utf8: $0, into: &s.words) }
            s.tokens.removeAll()
            for k in 0..<s.words.count {
                let r = s.words.range(k)
                // Split CJK scalars into their own tokens (only tokens with 3-byte sequences can hold them).
                var start = r.lowerBound
                var i = r.lowerBound
                while i < r.upperBound {
                    let b = s.words.bytes[i]
                    let len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
                    if len >= 3 {
                        var v: UInt32 = len == 3 ? UInt32(b & 0x0F) : UInt32(b & 0x07)
                        for q in 1..<len where i + q < r.upperBound { v = v << 6 | UInt32(s.words.bytes[i + q] & 0x3F) }
                        if let c = Unicode.Scalar(v), Self.isCJK(c) {
                            if i > start { s.tokens.append(s.words.bytes[start..<i]) }
                            s.tokens.append(s.words.bytes[i..<min(i + len, r.upperBound)])
                            start = i + len
                        }
                    }
                    i += len
                }
                if start < r.upperBound { s.tokens.append(s.words.bytes[start..<r.upperBound]) }
            }
        case .chars:
            s.tokens.removeAll()
            var i = 0
            let b = s.simplified
            while i < b.count {
                let len = b[i] < 0x80 ? 1 : b[i] < 0xE0 ? 2 : b[i] < 0xF0 ? 3 : 4
                if b[i] != 0x20 { s.tokens.append(b[i..<min(i + len, b.count)]) }
                i += len
            }
        }
    }

    /// Time spent in (simplify, tokenize, hash) in nanoseconds, for `--profile`.
    public func profile(_ texts: [String]) -> (UInt64, UInt64, UInt64) {
        let s = Scratch()
        var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0
        var out: [UInt64] = []
        for text in texts {
            let t0 = monotonicNanos()
            var t = text
            t.withUTF8 { simplifier.simplify(utf8: $0, into: &s.simplified) }
            let t1 = monotonicNanos()
            tokenize(text, s)
            let t2 = monotonicNanos()
            shingles(text, into: &out, scratch: s)
            let t3 = monotonicNanos()
            a &+= t1 - t0; b &+= (t2 - t1) &- (t1 - t0); c &+= (t3 - t2) &- (t2 - t1)
        }
        return (a, b, c)
    }

    /// Hashes of the n-grams (tokens joined with a space; characters joined with nothing).
    public func shingles(_ text: String, into out: inout [UInt64], scratch: Scratch = Scratch()) {
        out.removeAll(keepingCapacity: true)
        tokenize(text, scratch)
        let toks = scratch.tokens
        guard toks.count >= n else { return }
        let spaced = unit != .chars && unit != .rawChars
        for i in 0...(toks.count - n) {
            scratch.gram.removeAll(keepingCapacity: true)
            for j in 0..<n {
                if j > 0 && spaced { scratch.gram.append(0x20) }
                scratch.gram.append(contentsOf: toks.bytes[toks.range(i + j)])
            }
            out.append(scratch.gram.withUnsafeBytes { hash.hash($0, bits: bits) })
        }
    }

    @inline(__always) static func isCJK(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }
}

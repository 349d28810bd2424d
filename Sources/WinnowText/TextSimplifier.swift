import CICUShim

/// datatrove's `simplify_text` with its default `TextNormConfig` (datatrove 0.10): lowercase;
/// runs of decimal digits (with one optional decimal part) → `0`; its punctuation set → space;
/// whitespace runs → one space, trimmed; NFD with non-spacing marks removed; trimmed.
public struct TextSimplifier: Sendable {
    /// datatrove's `PUNCTUATION` characters (plus the C0/C1 controls it lists).
    static let punctuation: Set<Unicode.Scalar> = DatatrovePunctuation.set
    static let decimalSeparators: Set<Unicode.Scalar> = Set(".,،٫⎖⎗⎘".unicodeScalars)

    public init() {}

    /// Python's `str.isspace()`.
    @inline(__always) public static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    @inline(__always) static func isDigit(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x80 ? (c.value >= 0x30 && c.value <= 0x39) : c.properties.generalCategory == .decimalNumber
    }

    public func simplify(_ text: String) -> String {
        let lower = text.lowercased()
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var scalars = Array(lower.unicodeScalars)
        var i = 0
        let n = scalars.count
        func emit(_ c: Unicode.Scalar) {
            if pendingSpace && !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.append(c)
        }
        while i < n {
            let c = scalars[i]
            if Self.isDigit(c) {
                // \p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)? → "0"
                var j = i + 1
                while j < n && Self.isDigit(scalars[j]) { j += 1 }
                if j + 1 < n && Self.decimalSeparators.contains(scalars[j]) && Self.isDigit(scalars[j + 1]) {
                    j += 2
                    while j < n && Self.isDigit(scalars[j]) { j += 1 }
                }
                emit("0")
                i = j
                continue
            }
            if Self.punctuation.contains(c) || Self.isSpace(c) {
                pendingSpace = true
            } else {
                emit(c)
            }
            i += 1
        }
        scalars = []
        return Self.stripMarks(String(out))
    }

    /// datatrove 0.2.0's `simplify_text` (FineWeb's): Python's `lower()`; `strip()`, then runs of
    /// whitespace → one space; its punctuation characters deleted (not spaced); NFD with
    /// non-spacing marks removed; runs of decimal digits → `0`; stripped.
    public func simplify2024(_ text: String) -> String {
        let cc = CharClass.local, space = CharClass.space, decimal = CharClass.decimal
        let punctuation = Self.punctuationTable
        let lower = Scalars.lowercased(Scalars.of(text))
        var lo = 0, hi = lower.count
        while lo < hi && cc.of(lower[lo]) & space != 0 { lo += 1 }
        while hi > lo && cc.of(lower[hi - 1]) & space != 0 { hi -= 1 }
        var t: [UInt32] = []
        t.reserveCapacity(hi - lo)
        var i = lo
        while i < hi {
            let c = lower[i]
            if cc.of(c) & space != 0 {
                while i < hi && cc.of(lower[i]) & space != 0 { i += 1 }
                t.append(0x20)
                continue
            }
            if !punctuation.contains(c) { t.append(c) }
            i += 1
        }
        let marked = Scalars.of(Self.stripMarks(Scalars.string(t), trim: false))
        var out: [UInt32] = []
        out.reserveCapacity(marked.count)
        i = 0
        while i < marked.count {
            if cc.of(marked[i]) & decimal != 0 {
                while i < marked.count && cc.of(marked[i]) & decimal != 0 { i += 1 }
                out.append(0x30)
                continue
            }
            out.append(marked[i]); i += 1
        }
        var a = 0, b = out.count
        while a < b && cc.of(out[a]) & space != 0 { a += 1 }
        while b > a && cc.of(out[b - 1]) & space != 0 { b -= 1 }
        return Scalars.string(out[a..<b])
    }

    static let punctuationTable = ScalarSet(punctuation)

    /// NFD, non-spacing marks removed, trimmed (ICU does the decomposition).
    static func stripMarks(_ s: String, trim: Bool = true) -> String {
        var s = s
        // ASCII needs no decomposition.
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s }
        return s.withUTF8 { src -> String in
            var dst = [UInt8](repeating: 0, count: src.count * 3 + 16)
            let n = dst.withUnsafeMutableBufferPointer { d in
                src.withMemoryRebound(to: CChar.self) { s in
                    d.withMemoryRebound(to: CChar.self) { dd in
                        cicu_nfd_strip_marks(s.baseAddress, Int64(s.count), dd.baseAddress, Int64(dd.count))
                    }
                }
            }
            guard n >= 0 else { return String(decoding: src, as: UTF8.self) }
            let t = String(decoding: dst[0..<Int(n)], as: UTF8.self)
            if !trim { return t }
            // Removing marks can leave spaces at the ends (a mark after a space).
            return String(t.unicodeScalars.drop(while: isSpace).reversed().drop(while: isSpace).reversed().map(Character.init))
        }
    }
}

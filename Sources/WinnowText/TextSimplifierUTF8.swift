import WinnowCore
import CICUShim

/// Per-scalar facts for the Basic Multilingual Plane, computed once: what `simplify_text`
/// and the tokenizer ask of every character, without a Unicode property lookup per scalar.
struct ScalarTable: Sendable {
    static let digit: UInt32 = 1 << 24, punct: UInt32 = 1 << 25, space: UInt32 = 1 << 26
    static let icon: UInt32 = 1 << 27, multiLower: UInt32 = 1 << 28, alpha: UInt32 = 1 << 29
    static let lowerMask: UInt32 = 0x1F_FFFF

    static let shared = ScalarTable()
    let bmp: [UInt32]

    init() {
        var t = [UInt32](repeating: 0, count: 0x10000)
        for v in 0..<0x10000 {
            guard let c = Unicode.Scalar(UInt32(v)) else { continue }
            t[v] = Self.compute(c)
        }
        bmp = t
    }

    static func compute(_ c: Unicode.Scalar) -> UInt32 {
        let p = c.properties
        var e: UInt32 = 0
        let lower = p.lowercaseMapping.unicodeScalars
        if lower.count == 1 { e = lower.first!.value } else { e = c.value; e |= multiLower }
        if p.generalCategory == .decimalNumber { e |= digit }
        if TextSimplifier.punctuation.contains(c) { e |= punct }
        if TextSimplifier.isSpace(c) { e |= space }
        if p.generalCategory == .otherSymbol { e |= icon }
        if p.isAlphabetic { e |= alpha }
        return e
    }

    @inline(__always) func info(_ v: UInt32) -> UInt32 {
        v < 0x10000 ? bmp[Int(v)] : Self.compute(Unicode.Scalar(v)!)
    }
}

extension TextSimplifier {
    /// `simplify_text` over UTF-8 bytes into `out` (the hot path; same result as `simplify`).
    public func simplify(utf8 src: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        let table = ScalarTable.shared
        var pendingSpace = false
        var nonASCII = false
        var i = 0
        let n = src.count

        @inline(__always) func decode(_ i: Int) -> (UInt32, Int) {
            let b0 = UInt32(src[i])
            if b0 < 0x80 { return (b0, 1) }
            if b0 < 0xE0, i + 1 < n { return ((b0 & 0x1F) << 6 | UInt32(src[i + 1] & 0x3F), 2) }
            if b0 < 0xF0, i + 2 < n { return ((b0 & 0x0F) << 12 | UInt32(src[i + 1] & 0x3F) << 6 | UInt32(src[i + 2] & 0x3F), 3) }
            if i + 3 < n { return ((b0 & 0x07) << 18 | UInt32(src[i + 1] & 0x3F) << 12 | UInt32(src[i + 2] & 0x3F) << 6 | UInt32(src[i + 3] & 0x3F), 4) }
            return (0xFFFD, 1)
        }
        @inline(__always) func isDigitAt(_ i: Int) -> (Bool, Int) {
            guard i < n else { return (false, 0) }
            let b = src[i]
            if b < 0x80 { return (b >= 0x30 && b <= 0x39, 1) }
            let (v, len) = decode(i)
            return (table.info(v) & ScalarTable.digit != 0, len)
        }
        @inline(__always) func put(_ v: UInt32) {
            if pendingSpace && !out.isEmpty { out.append(0x20) }
            pendingSpace = false
            appendUTF8(&out, v)
        }
        while i < n {
            let (isD, dl) = isDigitAt(i)
            if isD {
                var j = i + dl
                while true { let (d, l) = isDigitAt(j); if !d { break }; j += l }
                if j < n {
                    let (sep, sl) = decode(j)
                    if let s = Unicode.Scalar(sep), Self.decimalSeparators.contains(s) {
                        let (d2, l2) = isDigitAt(j + sl)
                        if d2 {
                            j += sl + l2
                            while true { let (d, l) = isDigitAt(j); if !d { break }; j += l }
                        }
                    }
                }
                put(0x30)
                i = j
                continue
            }
            let b = src[i]
            if b < 0x80 {
                let c = UInt32(b)
                if (b >= 0x41 && b <= 0x5A) { put(c + 32) }
                else if (b >= 0x61 && b <= 0x7A) { put(c) }
                else { pendingSpace = true }  // every other ASCII character is punctuation, a control or a space
                i += 1
                continue
            }
            let (v, len) = decode(i)
            i += len
            nonASCII = true
            let e = table.info(v)
            if e & ScalarTable.multiLower != 0 {
                for s in Unicode.Scalar(v)!.properties.lowercaseMapping.unicodeScalars {
                    let f = table.info(s.value)
                    if f & (ScalarTable.punct | ScalarTable.space) != 0 { pendingSpace = true } else { put(s.value) }
                }
                continue
            }
            let lower = e & ScalarTable.lowerMask
            let f = lower == v ? e : table.info(lower)
            if f & (ScalarTable.punct | ScalarTable.space) != 0 { pendingSpace = true } else { put(lower) }
        }
        guard nonASCII, !out.isEmpty else { return }
        // NFD without non-spacing marks (ICU), then trim.
        var dst = [UInt8](repeating: 0, count: out.count * 3 + 16)
        let m = out.withUnsafeBufferPointer { s in
            dst.withUnsafeMutableBufferPointer { d in
                s.withMemoryRebound(to: CChar.self) { ss in
                    d.withMemoryRebound(to: CChar.self) { dd in cicu_nfd_strip_marks(ss.baseAddress, Int64(ss.count), dd.baseAddress, Int64(dd.count)) }
                }
            }
        }
        guard m >= 0 else { return }
        out = Array(dst[0..<Int(m)])
        // Removing a mark can leave a space at either end.
        while let l = out.last, l == 0x20 { out.removeLast() }
        if let k = out.firstIndex(where: { $0 != 0x20 }), k > 0 { out.removeFirst(k) }
    }
}

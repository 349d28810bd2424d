/// Per-character classes for the BMP, computed once, so per-character rules cost a table load
/// instead of a Unicode property lookup: Python's `\w` and `isspace()`, decimal digits, Han
/// (U+4E00–U+9FA5).
public struct CharClass: Sendable {
    public static let word: UInt8 = 1, space: UInt8 = 2, decimal: UInt8 = 4, han: UInt8 = 8
    public static let lower: UInt8 = 16, upper: UInt8 = 32, letter: UInt8 = 64, symbol: UInt8 = 128

    public static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 0x10000)
        for v in 0..<0x10000 {
            guard let c = Unicode.Scalar(UInt32(v)) else { continue }
            t[v] = compute(c)
        }
        return t
    }()

    static func compute(_ c: Unicode.Scalar) -> UInt8 {
        var f: UInt8 = 0
        switch c.properties.generalCategory {
        case .lowercaseLetter: f |= word | lower | letter
        case .uppercaseLetter: f |= word | upper | letter
        case .titlecaseLetter, .modifierLetter, .otherLetter: f |= word | letter
        case .letterNumber, .otherNumber: f |= word
        case .decimalNumber: f |= word | decimal
        case .otherSymbol: f |= symbol
        default: break
        }
        if c == "_" { f |= word }
        switch c.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: f |= space
        default: break
        }
        if c.value >= 0x4E00 && c.value <= 0x9FA5 { f |= han }
        return f
    }

    @usableFromInline static func outsideBMP(_ v: UInt32) -> UInt8 { Unicode.Scalar(v).map(compute) ?? 0 }

    @inline(__always) public static func of(_ c: Unicode.Scalar) -> UInt8 {
        c.value < 0x10000 ? table[Int(c.value)] : compute(c)
    }
}

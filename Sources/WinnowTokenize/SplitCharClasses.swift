// Character classes the split patterns use (\p{L}, \p{N}, \s, \p{M}, the casing groups of
// o200k), one byte of flags per code point. Built once from the Swift runtime's Unicode data;
// the reference engines' tables (Rust `regex`, Oniguruma) are checked against it by the parity
// script, which walks every code point.

/// Flag bits of `SplitCharClasses.flags`.
enum CharFlag {
    static let letter: UInt8 = 1          // \p{L}
    static let number: UInt8 = 2          // \p{N}
    static let space: UInt8 = 4           // \s (White_Space)
    static let mark: UInt8 = 8            // \p{M}
    static let upperish: UInt8 = 16       // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
    static let lowerish: UInt8 = 32       // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
    static let newline: UInt8 = 64        // [\r\n]
}

/// Two-level table: 256-entry blocks, identical blocks shared. Built once, never freed.
struct SplitCharClasses: @unchecked Sendable {
    private let blockIndex: UnsafeMutablePointer<UInt16>   // 0x110000 / 256 entries
    private let blocks: UnsafeMutablePointer<UInt8>        // blockCount * 256

    /// Unicode version of the tables: code points assigned later count as unassigned.
    public struct Version: Sendable, Equatable {
        public var major: Int, minor: Int
        public init(_ major: Int, _ minor: Int) { self.major = major; self.minor = minor }
    }

    static let v15_0 = SplitCharClasses(Version(15, 0))
    static let v15_1 = SplitCharClasses(Version(15, 1))
    static let v16_0 = SplitCharClasses(Version(16, 0))
    static let latest = SplitCharClasses(Version(99, 0))

    static func tables(_ v: Version) -> SplitCharClasses {
        switch (v.major, v.minor) {
        case (15, 0): return v15_0
        case (15, 1): return v15_1
        case (16, 0): return v16_0
        default: return latest
        }
    }

    private init(_ version: Version) {
        var index = [UInt16](repeating: 0, count: 0x1100)
        var blocks: [UInt8] = []
        var seen: [[UInt8]: UInt16] = [:]
        var block = [UInt8](repeating: 0, count: 256)
        for b in 0..<0x1100 {
            // Planes 4–13 are unassigned and 15–16 private use: no flags, no lookups needed.
            let assigned = b < 0x400 || (b >= 0xE00 && b < 0xE10)
            for i in 0..<256 { block[i] = assigned ? Self.computeFlags(UInt32(b << 8 | i), version) : 0 }
            if let k = seen[block] {
                index[b] = k
            } else {
                let k = UInt16(blocks.count / 256)
                seen[block] = k
                blocks.append(contentsOf: block)
                index[b] = k
            }
        }
        blockIndex = .allocate(capacity: index.count)
        blockIndex.initialize(from: index, count: index.count)
        self.blocks = .allocate(capacity: blocks.count)
        self.blocks.initialize(from: blocks, count: blocks.count)
    }

    /// Flags of the 128 ASCII code points, one load each.
    var asciiFlags: UnsafePointer<UInt8> { UnsafePointer(blocks + Int(blockIndex[0]) << 8) }

    /// Flags of code point `c` (< 0x110000).
    @inline(__always) func flags(_ c: UInt32) -> UInt8 {
        blocks[Int(blockIndex[Int(c >> 8)]) << 8 | Int(c & 0xFF)]
    }

    /// Flags of one code point from its general category.
    static func computeFlags(_ c: UInt32, _ version: Version = Version(99, 0)) -> UInt8 {
        var f: UInt8 = 0
        if c == 0x0A || c == 0x0D { f |= CharFlag.newline }
        if isWhiteSpace(c) { f |= CharFlag.space }
        guard let u = Unicode.Scalar(c), let age = u.properties.age else { return f }
        if age.major > version.major || (age.major == version.major && age.minor > version.minor) { return f }
        switch u.properties.generalCategory {
        case .uppercaseLetter, .titlecaseLetter:
            f |= CharFlag.letter | CharFlag.upperish
        case .lowercaseLetter:
            f |= CharFlag.letter | CharFlag.lowerish
        case .modifierLetter, .otherLetter:
            f |= CharFlag.letter | CharFlag.upperish | CharFlag.lowerish
        case .nonspacingMark, .spacingMark, .enclosingMark:
            f |= CharFlag.mark | CharFlag.upperish | CharFlag.lowerish
        case .decimalNumber, .letterNumber, .otherNumber:
            f |= CharFlag.number
        default:
            break
        }
        return f
    }

    /// Unicode White_Space (what `\s` means in both reference engines).
    static func isWhiteSpace(_ c: UInt32) -> Bool {
        switch c {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}

/// The Unicode versions of the reference engines' property tables, found by the parity
/// script's walk over every code point: tiktoken 0.14 (Rust regex) and HF tokenizers 0.23
/// (Oniguruma) both classify as Unicode 16.0; Swift's own tables are newer.
enum ReferenceUnicode {
    static let tiktoken = SplitCharClasses.Version(16, 0)
    static let oniguruma = SplitCharClasses.Version(16, 0)
}

/// FNV-1a, 64 bits: the hash of names the walk compares (ids, `#name` targets, tag and class
/// names), one byte at a time as the bytes are read.
enum FNV1a {
    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    static func step(_ h: UInt64, _ byte: UInt8) -> UInt64 { (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
}

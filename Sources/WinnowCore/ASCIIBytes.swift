/// ASCII case folding on UTF-8 bytes, as HTML names, charset labels and URL schemes compare
/// (bytes outside A–Z, non-ASCII ones included, are left as they are).
public enum ASCIIBytes {
    @inlinable @inline(__always)
    public static func lowered(_ c: UInt8) -> UInt8 { c &- 0x41 < 26 ? c | 0x20 : c }

    /// Whether `p[i..<end]` starts with `pattern` (lowercase ASCII), in any case.
    @inlinable
    public static func hasPrefix(_ p: UnsafeBufferPointer<UInt8>, at i: Int, end: Int, _ pattern: StaticString) -> Bool {
        let m = pattern.utf8CodeUnitCount
        guard end - i >= m else { return false }
        let s = pattern.utf8Start
        var k = 0
        while k < m && lowered(p[i + k]) == s[k] { k += 1 }
        return k == m
    }
}

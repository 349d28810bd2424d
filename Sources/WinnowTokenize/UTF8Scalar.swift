/// The code point of the 1–3 byte UTF-8 sequence at `p[i]` (of `n` bytes) when it is whole and
/// not overlong, else -1; its length is that of its lead byte. The per-character tables of the
/// BPE models (`CharStartTable`, `HFBPEModel`'s ids) are indexed by it.
@inline(__always) func bmpScalar(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
    let b = p[i]
    if b < 0x80 { return Int(b) }
    if b < 0xC2 || b >= 0xF0 { return -1 }
    if b < 0xE0 {
        guard i &+ 1 < n, p[i &+ 1] & 0xC0 == 0x80 else { return -1 }
        return Int(b & 0x1F) << 6 | Int(p[i &+ 1] & 0x3F)
    }
    guard i &+ 2 < n, p[i &+ 1] & 0xC0 == 0x80, p[i &+ 2] & 0xC0 == 0x80 else { return -1 }
    let c = Int(b & 0x0F) << 12 | Int(p[i &+ 1] & 0x3F) << 6 | Int(p[i &+ 2] & 0x3F)
    return c >= 0x800 ? c : -1
}

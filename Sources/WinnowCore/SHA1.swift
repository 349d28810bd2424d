/// SHA-1 (FIPS 180-4). Used for WARC digests and datatrove-compatible MinHash, where the exact
/// bits matter more than speed; no crypto library is needed for that.
public struct SHA1 {
    private var h: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)
    private var block = [UInt8](repeating: 0, count: 64)
    private var blockCount = 0
    private var length: UInt64 = 0

    public init() {}

    public mutating func update(_ data: UnsafeRawBufferPointer) {
        guard var p = data.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var n = data.count
        length &+= UInt64(n)
        if blockCount > 0 {
            let take = min(64 - blockCount, n)
            for i in 0..<take { block[blockCount + i] = p[i] }
            blockCount += take; p += take; n -= take
            guard blockCount == 64 else { return }
            block.withUnsafeBufferPointer { compress($0.baseAddress!) }
            blockCount = 0
        }
        while n >= 64 { compress(p); p += 64; n -= 64 }
        for i in 0..<n { block[i] = p[i] }
        blockCount = n
    }

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if let done: Void = bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) { return done }
        let a = Array(bytes)
        a.withUnsafeBytes { update($0) }
    }

    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var pad: [UInt8] = [0x80]
        let padTo = (blockCount + 1) % 64 <= 56 ? 56 - (blockCount + 1) % 64 : 120 - (blockCount + 1) % 64
        pad += [UInt8](repeating: 0, count: padTo)
        for i in (0..<8).reversed() { pad.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        let savedLength = length
        pad.withUnsafeBytes { update($0) }
        length = savedLength
        var out: [UInt8] = []
        out.reserveCapacity(20)
        for v in [h.0, h.1, h.2, h.3, h.4] {
            out += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
        }
        return out
    }

    public static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var s = SHA1()
        s.update(bytes)
        return s.finalize()
    }

    private mutating func compress(_ p: UnsafePointer<UInt8>) {
        // The message schedule lives on the stack: one heap array per 64-byte block was the cost.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { w in
            for i in 0..<16 {
                w[i] = UInt32(p[i * 4]) << 24 | UInt32(p[i * 4 + 1]) << 16 | UInt32(p[i * 4 + 2]) << 8 | UInt32(p[i * 4 + 3])
            }
            for i in 16..<80 { w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1) }
            var (a, b, c, d, e) = h
            for i in 0..<20 { step(&a, &b, &c, &d, &e, (b & c) | (~b & d), 0x5A827999, w[i]) }
            for i in 20..<40 { step(&a, &b, &c, &d, &e, b ^ c ^ d, 0x6ED9EBA1, w[i]) }
            for i in 40..<60 { step(&a, &b, &c, &d, &e, (b & c) | (b & d) | (c & d), 0x8F1BBCDC, w[i]) }
            for i in 60..<80 { step(&a, &b, &c, &d, &e, b ^ c ^ d, 0xCA62C1D6, w[i]) }
            h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e)
        }
    }

    @inline(__always) private func step(_ a: inout UInt32, _ b: inout UInt32, _ c: inout UInt32, _ d: inout UInt32,
                                        _ e: inout UInt32, _ f: UInt32, _ k: UInt32, _ w: UInt32) {
        let t = rotl(a, 5) &+ f &+ e &+ k &+ w
        e = d; d = c; c = rotl(b, 30); b = a; a = t
    }

    @inline(__always) private func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { x << n | x >> (32 - n) }
}

/// RFC 4648 base32 (upper case, no padding for 20-byte digests), as in `WARC-Payload-Digest: sha1:…`.
public enum Base32 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer: UInt64 = 0
        var bits = 0
        for b in bytes {
            buffer = buffer << 8 | UInt64(b)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt64(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt64(5 - bits)) & 31)]) }
        while out.count % 8 != 0 { out.append(UInt8(ascii: "=")) }
        return String(decoding: out, as: UTF8.self)
    }
}

public enum Hex {
    public static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}

import WinnowCore

/// Shingle hash functions: datatrove's `sha1` (first 4 or 8 digest bytes, little-endian;
/// FineWeb's choice) and xxHash (datatrove's current default, and ours: ~10x faster).
public enum ShingleHash: String, Sendable, CaseIterable {
    case sha1, xxhash

    @inline(__always) public func hash(_ bytes: UnsafeRawBufferPointer, bits: Int) -> UInt64 {
        switch self {
        case .sha1:
            var s = SHA1()
            s.update(bytes)
            let d = s.finalize()
            var v: UInt64 = 0
            for i in (0..<(bits == 32 ? 4 : 8)).reversed() { v = v << 8 | UInt64(d[i]) }
            return v
        case .xxhash:
            return bits == 32 ? UInt64(XXHash.hash32(bytes)) : XXHash.hash64(bytes)
        }
    }
}

/// xxHash32 / xxHash64 with seed 0 (as `xxhash.xxh32_intdigest` / `xxh64_intdigest`).
public enum XXHash {
    static let p64_1: UInt64 = 0x9E37_79B1_85EB_CA87, p64_2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let p64_3: UInt64 = 0x1656_67B1_9E37_79F9, p64_4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let p64_5: UInt64 = 0x27D4_EB2F_1656_67C5
    static let p32_1: UInt32 = 0x9E37_79B1, p32_2: UInt32 = 0x85EB_CA77, p32_3: UInt32 = 0xC2B2_AE3D
    static let p32_4: UInt32 = 0x27D4_EB2F, p32_5: UInt32 = 0x1656_67B1

    @inline(__always) static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
    @inline(__always) static func rotl(_ x: UInt32, _ r: UInt32) -> UInt32 { (x << r) | (x >> (32 - r)) }
    @inline(__always) static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 { rotl(acc &+ input &* p64_2, 31) &* p64_1 }
    @inline(__always) static func merge(_ acc: UInt64, _ val: UInt64) -> UInt64 { (acc ^ round(0, val)) &* p64_1 &+ p64_4 }

    public static func hash64(_ b: UnsafeRawBufferPointer) -> UInt64 {
        let n = b.count
        var i = 0
        var h: UInt64
        if n >= 32 {
            var v1 = p64_1 &+ p64_2, v2 = p64_2, v3: UInt64 = 0, v4 = 0 &- p64_1
            while i + 32 <= n {
                v1 = round(v1, b.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian)
                v2 = round(v2, b.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self).littleEndian)
                v3 = round(v3, b.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self).littleEndian)
                v4 = round(v4, b.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self).littleEndian)
                i += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(h, v1); h = merge(h, v2); h = merge(h, v3); h = merge(h, v4)
        } else {
            h = p64_5
        }
        h &+= UInt64(n)
        while i + 8 <= n {
            h ^= round(0, b.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian)
            h = rotl(h, 27) &* p64_1 &+ p64_4
            i += 8
        }
        if i + 4 <= n {
            h ^= UInt64(b.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian) &* p64_1
            h = rotl(h, 23) &* p64_2 &+ p64_3
            i += 4
        }
        while i < n {
            h ^= UInt64(b[i]) &* p64_5
            h = rotl(h, 11) &* p64_1
            i += 1
        }
        h ^= h >> 33; h &*= p64_2; h ^= h >> 29; h &*= p64_3; h ^= h >> 32
        return h
    }

    public static func hash32(_ b: UnsafeRawBufferPointer) -> UInt32 {
        let n = b.count
        var i = 0
        var h: UInt32
        if n >= 16 {
            var v1 = p32_1 &+ p32_2, v2 = p32_2, v3: UInt32 = 0, v4 = 0 &- p32_1
            func r(_ a: UInt32, _ x: UInt32) -> UInt32 { rotl(a &+ x &* p32_2, 13) &* p32_1 }
            while i + 16 <= n {
                v1 = r(v1, b.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian)
                v2 = r(v2, b.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self).littleEndian)
                v3 = r(v3, b.loadUnaligned(fromByteOffset: i + 8, as: UInt32.self).littleEndian)
                v4 = r(v4, b.loadUnaligned(fromByteOffset: i + 12, as: UInt32.self).littleEndian)
                i += 16
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
        } else {
            h = p32_5
        }
        h &+= UInt32(truncatingIfNeeded: n)
        while i + 4 <= n {
            h = rotl(h &+ b.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian &* p32_3, 17) &* p32_4
            i += 4
        }
        while i < n {
            h = rotl(h &+ UInt32(b[i]) &* p32_5, 11) &* p32_1
            i += 1
        }
        h ^= h >> 15; h &*= p32_2; h ^= h >> 13; h &*= p32_3; h ^= h >> 16
        return h
    }
}

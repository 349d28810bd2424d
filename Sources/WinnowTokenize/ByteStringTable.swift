import CMemoryHints

// Token byte strings: id → bytes (decode) and bytes → id (whole-piece lookup), in one arena
// with an open-addressing index. Immutable after building; shared by all threads.

/// The first min(n, 8) bytes of `p` as a little-endian word, zero-padded; reads only `p[0..<n]`.
@inline(__always) func headWord(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    let raw = UnsafeRawPointer(p)
    if n >= 8 { return raw.loadUnaligned(as: UInt64.self) }
    if n >= 4 {
        let lo = UInt64(raw.loadUnaligned(as: UInt32.self))
        let hi = UInt64(raw.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self))
        return lo | hi << UInt64(8 &* (n &- 4))
    }
    if n == 0 { return 0 }
    return UInt64(p[0]) | UInt64(p[n >> 1]) << UInt64(8 &* (n >> 1)) | UInt64(p[n &- 1]) << UInt64(8 &* (n &- 1))
}

/// `headWord(p, n)` when `readable` bytes may be read from `p` (n ≤ readable): one masked
/// 8-byte load, without the length branches, while 8 bytes can be read.
@inline(__always) func headWord(_ p: UnsafePointer<UInt8>, _ n: Int, readable: Int) -> UInt64 {
    readable >= 8
        ? UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) & (UInt64.max >> UInt64(8 &* (8 &- min(n, 8))))
        : headWord(p, n)
}

/// Whether the zero-padded key words at `key` (3 words, as `PieceCache` entries and
/// vocabulary slots store up to 24 bytes) hold `p[0..<n]`, for a key known to be n bytes long
/// (1 ≤ n ≤ 24; `head` = `headWord(p, n)`). Same length, so words at the same offsets decide:
/// the first, the one at 8, and the last one, which overlaps and reads the key's own padding.
@inline(__always) func paddedKeyEquals(_ key: UnsafePointer<UInt64>, _ p: UnsafePointer<UInt8>, _ n: Int, head: UInt64) -> Bool {
    if key[0] != head { return false }
    if n <= 8 { return true }
    let k = UnsafeRawPointer(key), raw = UnsafeRawPointer(p)
    if k.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) != raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) { return false }
    return n <= 16 || key[1] == raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
}

/// Hash of a byte string (8 bytes at a time, multiply-mix; the tail as one overlapping word).
@inline(__always) func hashBytes(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
    hashBytes(p, n, head: headWord(p, n))
}

/// `hashBytes` with `headWord(p, n)` already computed.
@inline(__always) func hashBytes(_ p: UnsafePointer<UInt8>, _ n: Int, head: UInt64) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: n &+ 1)
    let raw = UnsafeRawPointer(p)
    if n <= 8 {
        h ^= head
    } else {
        var i = 0
        while i &+ 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i &+= 8
        }
        if i < n { h ^= raw.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) }
    }
    h &*= 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 32
    h &*= 0xFF51_AFD7_ED55_8CCD
    return h ^ (h >> 29)
}

final class ByteStringTable: @unchecked Sendable {
    /// Number of id slots (max id + 1).
    let capacity: Int
    private let arena: UnsafeMutablePointer<UInt8>
    private let arenaCount: Int
    /// Per id: start in the arena, and length (-1: no token with this id).
    private let starts: UnsafeMutablePointer<Int>
    private let lengths: UnsafeMutablePointer<Int32>
    /// Open addressing, four words (half a cache line) per slot: hash tag << 40 |
    /// min(length, 255) << 32 | (id + 1) (0 when empty), then the token's first 24 bytes
    /// zero-padded (`headWord` of each 8). A token of up to 24 bytes — every piece the piece
    /// cache takes — is decided by its slot alone: one cache miss, not three dependent ones
    /// (slot, then length and start, then the arena).
    private let slots: UnsafeMutablePointer<UInt64>
    static let slotWords = 4, slotKeyBytes = 24
    private let mask: Int
    /// A bit per hash of the tokens longer than `slotKeyBytes` (a few hundred in a real
    /// vocabulary, 2 KB): most long pieces — CJK clauses — are answered without a probe.
    private let longTokens: UnsafeMutablePointer<UInt64>
    private static let longBits = 14

    /// `tokens[i]` = (bytes, id). Fails on a duplicate byte string or id, and on ids so sparse
    /// that the id-indexed arrays would dwarf the vocabulary (the caller names the file).
    init(tokens: [([UInt8], UInt32)]) throws(TableError) {
        var maxID = -1
        var total = 0
        for t in tokens { maxID = max(maxID, Int(t.1)); total += t.0.count }
        // Real vocabularies number their tokens densely (0..<n, a few gaps at most); a huge id
        // in a small file would allocate gigabytes for nothing.
        guard maxID < Self.maxSparseID(count: tokens.count) else { throw .sparse(maxID: maxID, count: tokens.count) }
        capacity = maxID + 1
        arena = .allocate(capacity: max(total, 1))
        arenaCount = total
        starts = .allocate(capacity: max(capacity, 1))
        lengths = .allocate(capacity: max(capacity, 1))
        lengths.initialize(repeating: -1, count: max(capacity, 1))
        starts.initialize(repeating: 0, count: max(capacity, 1))
        var size = 16
        while size < tokens.count * 2 { size <<= 1 }
        slots = HugePages.allocate(UInt64.self, capacity: Self.slotWords * size)
        slots.initialize(repeating: 0, count: Self.slotWords * size)
        mask = size - 1
        longTokens = .allocate(capacity: 1 << (Self.longBits - 6))
        longTokens.initialize(repeating: 0, count: 1 << (Self.longBits - 6))
        var at = 0
        for (bytes, id) in tokens {
            if lengths[Int(id)] >= 0 { throw .duplicate(id: id, bytes: bytes) }
            bytes.withUnsafeBufferPointer { b in
                if b.count > 0 { (arena + at).initialize(from: b.baseAddress!, count: b.count) }
            }
            starts[Int(id)] = at
            lengths[Int(id)] = Int32(bytes.count)
            at += bytes.count
            if bytes.isEmpty { continue }
            let found = bytes.withUnsafeBufferPointer { lookup($0.baseAddress!, $0.count) }
            if found != nil { throw .duplicate(id: id, bytes: bytes) }
            bytes.withUnsafeBufferPointer { b in
                let h = hashBytes(b.baseAddress!, b.count)
                var i = Int(truncatingIfNeeded: h) & mask
                while slots[Self.slotWords * i] != 0 { i = (i + 1) & mask }
                let slot = slots + Self.slotWords * i
                slot[0] = Self.slotKey(h, b.count) | UInt64(id + 1)
                if b.count > Self.slotKeyBytes { longTokens[Self.longWord(h)] |= Self.longBit(h) }
                for k in 0..<3 where 8 * k < b.count { slot[1 + k] = headWord(b.baseAddress! + 8 * k, min(8, b.count - 8 * k)) }
            }
        }
    }

    deinit {
        arena.deallocate(); starts.deallocate(); lengths.deallocate(); HugePages.deallocate(slots); longTokens.deallocate()
    }

    @inline(__always) private static func longWord(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h >> UInt64(64 - (longBits - 6))) }
    @inline(__always) private static func longBit(_ h: UInt64) -> UInt64 { 1 << (h >> 20 & 63) }

    enum TableError: Error {
        case duplicate(id: UInt32, bytes: [UInt8])
        case sparse(maxID: Int, count: Int)
    }

    /// The largest id a vocabulary of `count` tokens may use: twice its size plus room for
    /// special tokens numbered apart (Qwen's, Llama-3's reserved ones).
    static func maxSparseID(count: Int) -> Int { 2 * count + (1 << 20) }

    /// Id of the byte string `p[0..<n]`, or nil.
    @inline(__always) func lookup(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32? {
        lookup(p, n, hash: hashBytes(p, n))
    }

    /// `lookup` with the piece's `hashBytes` already computed.
    @inline(__always) func lookup(_ p: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64) -> UInt32? {
        lookup(p, n, hash: h, head: headWord(p, n))
    }

    /// `lookup` with `hashBytes` and `headWord` of the piece already computed.
    @inline(__always) func lookup(_ p: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64, head: UInt64) -> UInt32? {
        if n > Self.slotKeyBytes && longTokens[Self.longWord(h)] & Self.longBit(h) == 0 { return nil }
        let key = Self.slotKey(h, n) >> 32
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots + Self.slotWords &* i
            let v = slot[0]
            if v == 0 { return nil }
            // (The slot's length is exact below 255.)
            if v >> 32 == key {
                let id = Int(v & 0xFFFF_FFFF) - 1
                if n <= Self.slotKeyBytes {
                    if paddedKeyEquals(slot + 1, p, n, head: head) { return UInt32(id) }
                } else if slot[1] == head && Int(lengths[id]) == n && Self.equal(arena + starts[id] + 8, p + 8, n &- 8) {
                    return UInt32(id)
                }
            }
            i = (i + 1) & mask
        }
    }

    /// Starts loading the first slot a lookup of hash `h` reads.
    @inline(__always) func prefetch(hash h: UInt64) {
        winnow_prefetch(slots + Self.slotWords &* (Int(truncatingIfNeeded: h) & mask))
    }

    /// A slot's upper half: 24 bits of hash (not the bits that chose the slot) and the length.
    @inline(__always) private static func slotKey(_ h: UInt64, _ n: Int) -> UInt64 {
        (h >> 40) << 40 | UInt64(min(n, 255)) << 32
    }

    /// Byte equality, 8 bytes at a time (keys are short; a libc call costs more).
    @inline(__always) static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 8 <= n {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    func contains(_ id: UInt32) -> Bool { Int(id) < capacity && lengths[Int(id)] >= 0 }

    /// Bytes of `id` (empty when there is none).
    @inline(__always) func withBytes<R>(_ id: UInt32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard Int(id) < capacity, lengths[Int(id)] >= 0 else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return body(UnsafeBufferPointer(start: arena + starts[Int(id)], count: Int(lengths[Int(id)])))
    }

    func bytes(_ id: UInt32) -> [UInt8]? {
        guard contains(id) else { return nil }
        return withBytes(id) { Array($0) }
    }

    /// Appends the bytes of `id` to `out`; false when there is no such id.
    @inline(__always) func append(_ id: UInt32, to out: inout [UInt8]) -> Bool {
        guard Int(id) < capacity, lengths[Int(id)] >= 0 else { return false }
        out.append(contentsOf: UnsafeBufferPointer(start: arena + starts[Int(id)], count: Int(lengths[Int(id)])))
        return true
    }
}

#if canImport(Glibc)
import Glibc
#endif

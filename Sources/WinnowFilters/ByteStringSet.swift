/// A set of byte strings stored in one buffer with an open-addressing index: loading millions
/// of block-list lines costs one pass over the file, and a lookup hashes the query's UTF-8 once
/// and compares bytes (so two strings match exactly when their UTF-8 is equal).
struct ByteStringSet: Sendable {
    private var bytes: [UInt8] = []
    private var offsets: [Int] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private var slots = [Int32](repeating: -1, count: 16)

    var count: Int { offsets.count }

    @inline(__always) static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for x in b { h = (h ^ UInt64(x)) &* 0x100000001b3 }
        h ^= h >> 29
        h = h &* 0xbf58476d1ce4e5b9
        return h ^ (h >> 32)
    }

    private func find(_ b: UnsafeBufferPointer<UInt8>, _ h: UInt64) -> (found: Bool, slot: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        return bytes.withUnsafeBufferPointer { all in
            while true {
                let e = Int(slots[slot])
                if e < 0 { return (false, slot) }
                if hashes[e] == h && Int(lengths[e]) == b.count
                    && (b.count == 0 || memcmp(all.baseAddress! + offsets[e], b.baseAddress!, b.count) == 0) { return (true, slot) }
                slot = (slot + 1) & mask
            }
        }
    }

    mutating func insert(_ b: UnsafeBufferPointer<UInt8>) {
        let h = Self.hash(b)
        let (found, slot) = find(b, h)
        if found { return }
        slots[slot] = Int32(offsets.count)
        offsets.append(bytes.count); lengths.append(Int32(b.count)); hashes.append(h)
        bytes.append(contentsOf: b)
        if offsets.count * 2 > slots.count { grow() }
    }

    mutating func insert(_ s: String) {
        var t = s
        t.withUTF8 { insert($0) }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (e, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(e)
        }
    }

    func contains(_ s: String) -> Bool {
        var t = s
        return t.withUTF8 { find($0, Self.hash($0)).found }
    }

    /// Every line of `data` with ASCII whitespace trimmed, lines starting with `#` and empty
    /// lines left out.
    mutating func insertLines(_ data: UnsafeBufferPointer<UInt8>) {
        @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        var i = 0
        let n = data.count
        bytes.reserveCapacity(n)
        while i < n {
            var j = i
            while j < n && data[j] != 0x0A { j += 1 }
            var a = i, z = j
            while a < z && isSpace(data[a]) { a += 1 }
            while z > a && isSpace(data[z - 1]) { z -= 1 }
            if z > a && data[i] != 0x23 { insert(UnsafeBufferPointer(rebasing: data[a..<z])) }
            i = j + 1
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

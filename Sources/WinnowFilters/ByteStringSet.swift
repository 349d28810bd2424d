/// A set of byte strings stored in one buffer with an open-addressing index: loading millions
/// of block-list lines costs one pass over the file, and a lookup hashes the query's UTF-8 once
/// and compares bytes (so two strings match exactly when their UTF-8 is equal).
struct ByteStringSet: Sendable {
    private var bytes: [UInt8] = []
    private var offsets: [Int] = []
    private var lengths: [Int32] = []
    /// Slots hold the hash's high 32 bits and the entry's index + 1 (0: empty), so a probe
    /// touches one cache line unless the hash bits match.
    private var slots = [UInt64](repeating: 0, count: 16)

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
        let tag = h & 0xFFFF_FFFF_0000_0000
        return bytes.withUnsafeBufferPointer { all in
            slots.withUnsafeBufferPointer { sl in
                while true {
                    let v = sl[slot]
                    if v == 0 { return (false, slot) }
                    if v & 0xFFFF_FFFF_0000_0000 == tag {
                        let e = Int(v & 0xFFFF_FFFF) - 1
                        if Int(lengths[e]) == b.count && (b.count == 0 || memcmp(all.baseAddress! + offsets[e], b.baseAddress!, b.count) == 0) { return (true, slot) }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    mutating func insert(_ b: UnsafeBufferPointer<UInt8>) {
        let h = Self.hash(b)
        let (found, slot) = find(b, h)
        if found { return }
        offsets.append(bytes.count); lengths.append(Int32(b.count))
        slots[slot] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(offsets.count)
        bytes.append(contentsOf: b)
        if offsets.count * 2 > slots.count { grow(to: slots.count * 2) }
    }

    /// Room for `n` entries without growing.
    mutating func reserve(_ n: Int) {
        var size = slots.count
        while size < n * 2 { size <<= 1 }
        if size > slots.count { grow(to: size) }
        offsets.reserveCapacity(n); lengths.reserveCapacity(n)
    }

    mutating func insert(_ s: String) {
        var t = s
        t.withUTF8 { insert($0) }
    }

    private mutating func grow(to size: Int) {
        let old = slots
        slots = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        bytes.withUnsafeBufferPointer { all in
            for v in old where v != 0 {
                let e = Int(v & 0xFFFF_FFFF) - 1
                let h = Self.hash(UnsafeBufferPointer(rebasing: all[offsets[e]..<(offsets[e] + Int(lengths[e]))]))
                var slot = Int(truncatingIfNeeded: h) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = v
            }
        }
    }

    func contains(_ s: String) -> Bool {
        var t = s
        return t.withUTF8 { contains($0) }
    }

    /// Whether these bytes are an entry (no String made for the query).
    func contains(_ b: UnsafeBufferPointer<UInt8>) -> Bool { find(b, Self.hash(b)).found }

    /// Every line of `data` with ASCII whitespace trimmed, lines starting with `#` and empty
    /// lines left out. The data is kept whole and entries point into it; slots for a batch of
    /// lines are loaded together before inserting, so their cache misses overlap.
    mutating func insertLines(_ data: [UInt8]) {
        @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        let base = bytes.count
        if bytes.isEmpty { bytes = data } else { bytes.append(contentsOf: data) }  // the first file is kept as is, no copy
        var lines = 0
        for b in data where b == 0x0A { lines += 1 }
        reserve(count + lines + 1)
        var batch: [(start: Int, end: Int, hash: UInt64)] = []
        batch.reserveCapacity(64)
        var touched: UInt64 = 0
        func flush(_ d: UnsafeBufferPointer<UInt8>) {
            let mask = slots.count - 1
            slots.withUnsafeBufferPointer { sl in
                for e in batch { touched &+= sl[Int(truncatingIfNeeded: e.hash) & mask] }
            }
            for e in batch { insertEntry(d, e.start, e.end, base, e.hash) }
            batch.removeAll(keepingCapacity: true)
        }
        data.withUnsafeBufferPointer { d in
            var i = 0
            let n = d.count
            while i < n {
                var j = i
                while j < n && d[j] != 0x0A { j += 1 }
                var a = i, z = j
                while a < z && isSpace(d[a]) { a += 1 }
                while z > a && isSpace(d[z - 1]) { z -= 1 }
                if z > a && d[i] != 0x23 {
                    batch.append((a, z, Self.hash(UnsafeBufferPointer(rebasing: d[a..<z]))))
                    if batch.count == 64 { flush(d) }
                }
                i = j + 1
            }
            flush(d)
        }
        if touched == 1 { bytes.reserveCapacity(0) }  // keeps the batch loads alive
    }

    /// Inserts line `d[start..<end]`, stored at `base + start` of `bytes`, if new.
    private mutating func insertEntry(_ d: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ base: Int, _ h: UInt64) {
        let b = UnsafeBufferPointer(rebasing: d[start..<end])
        let (found, slot) = find(b, h)
        if found { return }
        offsets.append(base + start); lengths.append(Int32(end - start))
        slots[slot] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(offsets.count)
        if offsets.count * 2 > slots.count { grow(to: slots.count * 2) }
    }
}

#if canImport(Glibc)
import Glibc
#endif

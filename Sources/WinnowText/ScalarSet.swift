/// A code-point membership table: the BMP by lookup, the rest by set.
public struct ScalarSet: Sendable {
    private let bmp: [Bool]
    private let rest: Set<UInt32>

    public init(_ s: Set<Unicode.Scalar>) {
        var t = [Bool](repeating: false, count: 0x10000)
        var r = Set<UInt32>()
        for c in s { if c.value < 0x10000 { t[Int(c.value)] = true } else { r.insert(c.value) } }
        bmp = t; rest = r
    }

    public init(_ s: String) { self.init(Set(s.unicodeScalars)) }

    @inline(__always) public func contains(_ v: UInt32) -> Bool { v < 0x10000 ? bmp[Int(v)] : rest.contains(v) }
    @inline(__always) public func contains(_ c: Unicode.Scalar) -> Bool { contains(c.value) }
}

/// Counts keyed by 64-bit hashes (already well mixed by the caller's hash), in an
/// open-addressing table over manually managed buffers: no per-lookup hashing beyond one
/// multiply, no copy-on-write checks in the loop.
public final class HashCounts {
    private var keys: UnsafeMutablePointer<UInt64>
    public private(set) var values: UnsafeMutablePointer<Int32>
    public private(set) var firsts: UnsafeMutablePointer<Int32>
    private var slots: UnsafeMutablePointer<Int32>
    private var capacity = 0  // entries the buffers hold
    private var size = 0      // slots in use
    private var allocated = 0 // slots allocated
    public private(set) var count = 0

    public init() {
        keys = .allocate(capacity: 1); values = .allocate(capacity: 1); firsts = .allocate(capacity: 1); slots = .allocate(capacity: 1)
    }

    deinit { keys.deallocate(); values.deallocate(); firsts.deallocate(); slots.deallocate() }

    /// Empties the table for at most `maxKeys` keys.
    public func reset(maxKeys: Int) {
        var s = 16
        while s < maxKeys * 2 { s <<= 1 }
        if s > allocated {
            slots.deallocate(); slots = .allocate(capacity: s); allocated = s
        }
        size = s
        if maxKeys > capacity {
            keys.deallocate(); values.deallocate(); firsts.deallocate()
            capacity = max(maxKeys, 16)
            keys = .allocate(capacity: capacity); values = .allocate(capacity: capacity); firsts = .allocate(capacity: capacity)
        }
        slots.update(repeating: -1, count: size)
        count = 0
    }

    /// Adds one to `key`'s count (first seen at `position`); returns the count before. At most
    /// `maxKeys` distinct keys may be added after `reset`.
    @inline(__always) @discardableResult
    public func add(_ key: UInt64, position: Int) -> Int32 {
        let mask = size - 1
        var slot = Int(truncatingIfNeeded: ((key ^ (key >> 31)) &* 0x9E3779B97F4A7C15) >> 20) & mask
        while true {
            let e = Int(slots[slot])
            if e < 0 {
                slots[slot] = Int32(count)
                keys[count] = key; values[count] = 1; firsts[count] = Int32(position)
                count += 1
                return 0
            }
            if keys[e] == key { values[e] += 1; return values[e] - 1 }
            slot = (slot + 1) & mask
        }
    }
}

import Glibc

/// Piece bytes → ids of recent pieces too long for `PieceCache` keys (up to `maxBytes`) whose
/// merge ran over the whole piece: runs of whitespace and newlines in indented web text (50 to
/// 100 bytes, merged by heap) repeat through a document; in the zh test set three quarters of
/// their bytes are repeats. Direct-mapped; each slot owns a buffer for the bytes, then the ids.
/// Bound to one model: a scratch used with another model starts empty.
final class LongPieceCache {
    static let maxBytes = 512
    private static let slotBits = 10
    private struct Slot {
        var hash: UInt64 = 0
        var bytes = 0
        var ids = 0
        var capacity = 0
        var storage: UnsafeMutableRawPointer? = nil
    }
    private var slots: UnsafeMutablePointer<Slot>?
    private var owner: ObjectIdentifier?

    init() {}

    deinit {
        guard let slots else { return }
        for i in 0..<(1 << Self.slotBits) { slots[i].storage?.deallocate() }
        slots.deallocate()
    }

    /// The slots for `model`, emptied when they last served another one.
    @inline(__always) private func bind(_ model: AnyObject) -> UnsafeMutablePointer<Slot> {
        let id = ObjectIdentifier(model)
        if let s = slots, owner == id { return s }
        let s = slots ?? {
            let s = UnsafeMutablePointer<Slot>.allocate(capacity: 1 << Self.slotBits)
            s.initialize(repeating: Slot(), count: 1 << Self.slotBits)
            return s
        }()
        for i in 0..<(1 << Self.slotBits) { s[i].bytes = 0 }
        slots = s
        owner = id
        return s
    }

    @inline(__always) private static func index(_ h: UInt64) -> Int {
        Int(truncatingIfNeeded: h >> UInt64(64 - slotBits))
    }

    /// Writes the cached ids of `p[0..<n]` (hash `h`) for `model` at `out` and returns the end, or nil.
    @inline(__always)
    func find(_ model: AnyObject, _ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64,
              _ out: UnsafeMutablePointer<UInt32>) -> UnsafeMutablePointer<UInt32>? {
        let s = bind(model) + Self.index(h)
        guard s.pointee.hash == h, s.pointee.bytes == n, let storage = s.pointee.storage,
              memcmp(storage, p, n) == 0 else { return nil }
        let count = s.pointee.ids
        out.update(from: (storage + Self.idsOffset(n)).assumingMemoryBound(to: UInt32.self), count: count)
        return out + count
    }

    /// Remembers that `p[0..<n]` (n ≤ maxBytes, hash `h`) encodes as `ids` (count of them) for `model`.
    func store(_ model: AnyObject, _ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, _ ids: UnsafePointer<UInt32>, _ count: Int) {
        let s = bind(model) + Self.index(h)
        let need = Self.idsOffset(n) + 4 * count
        if s.pointee.capacity < need {
            s.pointee.storage?.deallocate()
            s.pointee.capacity = max(need, 256)
            s.pointee.storage = .allocate(byteCount: s.pointee.capacity, alignment: 8)
        }
        let storage = s.pointee.storage!
        storage.copyMemory(from: p, byteCount: n)
        (storage + Self.idsOffset(n)).copyMemory(from: ids, byteCount: 4 * count)
        s.pointee.hash = h
        s.pointee.bytes = n
        s.pointee.ids = count
    }

    @inline(__always) private static func idsOffset(_ n: Int) -> Int { (n + 7) & ~7 }
}

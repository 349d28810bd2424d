import WinnowCore

/// Contiguous look-ahead over a `ByteSource` for record parsers: `view` shows the unconsumed
/// bytes, `fill()` appends the next chunk, `consume(n)` advances. Remembers where bytes were lost
/// (gaps) as absolute stream offsets, so a parser can tell whether a record straddles damage.
public final class StreamBuffer {
    public let source: ByteSource
    private var storage: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    /// Stream offset of storage[0].
    private var base = 0
    /// Stream offsets at which a gap precedes the byte there, oldest first.
    public private(set) var gaps: [Int] = []
    public private(set) var exhausted = false

    public init(source: ByteSource, initialCapacity: Int = 1 << 16) {
        self.source = source
        storage = .allocate(byteCount: initialCapacity, alignment: 64)
    }

    deinit { storage.deallocate() }

    /// A chunk adopted without copying while the buffer was empty (the common case for
    /// gzip-per-record WARCs: one member holds one whole record). Valid until the source's next
    /// call, which only `fill()` makes, after spilling what is left of it into `storage`.
    private var ext: UnsafeRawBufferPointer?
    private var extPos = 0
    /// Stream offset of ext[0].
    private var extOffset = 0

    /// Unconsumed bytes.
    public var view: UnsafeBufferPointer<UInt8> {
        if let ext {
            return UnsafeBufferPointer(start: ext.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) + extPos }, count: ext.count - extPos)
        }
        return UnsafeBufferPointer(start: storage.baseAddress!.assumingMemoryBound(to: UInt8.self) + start, count: end - start)
    }
    public var count: Int { ext.map { $0.count - extPos } ?? (end - start) }
    /// Stream offset of the first unconsumed byte.
    public var offset: Int { ext != nil ? extOffset + extPos : base + start }

    public func consume(_ n: Int) {
        precondition(n <= count)
        if let e = ext {
            extPos += n
            if extPos == e.count { base = extOffset + e.count; start = 0; end = 0; ext = nil }
            return
        }
        start += n
        if start == end { base += start; start = 0; end = 0 }
    }

    /// Appends the next chunk. Returns false at the end of the stream.
    @discardableResult
    public func fill() throws -> Bool {
        if exhausted { return false }
        if let e = ext {
            // Spill the rest of the adopted chunk before the source reuses its memory.
            let rem = e.count - extPos
            reserve(rem)
            if rem > 0 { storage.baseAddress!.copyMemory(from: e.baseAddress! + extPos, byteCount: rem) }
            base = extOffset + extPos
            start = 0
            end = rem
            ext = nil
        }
        guard let chunk = try source.next() else { exhausted = true; return false }
        if chunk.gapBefore { gaps.append(base + end) }
        let n = chunk.bytes.count
        if start == end {
            base += start
            start = 0
            end = 0
            ext = chunk.bytes
            extPos = 0
            extOffset = base
            return true
        }
        if end + n > storage.count {
            let live = end - start
            reserve(live + n)
            if start > 0 {
                if live > 0 { storage.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: live) }
                base += start
                end = live
                start = 0
            }
        }
        if n > 0 { (storage.baseAddress! + end).copyMemory(from: chunk.bytes.baseAddress!, byteCount: n) }
        end += n
        return true
    }

    /// Makes room for `n` live bytes at the front of `storage` (keeping the live bytes, which
    /// the caller moves to the front).
    private func reserve(_ n: Int) {
        guard n > storage.count else { return }
        var cap = storage.count
        while cap < n * 2 { cap *= 2 }
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: cap, alignment: 64)
        let live = end - start
        if live > 0 { bigger.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: live) }
        storage.deallocate()
        storage = bigger
        base += start
        end = live
        start = 0
    }

    /// Ensures `n` unconsumed bytes unless the stream ends first; returns whether they are there.
    public func ensure(_ n: Int) throws -> Bool {
        while count < n { if try !fill() { return false } }
        return true
    }

    /// First gap offset in (from, to], if any: bytes in that range are not contiguous.
    public func gap(in range: ClosedRange<Int>) -> Int? {
        gaps.first { $0 > range.lowerBound && $0 <= range.upperBound }
    }

    /// Forgets gaps before `offset` (they can no longer affect unparsed data).
    public func dropGaps(before offset: Int) {
        if let i = gaps.firstIndex(where: { $0 >= offset }) { if i > 0 { gaps.removeFirst(i) } } else { gaps.removeAll() }
    }

    /// Index of `byte` in the unconsumed bytes at or after `from`, filling as needed (bounded by
    /// `limit` bytes of look-ahead). nil when the stream ends or the limit is reached.
    public func find(_ byte: UInt8, from: Int = 0, limit: Int = .max) throws -> Int? {
        var i = from
        while true {
            let v = view
            if i < v.count {
                let stop = min(v.count, limit)
                if i < stop, let p = memchr(v.baseAddress! + i, Int32(byte), stop - i) {
                    return UnsafePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - v.baseAddress!
                }
                i = max(i, stop)
                if stop == limit { return nil }
            }
            if !(try fill()) { return nil }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

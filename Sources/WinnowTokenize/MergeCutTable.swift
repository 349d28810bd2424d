// Where a piece's merge can be cut in two. Every symbol a byte-level merge makes is the product
// of some merge, so if no product can span the boundary between two characters of the text,
// no pair across that boundary ever has a rank: the two sides merge independently, and the
// piece's ids are the ids of each side merged alone. Chinese clauses are single pieces of many
// characters; cut between the characters no token joins, they become words, which repeat and
// can be cached (`ByteLevelBPE.mergeBytes`).
//
// A product spans the boundary between the whole characters x and y of valid UTF-8 text only
// as one of: x and y adjacent inside it ("xy"), whole x then a partial y at its end, a partial
// x (its tail bytes) at its start then y or a partial y. The table keeps the first kind as
// code-point pairs and marks the characters the other kinds involve (on the whole side, or all
// characters that begin with the partial bytes): a marked character is never cut beside.

/// Boundaries between two whole BMP characters (2 or 3 UTF-8 bytes) that no merge product spans.
final class MergeCutTable: @unchecked Sendable {
    /// Per code point: `noCutAfter`, `noCutBefore`.
    private let marks: UnsafeMutablePointer<UInt8>
    private static let noCutAfter: UInt8 = 1, noCutBefore: UInt8 = 2
    /// (x << 16 | y) of the adjacent characters inside some product; open addressing, 0 empty.
    private let joined: UnsafeMutablePointer<UInt32>
    private let mask: Int
    /// Pairs of characters some product joins.
    let joinedCount: Int

    /// Every token of `vocab` counts as a product (a merge makes only tokens; the others
    /// only make the table more cautious).
    init(vocab: ByteStringTable) {
        marks = .allocate(capacity: 0x10000)
        marks.initialize(repeating: 0, count: 0x10000)
        var keys = Set<UInt32>()
        var marked: [(Int, UInt8)] = []
        var parts: [Unit] = []
        for id in 0..<UInt32(truncatingIfNeeded: vocab.capacity) where vocab.contains(id) {
            vocab.withBytes(id) { t in
                // Most tokens are ASCII: nothing in them is a character boundary of interest.
                guard t.count >= 2, t.contains(where: { $0 >= 0x80 }) else { return }
                Self.units(of: t, &parts) { left, right in
                    switch (left, right) {
                    case let (.whole(x), .whole(y)): keys.insert(UInt32(x) << 16 | UInt32(y))
                    case let (.whole(x), .head): marked.append((x, Self.noCutAfter))
                    case let (.tail, .whole(y)): marked.append((y, Self.noCutBefore))
                    case let (.tail, .head(bytes)):
                        // Every character that starts with these bytes.
                        for c in Self.characters(startingWith: bytes) { marked.append((c, Self.noCutBefore)) }
                    default: break
                    }
                }
            }
        }
        for (c, m) in marked { marks[c] |= m }
        var size = 16
        while size < 2 * keys.count + 16 { size <<= 1 }
        joined = .allocate(capacity: size)
        joined.initialize(repeating: 0, count: size)
        mask = size - 1
        for k in keys {
            var i = Self.slot(k, mask)
            while joined[i] != 0 { i = (i + 1) & mask }
            joined[i] = k
        }
        joinedCount = keys.count
    }

    deinit { marks.deallocate(); joined.deallocate() }

    @inline(__always) private static func slot(_ k: UInt32, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(k) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// Whether no merge product spans the boundary between the whole characters x then y
    /// (code points 0x80...0xFFFF, each a 2- or 3-byte sequence of the text).
    @inline(__always) func canCut(_ x: Int, _ y: Int) -> Bool {
        if marks[x] & Self.noCutAfter != 0 || marks[y] & Self.noCutBefore != 0 { return false }
        let k = UInt32(truncatingIfNeeded: x) << 16 | UInt32(truncatingIfNeeded: y)
        var i = Self.slot(k, mask)
        while true {
            let s = joined[i]
            if s == k { return false }
            if s == 0 { return true }
            i = (i + 1) & mask
        }
    }

    /// A product's parts, as valid UTF-8 text would align them.
    enum Unit {
        /// A whole BMP character of 2 or 3 bytes (its code point).
        case whole(Int)
        /// Continuation bytes at the product's start (the tail of a character before it).
        case tail
        /// A lead byte and continuation bytes at its end (the start of a character after it).
        case head([UInt8])
        /// An ASCII byte or a 4-byte character.
        case other
    }

    /// Calls `body` for each adjacent pair of `t`'s units. A byte string that cannot occur
    /// inside valid UTF-8 (a stray continuation byte, a lead byte before a non-continuation
    /// byte) matches no text and is skipped whole.
    static func units(of t: UnsafeBufferPointer<UInt8>, _ parts: inout [Unit], _ body: (Unit, Unit) -> Void) {
        parts.removeAll(keepingCapacity: true)
        let n = t.count
        var i = 0
        while i < n && t[i] & 0xC0 == 0x80 { i += 1 }
        if i > 3 { return }
        if i > 0 { parts.append(.tail) }
        while i < n {
            let len = CharStartTable.length(t[i])
            if len == 0 { return }
            if i + len > n {
                for j in (i + 1)..<n where t[j] & 0xC0 != 0x80 { return }
                parts.append(len <= 3 ? .head(Array(t[i..<n])) : .other)
                break
            }
            for j in (i + 1)..<(i + len) where t[j] & 0xC0 != 0x80 { return }
            if len == 1 || len == 4 {
                parts.append(.other)
            } else {
                let c = bmpScalar(t.baseAddress!, i, n)
                // An overlong or otherwise invalid sequence matches no text.
                if c < 0 { return }
                parts.append(.whole(c))
            }
            i += len
        }
        for j in 1..<max(parts.count, 1) { body(parts[j - 1], parts[j]) }
    }

    /// The 2- and 3-byte code points whose UTF-8 begins with `prefix` (a lead byte and at most
    /// one continuation byte).
    static func characters(startingWith prefix: [UInt8]) -> [Int] {
        guard let lead = prefix.first else { return [] }
        if lead >= 0xC2 && lead < 0xE0 {
            let base = Int(lead & 0x1F) << 6
            return prefix.count == 1 ? Array(base..<(base + 64)) : [base | Int(prefix[1] & 0x3F)]
        }
        guard lead >= 0xE0 && lead < 0xF0 else { return [] }
        let base = Int(lead & 0x0F) << 12
        let range = prefix.count == 1 ? base..<(base + 4096) : (base | Int(prefix[1] & 0x3F) << 6)..<((base | Int(prefix[1] & 0x3F) << 6) + 64)
        return range.filter { $0 >= 0x800 }
    }
}

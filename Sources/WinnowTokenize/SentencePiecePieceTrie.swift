// A byte trie over vocabulary pieces: children found through one open-addressing table keyed by
// (node, byte), with a direct table for the root. Used for the Unigram lattice (every piece that
// prefixes the text), BPE pair lookups (extend the left symbol's node by the right symbol's
// bytes) and the user-defined-piece prefix matcher.

struct PieceTrie: Sendable {
    /// Piece id stored at each node, -1 where no piece ends.
    private var values: [Int32] = [-1]
    private var rootChildren = [Int32](repeating: -1, count: 256)
    /// Open-addressing slots: key = (node << 8 | byte) + 1 (0 = empty) in the high 40 bits,
    /// child node in the low 24 — one 8-byte load per probe.
    private var slots: [UInt64] = []
    private var mask = 0
    private var shift: UInt64 = 64

    /// Nodes are limited to 2^24 (24-bit child field): far beyond any vocabulary's piece bytes.
    init(pieces: [(bytes: [UInt8], id: Int32)]) {
        var edges: [(parent: Int32, byte: UInt8, child: Int32)] = []
        var lookup: [UInt64: Int32] = [:]
        for (bytes, id) in pieces where !bytes.isEmpty {
            var node: Int32 = 0
            for b in bytes {
                let key = UInt64(node) << 8 | UInt64(b)
                if let c = lookup[key] { node = c; continue }
                let c = Int32(values.count)
                values.append(-1)
                lookup[key] = c
                edges.append((node, b, c))
                node = c
            }
            values[Int(node)] = id
        }
        var cap = 16
        while cap < edges.count * 2 { cap <<= 1 }
        mask = cap - 1
        shift = UInt64(64 - cap.trailingZeroBitCount)
        slots = [UInt64](repeating: 0, count: cap)
        for e in edges {
            if e.parent == 0 { rootChildren[Int(e.byte)] = e.child; continue }
            let key = UInt64(e.parent) << 8 | UInt64(e.byte)
            var slot = slotFor(key)
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = (key + 1) << 24 | UInt64(e.child)
        }
    }

    @inline(__always)
    private func slotFor(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) & mask }

    /// The child of `node` along `byte`, or -1.
    @inline(__always)
    func child(_ node: Int32, _ byte: UInt8) -> Int32 {
        if node == 0 { return rootChildren[Int(byte)] }
        let key = UInt64(node) << 8 | UInt64(byte)
        return slots.withUnsafeBufferPointer { slots in
            var slot = slotFor(key)
            while true {
                let v = slots[slot]
                if v >> 24 == key + 1 { return Int32(truncatingIfNeeded: v & 0xFF_FFFF) }
                if v == 0 { return -1 }
                slot = (slot + 1) & mask
            }
        }
    }

    @inline(__always)
    func value(_ node: Int32) -> Int32 { values[Int(node)] }

    /// The node reached by walking `s[range]` from `node`, or -1.
    @inline(__always)
    func walk(from node: Int32, _ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int32 {
        var n = node
        for i in range {
            n = child(n, s[i])
            if n < 0 { return -1 }
        }
        return n
    }

    /// Id of the piece spelled exactly `bytes`, or -1.
    func exact(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let n = walk(from: 0, bytes, 0..<bytes.count)
        return n < 0 ? -1 : values[Int(n)]
    }

    /// Length of the longest piece that prefixes `s[at..<end]`, 0 when none does.
    @inline(__always)
    func longestPrefix(_ s: UnsafeBufferPointer<UInt8>, at: Int, end: Int) -> Int {
        var n: Int32 = 0
        var best = 0
        var i = at
        while i < end {
            n = child(n, s[i])
            if n < 0 { break }
            i += 1
            if values[Int(n)] >= 0 { best = i - at }
        }
        return best
    }
}

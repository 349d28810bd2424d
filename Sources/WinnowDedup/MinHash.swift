/// MinHash signatures with datatrove's math: permutations (a, b) drawn from numpy's
/// `RandomState(seed)` over [1, p) and [0, p), p = 2^61 − 1 — all a's, then all b's
/// (datatrove), or pair by pair (datasketch's legacy `MinHash`, which MAP-CC uses) — and
/// `(h · a + b) mod p` computed with uint64 wrap-around before the modulus, as numpy does.
/// 32-bit signatures keep the low 32 bits of each value *before* the minimum, as both
/// libraries do. A signature is `bands` × `rows` minima.
public struct MinHasher: Sendable {
    public enum Permutations: String, Sendable, CaseIterable {
        case datatrove, datasketch
    }
    public static let prime: UInt64 = (1 << 61) - 1
    public let bands: Int
    public let rows: Int
    public let bits: Int
    let a: [UInt64]
    let b: [UInt64]

    public init(bands: Int, rows: Int, bits: Int = 64, seed: UInt32 = 1, permutations: Permutations = .datatrove) {
        self.bands = bands
        self.rows = rows
        self.bits = bits
        let n = bands * rows
        var rng = MT19937(seed: seed)
        switch permutations {
        case .datatrove:
            a = (0..<n).map { _ in rng.randint(1, Self.prime) }
            b = (0..<n).map { _ in rng.randint(0, Self.prime) }
        case .datasketch:
            var pa: [UInt64] = [], pb: [UInt64] = []
            for _ in 0..<n { pa.append(rng.randint(1, Self.prime)); pb.append(rng.randint(0, Self.prime)) }
            a = pa; b = pb
        }
    }

    public var count: Int { bands * rows }

    /// x mod (2^61 − 1) without a division: fold the high bits onto the low ones.
    @inline(__always) static func modPrime(_ x: UInt64) -> UInt64 {
        var r = (x & prime) &+ (x >> 61)
        if r >= prime { r -= prime }
        return r
    }

    /// The signature of a set of shingle hashes (nil for no shingles: never deduplicated).
    public func signature(_ shingles: UnsafeBufferPointer<UInt64>, into out: inout [UInt64]) -> Bool {
        guard !shingles.isEmpty else { return false }
        let n = count
        if out.count != n { out = [UInt64](repeating: 0, count: n) }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { o in
                    for i in 0..<n { o[i] = .max }
                    let mask: UInt64 = bits == 32 ? 0xFFFF_FFFF : .max
                    for s in shingles {
                        for i in 0..<n {
                            let v = Self.modPrime(s &* a[i] &+ b[i]) & mask
                            if v < o[i] { o[i] = v }
                        }
                    }
                }
            }
        }
        return true
    }
}

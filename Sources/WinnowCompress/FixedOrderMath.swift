/// Arithmetic whose result is a function of its inputs alone — not of the thread count, the
/// batch shape, the KV cache, the machine or the libm — so that an encoder and a decoder that
/// run M1 separately derive bit-identical CDFs (EIW §3.3's brittleness, issue 21 item 2).
///
/// The scheme: every float result is produced by a fixed sequence of IEEE-754 operations that
/// are correctly rounded by definition (add, multiply, fused multiply-add, divide, square root,
/// round-to-integral, conversions). No operation here has an order chosen at run time:
/// - dot products use 4 × 8 lane accumulators over the same element positions, then one fixed
///   pairwise reduction (`dot`); a batch of rows, or a recomputation of the whole context, calls
///   the same `dot` for the same pair of vectors and gets the same bits;
/// - `exp` is our own range reduction and polynomial (`FixedOrderMath.exp`), not libm's `expf`,
///   whose last bit differs between C libraries;
/// - `fma` is IEEE's fused multiply-add: on CPUs with FMA units it is one instruction, elsewhere
///   a correctly rounded software routine — the same bits either way.
/// Nothing here uses BLAS, whose blocking (and so its summation order) depends on the thread
/// count and the CPU.
public enum FixedOrderMath {
    /// Σ a[i]·b[i] for i < n in a fixed order: lanes l of four SIMD8 accumulators take elements
    /// 32m + 8j + l (accumulator j) by fused multiply-add, the accumulators are added as
    /// (a0 + a1) + (a2 + a3), the eight lanes pairwise ((0+4) + (2+6)) + ((1+5) + (3+7)), and a
    /// tail of n mod 32 elements is added one by one at the end.
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        let blocks = n / 32
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var i = 0
        for _ in 0..<blocks {
            let o = i * 4
            a0 = a0.addingProduct(ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self), rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
            a1 = a1.addingProduct(ra.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self), rb.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self))
            a2 = a2.addingProduct(ra.loadUnaligned(fromByteOffset: o + 64, as: SIMD8<Float>.self), rb.loadUnaligned(fromByteOffset: o + 64, as: SIMD8<Float>.self))
            a3 = a3.addingProduct(ra.loadUnaligned(fromByteOffset: o + 96, as: SIMD8<Float>.self), rb.loadUnaligned(fromByteOffset: o + 96, as: SIMD8<Float>.self))
            i += 32
        }
        let s = (a0 + a1) + (a2 + a3)
        var r = ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]))
        while i < n { r = r.addingProduct(a[i], b[i]); i += 1 }
        return r
    }

    /// y[i] += w · x[i], elementwise (order irrelevant: no reduction).
    @inline(__always)
    public static func axpy(_ w: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = y[i].addingProduct(w, x[i]) }
    }

    private static let log2e: Float = 1.442_695_04
    private static let ln2Hi: Float = 0.693_145_751_953_125      // 0x1.62e4p-1, exact in float
    private static let ln2Lo: Float = 1.428_606_765_330_187e-06  // ln 2 − ln2Hi

    /// e^x for x ≤ 0 (softmax arguments after subtracting the maximum); relative error below
    /// 2e-7, and 0 below −87. Range reduction x = k·ln 2 + r with |r| ≤ ln 2 / 2 (Cody–Waite,
    /// two-part ln 2), a degree-6 Taylor/Horner polynomial for e^r, and 2^k put into the
    /// exponent bits. Only correctly rounded operations, so the bits are the same everywhere.
    @inline(__always)
    public static func exp(_ x: Float) -> Float {
        if !(x > -87) { return 0 }
        let k = (x * log2e).rounded(.toNearestOrEven)
        let r = (x - k * ln2Hi) - k * ln2Lo
        var p: Float = 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let e = Int32(k) + 127
        if e <= 0 { return 0 }
        return p * Float(bitPattern: UInt32(e) << 23)
    }

    /// tanh through `exp` (for GELU models): tanh(x) = sign(x)·(1 − e^{−2|x|}) / (1 + e^{−2|x|}).
    @inline(__always)
    public static func tanh(_ x: Float) -> Float {
        let e = exp(-2 * abs(x))
        let t = (1 - e) / (1 + e)
        return x < 0 ? -t : t
    }
}

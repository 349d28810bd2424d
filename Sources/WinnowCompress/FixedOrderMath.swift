/// Arithmetic whose result is a function of its inputs alone — not of the thread count, the
/// batch shape, the KV cache, the machine or the libm — so that an encoder and a decoder that
/// run M1 separately derive bit-identical CDFs (EIW §3.3's brittleness, issue 21 item 2).
///
/// The scheme: every float result is produced by a fixed sequence of IEEE-754 operations that
/// are correctly rounded by definition (add, multiply, fused multiply-add, divide, square root,
/// round-to-integral, conversions). No operation here has an order chosen at run time:
/// - a linear layer sums each (row, output) in one sequential chain over the inputs (`linear`);
///   how rows and outputs are blocked for speed never changes a chain, so a batch of rows, or a
///   recomputation of the whole context, gets the same bits for each row;
/// - other dot products (attention scores, norms) use 4 × 8 lane accumulators over fixed element
///   positions, then one fixed pairwise reduction (`dot`);
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

    /// Weights [out, in] (torch layout) packed for `linear`: panels of 16 outputs, each panel
    /// [in, 16] contiguous (so the kernel streams memory in order), outputs padded with zeros to a
    /// multiple of 16.
    public static func packPanels(_ w: UnsafePointer<Float>, outF: Int, inF: Int) -> [Float] {
        let panels = (outF + 15) / 16
        var p = [Float](repeating: 0, count: panels * 16 * inF)
        for o in 0..<outF {
            let base = (o / 16) * 16 * inF + o % 16
            for i in 0..<inF { p[base + i * 16] = w[o * inF + i] }
        }
        return p
    }

    /// A linear layer over rows: y[r·ys + o] = acc + b[o] (or y += acc + b[o] with `add`),
    /// acc = Σ_i x[r·inF + i] · W[o, i] summed for i = 0, 1, 2, … by fused multiply-add: one
    /// sequential chain per (row, output). Weights come packed by `packPanels`; 8 consecutive
    /// outputs are one SIMD8 and a row's input is broadcast: with 4 rows or more, panel by panel,
    /// blocks of 4 rows × 16 outputs (8 chains in flight: a GEMM micro-kernel), leftover rows
    /// 1 × 16; with fewer rows, 1 row × 64 outputs.
    /// The blocking decides which chains run side by side, never the order inside one, so a row's
    /// outputs are the same bits whatever the number of rows.
    public static func linear(_ x: UnsafePointer<Float>, rows R: Int, inF: Int, _ panels: UnsafePointer<Float>, _ b: UnsafePointer<Float>?,
                              outF: Int, _ y: UnsafeMutablePointer<Float>, stride ys: Int, add: Bool) {
        let np = (outF + 15) / 16, ps = 16 * inF
        let rp = UnsafeRawPointer(panels)
        @inline(__always) func w8(_ panel: Int, _ i: Int, _ half: Int) -> SIMD8<Float> {
            rp.loadUnaligned(fromByteOffset: (panel &* ps &+ i &* 16 &+ half &* 8) &* 4, as: SIMD8<Float>.self)
        }
        @inline(__always) func store(_ r: Int, _ o: Int, _ v: SIMD8<Float>) {
            let p = y + r * ys + o
            if o + 8 <= outF {
                var v = v
                if let b { v += UnsafeRawPointer(b + o).loadUnaligned(as: SIMD8<Float>.self) }
                if add { v += UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
                UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
            } else {
                for j in 0..<max(0, outF - o) {
                    var e = v[j]
                    if let b { e += b[o + j] }
                    if add { e += p[j] }
                    p[j] = e
                }
            }
        }
        /// Rows [r, r + 4) × panel's 16 outputs: 8 chains.
        @inline(__always) func block4(_ r: Int, _ panel: Int) {
            let x0 = x + r * inF, x1 = x0 + inF, x2 = x1 + inF, x3 = x2 + inF
            var a0 = SIMD8<Float>(), b0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b1 = SIMD8<Float>()
            var a2 = SIMD8<Float>(), b2 = SIMD8<Float>(), a3 = SIMD8<Float>(), b3 = SIMD8<Float>()
            for i in 0..<inF {
                let wa = w8(panel, i, 0), wb = w8(panel, i, 1)
                let v0 = SIMD8<Float>(repeating: x0[i]), v1 = SIMD8<Float>(repeating: x1[i])
                let v2 = SIMD8<Float>(repeating: x2[i]), v3 = SIMD8<Float>(repeating: x3[i])
                a0 = a0.addingProduct(v0, wa); b0 = b0.addingProduct(v0, wb)
                a1 = a1.addingProduct(v1, wa); b1 = b1.addingProduct(v1, wb)
                a2 = a2.addingProduct(v2, wa); b2 = b2.addingProduct(v2, wb)
                a3 = a3.addingProduct(v3, wa); b3 = b3.addingProduct(v3, wb)
            }
            let o = panel * 16
            store(r, o, a0); store(r, o + 8, b0); store(r + 1, o, a1); store(r + 1, o + 8, b1)
            store(r + 2, o, a2); store(r + 2, o + 8, b2); store(r + 3, o, a3); store(r + 3, o + 8, b3)
        }
        /// Row r × panel's 16 outputs: 2 chains.
        @inline(__always) func block1(_ r: Int, _ panel: Int) {
            let xr = x + r * inF
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
            for i in 0..<inF {
                let v = SIMD8<Float>(repeating: xr[i])
                a0 = a0.addingProduct(v, w8(panel, i, 0)); a1 = a1.addingProduct(v, w8(panel, i, 1))
            }
            store(r, panel * 16, a0); store(r, panel * 16 + 8, a1)
        }
        if R >= 4 {
            // Panel by panel (16·inF floats stay in L1/L2 while every row uses them).
            for panel in 0..<np {
                var r = 0
                while r + 4 <= R { block4(r, panel); r += 4 }
                while r < R { block1(r, panel); r += 1 }
            }
            return
        }
        // Fewer than 4 rows: each row takes 64 outputs (8 chains) at a time.
        for r in 0..<R {
            let xr = x + r * inF
            var panel = 0
            while panel + 4 <= np {
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                var a4 = SIMD8<Float>(), a5 = SIMD8<Float>(), a6 = SIMD8<Float>(), a7 = SIMD8<Float>()
                for i in 0..<inF {
                    let v = SIMD8<Float>(repeating: xr[i])
                    a0 = a0.addingProduct(v, w8(panel, i, 0)); a1 = a1.addingProduct(v, w8(panel, i, 1))
                    a2 = a2.addingProduct(v, w8(panel + 1, i, 0)); a3 = a3.addingProduct(v, w8(panel + 1, i, 1))
                    a4 = a4.addingProduct(v, w8(panel + 2, i, 0)); a5 = a5.addingProduct(v, w8(panel + 2, i, 1))
                    a6 = a6.addingProduct(v, w8(panel + 3, i, 0)); a7 = a7.addingProduct(v, w8(panel + 3, i, 1))
                }
                let o = panel * 16
                store(r, o, a0); store(r, o + 8, a1); store(r, o + 16, a2); store(r, o + 24, a3)
                store(r, o + 32, a4); store(r, o + 40, a5); store(r, o + 48, a6); store(r, o + 56, a7)
                panel += 4
            }
            while panel < np { block1(r, panel); panel += 1 }
        }
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

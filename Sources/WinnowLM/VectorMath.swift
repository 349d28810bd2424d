/// Eight-lane exp and tanh for the elementwise kernels. glibc's scalar expf/tanhf were a quarter
/// of a gpt2-tiny training step; these run ~8 values per call at about 1–2 ulp (Cephes' expf
/// polynomial with a two-part ln 2 range reduction), well inside the 1e-4 parity budget against
/// PyTorch, which itself uses vectorised approximations. Deterministic: no lane depends on another.

typealias Float8 = SIMD8<Float>

@inline(__always)
func exp8(_ x: Float8) -> Float8 {
    // Below -87.3 the result underflows: return 0 there (exp(-inf) = 0 for masked softmax entries).
    let lo = Float8(repeating: -87.33), hi = Float8(repeating: 88.37)
    let underflow = x .< lo
    var xc = x.replacing(with: lo, where: underflow)
    xc.replace(with: hi, where: xc .> hi)
    // Round x·log2(e) to the nearest integer with the 1.5·2^23 shifter: the sum's low mantissa
    // bits are the integer (no float→int conversion, which the generic SIMD path does per lane).
    let shifter: Float = 12_582_912
    let t = xc * 1.442_695_04 + shifter
    let n = t - shifter
    var r = xc - n * 0.693_359_375
    r = r + n * 2.121_944_4e-4
    let r2 = r * r
    var p = Float8(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    p = p * r2 + r + 1
    // 2^n by building the float's exponent field; n is within [-126, 127] after the clamp.
    let nInt = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let scaled = p * unsafeBitCast((nInt &+ 127) &<< 23, to: Float8.self)
    return scaled.replacing(with: 0, where: underflow)
}

/// tanh(x) = sign(x)·(1 − 2/(e^{2|x|} + 1)); absolute error ~1e-7, which is what GELU's
/// 0.5·x·(1 + tanh) and its derivative see.
@inline(__always)
func tanh8(_ x: Float8) -> Float8 {
    let a = x.replacing(with: -x, where: x .< 0)
    let a2 = 2 * a
    let e = exp8(a2.replacing(with: 40, where: a2 .> 40))
    let t = 1 - 2 / (e + 1)
    return t.replacing(with: -t, where: x .< 0)
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> Float8 {
    UnsafeRawPointer(p).loadUnaligned(as: Float8.self)
}

@inline(__always)
func store8(_ v: Float8, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Float8.self)
}

/// y[i] = exp(x[i] − shift), returning Σ y in float lanes summed pairwise at the end.
@inline(__always)
func expShiftedSum(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, shift: Float) -> Float {
    var acc = Float8(repeating: 0)
    var i = 0
    while i + 8 <= n {
        let e = exp8(load8(x + i) - shift)
        store8(e, y + i); acc += e; i += 8
    }
    var sum = acc.sum()
    while i < n {
        let e = exp8(Float8(repeating: x[i] - shift))[0]
        y[i] = e; sum += e; i += 1
    }
    return sum
}

/// Σ exp(x[i] − shift) in double (the cross-entropy's log-sum-exp): float lanes per block of 8,
/// accumulated in double across blocks.
@inline(__always)
func expShiftedSumDouble(_ x: UnsafePointer<Float>, _ n: Int, shift: Float) -> Double {
    var total = 0.0
    var i = 0
    var acc = Float8(repeating: 0)
    var block = 0
    while i + 8 <= n {
        acc += exp8(load8(x + i) - shift); i += 8; block += 1
        if block == 64 { total += Double(acc.sum()); acc = Float8(repeating: 0); block = 0 }
    }
    total += Double(acc.sum())
    while i < n { total += Double(exp8(Float8(repeating: x[i] - shift))[0]); i += 1 }
    return total
}

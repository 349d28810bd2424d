import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Causal multi-head attention with grouped K/V heads (query head h reads K/V head
/// h / (heads / kvHeads), torch's repeat_interleave), and an optional document mask: position i
/// sees j only when j ≤ i and both have the same segment id. Work is split over
/// (sequence, K/V head) pairs, so no two tasks write the same gradient and results do not
/// depend on scheduling.
struct AttentionShape {
    let batch: Int, seq: Int, heads: Int, kvHeads: Int, headDim: Int
    var group: Int { heads / kvHeads }
    var qStride: Int { heads * headDim }
    var kvStride: Int { kvHeads * headDim }
    var scale: Float { 1 / Float(headDim).squareRoot() }
}

/// Runs `body(i)` for i in 0..<n on `threads` threads with OpenBLAS single-threaded inside.
func parallelFor(_ n: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    if threads <= 1 || n <= 1 {
        for i in 0..<n { body(i) }
        return
    }
    let saved = BLASThreads.current
    BLASThreads.set(1)
    DispatchQueue.concurrentPerform(iterations: n) { body($0) }
    BLASThreads.set(saved)
}

/// body(lo, hi) over `threads` contiguous slices of 0..<n (elementwise work).
func parallelChunks(_ n: Int, threads: Int, _ body: @Sendable (Int, Int) -> Void) {
    let k = max(1, min(threads, n / 4096))
    if k == 1 { body(0, n); return }
    parallelFor(k, threads: k) { i in body(n * i / k, n * (i + 1) / k) }
}

/// A T5 relative bias for one layer: `bias[bucket · heads + h]`, and `bucket[i − j]`.
struct RelativeBiasArgs {
    let bias: UnsafePointer<Float>
    let bucket: UnsafePointer<Int32>
}

/// probs[b,h] = softmax(mask(q kᵀ · scale + relative bias)); out = probs · v.
func attentionForward(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                      probs: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>,
                      segments: UnsafePointer<Int32>?, relBias: RelativeBiasArgs? = nil, shape s: AttentionShape, threads: Int) {
    let T = s.seq, hd = s.headDim
    nonisolated(unsafe) let (q, k, v, probs, out, segments, relBias) = (q, k, v, probs, out, segments, relBias)
    parallelFor(s.batch * s.kvHeads, threads: threads) { task in
        let b = task / s.kvHeads, kh = task % s.kvHeads
        let kb = k + b * T * s.kvStride + kh * hd, vb = v + b * T * s.kvStride + kh * hd
        let seg = segments.map { $0 + b * T }
        for h in (kh * s.group)..<((kh + 1) * s.group) {
            let qb = q + b * T * s.qStride + h * hd
            let p = probs + (b * s.heads + h) * T * T
            sgemm(transB: true, m: T, n: T, k: hd, alpha: s.scale, a: qb, lda: s.qStride, b: kb, ldb: s.kvStride, beta: 0, c: p, ldc: T)
            for i in 0..<T {
                let row = p + i * T
                if let rb = relBias {
                    for j in 0...i { row[j] += rb.bias[Int(rb.bucket[i - j]) * s.heads + h] }
                }
                var m = -Float.infinity
                for j in 0...i where seg == nil || seg![j] == seg![i] { m = max(m, row[j]) }
                var sum: Float
                if let seg {
                    // Other documents' positions get -inf, i.e. exp = 0.
                    for j in 0...i where seg[j] != seg[i] { row[j] = -.infinity }
                }
                sum = expShiftedSum(row, row, i + 1, shift: m)
                let inv = 1 / sum
                for j in 0...i { row[j] *= inv }
                if i + 1 < T { (row + i + 1).update(repeating: 0, count: T - i - 1) }
            }
            sgemm(m: T, n: hd, k: T, a: p, lda: T, b: vb, ldb: s.kvStride, beta: 0, c: out + b * T * s.qStride + h * hd, ldc: s.qStride)
        }
    }
}

/// dq (overwritten), dk and dv (overwritten) from dOut; with a relative bias, its gradient
/// `dBias` [buckets, heads] is added to. Each task sums its own (sequence, head) slice of the
/// bias gradient; the slices are added in sequence order afterwards, so the result does not
/// depend on the thread count.
func attentionBackward(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                       probs: UnsafePointer<Float>, dOut: UnsafePointer<Float>,
                       dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
                       relBias: RelativeBiasArgs? = nil, dBias: UnsafeMutablePointer<Float>? = nil, buckets: Int = 0,
                       shape s: AttentionShape, threads: Int) {
    let T = s.seq, hd = s.headDim
    // Per (sequence, head) bias-gradient slices: [batch][heads][buckets].
    let sliceBuffer: UnsafeMutablePointer<Float>? = dBias == nil ? nil : .allocate(capacity: s.batch * s.heads * buckets)
    sliceBuffer?.initialize(repeating: 0, count: s.batch * s.heads * buckets)
    defer { sliceBuffer?.deallocate() }
    nonisolated(unsafe) let (q, k, v, probs, dOut, dq, dk, dv, relBias, slices) = (q, k, v, probs, dOut, dq, dk, dv, relBias, sliceBuffer)
    parallelFor(s.batch * s.kvHeads, threads: threads) { task in
        let b = task / s.kvHeads, kh = task % s.kvHeads
        let kOff = b * T * s.kvStride + kh * hd
        let dP = UnsafeMutablePointer<Float>.allocate(capacity: T * T)
        defer { dP.deallocate() }
        for (n, h) in ((kh * s.group)..<((kh + 1) * s.group)).enumerated() {
            let qOff = b * T * s.qStride + h * hd
            let p = probs + (b * s.heads + h) * T * T
            let beta: Float = n == 0 ? 0 : 1   // heads of a group add into one dK/dV
            sgemm(transB: true, m: T, n: T, k: hd, a: dOut + qOff, lda: s.qStride, b: v + kOff, ldb: s.kvStride, beta: 0, c: dP, ldc: T)
            sgemm(transA: true, m: T, n: hd, k: T, a: p, lda: T, b: dOut + qOff, ldb: s.qStride, beta: beta, c: dv + kOff, ldc: s.kvStride)
            // dS = P ⊙ (dP − Σ_j dP·P) is the gradient of the biased scores; scaled for the
            // q kᵀ · scale product.
            let slice = slices.map { $0 + (b * s.heads + h) * buckets }
            for i in 0..<T {
                let pr = p + i * T, dr = dP + i * T
                var dot: Float = 0
                for j in 0...i { dot += pr[j] * dr[j] }
                if let slice, let rb = relBias {
                    for j in 0...i {
                        let g = pr[j] * (dr[j] - dot)
                        slice[Int(rb.bucket[i - j])] += g
                        dr[j] = g * s.scale
                    }
                } else {
                    for j in 0...i { dr[j] = pr[j] * (dr[j] - dot) * s.scale }
                }
                if i + 1 < T { (dr + i + 1).update(repeating: 0, count: T - i - 1) }
            }
            sgemm(m: T, n: hd, k: T, a: dP, lda: T, b: k + kOff, ldb: s.kvStride, beta: 0, c: dq + qOff, ldc: s.qStride)
            sgemm(transA: true, m: T, n: hd, k: T, a: dP, lda: T, b: q + qOff, ldb: s.qStride, beta: beta, c: dk + kOff, ldc: s.kvStride)
        }
    }
    if let dBias, let slices {
        for b in 0..<s.batch {
            for h in 0..<s.heads {
                let sl = slices + (b * s.heads + h) * buckets
                for u in 0..<buckets { dBias[u * s.heads + h] += sl[u] }
            }
        }
    }
}

/// Next-symbol distributions as integer CDFs for the range coder: 257 cumulative counts
/// `cdf[0] = 0 … cdf[256] = 2^precision` (EIW §3.3: precision 14), every symbol with a count of
/// at least 1 so that any byte can be coded whatever the model thinks of it.
public enum QuantizedCDF {
    public static let precision = 14
    public static let total: UInt32 = 1 << 14
    public static let symbols = 256

    /// From logits: p_s ∝ e^{l_s − max}, computed with `FixedOrderMath.exp`; each e^{…} ∈ (0, 1]
    /// becomes an integer weight q_s = ⌊e·2^24⌋, and count_s = 1 + ⌊q_s · (2^14 − 256) / Σq⌋ with
    /// the few counts the floors leave over given to the most likely symbol (the first one on a
    /// tie). Everything after the exponentials is integer arithmetic, whose sums have no order.
    public static func fromLogits(_ logits: UnsafePointer<Float>, into cdf: UnsafeMutablePointer<UInt32>,
                                  weights: UnsafeMutablePointer<UInt32>) {
        var m = logits[0]
        var top = 0
        for s in 1..<symbols where logits[s] > m { m = logits[s]; top = s }
        var sum: UInt64 = 0
        for s in 0..<symbols {
            let q = UInt32(FixedOrderMath.exp(logits[s] - m) * 16_777_216)
            weights[s] = q
            sum += UInt64(q)
        }
        fromWeights(weights, sum: sum, top: top, into: cdf)
    }

    /// From non-negative integer weights (counts of a unigram model, for StaticAC).
    public static func fromCounts(_ counts: [UInt64]) -> [UInt32] {
        precondition(counts.count == symbols)
        var top = 0
        for s in 1..<symbols where counts[s] > counts[top] { top = s }
        let sum = counts.reduce(0, +)
        // Scale the counts into 32-bit weights first (a corpus can hold more than 2^32 bytes).
        let shift = sum >> 32 == 0 ? 0 : 64 - (sum >> 32).leadingZeroBitCount
        var w = counts.map { UInt32($0 >> UInt64(shift)) }
        var cdf = [UInt32](repeating: 0, count: symbols + 1)
        let total = w.reduce(UInt64(0)) { $0 + UInt64($1) }
        w.withUnsafeMutableBufferPointer { wb in
            cdf.withUnsafeMutableBufferPointer { fromWeights(wb.baseAddress!, sum: total, top: top, into: $0.baseAddress!) }
        }
        return cdf
    }

    @inline(__always)
    static func fromWeights(_ w: UnsafePointer<UInt32>, sum: UInt64, top: Int, into cdf: UnsafeMutablePointer<UInt32>) {
        let free = UInt64(total) - UInt64(symbols)
        var used: UInt32 = 0
        cdf[0] = 0
        if sum == 0 {
            for s in 0..<symbols { cdf[s + 1] = UInt32(s + 1) * (total / UInt32(symbols)) }
            return
        }
        for s in 0..<symbols {
            let c = 1 + UInt32(UInt64(w[s]) * free / sum)
            used += c
            cdf[s + 1] = used
        }
        let extra = total - used
        if extra > 0 { for s in (top + 1)...symbols { cdf[s] += extra } }
    }
}

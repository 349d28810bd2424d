#if canImport(Glibc)
import Glibc
#endif

/// T5's relative position buckets, causal form (HF `_relative_position_bucket` with
/// bidirectional=false): a query at i and a key at j ≤ i are n = i − j apart; distances below
/// buckets/2 get a bucket each, larger ones share logarithmically wider buckets up to
/// `maxDistance`, and everything beyond falls in the last bucket.
///
/// T5 computes the logarithmic part in float32 (`log(n / exact) / log(max / exact) · (buckets −
/// exact)`, truncated). Here it is computed in double; for the buckets in use (32 buckets, max
/// distance 128) no distance lies within 1e-4 of a bucket edge, so float32 and double agree
/// (`bench/parity/lm_parity.py` checks the whole table against torch) and the table does not
/// depend on the platform's `log` to the last bit.
public enum RelativePositionBuckets {
    public static func bucket(distance n: Int, buckets: Int, maxDistance: Int) -> Int {
        let exact = buckets / 2
        let d = max(n, 0)
        if d < exact { return d }
        let v = log(Double(d) / Double(exact)) / log(Double(maxDistance) / Double(exact)) * Double(buckets - exact)
        return min(exact + Int(v), buckets - 1)
    }

    /// bucket(distance) for every distance 0..<count.
    public static func table(count: Int, buckets: Int, maxDistance: Int) -> [Int32] {
        (0..<max(count, 1)).map { Int32(bucket(distance: $0, buckets: buckets, maxDistance: maxDistance)) }
    }
}

/// The per-layer bias of a model with positions: t5_bias: where each block's
/// [buckets, heads] table sits, and the bucket of every distance up to the context length.
struct RelativeBiasLayout {
    let buckets: Int
    let table: [Int32]

    init?(_ c: ModelConfig) {
        guard c.positions == .t5Bias else { return nil }
        buckets = c.relBuckets
        table = RelativePositionBuckets.table(count: c.contextLength, buckets: c.relBuckets, maxDistance: c.relMaxDistance)
    }
}

extension Transformer {
    /// Seeded initialisation (`ParameterStore.initialize`), then, for positions: t5_bias, the
    /// relative-bias tables set to a recency prior instead of zeros: head h of every layer starts
    /// at −m_h · d for a bucket whose distances start at d, with ALiBi's slopes m_h = 2^(−8(h+1)/H)
    /// (Press et al. 2022). From zeros, attention starts uniform over the context and cannot tell
    /// the previous byte from any other until Adam has moved the biases far, a few thousandths per
    /// step: eiw-m1 stayed at the unigram loss (3.6–3.8 nats/byte held out) for 200 steps. T5
    /// itself starts them from small random values; the tables are learned either way.
    public func initialize(seed: UInt64) {
        params.initialize(seed: seed, effectiveLayers: config.effectiveLayers)
        guard let rb = relBias else { return }
        let H = config.nHeads
        var start = [Int](repeating: -1, count: rb.buckets)
        var n = 0
        while start.contains(-1) && n <= 4 * max(config.relMaxDistance, rb.buckets) {
            let b = RelativePositionBuckets.bucket(distance: n, buckets: rb.buckets, maxDistance: config.relMaxDistance)
            if start[b] < 0 { start[b] = n }
            n += 1
        }
        for blk in blocks {
            guard let off = blk.relBias else { continue }
            for b in 0..<rb.buckets {
                for h in 0..<H {
                    let slope = pow(2.0, -8.0 * Double(h + 1) / Double(H))
                    params.values[off + b * H + h] = Float(-slope * Double(max(start[b], 0)))
                }
            }
        }
    }
}

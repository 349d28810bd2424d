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

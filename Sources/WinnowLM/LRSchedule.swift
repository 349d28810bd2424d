#if canImport(Glibc)
import Glibc
#endif

/// Learning rate at a 0-based step: linear warm-up to `peak` over `warmup` steps, then
/// cosine or linear decay to `minLR` at `total`, rsqrt decay (peak·√(warmup/(step+1))), or constant.
public struct LRSchedule: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable { case cosine, linear, rsqrt, constant }
    public var kind: Kind
    public var peak: Double
    public var minLR: Double
    public var warmup: Int
    public var total: Int

    public init(kind: Kind, peak: Double, minLR: Double = 0, warmup: Int = 0, total: Int) {
        self.kind = kind; self.peak = peak; self.minLR = minLR; self.warmup = warmup; self.total = total
    }

    public func lr(at step: Int) -> Double {
        if step < warmup { return peak * Double(step + 1) / Double(warmup) }
        let progress = min(1, Double(step - warmup) / Double(max(1, total - warmup)))
        switch kind {
        case .cosine: return minLR + 0.5 * (peak - minLR) * (1 + cos(Double.pi * progress))
        case .linear: return peak - (peak - minLR) * progress
        case .rsqrt: return peak * (Double(max(warmup, 1)) / Double(step + 1)).squareRoot()
        case .constant: return peak
        }
    }
}

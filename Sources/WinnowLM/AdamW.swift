/// torch.optim.AdamW (foreach=False, amsgrad=False, maximize=False), step for step:
/// decoupled decay θ ← θ·(1 − lr·wd) first, then m ← lerp(m, g, 1−β1), v ← β2·v + (1−β2)·g²,
/// θ ← θ − (lr/(1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε). Scalars are computed in double and
/// rounded to float where torch hands a Python float to a float32 kernel.
public final class AdamW {
    public var beta1: Double, beta2: Double, eps: Double, weightDecay: Double
    /// Parameter kinds that get no weight decay (torch: a second param group with wd 0).
    public var noDecay: Set<ParameterKind>
    public private(set) var step = 0
    let m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
    let count: Int

    public init(parameterCount: Int, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 0.01,
                noDecay: Set<ParameterKind> = [.norm, .bias]) {
        self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay; self.noDecay = noDecay
        count = parameterCount
        m = .allocate(capacity: max(count, 1)); m.initialize(repeating: 0, count: max(count, 1))
        v = .allocate(capacity: max(count, 1)); v.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { m.deallocate(); v.deallocate() }

    public func update(_ p: ParameterStore, lr: Double) {
        step += 1
        let t = Double(step)
        let bc1 = 1 - pow(beta1, t), bc2 = 1 - pow(beta2, t)
        let stepSize = Float(lr / bc1), bc2Sqrt = Float(bc2.squareRoot())
        let w1 = Float(1 - beta1), b2 = Float(beta2), w2 = Float(1 - beta2), e = Float(eps)
        for info in p.infos {
            let decay = noDecay.contains(info.kind) ? 0 : weightDecay
            let keep = Float(1 - lr * decay)
            let x = p.values + info.offset, g = p.grads + info.offset, mm = m + info.offset, vv = v + info.offset
            for i in 0..<info.count {
                if decay != 0 { x[i] *= keep }
                mm[i] = mm[i] + w1 * (g[i] - mm[i])
                vv[i] = vv[i] * b2 + w2 * g[i] * g[i]
                let denom = vv[i].squareRoot() / bc2Sqrt + e
                x[i] = x[i] + (-stepSize) * mm[i] / denom
            }
        }
    }

    /// State for checkpoints: step, m and v.
    public func save(to w: inout SafetensorsWriter) {
        w.add("adam.m", shape: [count], floats: UnsafeBufferPointer(start: m, count: count))
        w.add("adam.v", shape: [count], floats: UnsafeBufferPointer(start: v, count: count))
        w.add("adam.step", shape: [1], ints: [step])
    }

    public func load(_ f: SafetensorsFile) throws {
        let mm = try f.floats("adam.m"), vv = try f.floats("adam.v"), s = try f.ints("adam.step")
        guard mm.count == count, vv.count == count, s.count == 1, s[0] >= 0 else {
            throw SafetensorsError(f.path, "optimizer state is for \(mm.count) parameters, the model has \(count)")
        }
        m.update(from: mm, count: count); v.update(from: vv, count: count); step = s[0]
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// torch.nn.utils.clip_grad_norm_ with the 2-norm: the norm of all gradients together; when
/// max_norm / (norm + 1e-6) < 1 every gradient is scaled by it. Returns the norm before clipping.
@discardableResult
public func clipGradNorm(_ p: ParameterStore, maxNorm: Double?) -> Double {
    var sumSq = 0.0
    for info in p.infos {
        // Per-tensor norms first, as torch stacks them.
        var s = 0.0
        let g = p.grads + info.offset
        for i in 0..<info.count { s += Double(g[i]) * Double(g[i]) }
        let n = Double(Float(s.squareRoot()))
        sumSq += n * n
    }
    let norm = Double(Float(sumSq.squareRoot()))
    if let maxNorm, maxNorm > 0 {
        let coef = Float(maxNorm) / (Float(norm) + 1e-6)
        if coef < 1 {
            for i in 0..<p.count { p.grads[i] *= coef }
        }
    }
    return norm
}

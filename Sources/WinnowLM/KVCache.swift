#if canImport(Glibc)
import Glibc
#endif

/// Incremental inference: one token at a time with the keys and values of earlier positions
/// kept per layer, so generating n tokens costs O(n) per token instead of a full forward pass.
/// Same kernels and parameter layout as `Transformer.forward`; logits agree with it to float
/// rounding (KVCacheTests).
public final class KVCacheDecoder {
    public let model: Transformer
    public private(set) var position = 0
    let kCache: [UnsafeMutablePointer<Float>], vCache: [UnsafeMutablePointer<Float>]
    let x: UnsafeMutablePointer<Float>, n: UnsafeMutablePointer<Float>, q: UnsafeMutablePointer<Float>
    let k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>
    let tmp: UnsafeMutablePointer<Float>, h1: UnsafeMutablePointer<Float>, h2: UnsafeMutablePointer<Float>, act: UnsafeMutablePointer<Float>
    let scores: UnsafeMutablePointer<Float>, stats: UnsafeMutablePointer<Float>
    public let logits: UnsafeMutablePointer<Float>
    private var allocations: [UnsafeMutablePointer<Float>] = []

    public init(model: Transformer) {
        self.model = model
        let c = model.config, Q = c.nHeads * c.headDim, KV = c.nKVHeads * c.headDim
        var a: [UnsafeMutablePointer<Float>] = []
        func buf(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n); a.append(p); return p
        }
        kCache = (0..<c.effectiveLayers).map { _ in buf(c.contextLength * KV) }
        vCache = (0..<c.effectiveLayers).map { _ in buf(c.contextLength * KV) }
        x = buf(c.dModel); n = buf(c.dModel); q = buf(Q); k = buf(KV); v = buf(KV); att = buf(Q); tmp = buf(c.dModel)
        h1 = buf(c.mlpHidden); h2 = buf(c.mlpHidden); act = buf(c.mlpHidden)
        scores = buf(c.contextLength); stats = buf(2); logits = buf(c.vocabSize)
        allocations = a
    }

    deinit { for p in allocations { p.deallocate() } }

    public func reset() { position = 0 }

    /// Feeds one token; `logits` then holds the next-token logits.
    public func step(_ token: Int) throws {
        let c = model.config, P = model.params.values, p = model.params
        guard position < c.contextLength else { throw LMError("the context is full (\(c.contextLength) tokens)") }
        guard token >= 0, token < c.vocabSize else { throw LMError("token \(token) is outside the vocabulary (\(c.vocabSize))") }
        let D = c.dModel, hd = c.headDim, Q = c.nHeads * hd, KV = c.nKVHeads * hd, F = c.mlpHidden
        let eps = Float(c.normEps), rms = c.norm == .rmsnorm, pos = position
        x.update(from: P + p.offset("embed.weight") + token * D, count: D)
        if let pe = p.optionalOffset("pos_embed.weight") { for i in 0..<D { x[i] += P[pe + pos * D + i] } }
        for l in 0..<c.effectiveLayers {
            let b = model.blocks[l / c.blockRepeat]
            normForward(rms: rms, x: x, y: n, w: P + b.attnNormW, b: b.attnNormB.map { P + $0 }, mean: stats, rstd: stats + 1, rows: 1, d: D, eps: eps)
            linearForward(n, P + b.q, b.qB.map { P + $0 }, q, rows: 1, inF: D, outF: Q)
            linearForward(n, P + b.k, b.kB.map { P + $0 }, k, rows: 1, inF: D, outF: KV)
            linearForward(n, P + b.v, b.vB.map { P + $0 }, v, rows: 1, inF: D, outF: KV)
            if let rope = model.rope {
                rope.apply(q, heads: c.nHeads, headDim: hd, pos: pos, inverse: false)
                rope.apply(k, heads: c.nKVHeads, headDim: hd, pos: pos, inverse: false)
            }
            (kCache[l] + pos * KV).update(from: k, count: KV)
            (vCache[l] + pos * KV).update(from: v, count: KV)
            let scale = 1 / Float(hd).squareRoot(), group = c.nHeads / c.nKVHeads
            for h in 0..<c.nHeads {
                let qh = q + h * hd, kvOff = (h / group) * hd
                var m = -Float.infinity
                for j in 0...pos {
                    let kj = kCache[l] + j * KV + kvOff
                    var s: Float = 0
                    for i in 0..<hd { s += qh[i] * kj[i] }
                    scores[j] = s * scale
                    if let rb = model.relBias, let off = b.relBias { scores[j] += P[off + Int(rb.table[pos - j]) * c.nHeads + h] }
                    m = max(m, scores[j])
                }
                let sum = expShiftedSum(scores, scores, pos + 1, shift: m)
                let o = att + h * hd
                o.update(repeating: 0, count: hd)
                for j in 0...pos {
                    let w = scores[j] / sum, vj = vCache[l] + j * KV + kvOff
                    for i in 0..<hd { o[i] += w * vj[i] }
                }
            }
            linearForward(att, P + b.out, b.outB.map { P + $0 }, tmp, rows: 1, inF: Q, outF: D)
            addInPlace(x, tmp, D)
            normForward(rms: rms, x: x, y: n, w: P + b.mlpNormW, b: b.mlpNormB.map { P + $0 }, mean: stats, rstd: stats + 1, rows: 1, d: D, eps: eps)
            if let gate = b.gate {
                linearForward(n, P + gate, b.gateB.map { P + $0 }, h1, rows: 1, inF: D, outF: F)
                linearForward(n, P + b.up, b.upB.map { P + $0 }, h2, rows: 1, inF: D, outF: F)
                swigluForward(h1, h2, act, F)
            } else {
                linearForward(n, P + b.up, b.upB.map { P + $0 }, h1, rows: 1, inF: D, outF: F)
                if c.activation == .relu { reluForward(h1, act, F) } else { geluForward(h1, act, F) }
            }
            linearForward(act, P + b.down, b.downB.map { P + $0 }, tmp, rows: 1, inF: F, outF: D)
            addInPlace(x, tmp, D)
        }
        normForward(rms: rms, x: x, y: n, w: P + p.offset("final_norm.weight"), b: p.optionalOffset("final_norm.bias").map { P + $0 },
                    mean: stats, rstd: stats + 1, rows: 1, d: D, eps: eps)
        let head = p.optionalOffset("lm_head.weight") ?? p.offset("embed.weight")
        linearForward(n, P + head, nil, logits, rows: 1, inF: D, outF: c.vocabSize)
        position += 1
    }
}

/// A decoder-only transformer in fp32 with a hand-written backward pass: pre-norm blocks
/// x + attn(norm(x)), x + mlp(norm(x)), a final norm and the (tied or separate) output head.
/// `forward` keeps the activations `backward` needs; gradients accumulate into
/// `params.grads` until `params.zeroGrads()`.
public final class Transformer {
    public let config: ModelConfig
    public let params: ParameterStore
    let blocks: [BlockOffsets]
    let rope: RotaryTable?
    let relBias: RelativeBiasLayout?
    /// Threads for attention and elementwise work (OpenBLAS has its own count, `BLASThreads`).
    public var threads: Int = 1
    var ws: Workspace?
    private var lastCE = CrossEntropyResult(loss: 0, crossEntropy: 0, counted: 0)
    private var lastZLoss = 0.0

    public init(config: ModelConfig) throws {
        if let p = config.problem { throw LMError("model config: \(p)") }
        self.config = config
        params = ParameterStore(ModelLayout.parameterSpecs(config))
        blocks = ModelLayout.blocks(config, params)
        rope = config.positions == .rope ? RotaryTable(positions: config.contextLength, headDim: config.headDim, theta: config.ropeTheta) : nil
        relBias = RelativeBiasLayout(config)
    }

    /// The relative-bias arguments of a block, while `table` is pinned by the caller.
    func withRelativeBias<R>(_ blk: BlockOffsets, _ body: (RelativeBiasArgs?) -> R) -> R {
        guard let rb = relBias, let off = blk.relBias else { return body(nil) }
        return rb.table.withUnsafeBufferPointer { body(RelativeBiasArgs(bias: params.values + off, bucket: $0.baseAddress!)) }
    }

    /// A model over weights already loaded (not copied), with buffers of its own: several
    /// inference users of one checkpoint in a process (`LMCheckpoint`). Nobody may train it.
    init(config: ModelConfig, weights: ParameterStore) throws {
        if let p = config.problem { throw LMError("model config: \(p)") }
        let specs = ModelLayout.parameterSpecs(config)
        guard specs.count == weights.infos.count,
              zip(specs, weights.infos).allSatisfy({ spec, info in spec.0 == info.name && spec.1 == info.shape }) else {
            throw LMError("the weights do not have the layout of this model config")
        }
        self.config = config
        params = weights
        blocks = ModelLayout.blocks(config, weights)
        rope = config.positions == .rope ? RotaryTable(positions: config.contextLength, headDim: config.headDim, theta: config.ropeTheta) : nil
        relBias = RelativeBiasLayout(config)
    }

    /// One batch: `tokens` and `targets` are batch × seq, row-major; a negative target is not
    /// counted; `segments` (optional) restricts attention to positions with the same id.
    public struct Batch: Sendable {
        public var tokens: [Int32], targets: [Int32], segments: [Int32]?
        public var batch: Int, seq: Int
        public init(tokens: [Int32], targets: [Int32], segments: [Int32]? = nil, batch: Int, seq: Int) {
            self.tokens = tokens; self.targets = targets; self.segments = segments; self.batch = batch; self.seq = seq
        }
    }

    public struct Loss: Sendable {
        /// Cross-entropy plus z-loss (what gradients are taken of).
        public var loss: Double
        public var crossEntropy: Double
        public var targets: Int
    }

    public var logits: UnsafeBufferPointer<Float>? {
        ws.map { UnsafeBufferPointer(start: $0.logits, count: $0.batch * $0.seq * config.vocabSize) }
    }

    private func check(_ b: Batch) throws {
        guard b.batch >= 1, b.seq >= 1 else { throw LMError("batch and sequence length must be positive") }
        guard b.seq <= config.contextLength else { throw LMError("sequence length \(b.seq) exceeds context_length \(config.contextLength)") }
        let n = b.batch * b.seq
        guard b.tokens.count == n, b.targets.count == n, b.segments.map({ $0.count == n }) ?? true else {
            throw LMError("batch arrays must each hold \(b.batch) × \(b.seq) = \(n) values")
        }
        for (i, t) in b.tokens.enumerated() where t < 0 || Int(t) >= config.vocabSize {
            throw LMError("token \(t) at position \(i) is outside the vocabulary (size \(config.vocabSize))")
        }
        for (i, t) in b.targets.enumerated() where Int(t) >= config.vocabSize {
            throw LMError("target \(t) at position \(i) is outside the vocabulary (size \(config.vocabSize))")
        }
    }

    /// Allocates the buffers for passes up to (batch, seq) now, so that passes of varying
    /// smaller shapes (documents scored window by window) reuse one allocation.
    func reserve(batch: Int, seq: Int) {
        if ws == nil || !ws!.fits(batch: batch, seq: seq) { ws = Workspace(config: config, batch: batch, seq: seq) }
    }

    @discardableResult
    public func forward(_ b: Batch, zLoss: Double = 0) throws -> Loss {
        try check(b)
        if let w = ws, w.fits(batch: b.batch, seq: b.seq) {
            w.batch = b.batch; w.seq = b.seq
        } else {
            ws = Workspace(config: config, batch: b.batch, seq: b.seq)
        }
        let w = ws!
        w.tokens = b.tokens; w.targets = b.targets; w.segments = b.segments
        let c = config, N = b.batch * b.seq, D = c.dModel, T = b.seq
        let P = params.values
        let eps = Float(c.normEps), rms = c.norm == .rmsnorm
        let shape = AttentionShape(batch: b.batch, seq: T, heads: c.nHeads, kvHeads: c.nKVHeads, headDim: c.headDim)
        let Q = shape.qStride, KV = shape.kvStride, F = c.mlpHidden

        // Embeddings (+ learned positions).
        let emb = P + params.offset("embed.weight")
        let pos = params.optionalOffset("pos_embed.weight").map { P + $0 }
        for n in 0..<N {
            let x = w.xIn[0] + n * D, e = emb + Int(b.tokens[n]) * D
            if let pos {
                let p = pos + (n % T) * D
                for i in 0..<D { x[i] = e[i] + p[i] }
            } else {
                x.update(from: e, count: D)
            }
        }
        for l in 0..<c.effectiveLayers {
            let blk = blocks[l / c.blockRepeat]
            let x = w.xIn[l]
            normForward(rms: rms, x: x, y: w.n1[l], w: P + blk.attnNormW, b: blk.attnNormB.map { P + $0 },
                        mean: w.mean1[l], rstd: w.rstd1[l], rows: N, d: D, eps: eps)
            linearForward(w.n1[l], P + blk.q, blk.qB.map { P + $0 }, w.q[l], rows: N, inF: D, outF: Q)
            linearForward(w.n1[l], P + blk.k, blk.kB.map { P + $0 }, w.k[l], rows: N, inF: D, outF: KV)
            linearForward(w.n1[l], P + blk.v, blk.vB.map { P + $0 }, w.v[l], rows: N, inF: D, outF: KV)
            if let rope {
                for n in 0..<N {
                    rope.apply(w.q[l] + n * Q, heads: c.nHeads, headDim: c.headDim, pos: n % T, inverse: false)
                    rope.apply(w.k[l] + n * KV, heads: c.nKVHeads, headDim: c.headDim, pos: n % T, inverse: false)
                }
            }
            b.segments.withOptionalPointer { seg in
                withRelativeBias(blk) { rb in
                    attentionForward(q: w.q[l], k: w.k[l], v: w.v[l], probs: w.probs[l], out: w.ao[l], segments: seg, relBias: rb,
                                     shape: shape, threads: threads)
                }
            }
            linearForward(w.ao[l], P + blk.out, blk.outB.map { P + $0 }, w.xMid[l], rows: N, inF: Q, outF: D)
            addInPlace(w.xMid[l], x, N * D)
            normForward(rms: rms, x: w.xMid[l], y: w.n2[l], w: P + blk.mlpNormW, b: blk.mlpNormB.map { P + $0 },
                        mean: w.mean2[l], rstd: w.rstd2[l], rows: N, d: D, eps: eps)
            if let gate = blk.gate {
                linearForward(w.n2[l], P + gate, blk.gateB.map { P + $0 }, w.h1[l], rows: N, inF: D, outF: F)
                linearForward(w.n2[l], P + blk.up, blk.upB.map { P + $0 }, w.h2[l], rows: N, inF: D, outF: F)
                nonisolated(unsafe) let (g, u, a) = (w.h1[l], w.h2[l], w.act[l])
                parallelChunks(N * F, threads: threads) { lo, hi in swigluForward(g + lo, u + lo, a + lo, hi - lo) }
            } else {
                linearForward(w.n2[l], P + blk.up, blk.upB.map { P + $0 }, w.h1[l], rows: N, inF: D, outF: F)
                nonisolated(unsafe) let (h, a) = (w.h1[l], w.act[l])
                let relu = c.activation == .relu
                parallelChunks(N * F, threads: threads) { lo, hi in
                    if relu { reluForward(h + lo, a + lo, hi - lo) } else { geluForward(h + lo, a + lo, hi - lo) }
                }
            }
            let next = w.xIn[l + 1]
            linearForward(w.act[l], P + blk.down, blk.downB.map { P + $0 }, next, rows: N, inF: F, outF: D)
            addInPlace(next, w.xMid[l], N * D)
        }
        let final = w.xIn[c.effectiveLayers]
        normForward(rms: rms, x: final, y: w.nf, w: P + params.offset("final_norm.weight"),
                    b: params.optionalOffset("final_norm.bias").map { P + $0 }, mean: w.meanF, rstd: w.rstdF, rows: N, d: D, eps: eps)
        linearForward(w.nf, P + headOffset, nil, w.logits, rows: N, inF: D, outF: c.vocabSize)
        let ce = b.targets.withUnsafeBufferPointer {
            crossEntropyForward(logits: w.logits, targets: $0.baseAddress!, lse: w.lse, rows: N, vocab: c.vocabSize, zLoss: zLoss, threads: threads)
        }
        guard ce.loss.isFinite else { throw LMError("the loss is not finite (\(ce.loss)): the model diverged or its weights hold NaN/inf") }
        lastCE = ce; lastZLoss = zLoss
        return Loss(loss: ce.loss, crossEntropy: ce.crossEntropy, targets: ce.counted)
    }

    private var headOffset: Int { params.optionalOffset("lm_head.weight") ?? params.offset("embed.weight") }

    /// Adds scale · ∂loss/∂θ of the last forward pass to `params.grads`.
    public func backward(scale: Float = 1) {
        guard let w = ws else { return }
        let c = config, N = w.batch * w.seq, D = c.dModel, T = w.seq
        let P = params.values, G = params.grads
        let rms = c.norm == .rmsnorm
        let shape = AttentionShape(batch: w.batch, seq: T, heads: c.nHeads, kvHeads: c.nKVHeads, headDim: c.headDim)
        let Q = shape.qStride, KV = shape.kvStride, F = c.mlpHidden

        w.targets.withUnsafeBufferPointer {
            crossEntropyBackward(logits: w.logits, targets: $0.baseAddress!, lse: w.lse, dlogits: w.dlogits, rows: N,
                                 vocab: c.vocabSize, counted: lastCE.counted, zLoss: lastZLoss, scale: scale, threads: threads)
        }
        linearBackward(x: w.nf, dy: w.dlogits, w: P + headOffset, dw: G + headOffset, db: nil, dx: w.dn, accumulateDX: false,
                       rows: N, inF: D, outF: c.vocabSize)
        w.dx.update(repeating: 0, count: N * D)
        let fw = params.offset("final_norm.weight"), fb = params.optionalOffset("final_norm.bias")
        normBackward(rms: rms, x: w.xIn[c.effectiveLayers], dy: w.dn, dx: w.dx, w: P + fw, dw: G + fw, db: fb.map { G + $0 },
                     mean: w.meanF, rstd: w.rstdF, rows: N, d: D)

        for l in stride(from: c.effectiveLayers - 1, through: 0, by: -1) {
            let blk = blocks[l / c.blockRepeat]
            // MLP: dx is ∂L/∂(block output) = ∂L/∂xMid through the residual, plus the MLP branch.
            linearBackward(x: w.act[l], dy: w.dx, w: P + blk.down, dw: G + blk.down, db: blk.downB.map { G + $0 }, dx: w.dact,
                           accumulateDX: false, rows: N, inF: F, outF: D)
            if let gate = blk.gate {
                nonisolated(unsafe) let (g, u, da, dg, du) = (w.h1[l], w.h2[l], w.dact, w.dh1, w.dh2)
                parallelChunks(N * F, threads: threads) { lo, hi in swigluBackward(g + lo, u + lo, da + lo, dg + lo, du + lo, hi - lo) }
                linearBackward(x: w.n2[l], dy: w.dh1, w: P + gate, dw: G + gate, db: blk.gateB.map { G + $0 }, dx: w.dn, accumulateDX: false,
                               rows: N, inF: D, outF: F)
                linearBackward(x: w.n2[l], dy: w.dh2, w: P + blk.up, dw: G + blk.up, db: blk.upB.map { G + $0 }, dx: w.dn, accumulateDX: true,
                               rows: N, inF: D, outF: F)
            } else {
                nonisolated(unsafe) let (h, da, dh) = (w.h1[l], w.dact, w.dh1)
                let relu = c.activation == .relu
                parallelChunks(N * F, threads: threads) { lo, hi in
                    if relu { reluBackward(h + lo, da + lo, dh + lo, hi - lo) } else { geluBackward(h + lo, da + lo, dh + lo, hi - lo) }
                }
                linearBackward(x: w.n2[l], dy: w.dh1, w: P + blk.up, dw: G + blk.up, db: blk.upB.map { G + $0 }, dx: w.dn,
                               accumulateDX: false, rows: N, inF: D, outF: F)
            }
            normBackward(rms: rms, x: w.xMid[l], dy: w.dn, dx: w.dx, w: P + blk.mlpNormW, dw: G + blk.mlpNormW,
                         db: blk.mlpNormB.map { G + $0 }, mean: w.mean2[l], rstd: w.rstd2[l], rows: N, d: D)
            // Attention.
            linearBackward(x: w.ao[l], dy: w.dx, w: P + blk.out, dw: G + blk.out, db: blk.outB.map { G + $0 }, dx: w.dao,
                           accumulateDX: false, rows: N, inF: Q, outF: D)
            withRelativeBias(blk) { rb in
                attentionBackward(q: w.q[l], k: w.k[l], v: w.v[l], probs: w.probs[l], dOut: w.dao, dq: w.dq, dk: w.dk, dv: w.dv,
                                  relBias: rb, dBias: blk.relBias.map { G + $0 }, buckets: c.relBuckets, shape: shape, threads: threads)
            }
            if let rope {
                for n in 0..<N {
                    rope.apply(w.dq + n * Q, heads: c.nHeads, headDim: c.headDim, pos: n % T, inverse: true)
                    rope.apply(w.dk + n * KV, heads: c.nKVHeads, headDim: c.headDim, pos: n % T, inverse: true)
                }
            }
            linearBackward(x: w.n1[l], dy: w.dq, w: P + blk.q, dw: G + blk.q, db: blk.qB.map { G + $0 }, dx: w.dn, accumulateDX: false, rows: N, inF: D, outF: Q)
            linearBackward(x: w.n1[l], dy: w.dk, w: P + blk.k, dw: G + blk.k, db: blk.kB.map { G + $0 }, dx: w.dn, accumulateDX: true, rows: N, inF: D, outF: KV)
            linearBackward(x: w.n1[l], dy: w.dv, w: P + blk.v, dw: G + blk.v, db: blk.vB.map { G + $0 }, dx: w.dn, accumulateDX: true, rows: N, inF: D, outF: KV)
            normBackward(rms: rms, x: w.xIn[l], dy: w.dn, dx: w.dx, w: P + blk.attnNormW, dw: G + blk.attnNormW,
                         db: blk.attnNormB.map { G + $0 }, mean: w.mean1[l], rstd: w.rstd1[l], rows: N, d: D)
        }
        let de = G + params.offset("embed.weight")
        let dp = params.optionalOffset("pos_embed.weight").map { G + $0 }
        for n in 0..<N {
            let g = w.dx + n * D, e = de + Int(w.tokens[n]) * D
            for i in 0..<D { e[i] += g[i] }
            if let dp { let p = dp + (n % T) * D; for i in 0..<D { p[i] += g[i] } }
        }
    }
}

/// y = x · Wᵀ (+ b), W stored [out, in] like torch.nn.Linear.
func linearForward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>,
                   rows: Int, inF: Int, outF: Int) {
    sgemm(transB: true, m: rows, n: outF, k: inF, a: x, lda: inF, b: w, ldb: inF, beta: 0, c: y, ldc: outF)
    if let b {
        for r in 0..<rows { let yr = y + r * outF; for j in 0..<outF { yr[j] += b[j] } }
    }
}

/// dW += dyᵀ · x; db += Σ_rows dy; dx = dy · W (or += when accumulating).
func linearBackward(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, w: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>,
                    db: UnsafeMutablePointer<Float>?, dx: UnsafeMutablePointer<Float>, accumulateDX: Bool, rows: Int, inF: Int, outF: Int) {
    sgemm(transA: true, m: outF, n: inF, k: rows, a: dy, lda: outF, b: x, ldb: inF, beta: 1, c: dw, ldc: inF)
    if let db {
        for r in 0..<rows { let d = dy + r * outF; for j in 0..<outF { db[j] += d[j] } }
    }
    sgemm(m: rows, n: inF, k: outF, a: dy, lda: outF, b: w, ldb: inF, beta: accumulateDX ? 1 : 0, c: dx, ldc: inF)
}

@inline(__always) func addInPlace(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int) {
    for i in 0..<n { y[i] += x[i] }
}

extension Optional where Wrapped == [Int32] {
    func withOptionalPointer<R>(_ body: (UnsafePointer<Int32>?) -> R) -> R {
        guard let a = self else { return body(nil) }
        return a.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}

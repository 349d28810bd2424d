/// Activation and gradient buffers for one (batch, seq) shape, allocated once and reused every
/// step (the forward pass keeps what the backward pass needs). A smaller shape reuses them too
/// (scoring documents window by window): `batch` and `seq` are the last forward pass's shape,
/// the capacity is what the buffers were allocated for.
final class Workspace {
    var batch: Int, seq: Int
    let capacityBatch: Int, capacitySeq: Int
    private var allocations: [UnsafeMutablePointer<Float>] = []

    // Per effective layer; xIn has one more entry: the final residual stream.
    var xIn: [UnsafeMutablePointer<Float>] = []
    var n1: [UnsafeMutablePointer<Float>] = [], mean1: [UnsafeMutablePointer<Float>] = [], rstd1: [UnsafeMutablePointer<Float>] = []
    var q: [UnsafeMutablePointer<Float>] = [], k: [UnsafeMutablePointer<Float>] = [], v: [UnsafeMutablePointer<Float>] = []
    var probs: [UnsafeMutablePointer<Float>] = [], ao: [UnsafeMutablePointer<Float>] = []
    var xMid: [UnsafeMutablePointer<Float>] = []
    var n2: [UnsafeMutablePointer<Float>] = [], mean2: [UnsafeMutablePointer<Float>] = [], rstd2: [UnsafeMutablePointer<Float>] = []
    var h1: [UnsafeMutablePointer<Float>] = [], h2: [UnsafeMutablePointer<Float>] = [], act: [UnsafeMutablePointer<Float>] = []
    let nf: UnsafeMutablePointer<Float>, meanF: UnsafeMutablePointer<Float>, rstdF: UnsafeMutablePointer<Float>
    let logits: UnsafeMutablePointer<Float>, lse: UnsafeMutablePointer<Float>
    // Backward scratch, shared by all layers.
    let dx: UnsafeMutablePointer<Float>, dn: UnsafeMutablePointer<Float>
    let dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>, dao: UnsafeMutablePointer<Float>
    let dh1: UnsafeMutablePointer<Float>, dh2: UnsafeMutablePointer<Float>, dact: UnsafeMutablePointer<Float>
    let dlogits: UnsafeMutablePointer<Float>
    var tokens: [Int32], targets: [Int32], segments: [Int32]?

    init(config c: ModelConfig, batch: Int, seq: Int) {
        self.batch = batch; self.seq = seq
        capacityBatch = batch; capacitySeq = seq
        let N = batch * seq, D = c.dModel, Q = c.nHeads * c.headDim, KV = c.nKVHeads * c.headDim, F = c.mlpHidden
        var allocs: [UnsafeMutablePointer<Float>] = []
        func buf(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            allocs.append(p)
            return p
        }
        let L = c.effectiveLayers
        xIn = (0...L).map { _ in buf(N * D) }
        n1 = (0..<L).map { _ in buf(N * D) }; mean1 = (0..<L).map { _ in buf(N) }; rstd1 = (0..<L).map { _ in buf(N) }
        q = (0..<L).map { _ in buf(N * Q) }; k = (0..<L).map { _ in buf(N * KV) }; v = (0..<L).map { _ in buf(N * KV) }
        probs = (0..<L).map { _ in buf(batch * c.nHeads * seq * seq) }; ao = (0..<L).map { _ in buf(N * Q) }
        xMid = (0..<L).map { _ in buf(N * D) }
        n2 = (0..<L).map { _ in buf(N * D) }; mean2 = (0..<L).map { _ in buf(N) }; rstd2 = (0..<L).map { _ in buf(N) }
        h1 = (0..<L).map { _ in buf(N * F) }
        h2 = c.activation == .swiglu ? (0..<L).map { _ in buf(N * F) } : []
        act = (0..<L).map { _ in buf(N * F) }
        nf = buf(N * D); meanF = buf(N); rstdF = buf(N)
        logits = buf(N * c.vocabSize); lse = buf(N)
        dx = buf(N * D); dn = buf(N * D)
        dq = buf(N * Q); dk = buf(N * KV); dv = buf(N * KV); dao = buf(N * Q)
        dh1 = buf(N * F); dh2 = buf(N * F); dact = buf(N * F)
        dlogits = buf(N * c.vocabSize)
        tokens = []; targets = []; segments = nil
        allocations = allocs
    }

    /// Whether a (batch, seq) pass fits the buffers: every buffer holds at least
    /// batch · seq rows (attention probabilities batch · seq² per head).
    func fits(batch b: Int, seq t: Int) -> Bool { b <= capacityBatch && t <= capacitySeq }

    deinit { for p in allocations { p.deallocate() } }
}

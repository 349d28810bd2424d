import WinnowCore
import WinnowLM
#if canImport(Glibc)
import Glibc
#endif

/// M1 for compression: a WinnowLM byte model (vocabulary 256) run by a dedicated inference
/// path whose next-byte CDFs are bit-identical wherever and however it runs (see
/// `FixedOrderMath` for the rules). Single-threaded per `ByteModelState`; parallelism comes from
/// coding different documents on different threads, each with its own state.
///
/// Every window starts from an empty context, fed as byte 0 (the document-start marker M1 is
/// trained with: `M1Data`); the CDF after the marker is computed once (`rootCDF`).
public final class ByteModel: @unchecked Sendable {
    public let config: ModelConfig
    /// SHA-1 of the weights as stored (float32 little-endian, in parameter order): names the
    /// model in shard metadata, so a decoder can refuse a different M1.
    public let identity: String
    let weights: UnsafeMutablePointer<Float>
    let count: Int
    /// The linear layers' weights packed in panels of 16 outputs (`FixedOrderMath.packPanels`).
    let transposed: UnsafeMutablePointer<Float>
    /// Offsets of a block's parameters: weights of linear layers into `transposed`, the rest into `weights`.
    struct Block {
        var attnNorm = 0, attnNormB: Int?, q = 0, qB: Int?, k = 0, kB: Int?, v = 0, vB: Int?, out = 0, outB: Int?
        var relBias: Int?, mlpNorm = 0, mlpNormB: Int?, gate: Int?, gateB: Int?, up = 0, upB: Int?, down = 0, downB: Int?
    }
    let blocks: [Block]
    let embed: Int, posEmbed: Int?, finalNorm: Int, finalNormB: Int?, head: Int
    let buckets: [Int32]
    /// The prefix cache every window starts from: M1's keys and values after the start marker
    /// (position 0) and after the marker and each possible first byte (position 1), with the CDFs
    /// that follow them. Computed once by the same `step` as everything else, so loading a cached
    /// prefix gives exactly the bits recomputing it would.
    private(set) var startK: [Float] = [], startV: [Float] = []
    private(set) var firstK: [Float] = [], firstV: [Float] = []
    let prefixCDFs: UnsafeMutablePointer<UInt32>
    /// The CDF of the first byte of a window (after the start marker alone).
    public var rootCDF: [UInt32] { Array(UnsafeBufferPointer(start: prefixCDFs, count: 257)) }
    var rootPointer: UnsafePointer<UInt32> { UnsafePointer(prefixCDFs) }
    /// The CDF after the marker and first byte s.
    func firstByteCDF(_ s: Int) -> UnsafePointer<UInt32> { UnsafePointer(prefixCDFs + (1 + s) * 257) }

    public static let startMarker: Int32 = 0

    public init(_ model: Transformer) throws {
        let c = model.config
        guard c.vocabSize == 256 else { throw CompressError("M1 must be a byte model (vocab_size 256); this one has \(c.vocabSize)") }
        guard c.positions != .rope else {
            throw CompressError("rotary positions need sin/cos tables from the platform's libm, whose last bits differ between systems; M1 uses t5_bias (or learned/none)")
        }
        config = c
        let p = model.params
        count = p.count
        weights = .allocate(capacity: max(count, 1))
        weights.update(from: p.values, count: count)
        func off(_ n: String) throws -> Int {
            guard let i = p.info(n) else { throw CompressError("M1 has no parameter \(n)") }
            return i.offset
        }
        func opt(_ n: String) -> Int? { p.info(n)?.offset }
        // Transposed copies of the linear weights, in the order they are looked up.
        var linears: [(offset: Int, out: Int, inF: Int)] = []
        var tOffset = 0
        var panelOffsets: [Int] = []
        func lin(_ n: String) throws -> Int {
            guard let i = p.info(n), i.shape.count == 2 else { throw CompressError("M1 has no matrix \(n)") }
            linears.append((i.offset, i.shape[0], i.shape[1]))
            panelOffsets.append(tOffset)
            defer { tOffset += (i.shape[0] + 15) / 16 * 16 * i.shape[1] }
            return tOffset
        }
        func optLin(_ n: String) throws -> Int? { p.info(n) == nil ? nil : try lin(n) }
        var bs: [Block] = []
        for l in 0..<c.nLayers {
            let n = "blocks.\(l)"
            var b = Block()
            b.attnNorm = try off("\(n).attn_norm.weight"); b.attnNormB = opt("\(n).attn_norm.bias")
            b.q = try lin("\(n).attn.q.weight"); b.qB = opt("\(n).attn.q.bias")
            b.k = try lin("\(n).attn.k.weight"); b.kB = opt("\(n).attn.k.bias")
            b.v = try lin("\(n).attn.v.weight"); b.vB = opt("\(n).attn.v.bias")
            b.out = try lin("\(n).attn.out.weight"); b.outB = opt("\(n).attn.out.bias")
            b.relBias = opt("\(n).attn.rel_bias.weight")
            b.mlpNorm = try off("\(n).mlp_norm.weight"); b.mlpNormB = opt("\(n).mlp_norm.bias")
            b.gate = try optLin("\(n).mlp.gate.weight"); b.gateB = opt("\(n).mlp.gate.bias")
            b.up = try lin("\(n).mlp.up.weight"); b.upB = opt("\(n).mlp.up.bias")
            b.down = try lin("\(n).mlp.down.weight"); b.downB = opt("\(n).mlp.down.bias")
            bs.append(b)
        }
        blocks = bs
        embed = try off("embed.weight")
        posEmbed = opt("pos_embed.weight")
        finalNorm = try off("final_norm.weight"); finalNormB = opt("final_norm.bias")
        head = try lin(p.info("lm_head.weight") == nil ? "embed.weight" : "lm_head.weight")
        transposed = .allocate(capacity: max(tOffset, 1))
        for (l, at) in zip(linears, panelOffsets) {
            let packed = FixedOrderMath.packPanels(p.values + l.offset, outF: l.out, inF: l.inF)
            (transposed + at).update(from: packed, count: packed.count)
        }
        buckets = c.positions == .t5Bias
            ? RelativePositionBuckets.table(count: c.contextLength, buckets: c.relBuckets, maxDistance: c.relMaxDistance) : []
        var sha = SHA1()
        sha.update(UnsafeRawBufferPointer(start: weights, count: count * 4))
        identity = Hex.encode(sha.finalize())
        prefixCDFs = .allocate(capacity: 257 * 257)
        let st = ByteModelState(model: self, lanes: 256, capacity: 2)
        st.step(lanes: Array(0..<256), tokens: [Int32](repeating: Self.startMarker, count: 256))
        prefixCDFs.update(from: st.cdf(row: 0), count: 257)
        st.step(lanes: Array(0..<256), tokens: (0..<256).map { Int32($0) })
        (prefixCDFs + 257).update(from: st.cdf(row: 0), count: 256 * 257)
        let kv = c.nKVHeads * c.headDim
        for l in 0..<c.nLayers {
            startK += st.cached(key: true, layer: l, lane: 0, position: 0, count: kv)
            startV += st.cached(key: false, layer: l, lane: 0, position: 0, count: kv)
        }
        for b in 0..<256 {
            for l in 0..<c.nLayers {
                firstK += st.cached(key: true, layer: l, lane: b, position: 1, count: kv)
                firstV += st.cached(key: false, layer: l, lane: b, position: 1, count: kv)
            }
        }
    }

    deinit { weights.deallocate(); transposed.deallocate(); prefixCDFs.deallocate() }

    /// A checkpoint directory's model, or the newest checkpoint's of a training output directory.
    public static func load(checkpoint path: String) throws -> ByteModel {
        // A training directory stands for its newest checkpoint (Transformer.load resolves it).
        try ByteModel(try Transformer.load(checkpoint: path, threads: 1))
    }
}

public struct CompressError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}

/// Inference state for up to `lanes` independent contexts (one per window being coded) of at
/// most `capacity` bytes each. `step` takes any number of rows (lane, byte) — several rows of one
/// lane are consecutive positions of it — and runs them through the model together, layer by
/// layer, so one pass over the weights serves every row. Each output value is the same `dot`
/// over the same vectors whatever the other rows are, so CDFs do not depend on the batch, and
/// feeding a whole context at once equals feeding it byte by byte (the KV cache).
public final class ByteModelState {
    public let model: ByteModel
    public let lanes: Int
    public let capacity: Int
    private(set) public var positions: [Int]
    let kCache: UnsafeMutablePointer<Float>, vCache: UnsafeMutablePointer<Float>
    private var rowsCapacity = 0
    private var x: UnsafeMutablePointer<Float>, n: UnsafeMutablePointer<Float>, q: UnsafeMutablePointer<Float>
    private var att: UnsafeMutablePointer<Float>, h1: UnsafeMutablePointer<Float>, h2: UnsafeMutablePointer<Float>
    private var logits: UnsafeMutablePointer<Float>, cdfs: UnsafeMutablePointer<UInt32>
    private var rowPos: [Int] = [], rowLane: [Int] = []
    private let scores: UnsafeMutablePointer<Float>, weights: UnsafeMutablePointer<UInt32>
    private let kvStride: Int, layerStride: Int

    public init(model: ByteModel, lanes: Int, capacity: Int) {
        self.model = model
        self.lanes = lanes
        self.capacity = min(capacity, model.config.contextLength)
        let c = model.config
        kvStride = c.nKVHeads * c.headDim
        layerStride = lanes * self.capacity * kvStride
        kCache = .allocate(capacity: max(1, c.nLayers * layerStride))
        vCache = .allocate(capacity: max(1, c.nLayers * layerStride))
        positions = [Int](repeating: 0, count: lanes)
        scores = .allocate(capacity: self.capacity)
        weights = .allocate(capacity: 256)
        x = .allocate(capacity: 1); n = .allocate(capacity: 1); q = .allocate(capacity: 1); att = .allocate(capacity: 1)
        h1 = .allocate(capacity: 1); h2 = .allocate(capacity: 1); logits = .allocate(capacity: 1); cdfs = .allocate(capacity: 1)
        reserve(rows: max(lanes, 1))
    }

    deinit {
        kCache.deallocate(); vCache.deallocate(); scores.deallocate(); weights.deallocate()
        for p in [x, n, q, att, h1, h2, logits] { p.deallocate() }
        cdfs.deallocate()
    }

    private func reserve(rows: Int) {
        guard rows > rowsCapacity else { return }
        let c = model.config, D = c.dModel, Q = c.nHeads * c.headDim, F = c.mlpHidden
        for p in [x, n, q, att, h1, h2, logits] { p.deallocate() }
        cdfs.deallocate()
        x = .allocate(capacity: rows * D); n = .allocate(capacity: rows * max(D, Q))
        q = .allocate(capacity: rows * (Q + 2 * kvStride)); att = .allocate(capacity: rows * Q)
        h1 = .allocate(capacity: rows * F); h2 = .allocate(capacity: rows * F)
        logits = .allocate(capacity: rows * 256); cdfs = .allocate(capacity: rows * 257)
        rowsCapacity = rows
    }

    /// Forgets lane's context (the next byte fed is at position 0).
    public func reset(lane: Int) { positions[lane] = 0 }

    func cached(key: Bool, layer: Int, lane: Int, position: Int, count: Int) -> [Float] {
        let p = (key ? kCache : vCache) + layer * layerStride + (lane * capacity + position) * kvStride
        return Array(UnsafeBufferPointer(start: p, count: count))
    }

    private func load(_ k: [Float], _ v: [Float], from index: Int, lane: Int, position: Int) {
        let L = model.config.nLayers
        k.withUnsafeBufferPointer { kb in
            v.withUnsafeBufferPointer { vb in
                for l in 0..<L {
                    let dst = l * layerStride + (lane * capacity + position) * kvStride, src = (index * L + l) * kvStride
                    (kCache + dst).update(from: kb.baseAddress! + src, count: kvStride)
                    (vCache + dst).update(from: vb.baseAddress! + src, count: kvStride)
                }
            }
        }
    }

    /// Puts the start marker's cached state in lane (the context is then just the marker; the
    /// next CDF is `model.rootCDF`).
    public func loadStart(lane: Int) {
        load(model.startK, model.startV, from: 0, lane: lane, position: 0)
        positions[lane] = 1
    }

    /// After `loadStart`: puts the cached state of first byte s in lane; returns the CDF that
    /// follows it.
    public func loadFirstByte(lane: Int, _ s: Int) -> UnsafePointer<UInt32> {
        precondition(positions[lane] == 1 && capacity >= 2)
        load(model.firstK, model.firstV, from: s, lane: lane, position: 1)
        positions[lane] = 2
        return model.firstByteCDF(s)
    }

    /// The CDF after row r of the last `step`.
    public func cdf(row r: Int) -> UnsafePointer<UInt32> { UnsafePointer(cdfs + r * 257) }

    /// The logits of row r of the last `step` (the CDF is quantised from them).
    public func logits(row r: Int) -> UnsafePointer<Float> { UnsafePointer(logits + r * 256) }

    public func step(lanes rowLanes: [Int], tokens: [Int32]) {
        rowLanes.withUnsafeBufferPointer { l in tokens.withUnsafeBufferPointer { t in step(count: t.count, lanes: l.baseAddress!, tokens: t.baseAddress!) } }
    }

    /// Feeds `count` rows: byte tokens[r] to lane lanes[r] at that lane's next position.
    public func step(count R: Int, lanes rowLanes: UnsafePointer<Int>, tokens: UnsafePointer<Int32>) {
        guard R > 0 else { return }
        reserve(rows: R)
        let m = model, c = m.config, W = UnsafePointer(m.weights), WT = UnsafePointer(m.transposed)
        let D = c.dModel, hd = c.headDim, H = c.nHeads, KVH = c.nKVHeads, Q = H * hd, KV = kvStride, F = c.mlpHidden
        let eps = Float(c.normEps), rms = c.norm == .rmsnorm
        rowPos.removeAll(keepingCapacity: true); rowLane.removeAll(keepingCapacity: true)
        for r in 0..<R {
            let lane = rowLanes[r]
            precondition(positions[lane] < capacity, "a lane's context is full")
            rowPos.append(positions[lane]); rowLane.append(lane)
            positions[lane] += 1
            let e = W + m.embed + Int(tokens[r]) * D, xr = x + r * D
            if let pe = m.posEmbed {
                let pp = W + pe + rowPos[r] * D
                for i in 0..<D { xr[i] = e[i] + pp[i] }
            } else {
                xr.update(from: e, count: D)
            }
        }
        let scale = 1 / Float(hd).squareRoot(), group = H / KVH
        for (l, b) in m.blocks.enumerated() {
            norm(x, n, rows: R, d: D, w: W + b.attnNorm, bias: b.attnNormB.map { W + $0 }, eps: eps, rms: rms)
            // q | k | v per row, one buffer.
            let qkv = q
            let qkvStride = Q + 2 * KV
            FixedOrderMath.linear(n, rows: R, inF: D, WT + b.q, b.qB.map { W + $0 }, outF: Q, qkv, stride: qkvStride, add: false)
            FixedOrderMath.linear(n, rows: R, inF: D, WT + b.k, b.kB.map { W + $0 }, outF: KV, qkv + Q, stride: qkvStride, add: false)
            FixedOrderMath.linear(n, rows: R, inF: D, WT + b.v, b.vB.map { W + $0 }, outF: KV, qkv + Q + KV, stride: qkvStride, add: false)
            let kc = kCache + l * layerStride, vc = vCache + l * layerStride
            for r in 0..<R {
                let slot = (rowLane[r] * capacity + rowPos[r]) * KV
                (kc + slot).update(from: qkv + r * qkvStride + Q, count: KV)
                (vc + slot).update(from: qkv + r * qkvStride + Q + KV, count: KV)
            }
            for r in 0..<R {
                let pos = rowPos[r], laneBase = rowLane[r] * capacity * KV
                for h in 0..<H {
                    let qh = qkv + r * qkvStride + h * hd, kvOff = (h / group) * hd
                    var mx = -Float.infinity
                    for j in 0...pos {
                        var s = FixedOrderMath.dot(qh, kc + laneBase + j * KV + kvOff, hd) * scale
                        if let rb = b.relBias { s += W[rb + Int(m.buckets[pos - j]) * H + h] }
                        scores[j] = s
                        if s > mx { mx = s }
                    }
                    let o = att + r * Q + h * hd
                    o.update(repeating: 0, count: hd)
                    var sum: Float = 0
                    for j in 0...pos {
                        let e = FixedOrderMath.exp(scores[j] - mx)
                        sum += e
                        FixedOrderMath.axpy(e, vc + laneBase + j * KV + kvOff, o, hd)
                    }
                    let inv = 1 / sum
                    for i in 0..<hd { o[i] *= inv }
                }
            }
            FixedOrderMath.linear(att, rows: R, inF: Q, WT + b.out, b.outB.map { W + $0 }, outF: D, x, stride: D, add: true)
            norm(x, n, rows: R, d: D, w: W + b.mlpNorm, bias: b.mlpNormB.map { W + $0 }, eps: eps, rms: rms)
            FixedOrderMath.linear(n, rows: R, inF: D, WT + b.up, b.upB.map { W + $0 }, outF: F, h1, stride: F, add: false)
            if let g = b.gate {
                FixedOrderMath.linear(n, rows: R, inF: D, WT + g, b.gateB.map { W + $0 }, outF: F, h2, stride: F, add: false)
                for i in 0..<(R * F) {   // silu(gate) · up, with exp of non-positive arguments only
                    let gv = h2[i], e = FixedOrderMath.exp(-abs(gv))
                    let sigmoid = gv >= 0 ? 1 / (1 + e) : e / (1 + e)
                    h1[i] = gv * sigmoid * h1[i]
                }
            } else if c.activation == .relu {
                for i in 0..<(R * F) where !(h1[i] > 0) { h1[i] = 0 }
            } else {
                for i in 0..<(R * F) {
                    let v = h1[i]
                    h1[i] = 0.5 * v * (1 + FixedOrderMath.tanh(0.797_884_56 * (v + 0.044715 * v * v * v)))
                }
            }
            FixedOrderMath.linear(h1, rows: R, inF: F, WT + b.down, b.downB.map { W + $0 }, outF: D, x, stride: D, add: true)
        }
        norm(x, n, rows: R, d: D, w: W + m.finalNorm, bias: m.finalNormB.map { W + $0 }, eps: eps, rms: rms)
        FixedOrderMath.linear(n, rows: R, inF: D, WT + m.head, nil, outF: 256, logits, stride: 256, add: false)
        for r in 0..<R { QuantizedCDF.fromLogits(logits + r * 256, into: cdfs + r * 257, weights: weights) }
    }

    /// RMSNorm or LayerNorm per row, statistics through the fixed-order `dot`.
    @inline(__always)
    private func norm(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows R: Int, d: Int, w: UnsafePointer<Float>,
                      bias: UnsafePointer<Float>?, eps: Float, rms: Bool) {
        for r in 0..<R {
            let xr = x + r * d, yr = y + r * d
            var mu: Float = 0
            if !rms {
                var s: Float = 0
                for i in 0..<d { s += xr[i] }
                mu = s / Float(d)
                for i in 0..<d { yr[i] = xr[i] - mu }
            } else {
                yr.update(from: xr, count: d)
            }
            let rs = 1 / (FixedOrderMath.dot(yr, yr, d) / Float(d) + eps).squareRoot()
            if let bias {
                for i in 0..<d { yr[i] = yr[i] * rs * w[i] + bias[i] }
            } else {
                for i in 0..<d { yr[i] = yr[i] * rs * w[i] }
            }
        }
    }
}

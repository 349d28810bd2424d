/// Parameter names and shapes of a `ModelConfig` (torch Linear layout: weight [out, in]),
/// and each block's offsets into the parameter buffer.
struct BlockOffsets {
    var attnNormW = 0, attnNormB: Int?
    var q = 0, qB: Int?, k = 0, kB: Int?, v = 0, vB: Int?, out = 0, outB: Int?
    /// T5 relative bias [buckets, heads] (positions: t5_bias).
    var relBias: Int?
    var mlpNormW = 0, mlpNormB: Int?
    /// gelu/relu: up then down; swiglu: gate and up, then down.
    var gate: Int?, gateB: Int?, up = 0, upB: Int?, down = 0, downB: Int?
}

enum ModelLayout {
    static func parameterSpecs(_ c: ModelConfig) -> [(String, [Int], ParameterKind)] {
        let D = c.dModel, hd = c.headDim
        var s: [(String, [Int], ParameterKind)] = [("embed.weight", [c.vocabSize, D], .embedding)]
        if c.positions == .learned { s.append(("pos_embed.weight", [c.contextLength, D], .embedding)) }
        func norm(_ n: String) {
            s.append(("\(n).weight", [D], .norm))
            if c.bias && c.norm == .layernorm { s.append(("\(n).bias", [D], .norm)) }
        }
        func linear(_ n: String, _ o: Int, _ i: Int, _ kind: ParameterKind = .weight) {
            s.append(("\(n).weight", [o, i], kind))
            if c.bias { s.append(("\(n).bias", [o], .bias)) }
        }
        for l in 0..<c.nLayers {
            let p = "blocks.\(l)"
            norm("\(p).attn_norm")
            linear("\(p).attn.q", c.nHeads * hd, D)
            linear("\(p).attn.k", c.nKVHeads * hd, D)
            linear("\(p).attn.v", c.nKVHeads * hd, D)
            linear("\(p).attn.out", D, c.nHeads * hd, .residualWeight)
            // Zero at init, no weight decay by default (a bias, like T5's untouched-by-decay tables).
            if c.positions == .t5Bias { s.append(("\(p).attn.rel_bias.weight", [c.relBuckets, c.nHeads], .bias)) }
            norm("\(p).mlp_norm")
            if c.activation == .swiglu { linear("\(p).mlp.gate", c.mlpHidden, D) }
            linear("\(p).mlp.up", c.mlpHidden, D)
            linear("\(p).mlp.down", D, c.mlpHidden, .residualWeight)
        }
        norm("final_norm")
        if !c.tiedEmbeddings { s.append(("lm_head.weight", [c.vocabSize, D], .weight)) }
        return s
    }

    static func blocks(_ c: ModelConfig, _ p: ParameterStore) -> [BlockOffsets] {
        (0..<c.nLayers).map { l in
            let n = "blocks.\(l)"
            var b = BlockOffsets()
            b.attnNormW = p.offset("\(n).attn_norm.weight"); b.attnNormB = p.optionalOffset("\(n).attn_norm.bias")
            b.q = p.offset("\(n).attn.q.weight"); b.qB = p.optionalOffset("\(n).attn.q.bias")
            b.k = p.offset("\(n).attn.k.weight"); b.kB = p.optionalOffset("\(n).attn.k.bias")
            b.v = p.offset("\(n).attn.v.weight"); b.vB = p.optionalOffset("\(n).attn.v.bias")
            b.out = p.offset("\(n).attn.out.weight"); b.outB = p.optionalOffset("\(n).attn.out.bias")
            b.relBias = p.optionalOffset("\(n).attn.rel_bias.weight")
            b.mlpNormW = p.offset("\(n).mlp_norm.weight"); b.mlpNormB = p.optionalOffset("\(n).mlp_norm.bias")
            b.gate = p.optionalOffset("\(n).mlp.gate.weight"); b.gateB = p.optionalOffset("\(n).mlp.gate.bias")
            b.up = p.offset("\(n).mlp.up.weight"); b.upB = p.optionalOffset("\(n).mlp.up.bias")
            b.down = p.offset("\(n).mlp.down.weight"); b.downB = p.optionalOffset("\(n).mlp.down.bias")
            return b
        }
    }
}

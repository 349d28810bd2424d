/// How each transformers tensor is made of Winnow parameters. RoPE needs no permutation:
/// Winnow rotates dimension i with i + head_dim/2, which is transformers' `rotate_half`, so q
/// and k rows keep their order. GPT-2's Conv1D stores [in, out] (the transpose of torch Linear)
/// and fuses q, k, v into `c_attn`.
struct HFTensorSpec {
    let name: String
    /// Winnow parameters stacked along dimension 0 (the output rows) in this order.
    let parts: [String]
    /// Conv1D: the stacked [out, in] matrix is stored transposed.
    let transposed: Bool
}

enum HFWeights {
    /// The tensors of `arch` for a Winnow config, HF layer l reading Winnow block l / block_repeat
    /// (MobileLLM-LS sharing unrolled). `prefix` is the base model's ("model." / "transformer.",
    /// or "" for a checkpoint saved from the base class).
    static func specs(_ c: ModelConfig, _ arch: HFArchitecture, prefix: String) -> [HFTensorSpec] {
        var s: [HFTensorSpec] = []
        func add(_ name: String, _ parts: [String], transposed: Bool = false) {
            s.append(HFTensorSpec(name: prefix + name, parts: parts, transposed: transposed))
        }
        func linear(_ name: String, _ winnow: String, conv: Bool) {
            add(name + ".weight", [winnow + ".weight"], transposed: conv)
            if c.bias { add(name + ".bias", [winnow + ".bias"]) }
        }
        switch arch {
        case .llama:
            add("embed_tokens.weight", ["embed.weight"])
            for l in 0..<c.effectiveLayers {
                let h = "layers.\(l)", w = "blocks.\(l / c.blockRepeat)"
                add(h + ".input_layernorm.weight", [w + ".attn_norm.weight"])
                for (hf, wn) in [("q_proj", "q"), ("k_proj", "k"), ("v_proj", "v"), ("o_proj", "out")] {
                    linear("\(h).self_attn.\(hf)", "\(w).attn.\(wn)", conv: false)
                }
                add(h + ".post_attention_layernorm.weight", [w + ".mlp_norm.weight"])
                for (hf, wn) in [("gate_proj", "gate"), ("up_proj", "up"), ("down_proj", "down")] {
                    linear("\(h).mlp.\(hf)", "\(w).mlp.\(wn)", conv: false)
                }
            }
            add("norm.weight", ["final_norm.weight"])
        case .gpt2:
            add("wte.weight", ["embed.weight"])
            add("wpe.weight", ["pos_embed.weight"])
            for l in 0..<c.effectiveLayers {
                let h = "h.\(l)", w = "blocks.\(l / c.blockRepeat)"
                add(h + ".ln_1.weight", [w + ".attn_norm.weight"]); add(h + ".ln_1.bias", [w + ".attn_norm.bias"])
                add(h + ".attn.c_attn.weight", ["q", "k", "v"].map { "\(w).attn.\($0).weight" }, transposed: true)
                add(h + ".attn.c_attn.bias", ["q", "k", "v"].map { "\(w).attn.\($0).bias" })
                linear(h + ".attn.c_proj", w + ".attn.out", conv: true)
                add(h + ".ln_2.weight", [w + ".mlp_norm.weight"]); add(h + ".ln_2.bias", [w + ".mlp_norm.bias"])
                linear(h + ".mlp.c_fc", w + ".mlp.up", conv: true)
                linear(h + ".mlp.c_proj", w + ".mlp.down", conv: true)
            }
            add("ln_f.weight", ["final_norm.weight"]); add("ln_f.bias", ["final_norm.bias"])
        }
        if !c.tiedEmbeddings { s.append(HFTensorSpec(name: "lm_head.weight", parts: ["lm_head.weight"], transposed: false)) }
        return s
    }

    /// Buffers older transformers saved with the weights: GPT-2's causal mask (`attn.bias`,
    /// `attn.masked_bias`) and Llama's `rotary_emb.inv_freq` (recomputed from θ).
    static func isDerivedBuffer(_ name: String, _ arch: HFArchitecture) -> Bool {
        switch arch {
        case .gpt2: return name.hasSuffix(".attn.bias") || name.hasSuffix(".attn.masked_bias")
        case .llama: return name.hasSuffix(".rotary_emb.inv_freq")
        }
    }

    /// The shape of the stacked parts ([rows, cols] or [rows]) as stored in the HF file.
    static func shape(_ spec: HFTensorSpec, _ store: ParameterStore) -> [Int] {
        let infos = spec.parts.map { store.info($0)! }
        let rows = infos.reduce(0) { $0 + $1.shape[0] }
        guard infos[0].shape.count == 2 else { return [rows] }
        return spec.transposed ? [infos[0].shape[1], rows] : [rows, infos[0].shape[1]]
    }
}

/// out[j, i] = x[i, j] for a rows × cols matrix, in tiles so both sides stay in cache.
func transposeMatrix(_ x: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>) {
    let tile = 32
    var i0 = 0
    while i0 < rows {
        var j0 = 0
        while j0 < cols {
            for i in i0..<min(i0 + tile, rows) {
                for j in j0..<min(j0 + tile, cols) { out[j * rows + i] = x[i * cols + j] }
            }
            j0 += tile
        }
        i0 += tile
    }
}

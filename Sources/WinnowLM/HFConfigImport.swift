import WinnowCore

extension ModelConfig {
    /// The Winnow model a transformers `config.json` describes. Absent fields take transformers'
    /// defaults for the class (what `from_pretrained` would use); anything Winnow cannot compute
    /// the same way is an error naming the field.
    public static func fromHF(_ json: JSONValue, path: String) throws -> (ModelConfig, HFArchitecture) {
        var f = try HFConfigFields(json, path: path)
        let type = try f.string("model_type", "")
        let arch: HFArchitecture
        switch type {
        case "llama": arch = .llama
        case "gpt2": arch = .gpt2
        case "": throw LMError("\(path): no 'model_type' (LlamaForCausalLM and GPT2LMHeadModel configs are supported)")
        default: throw f.error("model_type", "not supported (Winnow reads llama → LlamaForCausalLM and gpt2 → GPT2LMHeadModel)")
        }
        if let a = f.value("architectures") {
            guard let names = a.arrayValue?.compactMap(\.stringValue), names.contains(where: { arch.acceptedArchitectures.contains($0) }) else {
                throw f.error("architectures", "expected \(arch.acceptedArchitectures.joined(separator: " or "))")
            }
        }
        f.ignore(HFConfigFields.inert)
        let c = try arch == .llama ? llama(&f) : gpt2(&f)
        try f.finish(arch)
        if let p = c.problem { throw LMError("\(path): \(p)") }
        return (c, arch)
    }

    private static func llama(_ f: inout HFConfigFields) throws -> ModelConfig {
        let hidden = try f.int("hidden_size", 4096), heads = try f.int("num_attention_heads", 32)
        guard heads > 0, hidden % heads == 0 else { throw f.error("num_attention_heads", "hidden_size \(hidden) is not a multiple of it") }
        let headDim = try f.int("head_dim", hidden / heads)
        guard headDim == hidden / heads else {
            throw f.error("head_dim", "Winnow's head dimension is hidden_size / num_attention_heads = \(hidden / heads)")
        }
        let act = try f.string("hidden_act", "silu")
        guard act == "silu" || act == "swish" else { throw f.error("hidden_act", "Winnow's gated MLP is SwiGLU (silu)") }
        let attnBias = try f.bool("attention_bias", false), mlpBias = try f.bool("mlp_bias", false)
        guard attnBias == mlpBias else {
            throw f.error(attnBias ? "attention_bias" : "mlp_bias",
                          "Winnow's `bias` puts biases on every linear layer: attention_bias and mlp_bias must be equal")
        }
        f.ignore(["attention_dropout", "pretraining_tp"])   // dropout is off at inference; tp slicing is the same sum
        return ModelConfig(vocabSize: try f.int("vocab_size", 32000), contextLength: try f.int("max_position_embeddings", 2048),
                           dModel: hidden, nLayers: try f.int("num_hidden_layers", 32), nHeads: heads,
                           nKVHeads: try f.int("num_key_value_heads", heads), mlpHidden: try f.int("intermediate_size", 11008),
                           activation: .swiglu, norm: .rmsnorm, normEps: try f.double("rms_norm_eps", 1e-6), positions: .rope,
                           ropeTheta: try ropeTheta(&f), tiedEmbeddings: try f.bool("tie_word_embeddings", false), bias: attnBias,
                           blockRepeat: 1)
    }

    /// θ from `rope_theta` (transformers 4) or `rope_parameters` (5); only unscaled RoPE.
    private static func ropeTheta(_ f: inout HFConfigFields) throws -> Double {
        var theta = try f.double("rope_theta", 10_000)
        for key in ["rope_scaling", "rope_parameters"] {
            guard let v = f.value(key) else { continue }
            guard let o = v.objectValue else { throw f.error(key, "expected an object") }
            for (k, x) in o {
                switch k {
                case "rope_type", "type":
                    guard x.stringValue == "default" else { throw f.error(key, "RoPE type \(JSONWriter.string(x)) (scaled RoPE) is not supported; only \"default\"") }
                case "rope_theta":
                    guard let t = x.doubleValue, t > 0 else { throw f.error(key, "rope_theta must be a positive number") }
                    theta = t
                case "partial_rotary_factor":
                    guard x.doubleValue == 1 else { throw f.error(key, "partial rotary embeddings are not supported") }
                default:
                    throw f.error(key, "'\(k)' is not supported (only unscaled RoPE: rope_type default, rope_theta)")
                }
            }
        }
        return theta
    }

    private static func gpt2(_ f: inout HFConfigFields) throws -> ModelConfig {
        let d = try f.int("n_embd", 768)
        let act: Activation
        switch try f.string("activation_function", "gelu_new") {
        case "gelu_new", "gelu_pytorch_tanh": act = .geluTanh
        case "relu": act = .relu
        default: throw f.error("activation_function", "Winnow has GELU with the tanh approximation (gelu_new, gelu_pytorch_tanh) and relu")
        }
        guard try f.bool("scale_attn_weights", true) else { throw f.error("scale_attn_weights", "Winnow always scales attention by 1/sqrt(head_dim)") }
        guard try !f.bool("scale_attn_by_inverse_layer_idx", false) else { throw f.error("scale_attn_by_inverse_layer_idx", "not supported") }
        guard try !f.bool("add_cross_attention", false) else { throw f.error("add_cross_attention", "cross-attention is not supported") }
        // Dropout is off at inference; summary_* belong to GPT2DoubleHeadsModel; reorder_and_upcast_attn
        // only changes fp16 rounding (Winnow computes in fp32 throughout); n_ctx is n_positions' old name.
        f.ignore(["resid_pdrop", "embd_pdrop", "attn_pdrop", "summary_type", "summary_use_proj", "summary_activation",
                  "summary_proj_to_labels", "summary_first_dropout", "reorder_and_upcast_attn", "n_ctx"])
        let heads = try f.int("n_head", 12)
        return ModelConfig(vocabSize: try f.int("vocab_size", 50257), contextLength: try f.int("n_positions", 1024), dModel: d,
                           nLayers: try f.int("n_layer", 12), nHeads: heads, nKVHeads: heads, mlpHidden: try f.int("n_inner", 4 * d),
                           activation: act, norm: .layernorm, normEps: try f.double("layer_norm_epsilon", 1e-5), positions: .learned,
                           ropeTheta: 10_000, tiedEmbeddings: try f.bool("tie_word_embeddings", true), bias: true, blockRepeat: 1)
    }
}

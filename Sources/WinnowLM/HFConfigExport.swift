import WinnowCore

extension ModelConfig {
    /// The `config.json` transformers writes for this model as `arch`. Layers are the effective
    /// ones (block sharing unrolled). Token ids are null: Winnow models carry no tokenizer, and a
    /// guessed BOS/EOS would be wrong more often than absent. Dropout is 0: Winnow trains
    /// without it. RoPE θ is written both as `rope_theta` (transformers 4) and `rope_parameters` (5).
    public func hfJSON(_ arch: HFArchitecture) -> JSONValue {
        var o: [(String, JSONValue)] = [("architectures", .array([.string(arch.rawValue)])), ("model_type", .string(arch.modelType))]
        switch arch {
        case .llama:
            o += [("vocab_size", .int(vocabSize)), ("hidden_size", .int(dModel)), ("intermediate_size", .int(mlpHidden)),
                  ("num_hidden_layers", .int(effectiveLayers)), ("num_attention_heads", .int(nHeads)),
                  ("num_key_value_heads", .int(nKVHeads)), ("head_dim", .int(headDim)), ("hidden_act", .string("silu")),
                  ("max_position_embeddings", .int(contextLength)), ("rms_norm_eps", .double(normEps)),
                  ("rope_theta", .double(ropeTheta)),
                  ("rope_parameters", .object(JSONObject([("rope_type", .string("default")), ("rope_theta", .double(ropeTheta))]))),
                  ("attention_bias", .bool(bias)), ("mlp_bias", .bool(bias)), ("attention_dropout", .double(0)),
                  ("pretraining_tp", .int(1))]
        case .gpt2:
            o += [("vocab_size", .int(vocabSize)), ("n_positions", .int(contextLength)), ("n_embd", .int(dModel)),
                  ("n_layer", .int(effectiveLayers)), ("n_head", .int(nHeads)), ("n_inner", .int(mlpHidden)),
                  ("activation_function", .string(activation == .relu ? "relu" : "gelu_new")),
                  ("layer_norm_epsilon", .double(normEps)), ("resid_pdrop", .double(0)), ("embd_pdrop", .double(0)),
                  ("attn_pdrop", .double(0)), ("scale_attn_weights", .bool(true)), ("scale_attn_by_inverse_layer_idx", .bool(false)),
                  ("reorder_and_upcast_attn", .bool(false)), ("add_cross_attention", .bool(false))]
        }
        o += [("tie_word_embeddings", .bool(tiedEmbeddings)), ("bos_token_id", .null), ("eos_token_id", .null),
              ("pad_token_id", .null), ("initializer_range", .double(0.02)), ("use_cache", .bool(true)), ("dtype", .string("float32"))]
        return .object(JSONObject(o))
    }
}

/// One member per line, as transformers writes it (nested values stay compact).
func prettyJSONObject(_ v: JSONValue) -> String {
    guard let o = v.objectValue else { return JSONWriter.string(v) + "\n" }
    let lines = o.map { "  " + JSONWriter.string(.string($0.key)) + ": " + JSONWriter.string($0.value) }
    return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
}

/// The two transformers classes Winnow reads and writes: `LlamaForCausalLM` (RoPE, RMSNorm,
/// SwiGLU, GQA) and `GPT2LMHeadModel` (learned positions, LayerNorm, GELU/ReLU MLP, Conv1D).
public enum HFArchitecture: String, Sendable {
    case llama = "LlamaForCausalLM"
    case gpt2 = "GPT2LMHeadModel"

    public var modelType: String { self == .llama ? "llama" : "gpt2" }

    /// `architectures` entries that load as this class (a base-model checkpoint has no head of
    /// its own; with tied embeddings the head is the embedding).
    var acceptedArchitectures: [String] { self == .llama ? ["LlamaForCausalLM", "LlamaModel"] : ["GPT2LMHeadModel", "GPT2Model"] }

    /// The class a Winnow model exports as, or an error naming what neither class can express.
    public static func forExport(_ c: ModelConfig) throws -> HFArchitecture {
        func refuse(_ what: String) -> LMError { LMError("cannot export in a Hugging Face layout: \(what)") }
        switch c.positions {
        case .none:
            throw refuse("positions: none (a model without position information) is neither LlamaForCausalLM nor GPT2LMHeadModel")
        case .t5Bias:
            throw refuse("positions: t5_bias (T5's relative attention bias, e.g. eiw-m1) is neither LlamaForCausalLM nor GPT2LMHeadModel")
        case .rope:
            guard c.norm == .rmsnorm else { throw refuse("norm: layernorm with RoPE (LlamaForCausalLM uses RMSNorm)") }
            guard c.activation == .swiglu else {
                throw refuse("activation: \(c.activation.rawValue) with RoPE (LlamaForCausalLM's MLP is gated: down(act(gate(x)) · up(x)); a plain \(c.activation.rawValue) MLP has no gate)")
            }
            return .llama
        case .learned:
            guard c.norm == .layernorm else { throw refuse("norm: rmsnorm with learned positions (GPT2LMHeadModel uses LayerNorm)") }
            guard c.activation != .swiglu else { throw refuse("activation: swiglu with learned positions (GPT2LMHeadModel's MLP is not gated)") }
            guard c.bias else { throw refuse("bias: false with learned positions (GPT2LMHeadModel has biases on every linear layer and LayerNorm)") }
            guard c.nKVHeads == c.nHeads else { throw refuse("n_kv_heads \(c.nKVHeads) < n_heads \(c.nHeads) (GPT2LMHeadModel has no grouped-query attention)") }
            return .gpt2
        }
    }
}

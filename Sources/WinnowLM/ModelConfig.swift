import WinnowCore

/// The shape of a decoder-only transformer. Keys in YAML/JSON are the snake_case names in
/// `ModelConfig.keys`; a `preset:` key starts from a named preset and overrides fields.
public struct ModelConfig: Equatable, Sendable {
    public enum Activation: String, CaseIterable, Sendable {
        /// GPT-2's GELU, tanh approximation (torch `F.gelu(x, approximate="tanh")`).
        case geluTanh = "gelu_tanh"
        case relu
        /// Llama/MobileLLM FFN: down(silu(gate(x)) * up(x)).
        case swiglu
    }
    public enum Norm: String, CaseIterable, Sendable { case layernorm, rmsnorm }
    public enum Positions: String, CaseIterable, Sendable {
        case learned
        /// Rotary embeddings, Llama's half-split layout (rotate_half), angles computed in double.
        case rope
        /// T5's learned relative attention bias (per layer; bidirectional=false buckets):
        /// `blocks.N.attn.rel_bias.weight` [rel_buckets, n_heads] added to the attention
        /// scores of query i and key j at bucket(i − j). EIW's M1 (SPECS §4.1).
        case t5Bias = "t5_bias"
        case none
    }

    public var vocabSize: Int
    public var contextLength: Int
    public var dModel: Int
    /// Distinct blocks (parameters); each runs `blockRepeat` times in a row.
    public var nLayers: Int
    public var nHeads: Int
    public var nKVHeads: Int
    public var mlpHidden: Int
    public var activation: Activation
    public var norm: Norm
    public var normEps: Double
    public var positions: Positions
    public var ropeTheta: Double
    public var tiedEmbeddings: Bool
    /// Biases on linear layers and LayerNorm (GPT-2); RMSNorm never has one.
    public var bias: Bool
    /// MobileLLM-LS immediate block-wise sharing: 2 runs each block twice before the next.
    public var blockRepeat: Int
    /// T5 relative bias (positions: t5_bias): buckets and the distance where the last bucket starts.
    public var relBuckets: Int
    public var relMaxDistance: Int

    public var headDim: Int { dModel / nHeads }
    public var effectiveLayers: Int { nLayers * blockRepeat }

    public static let keys = ["preset", "vocab_size", "context_length", "d_model", "n_layers", "n_heads", "n_kv_heads",
                              "mlp_hidden", "activation", "norm", "norm_eps", "positions", "rope_theta",
                              "tied_embeddings", "bias", "block_repeat", "rel_buckets", "rel_max_distance"]

    public static let presetNames = ["gpt2-tiny", "mobilellm-tiny", "mobilellm-ls-tiny", "eiw-m1"]

    /// Named starting points. eiw-m1 is EIW's byte-level compressor M1 (SPECS §4.1): T5 relative
    /// attention biases per layer (32 buckets, max distance 128), no absolute positions.
    public static func preset(_ name: String) -> ModelConfig? {
        switch name {
        case "gpt2-tiny":
            return ModelConfig(vocabSize: 8192, contextLength: 256, dModel: 256, nLayers: 4, nHeads: 4, nKVHeads: 4,
                               mlpHidden: 1024, activation: .geluTanh, norm: .layernorm, normEps: 1e-5, positions: .learned,
                               ropeTheta: 10_000, tiedEmbeddings: true, bias: true, blockRepeat: 1)
        case "mobilellm-tiny", "mobilellm-ls-tiny":
            return ModelConfig(vocabSize: 8192, contextLength: 256, dModel: 192, nLayers: 8, nHeads: 6, nKVHeads: 2,
                               mlpHidden: 512, activation: .swiglu, norm: .rmsnorm, normEps: 1e-5, positions: .rope,
                               ropeTheta: 10_000, tiedEmbeddings: true, bias: false, blockRepeat: name == "mobilellm-ls-tiny" ? 2 : 1)
        case "eiw-m1":
            return ModelConfig(vocabSize: 256, contextLength: 1024, dModel: 256, nLayers: 3, nHeads: 4, nKVHeads: 4,
                               mlpHidden: 1024, activation: .relu, norm: .rmsnorm, normEps: 1e-6, positions: .t5Bias,
                               ropeTheta: 10_000, tiedEmbeddings: false, bias: false, blockRepeat: 1)
        default:
            return nil
        }
    }

    public init(vocabSize: Int, contextLength: Int, dModel: Int, nLayers: Int, nHeads: Int, nKVHeads: Int, mlpHidden: Int,
                activation: Activation, norm: Norm, normEps: Double, positions: Positions, ropeTheta: Double,
                tiedEmbeddings: Bool, bias: Bool, blockRepeat: Int, relBuckets: Int = 32, relMaxDistance: Int = 128) {
        self.vocabSize = vocabSize; self.contextLength = contextLength; self.dModel = dModel; self.nLayers = nLayers
        self.nHeads = nHeads; self.nKVHeads = nKVHeads; self.mlpHidden = mlpHidden; self.activation = activation
        self.norm = norm; self.normEps = normEps; self.positions = positions; self.ropeTheta = ropeTheta
        self.tiedEmbeddings = tiedEmbeddings; self.bias = bias; self.blockRepeat = blockRepeat
        self.relBuckets = relBuckets; self.relMaxDistance = relMaxDistance
    }

    /// Reads a `model:` mapping (or a whole config.json); unknown keys are errors.
    public init(_ node: ConfigNode?, path: String, mark: SourceMark) throws {
        var m = try ConfigMap(node, path: path, mark: mark)
        try m.expectOnly(Self.keys)
        let presetName = try m.string("preset")
        var c: ModelConfig
        if let presetName {
            guard let p = Self.preset(presetName) else {
                throw m.error("preset", "unknown preset '\(presetName)'; presets: \(Self.presetNames.joined(separator: ", "))")
            }
            c = p
        } else {
            for k in ["vocab_size", "d_model", "n_layers", "n_heads", "mlp_hidden"] where !m.has(k) {
                throw ConfigError("missing '\(k)' (or give a preset: \(Self.presetNames.joined(separator: ", ")))", at: m.mark, path: path)
            }
            c = Self.preset("gpt2-tiny")!
        }
        c.vocabSize = try m.int("vocab_size", default: c.vocabSize)
        c.contextLength = try m.int("context_length", default: c.contextLength)
        c.dModel = try m.int("d_model", default: c.dModel)
        c.nLayers = try m.int("n_layers", default: c.nLayers)
        c.nHeads = try m.int("n_heads", default: c.nHeads)
        c.nKVHeads = try m.int("n_kv_heads", default: m.has("n_heads") ? c.nHeads : c.nKVHeads)
        c.mlpHidden = try m.int("mlp_hidden", default: c.mlpHidden)
        c.activation = Activation(rawValue: try m.choice("activation", Activation.allCases.map(\.rawValue), default: c.activation.rawValue))!
        c.norm = Norm(rawValue: try m.choice("norm", Norm.allCases.map(\.rawValue), default: c.norm.rawValue))!
        c.normEps = try m.double("norm_eps", default: c.normEps)
        c.positions = Positions(rawValue: try m.choice("positions", Positions.allCases.map(\.rawValue), default: c.positions.rawValue))!
        c.ropeTheta = try m.double("rope_theta", default: c.ropeTheta)
        c.tiedEmbeddings = try m.bool("tied_embeddings", default: c.tiedEmbeddings)
        c.bias = try m.bool("bias", default: c.bias)
        c.blockRepeat = try m.int("block_repeat", default: c.blockRepeat)
        c.relBuckets = try m.int("rel_buckets", default: c.relBuckets)
        c.relMaxDistance = try m.int("rel_max_distance", default: c.relMaxDistance)
        try m.finish()
        if let problem = c.problem { throw ConfigError(problem, at: m.mark, path: path) }
        self = c
    }

    /// Why this configuration cannot be built, or nil.
    public var problem: String? {
        if vocabSize < 1 || dModel < 1 || nLayers < 1 || nHeads < 1 || nKVHeads < 1 || mlpHidden < 1 || contextLength < 1 || blockRepeat < 1 {
            return "vocab_size, context_length, d_model, n_layers, n_heads, n_kv_heads, mlp_hidden and block_repeat must be positive"
        }
        if dModel % nHeads != 0 { return "d_model \(dModel) is not a multiple of n_heads \(nHeads)" }
        if nHeads % nKVHeads != 0 { return "n_heads \(nHeads) is not a multiple of n_kv_heads \(nKVHeads)" }
        if positions == .rope && headDim % 2 != 0 { return "rope needs an even head dimension, got \(headDim)" }
        if !(normEps > 0) { return "norm_eps must be positive" }
        if positions == .t5Bias && (relBuckets < 2 || relBuckets % 2 != 0 || relMaxDistance <= relBuckets / 2) {
            return "t5_bias needs an even rel_buckets ≥ 2 and rel_max_distance > rel_buckets / 2"
        }
        return nil
    }

    /// The config as JSON (every key, no preset), for checkpoints and the parity script. The
    /// relative-bias keys only with positions: t5_bias (other configs' JSON stays as it was).
    public var json: JSONValue {
        let rel: [(String, JSONValue)] = positions == .t5Bias ? [("rel_buckets", .int(relBuckets)), ("rel_max_distance", .int(relMaxDistance))] : []
        return .object(JSONObject([
            ("vocab_size", .int(vocabSize)), ("context_length", .int(contextLength)), ("d_model", .int(dModel)),
            ("n_layers", .int(nLayers)), ("n_heads", .int(nHeads)), ("n_kv_heads", .int(nKVHeads)),
            ("mlp_hidden", .int(mlpHidden)), ("activation", .string(activation.rawValue)), ("norm", .string(norm.rawValue)),
            ("norm_eps", .number(String(normEps))), ("positions", .string(positions.rawValue)),
            ("rope_theta", .number(String(ropeTheta))), ("tied_embeddings", .bool(tiedEmbeddings)), ("bias", .bool(bias)),
            ("block_repeat", .int(blockRepeat)),
        ] + rel))
    }
}

extension ConfigNode {
    /// A parsed JSON value as a configuration tree (no line marks: JSON here comes from files we wrote).
    public init(json: JSONValue, file: String) {
        let mark = SourceMark(file: file, line: 0, column: 0)
        switch json {
        case .null: self = .null(mark)
        case .bool(let b): self = .scalar(b ? "true" : "false", mark)
        case .number(let n): self = .scalar(n, mark)
        case .string(let s): self = .scalar(s, mark)
        case .array(let a): self = .sequence(a.map { ConfigNode(json: $0, file: file) }, mark)
        case .object(let o): self = .mapping(o.map { (key: $0.key, keyMark: mark, value: ConfigNode(json: $0.value, file: file)) }, mark)
        }
    }
}

import WinnowCore

/// Writes a Winnow model as a transformers model directory: `config.json` and
/// `model.safetensors` (F32, metadata format "pt", which `from_pretrained` requires), in the
/// layout `save_pretrained` of LlamaForCausalLM or GPT2LMHeadModel produces (tied heads omitted).
public enum HFExport {
    public struct Result: Sendable {
        public let architecture: HFArchitecture
        /// What the user should know about the mapping (e.g. unrolled block sharing).
        public let notes: [String]
    }

    @discardableResult
    public static func write(_ model: Transformer, to dir: String) throws -> Result {
        let c = model.config
        let arch = try HFArchitecture.forExport(c)
        var notes: [String] = []
        if c.blockRepeat > 1 {
            notes.append("block_repeat \(c.blockRepeat) (MobileLLM-LS block-wise sharing) has no transformers equivalent: each of the \(c.nLayers) blocks is written \(c.blockRepeat) times in a row, as \(c.effectiveLayers) separate layers (same outputs; the copies are independent if trained further)")
        }
        try makeDirectoryPath(dir)
        var w = SafetensorsWriter()
        w.metadata = ["format": "pt"]
        for spec in HFWeights.specs(c, arch, prefix: arch == .llama ? "model." : "transformer.") {
            let shape = HFWeights.shape(spec, model.params)
            let stacked = spec.parts.flatMap { model.params.value($0) }
            if spec.transposed {
                var out = [Float](repeating: 0, count: stacked.count)
                stacked.withUnsafeBufferPointer { s in
                    out.withUnsafeMutableBufferPointer { transposeMatrix(s.baseAddress!, rows: shape[1], cols: shape[0], into: $0.baseAddress!) }
                }
                w.add(spec.name, shape: shape, floats: out)
            } else {
                w.add(spec.name, shape: shape, floats: stacked)
            }
        }
        try w.write(to: dir + "/model.safetensors")
        try writeFileAtomically(dir + "/config.json", Array(prettyJSONObject(c.hfJSON(arch)).utf8))
        return Result(architecture: arch, notes: notes)
    }
}

/// `mkdir -p`.
func makeDirectoryPath(_ path: String) throws {
    var prefix = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        prefix += "/" + part
        try makeDirectory(prefix)
    }
}

import WinnowCore

/// Loads a transformers LlamaForCausalLM or GPT2LMHeadModel directory into a Winnow model.
/// Every tensor of the file must be used (or be a derived buffer), and every parameter found,
/// with the exact shape: a checkpoint of a different shape is an error, never a partial load.
enum HFImport {
    static func load(directory dir: String, config json: JSONValue) throws -> Transformer {
        let (config, arch) = try ModelConfig.fromHF(json, path: dir + "/config.json")
        let src = try HFTensorSource(directory: dir)
        let base = arch == .llama ? "model." : "transformer."
        let prefix = src.entry(base + (arch == .llama ? "embed_tokens.weight" : "wte.weight")) != nil ? base : ""
        let model = try Transformer(config: config)
        var used = Set<String>()
        for spec in HFWeights.specs(config, arch, prefix: prefix) {
            guard let e = src.entry(spec.name) else {
                throw LMError("\(dir): missing tensor '\(spec.name)' (config.json describes a \(arch.rawValue) with \(config.nLayers) layers)")
            }
            let shape = HFWeights.shape(spec, model.params)
            guard e.shape == shape else {
                throw LMError("\(src.path(of: spec.name)): tensor '\(spec.name)' has shape \(e.shape); config.json needs \(shape)")
            }
            var v = try src.floats(spec.name)
            if spec.transposed {
                let stored = v
                stored.withUnsafeBufferPointer { s in
                    v.withUnsafeMutableBufferPointer { transposeMatrix(s.baseAddress!, rows: shape[0], cols: shape[1], into: $0.baseAddress!) }
                }
            }
            try v.withUnsafeBufferPointer { all in
                var at = 0
                for part in spec.parts {
                    let n = model.params.info(part)!.count
                    try model.params.assign(part, UnsafeBufferPointer(rebasing: all[at..<(at + n)]), source: "\(src.path(of: spec.name)): '\(spec.name)'")
                    at += n
                }
            }
            used.insert(spec.name)
        }
        // Tied: transformers points the head at the embedding whatever the file holds.
        if config.tiedEmbeddings { used.insert("lm_head.weight") }
        for n in src.names where !used.contains(n) && !HFWeights.isDerivedBuffer(n, arch) {
            throw LMError("\(src.path(of: n)): tensor '\(n)' is not a parameter of a \(arch.rawValue) with this config.json")
        }
        return model
    }
}

import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

extension Transformer {
    /// The model of a directory, ready for inference on `threads` threads: a Winnow checkpoint
    /// (`config.json` with a `model` key + `model.safetensors`) or a transformers
    /// LlamaForCausalLM / GPT2LMHeadModel directory (`config.json` with `model_type`, one or
    /// several safetensors files). A training output directory (`winnow lm train`'s, a `train`
    /// step's `steps/<step>`) stands for its newest `checkpoints/step-N`.
    public static func load(checkpoint given: String, threads: Int) throws -> Transformer {
        var dir = given
        if access(dir + "/config.json", F_OK) != 0, let newest = Trainer.latestCheckpoint(outputDir: dir) { dir = newest }
        let path = dir + "/config.json"
        guard let text = readTextFile(path) else { throw LMError("\(dir): no config.json (not a checkpoint or model directory?)") }
        let json: JSONValue
        do { json = try JSONParser.parse(text) } catch { throw LMError("\(path): \(error)") }
        let model: Transformer
        if json["model"] != nil {
            let config = try ModelConfig(ConfigNode(json: json, file: path)["model"], path: "model", mark: SourceMark(file: path, line: 0, column: 0))
            model = try Transformer(config: config)
            try model.params.load(try SafetensorsFile(path: dir + "/model.safetensors"))
        } else if json["model_type"] != nil || json["architectures"] != nil {
            model = try HFImport.load(directory: dir, config: json)
        } else {
            throw LMError("\(path): neither a Winnow checkpoint (no 'model') nor a transformers config (no 'model_type')")
        }
        model.threads = threads
        return model
    }
}

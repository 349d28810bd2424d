import WinnowCore

extension Transformer {
    /// The model of a checkpoint directory (`config.json` + `model.safetensors`), ready for
    /// inference on `threads` threads.
    public static func load(checkpoint dir: String, threads: Int) throws -> Transformer {
        guard let text = readTextFile(dir + "/config.json") else { throw LMError("\(dir): no config.json (not a checkpoint?)") }
        let node = ConfigNode(json: try JSONParser.parse(text), file: dir + "/config.json")
        let config = try ModelConfig(node["model"], path: "model", mark: SourceMark(file: dir + "/config.json", line: 0, column: 0))
        let model = try Transformer(config: config)
        model.threads = threads
        try model.params.load(try SafetensorsFile(path: dir + "/model.safetensors"))
        return model
    }
}

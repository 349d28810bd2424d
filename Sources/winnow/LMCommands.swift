import ArgumentParser
import WinnowCore
import WinnowLM

struct LMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lm",
        abstract: "Train and check small fp32 transformer language models (CPU).",
        subcommands: [LMTrain.self, LMEval.self, LMGenerate.self, LMScore.self, LMCutoffs.self, LMExportHF.self, LMParityDump.self])
}

struct LMParityDump: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parity-dump",
        abstract: "Run a parity case from bench/parity/lm_parity.py: logits, loss, gradients, then the training steps.")

    @Argument(help: "Input safetensors (config, optimizer, init, token batches).") var input: String
    @Argument(help: "Output safetensors.") var output: String
    @Option(help: "Threads for OpenBLAS and attention.") var threads: Int = 1
    @Option(help: "Take the model from this directory (Winnow checkpoint or transformers model) instead of the input's config and init; no training steps.")
    var model: String?

    func run() throws {
        BLASThreads.set(threads)
        let given = try model.map { try Transformer.load(checkpoint: $0, threads: threads) }
        let (out, model) = try Parity.run(try SafetensorsFile(path: input), threads: threads, model: given)
        try out.write(to: output, model: model)
    }
}

import ArgumentParser
import WinnowCore
import WinnowLM
import WinnowTokenize

struct LMEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Loss and bits per byte of a checkpoint on token shards.",
        discussion: "Bytes per token come from --tokenizer (decoding the counted targets, special tokens excluded); without one, a 256-token vocabulary is read as bytes.")

    @Argument(help: "A checkpoint directory, or a transformers LlamaForCausalLM / GPT2LMHeadModel directory.") var checkpoint: String
    @Argument(help: "Token shards (read as one stream).") var shards: [String]
    @Option(help: "datatrove, megatron, nanogpt or llmc (default: from the names).") var format: String?
    @Option(help: "Batches to evaluate.") var batches: Int = 8
    @Option(help: "Sequences per batch.") var batchSize: Int = 8
    @Option(help: "Sequence length (default: the model's context length).") var seqLen: Int?
    @Option(help: "Tokenizer file, for bits per byte.") var tokenizer: String?
    @Option(help: "Threads.") var threads: Int = 2

    func run() throws {
        BLASThreads.set(threads)
        let model = try Transformer.load(checkpoint: checkpoint, threads: threads)
        let config = model.config
        let fmt = try format.map { f -> TokenShardFormat in
            guard let x = TokenShardFormat(rawValue: f) else { throw ValidationError("unknown format \(f)") }
            return x
        }
        let stream = try TokenStream(paths: shards, format: fmt)
        let r = try evaluate(model: model, stream: stream, batches: batches, batchSize: batchSize, seqLen: seqLen ?? config.contextLength)
        var line = "loss \(r.meanLoss) over \(r.targets) tokens"
        if let tokenizer {
            let tok = try TokenizerLoader.load(path: tokenizer)
            line += "; bits/byte \(r.bitsPerByte(bytes: r.documentBytes(tok)))"
        } else if config.vocabSize == 256 {
            line += "; bits/byte \(r.bitsPerByte(bytes: r.targets))"
        }
        print(line)
    }
}

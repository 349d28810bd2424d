import ArgumentParser
import WinnowCore
import WinnowLM
import WinnowTokenize
import Foundation

struct LMGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt with a checkpoint (KV cache; greedy, temperature, top-k, top-p; seeded).",
        discussion: "Without --tokenizer the model must have a 256-token vocabulary and the prompt is read as UTF-8 bytes.")

    @Argument(help: "A checkpoint directory, or a transformers LlamaForCausalLM / GPT2LMHeadModel directory.") var checkpoint: String
    @Option(help: "The prompt.") var prompt: String = ""
    @Option(help: "Tokens to generate.") var tokens: Int = 64
    @Option(help: "0 = greedy.") var temperature: Double = 0
    @Option(help: "Keep the k most likely ids (0 = all).") var topK: Int = 0
    @Option(help: "Nucleus threshold.") var topP: Double = 1
    @Option(help: "Sampling seed.") var seed: UInt64 = 0
    @Option(help: "Tokenizer file (tiktoken, tokenizer.json, SentencePiece).") var tokenizer: String?
    @Option(help: "Stop after this token (printed): a special token, or text that is one token; \"\" never stops early.") var stop: String = "<|endoftext|>"
    @Option(help: "Samples to print, with seeds seed, seed+1, … (one per paragraph).") var samples: Int = 1
    @Flag(help: "Print the prompt and generation rates (tokens/s) to stderr.") var stats = false

    func run() throws {
        let model = try Transformer.load(checkpoint: checkpoint, threads: 1)
        let config = model.config
        let tok = try tokenizer.map { try TokenizerLoader.load(path: $0) }
        guard tok != nil || config.vocabSize == 256 else { throw ValidationError("give --tokenizer (the vocabulary is \(config.vocabSize), not bytes)") }
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1") }
        var ids: [Int] = tok.map { t in t.encode(prompt).map { Int($0) } } ?? Array(prompt.utf8).map { Int($0) }
        if ids.isEmpty { ids = [0] }
        var stopID: Int? = nil
        if !stop.isEmpty, let tok {
            let ids = tok.specialTokenID(stop).map { [$0] } ?? tok.encode(stop)
            if ids.count == 1 { stopID = Int(ids[0]) }
            // The default stop is optional: a tokenizer without <|endoftext|> just never stops early.
            else if stop != "<|endoftext|>" { throw ValidationError("--stop '\(stop)' is neither a special token nor one token of this tokenizer") }
        }
        for k in 0..<samples {
            if k > 0 { print("") }
            try generate(model, ids, stopID: stopID, tok: tok, seed: seed &+ UInt64(k))
        }
    }

    func generate(_ model: Transformer, _ ids: [Int], stopID: Int?, tok: (any Tokenizer)?, seed: UInt64) throws {
        let sampler = Sampler(temperature: temperature, topK: topK, topP: topP, seed: seed)
        let (out, promptNanos, generateNanos) = try Generation.continuation(model: model, prompt: ids, tokens: tokens, sampler: sampler, stop: stopID)
        let bytes = tok.map { $0.decodeBytes(out.map { UInt32($0) }) } ?? out.map { UInt8($0) }
        print(prompt + String(decoding: bytes, as: UTF8.self))
        if stats {
            func rate(_ n: Int, _ ns: UInt64) -> String { ns == 0 ? "-" : String(format: "%.1f", Double(n) / (Double(ns) / 1e9)) }
            let line = "prompt: \(ids.count) tokens, \(rate(ids.count, promptNanos)) tok/s; generated: \(out.count) tokens, \(rate(out.count, generateNanos)) tok/s\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}

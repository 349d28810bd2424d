import ArgumentParser
import WinnowCore
import WinnowIO
import WinnowTokenize
#if canImport(Glibc)
import Glibc
#endif

extension BPECorpusFormat: ExpressibleByArgument {}

struct TokenizerTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a byte-level BPE tokenizer (the merges HF tokenizers' BpeTrainer learns).",
        discussion: """
        Writes DIR/tokenizer.json (pre-tokenizer Split(pattern, Isolated) + ByteLevel, BPE model, ByteLevel decoder; special tokens first) and DIR/tokenizer.tiktoken (base64 token and rank; rank = the tokenizer.json id, special tokens left out).

        A text input is one sequence per line (the newline kept, as HF's Tokenizer.train(files) reads it); a JSONL input one per document. Inputs may be gzip or zstd. Output is the same for any --threads.
        """)

    @Option(help: "Vocabulary size: special tokens + 256 bytes + merges.") var vocabSize: Int
    @Option(help: "Split pattern: cl100k, o200k, gpt2, llama3, qwen, qwen3_5, or one of those regexes written out.") var pattern: String
    @Option(name: .customLong("special"), help: "A special token (repeatable); they take ids 0, 1, … in order.") var specials: [String] = []
    @Option(help: "Pairs seen fewer times are not merged.") var minFrequency: UInt64 = 0
    @Option(help: "JSONL field holding the text.") var textKey: String = "text"
    @Option(help: "Input format; default: jsonl for .jsonl/.json/.ndjson (also .gz/.zst), else text.") var format: BPECorpusFormat?
    @Option(help: "Threads counting words (default: the CPUs).") var threads: Int?
    @Option(name: .shortAndLong, help: "Output directory (created if missing).") var output: String = "."
    @Flag(help: "No progress on stderr.") var quiet = false
    @Argument(help: "Input files.") var inputs: [String]

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one input file") }
        let needed = 256 + Set(specials.filter { !$0.isEmpty }).count
        if vocabSize < needed { throw ValidationError("--vocab-size \(vocabSize) is smaller than the \(needed) tokens it must hold (256 bytes and \(needed - 256) special tokens)") }
    }

    func run() throws {
        let (rules, patternText) = try resolvePattern(pattern)
        let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let counter = BPECorpusCounter(rules: rules, threads: threads ?? max(1, cpus))
        var report = BPECorpusReport()
        let t0 = wallSeconds()
        var done = 0, lastShown = 0
        for path in inputs {
            do {
                try counter.addFile(path, format: format ?? .guess(path: path), textKey: textKey, report: &report) { n in
                    if !quiet && done + n - lastShown >= 64 << 20 {
                        lastShown = done + n
                        log("read \(mb(counter.bytes)) MB of text, \(counter.sequences) sequences")
                    }
                }
            } catch {
                throw TrainFailure(description: "\(error)".hasPrefix(path) ? "\(error)" : "\(path): \(error)")
            }
            done = counter.bytes
        }
        counter.flush()
        let words = counter.counts
        if !quiet {
            log("counted \(words.total) words (\(words.count) distinct) in \(mb(counter.bytes)) MB, \(counter.sequences) sequences, \(fmt(wallSeconds() - t0)) s")
        }
        if report.repairedLines > 0 { log("\(report.repairedLines) lines had invalid UTF-8, repaired with U+FFFD") }
        for (kind, n) in report.damage.counts.sorted(by: { $0.key < $1.key }) { log("skipped: \(n) × \(kind)") }
        for s in report.damage.samples.prefix(5) { log("  \(s.location): \(s.kind) \(s.detail)") }

        let t1 = wallSeconds()
        let model: BPETrainedModel
        do {
            model = try BPETrainer.train(words, BPETrainingOptions(vocabSize: vocabSize, minFrequency: minFrequency, specialTokens: specials)) { m, v in
                if !quiet && m % 10000 == 0 { log("\(m) merges, vocabulary \(v)") }
            }
        } catch {
            throw TrainFailure(description: error.description)
        }
        if !quiet { log("\(model.merges.count) merges, vocabulary \(model.vocab.count), \(fmt(wallSeconds() - t1)) s") }

        if mkdir(output, 0o755) != 0 && errno != EEXIST { throw TrainFailure(description: "cannot create \(output): \(String(cString: strerror(errno)))") }
        for (name, bytes) in [("tokenizer.json", model.tokenizerJSON(pattern: patternText)), ("tokenizer.tiktoken", model.tiktokenRanks())] {
            let sink = try FileSink(path: output + "/" + name)
            try sink.write(bytes)
            try sink.finish()
        }
        if !quiet { log("wrote \(output)/tokenizer.json and \(output)/tokenizer.tiktoken") }
    }

    /// Names for `--pattern`. cl100k is written as the HF-converted GPT-4 tokenizers spell it
    /// (`\p{N}{1,3}`, no `\s++$`): tiktoken's possessive spelling means something else to HF's
    /// Oniguruma, which reads `{1,3}+` as "one or more runs of 1 to 3", i.e. any digit run.
    static let patternNames: [String: SplitRules] = [
        "cl100k": SplitPattern.cl100kClassic, "llama3": SplitPattern.cl100kClassic, "o200k": SplitPattern.o200k,
        "gpt2": SplitPattern.gpt2, "qwen": SplitPattern.qwen, "qwen3_5": SplitPattern.qwen3_5,
    ]

    /// A family name or an exact pattern string that Winnow's splitter and HF split alike.
    func resolvePattern(_ p: String) throws -> (SplitRules, String) {
        if let rules = Self.patternNames[p], let text = SplitPattern.text(of: rules) { return (rules, text) }
        if let rules = SplitPattern.known[p], !p.contains("}+") { return (rules, p) }
        throw ValidationError("--pattern '\(p)' is neither a name (\(Self.patternNames.keys.sorted().joined(separator: ", "))) nor a split regex Winnow implements as HF tokenizers does")
    }
}

/// A run-time failure (not a usage error): printed without the usage text.
struct TrainFailure: Error, CustomStringConvertible {
    let description: String
}

private func log(_ s: String) {
    let line = Array(("winnow tokenizer train: " + s + "\n").utf8)
    line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
}

private func mb(_ n: Int) -> String { fmt(Double(n) / 1e6) }
private func fmt(_ x: Double) -> String { String(Double(Int(x * 10)) / 10) }

private func wallSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

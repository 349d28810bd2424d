import ArgumentParser
import WinnowCore
import WinnowIO
import WinnowLM
import WinnowTokenize

struct LMCutoffs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cutoffs",
        abstract: "Bits-per-byte percentiles per language from a sample of documents: a cutoff table for lm_score's buckets.",
        discussion: """
        Writes CCNet's cutoff.csv layout: a header ',en,zh…', then one row per percentile 0…100 with each language's \
        value (numpy's linear percentile, 6 decimals). With --model and --tokenizer every document is scored as lm_score \
        scores it (same windows, same rounding); without them the scores are read from metadata --key (the output of an \
        lm_score step). A document's column is its metadata --language-key, or --language for all.
        """)

    @Argument(help: "Documents: JSONL or WARC files (plain, .gz, .zst).") var inputs: [String]
    @Option(help: "Checkpoint directory, or a training output directory (its newest checkpoint), to score with.") var model: String?
    @Option(help: "The model's tokenizer file (with --model).") var tokenizer: String?
    @Option(help: "Special token added before each document (as lm_score's bos).") var bos: String?
    @Option(help: "Special token added after each document (as lm_score's eos).") var eos: String?
    @Option(help: "Window length (default: the checkpoint's training seq_len).") var seqLen: Int?
    @Option(help: "Threads (with --model).") var threads: Int = 1
    @Option(help: "Metadata key of an existing score (without --model).") var key: String = "lm_bpb"
    @Option(help: "Metadata key of the document's language.") var languageKey: String = "language"
    @Option(help: "Put every document in this language's column.") var language: String?
    @Option(help: "Use at most this many documents (the first ones).") var maxDocs: Int?
    @Option(name: .shortAndLong, help: "Output CSV file (default: standard output).") var output: String?

    func run() throws {
        var scorer: DocumentScorer?
        if let model {
            guard let tokenizer else { throw ValidationError("--model needs --tokenizer") }
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
            BLASThreads.set(threads)
            let checkpoint = try LMCheckpoint.load(model)
            scorer = try DocumentScorer(model: try checkpoint.makeModel(threads: threads), tokenizer: try TokenizerLoader.load(path: tokenizer),
                                        seqLen: seqLen ?? checkpoint.defaultSeqLen, bos: bos, eos: eos)
        } else if tokenizer != nil || bos != nil || eos != nil || seqLen != nil {
            throw ValidationError("--tokenizer, --bos, --eos and --seq-len are for scoring: give --model too")
        }
        var scores: [String: [Double]] = [:]
        var read = 0, noLanguage = 0, unscored = 0
        reading: for input in inputs {
            let reader = try openDocumentReader(path: input, format: nil)
            while let doc = try reader.next() {
                if let maxDocs, read >= maxDocs { break reading }
                read += 1
                guard let lang = language ?? doc.metadata[languageKey]?.stringValue else { noLanguage += 1; continue }
                let value: Double?
                if let scorer {
                    value = try scorer.score(doc.text).bitsPerByte.map(rounded6)
                } else {
                    value = doc.metadata[key]?.doubleValue
                }
                guard let value, value.isFinite else { unscored += 1; continue }
                scores[lang, default: []].append(value)
            }
        }
        guard !scores.isEmpty else {
            throw ValidationError("no document had a language and a score (\(read) read, \(noLanguage) without '\(languageKey)', \(unscored) without a score)")
        }
        let table = LMCutoffTable.compute(scores: scores)
        if let output { try writeFileAtomically(output, Array(table.csv.utf8)) } else { print(table.csv, terminator: "") }
        eprint("\(read) documents read; \(noLanguage) without a language, \(unscored) without a score")
        for l in table.languages {
            eprint("  \(l): \(scores[l]!.count) documents, p30 \(formatScore(table.value(language: l, percentile: 30)!)), p60 \(formatScore(table.value(language: l, percentile: 60)!)) bits/byte")
        }
    }
}

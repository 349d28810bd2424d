import ArgumentParser
import WinnowCore
import WinnowIO
import WinnowLM
import WinnowTokenize
#if canImport(Glibc)
import Glibc
#endif

struct LMScore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Multiple-choice scoring as lm-evaluation-harness does it: per-choice log-likelihoods, acc, acc_norm, acc_bytes.",
        discussion: """
        FILE holds JSONL rows {"context": …, "choices": […], "label": k} (label: an index or a
        choice's text). Each choice is scored as the continuation DELIMITER + choice of the
        context, encoded and truncated exactly as the harness's HFLM does (trailing spaces of the
        context move to the continuation; the context is cut from the left to fit max_length;
        special-token text is matched, as HF tokenizers do, without adding BOS/EOS).
        acc: argmax of the summed log-likelihoods; acc_norm: divided by the choice's length in
        characters; acc_bytes: in UTF-8 bytes. Bad rows are counted and named by line (exit
        status 3), never fatal.
        """)

    @Option(help: "Model directory: a Winnow checkpoint or a transformers LlamaForCausalLM / GPT2LMHeadModel.") var model: String
    @Option(help: "Tokenizer file (default: MODEL/tokenizer.json if present; without one a 256-token vocabulary reads text as UTF-8 bytes).")
    var tokenizer: String?
    @Argument(help: "JSONL rows (plain, .gz or .zst).") var file: String
    @Option(help: "Write one JSON line per row (log-likelihoods, predictions, or the reason a row was skipped).") var output: String?
    @Option(help: "Put before each choice (the harness's target_delimiter).") var targetDelimiter: String = " "
    @Option(help: "Truncation window in tokens (default and maximum: the model's context length).") var maxLength: Int?
    @Option(help: "The token an empty context becomes: a special token's spelling or an id (default: <|endoftext|> when the tokenizer has it).")
    var prefixToken: String?
    @Option(help: "Score only the first N rows.") var limit: Int?
    @Option(help: "Threads.") var threads: Int = 2

    func run() throws {
        BLASThreads.set(threads)
        let lm = try Transformer.load(checkpoint: model, threads: threads)
        let tokPath = tokenizer ?? (access(model + "/tokenizer.json", F_OK) == 0 ? model + "/tokenizer.json" : nil)
        let tok = try tokPath.map { try TokenizerLoader.load(path: $0) }
        guard tok != nil || lm.config.vocabSize == 256 else {
            throw ValidationError("give --tokenizer (the vocabulary is \(lm.config.vocabSize), not bytes)")
        }
        if let m = maxLength, m < 1 { throw ValidationError("--max-length must be at least 1") }
        let encode: (String) -> [Int]
        if let tok {
            let specials = Set(tok.allSpecialSpellings)
            encode = { tok.encode($0, allowedSpecial: specials).map { Int($0) } }
        } else {
            encode = { $0.utf8.map { Int($0) } }
        }
        let scorer = LoglikelihoodScorer(model: lm, encode: encode, maxLength: maxLength, prefixToken: try prefix(tok))
        var evaluation = MultipleChoiceEvaluation(scorer: scorer, delimiter: targetDelimiter)
        var out: [UInt8] = []
        var rows = 0
        for (i, line) in try readLines(file).enumerated() {
            if let limit, rows >= limit { break }
            guard let entry = evaluation.add(line: i + 1, text: line) else { continue }
            rows += 1
            if output != nil { JSONWriter.write(entry.json, to: &out); out.append(0x0A) }
        }
        if let output { try writeFileAtomically(output, out) }
        printSummary(evaluation, window: scorer.maxLength)
        if !evaluation.bad.isEmpty {
            throw DamagedInput("\(evaluation.bad.count) row(s) of \(file) could not be scored (listed above)")
        }
    }

    private func prefix(_ tok: (any Tokenizer)?) throws -> Int? {
        guard let p = prefixToken else { return tok?.specialTokenID("<|endoftext|>").map { Int($0) } }
        if let id = Int(p) { return id }
        guard let id = tok?.specialTokenID(p) else { throw ValidationError("--prefix-token: the tokenizer has no special token \(p)") }
        return Int(id)
    }

    private func readLines(_ path: String) throws -> [String] {
        let src = try openByteSource(path)
        var bytes: [UInt8] = []
        while let c = try src.next() { bytes.append(contentsOf: c.bytes) }
        return bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    private func printSummary(_ e: MultipleChoiceEvaluation, window: Int) {
        func row(_ name: String, _ m: MeanWithStderr) -> String {
            let se = m.stderr.isNaN ? "n/a" : fixed(m.stderr)
            return name + String(repeating: " ", count: max(1, 11 - name.count)) + fixed(m.mean) + " ± " + se
        }
        print("\(file): n \(e.scored.count)" + (e.bad.isEmpty ? "" : ", \(e.bad.count) bad row(s) skipped"))
        print(row("acc", e.acc)); print(row("acc_norm", e.accNorm)); print(row("acc_bytes", e.accBytes))
        let t = e.truncatedLines
        if !t.isEmpty {
            print("\(t.count) context(s) truncated from the left to \(window) tokens (as the harness does): lines \(t.prefix(10).map(String.init).joined(separator: ", "))\(t.count > 10 ? ", …" : "")")
        }
        for b in e.bad.prefix(20) { eprint("line \(b.line): \(b.reason)") }
        if e.bad.count > 20 { eprint("… and \(e.bad.count - 20) more bad rows (all in --output)") }
    }
}

/// Four decimals without Foundation.
private func fixed(_ x: Double) -> String {
    guard x.isFinite else { return "nan" }
    let scaled = Int((x * 10_000).rounded())
    let whole = scaled / 10_000, frac = abs(scaled % 10_000)
    let f = String(frac)
    return (x < 0 && whole == 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: 4 - f.count) + f
}

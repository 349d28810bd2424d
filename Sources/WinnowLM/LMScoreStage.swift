import WinnowCore
import WinnowTokenize

/// `lm_score`: CCNet's perplexity filter with a Winnow model. Each document's bits per byte
/// under a checkpoint (`DocumentScorer`: the count `winnow lm eval` makes, long documents in
/// windows of `seq_len`) goes into `metadata.<prefix>_bpb` (6 decimals) and its token count into
/// `<prefix>_tokens`; then, optionally:
/// - thresholds: drop above `max_bpb` (`lm_bpb_high`) or below `min_bpb` (`lm_bpb_low`);
///   a document with nothing to score (fewer than 2 tokens) is dropped as `lm_too_short`;
/// - CCNet buckets: `cutoffs: FILE` (a `cutoff.csv` table, `winnow lm cutoffs` writes one),
///   `percentiles: [30, 60]`: head below the first percentile's value for the document's
///   language, middle below the second, tail from there; a language not in the table or a
///   document without a score is `all` (CCNet's rule). `<prefix>_bucket` holds it; buckets
///   not in `keep` are dropped as `lm_<bucket>`.
/// Decisions use the rounded value written into metadata. The checkpoint and tokenizer are
/// loaded once per process; each task has its own buffers, and a document's score depends
/// only on its text, so output is the same for any tasks and workers.
public final class LMScoreStage: Stage {
    public let name = "lm_score"
    let scorer: DocumentScorer
    let threads: Int
    let bpbKey: String, tokensKey: String, bucketKey: String
    let maxBPB: Double?, minBPB: Double?
    let buckets: Buckets?

    struct Buckets {
        /// The head and tail cutoffs per language.
        let cutoffs: [String: (head: Double, tail: Double)]
        let keep: Set<String>
        let languageKey: String
        let language: String?
    }

    static let bucketNames = ["head", "middle", "tail", "all"]

    public init(_ p: inout StageParameters) throws {
        guard let modelPath = try p.string("model") else {
            throw p.error("model", "give the checkpoint (model: DIR with config.json + model.safetensors, or a train step's directory)")
        }
        let checkpoint: LMCheckpoint
        do { checkpoint = try LMCheckpoint.load(modelPath) } catch { throw p.error("model", "\(error)") }
        guard let tokPath = try p.string("tokenizer") else { throw p.error("tokenizer", "give the tokenizer file the model was trained with") }
        let tok: any Tokenizer
        do { tok = try TokenizerLoader.shared(path: tokPath) } catch { throw p.error("tokenizer", "\(error)") }
        threads = try p.int("threads", default: 1)
        guard threads >= 1 else { throw p.error("threads", "threads must be at least 1") }
        let ctx = checkpoint.config.contextLength
        let seq = try p.int("seq_len", default: checkpoint.defaultSeqLen)
        guard seq >= 1, seq <= ctx else { throw p.error("seq_len", "seq_len must be between 1 and the model's context length \(ctx)") }
        let bos = try p.string("bos"), eos = try p.string("eos")
        for (key, s) in [("bos", bos), ("eos", eos)] {
            if let s, tok.specialTokenID(s) == nil { throw p.error(key, "'\(s)' is not a special token of \(tokPath)") }
        }
        guard tok.vocabularySize <= checkpoint.config.vocabSize else {
            throw p.error("tokenizer", "\(tokPath) has \(tok.vocabularySize) ids, the model \(checkpoint.path) only \(checkpoint.config.vocabSize): not its tokenizer")
        }
        let model = try checkpoint.makeModel(threads: threads)
        scorer = try DocumentScorer(model: model, tokenizer: tok, seqLen: seq, bos: bos, eos: eos)

        let prefix = try p.string("prefix", default: "lm")
        bpbKey = prefix + "_bpb"; tokensKey = prefix + "_tokens"; bucketKey = prefix + "_bucket"
        maxBPB = try p.optionalDouble("max_bpb")
        minBPB = try p.optionalDouble("min_bpb")
        if let lo = minBPB, let hi = maxBPB, lo > hi { throw p.error("min_bpb", "min_bpb (\(lo)) is larger than max_bpb (\(hi))") }

        let cutoffPath = try p.string("cutoffs")
        let hasBucketKeys = ["percentiles", "keep", "language_key", "language"].filter { p.has($0) }
        guard let cutoffPath else {
            if let k = hasBucketKeys.first { throw p.error(k, "'\(k)' is for buckets: give the cutoff table too (cutoffs: cutoff.csv)") }
            buckets = nil
            return
        }
        let percentiles = try p.strings("percentiles", default: ["30", "60"])
        guard percentiles.count == 2, let head = Int(percentiles[0]), let tail = Int(percentiles[1]), head >= 0, head <= tail, tail <= 100 else {
            throw p.error("percentiles", "percentiles are two integers 0 ≤ head ≤ tail ≤ 100 (CCNet: [30, 60]), found \(percentiles)")
        }
        let keep = try p.strings("keep", default: Self.bucketNames)
        for b in keep where !Self.bucketNames.contains(b) {
            throw p.error("keep", "unknown bucket '\(b)': buckets are \(Self.bucketNames.joined(separator: ", "))")
        }
        let table: LMCutoffTable
        do {
            guard let text = readTextFile(cutoffPath) else { throw LMError("\(cutoffPath): cannot read the cutoff table") }
            table = try LMCutoffTable(csv: text, file: cutoffPath)
        } catch { throw p.error("cutoffs", "\(error)") }
        for q in [head, tail] where !table.rows.contains(where: { $0.percentile == q }) {
            throw p.error("percentiles", "\(cutoffPath) has no row for percentile \(q) (it has \(table.rows.map { String($0.percentile) }.joined(separator: ", ")))")
        }
        var cut: [String: (head: Double, tail: Double)] = [:]
        for l in table.languages { cut[l] = (table.value(language: l, percentile: head)!, table.value(language: l, percentile: tail)!) }
        let language = try p.string("language")
        if let language, cut[language] == nil {
            throw p.error("language", "\(cutoffPath) has no column '\(language)' (it has \(table.languages.joined(separator: ", ")))")
        }
        buckets = Buckets(cutoffs: cut, keep: Set(keep), languageKey: try p.string("language_key", default: "language"), language: language)
    }

    public func startTask() throws { BLASThreads.set(threads) }

    public func apply(_ doc: inout Document) -> Verdict {
        let s: DocumentScorer.Score
        do { s = try scorer.score(doc.text) } catch { return .drop("lm_score_error") }
        doc.metadata[tokensKey] = .int(s.tokens)
        let bpb = s.bitsPerByte.map(rounded6)
        if let bpb { doc.metadata[bpbKey] = .number(formatScore(bpb)) }
        if maxBPB != nil || minBPB != nil {
            guard let bpb else { return .drop("lm_too_short") }
            if let hi = maxBPB, bpb > hi { return .drop("lm_bpb_high") }
            if let lo = minBPB, bpb < lo { return .drop("lm_bpb_low") }
        }
        guard let buckets else { return .keep }
        let lang = buckets.language ?? doc.metadata[buckets.languageKey]?.stringValue
        let bucket: String
        if let bpb, let lang, let cut = buckets.cutoffs[lang] {
            bucket = bpb < cut.head ? "head" : bpb < cut.tail ? "middle" : "tail"
        } else {
            bucket = "all"
        }
        doc.metadata[bucketKey] = .string(bucket)
        return buckets.keep.contains(bucket) ? .keep : .drop("lm_" + bucket)
    }
}

public enum LMStages {
    public static func register(into r: inout StageRegistry) {
        r.register(StageFactory(name: "lm_score", summary: "bits per byte under a Winnow checkpoint (metadata.lm_bpb, lm_tokens); drop by max_bpb/min_bpb or CCNet buckets from a cutoff table (head/middle/tail)") {
            try LMScoreStage(&$0)
        })
    }
}

import WinnowCore

/// `winnow lm score` over JSONL rows: each row's choices scored as the harness's requests
/// (context, delimiter + choice), then acc / acc_norm / acc_bytes. A row that cannot be scored
/// (bad JSON, a missing field, a label out of range, a continuation longer than the window)
/// is counted with its line and reason, never fatal.
public struct MultipleChoiceEvaluation {
    public struct ScoredRow: Sendable {
        public let line: Int
        public let row: MultipleChoiceRow
        public let outcome: MultipleChoiceOutcome
        public let results: [LoglikelihoodScorer.Result]
        /// Context tokens dropped from the left for the longest choice (0: nothing truncated).
        public var truncated: Int { results.map(\.truncated).max() ?? 0 }
    }

    public struct BadRow: Sendable, Equatable {
        public let line: Int
        public let reason: String
    }

    public enum Entry: Sendable {
        case scored(ScoredRow)
        case bad(BadRow)
    }

    public let scorer: LoglikelihoodScorer
    /// The harness's `target_delimiter`, put before each choice (default a space).
    public let delimiter: String
    public private(set) var scored: [ScoredRow] = []
    public private(set) var bad: [BadRow] = []

    public init(scorer: LoglikelihoodScorer, delimiter: String = " ") {
        self.scorer = scorer; self.delimiter = delimiter
    }

    /// Scores one line (1-based `line` for messages); blank lines are skipped (nil).
    @discardableResult
    public mutating func add(line: Int, text: String) -> Entry? {
        guard text.contains(where: { !$0.isWhitespace }) else { return nil }
        let entry = Self.evaluate(line: line, text: text, scorer: scorer, delimiter: delimiter)
        switch entry {
        case .scored(let r): scored.append(r)
        case .bad(let b): bad.append(b)
        }
        return entry
    }

    static func evaluate(line: Int, text: String, scorer: LoglikelihoodScorer, delimiter: String) -> Entry {
        let row: MultipleChoiceRow
        switch MultipleChoiceRow.parse(text) {
        case .success(let r): row = r
        case .failure(let e): return .bad(BadRow(line: line, reason: e.message))
        }
        var results: [LoglikelihoodScorer.Result] = []
        for (i, choice) in row.choices.enumerated() {
            do { results.append(try scorer.score(context: row.context, continuation: delimiter + choice)) } catch {
                return .bad(BadRow(line: line, reason: "choice \(i): \(error)"))
            }
        }
        let outcome = MultipleChoiceOutcome(logLikelihoods: results.map(\.logLikelihood), choices: row.choices)
        return .scored(ScoredRow(line: line, row: row, outcome: outcome, results: results))
    }

    public var acc: MeanWithStderr { MeanWithStderr(scored.map { $0.outcome.pred == $0.row.label ? 1 : 0 }) }
    public var accNorm: MeanWithStderr { MeanWithStderr(scored.map { $0.outcome.predNorm == $0.row.label ? 1 : 0 }) }
    public var accBytes: MeanWithStderr { MeanWithStderr(scored.map { $0.outcome.predBytes == $0.row.label ? 1 : 0 }) }
    /// Lines whose context was cut from the left to fit the window.
    public var truncatedLines: [Int] { scored.filter { $0.truncated > 0 }.map(\.line) }
}

extension MultipleChoiceEvaluation.Entry {
    /// The `--output` line: per choice log-likelihood, greedy flag and token counts, the
    /// predictions and their correctness; or the line and reason of a bad row.
    public var json: JSONValue {
        switch self {
        case .bad(let b):
            return .object(JSONObject([("line", .int(b.line)), ("error", .string(b.reason))]))
        case .scored(let r):
            let o = r.outcome, label = r.row.label
            return .object(JSONObject([
                ("line", .int(r.line)), ("label", .int(label)),
                ("loglikelihoods", .array(o.logLikelihoods.map { JSONValue.double($0) })),
                ("greedy", .array(r.results.map { .bool($0.greedy) })),
                ("continuation_tokens", .array(r.results.map { .int($0.continuationTokens) })),
                ("context_tokens", .int(r.results[0].contextTokens)), ("truncated_tokens", .int(r.truncated)),
                ("pred", .int(o.pred)), ("pred_norm", .int(o.predNorm)), ("pred_bytes", .int(o.predBytes)),
                ("acc", .int(o.pred == label ? 1 : 0)), ("acc_norm", .int(o.predNorm == label ? 1 : 0)),
                ("acc_bytes", .int(o.predBytes == label ? 1 : 0)),
            ]))
        }
    }
}

import WinnowCore

/// One multiple-choice question: `{"context": …, "choices": […], "label": k}`; the label may
/// also be the text of a choice (the harness's `choices.index(gold)`).
public struct MultipleChoiceRow: Sendable, Equatable {
    public var context: String
    public var choices: [String]
    public var label: Int

    public init(context: String, choices: [String], label: Int) {
        self.context = context; self.choices = choices; self.label = label
    }

    /// The row of one JSONL line, or why it cannot be scored.
    public static func parse(_ line: String) -> Result<MultipleChoiceRow, LMError> {
        let json: JSONValue
        do { json = try JSONParser.parse(line) } catch { return .failure(LMError("not JSON: \(error)")) }
        guard json.objectValue != nil else { return .failure(LMError("not a JSON object")) }
        guard let ctx = json["context"] else { return .failure(LMError("missing 'context'")) }
        guard let context = ctx.stringValue else { return .failure(LMError("'context' is not a string")) }
        guard let cs = json["choices"]?.arrayValue else { return .failure(LMError("missing 'choices' (an array of strings)")) }
        let choices = cs.compactMap(\.stringValue)
        guard choices.count == cs.count, !choices.isEmpty else { return .failure(LMError("'choices' must be a non-empty array of strings")) }
        guard let l = json["label"] else { return .failure(LMError("missing 'label'")) }
        let label: Int
        if let s = l.stringValue {
            guard let i = choices.firstIndex(of: s) else { return .failure(LMError("label \(JSONWriter.string(l)) is not one of the choices")) }
            label = i
        } else {
            guard let i = l.intValue else { return .failure(LMError("'label' must be an integer or a choice's text")) }
            guard i >= 0, i < choices.count else { return .failure(LMError("label \(i) out of range (\(choices.count) choices)")) }
            label = i
        }
        return .success(MultipleChoiceRow(context: context, choices: choices, label: label))
    }
}

/// The harness's multiple-choice decisions from per-choice log-likelihoods: `acc` takes the
/// argmax of the sums, `acc_norm` of the sums divided by each choice's length in characters
/// (Python `len`: code points, the delimiter not counted), `acc_bytes` by its UTF-8 bytes.
/// Ties go to the first choice, a NaN wins (numpy argmax).
public struct MultipleChoiceOutcome: Sendable, Equatable {
    public let logLikelihoods: [Double]
    public let pred: Int, predNorm: Int, predBytes: Int

    public init(logLikelihoods lls: [Double], choices: [String]) {
        precondition(lls.count == choices.count && !lls.isEmpty)
        logLikelihoods = lls
        pred = numpyArgmax(lls)
        predNorm = numpyArgmax(zip(lls, choices).map { $0 / Double($1.unicodeScalars.count) })
        predBytes = numpyArgmax(zip(lls, choices).map { $0 / Double($1.utf8.count) })
    }
}

func numpyArgmax(_ v: [Double]) -> Int {
    if let nan = v.firstIndex(where: \.isNaN) { return nan }
    var best = 0
    for i in v.indices.dropFirst() where v[i] > v[best] { best = i }
    return best
}

/// Mean of 0/1 scores and the harness's `mean_stderr`: sample standard deviation (n − 1) / √n.
public struct MeanWithStderr: Sendable, Equatable {
    public let mean: Double
    /// NaN below two values (the harness prints N/A).
    public let stderr: Double

    public init(_ xs: [Double]) {
        let n = Double(xs.count)
        mean = xs.isEmpty ? .nan : xs.reduce(0, +) / n
        if xs.count < 2 { stderr = .nan; return }
        let m = mean
        stderr = (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot() / n.squareRoot()
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// lm-evaluation-harness's `loglikelihood` request for a causal LM (`HFLM`), step for step:
/// trailing whitespace of the context moves to the front of the continuation; context + continuation
/// is encoded whole and the context alone, and the continuation's tokens are the whole encoding
/// past the context's length (so a token merging across the boundary is scored as the
/// harness scores it); an empty context becomes the prefix token; the input is the last
/// max_length + 1 tokens minus the final one (left truncation); the result is the sum of the
/// continuation tokens' log-softmax and whether each was the argmax.
public struct LoglikelihoodScorer {
    public let model: Transformer
    /// Text → token ids, without BOS/EOS (the harness encodes with add_special_tokens=False).
    public let encode: (String) -> [Int]
    /// The window the harness truncates to (its `max_length`: n_positions / max_position_embeddings).
    public let maxLength: Int
    /// The token an empty context becomes (the harness: BOS, else EOS); nil refuses empty contexts.
    public let prefixToken: Int?

    public init(model: Transformer, encode: @escaping (String) -> [Int], maxLength: Int? = nil, prefixToken: Int? = nil) {
        self.model = model; self.encode = encode
        self.maxLength = min(maxLength ?? model.config.contextLength, model.config.contextLength)
        self.prefixToken = prefixToken
    }

    public struct Result: Sendable, Equatable {
        public var logLikelihood: Double
        /// Every continuation token was the model's argmax (the harness's `is_greedy`).
        public var greedy: Bool
        public var contextTokens: Int
        public var continuationTokens: Int
        /// Context tokens dropped from the left to fit max_length.
        public var truncated: Int
    }

    /// The harness's `_encode_pair`: (context tokens, continuation tokens).
    public static func encodePair(context: String, continuation: String, encode: (String) -> [Int]) -> ([Int], [Int]) {
        let (body, spaces) = splitTrailingPythonWhitespace(context)
        let whole = encode(body + spaces + continuation)
        let ctx = encode(body)
        return (ctx, Array(whole.dropFirst(ctx.count)))
    }

    public func score(context: String, continuation: String) throws -> Result {
        let ctx: [Int], cont: [Int]
        if context.isEmpty {
            guard let p = prefixToken else { throw LMError("empty context and no prefix token (give --prefix-token)") }
            (ctx, cont) = ([p], encode(continuation))
        } else {
            (ctx, cont) = Self.encodePair(context: context, continuation: continuation, encode: encode)
        }
        guard !ctx.isEmpty else { throw LMError("the context is only whitespace: it encodes to no tokens (the harness refuses it too)") }
        guard !cont.isEmpty else { throw LMError("the continuation encodes to no tokens") }
        guard cont.count <= maxLength else { throw LMError("the continuation is \(cont.count) tokens, longer than max_length \(maxLength)") }
        let whole = ctx + cont
        let V = model.config.vocabSize
        if let bad = whole.first(where: { $0 < 0 || $0 >= V }) { throw LMError("token id \(bad) is outside the model's vocabulary (\(V))") }
        let window = whole.suffix(maxLength + 1).dropLast().map { Int32($0) }
        let T = window.count
        try model.forward(Transformer.Batch(tokens: window, targets: [Int32](repeating: -1, count: T), batch: 1, seq: T))
        var ll = 0.0, greedy = true
        let logits = model.logits!.baseAddress!
        for (j, t) in cont.enumerated() {
            let (lp, top) = logSoftmax(logits + (T - cont.count + j) * V, vocab: V, at: t)
            ll += lp
            greedy = greedy && top
        }
        return Result(logLikelihood: ll, greedy: greedy, contextTokens: ctx.count, continuationTokens: cont.count,
                      truncated: max(0, whole.count - (maxLength + 1)))
    }
}

/// log softmax(row)[t] in double, and whether t is the row's first maximum (torch argmax).
func logSoftmax(_ row: UnsafePointer<Float>, vocab: Int, at t: Int) -> (Double, Bool) {
    var m = row[0], arg = 0
    for i in 1..<vocab where row[i] > m { m = row[i]; arg = i }
    var s = 0.0
    let dm = Double(m)
    for i in 0..<vocab { s += exp(Double(row[i]) - dm) }
    return (Double(row[t]) - dm - log(s), arg == t)
}

/// Python's `s.rstrip()` split point: (the string without trailing whitespace, the whitespace).
/// Whitespace is `str.isspace` (Unicode White_Space plus the separators U+001C–U+001F), by code point.
public func splitTrailingPythonWhitespace(_ s: String) -> (String, String) {
    let u = s.unicodeScalars
    var end = u.endIndex
    while end > u.startIndex, isPythonSpace(u[u.index(before: end)]) { end = u.index(before: end) }
    return (String(String.UnicodeScalarView(u[..<end])), String(String.UnicodeScalarView(u[end...])))
}

func isPythonSpace(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
}

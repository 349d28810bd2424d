import WinnowTokenize
#if canImport(Glibc)
import Glibc
#endif

/// Held-out loss over the first `batches` batches of a stream: total nats, counted targets, and
/// the counted target ids (so a caller can turn tokens into bytes for bits per byte).
public struct EvaluationResult: Sendable {
    public var nats: Double
    public var targets: Int
    public var targetIDs: [UInt32]
    public var meanLoss: Double { targets > 0 ? nats / Double(targets) : .nan }
    /// Bits per byte given the byte length of the counted targets (EIW §4.5: nats / ln 2 / bytes).
    public func bitsPerByte(bytes: Int) -> Double { nats / log(2.0) / Double(max(bytes, 1)) }

    /// The document bytes the counted targets decode to, special tokens excluded (one rule for
    /// `winnow lm eval` and the `eval` step).
    public func documentBytes(_ tok: any Tokenizer) -> Int {
        let specials = Set(tok.allSpecialSpellings.compactMap { tok.specialTokenID($0) })
        return tok.decodeBytes(specials.isEmpty ? targetIDs : targetIDs.filter { !specials.contains($0) }).count
    }
}

public func evaluate(model: Transformer, stream: TokenStream, batches: Int, batchSize: Int, seqLen: Int) throws -> EvaluationResult {
    var r = EvaluationResult(nats: 0, targets: 0, targetIDs: [])
    for i in 0..<batches {
        let b = try stream.batch(window: i * batchSize, batch: batchSize, seq: seqLen, vocabSize: model.config.vocabSize)
        let l = try model.forward(b)
        r.nats += l.crossEntropy * Double(l.targets)
        r.targets += l.targets
        r.targetIDs += b.targets.filter { $0 >= 0 }.map { UInt32($0) }
    }
    return r
}

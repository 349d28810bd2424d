// Byte-level BPE training with the merge order of HF tokenizers' BpeTrainer: ids are the special
// tokens, then the 256 byte-level characters in code-point order, then one per merge; each step
// merges the most frequent adjacent pair, the smaller (left id, right id) first among equal
// counts. Pair counts are updated incrementally from the words a merge touches; candidates are
// kept in a max-heap, each with the words it was counted in, and a popped candidate whose count
// went stale is queued again with its current count.
//
// Two HF behaviours are reproduced on purpose: the merged pair's own count is not reset (it is
// never queued again unless a later merge recreates it), and a merge whose string already is a
// token (e.g. "a"+"bc" after "ab"+"c") reuses that token's id and does not grow the vocabulary.

public struct BPETrainingOptions: Sendable {
    /// Target vocabulary size, special tokens and the 256 bytes included.
    public var vocabSize: Int
    /// A pair seen fewer times than this is never merged.
    public var minFrequency: UInt64
    /// Special tokens, given the first ids in this order.
    public var specialTokens: [String]

    public init(vocabSize: Int, minFrequency: UInt64 = 0, specialTokens: [String] = []) {
        self.vocabSize = vocabSize; self.minFrequency = minFrequency; self.specialTokens = specialTokens
    }
}

/// What training learned.
public struct BPETrainedModel: Sendable {
    /// Token id → the token as tokenizer.json spells it (byte-level characters; special tokens as given).
    public var vocab: [String]
    /// Merges in rank order, as (left id, right id).
    public var merges: [Merge]
    /// Special tokens and their ids.
    public var specialTokens: [(String, UInt32)]

    public struct Merge: Sendable, Equatable {
        public var left: UInt32
        public var right: UInt32
    }
}

public struct BPETrainingError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ d: String) { description = d }
}

public enum BPETrainer {
    /// Learns merges from counted words. `progress(merges, vocabulary size)` is called every
    /// 1000 merges.
    public static func train(_ words: BPEWordCounts, _ options: BPETrainingOptions,
                             progress: ((Int, Int) -> Void)? = nil) throws(BPETrainingError) -> BPETrainedModel {
        var vocab = VocabBuilder()
        var specials: [(String, UInt32)] = []
        for s in options.specialTokens where !s.isEmpty {
            let (id, added) = vocab.add(Array(s.utf8))
            if added { specials.append((s, id)) }
        }
        var byteID = [UInt32](repeating: 0, count: 256)
        for b in (0..<256).sorted(by: { GPT2ByteMap.byteToChar[$0] < GPT2ByteMap.byteToChar[$1] }) {
            byteID[b] = vocab.add(Array(String(Unicode.Scalar(GPT2ByteMap.byteToChar[b])!).utf8)).0
        }
        guard options.vocabSize >= vocab.count else {
            throw BPETrainingError("vocabulary size \(options.vocabSize) is smaller than the \(vocab.count) tokens it must hold (256 bytes and \(specials.count) special tokens)")
        }
        guard words.count > 0 else { throw BPETrainingError("the corpus has no text to train on") }

        var state = MergeState(words, byteID)
        var merges: [BPETrainedModel.Merge] = []
        while vocab.count < options.vocabSize {
            guard var top = state.queue.pop() else { break }
            let current = state.pairs.counts[Int(top.pair)]
            if top.count != current {
                top.count = current
                state.queue.push(top)
                continue
            }
            if top.count < 1 || Int64(clamping: options.minFrequency) > top.count { break }
            let a = UInt32(truncatingIfNeeded: top.key >> 32), b = UInt32(truncatingIfNeeded: top.key)
            let merged = vocab.add(vocab.tokens[Int(a)] + vocab.tokens[Int(b)]).0
            merges.append(.init(left: a, right: b))
            state.apply(top, merged)
            if merges.count % 1000 == 0 { progress?(merges.count, vocab.count) }
        }
        return BPETrainedModel(vocab: vocab.tokens.map { String(decoding: $0, as: UTF8.self) }, merges: merges,
                               specialTokens: specials)
    }
}

/// Tokens by id and by spelling.
struct VocabBuilder {
    private(set) var tokens: [[UInt8]] = []
    private var ids: [[UInt8]: UInt32] = [:]
    var count: Int { tokens.count }

    /// The token's id, and whether it was new.
    mutating func add(_ t: [UInt8]) -> (UInt32, Bool) {
        if let id = ids[t] { return (id, false) }
        let id = UInt32(tokens.count)
        tokens.append(t)
        ids[t] = id
        return (id, true)
    }
}

import WinnowCore
import WinnowTokenize
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A checkpoint's weights, loaded once per process and shared (read only) by every scorer that
/// names it: each `lm_score` stage instance (one per task) gets its own buffers over them.
public struct LMCheckpoint: Sendable {
    /// The checkpoint directory (`config.json` + `model.safetensors`).
    public let path: String
    public let config: ModelConfig
    /// The sequence length it was trained with (`seq_len` in its config.json), if recorded.
    public let trainedSeqLen: Int?
    let weights: ParameterStore

    private static let loaded = Mutex<[String: LMCheckpoint]>([:])

    /// The checkpoint at `path`: a checkpoint directory, or a training output directory (a
    /// `train` step's `steps/<step>`, `winnow lm train`'s `output_dir`), whose newest
    /// `checkpoints/step-N` is taken. Loaded on first use, then shared.
    public static func load(_ path: String) throws -> LMCheckpoint {
        let dir = try resolve(path)
        return try loaded.withLock { cache in
            if let c = cache[dir] { return c }
            let m = try Transformer.load(checkpoint: dir, threads: 1)
            let saved = (readTextFile(dir + "/config.json").flatMap { try? JSONParser.parse($0) })?["seq_len"]?.intValue
            let c = LMCheckpoint(path: dir, config: m.config, trainedSeqLen: saved, weights: m.params)
            cache[dir] = c
            return c
        }
    }

    static func resolve(_ path: String) throws -> String {
        func exists(_ p: String) -> Bool { access(p, F_OK) == 0 }
        var p = path
        while p.count > 1, p.hasSuffix("/") { p.removeLast() }
        if exists(p + "/config.json") && exists(p + "/model.safetensors") { return p }
        if let newest = Trainer.latestCheckpoint(outputDir: p) { return newest }
        guard exists(p) else { throw LMError("\(path): no such checkpoint or directory") }
        throw LMError("\(path): not a checkpoint (no config.json + model.safetensors) and no checkpoints/step-N under it")
    }

    /// The window length scoring uses unless told: the training `seq_len`, within the context.
    public var defaultSeqLen: Int { min(trainedSeqLen ?? config.contextLength, config.contextLength) }

    /// A model over these weights with buffers of its own, on `threads` threads.
    public func makeModel(threads: Int) throws -> Transformer {
        let m = try Transformer(config: config, weights: weights)
        m.threads = threads
        return m
    }
}

/// A document's loss under a model, counted as `winnow lm eval` counts a token stream: the
/// document's ids (with `bos`/`eos` added as the `tokenize` step adds them) are read in windows
/// of `seqLen` + 1 tokens at stride `seqLen` — window i predicts ids i·seqLen + 1 …
/// i·seqLen + seqLen from the ids before them inside the window, so every id but the first is
/// predicted exactly once with at most `seqLen` ids of context, the context restarting at each
/// window; the last window is shorter. Bits per byte = nats / ln 2 / the bytes the predicted ids
/// decode to, special tokens excluded (`documentBytes`, the rule of `winnow lm eval` and the
/// `eval` step). Each window is one forward pass of its own length, so a document's score does
/// not depend on the documents around it.
public final class DocumentScorer {
    public let model: Transformer
    public let tokenizer: any Tokenizer
    public let seqLen: Int
    let bosID: UInt32?, eosID: UInt32?
    private let specials: Set<UInt32>
    private var ids: [UInt32] = []
    private var predicted: [UInt32] = []
    private let scratch = MergeScratch()

    public struct Score: Equatable, Sendable {
        /// Ids of the document, `bos`/`eos` included.
        public var tokens: Int
        /// Ids predicted (all but the first).
        public var targets: Int
        public var nats: Double
        /// Bytes the predicted ids decode to, special tokens excluded.
        public var bytes: Int
        /// nil when nothing was predicted or the predicted ids decode to no bytes.
        public var bitsPerByte: Double? { targets > 0 && bytes > 0 ? nats / log(2.0) / Double(bytes) : nil }
    }

    public init(model: Transformer, tokenizer: any Tokenizer, seqLen: Int? = nil, bos: String? = nil, eos: String? = nil) throws {
        let n = seqLen ?? model.config.contextLength
        guard n >= 1, n <= model.config.contextLength else {
            throw LMError("seq_len \(n) must be between 1 and the model's context length \(model.config.contextLength)")
        }
        guard tokenizer.vocabularySize <= model.config.vocabSize else {
            throw LMError("the tokenizer has \(tokenizer.vocabularySize) ids, the model only \(model.config.vocabSize)")
        }
        self.model = model; self.tokenizer = tokenizer; self.seqLen = n
        func special(_ s: String?) throws -> UInt32? {
            guard let s else { return nil }
            guard let id = tokenizer.specialTokenID(s) else { throw LMError("'\(s)' is not a special token of the tokenizer") }
            return id
        }
        bosID = try special(bos); eosID = try special(eos)
        specials = Set(tokenizer.allSpecialSpellings.compactMap { tokenizer.specialTokenID($0) })
    }

    /// The ids the document is scored as (`bos`, the text's ids, `eos`).
    public func encode(_ text: String) -> [UInt32] {
        fill(text)
        return ids
    }

    private func fill(_ text: String) {
        ids.removeAll(keepingCapacity: true)
        if let bosID { ids.append(bosID) }
        if let fast = tokenizer as? any BufferEncoding {
            var t = text
            t.withUTF8 { fast.encode(utf8: $0, allowedSpecial: [], into: &ids, scratch: scratch) }
        } else {
            ids += tokenizer.encode(text)
        }
        if let eosID { ids.append(eosID) }
    }

    public func score(_ text: String) throws -> Score {
        fill(text)
        return try scoreIDs()
    }

    public func score(ids document: [UInt32]) throws -> Score {
        ids.removeAll(keepingCapacity: true)
        ids += document
        return try scoreIDs()
    }

    private func scoreIDs() throws -> Score {
        let n = ids.count
        var s = Score(tokens: n, targets: max(0, n - 1), nats: 0, bytes: 0)
        guard n >= 2 else { return s }
        model.reserve(batch: 1, seq: seqLen)   // once: every window fits the same buffers
        var start = 0
        while start < n - 1 {
            let w = min(seqLen, n - 1 - start)
            var tokens = [Int32](repeating: 0, count: w), targets = tokens
            ids.withUnsafeBufferPointer { src in
                for i in 0..<w { tokens[i] = Int32(bitPattern: src[start + i]); targets[i] = Int32(bitPattern: src[start + i + 1]) }
            }
            let l = try model.forward(Transformer.Batch(tokens: tokens, targets: targets, batch: 1, seq: w))
            s.nats += l.crossEntropy * Double(l.targets)
            start += w
        }
        predicted.removeAll(keepingCapacity: true)
        for id in ids.dropFirst() where !specials.contains(id) { predicted.append(id) }
        s.bytes = tokenizer.decodeBytes(predicted).count
        return s
    }
}

import WinnowCore
import WinnowLM
import WinnowTokenize
#if canImport(Glibc)
import Glibc
#endif

/// M1's training data: documents as byte tokens, each preceded by the start marker (byte 0)
/// that begins every equal-info window's context, in datatrove shards WinnowLM trains on.
public enum M1Data {
    /// Cuts every document into segments of log-uniform length in [minLength, maxLength] bytes
    /// and shuffles the segments across documents (seeded). Why: EqualInfoAC restarts M1 after
    /// the marker at every window, mostly in the middle of text, with 0 to ~10 bytes of context;
    /// an M1 that saw the marker only at document starts predicts a document's first bytes there
    /// (measured: the windows' bytes cost 5.6 bits under M1 against 3.8 for plain AC). Shuffling
    /// puts unrelated text before each marker, so the model learns not to look past it, as the
    /// encoder's reset requires. Lengths up to 1024 keep long contexts for plain AC.
    public static func segments(_ documents: [[UInt8]], minLength: Int = 4, maxLength: Int, seed: UInt64) -> [[UInt8]] {
        precondition(minLength >= 1 && maxLength >= minLength)
        var rng = SplitMix64(seed: seed ^ 0x5E6_0E17)
        var out: [[UInt8]] = []
        let lo = log(Double(minLength)), hi = log(Double(maxLength + 1))
        for d in documents {
            var i = 0
            while i < d.count {
                let n = max(minLength, min(maxLength, Int(exp(rng.uniform(lo, hi)))))
                out.append(Array(d[i..<min(d.count, i + n)]))
                i += n
            }
        }
        rng.shuffle(&out)
        return out
    }

    /// Exact duplicate texts dropped (first kept); a document is held out when the first byte
    /// of the SHA-1 of its text is below `heldOutPer256` (about that many in 256), so the split
    /// does not depend on the order or number of input files.
    public static func split(_ documents: [[UInt8]], heldOutPer256: Int) -> (train: [[UInt8]], heldOut: [[UInt8]]) {
        var seen = Set<[UInt8]>(), train: [[UInt8]] = [], held: [[UInt8]] = []
        for d in documents where !d.isEmpty {
            let h = SHA1.hash(d)
            if !seen.insert(h).inserted { continue }
            if Int(h[0]) < heldOutPer256 { held.append(d) } else { train.append(d) }
        }
        return (train, held)
    }

    /// Writes [marker] + bytes per document as a datatrove shard of 256-symbol tokens.
    @discardableResult
    public static func writeShard(_ documents: [[UInt8]], path: String) throws -> TokenShardSummary {
        let w = try TokenShardWriter(format: .datatrove, path: path, vocabularySize: 256, tokenizerName: "bytes")
        var ids: [UInt32] = []
        for d in documents {
            ids.removeAll(keepingCapacity: true)
            ids.append(UInt32(ByteModel.startMarker))
            for b in d { ids.append(UInt32(b)) }
            try w.write(document: ids)
        }
        return try w.finish()
    }

    /// The training setup `winnow eiw train-m1` writes: the eiw-m1 preset (T5 relative bias),
    /// AdamW (EIW used Adafactor with an rsqrt schedule from 1.0; AdamW with warm-up and cosine is
    /// this trainer's equivalent), z-loss 1e-4 as in EIW.
    public static func trainConfig(train: String, heldOut: String, outputDir: String, steps: Int, batchSize: Int, seqLen: Int,
                                   lr: Double, threads: Int, seed: UInt64) -> TrainConfig {
        var opt = OptimizerConfig()
        opt.lr = lr; opt.minLR = lr / 10; opt.warmup = min(500, max(1, steps / 20)); opt.schedule = .cosine
        opt.weightDecay = 0.1; opt.clip = 1.0; opt.zLoss = 1e-4
        var c = TrainConfig(model: ModelConfig.preset("eiw-m1")!, optimizer: opt, trainPaths: [train])
        c.evalPaths = [heldOut]
        c.batchSize = batchSize; c.seqLen = seqLen; c.steps = steps
        c.evalEvery = max(1, steps / 20); c.evalBatches = 8; c.checkpointEvery = max(1, steps / 10); c.logEvery = 10
        c.seed = seed; c.threads = threads; c.outputDir = outputDir
        return c
    }
}

import WinnowCore
import WinnowLM
import WinnowTokenize

/// M1's training data: documents as byte tokens, each preceded by the start marker (byte 0)
/// that begins every equal-info window's context, in datatrove shards WinnowLM trains on.
public enum M1Data {
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

import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// Next-token choice from logits: greedy when temperature is 0, else softmax(logits / T)
/// restricted to the top-k ids and then to the smallest set whose probability reaches top-p,
/// drawn with a seeded splitmix64 (same seed, same text).
public struct Sampler {
    public var temperature: Double
    public var topK: Int
    public var topP: Double
    var rng: SplitMix64

    public init(temperature: Double = 1, topK: Int = 0, topP: Double = 1, seed: UInt64 = 0) {
        self.temperature = temperature; self.topK = topK; self.topP = topP; rng = SplitMix64(seed: seed)
    }

    public mutating func next(_ logits: UnsafeBufferPointer<Float>) -> Int {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        guard temperature > 0 else { return best }
        // Candidates by descending logit (ties by id, so the order is deterministic).
        var ids = Array(logits.indices)
        ids.sort { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        if topK > 0 && topK < ids.count { ids.removeLast(ids.count - topK) }
        let m = Double(logits[best])
        var probs = ids.map { exp((Double(logits[$0]) - m) / temperature) }
        let total = probs.reduce(0, +)
        for i in probs.indices { probs[i] /= total }
        if topP < 1 {
            var acc = 0.0, keep = 0
            while keep < probs.count { acc += probs[keep]; keep += 1; if acc >= topP { break } }
            ids.removeLast(ids.count - keep); probs.removeLast(probs.count - keep)
        }
        let u = rng.uniform(0, 1) * probs.reduce(0, +)
        var acc = 0.0
        for (i, p) in probs.enumerated() { acc += p; if u < acc { return ids[i] } }
        return ids[ids.count - 1]
    }
}

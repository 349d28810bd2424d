import WinnowCore

/// Continuing a prompt with the KV cache: what `winnow lm generate` runs.
public enum Generation {
    /// The prompt's ids through the cache, then up to `tokens` sampled ids (fewer at the context
    /// length), ending just after the first `stop` id when one is given. Returns the generated
    /// ids and the nanoseconds spent on the prompt and on the generation.
    public static func continuation(model: Transformer, prompt: [Int], tokens: Int, sampler: Sampler, stop: Int? = nil) throws
        -> (ids: [Int], promptNanos: UInt64, generateNanos: UInt64) {
        precondition(!prompt.isEmpty, "a prompt of at least one id")
        var sampler = sampler
        let dec = KVCacheDecoder(model: model)
        let t0 = monotonicNanos()
        for t in prompt { try dec.step(t) }
        let t1 = monotonicNanos()
        var out: [Int] = []
        let n = model.config.contextLength, v = model.config.vocabSize
        for _ in 0..<tokens where dec.position < n {
            let next = sampler.next(UnsafeBufferPointer(start: dec.logits, count: v))
            out.append(next)
            if next == stop { break }
            if dec.position < n { try dec.step(next) }
        }
        return (out, t1 - t0, monotonicNanos() - t1)
    }
}

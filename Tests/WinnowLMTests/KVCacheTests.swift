import XCTest
@testable import WinnowLM

/// Token-by-token logits with the KV cache equal the full-sequence forward pass.
final class KVCacheTests: XCTestCase {
    func check(_ config: ModelConfig, model given: Transformer? = nil) throws {
        let model = try given ?? Transformer(config: config)
        if given == nil { model.params.initialize(seed: 5, effectiveLayers: config.effectiveLayers) }
        let T = 12
        let tokens: [Int32] = (0..<T).map { Int32(($0 * 7 + 3) % config.vocabSize) }
        try model.forward(Transformer.Batch(tokens: tokens, targets: tokens, batch: 1, seq: T))
        let full = Array(model.logits!)
        let dec = KVCacheDecoder(model: model)
        var inc: [Float] = []
        for t in tokens {
            try dec.step(Int(t))
            inc += Array(UnsafeBufferPointer(start: dec.logits, count: config.vocabSize))
        }
        XCTAssertLessThan(relativeError(inc, full), 1e-5, "\(config)")
    }

    func testGPT2Style() throws {
        var c = ModelConfig.preset("gpt2-tiny")!
        c.vocabSize = 64; c.dModel = 32; c.mlpHidden = 64; c.nLayers = 2; c.contextLength = 16
        try check(c)
    }

    func testT5RelativeBias() throws {
        var c = ModelConfig.preset("eiw-m1")!
        c.dModel = 32; c.mlpHidden = 64; c.nLayers = 2; c.contextLength = 16; c.relBuckets = 4; c.relMaxDistance = 6
        let model = try Transformer(config: c)
        model.params.initialize(seed: 5, effectiveLayers: c.effectiveLayers)
        // The bias starts at zero; give it values so it matters.
        let info = model.params.info("blocks.1.attn.rel_bias.weight")!
        for i in 0..<info.count { model.params.values[info.offset + i] = Float(i % 5) * 0.7 - 1.2 }
        try check(c, model: model)
    }

    /// Training starts the relative bias at a recency prior: −m_h · (first distance of the
    /// bucket), ALiBi's slopes m_h = 2^(−8(h+1)/H).
    func testRelativeBiasStartsAtARecencyPrior() throws {
        let c = ModelConfig.preset("eiw-m1")!
        let model = try Transformer(config: c)
        model.initialize(seed: 1)
        let t = model.params.value("blocks.1.attn.rel_bias.weight")   // [32 buckets, 4 heads]
        XCTAssertEqual(Array(t[0..<4]), [0, 0, 0, 0])
        XCTAssertEqual(Array(t[4..<8]), [-0.25, -0.0625, -0.015625, -0.00390625])
        XCTAssertEqual(t[15 * 4], -15 * 0.25)
        XCTAssertEqual(t[16 * 4], -16 * 0.25)   // bucket 16 holds distances 16–18
        XCTAssertEqual(t[17 * 4], -19 * 0.25)
        XCTAssertEqual(t[31 * 4 + 3], -113 * 0.00390625)   // the last bucket starts at 113
        XCTAssertEqual(model.params.value("blocks.0.attn.rel_bias.weight"), t)
    }

    func testMobileLLMSharedGQA() throws {
        var c = ModelConfig.preset("mobilellm-ls-tiny")!
        c.vocabSize = 64; c.dModel = 24; c.mlpHidden = 32; c.nLayers = 2; c.contextLength = 16
        try check(c)
    }
}

final class SamplerTests: XCTestCase {
    func testGreedySeededAndTruncated() {
        let logits: [Float] = [0.1, 2.0, 1.9, -3, 0.5]
        logits.withUnsafeBufferPointer { l in
            var g = Sampler(temperature: 0)
            XCTAssertEqual(g.next(l), 1)
            var a = Sampler(temperature: 1, seed: 9), b = Sampler(temperature: 1, seed: 9)
            let xs = (0..<50).map { _ in a.next(l) }
            XCTAssertEqual(xs, (0..<50).map { _ in b.next(l) })
            XCTAssertGreaterThan(Set(xs).count, 1)
            var k = Sampler(temperature: 1, topK: 2, seed: 3)
            XCTAssertTrue((0..<100).allSatisfy { _ in [1, 2].contains(k.next(l)) })
            var p = Sampler(temperature: 1, topP: 0.3, seed: 3)   // the top id alone already has p ≥ 0.3
            XCTAssertTrue((0..<100).allSatisfy { _ in p.next(l) == 1 })
        }
    }
}

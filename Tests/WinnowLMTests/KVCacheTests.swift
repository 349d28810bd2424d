import XCTest
@testable import WinnowLM

/// Token-by-token logits with the KV cache equal the full-sequence forward pass.
final class KVCacheTests: XCTestCase {
    func check(_ config: ModelConfig) throws {
        let model = try Transformer(config: config)
        model.params.initialize(seed: 5, effectiveLayers: config.effectiveLayers)
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

    func testMobileLLMSharedGQA() throws {
        var c = ModelConfig.preset("mobilellm-ls-tiny")!
        c.vocabSize = 64; c.dModel = 24; c.mlpHidden = 32; c.nLayers = 2; c.contextLength = 16
        try check(c)
    }
}

import XCTest
import WinnowCore
@testable import WinnowLM

final class ConfigTests: XCTestCase {
    func node(_ json: String) throws -> ConfigNode { ConfigNode(json: try JSONParser.parse(json), file: "test.json") }
    let mark = SourceMark(file: "test.json", line: 0, column: 0)

    func testPresetsAndOverrides() throws {
        let c = try ModelConfig(try node(#"{"preset": "mobilellm-ls-tiny", "n_layers": 3}"#), path: "model", mark: mark)
        XCTAssertEqual(c.activation, .swiglu)
        XCTAssertEqual(c.nKVHeads, 2)
        XCTAssertEqual(c.effectiveLayers, 6)
        let e = try ModelConfig(try node(#"{"preset": "eiw-m1"}"#), path: "model", mark: mark)
        XCTAssertEqual([e.vocabSize, e.nLayers, e.dModel, e.nHeads, e.mlpHidden], [256, 3, 256, 4, 1024])
        XCTAssertEqual(e.activation, .relu)
        XCTAssertEqual(e.positions, .t5Bias)
        XCTAssertEqual([e.relBuckets, e.relMaxDistance], [32, 128])
        let eBack = try ModelConfig(try node(JSONWriter.string(e.json)), path: "model", mark: mark)
        XCTAssertEqual(eBack, e)
        XCTAssertEqual(try Transformer(config: e).params.info("blocks.2.attn.rel_bias.weight")?.shape, [32, 4])
        XCTAssertFalse(JSONWriter.string(c.json).contains("rel_buckets"), "other configs' JSON is unchanged")
        // The JSON form reads back to the same config.
        let back = try ModelConfig(try node(JSONWriter.string(c.json)), path: "model", mark: mark)
        XCTAssertEqual(back, c)
    }

    func testBadConfigsAreNamedErrors() throws {
        XCTAssertThrowsError(try ModelConfig(try node(#"{"preset": "gpt2-tiny", "n_layer": 3}"#), path: "model", mark: mark)) { e in
            XCTAssertTrue("\(e)".contains("did you mean 'n_layers'"), "\(e)")
        }
        XCTAssertThrowsError(try ModelConfig(try node(#"{"preset": "gpt2-tiny", "n_heads": 3}"#), path: "model", mark: mark)) { e in
            XCTAssertTrue("\(e)".contains("not a multiple of n_heads"), "\(e)")
        }
        XCTAssertThrowsError(try ModelConfig(try node(#"{"preset": "gpt5"}"#), path: "model", mark: mark))
    }

    func testSchedules() {
        let s = LRSchedule(kind: .cosine, peak: 1, minLR: 0.1, warmup: 10, total: 110)
        XCTAssertEqual(s.lr(at: 0), 0.1, accuracy: 1e-12)
        XCTAssertEqual(s.lr(at: 9), 1, accuracy: 1e-12)
        XCTAssertEqual(s.lr(at: 60), 0.55, accuracy: 1e-12)
        XCTAssertEqual(s.lr(at: 110), 0.1, accuracy: 1e-12)
        let r = LRSchedule(kind: .rsqrt, peak: 1, warmup: 100, total: 1000)
        XCTAssertEqual(r.lr(at: 399), 0.5, accuracy: 1e-12)
        let l = LRSchedule(kind: .linear, peak: 2, minLR: 0, warmup: 0, total: 10)
        XCTAssertEqual(l.lr(at: 5), 1, accuracy: 1e-12)
    }

    func testNonFiniteLossIsAnError() throws {
        let model = try Transformer(config: ModelConfig.preset("eiw-m1")!)
        model.params.initialize(seed: 1, effectiveLayers: 3)
        model.params.values[model.params.info("final_norm.weight")!.offset] = .nan
        let b = Transformer.Batch(tokens: [1, 2, 3, 4], targets: [2, 3, 4, 5], batch: 1, seq: 4)
        XCTAssertThrowsError(try model.forward(b)) { e in XCTAssertTrue("\(e)".contains("not finite"), "\(e)") }
        let bad = Transformer.Batch(tokens: [1, 2, 300, 4], targets: [2, 3, 4, 5], batch: 1, seq: 4)
        XCTAssertThrowsError(try model.forward(bad)) { e in XCTAssertTrue("\(e)".contains("outside the vocabulary"), "\(e)") }
    }
}

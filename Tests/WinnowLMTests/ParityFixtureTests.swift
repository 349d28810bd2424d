import XCTest
@testable import WinnowLM

/// Logits, loss, every gradient and 5 AdamW steps (warm-up, cosine or linear decay, clipping,
/// grad accumulation, z-loss, document mask) against values PyTorch produced for tiny models
/// (bench/parity/lm_parity.py --fixtures).
final class ParityFixtureTests: XCTestCase {
    func check(_ name: String, threads: Int = 1) throws {
        let f = try SafetensorsFile(path: LMTestPaths.fixtures + "/parity-\(name).safetensors")
        let (out, model) = try Parity.run(f, threads: threads)
        XCTAssertLessThan(relativeError(out.logits, try f.floats("expected.logits")), 1e-5, "\(name) logits")
        XCTAssertEqual(out.loss, Double(try f.floats("expected.loss")[0]), accuracy: 1e-5, "\(name) loss")
        var largest: Float = 0
        for p in model.params.infos { largest = max(largest, try f.floats("expected.grad.\(p.name)").map(abs).max()!) }
        for p in model.params.infos {
            let e = relativeError(out.grads[p.name]!, try f.floats("expected.grad.\(p.name)"), floor: 1e-4 * largest)
            XCTAssertLessThan(e, 1e-4, "\(name) gradient \(p.name)")
        }
        let losses = try f.floats("expected.losses")
        XCTAssertEqual(out.losses.count, losses.count)
        for (i, l) in losses.enumerated() { XCTAssertEqual(out.losses[i], Double(l), accuracy: 1e-5, "\(name) loss at step \(i)") }
    }

    func testGPT2() throws { try check("gpt2") }
    func testMobileLLMWithBlockSharing() throws { try check("mobilellm-ls") }
    func testGQADocumentMaskZLossAccumulation() throws { try check("gqa-docmask-zloss") }
    func testTwoThreadsGiveTheSameResults() throws { try check("gqa-docmask-zloss", threads: 2) }
    /// T5 relative attention bias (EIW's M1): forward, the bias gradient and AdamW steps against
    /// torch, with a document mask, on one and two threads (the bias gradient is summed per
    /// sequence and head, then in a fixed order).
    func testT5RelativeBias() throws { try check("t5bias"); try check("t5bias", threads: 2) }

    /// T5's buckets (causal): exact below buckets/2, logarithmic up to the max distance, then the
    /// last bucket — values from HF's `_relative_position_bucket(bidirectional=False)`.
    func testRelativePositionBuckets() {
        let t = (0..<200).map { RelativePositionBuckets.bucket(distance: $0, buckets: 32, maxDistance: 128) }
        XCTAssertEqual(Array(t[0..<16]), Array(0..<16))
        XCTAssertEqual([t[16], t[17], t[18], t[19], t[20], t[22], t[23], t[32], t[45], t[64], t[90], t[127], t[128], t[199]],
                       [16, 16, 16, 17, 17, 18, 18, 21, 23, 26, 29, 31, 31, 31])
        XCTAssertEqual(RelativePositionBuckets.table(count: 8, buckets: 4, maxDistance: 6), [0, 1, 2, 2, 3, 3, 3, 3])
    }

    /// A broken kernel must fail the comparison: perturb one weight and the loss moves.
    func testComparisonNoticesAChangedWeight() throws {
        let f = try SafetensorsFile(path: LMTestPaths.fixtures + "/parity-gpt2.safetensors")
        let (model, _, _) = try Parity.load(f)
        let batch = Transformer.Batch(tokens: try f.ints("tokens").prefix(16).map { Int32($0) },
                                      targets: try f.ints("targets").prefix(16).map { Int32($0) }, batch: 2, seq: 8)
        let a = try model.forward(batch).loss
        model.params.values[model.params.info("blocks.0.mlp.up.weight")!.offset] += 0.5
        let b = try model.forward(batch).loss
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a, Double(try f.floats("expected.loss")[0]), accuracy: 1e-5)
    }
}

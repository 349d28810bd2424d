import XCTest
import WinnowTestSupport
import WinnowTokenize
@testable import WinnowLM

final class TokenStreamTests: XCTestCase {
    /// Two Megatron shards of documents [0 1 2 3 4], [5 6 7], [8 9 10 11] read as one stream.
    func makeShards() throws -> [String] {
        let dir = temporaryDirectory()
        let a = try TokenShardWriter(format: .megatron, path: dir + "/a", vocabularySize: 64)
        try a.write(document: [0, 1, 2, 3, 4]); try a.write(document: [5, 6, 7]); _ = try a.finish()
        let b = try TokenShardWriter(format: .megatron, path: dir + "/b", vocabularySize: 64)
        try b.write(document: [8, 9, 10, 11]); _ = try b.finish()
        return [dir + "/a", dir + "/b"]
    }

    func testWindowsCrossShardsAndWrap() throws {
        let s = try TokenStream(paths: try makeShards())
        XCTAssertEqual(s.tokenCount, 12)
        let b = try s.batch(window: 1, batch: 2, seq: 4, vocabSize: 64)
        XCTAssertEqual(b.tokens, [4, 5, 6, 7, 0, 1, 2, 3])     // window 1, then window 2 wraps to 0 (2 windows of 4+1)
        XCTAssertEqual(b.targets, [5, 6, 7, 8, 1, 2, 3, 4])
        XCTAssertNil(b.segments)
        XCTAssertThrowsError(try s.batch(window: 1, batch: 1, seq: 4, vocabSize: 8)) { e in
            XCTAssertTrue("\(e)".contains("outside the model's vocabulary"), "\(e)")
        }
    }

    func testShuffledWindowsVisitEveryWindowOncePerEpochInASeededOrder() throws {
        let s = try TokenStream(paths: try makeShards())
        s.shuffleSeed = 7
        let n = 97
        let epoch0 = (0..<n).map { s.windowIndex($0, count: n) }
        let epoch1 = (n..<(2 * n)).map { s.windowIndex($0, count: n) }
        XCTAssertEqual(epoch0.sorted(), Array(0..<n))
        XCTAssertEqual(epoch1.sorted(), Array(0..<n))
        XCTAssertNotEqual(epoch0, Array(0..<n), "not in order")
        XCTAssertNotEqual(epoch0, epoch1, "each epoch has its own order")
        // A function of the window number: asking again (as a resumed run does) gives the same.
        XCTAssertEqual(s.windowIndex(5, count: n), epoch0[5])
        let t = try TokenStream(paths: try makeShards())
        t.shuffleSeed = 8
        XCTAssertNotEqual((0..<n).map { t.windowIndex($0, count: n) }, epoch0)
        t.shuffleSeed = nil
        XCTAssertEqual(t.windowIndex(n + 3, count: n), 3)
    }

    func testDocumentMaskGivesSegmentsAndDropsCrossDocumentTargets() throws {
        let s = try TokenStream(paths: try makeShards(), documentMask: true)
        let b = try s.batch(window: 1, batch: 1, seq: 4, vocabSize: 64)
        XCTAssertEqual(b.tokens, [4, 5, 6, 7])
        XCTAssertEqual(b.targets, [-100, 6, 7, -100])
        let seg = b.segments!
        XCTAssertNotEqual(seg[0], seg[1])
        XCTAssertEqual(seg[1], seg[2]); XCTAssertEqual(seg[2], seg[3])
    }

    func testEvaluationSumsNatsAndGivesBitsPerByte() throws {
        let s = try TokenStream(paths: try makeShards())
        let model = try Transformer(config: ModelConfig(vocabSize: 64, contextLength: 4, dModel: 8, nLayers: 1, nHeads: 2, nKVHeads: 2,
                                                        mlpHidden: 8, activation: .relu, norm: .rmsnorm, normEps: 1e-5,
                                                        positions: .none, ropeTheta: 1e4, tiedEmbeddings: true, bias: false, blockRepeat: 1))
        model.params.initialize(seed: 1, effectiveLayers: 1)
        let r = try evaluate(model: model, stream: s, batches: 2, batchSize: 1, seqLen: 4)
        XCTAssertEqual(r.targets, 8)
        XCTAssertEqual(r.targetIDs, [1, 2, 3, 4, 5, 6, 7, 8])
        // Untrained: close to uniform over 64 ids, i.e. 6 bits per (one-byte) token.
        XCTAssertEqual(r.meanLoss, log(64.0), accuracy: 0.05)
        XCTAssertEqual(r.bitsPerByte(bytes: 8), r.meanLoss / log(2.0), accuracy: 1e-12)
    }
}

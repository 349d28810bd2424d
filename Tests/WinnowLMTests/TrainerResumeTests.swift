import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowLM

/// A run interrupted at a checkpoint and resumed gives exactly the losses of an uninterrupted run.
final class TrainerResumeTests: XCTestCase {
    func makeConfig(_ dir: String) throws -> TrainConfig {
        // A nanoGPT shard (raw uint16) of 4000 tokens with some structure to learn.
        var bytes: [UInt8] = []
        var rng = SplitMix64(seed: 7)
        for i in 0..<4000 {
            let t = UInt16((i % 5 == 0) ? Int(rng.next() % 64) : (i * 7) % 64)
            bytes += [UInt8(t & 0xFF), UInt8(t >> 8)]
        }
        try writeFileAtomically(dir + "/train.bin", bytes)
        let model = ModelConfig(vocabSize: 64, contextLength: 32, dModel: 16, nLayers: 2, nHeads: 4, nKVHeads: 2, mlpHidden: 32,
                                activation: .swiglu, norm: .rmsnorm, normEps: 1e-5, positions: .rope, ropeTheta: 10_000,
                                tiedEmbeddings: true, bias: false, blockRepeat: 1)
        var opt = OptimizerConfig()
        opt.lr = 3e-3; opt.warmup = 2; opt.gradAccum = 2; opt.clip = 0.5
        var c = TrainConfig(model: model, optimizer: opt, trainPaths: [dir + "/train.bin"])
        c.format = .nanogpt
        c.batchSize = 2; c.seqLen = 32; c.steps = 8; c.threads = 1; c.seed = 3
        c.outputDir = dir + "/run"
        return c
    }

    func testResumeContinuesTheSameLossSequence() throws {
        let dir = temporaryDirectory()
        let cfg = try makeConfig(dir)
        let full = try Trainer(config: cfg)
        var expected: [Double] = []
        for _ in 0..<cfg.steps { expected.append(try full.runStep().loss) }
        XCTAssertLessThan(expected.last!, expected.first!, "the model should learn something")

        let first = try Trainer(config: cfg)
        for i in 0..<3 { XCTAssertEqual(try first.runStep().loss, expected[i]) }
        let ckpt = try first.saveCheckpoint()
        XCTAssertEqual(Trainer.latestCheckpoint(outputDir: cfg.outputDir), ckpt)

        let resumed = try Trainer(config: cfg, resumeFrom: ckpt)
        XCTAssertEqual(resumed.step, 3)
        for i in 3..<cfg.steps { XCTAssertEqual(try resumed.runStep().loss, expected[i], "step \(i)") }
        XCTAssertEqual(resumed.model.params.value("embed.weight"), full.model.params.value("embed.weight"))
    }

    func testResumeRefusesADifferentModel() throws {
        let dir = temporaryDirectory()
        var cfg = try makeConfig(dir)
        let t = try Trainer(config: cfg)
        _ = try t.runStep()
        let ckpt = try t.saveCheckpoint()
        cfg.model.mlpHidden = 48
        XCTAssertThrowsError(try Trainer(config: cfg, resumeFrom: ckpt)) { e in XCTAssertTrue("\(e)".contains("model config differs"), "\(e)") }
    }
}

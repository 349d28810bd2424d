import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowIO
import WinnowPipeline
@testable import WinnowAblation

/// EIW's M2 comparison as an ablation: the same documents as bytes, BPE and EqualInfoAC tokens,
/// the same model (its vocabulary set per variant), bits per byte by EIW §4.5's formula.
final class TokenizationAblationTests: XCTestCase {
    static let root = TestPaths.repositoryRoot
    static let m1 = TestPaths.fixtures("WinnowCompressTests") + "/m1-tiny"

    func testBytesBPEAndEqualInfoTokensTrainTheSameModelAndScoreInBitsPerByte() throws {
        let dir = temporaryDirectory()
        let en = SharedCorpora.jsonlTexts(Self.root + "/samples/text/web-sample.jsonl.gz").map { String($0.prefix(400)) }
        for (name, texts) in [("train", en.prefix(24)), ("heldout", en.dropFirst(24).prefix(6))] {
            let w = try JSONLWriter(path: "\(dir)/\(name).jsonl")
            for (i, t) in texts.enumerated() { try w.write(Document(id: "\(name)-\(i)", text: t)) }
            try w.commit()
        }
        let bpe = "\(Self.root)/samples/tokenizers/winnow-bpe-8k.json.gz"
        let yaml = """
        name: m2
        output_dir: \(dir)/run
        steps:
          - name: text
            input: {paths: [\(dir)/train.jsonl], format: jsonl}
          - name: heldout_text
            input: {paths: [\(dir)/heldout.jsonl], format: jsonl}
          - name: tokens
            input: {from: text}
            tokenize: {tokenizer: bytes, format: datatrove, eos: "<|endoftext|>"}
          - name: heldout
            input: {from: heldout_text}
            tokenize: {tokenizer: bytes, format: datatrove, eos: "<|endoftext|>"}
        target: text
        seeds: [1]
        variants:
          - name: bytes
          - name: bpe
            set: {tokens.tokenize.tokenizer: \(bpe), heldout.tokenize.tokenizer: \(bpe), train.train.model.vocab_size: 8192}
          - name: eiw
            remove_steps: [tokens, heldout]
            add_steps:
              - {name: tokens, input: {from: text}, compress: {model: \(Self.m1), window_bits: 16, vocab: 65536}}
              - {name: heldout, input: {from: heldout_text}, compress: {model: \(Self.m1), window_bits: 16, vocab: 65536}}
            set: {train.train.model.vocab_size: 65536}
        per_seed:
          - name: train
            input: {from: tokens}
            train:
              model: {preset: gpt2-tiny, vocab_size: 257, d_model: 16, n_layers: 1, n_heads: 2, n_kv_heads: 2, mlp_hidden: 32, context_length: 16}
              optimizer: {lr: 3e-3, warmup: 2}
              batch_size: 2
              steps: 6
              seed: $seed
              threads: 1
          - name: eval
            input: {from: train}
            eval: {data: heldout, batch_size: 2, max_batches: 2, threads: 1}
        metric: {step: eval, key: bits_per_byte}
        """
        let spec = try AblationSpec.load(yaml: yaml, file: dir + "/m2.yaml")
        let plan = try AblationPlan(spec)
        var pipeline = try PipelineLoader().load(yaml: plan.pipelineYAML, file: "m2.yaml")
        pipeline.outputDir = spec.outputDir
        var o = LocalExecutor.Options()
        o.workers = 0
        o.progress = .none
        let result = try LocalExecutor(spec: pipeline, options: o).run()
        XCTAssertTrue(result.failures.isEmpty, "\(result.failures)\n\(plan.pipelineYAML)")

        let heldoutBytes = en.dropFirst(24).prefix(6).reduce(0) { $0 + $1.utf8.count }
        var vocab: [String: Int] = [:]
        for v in plan.variants {
            let steps = try XCTUnwrap(v.perSeed[1])
            let run = spec.outputDir
            let config = try TestFiles.json("\(run)/steps/\(steps["train"]!)/checkpoints/step-00000006/config.json")
            vocab[v.variant] = config["model"]?["vocab_size"]?.intValue
            let row = try TestFiles.json("\(run)/steps/\(steps["eval"]!)/metrics.jsonl")
            XCTAssertEqual(row["bits_per_byte_from"]?.stringValue, "ratio")
            XCTAssertEqual(row["bytes"]?.intValue, heldoutBytes, v.variant)
            // EIW §4.5: bits/byte = nats per token / ln 2 / (bytes per token of the held-out data).
            let perToken = try XCTUnwrap(row["bytes_per_token"]?.doubleValue), loss = try XCTUnwrap(row["eval_loss"]?.doubleValue)
            XCTAssertEqual(try XCTUnwrap(row["bits_per_byte"]?.doubleValue), loss / log(2.0) / perToken, accuracy: 1e-9)
            switch v.variant {
            case "bytes": XCTAssertEqual(perToken, Double(heldoutBytes) / Double(heldoutBytes + 6), accuracy: 1e-12)   // + one EOS each
            case "bpe": XCTAssertGreaterThan(perToken, 2.5)
            default: XCTAssertGreaterThan(perToken, 1.0)   // 16-bit tokens of a tiny M1: ~1.7 bytes each
            }
        }
        XCTAssertEqual(vocab, ["bytes": 257, "bpe": 8192, "eiw": 65536])
        let results = AblationResults(plan: plan, runDirectory: spec.outputDir)
        XCTAssertEqual(results.rows.count, 3)
        XCTAssertTrue(results.rows.allSatisfy { ($0.mean ?? 0) > 0 }, results.render())
    }
}

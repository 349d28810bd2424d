import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowLM

/// transformers directories in and out: fixtures made and saved by transformers
/// (bench/parity/hf_layout_parity.py --fixtures) load with transformers' logits, and an
/// export read back gives the same model.
final class HFLayoutTests: XCTestCase {
    /// Tokens and transformers' logits from a fixture's expected.json.
    func expected(_ dir: String) throws -> (tokens: [Int32], logits: [Float]) {
        let j = try TestFiles.json(dir + "/expected.json")
        return (j["tokens"]!.arrayValue!.map { Int32($0.intValue!) }, j["logits"]!.arrayValue!.map { Float($0.doubleValue!) })
    }

    func logits(_ model: Transformer, _ tokens: [Int32]) throws -> [Float] {
        try model.forward(Transformer.Batch(tokens: tokens, targets: tokens, batch: 1, seq: tokens.count))
        return Array(model.logits!)
    }

    func testLoadsShardedTransformersLlamaWithItsLogits() throws {
        let dir = LMTestPaths.fixtures + "/hf-llama"
        XCTAssertNotNil(readFileBytes(dir + "/model.safetensors.index.json"), "the fixture is meant to be sharded")
        let model = try Transformer.load(checkpoint: dir, threads: 1)
        let c = model.config
        XCTAssertEqual([c.nHeads, c.nKVHeads, c.nLayers], [4, 2, 2])
        XCTAssertEqual(c.positions, .rope); XCTAssertTrue(c.tiedEmbeddings); XCTAssertEqual(c.ropeTheta, 500)
        let (tokens, want) = try expected(dir)
        XCTAssertLessThan(relativeError(try logits(model, tokens), want), 1e-4)
    }

    func testLoadsTransformersGPT2WithItsLogits() throws {
        let dir = LMTestPaths.fixtures + "/hf-gpt2"
        let model = try Transformer.load(checkpoint: dir, threads: 1)
        XCTAssertEqual(model.config.positions, .learned); XCTAssertTrue(model.config.bias)
        let (tokens, want) = try expected(dir)
        XCTAssertLessThan(relativeError(try logits(model, tokens), want), 1e-4)
    }

    /// attention_bias and mlp_bias: every linear layer, SwiGLU's gate and up included, has a bias.
    func testLoadsTransformersLlamaWithBiasesAndUntiedHead() throws {
        let dir = LMTestPaths.fixtures + "/hf-llama-bias"
        let model = try Transformer.load(checkpoint: dir, threads: 1)
        XCTAssertTrue(model.config.bias); XCTAssertFalse(model.config.tiedEmbeddings)
        XCTAssertNotNil(model.params.info("blocks.1.mlp.gate.bias"))
        let (tokens, want) = try expected(dir)
        XCTAssertLessThan(relativeError(try logits(model, tokens), want), 1e-4)
    }

    func small(_ preset: String, _ edit: (inout ModelConfig) -> Void = { _ in }) -> ModelConfig {
        var c = ModelConfig.preset(preset)!
        c.vocabSize = 96; c.contextLength = 16; c.dModel = 24; c.nLayers = 2; c.mlpHidden = 40
        if c.positions == .rope { c.nHeads = 6; c.nKVHeads = 2 } else { c.nHeads = 4; c.nKVHeads = 4 }
        edit(&c)
        return c
    }

    /// Export, import, same logits bit for bit; with no sharing to unroll, the same parameters.
    func roundTrip(_ config: ModelConfig, expect arch: HFArchitecture) throws -> String {
        let model = try Transformer(config: config)
        model.params.initialize(seed: 9, effectiveLayers: config.effectiveLayers)
        for p in model.params.infos where p.kind == .norm || p.kind == .bias {   // away from 1 and 0
            for i in 0..<p.count { model.params.values[p.offset + i] += Float(i % 7) * 0.01 - 0.03 }
        }
        let dir = temporaryDirectory() + "/out/hf"
        let r = try HFExport.write(model, to: dir)
        XCTAssertEqual(r.architecture, arch)
        XCTAssertEqual(r.notes.isEmpty, config.blockRepeat == 1)
        let back = try Transformer.load(checkpoint: dir, threads: 1)
        XCTAssertEqual(back.config.effectiveLayers, config.effectiveLayers)
        let tokens: [Int32] = (0..<12).map { Int32(($0 * 37 + 5) % config.vocabSize) }
        XCTAssertEqual(try logits(back, tokens), try logits(model, tokens))
        if config.blockRepeat == 1 {
            XCTAssertEqual(back.config, config)
            for p in model.params.infos { XCTAssertEqual(back.params.value(p.name), model.params.value(p.name), p.name) }
        }
        return dir
    }

    func testGPT2RoundTripAndConv1DLayout() throws {
        let dir = try roundTrip(small("gpt2-tiny"), expect: .gpt2)
        let f = try SafetensorsFile(path: dir + "/model.safetensors")
        XCTAssertEqual(f.metadata["format"], "pt")
        XCTAssertNil(f.entry("lm_head.weight"), "tied: transformers omits the head")
        XCTAssertEqual(f.entry("transformer.h.0.attn.c_attn.weight")?.shape, [24, 72])
        XCTAssertEqual(f.entry("transformer.h.1.mlp.c_fc.weight")?.shape, [24, 40])
        let back = try Transformer.load(checkpoint: dir, threads: 1)
        // c_attn[i, j] is Wq[j, i] for j < d, then Wk, then Wv: q, k, v fused and transposed.
        let cattn = try f.floats("transformer.h.0.attn.c_attn.weight"), wk = back.params.value("blocks.0.attn.k.weight")
        XCTAssertEqual(cattn[5 * 72 + 24 + 3], wk[3 * 24 + 5])
        let cfg = try TestFiles.json(dir + "/config.json")
        XCTAssertEqual(cfg["model_type"], .string("gpt2")); XCTAssertEqual(cfg["n_inner"]?.intValue, 40)
        XCTAssertEqual(cfg["activation_function"], .string("gelu_new"))
    }

    func testGPT2ReLUUntied() throws {
        let dir = try roundTrip(small("gpt2-tiny") { $0.activation = .relu; $0.tiedEmbeddings = false }, expect: .gpt2)
        XCTAssertNotNil(try SafetensorsFile(path: dir + "/model.safetensors").entry("lm_head.weight"))
    }

    func testLlamaGQARoundTrip() throws {
        let dir = try roundTrip(small("mobilellm-tiny"), expect: .llama)
        let cfg = try TestFiles.json(dir + "/config.json")
        XCTAssertEqual(cfg["num_key_value_heads"]?.intValue, 2); XCTAssertEqual(cfg["head_dim"]?.intValue, 4)
        XCTAssertEqual(cfg["tie_word_embeddings"], .bool(true)); XCTAssertEqual(cfg["rope_parameters"]?["rope_type"], .string("default"))
        XCTAssertEqual(try SafetensorsFile(path: dir + "/model.safetensors").entry("model.layers.1.self_attn.k_proj.weight")?.shape, [8, 24])
    }

    func testLlamaWithBiasesUntied() throws {
        let dir = try roundTrip(small("mobilellm-tiny") { $0.bias = true; $0.tiedEmbeddings = false }, expect: .llama)
        let cfg = try TestFiles.json(dir + "/config.json")
        XCTAssertEqual(cfg["attention_bias"], .bool(true)); XCTAssertEqual(cfg["mlp_bias"], .bool(true))
    }

    func testBlockSharingIsUnrolledIntoSeparateLayers() throws {
        let dir = try roundTrip(small("mobilellm-ls-tiny"), expect: .llama)
        let cfg = try TestFiles.json(dir + "/config.json")
        XCTAssertEqual(cfg["num_hidden_layers"]?.intValue, 4)
        let f = try SafetensorsFile(path: dir + "/model.safetensors")
        XCTAssertEqual(try f.floats("model.layers.2.mlp.up_proj.weight"), try f.floats("model.layers.3.mlp.up_proj.weight"))
        XCTAssertNotEqual(try f.floats("model.layers.1.mlp.up_proj.weight"), try f.floats("model.layers.2.mlp.up_proj.weight"))
    }

    func testExportRefusesWhatNeitherClassExpresses() throws {
        func refuses(_ c: ModelConfig, _ fragment: String, line: UInt = #line) throws {
            let model = try Transformer(config: c)
            XCTAssertThrowsError(try HFExport.write(model, to: temporaryDirectory() + "/x"), line: line) {
                XCTAssertTrue("\($0)".contains(fragment), "\($0)", line: line)
            }
        }
        var eiw = ModelConfig.preset("eiw-m1")!
        eiw.dModel = 16; eiw.mlpHidden = 16; eiw.contextLength = 8
        try refuses(eiw, "positions: t5_bias")
        eiw.positions = .none
        try refuses(eiw, "positions: none")
        try refuses(small("mobilellm-tiny") { $0.norm = .layernorm }, "norm: layernorm")
        try refuses(small("mobilellm-tiny") { $0.activation = .relu }, "activation: relu")
        try refuses(small("gpt2-tiny") { $0.bias = false }, "bias: false")
        try refuses(small("gpt2-tiny") { $0.nKVHeads = 2 }, "n_kv_heads")
    }

    /// A copy of the Llama fixture with `edit` applied to its config.json.
    func llamaCopy(_ edit: (inout JSONObject) -> Void) throws -> String {
        let src = LMTestPaths.fixtures + "/hf-llama", dir = temporaryDirectory()
        for n in try TestFiles.list(src) { TestFiles.write(readFileBytes(src + "/" + n)!, to: dir + "/" + n) }
        var o = try TestFiles.json(dir + "/config.json").objectValue!
        edit(&o)
        TestFiles.write(Array(JSONWriter.string(.object(o)).utf8), to: dir + "/config.json")
        return dir
    }

    func testImportRefusesConfigFieldsItCannotHonour() throws {
        func refuses(_ fragment: String, line: UInt = #line, _ edit: (inout JSONObject) -> Void) throws {
            let dir = try llamaCopy(edit)
            XCTAssertThrowsError(try Transformer.load(checkpoint: dir, threads: 1), line: line) {
                XCTAssertTrue("\($0)".contains(fragment), "\($0)", line: line)
            }
        }
        try refuses("'rope_scaling'") { $0["rope_scaling"] = .object(JSONObject([("rope_type", .string("linear")), ("factor", .number("2.0"))])) }
        try refuses("'rope_parameters'") { $0["rope_parameters"] = .object(JSONObject([("rope_type", .string("yarn")), ("rope_theta", .number("500.0"))])) }
        try refuses("'sliding_window'") { $0["sliding_window"] = .int(16) }
        try refuses("'attention_bias'") { $0["attention_bias"] = .bool(true) }
        try refuses("'hidden_act'") { $0["hidden_act"] = .string("gelu") }
        try refuses("'head_dim'") { $0["head_dim"] = .int(8) }
        try refuses("'model_type'") { $0["model_type"] = .string("mistral") }
        try refuses("'quantization_config'") { $0["quantization_config"] = .object(JSONObject([("bits", .int(4))])) }
        // Switched-off features and bookkeeping are fine.
        let ok = try llamaCopy { $0["sliding_window"] = .null; $0["use_sliding_window"] = .bool(false); $0["rope_scaling"] = .null; $0["pretraining_tp"] = .int(2) }
        XCTAssertNoThrow(try Transformer.load(checkpoint: ok, threads: 1))
    }

    func testImportNamesMissingExtraAndMisshapenTensors() throws {
        let model = try Transformer(config: small("gpt2-tiny"))
        model.params.initialize(seed: 1, effectiveLayers: 2)
        let dir = temporaryDirectory()
        try HFExport.write(model, to: dir)
        let f = try SafetensorsFile(path: dir + "/model.safetensors")
        func rewrite(_ edit: (inout [(String, [Int], [Float])]) -> Void) throws {
            var ts = try f.entries.map { ($0.name, $0.shape, try f.floats($0.name)) }
            edit(&ts)
            var w = SafetensorsWriter(); w.metadata = ["format": "pt"]
            for (n, s, v) in ts { w.add(n, shape: s, floats: v) }
            try w.write(to: dir + "/model.safetensors")
        }
        func refuses(_ fragment: String, line: UInt = #line) {
            XCTAssertThrowsError(try Transformer.load(checkpoint: dir, threads: 1), line: line) { XCTAssertTrue("\($0)".contains(fragment), "\($0)", line: line) }
        }
        try rewrite { $0.removeAll { $0.0 == "transformer.h.1.ln_2.bias" } }
        refuses("missing tensor 'transformer.h.1.ln_2.bias'")
        try rewrite { $0.append(("transformer.h.2.ln_1.weight", [24], [Float](repeating: 1, count: 24))) }
        refuses("'transformer.h.2.ln_1.weight' is not a parameter")
        try rewrite { ts in
            // The causal-mask buffer older transformers saved is derived, so it is skipped.
            ts.append(("transformer.h.0.attn.bias", [1, 1, 16, 16], [Float](repeating: 1, count: 256)))
            let i = ts.firstIndex { $0.0 == "transformer.wpe.weight" }!
            ts[i] = ("transformer.wpe.weight", [8, 48], ts[i].2)
        }
        refuses("'transformer.wpe.weight' has shape [8, 48]")
    }

    func testShardIndexProblemsAreErrors() throws {
        let dir = try llamaCopy { _ in }
        var idx = try TestFiles.json(dir + "/model.safetensors.index.json").objectValue!
        var map = idx["weight_map"]!.objectValue!
        let first = map.keys[0]
        map[first] = .string("../elsewhere.safetensors")
        idx["weight_map"] = .object(map)
        TestFiles.write(Array(JSONWriter.string(.object(idx)).utf8), to: dir + "/model.safetensors.index.json")
        XCTAssertThrowsError(try Transformer.load(checkpoint: dir, threads: 1)) { XCTAssertTrue("\($0)".contains("same directory"), "\($0)") }
    }
}

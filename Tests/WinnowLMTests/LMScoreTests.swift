import Foundation
import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowTokenize
@testable import WinnowLM
#if canImport(Glibc)
import Glibc
#endif

/// The `lm_score` stage: bits per byte as `winnow lm eval` counts them, threshold and bucket
/// filtering, cutoff tables, and configuration errors — on a tiny model trained for a few steps
/// on the sample text (its checkpoint made once for the class).
final class LMScoreTests: XCTestCase {
    static let tokenizerPath = LMTestPaths.root + "/samples/tokenizers/winnow-bpe-8k.json.gz"
    static let texts: [String] = SharedCorpora.jsonlTexts(LMTestPaths.root + "/samples/text/web-sample.jsonl.gz").map { String($0.prefix(500)) }
    nonisolated(unsafe) static var directory = ""
    nonisolated(unsafe) static var checkpoint = ""

    override class func setUp() {
        super.setUp()
        var template = Array("/tmp/winnow-lmscore-XXXXXX".utf8CString)
        directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        checkpoint = try! makeCheckpoint(in: directory)
    }

    override class func tearDown() {
        _ = system("rm -rf '\(directory)'")
        super.tearDown()
    }

    /// RoPE/SwiGLU/GQA, vocabulary of the 8k BPE, context 32; 30 AdamW steps on the first 60
    /// sample documents (with <|endoftext|> between them).
    static func makeCheckpoint(in dir: String) throws -> String {
        let tok = try TokenizerLoader.load(path: tokenizerPath)
        let eot = tok.specialTokenID("<|endoftext|>")!
        var bytes: [UInt8] = []
        for t in texts.prefix(60) {
            for id in tok.encode(t) + [eot] { bytes += [UInt8(id & 0xFF), UInt8(id >> 8)] }
        }
        try writeFileAtomically(dir + "/train.bin", bytes)
        let model = ModelConfig(vocabSize: 8192, contextLength: 32, dModel: 32, nLayers: 2, nHeads: 4, nKVHeads: 2, mlpHidden: 64,
                                activation: .swiglu, norm: .rmsnorm, normEps: 1e-5, positions: .rope, ropeTheta: 10_000,
                                tiedEmbeddings: true, bias: false, blockRepeat: 1)
        var opt = OptimizerConfig()
        opt.lr = 1e-2; opt.warmup = 2
        var c = TrainConfig(model: model, optimizer: opt, trainPaths: [dir + "/train.bin"])
        c.format = .nanogpt
        c.batchSize = 4; c.seqLen = 32; c.steps = 30; c.threads = 1; c.seed = 1
        c.outputDir = dir + "/run"
        let t = try Trainer(config: c)
        for _ in 0..<c.steps { _ = try t.runStep() }
        return try t.saveCheckpoint()
    }

    func stage(_ extra: [(String, String)] = []) throws -> LMScoreStage {
        try Self.build([("model", Self.checkpoint), ("tokenizer", Self.tokenizerPath)] + extra)
    }

    /// The stage as a pipeline builds it, through the module's registration line: a value
    /// written `[a, b]` is a list; unknown parameters are errors.
    static func build(_ params: [(String, String)]) throws -> LMScoreStage {
        let m = SourceMark(file: "t.yaml", line: 1, column: 1)
        var entries: [(key: String, keyMark: SourceMark, value: ConfigNode)] = []
        for (k, v) in params {
            if v.hasPrefix("[") {
                let items = v.dropFirst().dropLast().split(separator: ",").map { ConfigNode.scalar($0.trimmingCharacters(in: .whitespaces), m) }
                entries.append((k, m, .sequence(items, m)))
            } else {
                entries.append((k, m, .scalar(v, m)))
            }
        }
        var registry = StageRegistry()
        LMStages.register(into: &registry)
        let stage = try registry.make(name: "lm_score", parameters: .mapping(entries, m), path: "lm_score", mark: m)
        return try XCTUnwrap(stage as? LMScoreStage)
    }

    /// The stage's annotations of `texts`, in order (nil = dropped, with its reason).
    func run(_ s: LMScoreStage, _ texts: [String], languages: [String?] = []) throws -> (docs: [Document], verdicts: [Verdict]) {
        try s.startTask()
        var docs: [Document] = [], verdicts: [Verdict] = []
        for (i, t) in texts.enumerated() {
            var d = Document(id: "\(i)", text: t)
            if i < languages.count, let l = languages[i] { d.metadata["language"] = .string(l) }
            verdicts.append(s.apply(&d))
            docs.append(d)
        }
        return (docs, verdicts)
    }

    func bpb(_ d: Document) -> Double? { d.metadata["lm_bpb"]?.doubleValue }

    /// `winnow lm eval` on a shard holding just the document's ids, in the same windows: the
    /// stage writes the same bits per byte (to its 6 decimals), and the same nats in process.
    func testAnnotationEqualsLMEval() throws {
        let tok = try TokenizerLoader.load(path: Self.tokenizerPath)
        let ckpt = try LMCheckpoint.load(Self.checkpoint)
        var checked = 0
        for text in Self.texts where checked < 3 {
            let ids = tok.encode(text) + [tok.specialTokenID("<|endoftext|>")!]
            // A window length that cuts the document into whole windows (eval reads only whole
            // windows of a stream), at least two of them.
            guard let seq = (8...32).reversed().first(where: { (ids.count - 1) % $0 == 0 && (ids.count - 1) / $0 >= 2 }) else { continue }
            let windows = (ids.count - 1) / seq
            let dir = temporaryDirectory()
            let w = try TokenShardWriter(format: .megatron, path: dir + "/doc", vocabularySize: 8192)
            try w.write(document: ids)
            _ = try w.finish()

            let s = try stage([("seq_len", "\(seq)"), ("eos", "<|endoftext|>")])
            let (docs, verdicts) = try run(s, [text])
            XCTAssertEqual(verdicts, [.keep])
            XCTAssertEqual(docs[0].metadata["lm_tokens"]?.intValue, ids.count)
            let annotated = try XCTUnwrap(bpb(docs[0]))

            let out = try runWinnow(["lm", "eval", Self.checkpoint, dir + "/doc.bin", "--batches", "\(windows)", "--batch-size", "1",
                                     "--seq-len", "\(seq)", "--tokenizer", Self.tokenizerPath, "--threads", "1"])
            let reported = try XCTUnwrap(out.components(separatedBy: "bits/byte ").last.flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }, out)
            XCTAssertEqual(annotated, reported, accuracy: 5e-7 + 1e-9, "seq \(seq), \(ids.count) tokens: \(out)")

            let scorer = try DocumentScorer(model: try ckpt.makeModel(threads: 1), tokenizer: tok, seqLen: seq, eos: "<|endoftext|>")
            let score = try scorer.score(text)
            let r = try evaluate(model: try ckpt.makeModel(threads: 1), stream: try TokenStream(paths: [dir + "/doc.bin"]),
                                 batches: windows, batchSize: 1, seqLen: seq)
            XCTAssertEqual(score.targets, r.targets)
            XCTAssertEqual(score.nats, r.nats, accuracy: 1e-9 * r.nats)
            XCTAssertEqual(score.bytes, r.documentBytes(tok))
            checked += 1
        }
        XCTAssertEqual(checked, 3)
    }

    /// A document longer than the context is read in windows of seq_len: every id but the first
    /// is predicted once, context restarting per window — the sum of per-window forward passes.
    func testLongDocumentsAreScoredInWindows() throws {
        let tok = try TokenizerLoader.load(path: Self.tokenizerPath)
        let ckpt = try LMCheckpoint.load(Self.checkpoint)
        let text = try XCTUnwrap(Self.texts.first { tok.encode($0).count > 100 })
        let scorer = try DocumentScorer(model: try ckpt.makeModel(threads: 1), tokenizer: tok)
        XCTAssertEqual(scorer.seqLen, 32, "the checkpoint's training seq_len")
        let ids = scorer.encode(text)
        let s = try scorer.score(text)
        XCTAssertEqual(s.tokens, ids.count)
        XCTAssertEqual(s.targets, ids.count - 1)
        XCTAssertEqual(s.bytes, text.utf8.count - tok.decodeBytes([ids[0]]).count, "the first token is context only")
        let model = try ckpt.makeModel(threads: 1)
        var nats = 0.0
        for start in stride(from: 0, to: ids.count - 1, by: 32) {
            let w = min(32, ids.count - 1 - start)
            let b = Transformer.Batch(tokens: ids[start..<(start + w)].map { Int32($0) }, targets: ids[(start + 1)...(start + w)].map { Int32($0) },
                                      batch: 1, seq: w)
            let l = try model.forward(b)
            nats += l.crossEntropy * Double(l.targets)
        }
        XCTAssertEqual(s.nats, nats, accuracy: 1e-9 * nats)
        // Threads do not change a score.
        let s2 = try DocumentScorer(model: try ckpt.makeModel(threads: 2), tokenizer: tok).score(text)
        XCTAssertEqual(s2.nats, s.nats, accuracy: 1e-6 * s.nats)
    }

    func testThresholdsDropWithReasons() throws {
        let texts = Array(Self.texts.prefix(20)) + ["", "a"]
        let (plain, kept) = try run(try stage(), texts)
        XCTAssertTrue(kept.allSatisfy { $0 == .keep }, "no thresholds: annotate only")
        XCTAssertNil(bpb(plain[20]), "an empty text has nothing to score")
        XCTAssertEqual(plain[20].metadata["lm_tokens"]?.intValue, 0)
        let values = plain.prefix(20).map { bpb($0)! }
        XCTAssertGreaterThan(Set(values).count, 10, "documents differ")
        let sorted = values.sorted(), hi = sorted[14], lo = sorted[4]

        let chain = StageChain([try stage([("max_bpb", "\(hi)"), ("min_bpb", "\(lo)")])])
        try chain.startTask()
        var outcomes: [String] = []
        for (i, t) in texts.enumerated() {
            var d = Document(id: "\(i)", text: t)
            switch chain.process(&d) {
            case .kept: outcomes.append("keep")
            case .dropped(_, let reason): outcomes.append(reason)
            }
        }
        for (i, v) in values.enumerated() {
            XCTAssertEqual(outcomes[i], v > hi ? "lm_bpb_high" : v < lo ? "lm_bpb_low" : "keep", "document \(i), \(v) bits/byte")
        }
        XCTAssertEqual(outcomes[20], "lm_too_short")
        let drops = chain.stats[0].drops
        XCTAssertEqual(drops["lm_bpb_high"], values.filter { $0 > hi }.count)
        XCTAssertEqual(drops["lm_bpb_low"], values.filter { $0 < lo }.count)
        XCTAssertGreaterThanOrEqual(drops["lm_bpb_high", default: 0] * drops["lm_bpb_low", default: 0], 1, "both thresholds drop")
        XCTAssertEqual(drops["lm_too_short"], outcomes[21] == "lm_too_short" ? 2 : 1)
        XCTAssertEqual(chain.stats[0].docsOut, outcomes.filter { $0 == "keep" }.count)
    }

    /// CCNet's buckets: head below the language's 30th percentile, middle below the 60th, tail
    /// above; languages outside the table are `all`. `keep: [head, middle]` drops the rest.
    func testBucketsFromACutoffTable() throws {
        let texts = Array(Self.texts.prefix(40))
        let langs: [String?] = texts.indices.map { $0 % 8 == 7 ? "fr" : $0 % 2 == 0 ? "en" : "zh" }
        let (plain, _) = try run(try stage(), texts)
        var scores: [String: [Double]] = [:]
        for (d, l) in zip(plain, langs) where l != "fr" { scores[l!, default: []].append(bpb(d)!) }
        let table = LMCutoffTable.compute(scores: scores)
        let csv = temporaryDirectory() + "/cutoff.csv"
        try writeFileAtomically(csv, Array(table.csv.utf8))

        let (docs, verdicts) = try run(try stage([("cutoffs", csv), ("keep", "[head, middle]")]), texts, languages: langs)
        var counts: [String: Int] = [:]
        for i in texts.indices {
            let v = bpb(plain[i])!
            let expected: String
            if let l = langs[i], let head = table.value(language: l, percentile: 30), let tail = table.value(language: l, percentile: 60) {
                expected = v < head ? "head" : v < tail ? "middle" : "tail"
            } else {
                expected = "all"
            }
            XCTAssertEqual(docs[i].metadata["lm_bucket"]?.stringValue, expected, "document \(i)")
            XCTAssertEqual(verdicts[i], ["head", "middle"].contains(expected) ? .keep : .drop("lm_" + expected))
            counts[expected, default: 0] += 1
        }
        // en: 20 documents, zh: 15, fr (not in the table): 5. Head = below the interpolated 30th
        // percentile: 6 of 20 (rank 5.7), 5 of 15 (rank 4.2); below the 60th: 12 and 9.
        XCTAssertEqual(counts, ["head": 6 + 5, "middle": 6 + 4, "tail": 8 + 6, "all": 5])

        // The other percentiles of the same table, and a fixed language for every document.
        let (docs2, _) = try run(try stage([("cutoffs", csv), ("percentiles", "[50, 90]"), ("language", "en")]), texts)
        for i in texts.indices {
            let v = bpb(plain[i])!
            let b = v < table.value(language: "en", percentile: 50)! ? "head" : v < table.value(language: "en", percentile: 90)! ? "middle" : "tail"
            XCTAssertEqual(docs2[i].metadata["lm_bucket"]?.stringValue, b)
        }
    }

    func testCutoffTableParsesCCNetLayoutAndComputesNumpyPercentiles() throws {
        XCTAssertEqual(LMCutoffTable.percentile([1, 2, 3, 4], 50), 2.5)
        XCTAssertEqual(LMCutoffTable.percentile([1, 2, 3, 4], 30), 1.9, accuracy: 1e-12)
        XCTAssertEqual(LMCutoffTable.percentile([1, 2, 3, 4], 0), 1)
        XCTAssertEqual(LMCutoffTable.percentile([1, 2, 3, 4], 100), 4)
        XCTAssertEqual(LMCutoffTable.percentile([7], 60), 7)
        let t = try LMCutoffTable(csv: ",en,zh\r\n0,0.5,0.6\r\n30,340.0,1460.0\r\n60,520.0,1950.0\r\n", file: "cutoff.csv")
        XCTAssertEqual(t.languages, ["en", "zh"])
        XCTAssertEqual(t.value(language: "zh", percentile: 60), 1950)
        XCTAssertNil(t.value(language: "fr", percentile: 30))
        XCTAssertNil(t.value(language: "en", percentile: 50))
        XCTAssertEqual(try LMCutoffTable(csv: t.csv, file: "x"), t)
        let c = LMCutoffTable.compute(scores: ["zh": [3, 1, 2], "en": [1], "de": []])
        XCTAssertEqual(c.languages, ["en", "zh"])
        XCTAssertEqual(c.rows.count, 101)
        XCTAssertEqual(c.value(language: "zh", percentile: 25), 1.5)
        XCTAssertTrue(c.csv.hasPrefix(",en,zh\n0,1,1\n1,1,1.02\n"), c.csv)
        for (text, message) in [("", "empty cutoff table"), (",en\n", "no rows"), ("p\n", "names no language"),
                                (",en,en\n0,1,1\n", "appears twice"), (",en\n0,1,2\n", "cutoff.csv:2: 3 cells"),
                                (",en\n30,x\n", "cutoff.csv:2: 'x' (en) is not a number"), (",en\n101,1\n", "not a percentile"),
                                (",en\n30,1\n30,2\n", "percentile 30 appears twice"), (",\"en\"\n", "quoted")] {
            XCTAssertThrowsError(try LMCutoffTable(csv: text, file: "cutoff.csv"), text) { e in
                XCTAssertTrue("\(e)".contains(message), "\(text): \(e)")
            }
        }
    }

    func testConfigurationMistakesAreClearErrors() throws {
        let dir = temporaryDirectory()
        let csv = dir + "/cutoff.csv"
        try writeFileAtomically(csv, Array(",en\n30,1.5\n60,2.5\n".utf8))
        try writeFileAtomically(dir + "/bad.csv", Array(",en\n30,1.5\n60,oops\n".utf8))
        let cl100k = LMTestPaths.root + "/samples/tokenizers/cl100k_base.tiktoken"
        func error(_ params: [(String, String)]) -> String {
            do { _ = try Self.build(params); return "" } catch { return "\(error)" }
        }
        let base = [("model", Self.checkpoint), ("tokenizer", Self.tokenizerPath)]
        let cases: [([(String, String)], String)] = [
            ([("tokenizer", Self.tokenizerPath)], "give the checkpoint"),
            ([("model", dir + "/nope"), ("tokenizer", Self.tokenizerPath)], "no such checkpoint"),
            ([("model", dir), ("tokenizer", Self.tokenizerPath)], "not a checkpoint"),
            ([("model", Self.checkpoint)], "give the tokenizer"),
            ([("model", Self.checkpoint), ("tokenizer", cl100k)], "not its tokenizer"),
            (base + [("seq_len", "33")], "between 1 and the model's context length 32"),
            (base + [("bos", "<s>")], "'<s>' is not a special token"),
            (base + [("min_bpb", "3"), ("max_bpb", "2")], "min_bpb (3.0) is larger than max_bpb (2.0)"),
            (base + [("keep", "[head]")], "give the cutoff table too"),
            (base + [("cutoffs", csv), ("keep", "[top]")], "unknown bucket 'top'"),
            (base + [("cutoffs", csv), ("percentiles", "[30, 90]")], "no row for percentile 90"),
            (base + [("cutoffs", csv), ("percentiles", "[60, 30]")], "0 ≤ head ≤ tail ≤ 100"),
            (base + [("cutoffs", csv), ("language", "zh")], "no column 'zh'"),
            (base + [("cutoffs", dir + "/bad.csv")], "bad.csv:3: 'oops' (en) is not a number"),
            (base + [("cutoffs", dir + "/missing.csv")], "cannot read the cutoff table"),
            (base + [("max_bpp", "1")], "unknown parameter 'max_bpp'"),
        ]
        for (params, message) in cases {
            let e = error(params)
            XCTAssertTrue(e.contains(message), "\(params): \(e)")
        }
        XCTAssertEqual(error(base + [("cutoffs", csv), ("keep", "[head, middle]"), ("max_bpb", "4"), ("threads", "2")]), "")
        // A training output directory means its newest checkpoint.
        let trainDir = String(Self.checkpoint.dropLast("/checkpoints/step-00000030".count))
        XCTAssertEqual(try LMCheckpoint.load(trainDir).path, Self.checkpoint)
        // So it does for `winnow lm generate` / `eval` (Transformer.load): the same weights.
        let viaDir = try Transformer.load(checkpoint: trainDir, threads: 1), direct = try Transformer.load(checkpoint: Self.checkpoint, threads: 1)
        XCTAssertEqual(viaDir.config, direct.config)
        XCTAssertEqual(viaDir.params.count, direct.params.count)
        XCTAssertTrue(Array(UnsafeBufferPointer(start: viaDir.params.values, count: direct.params.count))
                      == Array(UnsafeBufferPointer(start: direct.params.values, count: direct.params.count)))
        XCTAssertThrowsError(try Transformer.load(checkpoint: temporaryDirectory(), threads: 1))
    }

    /// `winnow lm cutoffs` scores documents as the stage does and writes the table the stage
    /// reads; from the stage's own annotations (no model) it gives the same table.
    func testCutoffsCommand() throws {
        let dir = temporaryDirectory()
        let texts = Array(Self.texts.prefix(24))
        var lines = "", annotated = ""
        let (docs, _) = try run(try stage(), texts)
        var expected: [String: [Double]] = [:]
        for (i, d) in docs.enumerated() {
            let lang = i % 3 == 0 ? "zh" : "en"
            var plain = Document(id: "\(i)", text: texts[i]); plain.metadata["language"] = .string(lang)
            var bytes: [UInt8] = []; plain.writeJSONLine(to: &bytes); lines += String(decoding: bytes, as: UTF8.self)
            var a = d; a.metadata["language"] = .string(lang)
            bytes = []; a.writeJSONLine(to: &bytes); annotated += String(decoding: bytes, as: UTF8.self)
            expected[lang, default: []].append(bpb(d)!)
        }
        try writeFileAtomically(dir + "/docs.jsonl", Array(lines.utf8))
        try writeFileAtomically(dir + "/scored.jsonl", Array(annotated.utf8))
        _ = try runWinnow(["lm", "cutoffs", dir + "/docs.jsonl", "--model", Self.checkpoint, "--tokenizer", Self.tokenizerPath, "-o", dir + "/a.csv"])
        _ = try runWinnow(["lm", "cutoffs", dir + "/scored.jsonl", "-o", dir + "/b.csv"])
        let a = try XCTUnwrap(readTextFile(dir + "/a.csv"))
        XCTAssertEqual(a, LMCutoffTable.compute(scores: expected).csv)
        XCTAssertEqual(readTextFile(dir + "/b.csv"), a)
        XCTAssertNoThrow(try stage([("cutoffs", dir + "/a.csv"), ("keep", "[head]")]))
    }

    /// Generation with a stop id is the free generation cut just after that id's first
    /// occurrence; the CLI prints seeded samples (the same twice) from a training directory and
    /// refuses a stop that is not one token.
    func testGenerateStopsAtTheStopToken() throws {
        let model = try Transformer.load(checkpoint: Self.checkpoint, threads: 1)
        let sampler = Sampler(temperature: 1.0, topK: 50, seed: 5)
        // The fixture's context is 32: 2 prompt ids leave room for 30 (the last is not fed back).
        let free = try Generation.continuation(model: model, prompt: [17, 42], tokens: 100, sampler: sampler).ids
        XCTAssertEqual(free.count, model.config.contextLength - 2)
        guard free.count >= 20 else { return }
        for k in [0, 7, 13, 19] {
            let stop = free[k], first = free.firstIndex(of: stop)!
            let cut = try Generation.continuation(model: model, prompt: [17, 42], tokens: 100, sampler: sampler, stop: stop).ids
            XCTAssertEqual(cut, Array(free[...first]), "stop at \(stop)")
        }
        let trainDir = String(Self.checkpoint.dropLast("/checkpoints/step-00000030".count))
        let args = ["lm", "generate", trainDir, "--tokenizer", Self.tokenizerPath, "--prompt", "The", "--tokens", "20",
                    "--temperature", "1", "--seed", "3", "--samples", "3"]
        let out = try runWinnow(args)
        XCTAssertEqual(out.components(separatedBy: "\n\n").count, 3)
        XCTAssertTrue(out.components(separatedBy: "\n\n").allSatisfy { $0.hasPrefix("The") })
        XCTAssertEqual(try runWinnow(args), out)
        XCTAssertThrowsError(try runWinnowFailing(args + ["--stop", "no such token"]))
    }

    func runWinnowFailing(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestPaths.winnowExecutable)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
        try p.run(); p.waitUntilExit()
        if p.terminationStatus != 0 { throw CocoaError(.featureUnsupported) }
    }

    /// Runs the built `winnow` and returns its output (stdout and stderr); fails on a non-zero exit.
    func runWinnow(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestPaths.winnowExecutable)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe; p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let out = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, "winnow \(args.joined(separator: " ")): \(out)")
        return out
    }
}

import XCTest
import WinnowTestSupport
import WinnowCore
@testable import WinnowLM

func utf8Bytes(_ s: String) -> [Int] { s.utf8.map { Int($0) } }

/// `winnow lm score`'s log-likelihoods: the harness's request handling, checked against a
/// direct forward pass and against transformers' values on the hf-llama fixture.
/// A seeded byte-level model (vocabulary 256) with embeddings scaled up from the init, so
/// log-likelihoods differ clearly between choices.
func byteModel() throws -> Transformer {
    var c = ModelConfig.preset("mobilellm-tiny")!
    c.vocabSize = 256; c.contextLength = 32; c.dModel = 24; c.nLayers = 2; c.mlpHidden = 32
    let m = try Transformer(config: c)
    m.params.initialize(seed: 4, effectiveLayers: 2)
    for p in m.params.infos where p.kind == .embedding { for i in 0..<p.count { m.params.values[p.offset + i] *= 40 } }
    return m
}

final class LoglikelihoodTests: XCTestCase {

    /// Σ log softmax of `tokens[i+1]` over the positions `scored` of one forward pass over tokens minus the last.
    func direct(_ m: Transformer, _ tokens: [Int], scored: Range<Int>) throws -> Double {
        let input = tokens.dropLast().map { Int32($0) }
        try m.forward(Transformer.Batch(tokens: input, targets: input, batch: 1, seq: input.count))
        let V = m.config.vocabSize, L = m.logits!
        var sum = 0.0
        for p in scored {
            let row = L[(p * V)..<((p + 1) * V)].map { Double($0) }
            let mx = row.max()!
            sum += row[tokens[p + 1]] - mx - log(row.reduce(0) { $0 + exp($1 - mx) })
        }
        return sum
    }

    func testTrailingWhitespaceMovesToTheContinuation() {
        let (c, k) = LoglikelihoodScorer.encodePair(context: "Q: 2+2= \u{3000}\u{1C}", continuation: " 4", encode: utf8Bytes)
        XCTAssertEqual(c, utf8Bytes("Q: 2+2="))
        XCTAssertEqual(k, utf8Bytes(" \u{3000}\u{1C} 4"))
        XCTAssertEqual(splitTrailingPythonWhitespace("a\u{200B} ").0, "a\u{200B}", "U+200B is not whitespace to Python")
        // A tokenizer merging across the boundary: the continuation is the whole encoding past the context's length.
        let words: (String) -> [Int] = { s in s.split(separator: " ").map { $0 == "ab" ? 1 : 2 } }
        let (c2, k2) = LoglikelihoodScorer.encodePair(context: "x a", continuation: "b y", encode: words)
        XCTAssertEqual(c2, [2, 2]); XCTAssertEqual(k2, [2])
    }

    func testLogLikelihoodIsTheSumOverTheContinuation() throws {
        let m = try byteModel()
        let s = LoglikelihoodScorer(model: m, encode: utf8Bytes)
        let r = try s.score(context: "The cat sat on the", continuation: " mat")
        let all = utf8Bytes("The cat sat on the mat")
        XCTAssertEqual(r.logLikelihood, try direct(m, all, scored: 17..<21), accuracy: 1e-9)
        XCTAssertEqual([r.contextTokens, r.continuationTokens, r.truncated], [18, 4, 0])
        XCTAssertLessThan(r.logLikelihood, 0)
    }

    func testLongContextsAreCutFromTheLeft() throws {
        let m = try byteModel()
        let s = LoglikelihoodScorer(model: m, encode: utf8Bytes, maxLength: 16)
        let ctx = "a context far longer than sixteen bytes", cont = " end"
        let r = try s.score(context: ctx, continuation: cont)
        let window = Array(utf8Bytes(ctx + cont).suffix(17))
        XCTAssertEqual(r.truncated, utf8Bytes(ctx + cont).count - 17)
        XCTAssertEqual(r.logLikelihood, try direct(m, window, scored: 12..<16), accuracy: 1e-9)
    }

    func testEmptyContextUsesThePrefixToken() throws {
        let m = try byteModel()
        let r = try LoglikelihoodScorer(model: m, encode: utf8Bytes, prefixToken: 10).score(context: "", continuation: "hi")
        XCTAssertEqual(r.logLikelihood, try direct(m, [10] + utf8Bytes("hi"), scored: 0..<2), accuracy: 1e-9)
        XCTAssertThrowsError(try LoglikelihoodScorer(model: m, encode: utf8Bytes).score(context: "", continuation: "hi"))
    }

    func testRequestsTheHarnessRefusesAreErrors() throws {
        let s = LoglikelihoodScorer(model: try byteModel(), encode: utf8Bytes, maxLength: 8)
        XCTAssertThrowsError(try s.score(context: "  ", continuation: "x")) { XCTAssertTrue("\($0)".contains("only whitespace")) }
        XCTAssertThrowsError(try s.score(context: "a", continuation: "")) { XCTAssertTrue("\($0)".contains("no tokens")) }
        XCTAssertThrowsError(try s.score(context: "a", continuation: "123456789")) { XCTAssertTrue("\($0)".contains("longer than max_length 8")) }
    }

    /// transformers' LlamaForCausalLM with the harness procedure (hf_layout_parity.py) on the fixture.
    func testMatchesTransformersOnTheFixture() throws {
        let dir = LMTestPaths.fixtures + "/hf-llama"
        let j = try TestFiles.json(dir + "/expected.json")
        let s = LoglikelihoodScorer(model: try Transformer.load(checkpoint: dir, threads: 1), encode: utf8Bytes,
                                    maxLength: j["score_max_length"]!.intValue!, prefixToken: j["score_prefix_token"]!.intValue!)
        let cases = j["score"]!.arrayValue!
        XCTAssertEqual(cases.count, 5)
        var truncated = 0
        for c in cases {
            let r = try s.score(context: c["context"]!.stringValue!, continuation: c["continuation"]!.stringValue!)
            XCTAssertEqual(r.logLikelihood, c["loglikelihood"]!.doubleValue!, accuracy: 1e-4, "\(c)")
            XCTAssertEqual(r.greedy, c["greedy"]!.boolValue!, "\(c)")
            truncated += r.truncated > 0 ? 1 : 0
        }
        XCTAssertEqual(truncated, 1)
    }
}

final class MultipleChoiceTests: XCTestCase {
    func testAccNormDividesByCharactersAccBytesByBytes() {
        // "a": 1 char, 1 byte; "bbbbbbbb": 8, 8; "ééé": 3 chars, 6 bytes.
        let o = MultipleChoiceOutcome(logLikelihoods: [-2, -6, -3], choices: ["a", "bbbbbbbb", "ééé"])
        XCTAssertEqual([o.pred, o.predNorm, o.predBytes], [0, 1, 2])
    }

    func testTiesGoToTheFirstChoiceAndNaNWins() {
        XCTAssertEqual(MultipleChoiceOutcome(logLikelihoods: [-1, -1, -3], choices: ["x", "y", "z"]).pred, 0)
        XCTAssertEqual(numpyArgmax([-1, .nan, 0]), 1)
    }

    func testStderrIsTheHarnessMeanStderr() {
        let m = MeanWithStderr([1, 0, 1, 1])
        XCTAssertEqual(m.mean, 0.75)
        XCTAssertEqual(m.stderr, 0.25, accuracy: 1e-15)   // sqrt((3·0.0625 + 0.5625) / 3) / 2
        XCTAssertTrue(MeanWithStderr([1]).stderr.isNaN)
    }

    func testRowsParseOrSayWhyNot() {
        XCTAssertEqual(try MultipleChoiceRow.parse(#"{"context":"c","choices":["x","y"],"label":"y"}"#).get().label, 1)
        for (line, why) in [(#"{"context":"c","choices":["x"]}"#, "missing 'label'"), (#"{"choices":["x"],"label":0}"#, "missing 'context'"),
                            (#"{"context":"c","choices":[],"label":0}"#, "non-empty"), (#"{"context":"c","choices":["x",1],"label":0}"#, "strings"),
                            (#"{"context":"c","choices":["x"],"label":1}"#, "out of range"), (#"{"context":"c","choices":["x"],"label":"z"}"#, "not one of"),
                            (#"[1]"#, "not a JSON object"), ("{oops", "not JSON")] {
            guard case .failure(let e) = MultipleChoiceRow.parse(line) else { XCTFail(line); continue }
            XCTAssertTrue(e.message.contains(why), "\(line): \(e.message)")
        }
    }

    /// A tiny file: good rows scored as direct requests, bad rows counted with their lines, a
    /// long context truncated, a blank line skipped.
    func testTinyFile() throws {
        let m = try byteModel()
        let scorer = LoglikelihoodScorer(model: m, encode: utf8Bytes, maxLength: 24)
        var e = MultipleChoiceEvaluation(scorer: scorer)
        let lines = [
            #"{"context":"The sky is","choices":["blue","green","a"],"label":0}"#,
            #"{"context":"no label","choices":["a","b"]}"#,
            #"{"context":"Two plus two is","choices":["four","fish"],"label":"four"}"#,
            "",
            #"{"context":"x","choices":["a","b"],"label":5}"#,
            #"{"context":"a long context that is certainly longer than twenty-four bytes","choices":["ok","no"],"label":1}"#,
            #"{"context":"c","choices":["a continuation far beyond the twenty-four byte window"],"label":0}"#,
        ]
        for (i, l) in lines.enumerated() { e.add(line: i + 1, text: l) }
        XCTAssertEqual(e.scored.map(\.line), [1, 3, 6])
        XCTAssertEqual(e.bad.map(\.line), [2, 5, 7])
        XCTAssertTrue(e.bad[2].reason.contains("choice 0") && e.bad[2].reason.contains("longer than max_length"), e.bad[2].reason)
        XCTAssertEqual(e.truncatedLines, [6])
        var hits: [Double] = [], norm: [Double] = []
        for r in e.scored {
            let lls = try r.row.choices.map { try scorer.score(context: r.row.context, continuation: " " + $0).logLikelihood }
            XCTAssertEqual(r.outcome.logLikelihoods, lls)
            hits.append(numpyArgmax(lls) == r.row.label ? 1 : 0)
            norm.append(numpyArgmax(zip(lls, r.row.choices).map { $0 / Double($1.count) }) == r.row.label ? 1 : 0)
        }
        XCTAssertEqual(e.acc.mean, hits.reduce(0, +) / 3)
        XCTAssertEqual(e.accNorm.mean, norm.reduce(0, +) / 3)
        var fresh = MultipleChoiceEvaluation(scorer: scorer)
        XCTAssertEqual(fresh.add(line: 2, text: lines[1])?.json["error"], .string("missing 'label'"))
        XCTAssertNil(fresh.add(line: 4, text: "  "))
        let good = fresh.add(line: 1, text: lines[0])?.json
        XCTAssertEqual(good?["loglikelihoods"]?.arrayValue?.count, 3)
        XCTAssertEqual(good?["acc"]?.intValue, e.scored[0].outcome.pred == 0 ? 1 : 0)
    }
}

import XCTest
import WinnowTestSupport
import WinnowCore
import WinnowIO
import WinnowPipeline
@testable import WinnowAblation
import WinnowReport

/// Ablations expand into one pipeline where identical steps run once, run like any pipeline,
/// and report documents, tokens and a metric over seeds per variant.
final class AblationTests: XCTestCase {
    static let root = TestPaths.repositoryRoot
    var dir = ""

    override func setUp() { dir = temporaryDirectory() }

    func yaml(extraVariant: String = "") -> String {
        """
        name: abl
        output_dir: \(dir)/run
        steps:
          - name: read
            input: {paths: [\(Self.root)/samples/text/web-sample.jsonl.gz], format: jsonl}
            stages: [text_length_filter: {min: 10}]
          - name: filter
            input: {from: read}
            stages:
              - text_length_filter: {min: 1000, unit: chars}
        target: filter
        seeds: [1, 2]
        variants:
          - name: baseline
          - name: lenient
            set: {filter.text_length_filter.min: 300}
          - name: nofilter
            remove_stages: {filter: [text_length_filter]}
          - name: same
            set: {filter.text_length_filter.min: 1000}
        \(extraVariant)
        tail:
          - name: tokens
            input: {from: filter}
            tokenize: {tokenizer: \(Self.root)/samples/tokenizers/cl100k_base.tiktoken, format: megatron}
        per_seed:
          - name: sample
            input: {from: filter}
            sample: {fraction: 0.5, seed: $seed}
        metric: {step: sample, key: bits_per_byte}
        """
    }

    func testSharedStepsRunOnceAndVariantsGetTheirOwn() throws {
        let spec = try AblationSpec.load(yaml: yaml(), file: dir + "/abl.yaml")
        let plan = try AblationPlan(spec)
        let pipeline = try PipelineLoader().load(yaml: plan.pipelineYAML, file: "abl.yaml")
        let names = pipeline.steps.map(\.name)
        // `read` is the same everywhere; `same` is baseline under another name, so it adds nothing.
        XCTAssertEqual(names.filter { $0 == "read" }.count, 1)
        XCTAssertEqual(Set(names), ["read", "baseline.filter", "lenient.filter", "nofilter.filter",
                                    "baseline.tokens", "lenient.tokens", "nofilter.tokens",
                                    "baseline.sample-s1", "baseline.sample-s2", "lenient.sample-s1", "lenient.sample-s2",
                                    "nofilter.sample-s1", "nofilter.sample-s2"])
        let same = try XCTUnwrap(plan.variants.first { $0.variant == "same" })
        XCTAssertEqual(same.target, "baseline.filter")
        XCTAssertEqual(same.perSeed[2]?["sample"], "baseline.sample-s2")
        XCTAssertEqual(pipeline.step(named: "lenient.tokens")?.input.from, ["lenient.filter"])
        XCTAssertEqual(pipeline.step(named: "nofilter.sample-s2")?.input.from, ["nofilter.filter"])
        // The seed reached the per-seed steps' configuration.
        XCTAssertTrue(plan.pipelineYAML.contains(#""seed":"2""#))
    }

    func testAVariantCanMakeAnAddedStepItsTarget() throws {
        let extra = """
          - name: deduped
            add_steps: [{name: exact, input: {from: filter}, exact_dedup: {}}]
            target: exact
        """
        let plan = try AblationPlan(try AblationSpec.load(yaml: yaml(extraVariant: extra), file: dir + "/abl.yaml"))
        let pipeline = try PipelineLoader().load(yaml: plan.pipelineYAML, file: "abl.yaml")
        let v = try XCTUnwrap(plan.variants.first { $0.variant == "deduped" })
        XCTAssertEqual(v.target, "deduped.exact")
        // Its filter is the baseline's (shared); its tail and per-seed steps read the added step.
        XCTAssertEqual(pipeline.step(named: "deduped.exact")?.input.from, ["baseline.filter"])
        XCTAssertEqual(pipeline.step(named: "deduped.tokens")?.input.from, ["deduped.exact"])
        XCTAssertEqual(pipeline.step(named: "deduped.sample-s1")?.input.from, ["deduped.exact"])
        XCTAssertEqual(pipeline.step(named: "baseline.tokens")?.input.from, ["baseline.filter"])
        XCTAssertThrowsError(try AblationPlan(try AblationSpec.load(
            yaml: yaml(extraVariant: "  - {name: bad, target: nowhere}"), file: dir + "/abl.yaml")))
    }

    func testAblationRunsResumesAndReportsPerVariant() throws {
        let spec = try AblationSpec.load(yaml: yaml(), file: dir + "/abl.yaml")
        let plan = try AblationPlan(spec)
        var pipeline = try PipelineLoader().load(yaml: plan.pipelineYAML, file: "abl.yaml")
        pipeline.outputDir = spec.outputDir
        var o = LocalExecutor.Options()
        o.workers = 0
        o.progress = .none
        let first = try LocalExecutor(spec: pipeline, options: o).run()
        XCTAssertTrue(first.failures.isEmpty)
        // An eval step writes metrics.jsonl; stand in for it with known values per seed.
        let values: [String: [Double]] = ["baseline": [1.50, 1.52], "lenient": [1.40, 1.42], "nofilter": [1.505, 1.525]]
        for v in plan.variants where v.variant != "same" {
            for (seed, steps) in v.perSeed {
                let line = #"{"step":100,"bits_per_byte":\#(values[v.variant]![seed - 1])}"# + "\n"
                let out = try AtomicOutput(path: "\(spec.outputDir)/steps/\(steps["sample"]!)/metrics.jsonl", compression: .none)
                try out.sink.write(Array(line.utf8))
                try out.commit()
            }
        }
        let r = AblationResults(plan: plan, runDirectory: spec.outputDir)
        let row = Dictionary(uniqueKeysWithValues: r.rows.map { ($0.variant, $0) })
        let docs = try ["baseline", "lenient", "nofilter"].map { try XCTUnwrap(row[$0]?.documents) }
        XCTAssertLessThan(docs[0], docs[1])
        XCTAssertLessThan(docs[1], docs[2])
        XCTAssertEqual(row["same"]?.documents, docs[0])
        XCTAssertGreaterThan(try XCTUnwrap(row["baseline"]?.tokens), 1000)
        XCTAssertEqual(try XCTUnwrap(row["baseline"]?.mean), 1.51, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(row["baseline"]?.std), 0.01 * 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(row["lenient"]?.difference), -0.10, accuracy: 1e-12)
        XCTAssertEqual(row["lenient"]?.significant, true)   // 0.10 > 2 × 0.0141
        XCTAssertEqual(row["nofilter"]?.significant, false) // 0.005 < 2 × 0.0141
        XCTAssertEqual(row["lenient"]?.rank, 1)
        XCTAssertTrue(r.render().contains("lenient"))

        // The report shows the results table, the bars with ± std and the seed bands.
        try writeJSON(r.json(plan: plan), to: spec.outputDir + "/ablation.json")
        let html = RunHTMLReport.render(try RunReportData(runDirectory: spec.outputDir))
        XCTAssertTrue(html.contains("id=\"ablation\""))
        XCTAssertTrue(html.contains("1.5100 ± 0.0141"))
        XCTAssertTrue(html.contains("-0.1000"))

        // Rerunning resumes: every task is already done.
        let again = try LocalExecutor(spec: pipeline, options: o).run()
        XCTAssertTrue(again.failures.isEmpty)
        XCTAssertEqual(AblationResults(plan: plan, runDirectory: spec.outputDir).rows.map(\.documents), r.rows.map(\.documents))
    }

    /// Every shipped ablation expands; those that need no trained model load as pipelines too.
    func testShippedAblationsExpand() throws {
        let saved = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(Self.root)
        defer { FileManager.default.changeCurrentDirectoryPath(saved) }
        let files = FileGlob.expand("pipelines/ablations/*.yaml").sorted()
        XCTAssertEqual(files, ["pipelines/ablations/eiw-m2.yaml", "pipelines/ablations/en.yaml", "pipelines/ablations/zh.yaml"])
        for f in files {
            let plan = try AblationPlan(try AblationSpec.load(file: f))
            XCTAssertGreaterThanOrEqual(plan.variants.count, 3, f)
            if f.hasSuffix("eiw-m2.yaml") {
                // Per-variant token steps, and evals that read their variant's own held-out shards.
                XCTAssertTrue(plan.pipelineYAML.contains(#""data":"eiw-16-65k.heldout""#), plan.pipelineYAML)
                XCTAssertTrue(plan.pipelineYAML.contains(#""vocab_size":"65536""#))
                continue   // its compress steps load M1 (out/m1), which a fresh clone does not have
            }
            XCTAssertNoThrow(try PipelineLoader().load(yaml: plan.pipelineYAML, file: f), f)
        }
    }

    func testMistakesAreClearErrors() {
        func error(_ text: String) -> String {
            do { _ = try AblationPlan(AblationSpec.load(yaml: text, file: "a.yaml")); return "" } catch { return "\(error)" }
        }
        let base = "steps: [{name: a, input: {paths: [x.jsonl]}, stages: [text_length_filter: {min: 1}]}]\n"
        XCTAssertTrue(error(base + "variants: [{name: v, remove_stages: {a: [nope]}}]").contains("no stage 'nope'"))
        XCTAssertTrue(error(base + "variants: [{name: v, set: {b.x: 1}}]").contains("no step named 'b'"))
        XCTAssertTrue(error(base + "variants: [{name: v}, {name: v}]").contains("duplicate variant"))
        XCTAssertTrue(error(base + "variants: []").contains("non-empty list"))
        XCTAssertTrue(error(base + "variants: [{name: v}]\nmetric: {step: eval, key: x}").contains("per_seed step"))
        XCTAssertTrue(error(base + "variants: [{name: v}]\ntail: [{name: t, input: {from: zz}}]").contains("reads 'zz'"))
    }
}

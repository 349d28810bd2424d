import XCTest
import WinnowTestSupport
import WinnowSteps
import WinnowCore
import WinnowIO
@testable import WinnowPipeline

final class PipelineTests: XCTestCase {
    static let repoRoot = TestPaths.repositoryRoot


    func readDocs(_ path: String) throws -> [Document] {
        let r = try JSONLReader(path: path)
        var out: [Document] = []
        while let d = try r.next() { out.append(d) }
        XCTAssertTrue(r.damage.isEmpty)
        return out
    }

    func quickstartSpec(outputDir: String) throws -> PipelineSpec {
        let yaml = readTextFile(Self.repoRoot + "/pipelines/quickstart.yaml")!
            .replacingOccurrences(of: "samples/", with: Self.repoRoot + "/samples/")
        var spec = try PipelineLoader().load(yaml: yaml, file: "quickstart.yaml")
        spec.outputDir = outputDir
        return spec
    }

    func testQuickstartEndToEndAndResume() throws {
        let out = temporaryDirectory()
        let spec = try quickstartSpec(outputDir: out)
        let result = try run(spec)
        let step = result.steps[0]
        XCTAssertEqual(step.read.docsIn, 50)
        XCTAssertEqual(step.read.docsOut, 16)
        XCTAssertEqual(step.read.drops, ["skipped_request": 17, "skipped_metadata": 16, "skipped_warcinfo": 1])
        XCTAssertEqual(step.written + step.dropped, 16)
        XCTAssertTrue(step.damage.isEmpty)
        XCTAssertNil(step.warnings.counts["payload_digest_mismatch"], "real CC digests must verify")
        XCTAssertEqual(step.outputs, ["steps/html/00000.jsonl.zst"])
        let docs = try readDocs(out + "/steps/html/00000.jsonl.zst")
        XCTAssertEqual(docs.count, step.written)
        for d in docs {
            XCTAssertEqual(d.metadata["content_type"]?.stringValue, "text/html")
            XCTAssertNotNil(d.metadata["url"]?.stringValue)
            XCTAssertNotNil(d.metadata["date"]?.stringValue)
            XCTAssertTrue(d.id.hasPrefix("<urn:uuid:"))
        }
        let dropped = try readDocs(out + "/steps/html/dropped/00000.jsonl.zst")
        XCTAssertEqual(dropped.count, step.dropped)
        XCTAssertTrue(dropped.allSatisfy { $0.metadata["dropped_by"] != nil && $0.metadata["drop_reason"] != nil })
        // The text step: fastText language ID on real zh/en web text.
        let text = result.steps[1]
        XCTAssertEqual(text.read.docsOut, 180)
        XCTAssertEqual(text.stages[0].name, "langid")
        XCTAssertGreaterThan(text.written, 140)
        for d in try readDocs(out + "/steps/text/00000.jsonl.zst") {
            XCTAssertTrue(["zh", "en"].contains(d.metadata["language"]?.stringValue ?? ""), d.id)
            XCTAssertGreaterThan(d.metadata["language_score"]?.doubleValue ?? 0, 0.65)
        }
        // The Chinese path: zh documents through MAP-CC's rules.
        let zh = result.steps[2]
        XCTAssertEqual(zh.step, "zh")
        XCTAssertEqual(zh.stages.map(\.name), ["langid", "mapcc_filter", "similar_line_dedup"])
        XCTAssertGreaterThan(zh.written, 50)
        for d in try readDocs(out + "/steps/zh/00000.jsonl.zst") { XCTAssertEqual(d.metadata["language"]?.stringValue, "zh") }
        let summary = Summary.render(result, spec: spec)
        XCTAssertTrue(summary.contains("http_status_filter"), summary)
        XCTAssertTrue(summary.contains("skipped_request=17"), summary)
        // A second run finds the task done and reproduces the same totals without reprocessing.
        let again = try run(spec)
        // The fourth step ends the quick start in cl100k token shards.
        XCTAssertEqual(result.steps[3].step, "tokens")
        XCTAssertGreaterThan(result.steps[3].totals.counters["tokens"] ?? 0, 100_000)
        XCTAssertEqual(again.resumedTasks, 4)
        XCTAssertEqual(again.steps[0].json(timing: false), step.json(timing: false))
    }

    func testOutputIndependentOfTaskCount() throws {
        let dir = temporaryDirectory()
        // Two damaged files at indices 1 and 2, so a task-ordered merge would list their damage
        // samples in a different order than a file-ordered one.
        let files = [Self.repoRoot + "/samples/warc/CC-MAIN-2020-34_excerpt_resiliparse-warcfile.warc.gz",
                     Self.repoRoot + "/../shared/data/warc/edge-cases/resiliparse_clipped_truncated.warc.gz",
                     Self.repoRoot + "/../shared/data/warc/edge-cases/warcio_example-trunc.warc",
                     Self.repoRoot + "/../shared/data/warc/other-crawlers/wget_en_sample-0000.warc.gz",
                     Self.repoRoot + "/../shared/data/warc/other-crawlers/wget_en_sample-0001.warc.gz"]
        var outputs: [[[UInt8]]] = []
        var stats: [JSONValue] = []
        for tasks in [1, 2, 3] {
            let yaml = """
            name: t
            steps:
              - name: s
                tasks: \(tasks)
                input: {paths: [\(files.joined(separator: ", "))]}
                stages: [content_type_filter]
            """
            var spec = try PipelineLoader().load(yaml: yaml, file: "t.yaml")
            spec.outputDir = dir + "/t\(tasks)"
            let r = try run(spec)
            outputs.append(try r.steps[0].outputs.map { try bytes(spec.outputDir + "/" + $0) })
            var s = r.steps[0]
            s.outputs = []
            stats.append(s.json(timing: false))
            XCTAssertEqual(s.damage.samples.first?.kind, "gzip_truncated_member")
        }
        XCTAssertEqual(stats[0], stats[1])
        XCTAssertEqual(stats[0], stats[2])
        XCTAssertEqual(outputs[0], outputs[1])
        XCTAssertEqual(outputs[0], outputs[2])
    }

    func run(_ spec: PipelineSpec) throws -> LocalExecutor.Outcome {
        var o = LocalExecutor.Options()
        o.workers = 0
        return try LocalExecutor(spec: spec, options: o).run()
    }

    func bytes(_ path: String) throws -> [UInt8] {
        let src = try openByteSource(path)
        var out: [UInt8] = []
        while let c = try src.next() { out += c.bytes }
        return out
    }

    func testYAMLErrorsNameKeyAndLine() {
        func error(_ yaml: String) -> String {
            do { _ = try PipelineLoader().load(yaml: yaml, file: "p.yaml"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(error("""
        name: x
        steps:
          - name: a
            input: {paths: [a.warc.gz]}
            stages:
              - content_type_filter: {alow: [text/html]}
        """), "p.yaml:6:31: steps[0].stages[0].content_type_filter.alow: unknown parameter 'alow' for stage 'content_type_filter' (did you mean 'allow'?)")
        XCTAssertEqual(error("""
        name: x
        steps:
          - name: a
            inputs: {paths: [a]}
        """), "p.yaml:4:5: steps[0].inputs: unknown key 'inputs' (did you mean 'input'?)")
        XCTAssertTrue(error("""
        steps:
          - input: {paths: [a]}
            stages: [gopher_qualty]
        """).hasPrefix("p.yaml:3:14: steps[0].stages[0].gopher_qualty: unknown stage 'gopher_qualty'"))
        XCTAssertTrue(error("steps:\n  - input: {paths: [a]}\n    tasks: zero\n").contains("p.yaml:3:12: steps[0].tasks: expected an integer"))
        XCTAssertTrue(error("steps: [\n").hasPrefix("p.yaml:"), error("steps: [\n"))
    }

    func testLanguageAndClassifierStages() throws {
        let lid = Self.repoRoot + "/samples/models/lid.176.ftz"
        let input = Self.repoRoot + "/samples/text/web-sample.jsonl.gz"
        let stages = try StageApplier.loadStages(yaml: """
            - langid: {model: \(lid), languages: [en], threshold: 0.65, newlines: remove}
            """, file: "--stages")
        var seen: [Document] = []
        let r = try StageApplier.run(stages: stages, input: try JSONLReader(path: input), keepDropped: true) { seen.append($0) }
        XCTAssertEqual(r.stages[0].docsIn, 180)
        XCTAssertEqual(r.stages[0].docsOut, 30, "the 30 English documents")
        XCTAssertEqual((r.stages[0].drops["language"] ?? 0) + (r.stages[0].drops["language_score"] ?? 0), 150)
        XCTAssertTrue(seen.allSatisfy { $0.metadata["language"] != nil && $0.metadata["language_score"] != nil })

        // A 176-label model as a classifier: P(zh) needs every label's probability.
        let cls = try StageApplier.loadStages(yaml: "[classifier_filter: {model: \(lid), label: zh, threshold: 0.5}]", file: "--stages")
        var kept: [Document] = []
        let c = try StageApplier.run(stages: cls, input: try JSONLReader(path: input), keepDropped: false) { kept.append($0) }
        XCTAssertEqual(c.stages[0].docsOut + (c.stages[0].drops["classifier_score"] ?? 0), 180)
        XCTAssertGreaterThan(c.stages[0].docsOut, 140)
        XCTAssertTrue(kept.allSatisfy { ($0.metadata["zh_prob"]?.doubleValue ?? 0) >= 0.5 })

        func error(_ yaml: String) -> String {
            do { _ = try StageApplier.loadStages(yaml: yaml, file: "s.yaml"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(error("[langid: {model: /nonexistent.ftz}]").hasPrefix("s.yaml:1:18: stages[0].langid.model: /nonexistent.ftz: cannot open"), error("[langid: {model: /nonexistent.ftz}]"))
        XCTAssertTrue(error("[classifier_filter: {model: \(lid), label: hq}]").contains("the model has no label '__label__hq'"))
    }

    func testTextLengthCountsScalarsNotBytes() throws {
        let stages = try StageApplier.loadStages(yaml: "[text_length_filter: {min: 4, unit: chars}]", file: "--stages")
        var zh = Document(id: "1", text: "中文文本")  // 4 scalars, 12 bytes
        var short = Document(id: "2", text: "中文")
        XCTAssertEqual(stages[0].apply(&zh), .keep)
        XCTAssertEqual(stages[0].apply(&short), .drop("too_short"))
    }

    func testApplyKeepsDroppedWithReason() throws {
        let stages = try StageApplier.loadStages(yaml: "[text_length_filter: {min: 5}]", file: "--stages")
        let dir = temporaryDirectory()
        let input = dir + "/in.jsonl"
        let f = fopen(input, "wb")!
        fputs("{\"id\":\"1\",\"text\":\"long enough\"}\n{\"id\":\"2\",\"text\":\"tiny\"}\nnot json\n", f)
        fclose(f)
        var seen: [Document] = []
        let r = try StageApplier.run(stages: stages, input: try JSONLReader(path: input), keepDropped: true) { seen.append($0) }
        XCTAssertEqual(seen.map(\.id), ["1", "2"])
        XCTAssertEqual(seen[1].metadata["dropped_by"], .string("text_length_filter"))
        XCTAssertEqual(seen[1].metadata["drop_reason"], .string("too_short"))
        XCTAssertEqual(r.damage.counts["jsonl_malformed_line"], 1)
        XCTAssertEqual(r.stages[0].drops, ["too_short": 1])
    }
}

/// Every pipeline in pipelines/ loads and validates (stages built, models opened, DAG checked).
final class ShippedPipelinesTests: XCTestCase {
    func testAllPipelinesLoad() throws {
        let root = PipelineTests.repoRoot
        let saved = currentDirectory()
        XCTAssertEqual(chdir(root), 0)
        defer { _ = chdir(saved) }
        let files = FileGlob.expand("pipelines/*.yaml")
        XCTAssertTrue(Set(files).isSuperset(of: ["pipelines/quickstart.yaml", "pipelines/fineweb.yaml", "pipelines/fineweb-zh-en.yaml", "pipelines/map-cc.yaml"]), "\(files)")
        for f in files {
            let spec = try PipelineLoader().load(file: f)
            XCTAssertFalse(spec.steps.isEmpty, f)
            XCTAssertEqual(spec.executionOrder.count, spec.steps.count, f)
        }
    }
}

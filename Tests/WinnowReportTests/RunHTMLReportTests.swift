import XCTest
import WinnowCore
import WinnowIO
import WinnowPipeline
@testable import WinnowReport

/// The HTML report of a real (small) run: every section present, run data escaped, nothing
/// fetched from the network, training curves drawn from metrics.jsonl.
final class RunHTMLReportTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/winnow-report-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw XCTSkip("cannot make a temporary directory") }
        dir = String(cString: made)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Two steps: a filter that drops short documents (one of them carries markup) and a step
    /// reading it; keep_dropped so the report can show samples.
    func makeRun() throws -> String {
        let input = "\(dir)/in.jsonl"
        let w = try JSONLWriter(path: input, compression: Compression.none)
        for i in 0..<12 {
            let text = i % 3 == 0 ? "<script>alert('x')</script> & short \(i)" : String(repeating: "A long enough sentence of text. ", count: 10) + "\(i)"
            var meta = JSONObject()
            meta["url"] = .string("https://example.com/\(i)?a=1&b=<2>")
            try w.write(Document(id: "doc-\(i)", text: text, metadata: meta))
        }
        try w.commit()
        let yaml = """
        name: report-test
        steps:
          - name: filter
            input: {paths: [\(input)], format: jsonl}
            stages: [text_length_filter: {min: 100, unit: chars}]
            output: {keep_dropped: true}
          - name: after
            input: {from: filter}
            stages: [text_length_filter: {min: 1}]
        """
        var spec = try PipelineLoader().load(yaml: yaml, file: "t.yaml")
        spec.outputDir = dir + "/run"
        var o = LocalExecutor.Options()
        o.workers = 0
        o.progress = .none
        _ = try LocalExecutor(spec: spec, options: o).run()
        return spec.outputDir
    }

    func testReportOfARunHasEverySectionAndEscapesRunData() throws {
        let run = try makeRun()
        let data = try RunReportData(runDirectory: run)
        XCTAssertEqual(data.steps.map(\.state.name), ["filter", "after"])
        XCTAssertEqual(data.steps[0].stats?.written, 8)
        XCTAssertEqual(data.steps[0].dropped.count, RunReportData.samplesPerReason, "samples capped per reason")
        XCTAssertEqual(data.steps[0].dropped.first?.reason, "too_short")

        let html = RunHTMLReport.render(data)
        for section in ["id=\"overview\"", "id=\"step-filter\"", "id=\"step-after\"", "aria-label=\"pipeline graph\"",
                        "aria-label=\"document funnel\"", "Drop reasons", "too_short", "text_length_filter"] {
            XCTAssertTrue(html.contains(section), "missing \(section)")
        }
        // The dropped document's markup and URL are shown as text, never as markup.
        XCTAssertFalse(html.contains("<script"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; short 0"))
        XCTAssertTrue(html.contains("https://example.com/0?a=1&amp;b=&lt;2&gt;"))
        // Self-contained: nothing loaded from elsewhere.
        for external in ["src=\"http", "href=\"http", "@import", "url(http", "<link"] {
            XCTAssertFalse(html.contains(external), "external reference \(external)")
        }
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.hasSuffix("</html>\n"))
        // The edge filter → after is drawn.
        XCTAssertEqual(html.components(separatedBy: "class=\"edge\"").count - 1, 1)
    }

    func testTrainingMetricsBecomeLossCurves() throws {
        let run = try makeRun()
        var lines = ""
        for step in 1...1000 {
            lines += "{\"step\":\(step),\"loss\":\(5.0 / Double(step).squareRoot() + 2),\"lr\":0.001"
            lines += step % 100 == 0 ? ",\"val_loss\":\(5.2 / Double(step).squareRoot() + 2)}\n" : "}\n"
        }
        try Array(lines.utf8).withUnsafeBufferPointer { b in
            let out = try AtomicOutput(path: run + "/steps/after/metrics.jsonl", compression: .none)
            try out.sink.write(Array(b))
            try out.commit()
        }
        let data = try RunReportData(runDirectory: run)
        XCTAssertEqual(data.steps[1].metrics.count, 1000)
        let html = RunHTMLReport.render(data)
        XCTAssertTrue(html.contains("train loss"))
        XCTAssertTrue(html.contains("validation loss"))
        XCTAssertTrue(html.contains("last train loss 2.1581 at step 1000"))
        XCTAssertEqual(html.components(separatedBy: "<polyline").count - 1, 2)
    }

    func testNumbersAndEscaping() {
        XCTAssertEqual(Format.int(1234567), "1,234,567")
        XCTAssertEqual(Format.int(-1000), "-1,000")
        XCTAssertEqual(Format.fixed(2.05, 1), "2.1")
        XCTAssertEqual(Format.fixed(-0.25, 2), "-0.25")
        XCTAssertEqual(Format.bytes(1_500_000), "1.5 MB")
        XCTAssertEqual(Format.percent(1, of: 3), "33.3 %")
        XCTAssertEqual(HTML.escape("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&#39;\u{FFFD}")
    }

    func testHistogramUsesLogBinsForWideRanges() {
        let svg = SVGCharts.histogram([1, 10, 100, 1000, 10000], xLabel: "tokens")
        XCTAssertTrue(svg.contains("(log scale)"))
        XCTAssertEqual(svg.components(separatedBy: "class=\"bar\"").count - 1, 5)
    }

    func testMissingRunIsAClearError() {
        XCTAssertThrowsError(try RunReportData(runDirectory: dir + "/nothing")) { e in
            XCTAssertTrue("\(e)".contains("no run here"))
        }
    }
}

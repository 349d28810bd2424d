import WinnowCore
import WinnowPipeline

/// Per variant: documents its target step kept, tokens its tail steps wrote, and the metric
/// over seeds (mean ± sample std), with the difference to the first variant (the baseline) and
/// a significance flag: the difference exceeds twice the pooled seed std.
public struct AblationResults: Sendable {
    public struct Row: Sendable {
        public var variant: String
        public var documents: Int?
        public var tokens: Int?
        public var values: [Int: Double]          // seed → metric
        public var mean: Double?
        public var std: Double?
        public var difference: Double?            // mean − baseline mean
        public var significant: Bool?             // nil: not assessable (one seed, missing values)
        public var rank: Int?
    }

    public var metric: AblationSpec.Metric?
    public var rows: [Row]

    public init(plan: AblationPlan, runDirectory: String) {
        metric = plan.spec.metric
        var rows: [Row] = []
        for v in plan.variants {
            var row = Row(variant: v.variant, values: [:])
            row.documents = Self.stats(runDirectory, v.target)?.totals.written
            let tailNames = Set(plan.spec.tail.compactMap { $0["name"]?.stringValue })
            let tokens = v.names.filter { tailNames.contains($0.local) }.compactMap { Self.stats(runDirectory, $0.merged)?.totals.counters["tokens"] }
            row.tokens = tokens.first
            if let m = metric {
                for (seed, steps) in v.perSeed {
                    if let step = steps[m.step], let value = Self.lastMetric(runDirectory, step, m.key) { row.values[seed] = value }
                }
                let xs = plan.spec.seeds.compactMap { row.values[$0] }
                if !xs.isEmpty {
                    let mean = xs.reduce(0, +) / Double(xs.count)
                    row.mean = mean
                    row.std = xs.count > 1 ? (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count - 1)).squareRoot() : nil
                }
            }
            rows.append(row)
        }
        if let base = rows.first, let bm = base.mean {
            for i in rows.indices.dropFirst() {
                guard let m = rows[i].mean else { continue }
                rows[i].difference = m - bm
                if let s1 = base.std, let s2 = rows[i].std {
                    let pooled = ((s1 * s1 + s2 * s2) / 2).squareRoot()
                    rows[i].significant = abs(m - bm) > 2 * pooled
                }
            }
        }
        let lower = metric?.lowerIsBetter ?? true
        let ranked = rows.indices.filter { rows[$0].mean != nil }.sorted {
            lower ? rows[$0].mean! < rows[$1].mean! : rows[$0].mean! > rows[$1].mean!
        }
        for (r, i) in ranked.enumerated() { rows[i].rank = r + 1 }
        self.rows = rows
    }

    /// A step's merged stats, nil while unfinished.
    static func stats(_ runDirectory: String, _ step: String) -> StepStats? {
        guard let text = readTextFile("\(runDirectory)/steps/\(step)/step-stats.json"),
              let json = try? JSONParser.parse(text) else { return nil }
        let f = FileStats(json: json)
        var s = StepStats(step: step, stageNames: f.stages.map(\.name))
        s.add(f)
        return s
    }

    /// The last value of `key` in `steps/<step>/metrics.jsonl`.
    static func lastMetric(_ runDirectory: String, _ step: String, _ key: String) -> Double? {
        guard let text = readTextFile("\(runDirectory)/steps/\(step)/metrics.jsonl") else { return nil }
        var last: Double?
        for line in text.split(separator: "\n") {
            if let v = (try? JSONParser.parse(String(line)))?[key]?.doubleValue { last = v }
        }
        return last
    }

    public func json(plan: AblationPlan) -> JSONValue {
        var o = JSONObject()
        o["ablation"] = .string(plan.spec.name)
        o["seeds"] = .array(plan.spec.seeds.map { .int($0) })
        if let m = metric {
            o["metric"] = .object(JSONObject([("step", .string(m.step)), ("key", .string(m.key)), ("lower_is_better", .bool(m.lowerIsBetter))]))
        }
        o["variants"] = .array(zip(plan.variants, rows).map { v, r in
            var x = JSONObject()
            x["name"] = .string(r.variant)
            x["target_step"] = .string(v.target)
            x["steps"] = .object(JSONObject(v.names.map { ($0.local, .string($0.merged)) }))
            if let d = r.documents { x["documents"] = .int(d) }
            if let t = r.tokens { x["tokens"] = .int(t) }
            x["values"] = .object(JSONObject(r.values.sorted { $0.key < $1.key }.map { (String($0.key), .double($0.value)) }))
            if let m = r.mean { x["mean"] = .double(m) }
            if let s = r.std { x["std"] = .double(s) }
            if let d = r.difference { x["difference"] = .double(d) }
            if let s = r.significant { x["significant"] = .bool(s) }
            if let k = r.rank { x["rank"] = .int(k) }
            return .object(x)
        })
        return .object(o)
    }

    /// The terminal table.
    public func render() -> String {
        var rows: [[String]] = [["variant", "documents", "tokens"] + (metric.map { ["\($0.key) mean", "± std", "Δ baseline", "beyond 2σ", "rank"] } ?? [])]
        for r in self.rows {
            var cells = [r.variant, r.documents.map(String.init) ?? "-", r.tokens.map(String.init) ?? "-"]
            if metric != nil {
                cells += [r.mean.map { fmt($0) } ?? "-", r.std.map { fmt($0) } ?? "-",
                          r.difference.map { ($0 >= 0 ? "+" : "") + fmt($0) } ?? (r.variant == self.rows.first?.variant ? "baseline" : "-"),
                          r.significant.map { $0 ? "yes" : "no" } ?? "-", r.rank.map(String.init) ?? "-"]
            }
            rows.append(cells)
        }
        return textTable(rows)
    }

    func fmt(_ x: Double) -> String {
        let r = (x * 10000).rounded() / 10000
        return "\(r)"
    }
}

/// Columns padded to their widest cell; numbers right-aligned.
func textTable(_ rows: [[String]]) -> String {
    guard let header = rows.first else { return "" }
    var widths = header.map { $0.unicodeScalars.count }
    for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.unicodeScalars.count) } }
    var out = ""
    for (n, r) in rows.enumerated() {
        var line = " "
        for (i, c) in r.enumerated() {
            let pad = String(repeating: " ", count: widths[i] - c.unicodeScalars.count)
            let numeric = n > 0 && i > 0 && c.first.map { "+-0123456789".contains($0) } == true
            line += " " + (numeric ? pad + c : c + pad)
        }
        while line.hasSuffix(" ") { line.removeLast() }
        out += line + "\n"
    }
    return out
}

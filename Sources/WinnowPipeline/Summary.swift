import WinnowCore
import WinnowSteps

/// The human-readable end-of-run report.
public enum Summary {
    public static func render(_ r: RunOutcome, spec: PipelineSpec) -> String {
        var out = "\nwinnow · \(spec.name) · \(duration(r.seconds))"
        if r.resumedTasks > 0 { out += " · resumed: \(r.resumedTasks) task(s) were already done" }
        out += "\n"
        for s in r.steps { out += renderStep(s) }
        if !r.failures.isEmpty {
            out += "\nFAILED: \(r.failures.count) task(s) did not finish\n"
            for f in r.failures.prefix(10) { out += "  \(f.task): \(f.error)\n" }
            out += "  rerun the same command to resume (finished tasks are kept)\n"
        }
        out += "run directory: \(r.runDirectory)  (run.sqlite, stats.json, steps/, logs/; winnow status \(r.runDirectory))\n"
        return out
    }

    public static func renderStep(_ s: StepStats) -> String {
        var out = "\nstep \(s.step): \(s.files) unit(s), \(mb(s.inputBytes)) MB in\n"
        var rows: [[String]] = [["", "docs in", "docs out", "dropped", "time", "share", "MB/s", "drops by reason"]]
        let total = s.read.nanoseconds + s.stages.reduce(0) { $0 + $1.nanoseconds }
        func share(_ ns: UInt64) -> String { total > 0 ? format1(100 * Double(ns) / Double(total)) + "%" : "-" }
        let readReasons = s.read.drops.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        rows.append(["read", "\(s.read.docsIn)", "\(s.read.docsOut)", "\(s.read.docsIn - s.read.docsOut)",
                     duration(s.read.seconds), share(s.read.nanoseconds),
                     s.read.nanoseconds > 0 ? format1(Double(s.inputBytes) / 1e6 / s.read.seconds) : "-",
                     readReasons.map { "\($0.key)=\($0.value)" }.joined(separator: " ")])
        for st in s.stages {
            let reasons = st.drops.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            rows.append([st.name, "\(st.docsIn)", "\(st.docsOut)", "\(st.docsDropped)", duration(st.seconds), share(st.nanoseconds),
                         st.nanoseconds > 0 ? format1(st.megabytesPerSecond) : "-",
                         reasons.map { "\($0.key)=\($0.value)" }.joined(separator: " ")])
        }
        out += table(rows)
        out += "  written: \(s.written) docs → \(s.outputs.count == 1 ? s.outputs[0] : "\(s.outputs.count) shards in steps/\(s.step)/")\n"
        let c = s.totals.counters
        if let tokens = c["tokens"] {
            let bpt = tokens > 0 && c["text_bytes"] != nil ? " (" + format1(Double(c["text_bytes"]!) / Double(tokens)) + " bytes/token)" : ""
            out += "  tokens: \(tokens) in \(c["documents"] ?? 0) documents\(bpt)\n"
        }
        for (k, v) in c.sorted(by: { $0.key < $1.key }) where !["tokens", "text_bytes", "documents"].contains(k) { out += "  \(k): \(v)\n" }
        out += damageLines("damage (skipped)", s.damage)
        out += damageLines("warnings (kept)", s.warnings)
        return out
    }

    static func damageLines(_ title: String, _ d: DamageReport) -> String {
        if d.isEmpty { return title.hasPrefix("damage") ? "  damage: none\n" : "" }
        var out = "  \(title): " + d.counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "\n"
        for s in d.samples.prefix(3) { out += "    e.g. \(s.kind) at \(s.location): \(s.detail)\n" }
        return out
    }

    static func table(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows[0].count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        var out = ""
        for r in rows {
            var line = "  "
            for (i, c) in r.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                line += (i == 0 || i == r.count - 1) ? c + pad : pad + c
                if i < r.count - 1 { line += "  " }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    static func duration(_ s: Double) -> String {
        if s >= 1 { return format1(s) + " s" }
        if s >= 0.001 { return format1(s * 1000) + " ms" }
        return format1(s * 1e6) + " µs"
    }

    static func mb(_ bytes: Int) -> String { format1(Double(bytes) / 1e6) }

    public static func format1(_ x: Double) -> String {
        let v = (x * 10).rounded() / 10
        if v >= 100 { return String(Int(v.rounded())) }
        let whole = Int(v)
        let frac = Int(((v - Double(whole)) * 10).rounded())
        return "\(whole).\(abs(frac))"
    }
}

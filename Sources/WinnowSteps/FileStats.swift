import WinnowCore

/// What processing one input file produced: reader counters, per-stage counters, documents
/// written, and the damage and warnings met on the way. Stored as JSON next to the output.
public struct FileStats: Sendable, Equatable {
    public var input: String
    public var read: StageStats
    public var stages: [StageStats]
    public var written = 0
    public var dropped = 0
    public var damage = DamageReport()
    public var warnings = DamageReport()
    public var inputBytes = 0
    /// A step kind's own totals (e.g. `tokens`); written only when present, so stats of
    /// steps without them are unchanged.
    public var counters: [String: Int] = [:]

    public init(input: String, stageNames: [String]) {
        self.input = input
        read = StageStats(name: "read")
        stages = stageNames.map { StageStats(name: $0) }
    }

    public func json(timing: Bool = true) -> JSONValue {
        var o = JSONObject()
        o["input"] = .string(input)
        o["input_bytes"] = .int(inputBytes)
        o["read"] = read.json(timing: timing)
        o["stages"] = .array(stages.map { $0.json(timing: timing) })
        o["written"] = .int(written)
        o["dropped"] = .int(dropped)
        o["damage"] = damage.json()
        o["warnings"] = warnings.json()
        if !counters.isEmpty {
            var c = JSONObject()
            for (k, v) in counters.sorted(by: { $0.key < $1.key }) { c[k] = .int(v) }
            o["counters"] = .object(c)
        }
        return .object(o)
    }

    public init(json: JSONValue) {
        let o = json.objectValue ?? JSONObject()
        input = o["input"]?.stringValue ?? ""
        inputBytes = o["input_bytes"]?.intValue ?? 0
        read = StageStats(json: o["read"] ?? .null)
        stages = (o["stages"]?.arrayValue ?? []).map { StageStats(json: $0) }
        written = o["written"]?.intValue ?? 0
        dropped = o["dropped"]?.intValue ?? 0
        damage = DamageReport(json: o["damage"] ?? .null)
        warnings = DamageReport(json: o["warnings"] ?? .null)
        if let c = o["counters"]?.objectValue {
            for k in c.keys { counters[k] = c[k]?.intValue ?? 0 }
        }
    }
}

extension FileStats {
    /// Adds another file's counters (stage lists are aligned by position).
    public mutating func merge(_ f: FileStats) {
        read.merge(f.read)
        for i in stages.indices where i < f.stages.count { stages[i].merge(f.stages[i]) }
        written += f.written
        dropped += f.dropped
        damage.merge(f.damage)
        warnings.merge(f.warnings)
        inputBytes += f.inputBytes
        for (k, v) in f.counters { counters[k, default: 0] += v }
    }
}

/// Totals for a step: the per-file stats merged in input order, plus where the output went.
public struct StepStats: Sendable {
    public var step: String
    public var files = 0
    public var totals: FileStats
    public var outputs: [String] = []

    public init(step: String, stageNames: [String]) {
        self.step = step
        totals = FileStats(input: "", stageNames: stageNames)
    }

    public var read: StageStats { totals.read }
    public var stages: [StageStats] { totals.stages }
    public var written: Int { totals.written }
    public var dropped: Int { totals.dropped }
    public var damage: DamageReport { totals.damage }
    public var warnings: DamageReport { totals.warnings }
    public var inputBytes: Int { totals.inputBytes }

    public mutating func add(_ f: FileStats) {
        files += 1
        totals.merge(f)
    }

    public func json(timing: Bool = true) -> JSONValue {
        var o = JSONObject([("step", .string(step)), ("files", .int(files))])
        for e in totals.json(timing: timing).objectValue! where e.key != "input" { o.append(e.key, e.value) }
        o["outputs"] = .array(outputs.map { .string($0) })
        return .object(o)
    }
}

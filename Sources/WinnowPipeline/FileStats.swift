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
    }
}

/// Totals for a step: the per-file stats merged in input order.
public struct StepStats: Sendable {
    public var step: String
    public var files = 0
    public var read = StageStats(name: "read")
    public var stages: [StageStats]
    public var written = 0
    public var dropped = 0
    public var damage = DamageReport()
    public var warnings = DamageReport()
    public var inputBytes = 0
    public var outputs: [String] = []

    public init(step: String, stageNames: [String]) {
        self.step = step
        stages = stageNames.map { StageStats(name: $0) }
    }

    public mutating func add(_ f: FileStats) {
        files += 1
        read.merge(f.read)
        for i in stages.indices where i < f.stages.count { stages[i].merge(f.stages[i]) }
        written += f.written
        dropped += f.dropped
        damage.merge(f.damage)
        warnings.merge(f.warnings)
        inputBytes += f.inputBytes
    }

    public func json(timing: Bool = true) -> JSONValue {
        var o = JSONObject()
        o["step"] = .string(step)
        o["files"] = .int(files)
        o["input_bytes"] = .int(inputBytes)
        o["read"] = read.json(timing: timing)
        o["stages"] = .array(stages.map { $0.json(timing: timing) })
        o["written"] = .int(written)
        o["dropped"] = .int(dropped)
        o["damage"] = damage.json()
        o["warnings"] = warnings.json()
        o["outputs"] = .array(outputs.map { .string($0) })
        return .object(o)
    }
}

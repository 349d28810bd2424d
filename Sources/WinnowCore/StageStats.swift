/// Counters for one stage (or one reader/writer) over one task; merged across tasks.
public struct StageStats: Equatable, Sendable {
    public var name: String
    public var docsIn = 0
    public var docsOut = 0
    public var bytesIn = 0
    public var bytesOut = 0
    public var drops: [String: Int] = [:]
    public var nanoseconds: UInt64 = 0

    public init(name: String) { self.name = name }

    public var docsDropped: Int { docsIn - docsOut }
    public var seconds: Double { Double(nanoseconds) / 1e9 }
    /// Throughput over the bytes the stage saw.
    public var megabytesPerSecond: Double { nanoseconds == 0 ? 0 : Double(bytesIn) / 1e6 / seconds }

    public mutating func merge(_ o: StageStats) {
        docsIn += o.docsIn; docsOut += o.docsOut
        bytesIn += o.bytesIn; bytesOut += o.bytesOut
        nanoseconds += o.nanoseconds
        for (k, v) in o.drops { drops[k, default: 0] += v }
    }

    /// Deterministic JSON (drop reasons sorted). `timing: false` omits wall time so that stats
    /// of two runs can be compared for equality.
    public func json(timing: Bool = true) -> JSONValue {
        var o = JSONObject()
        o["name"] = .string(name)
        o["docs_in"] = .int(docsIn)
        o["docs_out"] = .int(docsOut)
        o["bytes_in"] = .int(bytesIn)
        o["bytes_out"] = .int(bytesOut)
        o["drops"] = .object(JSONObject(drops.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int($0.value)) }))
        if timing { o["seconds"] = .double((seconds * 1e6).rounded() / 1e6) }
        return .object(o)
    }

    public init(json: JSONValue) {
        let o = json.objectValue ?? JSONObject()
        name = o["name"]?.stringValue ?? ""
        docsIn = o["docs_in"]?.intValue ?? 0
        docsOut = o["docs_out"]?.intValue ?? 0
        bytesIn = o["bytes_in"]?.intValue ?? 0
        bytesOut = o["bytes_out"]?.intValue ?? 0
        for (k, v) in o["drops"]?.objectValue ?? JSONObject() { drops[k] = v.intValue ?? 0 }
        nanoseconds = UInt64(max(0, (o["seconds"]?.doubleValue ?? 0) * 1e9))
    }
}

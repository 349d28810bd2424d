/// Bad input that was skipped: counted per kind, with the first few locations kept verbatim so
/// the run's summary can say where. Readers never stop on damage; they report it here.
public struct DamageReport: Sendable, Equatable {
    public struct Sample: Sendable, Equatable {
        public let kind: String
        public let location: String
        public let detail: String
    }

    public private(set) var counts: [String: Int] = [:]
    public private(set) var samples: [Sample] = []
    public static let maxSamples = 20

    public init() {}

    public var total: Int { counts.values.reduce(0, +) }
    public var isEmpty: Bool { counts.isEmpty }

    public mutating func record(_ kind: String, at location: String, _ detail: String) {
        counts[kind, default: 0] += 1
        if samples.count < Self.maxSamples { samples.append(Sample(kind: kind, location: location, detail: detail)) }
    }

    public mutating func merge(_ o: DamageReport) {
        for (k, v) in o.counts { counts[k, default: 0] += v }
        for s in o.samples where samples.count < Self.maxSamples { samples.append(s) }
    }

    public func json() -> JSONValue {
        var o = JSONObject()
        o["counts"] = .object(JSONObject(counts.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int($0.value)) }))
        o["samples"] = .array(samples.map {
            .object(JSONObject([("kind", .string($0.kind)), ("location", .string($0.location)), ("detail", .string($0.detail))]))
        })
        return .object(o)
    }

    public init(json: JSONValue) {
        let o = json.objectValue ?? JSONObject()
        for (k, v) in o["counts"]?.objectValue ?? JSONObject() { counts[k] = v.intValue ?? 0 }
        for s in o["samples"]?.arrayValue ?? [] {
            let so = s.objectValue ?? JSONObject()
            samples.append(Sample(kind: so["kind"]?.stringValue ?? "", location: so["location"]?.stringValue ?? "",
                                  detail: so["detail"]?.stringValue ?? ""))
        }
    }
}

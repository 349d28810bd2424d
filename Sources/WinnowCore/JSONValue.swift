/// A JSON value that round-trips exactly: object key order is kept and numbers keep their
/// literal text, so `0.10`, `1e3` and 20-digit integers come back byte for byte.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's literal as it appeared in the input (or as formatted when built from Swift).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public static func int<I: BinaryInteger>(_ v: I) -> JSONValue { .number(String(v)) }

    /// Non-finite doubles have no JSON form; they become `null` like Python's `json` with allow_nan=False would refuse.
    public static func double(_ v: Double) -> JSONValue {
        guard v.isFinite else { return .null }
        if v == v.rounded(), abs(v) < 1e15 { return .number(String(Int64(v)) + ".0") }
        return .number(String(v))
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var doubleValue: Double? { if case .number(let n) = self { return Double(n) } else { return nil } }
    public var intValue: Int? {
        guard case .number(let n) = self else { return nil }
        if let i = Int(n) { return i }
        if let d = Double(n), d == d.rounded(), abs(d) < 9e18 { return Int(d) }
        return nil
    }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
    /// The member `key` of an object (nil for anything else).
    public subscript(key: String) -> JSONValue? { objectValue?[key] }
}

/// An ordered JSON object. Lookups are linear: metadata objects hold a handful of keys, and a
/// dictionary would lose the order that exact round-tripping needs.
public struct JSONObject: Equatable, Sendable, Sequence {
    public private(set) var entries: [(key: String, value: JSONValue)]

    public init() { entries = [] }
    public init(_ entries: [(String, JSONValue)]) { self.entries = entries.map { (key: $0.0, value: $0.1) } }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> JSONValue? {
        get { entries.first(where: { $0.key == key })?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key: key, value: newValue))
            }
        }
    }

    /// Appends without checking for an existing key (the parser keeps duplicates as they came).
    public mutating func append(_ key: String, _ value: JSONValue) { entries.append((key: key, value: value)) }
    public mutating func remove(_ key: String) { entries.removeAll { $0.key == key } }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { entries.makeIterator() }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

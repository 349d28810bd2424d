/// Where a configuration value came from, for error messages (`file:line:column`).
public struct SourceMark: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { line > 0 ? "\(file):\(line):\(column)" : file }
}

/// A configuration tree (parsed YAML or JSON) that remembers where each value was written.
public indirect enum ConfigNode: Sendable {
    case scalar(String, SourceMark)
    case sequence([ConfigNode], SourceMark)
    /// Keys keep their order and their own marks.
    case mapping([(key: String, keyMark: SourceMark, value: ConfigNode)], SourceMark)
    case null(SourceMark)

    public var mark: SourceMark {
        switch self {
        case .scalar(_, let m), .sequence(_, let m), .mapping(_, let m), .null(let m): return m
        }
    }

    public var kindName: String {
        switch self {
        case .scalar: return "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .null: return "null"
        }
    }

    public subscript(key: String) -> ConfigNode? {
        guard case .mapping(let entries, _) = self else { return nil }
        return entries.first(where: { $0.key == key })?.value
    }
}

/// A configuration problem, located in the source file and named by its path (`steps[0].stages[1].x`).
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let mark: SourceMark
    public let path: String
    public let message: String
    public init(_ message: String, at mark: SourceMark, path: String) {
        self.mark = mark; self.path = path; self.message = message
    }
    public var description: String { "\(mark): \(path): \(message)" }
}

/// Typed, strict access to one configuration mapping: a stage's parameters or a section of a
/// pipeline file. Every read marks the key as used, and `finish()` rejects keys nobody read (or
/// `expectOnly` rejects unknown keys up front), so a misspelt key is an error with a suggestion
/// instead of a silent default.
public struct ConfigMap {
    /// What the mapping configures, for messages: "stage 'gopher_quality'", or nil for a plain
    /// section (then unknown entries are "keys", not "parameters").
    public let owner: String?
    public let path: String
    public let mark: SourceMark
    private let entries: [(key: String, keyMark: SourceMark, value: ConfigNode)]
    private var used: Set<String> = []

    public init(_ node: ConfigNode?, path: String, mark: SourceMark, owner: String? = nil) throws(ConfigError) {
        self.owner = owner
        self.path = path
        self.mark = node?.mark ?? mark
        switch node {
        case nil, .null?: entries = []
        case .mapping(let e, _)?: entries = e
        case let other?:
            throw ConfigError("\(owner.map { "parameters of \($0)" } ?? "this") must be a mapping, found \(other.kindName)",
                              at: other.mark, path: path.isEmpty ? "(root)" : path)
        }
    }

    public init(stageName: String, node: ConfigNode?, path: String, mark: SourceMark) throws(ConfigError) {
        try self.init(node, path: path, mark: mark, owner: "stage '\(stageName)'")
    }

    public static func empty(_ stageName: String) -> ConfigMap {
        try! ConfigMap(stageName: stageName, node: nil, path: stageName, mark: SourceMark(file: "<default>", line: 0, column: 0))
    }

    private func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func unknown(_ key: String, candidates: [String], mark: SourceMark) -> ConfigError {
        var msg = owner.map { "unknown parameter '\(key)' for \($0)" } ?? "unknown key '\(key)'"
        if let s = closest(key, in: candidates) { msg += " (did you mean '\(s)'?)" }
        else if !candidates.isEmpty { msg += "; expected one of \(candidates.joined(separator: ", "))" }
        return ConfigError(msg, at: mark, path: keyPath(key))
    }

    /// Rejects, before anything is read, keys outside `allowed`.
    public func expectOnly(_ allowed: [String]) throws(ConfigError) {
        for e in entries where !allowed.contains(e.key) { throw unknown(e.key, candidates: allowed, mark: e.keyMark) }
    }

    public func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// The value under `key`; an explicit null reads as absent.
    public mutating func node(_ key: String) -> ConfigNode? {
        used.insert(key)
        let v = entries.first(where: { $0.key == key })?.value
        if case .null? = v { return nil }
        return v
    }

    public func error(_ key: String, _ message: String) -> ConfigError {
        let m = entries.first(where: { $0.key == key })?.value.mark ?? mark
        return ConfigError(message, at: m, path: keyPath(key))
    }

    private mutating func scalar(_ key: String) throws(ConfigError) -> String? {
        guard let n = node(key) else { return nil }
        guard case .scalar(let s, _) = n else { throw error(key, "expected a single value, found \(n.kindName)") }
        return s
    }

    public mutating func string(_ key: String, default d: String) throws(ConfigError) -> String {
        try string(key) ?? d
    }

    public mutating func string(_ key: String) throws(ConfigError) -> String? { try scalar(key) }

    public mutating func int(_ key: String, default d: Int) throws(ConfigError) -> Int {
        guard let s = try scalar(key) else { return d }
        guard let v = Int(s.replacingUnderscores()) else { throw error(key, "expected an integer, found '\(s)'") }
        return v
    }

    public mutating func double(_ key: String, default d: Double) throws(ConfigError) -> Double {
        guard let s = try scalar(key) else { return d }
        guard let v = Double(s.replacingUnderscores()) else { throw error(key, "expected a number, found '\(s)'") }
        return v
    }

    public mutating func optionalDouble(_ key: String) throws(ConfigError) -> Double? {
        guard let s = try scalar(key) else { return nil }
        guard let v = Double(s.replacingUnderscores()) else { throw error(key, "expected a number, found '\(s)'") }
        return v
    }

    public mutating func bool(_ key: String, default d: Bool) throws(ConfigError) -> Bool {
        guard let s = try scalar(key) else { return d }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(key, "expected true or false, found '\(s)'")
        }
    }

    /// A list of strings; a single scalar is accepted as a one-element list.
    public mutating func strings(_ key: String, default d: [String]) throws(ConfigError) -> [String] {
        guard let n = node(key) else { return d }
        switch n {
        case .scalar(let s, _): return [s]
        case .sequence(let items, _):
            var out: [String] = []
            for (i, item) in items.enumerated() {
                guard case .scalar(let s, _) = item else {
                    throw ConfigError("expected a string, found \(item.kindName)", at: item.mark, path: "\(keyPath(key))[\(i)]")
                }
                out.append(s)
            }
            return out
        default: throw error(key, "expected a list of strings, found \(n.kindName)")
        }
    }

    /// One of a fixed set of values.
    public mutating func choice(_ key: String, _ allowed: [String], default d: String) throws(ConfigError) -> String {
        let v = try string(key, default: d)
        guard allowed.contains(v) else {
            throw error(key, "must be one of \(allowed.joined(separator: ", ")), found '\(v)'")
        }
        return v
    }

    /// Rejects keys nobody read, suggesting the closest key that was read.
    public func finish() throws(ConfigError) {
        for e in entries where !used.contains(e.key) { throw unknown(e.key, candidates: used.sorted(), mark: e.keyMark) }
    }
}

/// Stage authors read their parameters through a `ConfigMap`.
public typealias StageParameters = ConfigMap

extension String {
    fileprivate func replacingUnderscores() -> String { contains("_") ? String(filter { $0 != "_" }) : self }
}

/// The candidate within edit distance 2 of `word`, if any (for "did you mean" hints).
public func closest(_ word: String, in candidates: [String]) -> String? {
    var best: (String, Int)?
    for c in candidates {
        let d = editDistance(Array(word.utf8), Array(c.utf8))
        if d <= 2, d < (best?.1 ?? Int.max) { best = (c, d) }
    }
    return best?.0
}

func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    var prev = Array(0...b.count)
    var cur = prev
    for i in 1...a.count {
        cur[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}

extension ConfigNode {
    /// The tree as JSON, without source marks (scalars stay strings): a canonical form for
    /// hashing a configuration, unaffected by comments, quoting or layout.
    public var json: JSONValue {
        switch self {
        case .scalar(let s, _): return .string(s)
        case .null: return .null
        case .sequence(let items, _): return .array(items.map(\.json))
        case .mapping(let entries, _):
            var o = JSONObject()
            for e in entries { o.append(e.key, e.value.json) }
            return .object(o)
        }
    }
}

extension ConfigMap {
    /// A byte size: a number with an optional unit (`64MB`, `256 MiB`, `1G`, `4096`).
    public mutating func byteSize(_ key: String, default d: Int) throws(ConfigError) -> Int {
        guard let s = try string(key) else { return d }
        guard let v = parseByteSize(s) else {
            throw error(key, "expected a size such as 4096, 64MB or 1GiB, found '\(s)'")
        }
        return v
    }
}

/// Parses `64MB`, `256MiB`, `1G`, `4096` (decimal units; `i` makes them binary).
public func parseByteSize(_ text: String) -> Int? {
    let s = text.filter { $0 != " " && $0 != "_" }.uppercased()
    var digits = ""
    var rest = Substring(s)
    while let c = rest.first, c.isNumber || c == "." { digits.append(c); rest = rest.dropFirst() }
    guard let value = Double(digits), value >= 0 else { return nil }
    var unit = String(rest)
    if unit.hasSuffix("B") { unit.removeLast() }
    let binary = unit.hasSuffix("I")
    if binary { unit.removeLast() }
    let powers = ["": 0, "K": 1, "M": 2, "G": 3, "T": 4]
    guard let p = powers[unit], !(binary && p == 0) else { return nil }
    var m = 1.0
    for _ in 0..<p { m *= binary ? 1024 : 1000 }
    return Int(value * m)
}

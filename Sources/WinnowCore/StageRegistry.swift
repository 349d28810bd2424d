/// How to build a stage from its YAML parameters, plus a one-line summary for `winnow stages`.
public struct StageFactory: Sendable {
    public let name: String
    public let summary: String
    public let make: @Sendable (inout StageParameters) throws -> any Stage

    public init(name: String, summary: String, make: @escaping @Sendable (inout StageParameters) throws -> any Stage) {
        self.name = name; self.summary = summary; self.make = make
    }
}

/// Stage factories keyed by their YAML name. Each module contributes its own stages.
public struct StageRegistry: Sendable {
    public private(set) var factories: [String: StageFactory] = [:]

    public init() {}

    public mutating func register(_ f: StageFactory) {
        precondition(factories[f.name] == nil, "stage '\(f.name)' registered twice")
        factories[f.name] = f
    }

    public var names: [String] { factories.keys.sorted() }

    /// Builds a stage; unknown names and unused parameters are errors located in the YAML.
    public func make(name: String, parameters: ConfigNode?, path: String, mark: SourceMark) throws -> any Stage {
        guard let f = factories[name] else {
            var msg = "unknown stage '\(name)'"
            if let s = closest(name, in: names) { msg += " (did you mean '\(s)'?)" }
            else { msg += "; known stages: \(names.joined(separator: ", "))" }
            throw ConfigError(msg, at: mark, path: path)
        }
        var params = try StageParameters(stageName: name, node: parameters, path: path, mark: mark)
        let stage = try f.make(&params)
        try params.finish()
        return stage
    }
}

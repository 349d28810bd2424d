import WinnowCore
import Yams

/// Reads YAML into a `ConfigNode` tree that keeps line/column marks for error messages.
public enum YAMLConfig {
    public static func parse(_ text: String, file: String) throws -> ConfigNode {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw ConfigError(describe(e), at: mark(of: e, file: file), path: "(yaml)")
        }
        guard let node else { return .null(SourceMark(file: file, line: 1, column: 1)) }
        var budget = maxNodes
        return try convert(node, file: file, budget: &budget)
    }

    /// Aliases share nodes, so a few lines can stand for billions of them ("billion laughs");
    /// a pipeline never needs more than this many after expansion.
    public static let maxNodes = 100_000

    private static func convert(_ n: Node, file: String, budget: inout Int) throws -> ConfigNode {
        budget -= 1
        if budget < 0 {
            throw ConfigError("the YAML expands to more than \(maxNodes) nodes once aliases are resolved (an alias bomb?)",
                              at: SourceMark(file: file, line: n.mark?.line ?? 0, column: n.mark?.column ?? 0), path: "(yaml)")
        }
        let m = SourceMark(file: file, line: n.mark?.line ?? 0, column: n.mark?.column ?? 0)
        switch n {
        case .scalar(let s):
            if s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string) { return .null(m) }
            return .scalar(s.string, m)
        case .sequence(let seq):
            return .sequence(try seq.map { try convert($0, file: file, budget: &budget) }, m)
        case .mapping(let map):
            return .mapping(try map.map { pair in
                let km = SourceMark(file: file, line: pair.key.mark?.line ?? 0, column: pair.key.mark?.column ?? 0)
                return (key: pair.key.string ?? "\(pair.key)", keyMark: km, value: try convert(pair.value, file: file, budget: &budget))
            }, m)
        case .alias:
            return .null(m)
        }
    }

    private static func mark(of e: YamlError, file: String) -> SourceMark {
        switch e {
        case .scanner(_, _, let m, _), .parser(_, _, let m, _), .composer(_, _, let m, _):
            return SourceMark(file: file, line: m.line, column: m.column)
        default:
            return SourceMark(file: file, line: 0, column: 0)
        }
    }

    private static func describe(_ e: YamlError) -> String {
        switch e {
        case .scanner(let c, let p, _, _), .parser(let c, let p, _, _), .composer(let c, let p, _, _):
            return "invalid YAML: " + (c.map { "\($0.text) " } ?? "") + p
        default:
            return "invalid YAML: \(e)"
        }
    }
}

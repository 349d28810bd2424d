import WinnowCore

/// A stage built as a pipeline builds it, from `key: value` parameters (none: the defaults).
public func makeStage<S: Stage>(_ make: (inout StageParameters) throws -> S, _ parameters: [(String, String)] = []) throws -> S {
    var entries: [(key: String, keyMark: SourceMark, value: ConfigNode)] = []
    let m = SourceMark(file: "t", line: 1, column: 1)
    for (k, v) in parameters { entries.append((k, m, .scalar(v, m))) }
    var p = try StageParameters(stageName: "t", node: entries.isEmpty ? nil : .mapping(entries, m), path: "t", mark: m)
    return try make(&p)
}

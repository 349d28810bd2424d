import WinnowCore
import WinnowIO
#if canImport(Glibc)
import Glibc
#endif

/// Turns a YAML file into a validated `PipelineSpec`: every key is checked, every stage is
/// built once so unknown stages and bad parameters fail before any work starts.
public struct PipelineLoader {
    public let registry: StageRegistry

    public init(registry: StageRegistry = Stages.registry) { self.registry = registry }

    public func load(file: String) throws -> PipelineSpec {
        guard let text = readTextFile(file) else {
            throw ConfigError("cannot read pipeline file", at: SourceMark(file: file, line: 0, column: 0), path: "(file)")
        }
        return try load(yaml: text, file: file)
    }

    public func load(yaml: String, file: String) throws -> PipelineSpec {
        let root = try YAMLConfig.parse(yaml, file: file)
        guard case .mapping = root else { throw ConfigError("a pipeline must be a mapping", at: root.mark, path: "(root)") }
        var top = try Keys(root, path: "", allowed: ["name", "output_dir", "steps"])
        let name = try top.string("name") ?? baseName(file)
        guard isSafeName(name) else { throw ConfigError("name must be letters, digits, '-', '_' or '.'", at: root["name"]!.mark, path: "name") }
        let outputDir = try top.string("output_dir") ?? "out/\(name)"
        guard case .sequence(let stepNodes, let stepsMark)? = top.node("steps") else {
            throw ConfigError("'steps' must be a list of steps", at: root["steps"]?.mark ?? root.mark, path: "steps")
        }
        guard !stepNodes.isEmpty else { throw ConfigError("'steps' is empty", at: stepsMark, path: "steps") }
        var steps: [StepSpec] = []
        for (i, node) in stepNodes.enumerated() {
            let step = try loadStep(node, path: "steps[\(i)]")
            if steps.contains(where: { $0.name == step.name }) {
                throw ConfigError("duplicate step name '\(step.name)'", at: node.mark, path: "steps[\(i)].name")
            }
            steps.append(step)
        }
        return PipelineSpec(name: name, outputDir: outputDir, steps: steps, file: file)
    }

    private func loadStep(_ node: ConfigNode, path: String) throws -> StepSpec {
        var k = try Keys(node, path: path, allowed: ["name", "input", "tasks", "stages", "output"])
        let name = try k.string("name") ?? "step\(path.filter(\.isNumber))"
        guard isSafeName(name) else { throw ConfigError("step names must be letters, digits, '-', '_' or '.'", at: node.mark, path: "\(path).name") }
        let tasks = try k.int("tasks") ?? 1
        guard tasks >= 1 else { throw ConfigError("tasks must be at least 1", at: node["tasks"]!.mark, path: "\(path).tasks") }
        guard let inputNode = k.node("input") else { throw ConfigError("missing 'input'", at: node.mark, path: path) }
        let input = try loadInput(inputNode, path: "\(path).input")
        var stages: [StageSpec] = []
        switch k.node("stages") {
        case nil, .null?: break
        case .sequence(let items, _)?:
            for (j, item) in items.enumerated() { stages.append(try loadStage(item, path: "\(path).stages[\(j)]")) }
        case let other?: throw ConfigError("'stages' must be a list", at: other.mark, path: "\(path).stages")
        }
        var output = OutputSpec()
        if let o = k.node("output") {
            var ok = try Keys(o, path: "\(path).output", allowed: ["format", "compression", "keep_dropped"])
            if let f = try ok.string("format"), f != "jsonl" {
                throw ConfigError("only 'jsonl' output is supported", at: o["format"]!.mark, path: "\(path).output.format")
            }
            if let c = try ok.string("compression") {
                guard let comp = Compression(rawValue: c) else {
                    throw ConfigError("compression must be none, gzip or zstd", at: o["compression"]!.mark, path: "\(path).output.compression")
                }
                output.compression = comp
            }
            output.keepDropped = try ok.bool("keep_dropped") ?? false
        }
        return StepSpec(name: name, input: input, tasks: tasks, stages: stages, output: output, mark: node.mark)
    }

    private func loadInput(_ node: ConfigNode, path: String) throws -> InputSpec {
        var k = try Keys(node, path: path, allowed: ["paths", "format", "record_types", "verify_digests"])
        let paths = try k.strings("paths")
        guard !paths.isEmpty else { throw ConfigError("'paths' lists no files", at: node.mark, path: "\(path).paths") }
        var spec = InputSpec(paths: paths, format: nil, mark: node.mark)
        if let f = try k.string("format") {
            guard let fmt = InputFormat(rawValue: f) else {
                throw ConfigError("format must be one of \(InputFormat.allCases.map(\.rawValue).joined(separator: ", "))",
                                  at: node["format"]!.mark, path: "\(path).format")
            }
            spec.format = fmt
        }
        let types = try k.strings("record_types")
        if !types.isEmpty { spec.warc.recordTypes = Set(types) }
        spec.warc.verifyDigests = try k.bool("verify_digests") ?? false
        return spec
    }

    /// A stage is `name` or `{name: {params}}`.
    private func loadStage(_ node: ConfigNode, path: String) throws -> StageSpec {
        let spec: StageSpec
        switch node {
        case .scalar(let name, let m):
            spec = StageSpec(name: name, parameters: nil, path: "\(path).\(name)", mark: m)
        case .mapping(let entries, _) where entries.count == 1:
            let e = entries[0]
            spec = StageSpec(name: e.key, parameters: e.value, path: "\(path).\(e.key)", mark: e.keyMark)
        default:
            throw ConfigError("a stage is written 'name' or 'name: {parameters}'", at: node.mark, path: path)
        }
        _ = try registry.make(name: spec.name, parameters: spec.parameters, path: spec.path, mark: spec.mark)
        return spec
    }

    /// Builds fresh stage instances for one task.
    public func makeStages(_ specs: [StageSpec]) throws -> [any Stage] {
        try specs.map { try registry.make(name: $0.name, parameters: $0.parameters, path: $0.path, mark: $0.mark) }
    }
}

/// Strict access to a mapping's keys: unknown keys are errors with a suggestion.
struct Keys {
    let node: ConfigNode
    let path: String
    init(_ node: ConfigNode, path: String, allowed: [String]) throws {
        guard case .mapping(let entries, _) = node else {
            throw ConfigError("expected a mapping, found \(node.kindName)", at: node.mark, path: path.isEmpty ? "(root)" : path)
        }
        for e in entries where !allowed.contains(e.key) {
            var msg = "unknown key '\(e.key)'"
            if let s = closest(e.key, in: allowed) { msg += " (did you mean '\(s)'?)" } else { msg += "; expected one of \(allowed.joined(separator: ", "))" }
            throw ConfigError(msg, at: e.keyMark, path: path.isEmpty ? e.key : "\(path).\(e.key)")
        }
        self.node = node
        self.path = path
    }

    private func sub(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    mutating func node(_ key: String) -> ConfigNode? {
        if case .null? = node[key] { return nil }
        return node[key]
    }

    mutating func string(_ key: String) throws -> String? {
        guard let n = node(key) else { return nil }
        guard case .scalar(let s, _) = n else { throw ConfigError("expected a single value, found \(n.kindName)", at: n.mark, path: sub(key)) }
        return s
    }

    mutating func int(_ key: String) throws -> Int? {
        guard let s = try string(key) else { return nil }
        guard let v = Int(s) else { throw ConfigError("expected an integer, found '\(s)'", at: node[key]!.mark, path: sub(key)) }
        return v
    }

    mutating func bool(_ key: String) throws -> Bool? {
        guard let s = try string(key) else { return nil }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw ConfigError("expected true or false, found '\(s)'", at: node[key]!.mark, path: sub(key))
        }
    }

    mutating func strings(_ key: String) throws -> [String] {
        guard let n = node(key) else { return [] }
        switch n {
        case .scalar(let s, _): return [s]
        case .sequence(let items, _):
            return try items.enumerated().map { i, item in
                guard case .scalar(let s, _) = item else { throw ConfigError("expected a string", at: item.mark, path: "\(sub(key))[\(i)]") }
                return s
            }
        default: throw ConfigError("expected a list of strings, found \(n.kindName)", at: n.mark, path: sub(key))
        }
    }
}

func isSafeName(_ s: String) -> Bool {
    !s.isEmpty && s != "." && s != ".." && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
}

func baseName(_ path: String) -> String {
    var b = path.split(separator: "/").last.map(String.init) ?? path
    for ext in [".yaml", ".yml"] where b.hasSuffix(ext) { b.removeLast(ext.count) }
    return b
}

func directoryOf(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return String(path[..<slash])
}

func joinPath(_ a: String, _ b: String) -> String { a == "." ? b : a + "/" + b }

public func readTextFile(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        out.append(contentsOf: buf[0..<n])
    }
    return String(decoding: out, as: UTF8.self)
}

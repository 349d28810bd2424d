import WinnowCore
import WinnowDedup
import WinnowText
import WinnowIO
#if canImport(Glibc)
import Glibc
import WinnowSteps
#endif

/// Turns a YAML file into a validated `PipelineSpec`: every key is checked, every stage is
/// built once so unknown stages and bad parameters fail before any work starts.
public struct PipelineLoader {
    public let registry: StageRegistry

    public init(registry: StageRegistry = Stages.registry) { self.registry = registry }
    /// The most tasks a step may ask for.
    public static let maxTasks = 1_000_000

    public func load(file: String) throws -> PipelineSpec {
        guard let text = readTextFile(file) else {
            throw ConfigError("cannot read pipeline file", at: SourceMark(file: file, line: 0, column: 0), path: "(file)")
        }
        return try load(yaml: text, file: file)
    }

    public func load(yaml: String, file: String) throws -> PipelineSpec {
        let root = try YAMLConfig.parse(yaml, file: file)
        guard case .mapping = root else { throw ConfigError("a pipeline must be a mapping", at: root.mark, path: "(root)") }
        var top = try ConfigMap(root, path: "", mark: root.mark)
        try top.expectOnly(["name", "output_dir", "steps"])
        let name = try top.string("name") ?? baseName(file)
        guard isSafeName(name) else { throw top.error("name", "name must be letters, digits, '-', '_' or '.'") }
        let outputDir = try top.string("output_dir") ?? "out/\(name)"
        guard case .sequence(let stepNodes, let stepsMark)? = top.node("steps") else {
            throw ConfigError("'steps' must be a list of steps", at: root["steps"]?.mark ?? root.mark, path: "steps")
        }
        guard !stepNodes.isEmpty else { throw ConfigError("'steps' is empty", at: stepsMark, path: "steps") }
        var steps: [StepSpec] = []
        for (i, node) in stepNodes.enumerated() {
            for step in try loadStep(node, path: "steps[\(i)]") {
                if steps.contains(where: { $0.name == step.name }) {
                    throw ConfigError("duplicate step name '\(step.name)'", at: node.mark, path: "steps[\(i)].name")
                }
                steps.append(step)
            }
        }
        try validateGraph(steps)
        var canonical = root.json
        if case .object(var o) = canonical {
            o.remove("output_dir")  // where the run lives is not what it computes
            canonical = .object(o)
        }
        return PipelineSpec(name: name, outputDir: outputDir, steps: steps, file: file, yaml: yaml, canonical: canonical)
    }

    /// Every dependency names a step, and the dependencies form no cycle.
    private func validateGraph(_ steps: [StepSpec]) throws {
        let names = steps.map(\.name)
        for (i, s) in steps.enumerated() {
            for d in s.dependencies {
                let key = s.input.from.contains(d) ? "input.from" : "after"
                if d == s.name { throw ConfigError("step '\(s.name)' depends on itself", at: s.mark, path: "steps[\(i)].\(key)") }
                if !names.contains(d) {
                    let hint = closest(d, in: names).map { " (did you mean '\($0)'?)" } ?? ""
                    throw ConfigError("unknown step '\(d)'\(hint)", at: s.mark, path: "steps[\(i)].\(key)")
                }
            }
        }
        for (i, s) in steps.enumerated() {
            for d in s.input.from {
                if let dep = steps.first(where: { $0.name == d }), s.kind.canRead(dep) { continue }
                if let dep = steps.first(where: { $0.name == d }), dep.kind.writesDocuments, !dep.output.format.readableAsDocuments {
                    throw ConfigError("step '\(d)' writes \(dep.output.format.name), which later steps cannot read as documents",
                                      at: s.mark, path: "steps[\(i)].input.from")
                }
                if let dep = steps.first(where: { $0.name == d }), !dep.kind.writesDocuments {
                    throw ConfigError("step '\(d)' writes \(dep.kind.writes)\(dep.kind.writes.hasPrefix("no ") ? "" : ", not documents")",
                                      at: s.mark, path: "steps[\(i)].input.from")
                }
            }
        }
        // Depth-first search; a back edge is a cycle, reported along its path.
        var state = [String: Int]()  // 1 = on the stack, 2 = finished
        var stack: [String] = []
        func visit(_ name: String) throws {
            if state[name] == 2 { return }
            if state[name] == 1 {
                let cycle = stack[stack.firstIndex(of: name)!...] + [name]
                let s = steps.first { $0.name == name }!
                throw ConfigError("steps form a cycle: \(cycle.joined(separator: " → "))", at: s.mark,
                                  path: "steps[\(names.firstIndex(of: name)!)]")
            }
            state[name] = 1
            stack.append(name)
            for d in steps.first(where: { $0.name == name })!.dependencies { try visit(d) }
            stack.removeLast()
            state[name] = 2
        }
        for s in steps { try visit(s.name) }
    }

    /// One YAML step; a `minhash:` step becomes the four MinHash steps.
    private func loadStep(_ node: ConfigNode, path: String) throws -> [StepSpec] {
        var k = try ConfigMap(node, path: path, mark: node.mark)
        try k.expectOnly(["name", "input", "tasks", "after", "stages", "output"] + StepKinds.keys)
        let name = try k.string("name") ?? "step\(path.filter(\.isNumber))"
        guard isSafeName(name) else { throw k.error("name", "step names must be letters, digits, '-', '_' or '.'") }
        let tasks = try k.int("tasks", default: 1)
        guard tasks >= 1 else { throw k.error("tasks", "tasks must be at least 1") }
        // Each task is a database row and a log file; more tasks than units are never used.
        guard tasks <= Self.maxTasks else { throw k.error("tasks", "tasks must be at most \(Self.maxTasks) (a step never uses more tasks than it has units)") }
        guard let inputNode = k.node("input") else { throw ConfigError("missing 'input'", at: node.mark, path: path) }
        let input = try loadInput(inputNode, path: "\(path).input")
        let after = try k.strings("after", default: [])
        let stages = try stageSpecs(k.node("stages"), path: "\(path).stages")
        var output = OutputSpec()
        if let o = k.node("output") {
            var ok = try ConfigMap(o, path: "\(path).output", mark: o.mark)
            let formatName = try ok.choice("format", OutputFormats.registry.keys.sorted(), default: "jsonl")
            let format = OutputFormats.registry[formatName]!
            try ok.expectOnly(["format", "compression", "keep_dropped"] + format.ownKeys)
            output.format = try format.configure(&ok)
            output.compression = Compression(rawValue: try ok.choice("compression", Compression.allCases.map(\.rawValue), default: "zstd"))!
            output.keepDropped = try ok.bool("keep_dropped", default: false)
        }
        let step = StepSpec(name: name, input: input, tasks: tasks, after: after, stages: stages, output: output, mark: node.mark)
        let kinds = StepKinds.registry.filter { k.has($0.key) }
        if kinds.count > 1 { throw k.error(kinds[1].key, "a step is one kind: give one of \(StepKinds.keys.joined(separator: ", "))") }
        if let kind = kinds.first, let node = k.node(kind.key) { return try kind.parse(step, node, "\(path).\(kind.key)", k) }
        return [step]
    }

    private func loadInput(_ node: ConfigNode, path: String) throws -> InputSpec {
        var k = try ConfigMap(node, path: path, mark: node.mark)
        try k.expectOnly(["paths", "from", "format", "record_types", "verify_digests", "split", "text_key", "id_key", "url_key", "default_metadata"])
        let paths = try k.strings("paths", default: [])
        let from = try k.strings("from", default: [])
        if paths.isEmpty && from.isEmpty { throw ConfigError("give 'paths' (files or globs) or 'from' (earlier steps)", at: node.mark, path: path) }
        if !paths.isEmpty && !from.isEmpty { throw k.error("from", "give either 'paths' or 'from', not both") }
        var spec = InputSpec(paths: paths, from: from, format: nil, mark: node.mark)
        if !from.isEmpty && k.has("format") { throw k.error("format", "a step's input from earlier steps is always their JSONL output") }
        spec.splitBytes = try k.byteSize("split", default: spec.splitBytes)
        if k.has("format") {
            spec.format = InputFormat(rawValue: try k.choice("format", InputFormat.allCases.map(\.rawValue), default: "warc"))
        }
        let types = try k.strings("record_types", default: [])
        if !types.isEmpty { spec.warc.recordTypes = Set(types) }
        spec.warc.verifyDigests = try k.bool("verify_digests", default: false)
        // JSONL field mapping (CCNet / CT-LLM: text_key: raw_content, url_key: url).
        for key in ["text_key", "id_key", "url_key", "default_metadata"] where !from.isEmpty && k.has(key) {
            throw k.error(key, "a step's input from earlier steps is always Winnow's own JSONL")
        }
        spec.jsonl.textKey = try k.string("text_key", default: "text")
        spec.jsonl.idKey = try k.string("id_key", default: "id")
        spec.jsonl.urlKey = try k.string("url_key")
        if let m = k.node("default_metadata") {
            guard case .mapping(let entries, _) = m else { throw k.error("default_metadata", "expected a mapping of metadata keys to values") }
            for e in entries {
                guard case .scalar(let v, _) = e.value else { throw k.error("default_metadata", "'\(e.key)' must be a single value") }
                spec.jsonl.metadataDefaults[e.key] = .string(v)
            }
        }
        return spec
    }

    /// A list of stages, each `name` or `name: {parameters}`; every stage is built once here so
    /// unknown names and bad parameters fail before any work starts.
    public func stageSpecs(_ node: ConfigNode?, path: String) throws -> [StageSpec] {
        guard let node else { return [] }
        guard case .sequence(let items, _) = node else { throw ConfigError("expected a list of stages", at: node.mark, path: path) }
        return try items.enumerated().map { j, item in
            let itemPath = "\(path)[\(j)]"
            let spec: StageSpec
            switch item {
            case .scalar(let name, let m):
                spec = StageSpec(name: name, parameters: nil, path: "\(itemPath).\(name)", mark: m)
            case .mapping(let entries, _) where entries.count == 1:
                let e = entries[0]
                spec = StageSpec(name: e.key, parameters: e.value, path: "\(itemPath).\(e.key)", mark: e.keyMark)
            default:
                throw ConfigError("a stage is written 'name' or 'name: {parameters}'", at: item.mark, path: itemPath)
            }
            _ = try registry.make(name: spec.name, parameters: spec.parameters, path: spec.path, mark: spec.mark)
            return spec
        }
    }

    /// Builds fresh stage instances for one task.
    public func makeStages(_ specs: [StageSpec]) throws -> [any Stage] {
        try specs.map { try registry.make(name: $0.name, parameters: $0.parameters, path: $0.path, mark: $0.mark) }
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


import WinnowCore
import WinnowPipeline

/// An ablation file: a base pipeline, variants that each change it a little, steps appended to
/// every variant (`tail`: e.g. tokenize and pack), steps repeated per seed (`per_seed`: e.g.
/// train and eval, where the scalar "$seed" becomes the seed), and the metric to compare.
///
/// ```yaml
/// name: en-filters
/// base: pipelines/fineweb.yaml          # or `steps:` inline
/// target: filter                        # the step whose documents a variant produces
/// seeds: 3                              # or a list: [1, 7, 42]
/// variants:
///   - name: baseline
///   - name: no-gopher
///     remove_stages: {filter: [gopher_repetition_filter, gopher_quality_filter]}
///   - name: short-ok
///     set: {filter.text_length_filter.min: 50}    # tail and per-seed steps too: {train.model.vocab_size: 257}
///   - name: dedup                         # an added step becomes this variant's target:
///     add_steps: [{name: deduped, input: {from: filter}, minhash: {}}]
///     target: deduped                     # the tail reads it instead of `filter`
/// tail:     [ {name: tokens, input: {from: filter}, tokenize: {...}} ]
/// per_seed: [ {name: sample, input: {from: tokens}, sample: {fraction: 0.5, seed: $seed}} ]
/// metric: {step: eval, key: bits_per_byte, lower_is_better: true}
/// ```
public struct AblationSpec: Sendable {
    public struct Variant: Sendable {
        public var name: String
        public var removeStages: [String: [String]] = [:]
        public var replaceStages: [String: JSONValue] = [:]
        /// Dotted path (`STEP.KEY`, `STEP.STAGE.PARAM` or `STEP.KIND.PARAM`) → value.
        public var set: [(path: String, value: JSONValue)] = []
        public var addSteps: [JSONValue] = []
        public var removeSteps: [String] = []
        /// The step whose documents this variant produces, when not the ablation's target (e.g.
        /// an added dedup step after it); the tail then reads this step instead.
        public var target: String?
        public var mark: SourceMark
    }

    public struct Metric: Sendable {
        public var step: String
        public var key: String
        public var lowerIsBetter: Bool
    }

    public var name: String
    public var outputDir: String
    public var file: String
    public var baseSteps: [JSONValue]
    public var target: String
    public var seeds: [Int]
    public var variants: [Variant]
    public var tail: [JSONValue]
    public var perSeed: [JSONValue]
    public var metric: Metric?

    public static func load(file: String) throws -> AblationSpec {
        guard let text = readTextFile(file) else {
            throw ConfigError("cannot read ablation file", at: SourceMark(file: file, line: 0, column: 0), path: "(file)")
        }
        return try load(yaml: text, file: file)
    }

    public static func load(yaml: String, file: String) throws -> AblationSpec {
        let root = try YAMLConfig.parse(yaml, file: file)
        var top = try ConfigMap(root, path: "", mark: root.mark)
        try top.expectOnly(["name", "output_dir", "base", "steps", "target", "seeds", "variants", "tail", "per_seed", "metric"])
        let name = try top.string("name") ?? "ablation"
        let outputDir = try top.string("output_dir") ?? "out/\(name)"

        var baseSteps: [JSONValue]
        if let base = try top.string("base") {
            guard top.node("steps") == nil else { throw top.error("steps", "give either base: or steps:, not both") }
            let path = readTextFile(base) != nil ? base : dirName(file) + "/" + base
            guard let text = readTextFile(path) else { throw top.error("base", "cannot read the base pipeline '\(base)'") }
            let baseRoot = try YAMLConfig.parse(text, file: path)
            guard let steps = baseRoot["steps"]?.json.arrayValue else { throw top.error("base", "'\(base)' has no steps list") }
            baseSteps = steps
        } else if let steps = top.node("steps")?.json.arrayValue {
            baseSteps = steps
        } else {
            throw ConfigError("an ablation needs a base pipeline (base: FILE) or steps:", at: root.mark, path: "base")
        }
        guard !baseSteps.isEmpty else { throw top.error("steps", "the base pipeline has no steps") }
        let names = baseSteps.compactMap { $0["name"]?.stringValue }
        let target = try top.string("target") ?? names.last ?? ""
        guard names.contains(target) else { throw top.error("target", "no base step named '\(target)'") }

        var seeds: [Int] = [1, 2, 3]
        switch top.node("seeds") {
        case nil, .null?: break
        case .scalar(let s, _)?:
            guard let n = Int(s), n >= 1, n <= 100 else { throw top.error("seeds", "seeds must be a count from 1 to 100 or a list of integers") }
            seeds = Array(1...n)
        case .sequence(let items, _)?:
            seeds = try items.map { item in
                guard case .scalar(let s, _) = item, let v = Int(s) else { throw top.error("seeds", "seeds must be integers") }
                return v
            }
            guard !seeds.isEmpty, Set(seeds).count == seeds.count else { throw top.error("seeds", "seeds must be distinct and not empty") }
        default: throw top.error("seeds", "seeds must be a count or a list")
        }

        guard case .sequence(let variantNodes, let vmark)? = top.node("variants"), !variantNodes.isEmpty else {
            throw ConfigError("'variants' must be a non-empty list", at: root["variants"]?.mark ?? root.mark, path: "variants")
        }
        var variants: [Variant] = []
        for (i, node) in variantNodes.enumerated() {
            let v = try parseVariant(node, path: "variants[\(i)]")
            guard !variants.contains(where: { $0.name == v.name }) else {
                throw ConfigError("duplicate variant name '\(v.name)'", at: node.mark, path: "variants[\(i)].name")
            }
            variants.append(v)
        }
        _ = vmark
        let tail = top.node("tail")?.json.arrayValue ?? []
        let perSeed = top.node("per_seed")?.json.arrayValue ?? []
        var metric: Metric?
        if let m = top.node("metric") {
            var mm = try ConfigMap(m, path: "metric", mark: m.mark)
            try mm.expectOnly(["step", "key", "lower_is_better"])
            guard let step = try mm.string("step"), let key = try mm.string("key") else { throw mm.error("step", "metric needs step and key") }
            guard perSeed.contains(where: { $0["name"]?.stringValue == step }) else {
                throw mm.error("step", "metric.step must name a per_seed step ('\(step)' is not one)")
            }
            metric = Metric(step: step, key: key, lowerIsBetter: try mm.bool("lower_is_better", default: true))
        }
        return AblationSpec(name: name, outputDir: outputDir, file: file, baseSteps: baseSteps, target: target, seeds: seeds,
                            variants: variants, tail: tail, perSeed: perSeed, metric: metric)
    }

    static func parseVariant(_ node: ConfigNode, path: String) throws -> Variant {
        var m = try ConfigMap(node, path: path, mark: node.mark)
        try m.expectOnly(["name", "remove_stages", "replace_stages", "set", "add_steps", "remove_steps", "target"])
        guard let name = try m.string("name"), isSafeStepName(name) else {
            throw m.error("name", "a variant needs a name of letters, digits, '-' or '_'")
        }
        var v = Variant(name: name, mark: node.mark)
        v.target = try m.string("target")
        if let r = m.node("remove_stages") {
            guard case .mapping(let entries, _) = r else { throw m.error("remove_stages", "expected {STEP: [STAGE, ...]}") }
            for e in entries {
                guard let list = e.value.json.arrayValue?.compactMap(\.stringValue), !list.isEmpty else {
                    throw m.error("remove_stages", "expected a list of stage names for step '\(e.key)'")
                }
                v.removeStages[e.key] = list
            }
        }
        if let r = m.node("replace_stages") {
            guard case .mapping(let entries, _) = r else { throw m.error("replace_stages", "expected {STEP: [stages]}") }
            for e in entries { v.replaceStages[e.key] = e.value.json }
        }
        if let s = m.node("set") {
            guard case .mapping(let entries, _) = s else { throw m.error("set", "expected {STEP.KEY: value, STEP.STAGE.PARAM: value}") }
            for e in entries {
                guard e.key.split(separator: ".").count >= 2 else { throw m.error("set", "'\(e.key)': a path is STEP.KEY or STEP.STAGE.PARAM") }
                v.set.append((e.key, e.value.json))
            }
        }
        v.addSteps = m.node("add_steps")?.json.arrayValue ?? []
        v.removeSteps = m.node("remove_steps")?.json.arrayValue?.compactMap(\.stringValue) ?? []
        return v
    }
}

/// Variant and step names become parts of step names (`VARIANT.STEP`), so no dots in them.
func isSafeStepName(_ s: String) -> Bool {
    !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x5F }
}

func dirName(_ path: String) -> String {
    guard let i = path.lastIndex(of: "/") else { return "." }
    return i == path.startIndex ? "/" : String(path[..<i])
}

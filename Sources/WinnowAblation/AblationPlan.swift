import WinnowCore
import WinnowPipeline

/// An ablation expanded into one pipeline. Each variant's steps (base with its changes, then
/// `tail`, then `per_seed` once per seed) are identified by their configuration and the
/// identities of the steps they read, so a step that is the same in several variants runs once:
/// it keeps its own name when every variant shares it, and is called `VARIANT.STEP` (after the
/// first variant that has it) otherwise.
public struct AblationPlan: Sendable {
    public struct VariantSteps: Sendable {
        public var variant: String
        /// Step name in the variant's own pipeline → step name in the merged pipeline.
        public var names: [(local: String, merged: String)]
        /// The merged name of the variant's target step and of its per-seed steps, by seed.
        public var target: String
        public var perSeed: [Int: [String: String]]

        public func merged(_ local: String) -> String? { names.first { $0.local == local }?.merged }
    }

    public var spec: AblationSpec
    public var variants: [VariantSteps]
    /// The merged pipeline as YAML (JSON text, which is YAML), loadable by `PipelineLoader`.
    public var pipelineYAML: String

    public init(_ spec: AblationSpec) throws {
        self.spec = spec
        var order: [String] = []                       // identities, first appearance first
        var stepOf: [String: JSONObject] = [:]         // identity → step with merged references
        var localNameOf: [String: String] = [:]        // identity → step name in its variant
        var users: [String: [String]] = [:]            // identity → variants using it
        var perVariant: [(String, [(String, String)], [Int: [String: String]])] = []  // names local → identity

        for v in spec.variants {
            let steps = try Self.apply(v, to: spec)
            var identity: [String: String] = [:]
            var names: [(String, String)] = []
            var seeds: [Int: [String: String]] = [:]
            for (step, seed) in steps {
                guard case .object(var o) = step, let local = o["name"]?.stringValue else {
                    throw AblationError("variant '\(v.name)': every step needs a name")
                }
                let deps = Self.references(o)
                for d in deps where identity[d] == nil {
                    throw AblationError("variant '\(v.name)': step '\(local)' reads '\(d)', which is not an earlier step of the variant")
                }
                // Identity: the configuration without the name, dependencies by identity.
                o.remove("name")
                let keyed = Self.rewriteReferences(o) { identity[$0]! }
                var bytes: [UInt8] = []
                JSONWriter.write(.object(keyed), to: &bytes)
                let id = Hex.encode(SHA1.hash(bytes))
                identity[local] = id
                names.append((local, id))
                if let seed { seeds[seed, default: [:]][Self.unseeded(local, seed)] = id }
                if stepOf[id] == nil {
                    order.append(id)
                    o["name"] = .string(local)
                    stepOf[id] = o
                    localNameOf[id] = local
                }
                users[id, default: []].append(v.name)
            }
            perVariant.append((v.name, names, seeds))
        }

        // Merged names: plain when every variant shares the step, else VARIANT.STEP.
        var mergedName: [String: String] = [:]
        var taken = Set<String>()
        for id in order {
            let local = localNameOf[id]!
            var name = Set(users[id]!).count == spec.variants.count ? local : "\(users[id]![0]).\(local)"
            var k = 2
            while taken.contains(name) { name = "\(local).\(k)"; k += 1 }
            taken.insert(name)
            mergedName[id] = name
        }
        // The merged pipeline: identities in dependencies become merged names.
        var steps: [JSONValue] = []
        for id in order {
            // The stored step reads local names of the first variant that has it.
            let table = perVariant.first { $0.0 == users[id]![0] }!.1
            var o = Self.rewriteReferences(stepOf[id]!) { local in mergedName[table.first { $0.0 == local }!.1]! }
            o["name"] = .string(mergedName[id]!)
            steps.append(.object(o))
        }
        var root = JSONObject()
        root["name"] = .string(spec.name)
        root["output_dir"] = .string(spec.outputDir)
        root["steps"] = .array(steps)
        var text: [UInt8] = []
        JSONWriter.write(.object(root), to: &text)
        pipelineYAML = String(decoding: text, as: UTF8.self) + "\n"

        variants = perVariant.map { (name, names, seeds) in
            let merged = names.map { (local: $0.0, merged: mergedName[$0.1]!) }
            let local = spec.variants.first { $0.name == name }?.target ?? spec.target
            let target = merged.first { $0.local == local }?.merged ?? local
            return VariantSteps(variant: name, names: merged, target: target,
                                perSeed: seeds.mapValues { $0.mapValues { mergedName[$0]! } })
        }
    }

    /// A variant's steps in order, with the seed of each per-seed copy.
    static func apply(_ v: AblationSpec.Variant, to spec: AblationSpec) throws -> [(JSONValue, Int?)] {
        var steps = spec.baseSteps
        func index(_ name: String) throws -> Int {
            guard let i = steps.firstIndex(where: { $0["name"]?.stringValue == name }) else {
                throw AblationError("variant '\(v.name)': no step named '\(name)' (steps: \(steps.compactMap { $0["name"]?.stringValue }.joined(separator: ", ")))")
            }
            return i
        }
        for name in v.removeSteps { steps.remove(at: try index(name)) }
        for (step, stages) in v.removeStages.sorted(by: { $0.key < $1.key }) {
            let i = try index(step)
            guard case .object(var o) = steps[i], let list = o["stages"]?.arrayValue else {
                throw AblationError("variant '\(v.name)': step '\(step)' has no stages")
            }
            for s in stages where !list.contains(where: { stageName($0) == s }) {
                throw AblationError("variant '\(v.name)': step '\(step)' has no stage '\(s)' (stages: \(list.compactMap(stageName).joined(separator: ", ")))")
            }
            o["stages"] = .array(list.filter { !stages.contains(stageName($0) ?? "") })
            steps[i] = .object(o)
        }
        for (step, stages) in v.replaceStages.sorted(by: { $0.key < $1.key }) {
            let i = try index(step)
            guard case .object(var o) = steps[i] else { continue }
            o["stages"] = stages
            steps[i] = .object(o)
        }
        // `set` reaches the tail and per-seed steps too (e.g. a model's vocab_size per tokenizer).
        let laterNames = Set((spec.tail + spec.perSeed).compactMap { $0["name"]?.stringValue })
        var laterSets: [(step: String, rest: [String], value: JSONValue, path: String)] = []
        for (path, value) in v.set {
            let parts = path.split(separator: ".").map(String.init)
            if laterNames.contains(parts[0]), !steps.contains(where: { $0["name"]?.stringValue == parts[0] }) {
                laterSets.append((parts[0], Array(parts.dropFirst()), value, path))
                continue
            }
            let i = try index(parts[0])
            guard case .object(var o) = steps[i] else { continue }
            try setValue(&o, Array(parts.dropFirst()), value, variant: v.name, path: path)
            steps[i] = .object(o)
        }
        func applyLaterSets(_ step: JSONValue) throws -> JSONValue {
            guard case .object(var o) = step, let name = o["name"]?.stringValue else { return step }
            for set in laterSets where set.step == name { try setValue(&o, set.rest, set.value, variant: v.name, path: set.path) }
            return .object(o)
        }
        steps += v.addSteps
        let target = v.target ?? spec.target
        if v.target != nil { _ = try index(target) }
        // The tail and per-seed steps read the variant's own target where they read the ablation's.
        let tail = try spec.tail.map { step in
            try applyLaterSets(step.objectValue.map { JSONValue.object(rewriteReferences($0) { $0 == spec.target ? target : $0 }) } ?? step)
        }
        // Only what the target, the added, tail and per-seed steps need runs.
        var needed: Set<String> = [target]
        var frontier = [target] + (v.addSteps + tail + spec.perSeed).flatMap { s in s.objectValue.map(references) ?? [] }
            + v.addSteps.compactMap { $0["name"]?.stringValue }
        while let n = frontier.popLast() {
            needed.insert(n)
            if let s = steps.first(where: { $0["name"]?.stringValue == n })?.objectValue {
                frontier += references(s).filter { !needed.contains($0) }
            }
        }
        steps = steps.filter { needed.contains($0["name"]?.stringValue ?? "") }
        var out: [(JSONValue, Int?)] = steps.map { ($0, nil) } + tail.map { ($0, nil) }
        let perSeedNames = Set(spec.perSeed.compactMap { $0["name"]?.stringValue })
        for seed in spec.seeds {
            for step in spec.perSeed {
                guard case .object(var o) = replacingSeed(try applyLaterSets(step), seed), let name = o["name"]?.stringValue else { continue }
                o["name"] = .string(seeded(name, seed))
                o = rewriteReferences(o) { perSeedNames.contains($0) ? seeded($0, seed) : $0 == spec.target ? target : $0 }
                out.append((.object(o), seed))
            }
        }
        return out
    }

    static func seeded(_ name: String, _ seed: Int) -> String { "\(name)-s\(seed)" }
    static func unseeded(_ name: String, _ seed: Int) -> String {
        let suffix = "-s\(seed)"
        return name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name
    }

    /// `name` or `{name: params}` in a stages list.
    static func stageName(_ v: JSONValue) -> String? {
        if let s = v.stringValue { return s }
        if case .object(let o) = v, o.count == 1 { return o.keys[0] }
        return nil
    }

    /// `STEP.KEY`, `STEP.STAGE.PARAM` (a stage of the step) or `STEP.KIND.PARAM` (a mapping key).
    static func setValue(_ o: inout JSONObject, _ rest: [String], _ value: JSONValue, variant: String, path: String) throws {
        if rest.count == 1 { o[rest[0]] = value; return }
        let head = rest[0], tail = Array(rest.dropFirst())
        if var stages = o["stages"]?.arrayValue, let k = stages.firstIndex(where: { stageName($0) == head }) {
            var params = (stages[k].objectValue?[head]?.objectValue) ?? JSONObject()
            try setValue(&params, tail, value, variant: variant, path: path)
            stages[k] = .object(JSONObject([(head, .object(params))]))
            o["stages"] = .array(stages)
            return
        }
        guard case .object(var inner)? = o[head] ?? .object(JSONObject()) else {
            throw AblationError("variant '\(variant)': set \(path): '\(head)' is not a mapping or a stage of the step")
        }
        try setValue(&inner, tail, value, variant: variant, path: path)
        o[head] = .object(inner)
    }

    static func replacingSeed(_ v: JSONValue, _ seed: Int) -> JSONValue {
        switch v {
        case .string(let s): return s == "$seed" ? .string(String(seed)) : v
        case .array(let a): return .array(a.map { replacingSeed($0, seed) })
        case .object(let o): return .object(JSONObject(o.entries.map { ($0.key, replacingSeed($0.value, seed)) }))
        default: return v
        }
    }

    /// Names of the steps a step reads (`input.from`, one or a list) or waits for (`after`).
    static func references(_ o: JSONObject) -> [String] {
        var out: [String] = []
        if let from = o["input"]?["from"] { out += from.stringValue.map { [$0] } ?? from.arrayValue?.compactMap(\.stringValue) ?? [] }
        if let after = o["after"] { out += after.stringValue.map { [$0] } ?? after.arrayValue?.compactMap(\.stringValue) ?? [] }
        for (kind, key) in kindReferences { if let name = o[kind]?[key]?.stringValue { out.append(name) } }
        return out
    }

    /// Step-kind keys that name another step (they read its shards): `train.eval_from`, `eval.data`.
    static let kindReferences = [("train", "eval_from"), ("eval", "data")]


    static func rewriteReferences(_ o: JSONObject, _ f: (String) -> String) -> JSONObject {
        var o = o
        func map(_ v: JSONValue) -> JSONValue {
            if let s = v.stringValue { return .string(f(s)) }
            if let a = v.arrayValue { return .array(a.map { $0.stringValue.map { .string(f($0)) } ?? $0 }) }
            return v
        }
        if case .object(var input)? = o["input"], let from = input["from"] {
            input["from"] = map(from)
            o["input"] = .object(input)
        }
        if let after = o["after"] { o["after"] = map(after) }
        for (kind, key) in kindReferences {
            if case .object(var k)? = o[kind], let name = k[key]?.stringValue {
                k[key] = .string(f(name))
                o[kind] = .object(k)
            }
        }
        return o
    }
}

public struct AblationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ message: String) { description = message }
}

import WinnowCore
import WinnowIO

/// One piece of work: a whole input file, a byte-range split of one, or one output shard of
/// an earlier step. Its index names its output shard, so output never depends on how units
/// are grouped into tasks or which worker ran them.
public struct WorkUnit: Sendable, Equatable {
    public var index: Int
    public var input: String
    public var split: Range<Int>?
    /// Input size in bytes (the split's length), or 0 when not known before the run.
    public var bytes: Int
    public var format: InputFormat?

    public init(index: Int, input: String, split: Range<Int>?, bytes: Int, format: InputFormat?) {
        self.index = index; self.input = input; self.split = split; self.bytes = bytes; self.format = format
    }
}

/// A step's units and how they are grouped into tasks.
public struct StepPlan: Sendable {
    public var step: StepSpec
    public var units: [WorkUnit]

    public init(step: StepSpec, units: [WorkUnit]) { self.step = step; self.units = units }
    /// How many tasks the units are dealt into (the step kind decides).
    public var tasks: Int { step.kind.taskCount(step, units: units.count) }

    /// The task of a unit (round-robin, as datatrove assigns files to ranks, unless the kind
    /// groups them otherwise).
    public func task(ofUnit u: Int) -> Int { step.kind.task(ofUnit: u, tasks: tasks) }

    public func units(ofTask task: Int) -> [WorkUnit] { units.filter { self.task(ofUnit: $0.index) == task } }

    public var inputBytes: Int { units.reduce(0) { $0 + $1.bytes } }
}

/// Everything a run will do, fixed before any work starts; its hash guards resumption.
public struct RunPlan: Sendable {
    public var spec: PipelineSpec
    public var runDirectory: String
    /// In execution order.
    public var steps: [StepPlan]
    public var configHash: String

    public func step(_ name: String) -> StepPlan? { steps.first { $0.step.name == name } }

    public static func shardName(_ i: Int) -> String {
        let s = String(i)
        return String(repeating: "0", count: max(0, 5 - s.count)) + s
    }

    public static func outputPath(runDirectory: String, step: StepSpec, unit: Int) -> String {
        "\(runDirectory)/steps/\(step.name)/\(shardName(unit))\(step.output.format.fileSuffix(step.output))"
    }

    public static func make(spec: PipelineSpec, runDirectory: String) throws -> RunPlan {
        var plans: [StepPlan] = []
        for step in spec.executionOrder {
            var units: [WorkUnit] = []
            if let own = try step.kind.ownUnits(step, earlier: plans) {
                plans.append(StepPlan(step: step, units: own))
                continue
            }
            if step.input.from.isEmpty {
                let (files, unmatched) = FileGlob.expand(step.input.paths)
                if !unmatched.isEmpty {
                    throw ConfigError("no input file matches \(unmatched.map { "'\($0)'" }.joined(separator: ", "))",
                                      at: step.input.mark, path: "steps.\(step.name).input.paths")
                }
                for f in files {
                    guard let size = fileSize(f) else {
                        throw ConfigError("cannot read input file '\(f)'", at: step.input.mark, path: "steps.\(step.name).input.paths")
                    }
                    if let splits = InputSplits.plan(path: f, size: size, format: step.input.format, splitBytes: step.input.splitBytes) {
                        for s in splits {
                            units.append(WorkUnit(index: units.count, input: f, split: s, bytes: s.count, format: step.input.format))
                        }
                    } else {
                        units.append(WorkUnit(index: units.count, input: f, split: nil, bytes: size, format: step.input.format))
                    }
                }
            } else {
                for dep in step.input.from {
                    let d = plans.first { $0.step.name == dep }!
                    for u in d.units {
                        units.append(WorkUnit(index: units.count, input: outputPath(runDirectory: runDirectory, step: d.step, unit: u.index),
                                              split: nil, bytes: 0, format: .jsonl))
                    }
                }
            }
            plans.append(StepPlan(step: step, units: units))
        }
        // The hash covers the configuration and the exact inputs (names, splits, sizes).
        var h = JSONObject()
        h["config"] = spec.canonical
        // An earlier step's shard is named relative to the run directory, so the same run named
        // relative once and absolute the next time hashes the same.
        let runPrefix = runDirectory + "/"
        h["units"] = .array(plans.map { p in
            .array(p.units.map { u in .string("\(u.input.hasPrefix(runPrefix) ? "$RUN/" + u.input.dropFirst(runPrefix.count) : u.input)|\(u.split.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "")|\(u.bytes)") })
        })
        var bytes: [UInt8] = []
        JSONWriter.write(.object(h), to: &bytes)
        return RunPlan(spec: spec, runDirectory: runDirectory, steps: plans, configHash: Hex.encode(SHA1.hash(bytes)))
    }
}

import WinnowCore
import WinnowIO

/// What a step does with its units, as a plugin. Most steps stream documents through stages
/// (`DocumentStep`); a kind may put stages of its own in front (duplicate removal, line dedup)
/// or run its units some other way (MinHash signatures, buckets, clusters; later tokenize,
/// pack, train). The loader, the plan, the runner, status and the summary only call this
/// protocol: adding a kind is one file plus one line in `StepKinds.registry`.
public protocol StepKind: Sendable {
    /// Shown in plans and errors (e.g. `stages`, `minhash.signatures`).
    var name: String { get }
    /// True when the step writes document shards that `input.from` can read.
    var writesDocuments: Bool { get }
    /// What the step writes, for the error when another step tries to read it as documents.
    var writes: String { get }
    /// The step's units, when the kind makes its own (one per band, one for all pairs); nil:
    /// the step's input files or the shards of the steps it reads.
    func ownUnits(_ step: StepSpec, earlier: [StepPlan]) throws -> [WorkUnit]?
    /// Whether the step may read `dep`'s output through `input.from` (default: documents).
    func canRead(_ dep: StepSpec) -> Bool
    /// How many tasks the units are dealt into.
    func taskCount(_ step: StepSpec, units: Int) -> Int
    /// The task that runs unit `u`.
    func task(ofUnit u: Int, tasks: Int) -> Int
    /// The stage rows the step's stats carry.
    func reportedStageNames(_ step: StepSpec) -> [String]
    /// A document pass: the stages this kind puts before the step's own, built once per task.
    /// nil: not a document pass, `runUnit` runs the unit.
    func leadingStages() -> [any Stage]?
    /// Runs one unit of a kind that is not a document pass.
    func runUnit(_ run: UnitRun) throws -> FileStats
}

extension StepKind {
    public var writesDocuments: Bool { true }
    public var writes: String { writesDocuments ? "documents" : "no documents" }
    public func ownUnits(_ step: StepSpec, earlier: [StepPlan]) throws -> [WorkUnit]? { nil }
    public func canRead(_ dep: StepSpec) -> Bool { dep.kind.writesDocuments && dep.output.format.readableAsDocuments }
    // Tasks beyond the units would be empty: no rows, no logs for them.
    public func taskCount(_ step: StepSpec, units: Int) -> Int { min(step.tasks, max(1, units)) }
    /// Round-robin, as datatrove assigns files to ranks.
    public func task(ofUnit u: Int, tasks: Int) -> Int { u % tasks }
    public func reportedStageNames(_ step: StepSpec) -> [String] {
        (leadingStages() ?? []).map(\.name) + step.stages.map(\.name)
    }
    public func leadingStages() -> [any Stage]? { [] }
    public func runUnit(_ run: UnitRun) throws -> FileStats {
        throw RunError("step kind \(name) has no unit runner")
    }
}

/// What a kind's `runUnit` gets: the step, the unit, where things are, and the run's plan.
public struct UnitRun {
    public var step: StepSpec
    public var unit: WorkUnit
    public var runDirectory: String
    /// `steps/<step>` in the run directory.
    public var stepDirectory: String { "\(runDirectory)/steps/\(step.name)" }
    /// The number of units of another step of the run.
    public var unitCount: (String) throws -> Int
    /// Reports documents and input bytes done so far in this unit.
    public var progress: (Int, Int) throws -> Void
    /// Appends a line to the task's log (`logs/<step>/task-NNNNN.log`).
    public var log: (String) -> Void

    public init(step: StepSpec, unit: WorkUnit, runDirectory: String, unitCount: @escaping (String) throws -> Int,
                progress: @escaping (Int, Int) throws -> Void, log: @escaping (String) -> Void = { _ in }) {
        self.step = step; self.unit = unit; self.runDirectory = runDirectory; self.unitCount = unitCount; self.progress = progress
        self.log = log
    }
    /// Opens the unit's input as documents (files or an earlier step's shard).
    public func openInput() throws -> DocumentReader {
        let format = step.input.from.isEmpty ? step.input.format : .jsonl
        return try openDocumentReader(path: unit.input, format: format, warc: step.input.warc, jsonl: step.input.jsonl, split: unit.split)
    }
    /// The unit's label in stats and logs (a split shows its byte range).
    public var label: String { unit.split.map { "\(unit.input)@\($0.lowerBound)-\($0.upperBound)" } ?? unit.input }
}

/// A plain step: documents through the step's stages.
public struct DocumentStep: StepKind {
    public init() {}
    public var name: String { "stages" }
}

/// How a YAML key turns a step into steps of a kind. `parse` gets the step as written (with
/// the plain document kind), the key's node and the step's mapping (for errors and checks).
public struct StepKindParser: Sendable {
    public var key: String
    public var parse: @Sendable (_ step: StepSpec, _ node: ConfigNode, _ path: String, _ stepKeys: ConfigMap) throws -> [StepSpec]
    public init(key: String, parse: @escaping @Sendable (StepSpec, ConfigNode, String, ConfigMap) throws -> [StepSpec]) {
        self.key = key
        self.parse = parse
    }
}

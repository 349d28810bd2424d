/// What a stage decided about one document.
public enum Verdict: Equatable, Sendable {
    case keep
    /// Dropped, with a short reason name (datatrove's names where one exists, e.g. `gopher_short_doc`).
    case drop(String)
}

/// Where a stage is running: the unit of work (a file, a byte range of one, or an earlier
/// step's shard) whose documents come next.
public struct UnitContext: Sendable {
    /// The unit's index in its step (it names the unit's output shard).
    public var index: Int
    /// The run directory (the earlier steps' files are under `steps/`), or nil outside a run.
    public var runDirectory: String?
    public init(index: Int, runDirectory: String?) { self.index = index; self.runDirectory = runDirectory }
}

/// A pipeline stage: decides about (and may rewrite) one document at a time. The machinery
/// around it (`StageChain`) owns counting, timing, keep/drop and recording what was dropped.
///
/// A stage object lives for one task (a group of units run in one process): it is built once,
/// told when the task and each unit start, and may add counters to its unit's stats when the
/// unit ends. Decisions must not depend on documents of other units unless that is the stage's
/// point (CCNet line dedup remembers lines across the units of a task).
public protocol Stage: AnyObject {
    /// The registry name, as written in YAML.
    var name: String { get }
    func apply(_ doc: inout Document) -> Verdict
    /// Before the task's first unit.
    func startTask() throws
    /// Before each unit's first document.
    func startUnit(_ unit: UnitContext) throws
    /// After each unit's last document: extra counters for the unit's stats (e.g. lines removed).
    func finishUnit(_ stats: inout StageStats)
}

extension Stage {
    public func startTask() throws {}
    public func startUnit(_ unit: UnitContext) throws {}
    public func finishUnit(_ stats: inout StageStats) {}
}

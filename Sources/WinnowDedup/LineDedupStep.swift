import WinnowCore
import WinnowSteps

/// CCNet line dedup (`line_dedup: {group_shards: N}`): consecutive groups of N units, one task
/// each; lines already seen in the group are dropped (`LineDedupStage`), then the step's stages.
public struct LineDedupStep: StepKind {
    let groupShards: Int
    public var name: String { "line_dedup" }
    public func taskCount(_ step: StepSpec, units: Int) -> Int { max(1, (units + groupShards - 1) / groupShards) }
    public func task(ofUnit u: Int, tasks: Int) -> Int { u / groupShards }
    public func leadingStages() -> [any Stage]? { [LineDedupStage()] }

    public static let parser = StepKindParser(key: "line_dedup") { step, node, path, stepKeys in
        var e = try ConfigMap(node, path: path, mark: node.mark)
        try e.expectOnly(["group_shards"])
        let g = try e.int("group_shards", default: 50)
        guard g >= 1 else { throw e.error("group_shards", "group_shards must be at least 1") }
        if stepKeys.has("tasks") { throw stepKeys.error("tasks", "a line_dedup step runs one task per group of shards (group_shards)") }
        var s = step
        s.kind = LineDedupStep(groupShards: g)
        return [s]
    }
}

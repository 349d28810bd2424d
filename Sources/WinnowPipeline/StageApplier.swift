import WinnowCore
import WinnowIO

/// `winnow apply`: stages over JSONL from a file or stdin to stdout.
public enum StageApplier {
    /// Parses a stage list written as YAML (inline or from a file): either a list of stages or a
    /// mapping with a `stages:` list (a pipeline step).
    public static func loadStages(yaml: String, file: String, registry: StageRegistry = Stages.registry) throws -> [any Stage] {
        let root = try YAMLConfig.parse(yaml, file: file)
        var list: ConfigNode = root
        if case .mapping = root {
            guard let s = root["stages"] else { throw ConfigError("expected a list of stages or a mapping with 'stages'", at: root.mark, path: "(root)") }
            list = s
        }
        let loader = PipelineLoader(registry: registry)
        return try loader.makeStages(try loader.stageSpecs(list, path: "stages"))
    }

    public struct Result {
        public var read: StageStats
        public var stages: [StageStats]
        public var damage: DamageReport
        public var written: Int
    }

    public static func run(stages: [any Stage], input: DocumentReader, keepDropped: Bool,
                           emit: (Document) throws -> Void) throws -> Result {
        let chain = StageChain(stages)
        try chain.startTask()
        try chain.startUnit(UnitContext(index: 0, runDirectory: nil))
        // Dropped documents, when kept, go to the same output, annotated.
        let counts = try chain.run(next: input.next, keep: emit, keepDropped: keepDropped, drop: emit)
        chain.finishUnit()
        let written = counts.written + (keepDropped ? counts.dropped : 0)
        return Result(read: input.stats, stages: chain.stats, damage: input.damage, written: written)
    }
}

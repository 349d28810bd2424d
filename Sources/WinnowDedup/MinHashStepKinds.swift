import WinnowCore
import WinnowSteps
import WinnowText
import WinnowIO

/// Document dedup as four steps (`minhash:`, `exact_dedup:`, `url_dedup:` in YAML):
/// `NAME.signatures` per input unit → `NAME.buckets` per band → `NAME.cluster`, one task →
/// `NAME`, the documents minus the duplicates, through the step's stages. Files between the
/// steps use datatrove's formats (`MinHashSteps`).
public enum MinHashDedup {
    public static let minhashParser = StepKindParser(key: "minhash") { step, node, path, _ in
        try expand(step, try loadMinHash(node, path: path))
    }

    public static let exactParser = StepKindParser(key: "exact_dedup") { step, node, path, _ in
        var e = try ConfigMap(node, path: path, mark: node.mark)
        try e.expectOnly(["normalize", "bucket_tasks"])
        var m = MinHashSpec()
        m.method = .exact
        m.normalize = try e.choice("normalize", ["whitespace", "simplify", "none"], default: "whitespace")
        m.bands = 1; m.rows = 1
        return try expand(step, (m, 1))
    }

    public static let urlParser = StepKindParser(key: "url_dedup") { step, node, path, _ in
        let e = try ConfigMap(node, path: path, mark: node.mark)
        try e.expectOnly([])
        var m = MinHashSpec()
        m.method = .url
        m.bands = 1; m.rows = 1
        return try expand(step, (m, 1))
    }

    static func loadMinHash(_ node: ConfigNode, path: String) throws -> (MinHashSpec, Int) {
        var k = try ConfigMap(node, path: path, mark: node.mark)
        try k.expectOnly(["shingles", "ngrams", "bands", "rows", "hash", "bits", "seed", "permutations", "survivor", "preset", "punkt", "nltk", "cluster_ids", "cluster_sizes", "bucket_tasks"])
        var m = MinHashSpec()
        m.shingles = try k.choice("shingles", Shingler.Unit.allCases.map(\.rawValue), default: m.shingles)
        m.permutations = try k.choice("permutations", MinHasher.Permutations.allCases.map(\.rawValue), default: m.permutations)
        m.survivor = try k.choice("survivor", ["first", "fineweb-2024", "datatrove-current"], default: m.survivor)
        m.preset = try k.choice("preset", ["datatrove-current", "fineweb-2024"], default: m.preset)
        m.punkt = try k.string("punkt")
        m.nltk = try k.choice("nltk", NLTKRelease.allCases.map(\.rawValue), default: m.nltk)
        if m.preset == "fineweb-2024" {
            guard m.shingles == "words" else { throw k.error("preset", "preset fineweb-2024 is datatrove 0.2.0's word shingles: use shingles: words") }
            do { _ = try PunktModel.load(try PunktModel.locate(explicit: m.punkt)) } catch { throw k.error(m.punkt == nil ? "preset" : "punkt", "\(error)") }
        }
        m.clusterIDs = try k.bool("cluster_ids", default: false)
        m.clusterSizes = try k.bool("cluster_sizes", default: false)
        m.ngrams = try k.int("ngrams", default: m.ngrams)
        m.bands = try k.int("bands", default: m.bands)
        m.rows = try k.int("rows", default: m.rows)
        m.hash = try k.choice("hash", ["xxhash", "sha1"], default: m.hash)
        m.bits = Int(try k.choice("bits", ["64", "32"], default: String(m.bits)))!
        let seed = try k.int("seed", default: Int(m.seed))
        guard (0...Int(UInt32.max)).contains(seed) else { throw k.error("seed", "seed must be between 0 and 2^32-1 (numpy's RandomState)") }
        m.seed = UInt32(seed)
        guard m.ngrams >= 1 else { throw k.error("ngrams", "ngrams must be at least 1") }
        guard m.bands >= 1, m.rows >= 1, m.bands * m.rows <= 4096 else { throw k.error("bands", "bands and rows must be positive (at most 4096 hashes)") }
        let bucketTasks = try k.int("bucket_tasks", default: min(m.bands, 8))
        guard bucketTasks >= 1 else { throw k.error("bucket_tasks", "bucket_tasks must be at least 1") }
        return (m, bucketTasks)
    }

    /// `name` (filter, the documents that survive) after `name.signatures` → `name.buckets`
    /// → `name.cluster`; the barrier steps wait for every task of the step before.
    static func expand(_ step: StepSpec, _ config: (MinHashSpec, Int)) throws -> [StepSpec] {
        let (m, bucketTasks) = config
        let sig = step.name + ".signatures", buckets = step.name + ".buckets", cluster = step.name + ".cluster"
        if m.method != .minhash && config.1 < 1 { throw ConfigError("bucket_tasks must be at least 1", at: step.mark, path: step.name) }
        var s1 = StepSpec(name: sig, kind: SignatureStep(spec: m), input: step.input, tasks: step.tasks, after: step.after,
                          stages: [], output: step.output, mark: step.mark)
        s1.output.keepDropped = false
        var none = step.input
        none.paths = []; none.from = []
        let s2 = StepSpec(name: buckets, kind: BucketStep(spec: m, signatures: sig), input: none, tasks: bucketTasks, after: [sig],
                          stages: [], output: step.output, mark: step.mark)
        let s3 = StepSpec(name: cluster, kind: ClusterStep(spec: m, signatures: sig, buckets: buckets), input: none, tasks: 1,
                          after: [buckets], stages: [], output: step.output, mark: step.mark)
        var s4 = step
        s4.kind = DuplicateFilterStep(spec: m, cluster: cluster)
        s4.after = step.after + [cluster]
        return [s1, s2, s3, s4]
    }

}

/// Per input unit: a signature per document, one sorted file per band.
struct SignatureStep: StepKind {
    let spec: MinHashSpec
    var name: String { "\(spec.method.rawValue).signatures" }
    var writesDocuments: Bool { false }
    var writes: String { spec.method == .minhash ? "MinHash signatures" : "\(spec.method.rawValue) hashes" }
    func reportedStageNames(_ step: StepSpec) -> [String] { [spec.method == .minhash ? "minhash_signature" : "\(spec.method.rawValue)_hash"] }
    func leadingStages() -> [any Stage]? { nil }

    func runUnit(_ run: UnitRun) throws -> FileStats {
        let reader = try run.openInput()
        var stats = FileStats(input: run.label, stageNames: [])
        let t0 = monotonicNanos()
        try MinHashSteps.signatures(spec, reader: reader, dir: run.stepDirectory, unit: run.unit.index, stats: &stats, progress: run.progress)
        stats.read = reader.stats
        stats.read.nanoseconds = (monotonicNanos() - t0) - stats.stages.reduce(0) { $0 + $1.nanoseconds }
        stats.damage = reader.damage
        stats.warnings = reader.warnings
        stats.inputBytes = run.unit.split?.count ?? reader.inputBytesRead
        return stats
    }
}

/// Per band: k-way merge of the signature files; equal band signatures become pairs.
struct BucketStep: StepKind {
    let spec: MinHashSpec
    let signatures: String
    var name: String { "\(spec.method.rawValue).buckets" }
    var writesDocuments: Bool { false }
    var writes: String { "duplicate pairs" }
    func ownUnits(_ step: StepSpec, earlier: [StepPlan]) -> [WorkUnit]? {
        (0..<spec.bands).map { WorkUnit(index: $0, input: "band \($0)", split: nil, bytes: 0, format: nil) }
    }
    func reportedStageNames(_ step: StepSpec) -> [String] { [] }
    func leadingStages() -> [any Stage]? { nil }

    func runUnit(_ run: UnitRun) throws -> FileStats {
        var stats = FileStats(input: run.unit.input, stageNames: [])
        let t0 = monotonicNanos()
        try MinHashSteps.buckets(spec, band: run.unit.index, signatureDir: "\(run.runDirectory)/steps/\(signatures)",
                                 signatureUnits: try run.unitCount(signatures),
                                 out: "\(run.stepDirectory)/\(RunPlan.shardName(run.unit.index)).dups", stats: &stats)
        stats.read.nanoseconds = monotonicNanos() - t0
        return stats
    }
}

/// One task: union-find over all pairs; per input unit, the sorted documents to remove.
struct ClusterStep: StepKind {
    let spec: MinHashSpec
    let signatures: String
    let buckets: String
    var name: String { "\(spec.method.rawValue).cluster" }
    var writesDocuments: Bool { false }
    var writes: String { "duplicate clusters" }
    func ownUnits(_ step: StepSpec, earlier: [StepPlan]) -> [WorkUnit]? { [WorkUnit(index: 0, input: "all pairs", split: nil, bytes: 0, format: nil)] }
    func reportedStageNames(_ step: StepSpec) -> [String] { [] }
    func leadingStages() -> [any Stage]? { nil }

    func runUnit(_ run: UnitRun) throws -> FileStats {
        var stats = FileStats(input: run.unit.input, stageNames: [])
        let t0 = monotonicNanos()
        let dups = (0..<spec.bands).map { "\(run.runDirectory)/steps/\(buckets)/\(RunPlan.shardName($0)).dups" }
        try MinHashSteps.cluster(dupsFiles: dups, signatureUnits: try run.unitCount(signatures), outDir: run.stepDirectory,
                                 survivor: spec.survivor, ids: spec.clusterIDs, sizes: spec.clusterSizes, stats: &stats)
        stats.read.nanoseconds = monotonicNanos() - t0
        return stats
    }
}

/// Per input unit: the documents minus the removed ones (`DuplicateRemovalStage`), then the
/// step's stages.
struct DuplicateFilterStep: StepKind {
    let spec: MinHashSpec
    let cluster: String
    var name: String { "\(spec.method.rawValue).filter" }
    func leadingStages() -> [any Stage]? { [DuplicateRemovalStage(spec: spec, clusterStep: cluster)] }
}

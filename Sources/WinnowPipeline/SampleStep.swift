import WinnowCore
import WinnowSteps
import WinnowIO

/// `sample: {fraction: F | count: N, seed: S}`: a deterministic sample of the documents a step
/// reads. Every document gets a key from (seed, unit, position in the unit) — a bijective mix,
/// so no two documents share one — and the result depends only on the input and the seed,
/// never on how units are grouped into tasks or which worker ran them.
/// - `fraction`: a document is kept when its key is below F · 2^64 (one step).
/// - `count`: exactly min(N, total) documents, the N smallest keys: `NAME.keys` writes each
///   unit's N smallest keys, then `NAME` keeps the documents at or below the N-th smallest
///   of all of them.
/// - `complement: true` keeps exactly the documents the same sample drops, so two steps with the
///   same seed and input split it into disjoint parts (e.g. a held-out set and the rest).
/// Kept documents go through the step's own stages after the sample.
struct SampleStep: StepKind {
    var complement = false
    let seed: UInt64
    let fraction: Double?
    let count: Int?
    let keysStep: String?
    var name: String { "sample" }
    func leadingStages() -> [any Stage]? { [SampleStage(seed: seed, fraction: fraction, count: count, keysStep: keysStep, complement: complement)] }

    static let parser = StepKindParser(key: "sample") { step, node, path, _ in
        var k = try ConfigMap(node, path: path, mark: node.mark)
        try k.expectOnly(["fraction", "count", "seed", "complement"])
        let seed = try k.int("seed", default: 0)
        let complement = try k.bool("complement", default: false)
        guard seed >= 0 else { throw k.error("seed", "seed must be 0 or more") }
        switch (k.has("fraction"), k.has("count")) {
        case (true, false):
            let f = try k.double("fraction", default: 1)
            guard f >= 0, f <= 1 else { throw k.error("fraction", "fraction must be between 0 and 1") }
            var s = step
            s.kind = SampleStep(complement: complement, seed: UInt64(seed), fraction: f, count: nil, keysStep: nil)
            return [s]
        case (false, true):
            let n = try k.int("count", default: 0)
            guard n >= 0 else { throw k.error("count", "count must be 0 or more") }
            let keys = step.name + ".keys"
            var first = step
            first.name = keys
            first.kind = SampleKeysStep(seed: UInt64(seed), count: n)
            first.stages = []
            first.output.keepDropped = false
            var second = step
            second.kind = SampleStep(complement: complement, seed: UInt64(seed), fraction: nil, count: n, keysStep: keys)
            second.after = step.after + [keys]
            return [first, second]
        default:
            throw ConfigError("give one of 'fraction' or 'count'", at: node.mark, path: path)
        }
    }

    /// The document's key: splitmix64's finaliser (a bijection) over unit and position, salted
    /// by the seed.
    static func key(seed: UInt64, unit: Int, position: Int) -> UInt64 {
        SplitMix64.mix((UInt64(unit) << 40 | UInt64(position)) ^ (seed &* 0x9E37_79B9_7F4A_7C15))
    }
}

/// Per unit: the `count` smallest document keys, sorted, as little-endian UInt64 (`NNNNN.keys`).
struct SampleKeysStep: StepKind {
    let seed: UInt64
    let count: Int
    var name: String { "sample.keys" }
    var writesDocuments: Bool { false }
    var writes: String { "sample keys" }
    func reportedStageNames(_ step: StepSpec) -> [String] { [] }
    func leadingStages() -> [any Stage]? { nil }

    func runUnit(_ run: UnitRun) throws -> FileStats {
        let reader = try run.openInput()
        var stats = FileStats(input: run.label, stageNames: [])
        let t0 = monotonicNanos()
        var keys: [UInt64] = []
        var n = 0
        while try reader.next() != nil {
            keys.append(SampleStep.key(seed: seed, unit: run.unit.index, position: n))
            n += 1
            if n & 1023 == 0 { try run.progress(n, reader.inputBytesRead) }
        }
        keys.sort()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(keys.count, count) * 8)
        for k in keys.prefix(count) { withUnsafeBytes(of: k.littleEndian) { bytes.append(contentsOf: $0) } }
        try writeBinary(bytes, to: "\(run.stepDirectory)/\(RunPlan.shardName(run.unit.index)).keys")
        stats.read = reader.stats
        stats.read.nanoseconds = monotonicNanos() - t0
        stats.damage = reader.damage
        stats.warnings = reader.warnings
        stats.inputBytes = run.unit.split?.count ?? reader.inputBytesRead
        return stats
    }
}

/// Keeps a document when its key is below the fraction's bound, or at or below the N-th
/// smallest key of the whole step (read once per task from the keys step's files).
final class SampleStage: Stage {
    let name = "sample"
    let seed: UInt64
    let fraction: Double?
    let count: Int?
    let keysStep: String?
    let complement: Bool
    private var bound: UInt64 = 0
    private var inclusive = false
    private var unit = 0, position = 0
    private var boundKnown = false

    init(seed: UInt64, fraction: Double?, count: Int?, keysStep: String?, complement: Bool = false) {
        self.seed = seed; self.fraction = fraction; self.count = count; self.keysStep = keysStep; self.complement = complement
    }

    func startUnit(_ u: UnitContext) throws {
        unit = u.index
        position = 0
        guard !boundKnown else { return }
        if let fraction {
            // keep when key < fraction · 2^64 (fraction 1 keeps everything)
            inclusive = fraction >= 1
            bound = fraction >= 1 ? UInt64.max : UInt64((fraction * 18_446_744_073_709_551_616.0).rounded(.down))
        } else if let count, let keysStep {
            guard let run = u.runDirectory else { throw RunError("sample by count runs only inside a pipeline run") }
            var all: [UInt64] = []
            for f in FileGlob.expand(["\(run)/steps/\(keysStep)/*.keys"]).files.sorted() {
                let b = try readBinary(f)
                guard b.count % 8 == 0 else { throw RunError("\(f): \(b.count) bytes is not a list of 64-bit keys") }
                b.withUnsafeBytes { r in for i in 0..<(b.count / 8) { all.append(UInt64(littleEndian: r.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))) } }
            }
            all.sort()
            // Keys are distinct, so exactly min(count, total) documents are at or below the bound.
            if count == 0 || all.isEmpty { inclusive = false; bound = 0 } else { inclusive = true; bound = all[min(count, all.count) - 1] }
        }
        boundKnown = true
    }

    func apply(_ doc: inout Document) -> Verdict {
        let k = SampleStep.key(seed: seed, unit: unit, position: position)
        position += 1
        let sampled = inclusive ? k <= bound : k < bound
        return sampled != complement ? .keep : .drop(complement ? "sampled_for_the_other_part" : "not_sampled")
    }
}

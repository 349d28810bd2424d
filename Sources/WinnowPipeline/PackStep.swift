import WinnowCore
import WinnowIO
import WinnowTokenize

/// `pack: {seq_len: L, strategy: bfd|concat|pad, window: N, seed: S, pad_id: P}` over the token
/// shards of a `tokenize` step (datatrove or megatron format, which keep document boundaries):
/// per upstream shard, training sequences of exactly L tokens.
/// - `bfd` (default): best-fit decreasing (Ding et al. 2024): only documents longer than L are
///   cut; pieces are packed into sequences, the rest of a sequence is padding.
/// - `concat`: the documents end to end, cut every L tokens (the usual baseline).
/// - `pad`: one document (piece) per sequence.
/// Documents are taken `window` at a time (memory stays bounded); each window's sequences are
/// shuffled with a generator seeded by (seed, unit, window). Output per unit: `NNNNN.bin/.idx`,
/// a Megatron dataset whose every sequence has L tokens (so the `.bin` is also the raw [N, L]
/// matrix), and `NNNNN.boundaries.jsonl`, one line per sequence: its pieces as
/// [shard, document, offset, length] in order; positions past the pieces are padding (`pad_id`)
/// and count for nothing in the loss; `NNNNN.mask` marks them: [N, L] uint8, 1 = document token,
/// 0 = padding (see `PackMaskOutput`).
struct PackStep: StepKind {
    enum Strategy: String, CaseIterable, Sendable { case bfd, concat, pad }
    let seqLen: Int
    let strategy: Strategy
    let window: Int
    let seed: UInt64
    let padID: UInt32

    var name: String { "pack" }
    var writesDocuments: Bool { false }
    var writes: String { "packed sequences" }
    func leadingStages() -> [any Stage]? { nil }
    func reportedStageNames(_ step: StepSpec) -> [String] { [] }
    func canRead(_ dep: StepSpec) -> Bool { dep.kind is any TokenShardStep }

    static let parser = StepKindParser(key: "pack") { step, node, path, _ in
        var k = try ConfigMap(node, path: path, mark: node.mark)
        try k.expectOnly(["seq_len", "strategy", "window", "seed", "pad_id"])
        let L = try k.int("seq_len", default: 2048)
        guard L >= 1, L <= 1 << 24 else { throw k.error("seq_len", "seq_len must be between 1 and 16,777,216") }
        let strategy = Strategy(rawValue: try k.choice("strategy", Strategy.allCases.map(\.rawValue), default: "bfd"))!
        let window = try k.int("window", default: 100_000)
        guard window >= 1 else { throw k.error("window", "window must be at least 1 document") }
        let seed = try k.int("seed", default: 0), pad = try k.int("pad_id", default: 0)
        guard seed >= 0 else { throw k.error("seed", "seed must be 0 or more") }
        guard pad >= 0, pad <= Int(UInt32.max) else { throw k.error("pad_id", "pad_id must be a token id") }
        guard !step.input.from.isEmpty else { throw ConfigError("a pack step reads a tokenize step: input: {from: STEP}", at: step.mark, path: path) }
        guard step.stages.isEmpty else { throw ConfigError("a pack step has no stages (it reads tokens, not documents)", at: step.mark, path: path) }
        var s = step
        s.kind = PackStep(seqLen: L, strategy: strategy, window: window, seed: UInt64(seed), padID: UInt32(pad))
        return [s]
    }

    /// One unit per shard of the tokenize steps it reads, named relative to the run directory.
    func ownUnits(_ step: StepSpec, earlier: [StepPlan]) throws -> [WorkUnit]? {
        var units: [WorkUnit] = []
        for dep in step.input.from {
            guard let plan = earlier.first(where: { $0.step.name == dep }), let tok = plan.step.kind as? any TokenShardStep else {
                throw ConfigError("step '\(dep)' is not a tokenize or merge step", at: step.mark, path: "steps.\(step.name).input.from")
            }
            let format = tok.shardFormat(plan.step, earlier: earlier)
            guard format == .datatrove || format == .megatron else {
                throw ConfigError("pack needs document boundaries: step '\(dep)' writes \(format.rawValue) shards (use format: megatron or datatrove)",
                                  at: step.mark, path: "steps.\(step.name).input.from")
            }
            for u in plan.units {
                units.append(WorkUnit(index: units.count, input: tokenShardPath(format, dir: "steps/\(dep)", unit: u.index), split: nil, bytes: 0, format: nil))
            }
        }
        return units
    }

    func runUnit(_ run: UnitRun) throws -> FileStats {
        let source = "\(run.runDirectory)/\(run.unit.input)"
        let reader = try TokenShardReader(format: source.hasSuffix(".ds") ? .datatrove : .megatron, path: source)
        guard let ends = reader.documentEnds else { throw RunError("\(source): no document boundaries") }
        let out = "\(run.stepDirectory)/\(RunPlan.shardName(run.unit.index))"
        try makeDirectories(run.stepDirectory)
        let writer = try TokenShardWriter(format: .megatron, path: out, vocabularySize: reader.width == .uint16 ? 65_536 : Int(UInt32.max),
                                          width: reader.width)
        let sidecar = try LineOutput(path: out + ".boundaries.jsonl")
        let mask = try PackMaskOutput(path: out + ".mask", seqLen: seqLen)
        var stats = FileStats(input: run.unit.input, stageNames: [])
        var c = PackCounters()
        let t0 = monotonicNanos()
        var first = 0
        var windowIndex = 0
        while first < ends.count {
            let last = min(ends.count, first + window)
            let starts = (first..<last).map { $0 == 0 ? 0 : ends[$0 - 1] }
            let lengths = (first..<last).map { ends[$0] - ($0 == 0 ? 0 : ends[$0 - 1]) }
            var sequences = PackPlanner.plan(lengths: lengths, seqLen: seqLen, strategy: strategy, counters: &c)
            // The same order on any machine: seeded by (seed, unit, window).
            var rng = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(run.unit.index) << 32 ^ UInt64(windowIndex))
            rng.shuffle(&sequences)
            for seq in sequences {
                var ids: [UInt32] = []
                ids.reserveCapacity(seqLen)
                var line = "{\"pieces\":["
                for (j, p) in seq.enumerated() {
                    let s = starts[p.document] + p.offset
                    ids += try reader.tokens(s..<(s + p.length))
                    line += (j > 0 ? "," : "") + "[\(run.unit.index),\(first + p.document),\(p.offset),\(p.length)]"
                }
                c.padding += seqLen - ids.count
                try mask.write(real: ids.count)
                ids += [UInt32](repeating: padID, count: seqLen - ids.count)
                try writer.write(document: ids)
                try sidecar.writeLine(line + "],\"tokens\":\(seq.reduce(0) { $0 + $1.length })}")
                c.sequences += 1
            }
            first = last
            windowIndex += 1
            try run.progress(first, 0)
        }
        let summary = try writer.finish()
        try sidecar.commit()
        try mask.commit()
        for f in [summary.files.tokens, summary.files.index, mask.path, out + ".boundaries.jsonl"].compactMap({ $0 }) { CommittedFiles.record(f, bytes: fileSize(f) ?? -1) }
        stats.read.docsIn = ends.count
        stats.read.docsOut = ends.count
        stats.read.nanoseconds = monotonicNanos() - t0
        stats.written = c.sequences
        stats.counters = ["sequences": c.sequences, "tokens": ends.last ?? 0, "padding_tokens": c.padding,
                          "documents": ends.count, "documents_cut": c.cut, "documents_cut_needlessly": c.needless,
                          "concat_would_cut": c.concatWouldCut, "sequence_tokens": c.sequences * seqLen,
                          // Measured, not assumed: input tokens not placed in any sequence (0 by design).
                          "tokens_dropped": (ends.last ?? 0) - (c.sequences * seqLen - c.padding)]
        return stats
    }
}

struct PackCounters {
    var sequences = 0, padding = 0, cut = 0, needless = 0, concatWouldCut = 0
}

/// A sequence: pieces of documents (indices within the window) in order.
typealias PackedSequence = [PackChunk]

enum PackPlanner {
    static func plan(lengths: [Int], seqLen L: Int, strategy: PackStep.Strategy, counters c: inout PackCounters) -> [PackedSequence] {
        // What concatenate-and-split would cut on the same documents: those crossing a boundary.
        var pos = 0
        for n in lengths where n > 0 {
            if pos / L != (pos + n - 1) / L { c.concatWouldCut += 1 }
            pos += n
        }
        switch strategy {
        case .concat:
            var out: [PackedSequence] = []
            var current: PackedSequence = []
            var room = L
            for (d, n) in lengths.enumerated() where n > 0 {
                var o = 0
                var pieces = 0
                while o < n {
                    let take = min(room, n - o)
                    current.append(PackChunk(document: d, offset: o, length: take))
                    o += take; room -= take; pieces += 1
                    if room == 0 { out.append(current); current = []; room = L }
                }
                if pieces > 1 { c.cut += 1; if n <= L { c.needless += 1 } }
            }
            if !current.isEmpty { out.append(current) }
            return out
        case .bfd, .pad:
            let chunks = BestFitPacking.chunks(lengths: lengths, capacity: L)
            c.cut += lengths.filter { $0 > L }.count
            if strategy == .pad { return chunks.map { [$0] } }
            return BestFitPacking.pack(sizes: chunks.map(\.length), capacity: L).map { bin in
                // Within a sequence, pieces in document order (a reader sees documents as written).
                bin.map { chunks[$0] }.sorted { ($0.document, $0.offset) < ($1.document, $1.offset) }
            }
        }
    }
}

/// Lines of text (the packed sequences' sidecar), written under a temporary name and renamed on `commit()`.
final class LineOutput {
    private let out: AtomicOutput
    private var buffer: [UInt8] = []
    init(path: String) throws { out = try AtomicOutput(path: path, compression: .none) }
    func writeLine(_ s: String) throws {
        buffer += s.utf8
        buffer.append(0x0A)
        if buffer.count > 1 << 20 { try out.sink.write(buffer); buffer.removeAll(keepingCapacity: true) }
    }
    func commit() throws {
        if !buffer.isEmpty { try out.sink.write(buffer) }
        try out.commit()
    }
}

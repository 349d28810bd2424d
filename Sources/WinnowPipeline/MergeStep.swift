import WinnowCore
import WinnowSteps
import WinnowIO
import WinnowTokenize
import Synchronization

/// A step that writes token shards (one per unit) in one of the shard formats.
protocol TokenShardStep: StepKind {
    /// The format of the shards the step writes (`earlier`: the plans before it, for a kind
    /// that takes its format from the steps it reads).
    func shardFormat(_ step: StepSpec, earlier: [StepPlan]) -> TokenShardFormat
}

extension TokenizeStep: TokenShardStep {
    func shardFormat(_ step: StepSpec, earlier: [StepPlan]) -> TokenShardFormat { format }
}

/// The path of unit `unit`'s shard as `TokenShardWriter` takes it (datatrove: the .ds file;
/// megatron: the prefix; nanogpt, llm.c: the .bin file).
func tokenShardPath(_ format: TokenShardFormat, dir: String, unit: Int) -> String {
    let base = "\(dir)/\(RunPlan.shardName(unit))"
    switch format {
    case .datatrove: return base + ".ds"
    case .megatron: return base
    case .nanogpt, .llmc: return base + ".bin"
    }
}

/// `merge: {files: N, seed: S, format: datatrove|megatron|nanogpt|llmc, width: auto|uint16|uint32,
/// loss: false}` over the token shards of `tokenize` (or other `merge`) steps in datatrove or
/// megatron format: every document of every input shard, in one global order shuffled with a
/// generator seeded by `seed`, dealt into N output shards of about equal token counts
/// (`steps/<step>/NNNNN.<suffix>`, the writers `tokenize` uses). Each unit is one output file;
/// it indexes the inputs' document boundaries (8 bytes per document, plus 4 for the order) and
/// streams tokens document by document, so memory does not grow with the tokens, and the bytes
/// do not depend on tasks or workers. `format` defaults to the input's, `width` to the input's
/// token width, `loss` (datatrove only) carries the inputs' `.ds.loss` flags (all 1 without).
/// The datatrove metadata names the tokenizer the input's metadata names ("winnow" otherwise).
/// `files.jsonl` lists every output file with its documents and tokens.
struct MergeStep: TokenShardStep {
    let files: Int
    let seed: UInt64
    let format: TokenShardFormat?
    let width: TokenWidth?
    let saveLoss: Bool

    var name: String { "merge" }
    var writesDocuments: Bool { false }
    var writes: String { "merged token shards" }
    func leadingStages() -> [any Stage]? { nil }
    func reportedStageNames(_ step: StepSpec) -> [String] { [] }
    func canRead(_ dep: StepSpec) -> Bool { dep.kind is any TokenShardStep }

    func shardFormat(_ step: StepSpec, earlier: [StepPlan]) -> TokenShardFormat {
        if let format { return format }
        guard let dep = step.input.from.first, let plan = earlier.first(where: { $0.step.name == dep }),
              let k = plan.step.kind as? any TokenShardStep else { return .datatrove }
        return k.shardFormat(plan.step, earlier: earlier)
    }

    static let maxFiles = 100_000

    static let parser = StepKindParser(key: "merge") { step, node, path, _ in
        var k = try ConfigMap(node, path: path, mark: node.mark)
        try k.expectOnly(["files", "seed", "format", "width", "loss"])
        let files = try k.int("files", default: 1)
        guard files >= 1, files <= maxFiles else { throw k.error("files", "files must be between 1 and \(maxFiles)") }
        let seed = try k.int("seed", default: 0)
        guard seed >= 0 else { throw k.error("seed", "seed must be 0 or more") }
        let formatName = try k.string("format")
        var format: TokenShardFormat?
        if let formatName {
            guard let f = TokenShardFormat(rawValue: formatName) else {
                throw k.error("format", "format must be one of \(TokenShardFormat.allCases.map(\.rawValue).joined(separator: ", ")), not '\(formatName)'")
            }
            format = f
        }
        let widthName = try k.choice("width", ["auto", "uint16", "uint32"], default: "auto")
        let width: TokenWidth? = widthName == "uint16" ? .uint16 : widthName == "uint32" ? .uint32 : nil
        let loss = try k.bool("loss", default: false)
        if loss, let format, format != .datatrove { throw k.error("loss", "loss masks are written by format: datatrove only") }
        if format == .nanogpt && width == .uint32 { throw k.error("width", "nanogpt shards hold uint16 tokens only") }
        guard !step.input.from.isEmpty else {
            throw ConfigError("a merge step reads token shards: input: {from: TOKENIZE_STEP}", at: step.mark, path: path)
        }
        guard step.stages.isEmpty else { throw ConfigError("a merge step has no stages (it reads tokens, not documents)", at: step.mark, path: path) }
        var s = step
        s.kind = MergeStep(files: files, seed: UInt64(seed), format: format, width: width, saveLoss: loss)
        s.output.keepDropped = false
        return [s]
    }

    /// One unit per output file. The inputs are checked here, before any work: token shard
    /// steps with document boundaries, one tokenizer.
    func ownUnits(_ step: StepSpec, earlier: [StepPlan]) throws -> [WorkUnit]? {
        let at = "steps.\(step.name).input.from"
        var tokenizers = Set<String>()
        for dep in step.input.from {
            guard let plan = earlier.first(where: { $0.step.name == dep }), let k = plan.step.kind as? any TokenShardStep else {
                throw ConfigError("step '\(dep)' does not write token shards (merge reads tokenize or merge steps)", at: step.mark, path: at)
            }
            let f = k.shardFormat(plan.step, earlier: earlier)
            guard f == .datatrove || f == .megatron else {
                throw ConfigError("merge needs document boundaries: step '\(dep)' writes \(f.rawValue) shards (use format: megatron or datatrove)",
                                  at: step.mark, path: at)
            }
            if let t = k as? TokenizeStep {
                tokenizers.insert(t.tokenizerPath)
                if shardFormat(step, earlier: earlier) == .nanogpt && width != .uint16,
                   let tok = try? TokenizerLoader.shared(path: t.tokenizerPath), tok.vocabularySize > 65_536 {
                    throw ConfigError("nanogpt shards hold uint16 tokens; \(t.tokenizerPath) has \(tok.vocabularySize) ids", at: step.mark, path: at)
                }
            }
        }
        if tokenizers.count > 1 {
            throw ConfigError("merge reads shards of one tokenizer; the inputs use \(tokenizers.sorted().joined(separator: ", "))", at: step.mark, path: at)
        }
        if saveLoss && shardFormat(step, earlier: earlier) != .datatrove {
            throw ConfigError("loss masks are written by format: datatrove only (the merged shards are \(shardFormat(step, earlier: earlier).rawValue))",
                              at: step.mark, path: "steps.\(step.name).merge.loss")
        }
        let source = step.input.from.map { "steps/\($0)" }.joined(separator: ",")
        let format = shardFormat(step, earlier: earlier)
        // The input names the output's format too, so the plan (and its hash) says what is written.
        return (0..<files).map { WorkUnit(index: $0, input: "\(source) → \(format.rawValue) \(RunPlan.shardName($0))", split: nil, bytes: 0, format: nil) }
    }

    /// The inputs' shards in order: each `from` step's units in unit order, format by file name.
    static func inputShards(_ run: UnitRun) throws -> [(TokenShardFormat, String)] {
        var out: [(TokenShardFormat, String)] = []
        for dep in run.step.input.from {
            for u in 0..<(try run.unitCount(dep)) {
                let dir = "\(run.runDirectory)/steps/\(dep)"
                let ds = tokenShardPath(.datatrove, dir: dir, unit: u), mg = tokenShardPath(.megatron, dir: dir, unit: u)
                if FileGlob.isFile(ds) { out.append((.datatrove, ds)) } else if FileGlob.isFile(mg + ".idx") { out.append((.megatron, mg)) } else {
                    throw RunError("\(dir)/\(RunPlan.shardName(u)): no datatrove (.ds) or megatron (.bin/.idx) shard (was step '\(dep)' run?)")
                }
            }
        }
        return out
    }

    /// The merged order, built once per process and step: the index of every input document,
    /// the shuffled order (document numbers), and where each output file starts in it.
    struct Plan: Sendable {
        let index: TokenDocumentIndex
        let order: [UInt32]
        let cuts: [Int]
    }

    static let plans = Mutex<[String: Plan]>([:])

    func plan(_ run: UnitRun) throws -> Plan {
        let key = "\(run.runDirectory)\u{0}\(run.step.name)"
        if let p = Self.plans.withLock({ $0[key] }) { return p }
        var index = TokenDocumentIndex()
        for (f, path) in try Self.inputShards(run) { try index.add(format: f, path: path) }
        let p = Self.makePlan(index: index, files: files, seed: seed)
        Self.plans.withLock { $0 = [key: p] }  // one step at a time: keep only the latest
        return p
    }

    /// The order: Fisher–Yates over all documents with splitmix64 seeded by `seed`; file `i`
    /// gets the documents whose first token (counted along the order) falls in
    /// [i·T/N, (i+1)·T/N) of the T tokens (by document count when there are no tokens).
    static func makePlan(index: TokenDocumentIndex, files: Int, seed: UInt64) -> Plan {
        let d = index.documentCount
        var order = [UInt32](unsafeUninitializedCapacity: d) { b, n in
            for i in 0..<d { b[i] = UInt32(truncatingIfNeeded: i) }
            n = d
        }
        var rng = SplitMix64(seed: seed ^ 0x6D65_7267_6500_0000)
        rng.shuffle(&order)
        var cuts = [Int](repeating: d, count: files + 1)
        cuts[0] = 0
        let total = index.tokenCount
        var next = 1, before = 0
        for (p, doc) in order.enumerated() {
            // The file this document goes to, by the tokens before it (monotone along the order).
            let f = total > 0 ? Int(UInt64(total).dividingFullWidth(UInt64(before).multipliedFullWidth(by: UInt64(files))).quotient) : p * files / max(1, d)
            while next <= min(f, files - 1) { cuts[next] = p; next += 1 }
            before += index.length(Int(doc))
        }
        return Plan(index: index, order: order, cuts: cuts)
    }

    /// `files.jsonl`: per output file, its name, documents and tokens (from the plan, so unit 0
    /// writes it for all).
    func writeFileList(_ p: Plan, format: TokenShardFormat, dir: String) throws {
        let out = try LineOutput(path: "\(dir)/files.jsonl")
        for f in 0..<files {
            var tokens = 0
            for pos in p.cuts[f]..<p.cuts[f + 1] { tokens += p.index.length(Int(p.order[pos])) }
            let name = baseName(TokenShardFiles(format: format, path: tokenShardPath(format, dir: dir, unit: f)).tokens)
            try out.writeLine("{\"file\":\"\(name)\",\"documents\":\(p.cuts[f + 1] - p.cuts[f]),\"tokens\":\(tokens)}")
        }
        try out.commit()
        CommittedFiles.record("\(dir)/files.jsonl", bytes: fileSize("\(dir)/files.jsonl") ?? -1)
    }

    func runUnit(_ run: UnitRun) throws -> FileStats {
        let t0 = monotonicNanos()
        let p = try plan(run)
        guard p.index.documentCount <= Int(UInt32.max) else { throw RunError("merge handles at most 4,294,967,295 documents per step") }
        let inWidth = p.index.width ?? .uint16
        let outFormat = format ?? p.index.shards.first?.format ?? .datatrove
        let outWidth = width ?? (outFormat == .nanogpt ? .uint16 : inWidth)
        if outWidth == .uint16 && inWidth == .uint32 && width == nil {
            throw RunError("the input shards hold uint32 tokens; \(outFormat.rawValue) here would need uint16")
        }
        var tokenizerName = "winnow"
        if let first = p.index.shards.first(where: { $0.format == .datatrove }),
           let name = try? TokenShardReader(format: .datatrove, path: first.files.tokens).tokenizerName { tokenizerName = name }
        try makeDirectories(run.stepDirectory)
        let writer = try TokenShardWriter(format: outFormat, path: tokenShardPath(outFormat, dir: run.stepDirectory, unit: run.unit.index),
                                          vocabularySize: outWidth == .uint16 ? 65_536 : Int(UInt32.max), width: outWidth,
                                          tokenizerName: tokenizerName, saveLoss: saveLoss)
        let source = TokenDocumentSource(index: p.index)
        var ids: [UInt32] = [], loss: [Bool] = []
        var tokens = 0
        let range = p.cuts[run.unit.index]..<p.cuts[run.unit.index + 1]
        do {
            for (n, pos) in range.enumerated() {
                try source.read(document: Int(p.order[pos]), into: &ids, loss: &loss, withLoss: saveLoss)
                try writer.write(document: ids, lossMask: saveLoss ? loss : nil)
                tokens += ids.count
                if n & 1023 == 1023 { try run.progress(n + 1, 0) }
            }
        } catch {
            writer.abort()
            throw error
        }
        let summary = try writer.finish()
        for f in [summary.files.tokens, summary.files.index, summary.files.loss, summary.files.metadata].compactMap({ $0 }) {
            CommittedFiles.record(f, bytes: fileSize(f) ?? -1)
        }
        if run.unit.index == 0 { try writeFileList(p, format: outFormat, dir: run.stepDirectory) }
        var stats = FileStats(input: run.unit.input, stageNames: [])
        stats.read.docsIn = range.count
        stats.read.docsOut = range.count
        stats.read.nanoseconds = monotonicNanos() - t0
        stats.written = range.count
        stats.counters = ["documents": range.count, "tokens": tokens]
        return stats
    }
}

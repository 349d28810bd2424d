import WinnowCore
import WinnowIO
import WinnowPipeline
import WinnowTokenize

/// Everything the HTML report shows, read from a run directory: the run database (steps,
/// tasks, per-unit stats with timings), dropped-document samples, token shard indexes and
/// training metrics. Reading never changes the run.
public struct RunReportData {
    public struct DroppedSample {
        public var stage: String
        public var reason: String
        public var id: String
        public var url: String?
        public var text: String
    }

    public struct Step {
        public var state: RunDatabase.StepState
        /// Merged stats with timings; nil while some unit is unfinished.
        public var stats: StepStats?
        /// Unit stats merged over the finished units only (so a running step shows progress).
        public var partial: StepStats?
        public var wallSeconds: Double
        public var failures: [(task: Int, error: String)]
        /// Up to `samplesPerReason` dropped documents per (stage, reason), in file order.
        public var dropped: [DroppedSample]
        /// Tokens per document (or per sequence) of the step's token shards, if it wrote any.
        public var tokenLengths: [Int]
        public var tokenShards: Int
        /// Rows of `steps/<step>/metrics.jsonl` (training/eval), each a name → number map.
        public var metrics: [[String: Double]]
    }

    public var name: String
    public var runDirectory: String
    public var created: Double?
    public var executor: String?
    public var configHash: String?
    public var steps: [Step]
    /// `ablation.json` written by `winnow ablate` (variants, documents, tokens, metric over seeds).
    public var ablation: JSONValue?

    public static let samplesPerReason = 3
    /// Dropped documents read per step to find samples (bounds the report's cost on big runs).
    public static let maxDroppedScan = 50_000
    /// Documents whose lengths feed a histogram (the rest are left out, stated in the report).
    public static let maxLengths = 2_000_000

    public init(runDirectory: String) throws {
        guard RunDatabase.exists(runDirectory: runDirectory) else { throw RunError("\(runDirectory): no run here (no run.sqlite)") }
        let db = try RunDatabase(runDirectory: runDirectory)
        self.runDirectory = runDirectory
        name = try db.value("name") ?? "run"
        created = try db.value("created").flatMap(Double.init)
        executor = try db.value("executor")
        configHash = try db.value("config_hash")
        ablation = readTextFile(runDirectory + "/ablation.json").flatMap { try? JSONParser.parse($0) }
        let tasks = try db.tasks()
        steps = try db.orderedSteps().map { st in
            let units = try db.unitStats(step: st.name)
            var partial: StepStats?
            for u in units {
                guard let u else { continue }
                let f = FileStats(json: u)
                if partial == nil { partial = StepStats(step: st.name, stageNames: f.stages.map(\.name)) }
                partial!.add(f)
            }
            let complete = !units.isEmpty && units.allSatisfy { $0 != nil }
            let mine = tasks.filter { $0.ref.step == st.name }
            let starts = mine.compactMap(\.started), ends = mine.compactMap(\.finished)
            let wall = (starts.min().flatMap { s in ends.max().map { $0 - s } }) ?? 0
            let dir = "\(runDirectory)/steps/\(st.name)"
            let (lengths, shards) = Self.tokenLengths(dir: dir)
            return Step(state: st, stats: complete ? partial : nil, partial: partial, wallSeconds: max(wall, 0),
                        failures: mine.filter { $0.status == .failed }.map { ($0.ref.task, $0.error ?? "?") },
                        dropped: Self.droppedSamples(dir: dir + "/dropped"), tokenLengths: lengths, tokenShards: shards,
                        metrics: Self.metrics(path: dir + "/metrics.jsonl"))
        }
    }

    static func droppedSamples(dir: String) -> [DroppedSample] {
        guard FileGlob.isDirectory(dir) else { return [] }
        var out: [DroppedSample] = []
        var perKey: [String: Int] = [:]
        var scanned = 0
        for file in FileGlob.expand("\(dir)/*.jsonl*").sorted() {
            guard let reader = try? JSONLReader(path: file) else { continue }
            while scanned < maxDroppedScan, let doc = try? reader.next() {
                scanned += 1
                let stage = doc.metadata["dropped_by"]?.stringValue ?? "?"
                let reason = doc.metadata["drop_reason"]?.stringValue ?? "?"
                let key = stage + "\u{0}" + reason
                guard perKey[key, default: 0] < samplesPerReason else { continue }
                perKey[key, default: 0] += 1
                out.append(DroppedSample(stage: stage, reason: reason, id: doc.id, url: doc.metadata["url"]?.stringValue,
                                         text: String(doc.text.unicodeScalars.prefix(600))))
            }
        }
        return out
    }

    /// Document lengths from the index files of Megatron (`*.idx`) or datatrove (`*.ds`) shards.
    static func tokenLengths(dir: String) -> ([Int], Int) {
        var lengths: [Int] = []
        var shards = 0
        let found = FileGlob.expand("\(dir)/*.idx").map { (TokenShardFormat.megatron, $0) }
            + FileGlob.expand("\(dir)/*.ds").map { (TokenShardFormat.datatrove, $0) }
        for (format, path) in found.sorted(by: { $0.1 < $1.1 }) {
            guard let r = try? TokenShardReader(format: format, path: path), let ends = r.documentEnds else { continue }
            shards += 1
            var prev = 0
            for e in ends where lengths.count < maxLengths {
                lengths.append(e - prev)
                prev = e
            }
        }
        return (lengths, shards)
    }

    static func metrics(path: String) -> [[String: Double]] {
        guard let text = readTextFile(path) else { return [] }
        var rows: [[String: Double]] = []
        for line in text.split(separator: "\n") {
            guard let o = (try? JSONParser.parse(String(line)))?.objectValue else { continue }
            var row: [String: Double] = [:]
            for (k, v) in o { if let d = v.doubleValue { row[k] = d } }
            if !row.isEmpty { rows.append(row) }
        }
        return rows
    }
}

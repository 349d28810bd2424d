#if canImport(Glibc)
import Glibc
#endif

/// Monotonic clock in nanoseconds (CLOCK_MONOTONIC, no Foundation).
@inline(__always) public func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Runs documents through stages in order, counting and timing each stage. A document that a
/// stage drops stops there; with `keepDropped`, it is handed back annotated with who dropped it.
public final class StageChain {
    public let stages: [any Stage]
    public private(set) var stats: [StageStats]

    public init(_ stages: [any Stage]) {
        self.stages = stages
        self.stats = stages.map { StageStats(name: $0.name) }
    }

    public enum Outcome {
        case kept
        /// Dropped by stage `index` for `reason`.
        case dropped(stage: Int, reason: String)
    }

    public func process(_ doc: inout Document) -> Outcome {
        for i in stages.indices {
            let before = doc.text.utf8.count
            let t0 = monotonicNanos()
            let verdict = stages[i].apply(&doc)
            let t1 = monotonicNanos()
            stats[i].nanoseconds += t1 - t0
            stats[i].docsIn += 1
            stats[i].bytesIn += before
            switch verdict {
            case .keep:
                stats[i].docsOut += 1
                stats[i].bytesOut += doc.text.utf8.count
            case .drop(let reason):
                stats[i].drops[reason, default: 0] += 1
                return .dropped(stage: i, reason: reason)
            }
        }
        return .kept
    }

    /// Documents counted into `run`'s result.
    public struct Counts: Sendable {
        public var read = 0
        public var written = 0
        public var dropped = 0
    }

    /// The one loop every document goes through, for `winnow run` and `winnow apply` alike:
    /// each document from `next` through the stages; survivors to `keep`; with `keepDropped`,
    /// dropped ones, marked with the stage and reason, to `drop`. `each(n)` follows document n.
    public func run(next: () throws -> Document?, keep: (Document) throws -> Void,
                    keepDropped: Bool = false, drop: (Document) throws -> Void = { _ in },
                    each: (Int) throws -> Void = { _ in }) throws -> Counts {
        var c = Counts()
        while var doc = try next() {
            c.read += 1
            switch process(&doc) {
            case .kept:
                try keep(doc)
                c.written += 1
            case .dropped(let stage, let reason):
                c.dropped += 1
                if keepDropped {
                    annotateDropped(&doc, stage: stage, reason: reason)
                    try drop(doc)
                }
            }
            try each(c.read)
        }
        return c
    }

    /// Tells every stage that a task starts.
    public func startTask() throws { for s in stages { try s.startTask() } }

    /// Tells every stage that a unit starts, and zeroes the counters: `stats` then covers the unit.
    public func startUnit(_ unit: UnitContext) throws {
        stats = stages.map { StageStats(name: $0.name) }
        for s in stages { try s.startUnit(unit) }
    }

    /// Lets every stage add its counters for the unit that ended.
    public func finishUnit() {
        for i in stages.indices { stages[i].finishUnit(&stats[i]) }
    }

    /// Marks a dropped document the way `--keep-dropped` and exclusion outputs show it.
    public func annotateDropped(_ doc: inout Document, stage: Int, reason: String) {
        doc.metadata["dropped_by"] = .string(stages[stage].name)
        doc.metadata["drop_reason"] = .string(reason)
    }
}

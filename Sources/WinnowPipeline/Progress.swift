import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// Progress of a run read from its database: a redrawn line on a terminal, a plain line
/// every `interval` seconds otherwise (logs, CI).
public final class ProgressReporter {
    public enum Style: Sendable { case terminal, lines, none }
    let style: Style
    let interval: Double
    let started = monotonicNanos()
    private lazy var last: UInt64 = started
    private var printed = false
    private var baseline: (docs: Int, bytes: Int)?
    private var drewLine = false
    private let write: (String) -> Void
    /// A running step's own progress, when it has one (a `train` step: its step, loss, tok/s
    /// and ETA), shown after the run's counts.
    var detail: ((String) -> String?)?

    public init(style: Style, interval: Double = 30, write: @escaping (String) -> Void) {
        self.style = style
        self.interval = style == .terminal ? 0.5 : interval
        self.write = write
    }

    public static var defaultStyle: Style { isatty(2) != 0 ? .terminal : .lines }

    /// Counts what earlier runs already did, so rates cover this run only.
    func begin(_ db: RunDatabase) {
        guard let steps = try? db.orderedSteps() else { return }
        baseline = (steps.reduce(0) { $0 + $1.docs }, steps.reduce(0) { $0 + $1.bytes })
    }

    func tick(_ db: RunDatabase, force: Bool = false) {
        guard style != .none, !(force && style == .lines && !printed) else { return }
        let now = monotonicNanos()
        guard force || Double(now - last) / 1e9 >= interval else { return }
        last = now
        guard let steps = try? db.orderedSteps() else { return }
        let details = detail.map { d in steps.filter { $0.counts[.running, default: 0] > 0 }.compactMap { st in d(st.name).map { "\(st.name): \($0)" } } } ?? []
        let line = Self.line(steps, elapsed: Double(now - started) / 1e9, baseline: &baseline, details: details)
        switch style {
        case .terminal:
            write("\r\u{1B}[K" + line)
            drewLine = true
        case .lines:
            write(line + "\n")
            printed = true
        case .none: break
        }
    }

    /// Ends the redrawn line so what follows starts on its own.
    func finish() {
        if drewLine { write("\n"); drewLine = false }
    }

    static func line(_ steps: [RunDatabase.StepState], elapsed: Double, baseline: inout (docs: Int, bytes: Int)?, details: [String] = []) -> String {
        let total = steps.reduce(0) { $0 + $1.tasks }
        let done = steps.reduce(0) { $0 + $1.counts[.done, default: 0] }
        let running = steps.reduce(0) { $0 + $1.counts[.running, default: 0] }
        let failed = steps.reduce(0) { $0 + $1.counts[.failed, default: 0] }
        let docs = steps.reduce(0) { $0 + $1.docs }
        let bytes = steps.reduce(0) { $0 + $1.bytes }
        if baseline == nil { baseline = (docs, bytes) }
        let rateDocs = elapsed > 0 ? Double(docs - baseline!.docs) / elapsed : 0
        let rateBytes = elapsed > 0 ? Double(bytes - baseline!.bytes) / elapsed : 0
        let active = steps.filter { $0.counts[.running, default: 0] > 0 }.map(\.name)
        var s = "[\(active.isEmpty ? "-" : active.joined(separator: ","))] tasks \(done)/\(total)"
        if running > 0 { s += " (\(running) running)" }
        if failed > 0 { s += " \(failed) FAILED" }
        s += " · \(docs) docs · \(Summary.format1(rateDocs)) docs/s · \(Summary.format1(rateBytes / 1e6)) MB/s"
        // ETA from input bytes where every step's size is known up front, else from tasks.
        let knownBytes = steps.reduce(0) { $0 + $1.inputBytes }
        var remaining: Double?
        if knownBytes > 0 && steps.allSatisfy({ $0.inputBytes > 0 }) && rateBytes > 0 {
            remaining = Double(max(0, knownBytes - bytes)) / rateBytes
        } else if done > 0 && elapsed > 0 {
            remaining = elapsed / Double(done) * Double(total - done)
        }
        // A step with its own progress (training) says how long it has left; the task-based
        // estimate would not know.
        if let r = remaining, done < total, details.isEmpty { s += " · ETA \(clock(r))" }
        s += " · \(clock(elapsed))"
        for d in details { s += " · " + d }
        return s
    }

    static func clock(_ secs: Double) -> String {
        let t = Int(secs.rounded())
        let h = t / 3600, m = (t / 60) % 60, sec = t % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(sec))" : "\(m):\(two(sec))"
    }
}

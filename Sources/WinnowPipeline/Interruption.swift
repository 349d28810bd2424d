import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT/SIGTERM while an orchestrator supervises workers: the signal only sets a flag, and
/// the supervision loop stops the workers, puts their tasks back in the queue, removes their
/// temporary files and ends the command with 128 + the signal's number.
public enum Interruption {
    private static let received = Atomic<Int32>(0)

    /// The signal received since `catchSignals()`, or 0.
    public static var signal: Int32 { received.load(ordering: .relaxed) }

    public static func catchSignals() {
        _ = Glibc.signal(SIGINT) { s in Interruption.received.store(s, ordering: .relaxed) }
        _ = Glibc.signal(SIGTERM) { s in Interruption.received.store(s, ordering: .relaxed) }
    }

    public static func restoreDefaults() {
        _ = Glibc.signal(SIGINT, SIG_DFL)
        _ = Glibc.signal(SIGTERM, SIG_DFL)
    }

    static func name(_ s: Int32) -> String { s == SIGINT ? "SIGINT" : s == SIGTERM ? "SIGTERM" : "signal \(s)" }
}

/// A run stopped by a signal; the command's exit status is 128 + `signal`.
public struct RunInterrupted: Error, CustomStringConvertible {
    public let signal: Int32
    public let message: String
    public var description: String { message }
}

/// Removes `*.tmp-PID` files (a writer's temporary that never got renamed into place) under
/// `dir`; `pids` limits it to those processes' files (nil: all of them).
func removeStaleTemporaries(under dir: String, pids: Set<Int32>? = nil) -> Int {
    var removed = 0
    var st = stat()
    guard lstat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return 0 }
    for n in directoryEntries(dir) {
        let path = "\(dir)/\(n)"
        if let pid = temporaryOwner(n) {
            if pids == nil || pids!.contains(pid), unlink(path) == 0 { removed += 1 }
        } else if lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            removed += removeStaleTemporaries(under: path, pids: pids)
        }
    }
    return removed
}

/// The pid in a temporary's name `NAME.tmp-PID`, or nil.
func temporaryOwner(_ name: String) -> Int32? {
    let b = Array(name.utf8), tag = Array(".tmp-".utf8)
    guard b.count > tag.count else { return nil }
    var i = b.count - tag.count
    while i >= 0 {
        if Array(b[i..<i + tag.count]) == tag { return Int32(String(decoding: b[(i + tag.count)...], as: UTF8.self)) }
        i -= 1
    }
    return nil
}

#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A file written under a temporary name and renamed into place only on `commit()`, so a crash
/// never leaves a partial file under the final name. `abort()` (or deinit without commit)
/// removes the temporary.
public final class AtomicOutput {
    public let finalPath: String
    public let tempPath: String
    public let sink: ByteSink
    private var done = false

    public init(path: String, compression: Compression) throws {
        finalPath = path
        tempPath = path + ".tmp-\(getpid())"
        try makeDirectories(parentOf: path)
        sink = try openByteSink(tempPath, compression: compression)
    }

    public func commit() throws {
        guard !done else { return }
        try sink.finish()
        guard rename(tempPath, finalPath) == 0 else {
            throw IOError(finalPath, "cannot rename from \(tempPath): \(String(cString: strerror(errno)))")
        }
        done = true
        var st = stat()
        CommittedFiles.record(finalPath, bytes: stat(finalPath, &st) == 0 ? Int(st.st_size) : -1)
    }

    public func abort() {
        guard !done else { return }
        done = true
        unlink(tempPath)
    }

    deinit { abort() }
}

/// `mkdir -p` for the directory containing `path`.
public func makeDirectories(parentOf path: String) throws {
    guard let slash = path.lastIndex(of: "/") else { return }
    try makeDirectories(String(path[..<slash]))
}

public func makeDirectories(_ dir: String) throws {
    if dir.isEmpty { return }
    var st = stat()
    if stat(dir, &st) == 0 { return }
    if let slash = dir.lastIndex(of: "/") { try makeDirectories(String(dir[..<slash])) }
    if mkdir(dir, 0o755) != 0 && errno != EEXIST {
        throw IOError(dir, "cannot create directory: \(String(cString: strerror(errno)))")
    }
}

/// Files this process committed since the last `drain()`, with their sizes. A run records what
/// each task wrote, so a later run or `winnow status` can tell a deleted or truncated shard
/// from a finished one. (One task runs at a time in a worker process.)
public enum CommittedFiles {
    private static let files = Mutex<[(path: String, bytes: Int)]>([])

    /// Records a file committed by other means than `AtomicOutput` (e.g. token shards).
    public static func record(_ path: String, bytes: Int) {
        files.withLock { $0.append((path, bytes)) }
    }

    /// The files committed since the last call, in commit order; forgets them.
    public static func drain() -> [(path: String, bytes: Int)] {
        files.withLock { f in
            defer { f.removeAll() }
            return f
        }
    }
}

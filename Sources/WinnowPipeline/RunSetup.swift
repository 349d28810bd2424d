import WinnowCore
import WinnowIO
#if canImport(Glibc)
import Glibc
import WinnowSteps
#endif

/// Opening a run directory: the exclusive lock, and the decision to start fresh, resume,
/// or refuse because the configuration changed.
enum RunSetup {
    /// Holds `run.lock` (flock) for the life of the process: one orchestrator per run directory.
    static func lock(runDirectory: String) throws -> Int32 {
        try makeDirectories(runDirectory)
        let fd = Glibc.open("\(runDirectory)/run.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunError("\(runDirectory)/run.lock: \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw RunError("another winnow run is using \(runDirectory) (see `winnow status \(runDirectory)`)")
        }
        return fd
    }

    struct Opened {
        var db: RunDatabase
        var resumed: Bool
        var tasksAlreadyDone: Int
        var tasksReset: Int
        /// One line per damaged output found and the task rerun for it.
        var repaired: [String] = []
    }

    /// Creates or reopens the run database for `plan`. `force` discards a run whose
    /// configuration differs (its outputs, logs and stats are deleted first).
    static func open(plan: RunPlan, force: Bool) throws -> Opened {
        let dir = plan.runDirectory
        var db = try RunDatabase(runDirectory: dir)
        if db.isInitialized {
            let old = try db.value("config_hash") ?? ""
            if old == plan.configHash {
                let reset = try db.resetUnfinished(reason: "the run was interrupted; task rerun from scratch")
                // A finished task whose files were deleted or changed since is not done.
                let damaged = try db.damagedOutputs(runDirectory: dir)
                var seen = Set<String>(), refs: [RunDatabase.TaskRef] = []
                for d in damaged where seen.insert("\(d.task)").inserted { refs.append(d.task) }
                try db.requeue(refs, reason: "output damaged after it finished: " + damaged.map(\.description).joined(separator: "; "))
                let done = try db.tasks().filter { $0.status == .done }.count
                return Opened(db: db, resumed: true, tasksAlreadyDone: done, tasksReset: reset,
                              repaired: damaged.map { "\($0); task \($0.task) reruns" })
            }
            guard force else {
                let done = (try? db.tasks().filter { $0.status == .done }.count) ?? 0
                let before = (try? db.value("pipeline_file")) ?? nil
                throw RunError("""
                    \(dir) holds a run of a different configuration or input (config hash \(old.prefix(12)) there, \(plan.configHash.prefix(12)) now\
                    \(before.map { "; it was started from \($0)" } ?? "")).
                    To resume it, run it with the pipeline and inputs it was started with; for this configuration,
                    give another --output-dir. --force deletes that run, including its \(done) finished task(s).
                    """)
            }
            for sub in ["steps", "logs", "slurm"] { try removeTree("\(dir)/\(sub)") }
            unlink("\(dir)/stats.json")
            unlink(RunDatabase.path(runDirectory: dir))
            db = try RunDatabase(runDirectory: dir)
        }
        try db.initialize(plan: plan, cwd: currentDirectory())
        return Opened(db: db, resumed: false, tasksAlreadyDone: 0, tasksReset: 0)
    }
}

/// `rm -rf`, without following symlinks.
func removeTree(_ path: String) throws {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        for n in directoryEntries(path) { try removeTree("\(path)/\(n)") }
        if rmdir(path) != 0 { throw RunError("cannot remove \(path): \(String(cString: strerror(errno)))") }
    } else if unlink(path) != 0 {
        throw RunError("cannot remove \(path): \(String(cString: strerror(errno)))")
    }
}

/// The names in a directory, without `.` and `..` (empty if it cannot be read).
func directoryEntries(_ path: String) -> [String] {
    guard let d = opendir(path) else { return [] }
    defer { closedir(d) }
    var names: [String] = []
    while let e = readdir(d) {
        let name = withUnsafePointer(to: e.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
